//! A fake Sonarr (v4 by default, v3 on request — v3 insists on a language profile): a catalogue
//! of series by TVDB id (Breaking Bad 81189, Game of Thrones 121361, the anime Attack on Titan
//! 267440) and a library that adds put titles in and updates change.

mod episodes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::{App, Basics, Shared, app_router, catalogue, invalid, lock, message, now_iso};
use crate::FakeServer;

const SERIES_TYPES: [&str; 3] = ["standard", "daily", "anime"];

struct Sonarr {
    basics: Basics,
    v3: bool,
    library: Vec<Value>,
    adds: usize,
    updates: usize,
    hide_once: bool,
    /// Episodes per library series id, made on first use ([`episodes::of_series`]).
    episodes: HashMap<i64, Vec<Value>>,
    episode_updates: usize,
    episodes_hidden_once: bool,
    /// Lookups of series outside the library list their seasons without statistics.
    bare_lookup_seasons: bool,
}

impl App for Sonarr {
    fn basics(&mut self) -> &mut Basics {
        &mut self.basics
    }

    fn check_command(&self, body: &Value) -> Result<(), String> {
        let has = |field: &str| body.get(field).is_some_and(Value::is_i64);
        match body.get("name").and_then(Value::as_str) {
            Some("SeasonSearch") if has("seriesId") && has("seasonNumber") => Ok(()),
            Some("SeriesSearch") if has("seriesId") => Ok(()),
            Some("EpisodeSearch")
                if body
                    .get("episodeIds")
                    .and_then(Value::as_array)
                    .is_some_and(|ids| !ids.is_empty() && ids.iter().all(Value::is_i64)) =>
            {
                Ok(())
            }
            Some("EpisodeSearch") => Err("EpisodeSearch lacks its episodeIds".into()),
            Some(name @ ("SeasonSearch" | "SeriesSearch")) => Err(format!("{name} lacks its ids")),
            other => Err(format!("unknown command {other:?}")),
        }
    }
}

/// A running fake Sonarr.
pub struct FakeSonarr {
    /// The loopback server (URL, recorded requests, faults).
    pub server: FakeServer,
    state: Shared<Sonarr>,
}

impl FakeSonarr {
    /// Starts a fake Sonarr v4 that accepts `api_key`.
    pub async fn start(api_key: &str) -> FakeSonarr {
        Self::start_version(api_key, "4.0.14.2939").await
    }

    /// Starts a fake Sonarr v3, which requires `languageProfileId` on add.
    pub async fn start_v3(api_key: &str) -> FakeSonarr {
        Self::start_version(api_key, "3.0.10.1567").await
    }

    async fn start_version(api_key: &str, version: &str) -> FakeSonarr {
        let state = Arc::new(Mutex::new(Sonarr {
            basics: Basics::new("Sonarr", api_key, version, "/tv"),
            v3: version.starts_with("3."),
            library: Vec::new(),
            adds: 0,
            updates: 0,
            hide_once: false,
            episodes: HashMap::new(),
            episode_updates: 0,
            episodes_hidden_once: false,
            bare_lookup_seasons: false,
        }));
        let titles = Router::new()
            .route("/api/v3/series", get(list).post(add))
            .route("/api/v3/series/{id}", get(one).put(update))
            .route("/api/v3/series/lookup", get(lookup))
            .route("/api/v3/languageprofile", get(language_profiles))
            .route("/api/v3/episode", get(episodes::list))
            .route("/api/v3/episode/monitor", put(episodes::monitor));
        let server = FakeServer::start(app_router(titles, state.clone())).await;
        FakeSonarr { server, state }
    }

    /// The next library listing or lookup does not show the library, as if another client added
    /// the title between our look and our add (the add then meets "already been added").
    pub fn hide_library_once(&self) {
        lock(&self.state).hide_once = true;
    }

    /// From now on a lookup of a series outside the library lists its seasons without
    /// `statistics` (the spec makes them optional; Sonarr's metadata lookups may leave them
    /// out), so no episode count per season is known.
    pub fn strip_season_statistics(&self) {
        lock(&self.state).bare_lookup_seasons = true;
    }

