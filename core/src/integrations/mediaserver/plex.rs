//! Plex Media Server (token in the `X-Plex-Token` header, JSON with `Accept: application/json`).
//!
//! A pass lists `/library/sections`, then each movie or show section once
//! (`/library/sections/{key}/all?includeGuids=1`, paged with `X-Plex-Container-Start/Size`) and
//! matches the items' `Guid` entries (`tmdb://…`, `tvdb://…`) in memory. Seasons come from
//! `/library/metadata/{ratingKey}/children`, only for wanted shows that were found: Plex lists a
//! season only when it holds episodes, and says how many in `leafCount`.

use std::collections::HashMap;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};
use tokio::task::JoinSet;

use super::{Library, MediaServer, Presence, ShowPresence, Wanted, parse_tmdb, parse_tvdb};
use crate::domain::{Seasons, TmdbId, TvdbId};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};
use crate::integrations::pager::Pager;

/// Items per page when listing a section.
const PAGE: u32 = 10_000;
/// Season lookups in flight at once.
const PARALLEL: usize = 8;

/// A Plex Media Server.
#[derive(Debug)]
pub struct PlexClient {
    http: Upstream,
    page: u32,
}

#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(rename = "MediaContainer")]
    container: Container,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Container {
    #[serde(default, rename = "Directory")]
    directories: Vec<Directory>,
    #[serde(default, rename = "Metadata")]
    metadata: Vec<Metadata>,
    #[serde(default)]
    total_size: Option<u64>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    machine_identifier: Option<String>,
}

/// A library section of `/library/sections`.
#[derive(Debug, Deserialize)]
pub(crate) struct Directory {
    #[serde(deserialize_with = "string_or_number")]
    pub(crate) key: String,
    /// `movie`, `show`, `artist`…
    #[serde(rename = "type")]
    pub(crate) kind: String,
    #[serde(default)]
    title: Option<String>,
}

/// A movie, show, season or episode, with the fields the reconcile job and the library index
/// read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metadata {
    #[serde(deserialize_with = "string_or_number")]
    pub(crate) rating_key: String,
    #[serde(default, rename = "type")]
    pub(crate) kind: Option<String>,
    #[serde(default, rename = "Guid")]
    guids: Vec<GuidRef>,
    /// A season's number.
    #[serde(default)]
    pub(crate) index: Option<i64>,
    /// A season's episodes.
    #[serde(default)]
    pub(crate) leaf_count: Option<i64>,
    /// A season's show.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub(crate) parent_rating_key: Option<String>,
    /// An episode's show.
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub(crate) grandparent_rating_key: Option<String>,
    #[serde(default, rename = "Media")]
    media: Vec<Media>,
}

#[derive(Debug, Deserialize)]
struct GuidRef {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Media {
    #[serde(default)]
    video_resolution: Option<String>,
}

impl Metadata {
    /// The id a `Guid` entry of this scheme (`tmdb`, `tvdb`, `imdb`) gives.
    pub(crate) fn guid(&self, scheme: &str) -> Option<&str> {
        self.guids
            .iter()
            .find_map(|g| g.id.strip_prefix(scheme)?.strip_prefix("://"))
    }

    /// Its TMDB id.
    pub(crate) fn tmdb(&self) -> Option<TmdbId> {
        self.guid("tmdb").and_then(parse_tmdb)
    }

    /// Its TVDB id.
    pub(crate) fn tvdb(&self) -> Option<TvdbId> {
        self.guid("tvdb").and_then(parse_tvdb)
    }

    /// Whether a file of it is 4K.
    pub(crate) fn four_k(&self) -> bool {
        self.media.iter().any(|m| {
            m.video_resolution
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("4k"))
        })
    }
}

/// Plex sends `ratingKey` and `key` as strings; accept numbers too rather than fail a pass.
fn string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(de)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a key, got {other}"
        ))),
    }
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    string_or_number(de).map(Some)
}

/// Plex keys are digits; anything else never reaches a URL path.
pub(crate) fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 20 && key.bytes().all(|b| b.is_ascii_digit())
}

