//! A fake Jellyfin 10.11 (or Emby) server with a small library tests add to while running.
//!
//! It answers what Usher asks, shaped per `jellyfin-openapi-10.11.11.json`: `/System/Info/Public`,
//! `/System/Info` and `/Library/VirtualFolders` (a Movies and a Shows library), `/Items` (`recursive`, `includeItemTypes`, `hasTmdbId`, `fields`, `ids`, `startIndex`, `limit`,
//! …) and `/Shows/{seriesId}/Episodes` (`isMissing`, `season`). Like the real server, query
//! names are case-insensitive, list parameters come repeated or comma-joined, a badly typed value
//! is a 400, unknown parameters are ignored — including `AnyProviderIdEquals`, which only the
//! Emby flavor honours — and ProviderIds are returned only when `fields` asks for them. Auth is
//! `Authorization: MediaBrowser Token="…"` (or `X-Emby-Token`); anything else is a 401.

#![allow(clippy::result_large_err)] // a refusal is the fake's HTTP answer itself; boxing it buys nothing here

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::server::FakeServer;

mod items;

/// Which product the fake claims to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Jellyfin 10.11: ignores `AnyProviderIdEquals`.
    Jellyfin,
    /// Emby: filters by `AnyProviderIdEquals`.
    Emby,
}

#[derive(Debug, Clone)]
struct Movie {
    id: String,
    name: String,
    tmdb: Option<u32>,
    /// Video width in pixels (3840 for a 4K file).
    width: u32,
    /// `DateLastSaved`, milliseconds since the epoch.
    saved: i64,
}

#[derive(Debug, Clone)]
struct Series {
    id: String,
    name: String,
    tmdb: Option<u32>,
    tvdb: Option<u32>,
    /// (season, episode, on disk, saved)
    episodes: Vec<(u16, u16, bool, i64)>,
    saved: i64,
}

#[derive(Debug)]
struct Library {
    api_key: String,
    product: Product,
    movies: Vec<Movie>,
    series: Vec<Series>,
    next: u64,
    /// Answer every `/Items` page as the first one, with an ever larger total (a server that
    /// ignores `StartIndex`).
    ignore_paging: bool,
}

/// Now, in milliseconds since the epoch (the fake's `DateLastSaved` clock).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// A running fake Jellyfin with its library.
pub struct FakeJellyfin {
    /// The server (URL, recorded requests, faults).
    pub server: FakeServer,
    library: Arc<Mutex<Library>>,
}

impl FakeJellyfin {
    /// A fake Jellyfin 10.11 accepting `api_key`.
    pub async fn start(api_key: &str) -> Self {
        Self::start_as(api_key, Product::Jellyfin).await
    }

