//! What Radarr and Sonarr share: the `/api/v3` calls for status, quality profiles, root folders,
//! tags and commands, and choosing a profile or folder by the configured name or id. What an add
//! needs of these comes from the instance's cache ([`InstanceCache`]); the plain calls
//! (`status`, `quality_profiles`…) always ask the instance, for connection tests.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::cache::{CACHE_TTL, InstanceCache};
use super::error::{ArrError, ArrErrorKind};
use super::resources::{QualityProfile, RootFolder, SystemStatus, Tag};
use crate::config::ArrSettings;
use crate::error::CoreResult;
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};

/// Longest tag label Usher creates; Radarr and Sonarr set no limit, people reading them do.
const MAX_TAG_CHARS: usize = 48;

/// One instance's API, over the shared HTTP layer, with its configured profile and folder.
#[derive(Debug, Clone)]
pub struct ArrApi {
    instance: &'static str,
    http: Upstream,
    quality_profile: Option<String>,
    root_folder: Option<String>,
    cache: InstanceCache,
}

impl ArrApi {
    /// A client for the instance named `instance` (errors carry that name).
    pub fn new(
        instance: &'static str,
        settings: &ArrSettings,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        let auth = Auth::Header("X-Api-Key", settings.api_key.clone());
        Ok(Self {
            instance,
            http: Upstream::new(instance, &settings.url, auth, http)?,
            quality_profile: settings.quality_profile.clone(),
            root_folder: settings.root_folder.clone(),
            cache: InstanceCache::new(CACHE_TTL),
        })
    }

