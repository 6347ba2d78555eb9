//! `usher check`'s report: for every configured upstream, whether it works as configured and
//! what an operator needs to see to fix it — each Radarr/Sonarr instance's quality profiles,
//! root folders (with free space) and tags, and whether the configured ones exist; each media
//! server's libraries; and for a refused key, which setting holds it and where to get a good one.
//! The binary only prints it; the exit code follows [`ServiceCheck::service`] (see
//! [`super::probe::SERVICES`]).

use std::future::Future;

use secrecy::ExposeSecret;

use super::arr::{
    ArrInstance, ArrInstances, ConnectionReport, pick_profile, pick_root_folder, tag_label,
};
use super::http::{HttpSettings, RetryPolicy, UpstreamError};
use super::mediaserver::{JellyfinClient, Library, PlexClient};
use super::probe::{self, ProbeFailure};
use crate::config::{ArrSettings, Settings};

/// What the check found about one configured upstream (one line, plus indented details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCheck {
    /// The service as operators know it, one of [`probe::SERVICES`] (it decides the exit code).
    pub service: &'static str,
    /// What works, e.g. `ok (5.26.2.10099)`; shown when there are no problems.
    pub summary: String,
    /// What is wrong, each a sentence naming the setting and the fix.
    pub problems: Vec<String>,
    /// What the operator should see either way: profiles, folders, tags, libraries.
    pub details: Vec<String>,
}

impl ServiceCheck {
    fn new(service: &'static str) -> Self {
        Self {
            service,
            summary: "ok".to_owned(),
            problems: Vec::new(),
            details: Vec::new(),
        }
    }

    /// A check that could not start (a client that cannot be built from the settings).
    fn failed(service: &'static str, problem: String) -> Self {
        let mut check = Self::new(service);
        check.problems.push(problem);
        check
    }

    /// Usable as configured.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Radarr/Sonarr instances: name, app, and the prefix of their settings.
const ARR: [(&str, &str, &str); 5] = [
    ("radarr", "Radarr", "USHER_RADARR"),
    ("radarr-4k", "Radarr", "USHER_RADARR_4K"),
    ("sonarr", "Sonarr", "USHER_SONARR"),
    ("sonarr-4k", "Sonarr", "USHER_SONARR_4K"),
    ("sonarr-anime", "Sonarr", "USHER_SONARR_ANIME"),
];

/// Services probed with one GET, their key's setting and where a good key comes from.
const SIMPLE: [(&str, &str, &str); 4] = [
    (
        "TMDB",
        "USHER_TMDB_API_KEY",
        "copy the API key (or the API Read Access Token) from themoviedb.org → Settings → API",
    ),
    (
        "Telegram",
        "USHER_TELEGRAM_TOKEN",
        "copy the bot's token from @BotFather (/token shows it again)",
    ),
    (
        "Discord",
        "USHER_DISCORD_TOKEN",
        "copy the bot token from the Discord Developer Portal → your application → Bot",
    ),
    ("OIDC", "", ""),
];

/// Checks every configured upstream at once (no retries); the result is in
/// [`probe::SERVICES`] order, the Radarr and Sonarr instances each in theirs.
pub async fn check_configured(settings: &Settings) -> Vec<ServiceCheck> {
    let http = HttpSettings {
        retry: RetryPolicy::none(),
        ..HttpSettings::with_timeout(settings.http_timeout)
    };
    let simple_names: Vec<&str> = SIMPLE.iter().map(|(s, _, _)| *s).collect();
    let simple = {
        let settings = settings.clone();
        tokio::spawn(async move { probe::probe_raw(&settings, &simple_names).await })
    };
    let mut arr = Vec::new();
    match ArrInstances::from_settings(settings, &http) {
        Ok(instances) => {
            for (name, app, prefix) in ARR {
                let (Some(instance), Some(config)) =
                    (instances.get(name), arr_settings(settings, name))
                else {
                    continue;
                };
                let tags = match app {
                    "Radarr" => settings.arr.radarr_tags.clone(),
                    _ => settings.arr.sonarr_tags.clone(),
                };
                let job = ArrJob {
                    instance: instance.clone(),
                    app,
                    prefix,
                    url: config.url.clone(),
                    configured: (config.quality_profile.clone(), config.root_folder.clone()),
                    tags,
                };
                arr.push(tokio::spawn(job.run()));
            }
        }
        Err(err) => {
            let mut check = ServiceCheck::new("Radarr");
            check
                .problems
                .push(format!("cannot build the Radarr/Sonarr clients: {err}"));
            arr.push(tokio::spawn(async move { check }));
        }
    }
    let jellyfin = settings.jellyfin.clone().map(|jf| {
        let http = http.clone();
        tokio::spawn(
            async move { check_jellyfin(&jf.url, jf.api_key.expose_secret(), &http).await },
        )
    });
    let plex = settings.plex.clone().map(|plex| {
        let http = http.clone();
        tokio::spawn(async move { check_plex(&plex.url, plex.token.expose_secret(), &http).await })
    });

    let mut checks = Vec::new();
    let mut simple = simple.await.unwrap_or_default();
    let take = |simple: &mut Vec<_>, service: &str| {
        simple
            .iter()
            .position(|(s, _, _)| *s == service)
            .map(|i| simple.remove(i))
    };
    if let Some(tmdb) = take(&mut simple, "TMDB") {
        checks.push(simple_check(tmdb));
    }
    for handle in arr {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Radarr", &err)));
    }
    if let Some(handle) = jellyfin {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Jellyfin", &err)));
    }
    if let Some(handle) = plex {
        checks.push(handle.await.unwrap_or_else(|err| stopped("Plex", &err)));
    }
    checks.extend(simple.into_iter().map(simple_check));
    checks
}

fn stopped(service: &'static str, err: &tokio::task::JoinError) -> ServiceCheck {
    let mut check = ServiceCheck::new(service);
    check.problems.push(format!("the check stopped: {err}"));
    check
}

fn arr_settings<'a>(settings: &'a Settings, name: &str) -> Option<&'a ArrSettings> {
    match name {
        "radarr" => settings.radarr.as_ref(),
        "radarr-4k" => settings.radarr_4k.as_ref(),
        "sonarr" => settings.sonarr.as_ref(),
        "sonarr-4k" => settings.sonarr_4k.as_ref(),
        "sonarr-anime" => settings.sonarr_anime.as_ref(),
        _ => None,
    }
}