    /// A fake of the given product accepting `api_key`.
    pub async fn start_as(api_key: &str, product: Product) -> Self {
        let library = Arc::new(Mutex::new(Library {
            api_key: api_key.to_owned(),
            product,
            movies: Vec::new(),
            series: Vec::new(),
            next: 1,
            ignore_paging: false,
        }));
        let router = Router::new()
            .route("/System/Info/Public", get(public_info))
            .route("/System/Info", get(system_info))
            .route("/Library/VirtualFolders", get(virtual_folders))
            .route("/Items", get(items::items))
            .route("/Shows/{series_id}/Episodes", get(episodes))
            .with_state(library.clone());
        let server = FakeServer::start(router).await;
        Self { server, library }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// Adds a movie; returns its item id (32 hex digits, as Jellyfin writes GUIDs).
    pub fn add_movie(&self, tmdb: u32, name: &str) -> String {
        self.add_movie_with(Some(tmdb), name, 1920)
    }

    /// Adds a movie with any TMDB id (none: a file the server could not match) and width.
    pub fn add_movie_with(&self, tmdb: Option<u32>, name: &str, width: u32) -> String {
        let mut lib = lock(&self.library);
        let id = next_id(&mut lib);
        lib.movies.push(Movie {
            id: id.clone(),
            name: name.to_owned(),
            tmdb,
            width,
            saved: now_ms(),
        });
        id
    }

    /// Deletes an item (a movie or a series with its episodes), as removing its files does.
    pub fn remove(&self, item_id: &str) {
        let mut lib = lock(&self.library);
        lib.movies.retain(|m| m.id != item_id);
        lib.series.retain(|s| s.id != item_id);
    }

    /// Makes `/Items` ignore `StartIndex` (every page is the first one) or honour it again.
    pub fn ignore_paging(&self, on: bool) {
        lock(&self.library).ignore_paging = on;
    }

    /// Adds `count` movies with TMDB ids from `first_tmdb` at once (benchmarks fill large
    /// libraries this way), saved a day ago as a library filled long before.
    pub fn add_many_movies(&self, first_tmdb: u32, count: u32) {
        let mut lib = lock(&self.library);
        let saved = now_ms() - 86_400_000;
        for n in 0..count {
            let id = next_id(&mut lib);
            lib.movies.push(Movie {
                id,
                name: format!("Movie {}", first_tmdb + n),
                tmdb: Some(first_tmdb + n),
                width: 1920,
                saved,
            });
        }
    }

    /// Adds `count` series with TMDB ids from `first_tmdb`, each with `seasons` seasons of
    /// `episodes` episodes on disk, saved a day ago.
    pub fn add_many_series(&self, first_tmdb: u32, count: u32, seasons: u16, episodes: u16) {
        let mut lib = lock(&self.library);
        let saved = now_ms() - 86_400_000;
        for n in 0..count {
            let id = next_id(&mut lib);
            let episodes = (1..=seasons)
                .flat_map(|s| (1..=episodes).map(move |e| (s, e, true, saved)))
                .collect();
            lib.series.push(Series {
                id,
                name: format!("Show {}", first_tmdb + n),
                tmdb: Some(first_tmdb + n),
                tvdb: None,
                episodes,
                saved,
            });
        }
    }

    /// Adds a series with no episodes yet; returns its item id.
    pub fn add_series(&self, tvdb: Option<u32>, tmdb: Option<u32>, name: &str) -> String {
        let mut lib = lock(&self.library);
        let id = next_id(&mut lib);
        lib.series.push(Series {
            id: id.clone(),
            name: name.to_owned(),
            tmdb,
            tvdb,
            episodes: Vec::new(),
            saved: now_ms(),
        });
        id
    }

    /// Puts `count` episodes of `season` on disk for a series.
    pub fn add_episodes(&self, series_id: &str, season: u16, count: u16) {
        self.push_episodes(series_id, season, count, true);
    }

    /// Adds `count` virtual ("missing") episodes, which must not count as present.
    pub fn add_missing_episodes(&self, series_id: &str, season: u16, count: u16) {
        self.push_episodes(series_id, season, count, false);
    }

    fn push_episodes(&self, series_id: &str, season: u16, count: u16, on_disk: bool) {
        let mut lib = lock(&self.library);
        let saved = now_ms();
        if let Some(series) = lib.series.iter_mut().find(|s| s.id == series_id) {
            let first = series.episodes.iter().filter(|e| e.0 == season).count() as u16;
            for n in 1..=count {
                series.episodes.push((season, first + n, on_disk, saved));
            }
        }
    }
}

fn lock(library: &Arc<Mutex<Library>>) -> MutexGuard<'_, Library> {
    library.lock().unwrap_or_else(|p| p.into_inner())
}

fn next_id(lib: &mut Library) -> String {
    let n = lib.next;
    lib.next += 1;
    format!("{n:032x}")
}

type Shared = State<Arc<Mutex<Library>>>;

fn authorized(headers: &HeaderMap, key: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("x-emby-token") == Some(key) || header("x-mediabrowser-token") == Some(key) {
        return true;
    }
    header("authorization").is_some_and(|auth| {
        auth.strip_prefix("MediaBrowser ")
            .is_some_and(|rest| rest.contains(&format!("Token=\"{key}\"")))
    })
}

fn unauthorized() -> Response {
    StatusCode::UNAUTHORIZED.into_response()
}

fn bad_request(message: String) -> Response {
    let body = json!({ "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.", "status": 400, "errors": { "query": [message] } });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// Query parameters by lower-cased name; repeated and comma-joined lists both collected.
struct Params(HashMap<String, Vec<String>>);

impl Params {
    fn new(raw: Vec<(String, String)>) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in raw {
            map.entry(k.to_ascii_lowercase()).or_default().push(v);
        }
        Self(map)
    }

    fn list(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .into_iter()
            .flatten()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn bool(&self, name: &str) -> Result<Option<bool>, Response> {
        match self.0.get(name).and_then(|v| v.last()) {
            None => Ok(None),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(bad_request(format!(
                    "The value '{v}' is not valid for {name}."
                ))),
            },
        }
    }

    fn int(&self, name: &str) -> Result<Option<usize>, Response> {
        match self.0.get(name).and_then(|v| v.last()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| bad_request(format!("The value '{v}' is not valid for {name}."))),
        }
    }
}

