//! Plex as an index source (`X-Plex-Token`, JSON with `Accept: application/json`).
//!
//! A full pass reads the machine identifier (`/identity`, part of every item link), the
//! sections (`/library/sections`), then each movie and show section
//! (`/library/sections/{key}/all?includeGuids=1`, paged with `X-Plex-Container-Start/Size`) and
//! each show section's seasons (`type=3`: `parentRatingKey`, `index`, `leafCount`), matching
//! items by their `Guid` entries (`tmdb://603`). Plex lists a season only when it holds
//! episodes and knows no missing ones, so a season counts its episodes as both present and
//! known. An incremental pass asks each section for items updated since the last pass
//! (`updatedAt>>=`) and episodes added since (`type=4`, `addedAt>>=`), and re-reads the seasons
//! of the shows they touch.

use std::collections::{HashMap, HashSet};

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use super::LibraryIndex;
use super::context::{IdMap, IndexSource, Listing, Pager};
use crate::domain::{IndexedTitle, MediaType, SourceInfo, Timestamp};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};
use crate::integrations::mediaserver::{parse_tmdb, parse_tvdb};

/// Items per page.
const PAGE: u32 = 5_000;

/// A Plex Media Server the index reads.
#[derive(Debug)]
pub struct PlexSource {
    info: SourceInfo,
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
    machine_identifier: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Directory {
    #[serde(deserialize_with = "key_text")]
    key: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(deserialize_with = "key_text")]
    rating_key: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, rename = "Guid")]
    guids: Vec<GuidRef>,
    #[serde(default)]
    index: Option<i64>,
    #[serde(default)]
    leaf_count: Option<i64>,
    #[serde(default, deserialize_with = "opt_key_text")]
    parent_rating_key: Option<String>,
    #[serde(default, deserialize_with = "opt_key_text")]
    grandparent_rating_key: Option<String>,
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
    fn guid(&self, scheme: &str) -> Option<&str> {
        self.guids
            .iter()
            .find_map(|g| g.id.strip_prefix(scheme)?.strip_prefix("://"))
    }
}

/// Plex sends keys as strings; accept numbers too rather than fail a pass.
fn key_text<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(de)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a key, got {other}"
        ))),
    }
}

fn opt_key_text<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    key_text(de).map(Some)
}

/// Plex keys are digits; anything else never reaches a URL path.
fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 20 && key.bytes().all(|b| b.is_ascii_digit())
}

impl PlexSource {
    /// A source for the server at `base_url` with an `X-Plex-Token`.
    pub fn new(
        info: SourceInfo,
        base_url: &str,
        token: &str,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        let auth = Auth::Header("X-Plex-Token", SecretString::from(token.to_owned()));
        Ok(Self {
            http: Upstream::new("Plex", base_url, auth, http)?,
            info,
            page: PAGE,
        })
    }

    /// Changes the page size (tests page small libraries).
    #[must_use]
    pub fn with_page_size(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    async fn sections(&self) -> Result<Vec<Directory>, UpstreamError> {
        let sections: Envelope = self.http.get_json("/library/sections", &[]).await?;
        Ok(sections
            .container
            .directories
            .into_iter()
            .filter(|d| (d.kind == "movie" || d.kind == "show") && valid_key(&d.key))
            .collect())
    }

    /// Every item of a section (of a Plex `type` when given), page by page.
    async fn list(
        &self,
        section: &str,
        kind: Option<u8>,
        filter: Option<(&'static str, String)>,
        mut each: impl FnMut(Metadata),
    ) -> Result<(), UpstreamError> {
        let path = format!("/library/sections/{section}/all");
        let mut pager = Pager::new(self.page);
        loop {
            let mut query = vec![
                ("includeGuids", "1".to_owned()),
                ("X-Plex-Container-Start", pager.start().to_string()),
                ("X-Plex-Container-Size", pager.size().to_string()),
            ];
            if let Some(kind) = kind {
                query.push(("type", kind.to_string()));
            }
            if let Some(filter) = &filter {
                query.push(filter.clone());
            }
            let page: Envelope = self.http.get_json(&path, &query).await?;
            let got = page.container.metadata.len();
            let first = page
                .container
                .metadata
                .first()
                .map(|m| m.rating_key.clone());
            page.container.metadata.into_iter().for_each(&mut each);
            if !pager.advance(got, page.container.total_size, first.as_deref())? {
                return Ok(());
            }
        }
    }

    fn title_of(
        &self,
        item: &Metadata,
        ids: &IdMap,
        listing: &mut Listing,
    ) -> Option<IndexedTitle> {
        let media_type = match item.kind.as_deref() {
            Some("movie") => MediaType::Movie,
            Some("show") => MediaType::Tv,
            _ => return None,
        };
        let tvdb = item.guid("tvdb").and_then(parse_tvdb);
        let tmdb = item.guid("tmdb").and_then(parse_tmdb).or_else(|| {
            tvdb.and_then(|t| ids.tmdb(t))
                .filter(|_| media_type == MediaType::Tv)
        });
        let Some(tmdb) = tmdb else {
            listing.skipped += 1;
            return None;
        };
        let mut title = IndexedTitle::new(media_type, tmdb);
        title.tvdb = tvdb;
        title.imdb = item.guid("imdb").map(Into::into);
        title.item = Some(item.rating_key.as_str().into());
        title.four_k = item.media.iter().any(|m| {
            m.video_resolution
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("4k"))
        });
        title.present = media_type == MediaType::Movie;
        Some(title)
    }

    async fn identity(&self, listing: &mut Listing) -> Result<(), UpstreamError> {
        let identity: Envelope = self.http.get_json("/identity", &[]).await?;
        listing.server_id = identity.container.machine_identifier;
        Ok(())
    }

    async fn full_listing(&self, ids: &IdMap) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        self.identity(&mut listing).await?;
        let mut titles = Vec::new();
        let mut seasons: HashMap<String, Vec<(u16, u16, u16)>> = HashMap::new();
        for section in self.sections().await? {
            let mut items = Vec::new();
            self.list(&section.key, None, None, |item| items.push(item))
                .await?;
            titles.extend(
                items
                    .iter()
                    .filter_map(|i| self.title_of(i, ids, &mut listing)),
            );
            if section.kind == "show" {
                self.list(&section.key, Some(3), None, |season| {
                    add_season(&mut seasons, &season)
                })
                .await?;
            }
        }
        apply_seasons(&mut titles, &seasons);
        listing.titles = titles;
        Ok(listing)
    }