/// `X is not accepted by <where> (HTTP 401): <fix>`.
fn refused(setting: &str, at: &str, err: &UpstreamError, fix: &str) -> String {
    let status = match err {
        UpstreamError::Unauthorized(status) => format!(" (HTTP {status})"),
        _ => String::new(),
    };
    format!("{setting} is not accepted by {at}{status}: {fix}")
}

fn simple_check(
    (service, url, answer): (&'static str, String, Result<Option<String>, ProbeFailure>),
) -> ServiceCheck {
    let mut check = ServiceCheck::new(service);
    match answer {
        Ok(version) => {
            if let Some(version) = version {
                check.summary = format!("ok ({version})");
            }
        }
        Err(ProbeFailure::Upstream(err @ UpstreamError::Unauthorized(_))) => {
            let (_, setting, fix) = SIMPLE
                .iter()
                .find(|(s, _, _)| *s == service)
                .copied()
                .unwrap_or_default();
            let at = if service == "Telegram" {
                // The Bot API URL would carry the token; name the service only.
                service.to_owned()
            } else {
                format!("{service} at {url}")
            };
            check.problems.push(if setting.is_empty() {
                format!("{at}: {err}")
            } else {
                refused(setting, &at, &err, fix)
            });
        }
        Err(failure) => check.problems.push(failure.to_string()),
    }
    check
}

/// One Radarr/Sonarr instance to check, with what its settings ask of it.
struct ArrJob {
    instance: ArrInstance,
    app: &'static str,
    prefix: &'static str,
    url: String,
    configured: (Option<String>, Option<String>),
    tags: Vec<String>,
}

impl ArrJob {
    async fn run(self) -> ServiceCheck {
        let report = self.instance.test_connection().await;
        self.judge(&report)
    }

    /// The instance as operators name it: `Radarr at URL`, or `Radarr (radarr-4k) at URL`.
    fn at(&self, name: &str) -> String {
        if name == self.app.to_ascii_lowercase() {
            format!("{} at {}", self.app, self.url)
        } else {
            format!("{} ({name}) at {}", self.app, self.url)
        }
    }

    fn judge(&self, report: &ConnectionReport) -> ServiceCheck {
        let mut check = ServiceCheck::new(self.app);
        let at = self.at(report.instance);
        if !report.authorized {
            check.problems.push(if report.key_refused {
                format!(
                    "{}_API_KEY is not accepted by {at}: copy the key from {} → Settings → General",
                    self.prefix, self.app
                )
            } else {
                format!("{at}: {}", report.problems.join("; "))
            });
            return check;
        }
        let version = report.version.as_deref().unwrap_or("unknown version");
        check.summary = if report.instance == self.app.to_ascii_lowercase() {
            format!("ok ({version})")
        } else {
            format!("ok ({}, {version})", report.instance)
        };
        if report.instance != self.app.to_ascii_lowercase() {
            check.details.push(format!("{}:", at));
        }
        self.profiles(report, &at, &mut check);
        self.folders(report, &at, &mut check);
        self.tag_line(report, &mut check);
        if !report.language_profiles.is_empty() {
            let names: Vec<String> = report
                .language_profiles
                .iter()
                .map(|p| p.name.clone().unwrap_or_else(|| p.id.to_string()))
                .collect();
            check
                .details
                .push(format!("language profiles: {}", names.join(", ")));
        }
        check
    }

    fn profiles(&self, report: &ConnectionReport, at: &str, check: &mut ServiceCheck) {
        let setting = format!("{}_QUALITY_PROFILE", self.prefix);
        let wanted = self.configured.0.as_deref();
        let names: Vec<String> = report
            .quality_profiles
            .iter()
            .map(|p| p.name.clone().unwrap_or_else(|| p.id.to_string()))
            .collect();
        let listed = if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        };
        match pick_profile(&report.quality_profiles, wanted) {
            Some(used) => {
                let name = used.name.clone().unwrap_or_else(|| used.id.to_string());
                let why = match wanted {
                    Some(_) => setting,
                    None => format!("the first; {setting} is not set"),
                };
                check
                    .details
                    .push(format!("quality profiles: {listed} — using {name} ({why})"));
            }
            None => {
                check.details.push(format!("quality profiles: {listed}"));
                check.problems.push(match wanted {
                    Some(wanted) => format!(
                        "{setting} is {wanted:?}, which {at} does not have; choose one of: {listed}"
                    ),
                    None => format!(
                        "{at} has no quality profile; create one in {} → Settings → Profiles",
                        self.app
                    ),
                });
            }
        }
    }

    fn folders(&self, report: &ConnectionReport, at: &str, check: &mut ServiceCheck) {
        let setting = format!("{}_ROOT_FOLDER", self.prefix);
        let wanted = self.configured.1.as_deref();
        let described: Vec<String> = report
            .root_folders
            .iter()
            .map(|f| {
                let path = f.path.clone().unwrap_or_else(|| f.id.to_string());
                match f.free_space {
                    Some(bytes) => format!("{path} ({} free)", human_bytes(bytes)),
                    None => path,
                }
            })
            .collect();
        let listed = if described.is_empty() {
            "none".to_owned()
        } else {
            described.join(", ")
        };
        match pick_root_folder(&report.root_folders, wanted) {
            Some(used) => {
                let path = used.path.clone().unwrap_or_else(|| used.id.to_string());
                let why = match wanted {
                    Some(_) => setting,
                    None => format!("the first; {setting} is not set"),
                };
                check
                    .details
                    .push(format!("root folders: {listed} — using {path} ({why})"));
                if used.accessible == Some(false) {
                    check.problems.push(format!(
                        "{at} cannot write to its root folder {path}; check the folder's permissions"
                    ));
                }
            }
            None => {
                check.details.push(format!("root folders: {listed}"));
                let paths: Vec<String> = report
                    .root_folders
                    .iter()
                    .map(|f| f.path.clone().unwrap_or_else(|| f.id.to_string()))
                    .collect();
                check.problems.push(match wanted {
                    Some(wanted) => format!(
                        "{setting} is {wanted:?}, which {at} does not have; choose one of: {}",
                        if paths.is_empty() {
                            "none (add one in Settings → Media Management)".to_owned()
                        } else {
                            paths.join(", ")
                        }
                    ),
                    None => format!(
                        "{at} has no root folder; add one in {} → Settings → Media Management",
                        self.app
                    ),
                });
            }
        }
    }

    fn tag_line(&self, report: &ConnectionReport, check: &mut ServiceCheck) {
        let existing: Vec<&str> = report
            .tags
            .iter()
            .filter_map(|t| t.label.as_deref())
            .collect();
        let mut line = format!(
            "tags: {}",
            if existing.is_empty() {
                "none yet".to_owned()
            } else {
                existing.join(", ")
            }
        );
        let (setting, title) = match self.app {
            "Radarr" => ("USHER_RADARR_TAGS", "movie"),
            _ => ("USHER_SONARR_TAGS", "series"),
        };
        let wanted: Vec<String> = self.tags.iter().filter_map(|t| tag_label(t)).collect();
        if wanted.is_empty() {
            line.push_str(&format!(" — every {title} added gets usher-<requester>"));
        } else {
            line.push_str(&format!(
                " — every {title} added gets {} ({setting}) and usher-<requester>",
                wanted.join(", ")
            ));
            let missing: Vec<&str> = wanted
                .iter()
                .filter(|w| !existing.iter().any(|e| e.eq_ignore_ascii_case(w)))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                line.push_str(&format!(
                    "; {} created on the first add",
                    missing.join(", ")
                ));
            }
        }
        check.details.push(line);
    }
}

