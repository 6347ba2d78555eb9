//! A fake Plex Media Server with a movie section and a show section tests add to while running.
//!
//! Plex publishes no OpenAPI spec; this follows its documented API: `/identity`,
//! `/library/sections`, `/library/sections/{key}/all` (`includeGuids=1` adds the `Guid` array of
//! `tmdb://`, `tvdb://`, `imdb://` ids; paging with `X-Plex-Container-Start/Size` as query or
//! header, answered with `totalSize`), `/library/metadata/{ratingKey}` and
//! `/library/metadata/{ratingKey}/children` (seasons with `index` and `leafCount`). The token is
//! `X-Plex-Token` (header or query); without it Plex answers 401 with an HTML page. JSON only
//! with `Accept: application/json`, XML otherwise — as the real server does.

#![allow(clippy::result_large_err)] // a refusal is the fake's HTTP answer itself; boxing it buys nothing here

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::server::FakeServer;

#[derive(Debug, Clone)]
struct Item {
    rating_key: u64,
    section: &'static str,
    title: String,
    guids: Vec<String>,
    /// season → episode count (shows only)
    seasons: BTreeMap<u16, u32>,
    /// A 4K file (`Media.videoResolution` "4k").
    four_k: bool,
    /// `addedAt` and `updatedAt`, seconds since the epoch.
    added_at: i64,
    updated_at: i64,
    /// When each season last had episodes added (seconds).
    season_added: BTreeMap<u16, i64>,
}

/// Now, in seconds since the epoch (Plex's `addedAt`/`updatedAt` clock).
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

#[derive(Debug)]
struct Library {
    token: String,
    items: Vec<Item>,
    next: u64,
}

/// A running fake Plex with its library.
pub struct FakePlex {
    /// The server (URL, recorded requests, faults).
    pub server: FakeServer,
    library: Arc<Mutex<Library>>,
}

const MOVIES: &str = "1";
const SHOWS: &str = "2";

impl FakePlex {
    /// A fake Plex accepting `token`.
    pub async fn start(token: &str) -> Self {
        let library = Arc::new(Mutex::new(Library {
            token: token.to_owned(),
            items: Vec::new(),
            next: 100,
        }));
        let router = Router::new()
            .route("/identity", get(identity))
            .route("/library/sections", get(sections))
            .route("/library/sections/{key}/all", get(section_all))
            .route("/library/metadata/{key}", get(metadata))
            .route("/library/metadata/{key}/children", get(children))
            .with_state(library.clone());
        let server = FakeServer::start(router).await;
        Self { server, library }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// Adds a movie known by TMDB id; returns its rating key.
    pub fn add_movie(&self, tmdb: u32, title: &str) -> String {
        self.add(MOVIES, title, vec![format!("tmdb://{tmdb}")])
    }

    /// Adds a movie with no external ids (a match Plex has not made yet).
    pub fn add_unmatched_movie(&self, title: &str) -> String {
        self.add(MOVIES, title, Vec::new())
    }

    /// Adds a show with no seasons yet; returns its rating key.
    pub fn add_show(&self, tvdb: Option<u32>, tmdb: Option<u32>, title: &str) -> String {
        let mut guids = Vec::new();
        if let Some(tvdb) = tvdb {
            guids.push(format!("tvdb://{tvdb}"));
        }
        if let Some(tmdb) = tmdb {
            guids.push(format!("tmdb://{tmdb}"));
        }
        self.add(SHOWS, title, guids)
    }

    /// Gives a show `episodes` episodes in `season`.
    pub fn add_season(&self, show_key: &str, season: u16, episodes: u32) {
        let mut lib = lock(&self.library);
        let wanted: Option<u64> = show_key.parse().ok();
        if let Some(show) = lib.items.iter_mut().find(|i| Some(i.rating_key) == wanted) {
            *show.seasons.entry(season).or_default() += episodes;
            show.season_added.insert(season, now_secs());
            show.updated_at = now_secs();
        }
    }

    /// Adds a 4K movie known by TMDB id; returns its rating key.
    pub fn add_4k_movie(&self, tmdb: u32, title: &str) -> String {
        let key = self.add(MOVIES, title, vec![format!("tmdb://{tmdb}")]);
        let mut lib = lock(&self.library);
        if let Some(item) = lib
            .items
            .iter_mut()
            .find(|i| i.rating_key.to_string() == key)
        {
            item.four_k = true;
        }
        key
    }

    /// Deletes an item (its files are gone).
    pub fn remove(&self, rating_key: &str) {
        lock(&self.library)
            .items
            .retain(|i| i.rating_key.to_string() != rating_key);
    }

    /// Adds `count` movies with TMDB ids from `first_tmdb` at once (benchmarks), added and
    /// updated a day ago as a library filled long before.
    pub fn add_many_movies(&self, first_tmdb: u32, count: u32) {
        for n in 0..count {
            let title = format!("Movie {}", first_tmdb + n);
            self.add(MOVIES, &title, vec![format!("tmdb://{}", first_tmdb + n)]);
        }
        self.age_everything();
    }

    /// Moves every item's and season's `addedAt`/`updatedAt` a day back.
    fn age_everything(&self) {
        let day_ago = now_secs() - 86_400;
        for item in &mut lock(&self.library).items {
            item.added_at = day_ago;
            item.updated_at = day_ago;
            for at in item.season_added.values_mut() {
                *at = day_ago;
            }
        }
    }

    /// Adds `count` shows with TMDB ids from `first_tmdb`, each with `seasons` seasons of
    /// `episodes` episodes.
    pub fn add_many_shows(&self, first_tmdb: u32, count: u32, seasons: u16, episodes: u32) {
        for n in 0..count {
            let key = self.add(
                SHOWS,
                &format!("Show {}", first_tmdb + n),
                vec![format!("tmdb://{}", first_tmdb + n)],
            );
            let mut lib = lock(&self.library);
            if let Some(show) = lib
                .items
                .last_mut()
                .filter(|i| i.rating_key.to_string() == key)
            {
                for season in 1..=seasons {
                    show.seasons.insert(season, episodes);
                }
            }
        }
        self.age_everything();
    }

    fn add(&self, section: &'static str, title: &str, guids: Vec<String>) -> String {
        let mut lib = lock(&self.library);
        let rating_key = lib.next;
        lib.next += 1;
        let now = now_secs();
        lib.items.push(Item {
            rating_key,
            section,
            title: title.to_owned(),
            guids,
            seasons: BTreeMap::new(),
            four_k: false,
            added_at: now,
            updated_at: now,
            season_added: BTreeMap::new(),
        });
        rating_key.to_string()
    }
}

fn lock(library: &Arc<Mutex<Library>>) -> MutexGuard<'_, Library> {
    library.lock().unwrap_or_else(|p| p.into_inner())
}

