//! Jellyfin and Emby (one API family, `Authorization: MediaBrowser Token="…"`).
//!
//! Jellyfin 10.11 cannot filter `/Items` by provider id (it silently ignores Emby's
//! `AnyProviderIdEquals` and returns everything), so for Jellyfin a pass lists the movie and
//! series libraries page by page (`hasTmdbId`, `fields=ProviderIds`, no images or user data)
//! and matches in memory. Emby honours `AnyProviderIdEquals`, so there the wanted ids are asked
//! for in batches. Either way every returned item is checked against the wanted ids here, so a
//! server that ignores a filter costs time, never a wrong answer. Seasons come from
//! `/Shows/{id}/Episodes?isMissing=false`, only for wanted series that were found.

use std::collections::HashMap;

use secrecy::SecretString;
use serde::Deserialize;
use tokio::sync::OnceCell;
use tokio::task::JoinSet;

use super::{Library, MediaServer, Presence, ShowPresence, Wanted, parse_tmdb, parse_tvdb};
use crate::domain::{
    EpisodeNumber, LibraryItem, LibraryServer, MediaType, Seasons, TmdbId, TvdbId,
};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};
use crate::integrations::pager::Pager;

/// Which server of the family answers; decides how wanted ids are looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Jellyfin: list and match in memory.
    Jellyfin,
    /// Emby: `AnyProviderIdEquals` in batches.
    Emby,
}

/// Items per page when listing a Jellyfin library.
const PAGE: u32 = 10_000;
/// Provider ids per Emby `AnyProviderIdEquals` query.
const EMBY_BATCH: usize = 100;
/// Season lookups in flight at once.
const PARALLEL: usize = 8;

/// A Jellyfin or Emby server.
#[derive(Debug)]
pub struct JellyfinClient {
    http: Upstream,
    flavor: OnceCell<Flavor>,
    page: u32,
}

/// A page of `/Items` (or of `/Shows/{id}/Episodes`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ItemsPage {
    #[serde(default)]
    pub(crate) items: Vec<Item>,
    #[serde(default)]
    pub(crate) total_record_count: Option<u64>,
}

/// A movie, series or episode, with the fields the reconcile job and the library index read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Item {
    pub(crate) id: String,
    #[serde(default, rename = "Type")]
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) provider_ids: Option<HashMap<String, Option<String>>>,
    /// The video's width (`Fields=Width`), which tells a 4K file.
    #[serde(default)]
    pub(crate) width: Option<i64>,
    /// An episode's series.
    #[serde(default)]
    pub(crate) series_id: Option<String>,
    /// An episode's season number.
    #[serde(default)]
    pub(crate) parent_index_number: Option<i64>,
    /// An episode's number in its season.
    #[serde(default)]
    pub(crate) index_number: Option<i64>,
    /// `Virtual` for an episode the server knows of but has no file for.
    #[serde(default)]
    pub(crate) location_type: Option<String>,
}

impl Item {
    /// An episode's season and number, when both are there and in range.
    pub(crate) fn episode_number(&self) -> Option<EpisodeNumber> {
        let season = u16::try_from(self.parent_index_number?).ok()?;
        let episode = u16::try_from(self.index_number?).ok()?;
        EpisodeNumber::new(season, episode).ok()
    }

    /// A provider id (`Tmdb`, `Tvdb`, `Imdb`), whatever the case of its name.
    pub(crate) fn provider(&self, name: &str) -> Option<&str> {
        self.provider_ids
            .as_ref()?
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_deref())
    }

    /// Its TMDB id.
    pub(crate) fn tmdb(&self) -> Option<TmdbId> {
        self.provider("Tmdb").and_then(parse_tmdb)
    }

    /// Its TVDB id.
    pub(crate) fn tvdb(&self) -> Option<TvdbId> {
        self.provider("Tvdb").and_then(parse_tvdb)
    }

    /// Whether it is of this `Type` (`Movie`, `Series`, `Episode`).
    pub(crate) fn is(&self, kind: &str) -> bool {
        self.kind.as_deref() == Some(kind)
    }

    /// Whether its file is there (not a virtual "missing" placeholder).
    pub(crate) fn on_disk(&self) -> bool {
        self.location_type.as_deref() != Some("Virtual")
    }
}