/// Bytes in binary units as Radarr and Sonarr show them: `3.6 TiB`.
fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    #[allow(clippy::cast_precision_loss)] // one decimal is shown
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn library_line(libraries: &[Library]) -> String {
    if libraries.is_empty() {
        return "libraries: none".to_owned();
    }
    let listed: Vec<String> = libraries
        .iter()
        .map(|l| format!("{} ({})", l.name, l.kind))
        .collect();
    format!("libraries: {}", listed.join(", "))
}

/// Whether a media server has somewhere for movies or shows, else the reconcile job finds nothing.
fn note_media(libraries: &[Library], check: &mut ServiceCheck) {
    let media = ["movies", "tvshows", "movie", "show", "mixed"];
    if !libraries.iter().any(|l| media.contains(&l.kind.as_str())) {
        check
            .details
            .push("no movie or show library: Usher will not see anything become available".into());
    }
}

fn upstream_problem(
    check: &mut ServiceCheck,
    err: &UpstreamError,
    setting: &str,
    at: &str,
    fix: &str,
) {
    check.problems.push(match err {
        UpstreamError::Unauthorized(_) => refused(setting, at, err, fix),
        UpstreamError::Malformed(_) => "answered, but not with JSON (wrong URL?)".to_owned(),
        other => format!("{at}: {other}"),
    });
}