    /// The next episode listing is empty, as Sonarr answers while it still fetches a series it
    /// has just added.
    pub fn hide_episodes_once(&self) {
        lock(&self.state).episodes_hidden_once = true;
    }

    /// The monitored episodes of a library series as `(season, episode)`, ascending; only
    /// episodes someone listed or monitored are known (none before).
    pub fn monitored_episodes(&self, tvdb_id: i64) -> Vec<(u16, u16)> {
        let state = lock(&self.state);
        let Some(id) = state
            .library
            .iter()
            .find(|s| s["tvdbId"] == tvdb_id)
            .and_then(|s| s["id"].as_i64())
        else {
            return Vec::new();
        };
        let mut found: Vec<(u16, u16)> = state
            .episodes
            .get(&id)
            .into_iter()
            .flatten()
            .filter(|e| e["monitored"] == true)
            .filter_map(|e| {
                let season = u16::try_from(e["seasonNumber"].as_i64()?).ok()?;
                let episode = u16::try_from(e["episodeNumber"].as_i64()?).ok()?;
                Some((season, episode))
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// Episode `episode` of `season` of the library series with this TVDB id now has a file:
    /// its `hasFile` turns true, the season's `statistics.episodeFileCount` counts it, and the
    /// history records the import — what Sonarr shows after importing one episode.
    pub fn set_episode_file(&self, tvdb_id: i64, season: u16, episode: u16) {
        let mut state = lock(&self.state);
        let Some(id) = state
            .library
            .iter()
            .find(|s| s["tvdbId"] == tvdb_id)
            .and_then(|s| s["id"].as_i64())
        else {
            return;
        };
        let Some(files) = episodes::give_file(&mut state, id, season, episode) else {
            return;
        };
        if let Some(found) = state
            .library
            .iter_mut()
            .find(|s| s["id"] == id)
            .and_then(|s| s["seasons"].as_array_mut())
            .and_then(|seasons| seasons.iter_mut().find(|s| s["seasonNumber"] == season))
        {
            found["statistics"]["episodeFileCount"] = json!(files);
        }
        state
            .basics
            .downloads
            .event("seriesId", id, "downloadFolderImported");
    }

    /// `PUT /api/v3/episode/monitor` calls so far.
    pub fn episode_updates(&self) -> usize {
        lock(&self.state).episode_updates
    }

    /// Replaces the quality profiles, as an operator deleting or recreating one does.
    pub fn set_quality_profiles(&self, profiles: &[(i64, &'static str)]) {
        lock(&self.state).basics.quality_profiles = profiles.to_vec();
    }

    /// Replaces the root folders (`/api/v3/rootfolder`), as an operator adding one does.
    pub fn set_root_folders(&self, folders: &[(i64, &'static str)]) {
        lock(&self.state).basics.root_folders = folders.to_vec();
    }

    /// Its base URL.
    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// Successful adds so far.
    pub fn adds(&self) -> usize {
        lock(&self.state).adds
    }

    /// Successful updates so far.
    pub fn updates(&self) -> usize {
        lock(&self.state).updates
    }

    /// The library series with this TVDB id.
    pub fn series(&self, tvdb_id: i64) -> Option<Value> {
        lock(&self.state)
            .library
            .iter()
            .find(|s| s["tvdbId"] == tvdb_id)
            .cloned()
    }

    /// The monitored seasons of a library series, ascending.
    pub fn monitored_seasons(&self, tvdb_id: i64) -> Vec<u16> {
        let Some(series) = self.series(tvdb_id) else {
            return Vec::new();
        };
        let seasons = series["seasons"].as_array().cloned().unwrap_or_default();
        seasons
            .iter()
            .filter(|s| s["monitored"] == true)
            .filter_map(|s| {
                s["seasonNumber"]
                    .as_u64()
                    .and_then(|n| u16::try_from(n).ok())
            })
            .collect()
    }

    /// Season `season` of the library series with this TVDB id now has `files` of `episodes`
    /// episodes (`statistics.episodeFileCount` of `episodeCount`); the history records it.
    pub fn set_season_files(&self, tvdb_id: i64, season: u16, files: u32, episodes: u32) {
        let mut state = lock(&self.state);
        let Some(series) = state.library.iter_mut().find(|s| s["tvdbId"] == tvdb_id) else {
            return;
        };
        if let Some(seasons) = series["seasons"].as_array_mut() {
            match seasons.iter_mut().find(|s| s["seasonNumber"] == season) {
                Some(found) => {
                    found["statistics"]["episodeFileCount"] = json!(files);
                    found["statistics"]["episodeCount"] = json!(episodes);
                }
                None => seasons.push(json!({ "seasonNumber": season, "monitored": true, "statistics": {
                    "episodeFileCount": files, "episodeCount": episodes, "totalEpisodeCount": episodes,
                    "sizeOnDisk": 0, "releaseGroups": [] } })),
            }
        }
        let id = series["id"].as_i64().unwrap_or_default();
        state
            .basics
            .downloads
            .event("seriesId", id, "downloadFolderImported");
    }

    /// Queues a download for the library series with this TVDB id.
    pub fn queue_download(
        &self,
        tvdb_id: i64,
        size: f64,
        left: f64,
        eta: Option<&str>,
        status: &str,
    ) {
        let mut state = lock(&self.state);
        let Some(id) = state
            .library
            .iter()
            .find(|s| s["tvdbId"] == tvdb_id)
            .and_then(|s| s["id"].as_i64())
        else {
            return;
        };
        state
            .basics
            .downloads
            .enqueue("seriesId", id, size, left, eta, status);
    }

    /// Deletes the library series with this TVDB id.
    pub fn remove_series(&self, tvdb_id: i64) {
        lock(&self.state).library.retain(|s| s["tvdbId"] != tvdb_id);
    }

    /// Adds `count` monitored series (TMDB ids from `first_tmdb`, TVDB ids from `first_tmdb +
    /// 5_000_000`), each with `seasons` full seasons of `episodes` episodes (benchmarks).
    pub fn add_many_series(&self, first_tmdb: i64, count: i64, seasons: u16, episodes: u32) {
        let mut state = lock(&self.state);
        for n in 0..count {
            let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
            let list: Vec<Value> = (1..=seasons)
                .map(|s| {
                    json!({ "seasonNumber": s, "monitored": true, "statistics": {
                    "episodeFileCount": episodes, "episodeCount": episodes,
                    "totalEpisodeCount": episodes, "sizeOnDisk": 0, "releaseGroups": [] } })
                })
                .collect();
            state.library.push(json!({
                "id": id, "title": format!("Show {}", first_tmdb + n), "tmdbId": first_tmdb + n,
                "tvdbId": first_tmdb + n + 5_000_000, "monitored": true, "seasons": list,
                "year": 2000, "qualityProfileId": 1, "path": format!("/tv/{id}"),
            }));
        }
    }

    /// Every library series.
    pub fn library(&self) -> Vec<Value> {
        lock(&self.state).library.clone()
    }

    /// Commands received (`{"name":"SeasonSearch","seriesId":…,"seasonNumber":…}`).
    pub fn commands(&self) -> Vec<Value> {
        lock(&self.state).basics.commands.clone()
    }

    /// Tag labels that exist.
    pub fn tag_labels(&self) -> Vec<String> {
        lock(&self.state)
            .basics
            .tags
            .iter()
            .map(|(_, l)| l.clone())
            .collect()
    }

    /// Puts a catalogue series in the library with these seasons monitored, as if added by hand.
    pub fn insert_series(&self, tvdb_id: i64, monitored: &[u16]) -> Option<i64> {
        let mut state = lock(&self.state);
        let mut series = catalogue::series(tvdb_id)?;
        let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
        let wanted: Vec<Value> = monitored
            .iter()
            .map(|n| json!({ "seasonNumber": n, "monitored": true }))
            .collect();
        let v3 = state.v3;
        place(
            &mut series,
            id,
            &json!({ "qualityProfileId": 1, "rootFolderPath": "/tv", "seasons": wanted }),
            v3,
        );
        state.library.push(series);
        Some(id)
    }
}

/// Turns a catalogue series into a library series with the settings of an add (or update) body.
fn place(series: &mut Value, id: i64, body: &Value, v3: bool) {
    let root = body["rootFolderPath"]
        .as_str()
        .unwrap_or("/tv")
        .trim_end_matches('/')
        .to_owned();
    series["id"] = json!(id);
    series["path"] = json!(format!(
        "{root}/{}",
        series["title"].as_str().unwrap_or_default()
    ));
    series["rootFolderPath"] = json!(root);
    series["added"] = json!(now_iso());
    if v3 {
        series["languageProfileId"] = body.get("languageProfileId").cloned().unwrap_or(json!(1));
    }
    // Sonarr v4 monitors new seasons unless told otherwise.
    series["monitorNewItems"] = json!("all");
    for field in [
        "qualityProfileId",
        "seriesType",
        "seasonFolder",
        "monitored",
        "monitorNewItems",
        "tags",
    ] {
        if let Some(value) = body.get(field) {
            series[field] = value.clone();
        }
    }
    set_monitoring(series, body);
}

/// Sonarr's `NewItemMonitorTypes`.
const NEW_ITEM_MONITOR_TYPES: [&str; 2] = ["all", "none"];

/// Sonarr's refusal of a `monitorNewItems` it does not know (its enum binding), if this is one.
fn check_new_items(body: &Value) -> Option<Response> {
    match body.get("monitorNewItems") {
        None => None,
        Some(Value::String(kind)) if NEW_ITEM_MONITOR_TYPES.contains(&kind.as_str()) => None,
        Some(other) => Some(invalid(
            "MonitorNewItems",
            "Invalid value",
            other.clone(),
            "EnumValidator",
        )),
    }
}

/// Copies each season's `monitored` flag from `body` (seasons it does not list are unmonitored).
fn set_monitoring(series: &mut Value, body: &Value) {
    let wanted = body["seasons"].as_array().cloned().unwrap_or_default();
    if let Some(seasons) = series["seasons"].as_array_mut() {
        for season in seasons {
            let monitored = wanted
                .iter()
                .any(|w| w["seasonNumber"] == season["seasonNumber"] && w["monitored"] == true);
            season["monitored"] = json!(monitored);
        }
    }
}

async fn list(
    State(state): State<Shared<Sonarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    let mut state = lock(&state);
    if std::mem::take(&mut state.hide_once) {
        return Json(json!([]));
    }
    let wanted = query.get("tvdbId").and_then(|t| t.parse::<i64>().ok());
    let series = state
        .library
        .iter()
        .filter(|s| wanted.is_none_or(|t| s["tvdbId"] == t))
        .cloned();
    Json(Value::Array(series.collect()))
}

async fn one(State(state): State<Shared<Sonarr>>, Path(id): Path<i64>) -> Response {
    match lock(&state).library.iter().find(|s| s["id"] == id) {
        Some(series) => Json(series.clone()).into_response(),
        None => message(StatusCode::NOT_FOUND, "NotFound"),
    }
}

/// `term=tvdb:ID` finds by id; any other term matches titles.
async fn lookup(
    State(state): State<Shared<Sonarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    let mut state = lock(&state);
    let hidden = std::mem::take(&mut state.hide_once);
    let bare = state.bare_lookup_seasons;
    let term = query.get("term").map(String::as_str).unwrap_or_default();
    // Like Sonarr, a title in the library comes back as the library has it (with its id).
    let found = catalogue::series_matching(term)
        .into_iter()
        .filter_map(|tvdb| {
            let existing = state.library.iter().find(|l| l["tvdbId"] == tvdb);
            let existing = existing.filter(|_| !hidden).cloned();
            existing.or_else(|| catalogue::series(tvdb).map(|s| strip(s, bare)))
        });
    Json(Value::Array(found.collect()))
}

/// The series with its seasons' statistics removed when `bare`.
fn strip(mut series: Value, bare: bool) -> Value {
    if bare && let Some(seasons) = series["seasons"].as_array_mut() {
        for season in seasons {
            if let Some(fields) = season.as_object_mut() {
                fields.remove("statistics");
            }
        }
    }
    series
}

async fn language_profiles(State(state): State<Shared<Sonarr>>) -> Json<Value> {
    let name = if lock(&state).v3 {
        "English"
    } else {
        "Deprecated"
    };
    Json(json!([{
        "id": 1, "name": name, "upgradeAllowed": false, "cutoff": { "id": 1, "name": "English" },
        "languages": [{ "language": { "id": 1, "name": "English" }, "allowed": true }],
    }]))
}

async fn add(State(state): State<Shared<Sonarr>>, Json(body): Json<Value>) -> Response {
    let mut state = lock(&state);
    let tvdb_id = body
        .get("tvdbId")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if body
        .get("title")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return invalid(
            "Title",
            "'Title' must not be empty.",
            body["title"].clone(),
            "NotEmptyValidator",
        );
    }
    if tvdb_id <= 0 {
        return invalid(
            "TvdbId",
            "'Tvdb Id' must be greater than '0'.",
            json!(tvdb_id),
            "GreaterThanValidator",
        );
    }
    if state.library.iter().any(|s| s["tvdbId"] == tvdb_id) {
        return invalid(
            "TvdbId",
            "This series has already been added",
            json!(tvdb_id),
            "SeriesExistsValidator",
        );
    }
    let profile = body.get("qualityProfileId").and_then(Value::as_i64);
    if !state.basics.has_profile(profile) {
        return invalid(
            "QualityProfileId",
            "Quality Profile does not exist",
            json!(profile),
            "QualityProfileExistsValidator",
        );
    }
    let root = body.get("rootFolderPath").and_then(Value::as_str);
    if !state.basics.has_root_folder(root) {
        return invalid(
            "RootFolderPath",
            "Root folder path does not exist",
            json!(root),
            "RootFolderExistsValidator",
        );
    }
    if state.v3 && body.get("languageProfileId").and_then(Value::as_i64) != Some(1) {
        return invalid(
            "LanguageProfileId",
            "Language profile does not exist",
            body["languageProfileId"].clone(),
            "LanguageProfileExistsValidator",
        );
    }
    let series_type = body
        .get("seriesType")
        .and_then(Value::as_str)
        .unwrap_or("standard");
    if !SERIES_TYPES.contains(&series_type) {
        return invalid(
            "SeriesType",
            "Invalid value",
            json!(series_type),
            "EnumValidator",
        );
    }
    if let Some(refused) = check_new_items(&body) {
        return refused;
    }
    // Sonarr fetches the metadata only after validating, and refuses an id TVDB lacks.
    let Some(mut series) = catalogue::series(tvdb_id) else {
        return invalid(
            "TvdbId",
            "A series with this ID was not found.",
            json!(tvdb_id),
            "",
        );
    };
    let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
    let v3 = state.v3;
    place(&mut series, id, &body, v3);
    state.library.push(series.clone());
    state.adds += 1;
    (StatusCode::CREATED, Json(series)).into_response()
}

async fn update(
    State(state): State<Shared<Sonarr>>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    let mut state = lock(&state);
    let Some(index) = state.library.iter().position(|s| s["id"] == id) else {
        return message(StatusCode::NOT_FOUND, "NotFound");
    };
    if let Some(refused) = check_new_items(&body) {
        return refused;
    }
    let mut series = state.library[index].clone();
    for field in [
        "qualityProfileId",
        "seriesType",
        "seasonFolder",
        "monitored",
        "monitorNewItems",
        "tags",
        "path",
    ] {
        if let Some(value) = body.get(field) {
            series[field] = value.clone();
        }
    }
    if body.get("seasons").is_some() {
        set_monitoring(&mut series, &body);
    }
    state.library[index] = series.clone();
    state.updates += 1;
    (StatusCode::ACCEPTED, Json(series)).into_response()
}