async fn public_info(State(lib): Shared) -> axum::Json<Value> {
    let product = product_name(lock(&lib).product);
    axum::Json(json!({
        "LocalAddress": "http://127.0.0.1:8096", "ServerName": "fake-jellyfin",
        "Version": "10.11.11", "ProductName": product, "Id": "0b1c2d3e4f5061728394a5b6c7d8e9f0",
        "StartupWizardCompleted": true
    }))
}

fn product_name(product: Product) -> &'static str {
    match product {
        Product::Jellyfin => "Jellyfin Server",
        Product::Emby => "Emby Server",
    }
}

/// `/System/Info`: like the public info, but only with a key.
async fn system_info(State(lib): Shared, headers: HeaderMap) -> Response {
    let lib = lock(&lib);
    if !authorized(&headers, &lib.api_key) {
        return unauthorized();
    }
    axum::Json(json!({
        "LocalAddress": "http://127.0.0.1:8096", "ServerName": "fake-jellyfin",
        "Version": "10.11.11", "ProductName": product_name(lib.product),
        "OperatingSystem": "Linux", "Id": "0b1c2d3e4f5061728394a5b6c7d8e9f0",
        "StartupWizardCompleted": true, "HasPendingRestart": false, "IsShuttingDown": false,
        "SupportsLibraryMonitor": true, "WebSocketPortNumber": 8096,
        "CanSelfRestart": false, "CanLaunchWebBrowser": false, "HasUpdateAvailable": false,
    }))
    .into_response()
}

/// `/Library/VirtualFolders`: the libraries, which needs an administrator (an API key is one).
async fn virtual_folders(State(lib): Shared, headers: HeaderMap) -> Response {
    let lib = lock(&lib);
    if !authorized(&headers, &lib.api_key) {
        return unauthorized();
    }
    axum::Json(json!([
        { "Name": "Movies", "Locations": ["/media/movies"], "CollectionType": "movies",
          "ItemId": "f137a2dd21bbc1b99aa5c0f6bf02a805", "RefreshStatus": "Idle" },
        { "Name": "Shows", "Locations": ["/media/tv"], "CollectionType": "tvshows",
          "ItemId": "a656b907eb3a73532e40e44b968d0225", "RefreshStatus": "Idle" },
    ]))
    .into_response()
}

async fn episodes(
    State(lib): Shared,
    headers: HeaderMap,
    Path(series_id): Path<String>,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let lib = lock(&lib);
    if !authorized(&headers, &lib.api_key) {
        return unauthorized();
    }
    let params = Params::new(raw);
    let is_missing = match params.bool("ismissing") {
        Ok(v) => v,
        Err(e) => return e,
    };
    let season = match params.int("season") {
        Ok(v) => v,
        Err(e) => return e,
    };
    let wanted = series_id.replace('-', "").to_ascii_lowercase();
    let Some(series) = lib.series.iter().find(|s| s.id == wanted) else {
        return (StatusCode::NOT_FOUND, "Series not found").into_response();
    };
    let items: Vec<Value> = series
        .episodes
        .iter()
        .filter(|(s, _, on_disk, _)| {
            is_missing.is_none_or(|missing| missing != *on_disk)
                && season.is_none_or(|want| want == usize::from(*s))
        })
        .map(|(s, e, on_disk, _)| {
            json!({
                "Name": format!("Episode {e}"), "ServerId": "0b1c2d3e4f5061728394a5b6c7d8e9f0",
                "Id": format!("{:0>32}", format!("{}{s:03}{e:04}", &series.id[24..])),
                "Type": "Episode", "IsFolder": false, "MediaType": "Video",
                "SeriesId": series.id, "SeriesName": series.name,
                "ParentIndexNumber": s, "IndexNumber": e,
                "LocationType": if *on_disk { "FileSystem" } else { "Virtual" },
            })
        })
        .collect();
    let total = items.len();
    axum::Json(json!({ "Items": items, "TotalRecordCount": total, "StartIndex": 0 }))
        .into_response()
}