/// Where a media server's answers are checked and what to tell the operator when its key is
/// refused.
struct Door<'a> {
    at: String,
    setting: &'a str,
    fix: &'a str,
}

async fn check_jellyfin(url: &str, key: &str, http: &HttpSettings) -> ServiceCheck {
    let door = Door {
        at: format!("Jellyfin at {url}"),
        setting: "USHER_JELLYFIN_API_KEY",
        fix: "create a key in Jellyfin → Dashboard → API Keys (Emby: Settings → API Keys)",
    };
    match JellyfinClient::new(url, key, http) {
        Ok(client) => media_server("Jellyfin", &door, client.version(), client.libraries()).await,
        Err(err) => ServiceCheck::failed("Jellyfin", err.to_string()),
    }
}

async fn check_plex(url: &str, token: &str, http: &HttpSettings) -> ServiceCheck {
    let door = Door {
        at: format!("Plex at {url}"),
        setting: "USHER_PLEX_TOKEN",
        fix: "use the X-Plex-Token of the server owner's account (Plex support: \"Finding an authentication token\")",
    };
    match PlexClient::new(url, token, http) {
        // `/identity` takes no token; listing the libraries is what proves it.
        Ok(client) => media_server("Plex", &door, client.version(), client.libraries()).await,
        Err(err) => ServiceCheck::failed("Plex", err.to_string()),
    }
}

/// A media server's version, then its libraries: the same steps for Jellyfin and Plex.
async fn media_server(
    name: &'static str,
    door: &Door<'_>,
    version: impl Future<Output = Result<Option<String>, UpstreamError>>,
    libraries: impl Future<Output = Result<Vec<Library>, UpstreamError>>,
) -> ServiceCheck {
    let mut check = ServiceCheck::new(name);
    match version.await {
        Ok(Some(version)) => check.summary = format!("ok ({version})"),
        Ok(None) => {}
        Err(err) => {
            upstream_problem(&mut check, &err, door.setting, &door.at, door.fix);
            return check;
        }
    }
    match libraries.await {
        Ok(libraries) => {
            check.details.push(library_line(&libraries));
            note_media(&libraries, &mut check);
        }
        Err(err) => upstream_problem(&mut check, &err, door.setting, &door.at, door.fix),
    }
    check
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn free_space_reads_like_the_apps() {
        assert_eq!(human_bytes(4_000_000_000_000), "3.6 TiB");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