type Shared = State<Arc<Mutex<Library>>>;
type Params = Query<Vec<(String, String)>>;

fn param<'a>(query: &'a [(String, String)], headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .or_else(|| headers.get(name).and_then(|v| v.to_str().ok()))
}

/// Checks the token and the Accept header; the error is the response Plex would give.
fn gate(lib: &Library, query: &[(String, String)], headers: &HeaderMap) -> Result<(), Response> {
    if param(query, headers, "X-Plex-Token") != Some(lib.token.as_str()) {
        let page = "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";
        return Err((
            StatusCode::UNAUTHORIZED,
            [("content-type", "text/html")],
            page,
        )
            .into_response());
    }
    let json = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if !json {
        let xml =
            r#"<?xml version="1.0" encoding="UTF-8"?><MediaContainer size="0"></MediaContainer>"#;
        return Err((StatusCode::OK, [("content-type", "text/xml")], xml).into_response());
    }
    Ok(())
}

fn container(body: Value) -> Response {
    axum::Json(json!({ "MediaContainer": body })).into_response()
}

fn item_json(item: &Item, guids: bool) -> Value {
    let kind = if item.section == MOVIES {
        "movie"
    } else {
        "show"
    };
    let mut value = json!({
        "ratingKey": item.rating_key.to_string(),
        "key": format!("/library/metadata/{}", item.rating_key),
        "guid": format!("plex://{kind}/{:024x}", item.rating_key),
        "type": kind, "title": item.title, "librarySectionID": item.section.parse::<u32>().unwrap_or(0),
        "addedAt": item.added_at, "updatedAt": item.updated_at,
    });
    if kind == "movie" {
        let resolution = if item.four_k { "4k" } else { "1080" };
        value["Media"] = json!([{ "id": item.rating_key * 10, "videoResolution": resolution }]);
    }
    if kind == "show" {
        value["childCount"] = json!(item.seasons.len());
        value["leafCount"] = json!(item.seasons.values().sum::<u32>());
    }
    if guids {
        value["Guid"] = Value::Array(item.guids.iter().map(|g| json!({ "id": g })).collect());
    }
    value
}

async fn identity() -> Response {
    container(
        json!({ "size": 0, "claimed": true, "machineIdentifier": "fakeplex0001", "version": "1.41.3.9314" }),
    )
}

async fn sections(State(lib): Shared, headers: HeaderMap, Query(query): Params) -> Response {
    let lib = lock(&lib);
    if let Err(refused) = gate(&lib, &query, &headers) {
        return refused;
    }
    container(
        json!({ "size": 2, "allowSync": false, "title1": "Plex Library", "Directory": [
            { "key": MOVIES, "type": "movie", "title": "Movies", "agent": "tv.plex.agents.movie", "scanner": "Plex Movie" },
            { "key": SHOWS, "type": "show", "title": "TV Shows", "agent": "tv.plex.agents.series", "scanner": "Plex TV Series" },
        ]}),
    )
}