    /// The instance name, e.g. `radarr-4k`.
    pub fn instance(&self) -> &'static str {
        self.instance
    }

    /// Whether calls to the instance are paused after repeated failures (circuit breaker).
    pub fn calls_paused(&self) -> bool {
        self.http.calls_paused()
    }

    /// Version and app name; also proves the key is accepted.
    pub async fn status(&self) -> Result<SystemStatus, ArrError> {
        self.get("/api/v3/system/status", &[]).await
    }

    /// Every quality profile.
    pub async fn quality_profiles(&self) -> Result<Vec<QualityProfile>, ArrError> {
        self.get("/api/v3/qualityprofile", &[]).await
    }

    /// Every root folder.
    pub async fn root_folders(&self) -> Result<Vec<RootFolder>, ArrError> {
        self.get("/api/v3/rootfolder", &[]).await
    }

    /// Every tag.
    pub async fn tags(&self) -> Result<Vec<Tag>, ArrError> {
        self.get("/api/v3/tag", &[]).await
    }

    /// Creates a tag; the label is first made acceptable ([`tag_label`]).
    pub async fn create_tag(&self, label: &str) -> Result<Tag, ArrError> {
        let label = tag_label(label).ok_or_else(|| {
            ArrError::setup(self.instance, format!("{label:?} cannot be made a tag"))
        })?;
        self.send(
            Method::POST,
            "/api/v3/tag",
            &json!({ "label": label }),
            false,
        )
        .await
    }

    /// Ids of the tags with these labels, creating the missing ones. Labels that cannot become
    /// tags are skipped. The instance's tags come from the cache, and tags created here join it,
    /// so a requester's tag is created once and then only reused.
    pub async fn ensure_tags(&self, labels: &[String]) -> Result<Vec<i64>, ArrError> {
        let wanted: Vec<String> = labels.iter().filter_map(|l| tag_label(l)).collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let cached = self.cache.tags.get_or_load(self.tags()).await?;
        let mut known: Vec<Tag> = cached.as_ref().clone();
        let mut ids = Vec::with_capacity(wanted.len());
        for label in wanted {
            let found = known.iter().find(|t| {
                t.label
                    .as_deref()
                    .is_some_and(|l| l.eq_ignore_ascii_case(&label))
            });
            let tag = match found {
                Some(tag) => tag.clone(),
                None => {
                    let tag = self.create_tag(&label).await?;
                    known.push(tag.clone());
                    self.remember_tag(&tag).await;
                    tag
                }
            };
            if !ids.contains(&tag.id) {
                ids.push(tag.id);
            }
        }
        Ok(ids)
    }

    /// Adds a tag we created to the cached list (kept if another add's tag landed meanwhile).
    async fn remember_tag(&self, tag: &Tag) {
        let Some(cached) = self.cache.tags.peek().await else {
            return;
        };
        if cached.iter().any(|t| t.id == tag.id) {
            return;
        }
        let mut tags = cached.as_ref().clone();
        tags.push(tag.clone());
        self.cache.tags.put(tags).await;
    }

    /// The quality profile `placement` names (by id or name), else the configured one, else
    /// the first one. From the cache; a name the cached list lacks (a profile created since)
    /// asks the instance once more before giving up.
    pub async fn quality_profile(
        &self,
        placement: &Destination<'_>,
    ) -> Result<QualityProfile, ArrError> {
        let wanted = placement
            .quality_profile
            .or(self.quality_profile.as_deref());
        let cache = &self.cache.quality_profiles;
        let (mut profiles, fresh) = cache.get_or_load_fresh(self.quality_profiles()).await?;
        if !fresh && pick_profile(&profiles, wanted).is_none() {
            profiles = cache.put(self.quality_profiles().await?).await;
        }
        pick_profile(&profiles, wanted).cloned().ok_or_else(|| {
            let have: Vec<&str> = profiles.iter().filter_map(|p| p.name.as_deref()).collect();
            ArrError::setup(self.instance, missing("quality profile", wanted, &have))
        })
    }

    /// The root folder `placement` names (by id or path), else the configured one, else the
    /// first one. From the cache, asking the instance again like [`Self::quality_profile`].
    pub async fn root_folder(&self, placement: &Destination<'_>) -> Result<RootFolder, ArrError> {
        let wanted = placement.root_folder.or(self.root_folder.as_deref());
        let cache = &self.cache.root_folders;
        let (mut folders, fresh) = cache.get_or_load_fresh(self.root_folders()).await?;
        if !fresh && pick_root_folder(&folders, wanted).is_none() {
            folders = cache.put(self.root_folders().await?).await;
        }
        pick_root_folder(&folders, wanted).cloned().ok_or_else(|| {
            let have: Vec<&str> = folders.iter().filter_map(|f| f.path.as_deref()).collect();
            ArrError::setup(self.instance, missing("root folder", wanted, &have))
        })
    }

    /// The version and app name, from the cache.
    pub async fn cached_status(&self) -> Result<SystemStatus, ArrError> {
        let status = self.cache.status.get_or_load(self.status()).await?;
        Ok(status.as_ref().clone())
    }

    /// The instance's cache, for what only one of the apps has (language profiles).
    pub(crate) fn cache(&self) -> &InstanceCache {
        &self.cache
    }

    /// Forgets everything cached of the instance: the next add asks it afresh. Called when an
    /// add was refused in a way stale ids could explain.
    pub async fn forget(&self) {
        self.cache.forget().await;
    }

    /// The configured quality profile and root folder as given (for reports).
    pub fn configured(&self) -> (Option<&str>, Option<&str>) {
        (self.quality_profile.as_deref(), self.root_folder.as_deref())
    }

    /// Starts a command such as `MoviesSearch` or `SeasonSearch`. The apps read the command's
    /// own fields (`movieIds`, `seriesId`…) from the top level of the body.
    pub async fn command(&self, body: &Value) -> Result<(), ArrError> {
        let _: Value = self
            .send(Method::POST, "/api/v3/command", body, true)
            .await?;
        Ok(())
    }

    /// GET a JSON document.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ArrError> {
        self.http
            .get_json(path, query)
            .await
            .map_err(|e| self.fail(e))
    }

    /// GET a JSON array element by element, never holding the body whole (a library listing).
    pub(crate) async fn get_each<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        each: impl FnMut(T),
    ) -> Result<(), ArrError> {
        self.http
            .get_json_each(path, query, each)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Sends a JSON body.
    pub(crate) async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotent: bool,
    ) -> Result<T, ArrError> {
        self.http
            .send_json(method, path, body, idempotent)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Sends a JSON body and reads nothing of the answer.
    pub(crate) async fn send_discarding<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotent: bool,
    ) -> Result<(), ArrError> {
        self.http
            .send_discarding(method, path, body, idempotent)
            .await
            .map_err(|e| self.fail(e))
    }

    /// Wraps an HTTP failure with the instance name.
    pub(crate) fn fail(&self, error: UpstreamError) -> ArrError {
        ArrError::new(self.instance, ArrErrorKind::Upstream(error))
    }
}