impl PlexClient {
    /// A client for the server at `base_url` with an `X-Plex-Token`.
    pub fn new(base_url: &str, token: &str, http: &HttpSettings) -> CoreResult<Self> {
        let auth = Auth::Header("X-Plex-Token", SecretString::from(token.to_owned()));
        Ok(Self {
            http: Upstream::new("Plex", base_url, auth, http)?,
            page: PAGE,
        })
    }

    /// Changes the listing page size (tests use small pages to exercise paging).
    pub fn with_page_size(self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self
        }
    }

    /// The server's version (`/identity`, which answers without a token).
    pub async fn version(&self) -> Result<Option<String>, UpstreamError> {
        let identity: Envelope = self.http.get_json("/identity", &[]).await?;
        Ok(identity.container.version)
    }

    /// The machine identifier Plex links need (`/identity`).
    pub(crate) async fn machine_identifier(&self) -> Result<Option<String>, UpstreamError> {
        let identity: Envelope = self.http.get_json("/identity", &[]).await?;
        Ok(identity.container.machine_identifier)
    }

    /// The library sections as the server lists them.
    pub(crate) async fn sections(&self) -> Result<Vec<Directory>, UpstreamError> {
        let sections: Envelope = self.http.get_json("/library/sections", &[]).await?;
        Ok(sections.container.directories)
    }

    /// Every library section (`/library/sections`, which needs the token — `/identity` does
    /// not, so this is also what proves the token is accepted).
    pub async fn libraries(&self) -> Result<Vec<Library>, UpstreamError> {
        Ok(self
            .sections()
            .await?
            .into_iter()
            .map(|d| Library {
                name: d.title.unwrap_or(d.key),
                kind: d.kind,
            })
            .collect())
    }

    /// Which wanted titles the server holds (see the module docs for how).
    pub async fn find_wanted(&self, wanted: &Wanted) -> Result<Presence, UpstreamError> {
        let mut presence = Presence::default();
        if wanted.is_empty() {
            return Ok(presence);
        }
        let mut shows: HashMap<String, TmdbId> = HashMap::new();
        for section in self.sections().await? {
            let relevant = match section.kind.as_str() {
                "movie" => wanted.has_movies(),
                "show" => wanted.has_shows(),
                _ => false,
            };
            if !relevant || !valid_key(&section.key) {
                continue;
            }
            for item in self.list_section(&section.key).await? {
                match item.kind.as_deref() {
                    Some("movie") => {
                        if let Some(tmdb) = item.tmdb().filter(|id| wanted.wants_movie(*id)) {
                            presence.movies.insert(tmdb);
                        }
                    }
                    Some("show") => {
                        if let Some(show) = wanted.show_matching(item.tmdb(), item.tvdb()) {
                            shows.insert(item.rating_key, show);
                        }
                    }
                    _ => {}
                }
            }
        }
        for (show, seasons) in self.seasons_of_many(shows).await? {
            if !seasons.is_empty() {
                presence.add_show(show, &seasons);
            }
        }
        Ok(presence)
    }

    /// A movie by its rating key (a `library.new` webhook names one): its TMDB id, if Plex
    /// knows it.
    pub async fn movie_by_rating_key(&self, key: &str) -> Result<Option<TmdbId>, UpstreamError> {
        let Some(item) = self.metadata(key).await? else {
            return Ok(None);
        };
        Ok(item.tmdb())
    }

    /// A show by its rating key: its ids and the seasons present.
    pub async fn show_by_rating_key(
        &self,
        key: &str,
    ) -> Result<Option<ShowPresence>, UpstreamError> {
        let Some(item) = self.metadata(key).await? else {
            return Ok(None);
        };
        let seasons = seasons_of(&self.http, &item.rating_key).await?;
        Ok(Some(ShowPresence {
            tmdb: item.tmdb(),
            tvdb: item.tvdb(),
            seasons,
        }))
    }

    /// One item by rating key (with its guids); `None` when Plex does not know it.
    pub(crate) async fn metadata(&self, key: &str) -> Result<Option<Metadata>, UpstreamError> {
        if !valid_key(key) {
            return Ok(None);
        }
        let path = format!("/library/metadata/{key}");
        let query = [("includeGuids", "1".to_owned())];
        match self.http.get_json::<Envelope>(&path, &query).await {
            Ok(found) => Ok(found.container.metadata.into_iter().next()),
            Err(UpstreamError::NotFound) => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn list_section(&self, key: &str) -> Result<Vec<Metadata>, UpstreamError> {
        let mut items = Vec::new();
        self.each_in_section(key, &[], |item| items.push(item))
            .await?;
        Ok(items)
    }

    /// Every item of a section (`/library/sections/{key}/all?includeGuids=1` and `query`),
    /// page by page (`X-Plex-Container-Start/Size` added here), handed to `each` a page at a
    /// time.
    pub(crate) async fn each_in_section(
        &self,
        key: &str,
        query: &[(&str, String)],
        mut each: impl FnMut(Metadata),
    ) -> Result<(), UpstreamError> {
        if !valid_key(key) {
            return Ok(());
        }
        let path = format!("/library/sections/{key}/all");
        let mut pager = Pager::new(self.page);
        loop {
            let mut paged = query.to_vec();
            paged.push(("includeGuids", "1".to_owned()));
            paged.push(("X-Plex-Container-Start", pager.start().to_string()));
            paged.push(("X-Plex-Container-Size", pager.size().to_string()));
            let page: Envelope = self.http.get_json(&path, &paged).await?;
            let items = page.container.metadata;
            let first = items.first().map(|m| m.rating_key.clone());
            let got = items.len();
            items.into_iter().for_each(&mut each);
            if !pager.advance(got, page.container.total_size, first.as_deref())? {
                return Ok(());
            }
        }
    }

    /// A show's seasons (`/library/metadata/{key}/children`).
    pub(crate) async fn children(&self, key: &str) -> Result<Vec<Metadata>, UpstreamError> {
        children(&self.http, key).await
    }

    async fn seasons_of_many(
        &self,
        shows: HashMap<String, TmdbId>,
    ) -> Result<Vec<(TmdbId, Seasons)>, UpstreamError> {
        let mut pending = shows.into_iter();
        let mut running = JoinSet::new();
        let mut done = Vec::new();
        loop {
            while running.len() < PARALLEL {
                let Some((key, show)) = pending.next() else {
                    break;
                };
                let http = self.http.clone();
                running.spawn(async move { (show, seasons_of(&http, &key).await) });
            }
            let Some(joined) = running.join_next().await else {
                return Ok(done);
            };
            let (show, seasons) = joined.map_err(|e| UpstreamError::Malformed(e.to_string()))?;
            done.push((show, seasons?));
        }
    }
}

/// Seasons of a show that hold at least one episode.
async fn seasons_of(http: &Upstream, key: &str) -> Result<Seasons, UpstreamError> {
    Ok(Seasons::new(children(http, key).await?.iter().filter_map(
        |season| {
            let has_episodes = season.leaf_count.unwrap_or(1) > 0;
            let is_season = season.kind.as_deref().is_none_or(|k| k == "season");
            let index = u16::try_from(season.index?).ok()?;
            (has_episodes && is_season).then_some(index)
        },
    )))
}

/// A show's seasons; nothing for a key that is not one.
async fn children(http: &Upstream, key: &str) -> Result<Vec<Metadata>, UpstreamError> {
    if !valid_key(key) {
        return Ok(Vec::new());
    }
    let path = format!("/library/metadata/{key}/children");
    let children: Envelope = http.get_json(&path, &[]).await?;
    Ok(children.container.metadata)
}

impl MediaServer for PlexClient {
    fn name(&self) -> &'static str {
        "Plex"
    }

    fn find<'a>(&'a self, wanted: &'a Wanted) -> BoxFuture<'a, Result<Presence, UpstreamError>> {
        Box::pin(self.find_wanted(wanted))
    }
}