async fn section_all(
    State(lib): Shared,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(query): Params,
) -> Response {
    let lib = lock(&lib);
    if let Err(refused) = gate(&lib, &query, &headers) {
        return refused;
    }
    if key != MOVIES && key != SHOWS {
        return StatusCode::NOT_FOUND.into_response();
    }
    let number = |name: &str| param(&query, &headers, name).map(|v| v.parse::<usize>());
    let (start, size) = match (
        number("X-Plex-Container-Start"),
        number("X-Plex-Container-Size"),
    ) {
        (Some(Err(_)), _) | (_, Some(Err(_))) => return StatusCode::BAD_REQUEST.into_response(),
        (start, size) => (start.and_then(Result::ok), size.and_then(Result::ok)),
    };
    let guids = param(&query, &headers, "includeGuids") == Some("1");
    let since = |name: &str| match param(&query, &headers, name) {
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some),
    };
    let (updated, added) = match (since("updatedAt>>"), since("addedAt>>")) {
        (Ok(u), Ok(a)) => (u, a),
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let plex_type = param(&query, &headers, "type");
    let section_items = lib.items.iter().filter(|i| i.section == key);
    let all: Vec<Value> = match plex_type {
        None | Some("1" | "2") => section_items
            .filter(|i| updated.is_none_or(|t| i.updated_at >= t))
            .filter(|i| added.is_none_or(|t| i.added_at >= t))
            .map(|i| item_json(i, guids))
            .collect(),
        Some("3") => section_items.flat_map(season_items).collect(),
        Some("4") => section_items
            .flat_map(|show| episode_items(show, added))
            .collect(),
        Some(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let from = start.unwrap_or(0).min(all.len());
    let to = size.map_or(all.len(), |s| (from + s).min(all.len()));
    let page: Vec<Value> = all[from..to].to_vec();
    let mut body = json!({ "size": page.len(), "librarySectionID": key, "Metadata": page });
    if start.is_some() || size.is_some() {
        body["totalSize"] = json!(all.len());
        body["offset"] = json!(from);
    }
    container(body)
}

fn season_json(show: &Item, season: u16, episodes: u32) -> Value {
    let rating_key = show.rating_key * 1000 + u64::from(season);
    json!({
        "ratingKey": rating_key.to_string(), "key": format!("/library/metadata/{rating_key}/children"),
        "parentRatingKey": show.rating_key.to_string(), "type": "season",
        "title": format!("Season {season}"), "index": season, "leafCount": episodes,
        "viewedLeafCount": 0,
    })
}

/// A show's seasons as `type=3` lists them.
fn season_items(show: &Item) -> Vec<Value> {
    show.seasons
        .iter()
        .map(|(season, episodes)| season_json(show, *season, *episodes))
        .collect()
}

/// A show's episodes added since `added` (seconds) as `type=4` lists them.
fn episode_items(show: &Item, added: Option<i64>) -> Vec<Value> {
    let mut out = Vec::new();
    for (season, episodes) in &show.seasons {
        let at = show
            .season_added
            .get(season)
            .copied()
            .unwrap_or(show.added_at);
        if added.is_some_and(|t| at < t) {
            continue;
        }
        for episode in 1..=*episodes {
            let key = show.rating_key * 1_000_000 + u64::from(*season) * 1000 + u64::from(episode);
            out.push(json!({
                "ratingKey": key.to_string(), "type": "episode", "index": episode,
                "parentIndex": season, "grandparentRatingKey": show.rating_key.to_string(),
                "parentRatingKey": (show.rating_key * 1000 + u64::from(*season)).to_string(),
                "addedAt": at,
            }));
        }
    }
    out
}

async fn metadata(
    State(lib): Shared,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(query): Params,
) -> Response {
    let lib = lock(&lib);
    if let Err(refused) = gate(&lib, &query, &headers) {
        return refused;
    }
    let guids = param(&query, &headers, "includeGuids") == Some("1");
    let key: Option<u64> = key.parse().ok();
    match lib.items.iter().find(|i| Some(i.rating_key) == key) {
        Some(item) => container(json!({ "size": 1, "Metadata": [item_json(item, guids)] })),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn children(
    State(lib): Shared,
    headers: HeaderMap,
    Path(key): Path<String>,
    Query(query): Params,
) -> Response {
    let lib = lock(&lib);
    if let Err(refused) = gate(&lib, &query, &headers) {
        return refused;
    }
    let wanted: Option<u64> = key.parse().ok();
    let Some(show) = lib
        .items
        .iter()
        .find(|i| Some(i.rating_key) == wanted && i.section == SHOWS)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let seasons = season_items(show);
    container(json!({ "size": seasons.len(), "key": key, "parentIndex": 1, "Metadata": seasons }))
}