/// `GET /System/Info/Public`: which product, and its server id.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PublicInfo {
    #[serde(default)]
    pub(crate) product_name: Option<String>,
    #[serde(default)]
    pub(crate) id: Option<String>,
}

impl PublicInfo {
    /// Emby says so in its product name; anything else is Jellyfin.
    pub(crate) fn flavor(&self) -> Flavor {
        let emby = self
            .product_name
            .as_deref()
            .is_some_and(|name| name.to_ascii_lowercase().contains("emby"));
        if emby { Flavor::Emby } else { Flavor::Jellyfin }
    }
}

/// `GET /System/Info`, the part `usher check` shows.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SystemInfo {
    #[serde(default)]
    version: Option<String>,
}

/// `GET /Library/VirtualFolders`: one configured library.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VirtualFolder {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    collection_type: Option<String>,
}

impl JellyfinClient {
    /// A client for the server at `base_url` with an API key from its dashboard. Whether it is
    /// Jellyfin or Emby is asked once, on first use (`/System/Info/Public`).
    pub fn new(base_url: &str, api_key: &str, http: &HttpSettings) -> CoreResult<Self> {
        Self::named("Jellyfin", base_url, api_key, http)
    }

    /// A client whose errors name the server `service` (`Emby` for a server configured as
    /// Emby).
    pub(crate) fn named(
        service: &'static str,
        base_url: &str,
        api_key: &str,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        let auth = Auth::MediaBrowser(SecretString::from(api_key.to_owned()));
        Ok(Self {
            http: Upstream::new(service, base_url, auth, http)?,
            flavor: OnceCell::new(),
            page: PAGE,
        })
    }

    /// Skips flavor detection (tests, or an operator who knows).
    pub fn with_flavor(self, flavor: Flavor) -> Self {
        Self {
            flavor: OnceCell::new_with(Some(flavor)),
            ..self
        }
    }