/// Whether an add was refused because the title is already there — the apps answer 400 with
/// `[{"propertyName":"TmdbId","errorMessage":"This movie has already been added",…}]`. Other
/// `…ExistsValidator`s (`QualityProfileExistsValidator`) say the opposite: an id is missing.
pub(crate) fn is_already_added(error: &ArrError) -> bool {
    matches!(
        error.upstream(),
        Some(UpstreamError::Status { status: 400, excerpt })
            if excerpt.contains("already been added")
                || excerpt.contains("MovieExistsValidator")
                || excerpt.contains("SeriesExistsValidator")
    )
}

/// Whether an add was refused because the app's metadata source does not know the id: Radarr
/// and Sonarr answer 400 with `A movie (series) with this ID was not found`.
pub(crate) fn is_unknown_id(error: &ArrError) -> bool {
    match error.upstream() {
        Some(UpstreamError::NotFound) => true,
        Some(UpstreamError::Status {
            status: 400,
            excerpt,
        }) => excerpt.contains("was not found"),
        _ => false,
    }
}

/// Whether an add was refused by the app's validation for another reason than the title being
/// there or unknown — most likely a quality profile, root folder, tag or language profile id
/// that no longer exists. The caller forgets the cache and tries once more.
pub(crate) fn may_be_stale(error: &ArrError) -> bool {
    matches!(
        error.upstream(),
        Some(UpstreamError::Status { status: 400, .. })
    ) && !is_already_added(error)
        && !is_unknown_id(error)
}

/// Where an approver asked a title to go within an instance, and with which tags; each part
/// `None` keeps the instance's configured one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Destination<'a> {
    /// A quality profile by id or name.
    pub quality_profile: Option<&'a str>,
    /// A root folder by id or path.
    pub root_folder: Option<&'a str>,
    /// Tag labels in place of the configured ones (the requester's tag is added anyway).
    pub tags: Option<&'a [String]>,
}

/// The profile named (or numbered) in the configuration, else the first.
pub fn pick_profile<'a>(
    profiles: &'a [QualityProfile],
    wanted: Option<&str>,
) -> Option<&'a QualityProfile> {
    let Some(wanted) = wanted.map(str::trim).filter(|w| !w.is_empty()) else {
        return profiles.first();
    };
    let by_id = wanted.parse::<i64>().ok();
    profiles.iter().find(|p| Some(p.id) == by_id).or_else(|| {
        profiles.iter().find(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
        })
    })
}

/// The root folder given by path (trailing slash ignored) or id in the configuration, else the
/// first.
pub fn pick_root_folder<'a>(
    folders: &'a [RootFolder],
    wanted: Option<&str>,
) -> Option<&'a RootFolder> {
    let Some(wanted) = wanted.map(str::trim).filter(|w| !w.is_empty()) else {
        return folders.first();
    };
    let by_id = wanted.parse::<i64>().ok();
    let bare = |p: &str| p.trim_end_matches(['/', '\\']).to_owned();
    folders.iter().find(|f| Some(f.id) == by_id).or_else(|| {
        folders
            .iter()
            .find(|f| f.path.as_deref().is_some_and(|p| bare(p) == bare(wanted)))
    })
}