    async fn changed_listing(
        &self,
        ids: &IdMap,
        since: Timestamp,
    ) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        let secs = (since.0 / 1000).to_string();
        let mut items = Vec::new();
        let mut touched: HashSet<String> = HashSet::new();
        for section in self.sections().await? {
            self.list(
                &section.key,
                None,
                Some(("updatedAt>>", secs.clone())),
                |item| items.push(item),
            )
            .await?;
            if section.kind == "show" {
                self.list(
                    &section.key,
                    Some(4),
                    Some(("addedAt>>", secs.clone())),
                    |episode| {
                        touched.extend(episode.grandparent_rating_key);
                    },
                )
                .await?;
            }
        }
        let listed: HashSet<String> = items.iter().map(|i| i.rating_key.clone()).collect();
        for key in touched
            .iter()
            .filter(|k| !listed.contains(*k) && valid_key(k))
        {
            let path = format!("/library/metadata/{key}");
            let found: Envelope = self
                .http
                .get_json(&path, &[("includeGuids", "1".to_owned())])
                .await?;
            items.extend(found.container.metadata);
        }
        let mut titles = Vec::new();
        let mut seasons: HashMap<String, Vec<(u16, u16, u16)>> = HashMap::new();
        for item in &items {
            let Some(title) = self.title_of(item, ids, &mut listing) else {
                continue;
            };
            if title.media_type == MediaType::Tv && valid_key(&item.rating_key) {
                let path = format!("/library/metadata/{}/children", item.rating_key);
                let children: Envelope = self.http.get_json(&path, &[]).await?;
                for mut season in children.container.metadata {
                    season.parent_rating_key = Some(item.rating_key.clone());
                    add_season(&mut seasons, &season);
                }
            }
            titles.push(title);
        }
        apply_seasons(&mut titles, &seasons);
        listing.titles = titles;
        Ok(listing)
    }
}

fn add_season(seasons: &mut HashMap<String, Vec<(u16, u16, u16)>>, season: &Metadata) {
    if season.kind.as_deref().is_some_and(|k| k != "season") {
        return;
    }
    let (Some(show), Some(index)) = (&season.parent_rating_key, season.index) else {
        return;
    };
    let Ok(number) = u16::try_from(index) else {
        return;
    };
    let episodes = u16::try_from(season.leaf_count.unwrap_or(0).max(0)).unwrap_or(u16::MAX);
    seasons
        .entry(show.clone())
        .or_default()
        .push((number, episodes, episodes));
}

fn apply_seasons(titles: &mut [IndexedTitle], seasons: &HashMap<String, Vec<(u16, u16, u16)>>) {
    for title in titles.iter_mut().filter(|t| t.media_type == MediaType::Tv) {
        if let Some(counts) = title.item.as_deref().and_then(|key| seasons.get(key)) {
            title.set_seasons(counts.iter().copied());
        }
    }
}

impl IndexSource for PlexSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn full<'a>(&'a self, ids: &'a IdMap) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.full_listing(ids))
    }

    fn changes<'a>(
        &'a self,
        ids: &'a IdMap,
        _index: &'a LibraryIndex,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.changed_listing(ids, since))
    }
}