    /// Changes the listing page size (tests use small pages to exercise paging).
    pub fn with_page_size(self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self
        }
    }

    /// The server's version (`/System/Info`, which needs the key — so this also proves it).
    pub async fn version(&self) -> Result<Option<String>, UpstreamError> {
        let info: SystemInfo = self.http.get_json("/System/Info", &[]).await?;
        Ok(info.version)
    }

    /// Every library (`/Library/VirtualFolders`, which needs an administrator's key, as an API
    /// key from the dashboard is).
    pub async fn libraries(&self) -> Result<Vec<Library>, UpstreamError> {
        let folders: Vec<VirtualFolder> =
            self.http.get_json("/Library/VirtualFolders", &[]).await?;
        Ok(folders
            .into_iter()
            .map(|f| Library {
                name: f.name.unwrap_or_default(),
                kind: f.collection_type.unwrap_or_else(|| "mixed".to_owned()),
            })
            .collect())
    }

    /// Jellyfin or Emby, asked once.
    pub async fn flavor(&self) -> Result<Flavor, UpstreamError> {
        self.flavor
            .get_or_try_init(|| async { Ok(self.public_info().await?.flavor()) })
            .await
            .copied()
    }

    /// `/System/Info/Public`: the product and the server id (answers without a key).
    pub(crate) async fn public_info(&self) -> Result<PublicInfo, UpstreamError> {
        self.http.get_json("/System/Info/Public", &[]).await
    }

    /// Every item `/Items` lists for `query`, page by page (`StartIndex`/`Limit` added here),
    /// handed to `each` a page at a time.
    pub(crate) async fn each_item(
        &self,
        query: &[(&str, String)],
        mut each: impl FnMut(Item),
    ) -> Result<(), UpstreamError> {
        let mut pager = Pager::new(self.page);
        loop {
            let mut paged = query.to_vec();
            paged.push(("startIndex", pager.start().to_string()));
            paged.push(("limit", pager.size().to_string()));
            let page: ItemsPage = self.http.get_json("/Items", &paged).await?;
            let got = page.items.len();
            let first = page.items.first().map(|i| i.id.clone());
            page.items.into_iter().for_each(&mut each);
            if !pager.advance(got, page.total_record_count, first.as_deref())? {
                return Ok(());
            }
        }
    }

    /// One unpaged `/Items` answer (items asked for by id).
    pub(crate) async fn items(&self, query: &[(&str, String)]) -> Result<Vec<Item>, UpstreamError> {
        let page: ItemsPage = self.http.get_json("/Items", query).await?;
        Ok(page.items)
    }

    /// A series' episodes (`/Shows/{id}/Episodes`). Emby's ids are numbers, Jellyfin's GUIDs:
    /// an id of anything but letters, digits and dashes never reaches the path.
    pub(crate) async fn episodes(
        &self,
        series_id: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<Item>, UpstreamError> {
        let safe = series_id.len() <= 64
            && series_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if series_id.is_empty() || !safe {
            return Ok(Vec::new());
        }
        let path = format!("/Shows/{series_id}/Episodes");
        let page: ItemsPage = self.http.get_json(&path, query).await?;
        Ok(page.items)
    }

    /// Which wanted titles the server holds (see the module docs for how).
    pub async fn find_wanted(&self, wanted: &Wanted) -> Result<Presence, UpstreamError> {
        let mut presence = Presence::default();
        if wanted.is_empty() {
            return Ok(presence);
        }
        let flavor = self.flavor().await?;
        let items = match flavor {
            Flavor::Jellyfin => self.list_library(wanted).await?,
            Flavor::Emby => self.ask_by_provider_ids(wanted).await?,
        };
        let mut series: HashMap<String, TmdbId> = HashMap::new();
        for item in &items {
            if item.is("Movie") {
                if let Some(tmdb) = item.tmdb().filter(|id| wanted.wants_movie(*id)) {
                    presence.movies.insert(tmdb);
                    remember(&mut presence, flavor, (MediaType::Movie, tmdb), &item.id);
                }
            } else if item.is("Series")
                && valid_item_id(&item.id)
                && let Some(show) = wanted.show_matching(item.tmdb(), item.tvdb())
            {
                series.insert(item.id.clone(), show);
            }
        }
        let ids: HashMap<TmdbId, String> = series.iter().map(|(id, s)| (*s, id.clone())).collect();
        for (show, seasons) in self.seasons_of_many(series).await? {
            if !seasons.is_empty() {
                presence.add_show(show, &seasons);
                remember(&mut presence, flavor, (MediaType::Tv, show), &ids[&show]);
            }
        }
        Ok(presence)
    }

    /// A series by its server item id (webhooks name episodes by `SeriesId`): its provider ids
    /// and the seasons present. `None` when the server does not know the id.
    pub async fn series_by_item_id(
        &self,
        item_id: &str,
    ) -> Result<Option<ShowPresence>, UpstreamError> {
        if !valid_item_id(item_id) {
            return Ok(None);
        }
        let query = [
            ("ids", item_id.to_owned()),
            ("fields", "ProviderIds".to_owned()),
            ("enableImages", "false".to_owned()),
            ("enableUserData", "false".to_owned()),
        ];
        let page: ItemsPage = self.http.get_json("/Items", &query).await?;
        let Some(series) = page.items.into_iter().find(|i| i.is("Series")) else {
            return Ok(None);
        };
        let seasons = seasons_of(&self.http, &series.id).await?;
        Ok(Some(ShowPresence {
            tmdb: series.tmdb(),
            tvdb: series.tvdb(),
            seasons,
        }))
    }

    async fn list_library(&self, wanted: &Wanted) -> Result<Vec<Item>, UpstreamError> {
        let mut items = Vec::new();
        if wanted.has_movies() {
            items.extend(self.list_kind("Movie", true).await?);
        }
        if wanted.has_shows() {
            items.extend(self.list_kind("Series", false).await?);
        }
        Ok(items)
    }

    async fn list_kind(&self, kind: &str, need_tmdb: bool) -> Result<Vec<Item>, UpstreamError> {
        let mut query = vec![
            ("recursive", "true".to_owned()),
            ("includeItemTypes", kind.to_owned()),
            ("fields", "ProviderIds".to_owned()),
            ("enableImages", "false".to_owned()),
            ("enableUserData", "false".to_owned()),
        ];
        if need_tmdb {
            query.push(("hasTmdbId", "true".to_owned()));
        }
        let mut items = Vec::new();
        self.each_item(&query, |item| items.push(item)).await?;
        Ok(items)
    }

    async fn ask_by_provider_ids(&self, wanted: &Wanted) -> Result<Vec<Item>, UpstreamError> {
        let movie_ids: Vec<String> = wanted
            .movies()
            .iter()
            .map(|id| format!("tmdb.{id}"))
            .collect();
        let mut show_ids = Vec::new();
        for (tmdb, tvdb) in wanted.shows() {
            show_ids.push(format!("tmdb.{tmdb}"));
            if let Some(tvdb) = tvdb {
                show_ids.push(format!("tvdb.{}", tvdb.get()));
            }
        }
        let mut items = Vec::new();
        for (kind, ids) in [("Movie", movie_ids), ("Series", show_ids)] {
            for chunk in ids.chunks(EMBY_BATCH) {
                let query = [
                    ("recursive", "true".to_owned()),
                    ("includeItemTypes", kind.to_owned()),
                    ("fields", "ProviderIds".to_owned()),
                    ("enableImages", "false".to_owned()),
                    ("enableUserData", "false".to_owned()),
                    ("AnyProviderIdEquals", chunk.join(",")),
                ];
                let page: ItemsPage = self.http.get_json("/Items", &query).await?;
                items.extend(page.items);
            }
        }
        Ok(items)
    }

    async fn seasons_of_many(
        &self,
        series: HashMap<String, TmdbId>,
    ) -> Result<Vec<(TmdbId, Seasons)>, UpstreamError> {
        let mut pending = series.into_iter();
        let mut running = JoinSet::new();
        let mut done = Vec::new();
        loop {
            while running.len() < PARALLEL {
                let Some((item_id, show)) = pending.next() else {
                    break;
                };
                let http = self.http.clone();
                running.spawn(async move { (show, seasons_of(&http, &item_id).await) });
            }
            let Some(joined) = running.join_next().await else {
                return Ok(done);
            };
            let (show, seasons) = joined.map_err(|e| UpstreamError::Malformed(e.to_string()))?;
            done.push((show, seasons?));
        }
    }
}