fn missing(what: &str, wanted: Option<&str>, have: &[&str]) -> String {
    match wanted {
        Some(wanted) => format!("no {what} {wanted:?} (has: {})", have.join(", ")),
        None => format!("has no {what}"),
    }
}

/// A label Radarr and Sonarr accept (`^[a-z0-9-]+$`, stored lower-case): other characters
/// become `-`, runs of `-` collapse, and the ends are trimmed. `None` when nothing is left.
pub fn tag_label(raw: &str) -> Option<String> {
    let mut label = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if !(c == '-' && (label.is_empty() || label.ends_with('-'))) {
            label.push(c);
        }
        if label.len() >= MAX_TAG_CHARS {
            break;
        }
    }
    let label = label.trim_end_matches('-');
    (!label.is_empty()).then(|| label.to_owned())
}

/// The tag naming who asked for a title: `usher-<name>`, or `usher-user-<id>` when the name has
/// nothing usable in a tag.
pub fn requester_tag(display_name: &str, user_id: i64) -> String {
    match tag_label(display_name) {
        Some(name) => format!("usher-{name}"),
        None => format!("usher-user-{user_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_labels_follow_the_apps_rule() {
        assert_eq!(tag_label("Alice"), Some("alice".into()));
        assert_eq!(tag_label("  Bob  Smith!! "), Some("bob-smith".into()));
        assert_eq!(tag_label("usher-dj_K.9"), Some("usher-dj-k-9".into()));
        assert_eq!(tag_label("José"), Some("jos".into()));
        assert_eq!(tag_label("日本"), None);
        assert_eq!(tag_label("---"), None);
        assert_eq!(
            tag_label(&"x".repeat(200)).map(|l| l.len()),
            Some(MAX_TAG_CHARS)
        );
        assert_eq!(requester_tag("Ünïcode Fan", 7), "usher-n-code-fan");
        assert_eq!(requester_tag("🙂", 7), "usher-user-7");
        for raw in ["A b", "a--b", "-a-", "ÄÖ", "x y z 1 2 3"] {
            if let Some(label) = tag_label(raw) {
                assert!(
                    label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                );
                assert!(!label.starts_with('-') && !label.ends_with('-') && !label.contains("--"));
            }
        }
    }

    #[test]
    fn profiles_and_folders_by_id_name_or_first() {
        let profiles = vec![
            QualityProfile {
                id: 1,
                name: Some("Any".into()),
            },
            QualityProfile {
                id: 4,
                name: Some("HD-1080p".into()),
            },
        ];
        assert_eq!(pick_profile(&profiles, None).map(|p| p.id), Some(1));
        assert_eq!(
            pick_profile(&profiles, Some("hd-1080p")).map(|p| p.id),
            Some(4)
        );
        assert_eq!(pick_profile(&profiles, Some("4")).map(|p| p.id), Some(4));
        assert_eq!(pick_profile(&profiles, Some("Ultra")), None);
        assert_eq!(pick_profile(&[], None), None);
        let folder = |id, path: &str| RootFolder {
            id,
            path: Some(path.into()),
            accessible: Some(true),
            free_space: None,
        };
        let folders = vec![folder(1, "/movies"), folder(2, "/movies-4k/")];
        assert_eq!(
            pick_root_folder(&folders, Some("/movies-4k")).map(|f| f.id),
            Some(2)
        );
        assert_eq!(pick_root_folder(&folders, Some("2")).map(|f| f.id), Some(2));
        assert_eq!(pick_root_folder(&folders, Some("")).map(|f| f.id), Some(1));
        assert_eq!(pick_root_folder(&folders, Some("/tv")), None);
    }
}