/// Notes where a found title sits, so its card can open it on the server. Jellyfin only: Emby
/// opens items at another address, so it gets no links yet.
fn remember(presence: &mut Presence, flavor: Flavor, title: (MediaType, TmdbId), item_id: &str) {
    if flavor != Flavor::Jellyfin || !valid_item_id(item_id) {
        return;
    }
    let item = LibraryItem {
        server: LibraryServer::Jellyfin,
        item_id: item_id.to_owned(),
        machine_id: None,
    };
    presence.items.insert(title, item);
}

/// Jellyfin ids are GUIDs, with or without dashes; anything else never reaches a URL path.
pub fn valid_item_id(id: &str) -> bool {
    (32..=36).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// Seasons with at least one episode on disk (not a virtual "missing" placeholder).
async fn seasons_of(http: &Upstream, series_id: &str) -> Result<Seasons, UpstreamError> {
    let query = [
        ("isMissing", "false".to_owned()),
        ("enableImages", "false".to_owned()),
        ("enableUserData", "false".to_owned()),
    ];
    let path = format!("/Shows/{series_id}/Episodes");
    let page: ItemsPage = http.get_json(&path, &query).await?;
    Ok(Seasons::new(page.items.iter().filter_map(|episode| {
        let real = episode.location_type.as_deref() != Some("Virtual");
        let season = episode.parent_index_number?;
        real.then(|| u16::try_from(season).ok()).flatten()
    })))
}

impl MediaServer for JellyfinClient {
    fn name(&self) -> &'static str {
        match self.flavor.get() {
            Some(Flavor::Emby) => "Emby",
            _ => "Jellyfin",
        }
    }

    fn find<'a>(&'a self, wanted: &'a Wanted) -> BoxFuture<'a, Result<Presence, UpstreamError>> {
        Box::pin(self.find_wanted(wanted))
    }
}
