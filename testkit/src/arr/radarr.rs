//! A fake Radarr: a catalogue of movies by TMDB id (Dune 438631, Inception 27205, The Matrix
//! 603, Dune: Part Two 693134) and a library that adds put titles in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::{App, Basics, Shared, app_router, catalogue, invalid, lock, message, now_iso};
use crate::FakeServer;

const AVAILABILITY: [&str; 5] = ["tba", "announced", "inCinemas", "released", "deleted"];

struct Radarr {
    basics: Basics,
    library: Vec<Value>,
    adds: usize,
    updates: usize,
    hide_once: bool,
}

impl App for Radarr {
    fn basics(&mut self) -> &mut Basics {
        &mut self.basics
    }

    fn check_command(&self, body: &Value) -> Result<(), String> {
        match body.get("name").and_then(Value::as_str) {
            Some("MoviesSearch") if body.get("movieIds").is_some_and(Value::is_array) => Ok(()),
            Some("MoviesSearch") => Err("MoviesSearch needs movieIds".into()),
            other => Err(format!("unknown command {other:?}")),
        }
    }
}

/// A running fake Radarr.
pub struct FakeRadarr {
    /// The loopback server (URL, recorded requests, faults).
    pub server: FakeServer,
    state: Shared<Radarr>,
}

impl FakeRadarr {
    /// Starts a fake Radarr that accepts `api_key`.
    pub async fn start(api_key: &str) -> FakeRadarr {
        let state = Arc::new(Mutex::new(Radarr {
            basics: Basics::new("Radarr", api_key, "5.26.2.10099", "/movies"),
            library: Vec::new(),
            adds: 0,
            updates: 0,
            hide_once: false,
        }));
        let titles = Router::new()
            .route("/api/v3/movie", get(list).post(add))
            .route("/api/v3/movie/{id}", get(one).put(update))
            .route("/api/v3/movie/lookup", get(search))
            .route("/api/v3/movie/lookup/tmdb", get(lookup));
        let server = FakeServer::start(app_router(titles, state.clone())).await;
        FakeRadarr { server, state }
    }

    /// The next library listing comes back empty, as if another client added the title between
    /// our look in the library and our add (the add then meets "already been added").
    pub fn hide_library_once(&self) {
        lock(&self.state).hide_once = true;
    }

    /// Replaces the quality profiles, as an operator deleting or recreating one does.
    pub fn set_quality_profiles(&self, profiles: &[(i64, &'static str)]) {
        lock(&self.state).basics.quality_profiles = profiles.to_vec();
    }

    /// Replaces the root folders, as an operator adding a disk does.
    pub fn set_root_folders(&self, folders: &[(i64, &'static str)]) {
        lock(&self.state).basics.root_folders = folders.to_vec();
    }

    /// Replaces the tags, as an operator creating them in Radarr's settings does.
    pub fn set_tags(&self, tags: &[(i64, &str)]) {
        lock(&self.state).basics.tags = tags.iter().map(|(id, l)| (*id, (*l).to_owned())).collect();
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

    /// The library movie with this TMDB id.
    pub fn movie(&self, tmdb_id: i64) -> Option<Value> {
        lock(&self.state)
            .library
            .iter()
            .find(|m| m["tmdbId"] == tmdb_id)
            .cloned()
    }

    /// Every library movie.
    pub fn library(&self) -> Vec<Value> {
        lock(&self.state).library.clone()
    }

    /// Commands received (`{"name":"MoviesSearch","movieIds":[…]}`).
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

    /// A file for the library movie with this TMDB id arrived (or was deleted): `hasFile`
    /// changes and the history records the import (or the deletion).
    pub fn set_file(&self, tmdb_id: i64, has_file: bool) {
        let mut state = lock(&self.state);
        let Some(movie) = state.library.iter_mut().find(|m| m["tmdbId"] == tmdb_id) else {
            return;
        };
        movie["hasFile"] = json!(has_file);
        movie["statistics"]["movieFileCount"] = json!(i32::from(has_file));
        let id = movie["id"].as_i64().unwrap_or_default();
        let event = if has_file {
            "downloadFolderImported"
        } else {
            "movieFileDeleted"
        };
        state.basics.downloads.event("movieId", id, event);
    }

    /// Queues a download of the library movie with this TMDB id: `size` bytes, `left` to go,
    /// an ETA (RFC 3339) and a queue status (`downloading`, `paused`, `completed`…).
    pub fn queue_download(
        &self,
        tmdb_id: i64,
        size: f64,
        left: f64,
        eta: Option<&str>,
        status: &str,
    ) {
        let mut state = lock(&self.state);
        let Some(id) = state
            .library
            .iter()
            .find(|m| m["tmdbId"] == tmdb_id)
            .and_then(|m| m["id"].as_i64())
        else {
            return;
        };
        state
            .basics
            .downloads
            .enqueue("movieId", id, size, left, eta, status);
        state.basics.downloads.event("movieId", id, "grabbed");
    }

    /// Empties the download queue.
    pub fn clear_queue(&self) {
        lock(&self.state).basics.downloads.queue.clear();
    }

    /// Deletes the library movie with this TMDB id.
    pub fn remove_movie(&self, tmdb_id: i64) {
        lock(&self.state).library.retain(|m| m["tmdbId"] != tmdb_id);
    }

    /// Adds `count` monitored movies with files, TMDB ids from `first_tmdb` (benchmarks).
    pub fn add_many_movies(&self, first_tmdb: i64, count: i64) {
        let mut state = lock(&self.state);
        for n in 0..count {
            let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
            state.library.push(json!({
                "id": id, "title": format!("Movie {}", first_tmdb + n), "tmdbId": first_tmdb + n,
                "imdbId": format!("tt{:07}", first_tmdb + n), "monitored": true, "hasFile": true,
                "year": 2000, "qualityProfileId": 1, "path": format!("/movies/{id}"),
            }));
        }
    }

    /// Puts a catalogue movie in the library as if someone had added it by hand.
    pub fn insert_movie(&self, tmdb_id: i64, monitored: bool) -> Option<i64> {
        let mut state = lock(&self.state);
        let mut movie = catalogue::movie(tmdb_id)?;
        let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
        place(&mut movie, id, 1, "/movies", monitored, "released", &[]);
        state.library.push(movie);
        Some(id)
    }
}

/// Turns a catalogue movie into a library movie.
fn place(
    movie: &mut Value,
    id: i64,
    profile: i64,
    root: &str,
    monitored: bool,
    availability: &str,
    tags: &[Value],
) {
    let folder = format!(
        "{} ({})",
        movie["title"].as_str().unwrap_or_default(),
        movie["year"]
    );
    movie["id"] = json!(id);
    movie["qualityProfileId"] = json!(profile);
    movie["rootFolderPath"] = json!(root);
    movie["path"] = json!(format!("{}/{folder}", root.trim_end_matches('/')));
    movie["folderName"] = movie["path"].clone();
    movie["monitored"] = json!(monitored);
    movie["minimumAvailability"] = json!(availability);
    movie["tags"] = json!(tags);
    movie["added"] = json!(now_iso());
}

async fn list(
    State(state): State<Shared<Radarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Value> {
    let mut state = lock(&state);
    if std::mem::take(&mut state.hide_once) {
        return Json(json!([]));
    }
    let wanted = query.get("tmdbId").and_then(|t| t.parse::<i64>().ok());
    let movies = state
        .library
        .iter()
        .filter(|m| wanted.is_none_or(|t| m["tmdbId"] == t))
        .cloned();
    Json(Value::Array(movies.collect()))
}

async fn one(State(state): State<Shared<Radarr>>, Path(id): Path<i64>) -> Response {
    match lock(&state).library.iter().find(|m| m["id"] == id) {
        Some(movie) => Json(movie.clone()).into_response(),
        None => message(StatusCode::NOT_FOUND, "NotFound"),
    }
}

async fn lookup(
    State(state): State<Shared<Radarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(tmdb_id) = query.get("tmdbId").and_then(|t| t.parse::<i64>().ok()) else {
        return message(StatusCode::BAD_REQUEST, "tmdbId is required");
    };
    match held_or_catalogued(&lock(&state), tmdb_id) {
        Some(movie) => Json(movie).into_response(),
        None => message(
            StatusCode::NOT_FOUND,
            &format!(
                "Movie with TmdbId {tmdb_id} was not found, it may have been removed from TMDb"
            ),
        ),
    }
}

/// `term=tmdb:ID` finds by id; any other term matches catalogue titles. A film already in the
/// library comes back as the library has it (with its `id`), as Radarr answers.
async fn search(
    State(state): State<Shared<Radarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let term = query.get("term").map(String::as_str).unwrap_or_default();
    let state = lock(&state);
    let found: Vec<Value> = catalogue::movies_matching(term)
        .into_iter()
        .filter_map(|tmdb_id| held_or_catalogued(&state, tmdb_id))
        .collect();
    Json(found).into_response()
}

/// A film as Radarr's lookups answer it: as the library holds it (with its `id`), else as the
/// metadata catalogue knows it.
fn held_or_catalogued(state: &Radarr, tmdb_id: i64) -> Option<Value> {
    let held = state.library.iter().find(|m| m["tmdbId"] == tmdb_id);
    held.cloned().or_else(|| catalogue::movie(tmdb_id))
}

async fn add(State(state): State<Shared<Radarr>>, Json(body): Json<Value>) -> Response {
    let mut state = lock(&state);
    let tmdb_id = body
        .get("tmdbId")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if tmdb_id <= 0 {
        return invalid(
            "TmdbId",
            "'Tmdb Id' must not be empty.",
            body["tmdbId"].clone(),
            "NotEmptyValidator",
        );
    }
    if state.library.iter().any(|m| m["tmdbId"] == tmdb_id) {
        return invalid(
            "TmdbId",
            "This movie has already been added",
            json!(tmdb_id),
            "MovieExistsValidator",
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
    let availability = body
        .get("minimumAvailability")
        .and_then(Value::as_str)
        .unwrap_or("released");
    if !AVAILABILITY.contains(&availability) {
        return invalid(
            "MinimumAvailability",
            "Invalid value",
            json!(availability),
            "EnumValidator",
        );
    }
    // Radarr fetches the metadata only after validating, and refuses an id TMDB lacks.
    let Some(mut movie) = catalogue::movie(tmdb_id) else {
        return invalid(
            "TmdbId",
            "A movie with this ID was not found.",
            json!(tmdb_id),
            "",
        );
    };
    let id = i64::try_from(state.library.len()).unwrap_or_default() + 1;
    let monitored = body
        .get("monitored")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let tags = body
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    place(
        &mut movie,
        id,
        profile.unwrap_or_default(),
        root.unwrap_or_default(),
        monitored,
        availability,
        &tags,
    );
    state.library.push(movie.clone());
    state.adds += 1;
    (StatusCode::CREATED, Json(movie)).into_response()
}

async fn update(
    State(state): State<Shared<Radarr>>,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    let mut state = lock(&state);
    let Some(index) = state.library.iter().position(|m| m["id"] == id) else {
        return message(StatusCode::NOT_FOUND, "NotFound");
    };
    let mut movie = state.library[index].clone();
    for field in [
        "monitored",
        "qualityProfileId",
        "minimumAvailability",
        "tags",
        "path",
        "rootFolderPath",
    ] {
        if let Some(value) = body.get(field) {
            movie[field] = value.clone();
        }
    }
    state.library[index] = movie.clone();
    state.updates += 1;
    (StatusCode::ACCEPTED, Json(movie)).into_response()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::FakeRadarr;
    use crate::contract::Spec;

    /// The term lookup (what Searcharr and other clients search with) answers as Radarr's
    /// spec says: by `tmdb:ID`, by words of a title, and nothing for a term nobody matches.
    #[tokio::test]
    async fn a_term_lookup_finds_by_id_and_by_title_as_the_spec_says() {
        let radarr = FakeRadarr::start("key").await;
        let spec = Spec::load("radarr-v3-openapi.json");
        let http = reqwest::Client::new();
        let mut titles = Vec::new();
        for term in [
            "tmdb:603",
            "matrix",
            "tmdb:5000042",
            "no such film",
            "tmdb:1",
        ] {
            let query = format!("term={term}");
            let found = lookup(&http, &radarr, term).await;
            assert_eq!(
                spec.check_request("GET", "/api/v3/movie/lookup", &query, None),
                Ok(())
            );
            assert_eq!(
                spec.check_response("GET", "/api/v3/movie/lookup", 200, &found),
                Ok(())
            );
            let found = found.as_array().cloned().unwrap_or_default();
            titles.push(
                found
                    .iter()
                    .map(|m| m["tmdbId"].clone())
                    .collect::<Vec<_>>(),
            );
        }
        assert_eq!(
            titles,
            [
                vec![Value::from(603)],
                vec![Value::from(603)],
                vec![Value::from(5_000_042)],
                vec![],
                vec![],
            ]
        );
        // Once in the library, the film comes back as the library holds it, with its id.
        let add = serde_json::json!({
            "tmdbId": 603, "title": "The Matrix", "qualityProfileId": 1,
            "rootFolderPath": "/movies", "monitored": true,
        });
        let added = http
            .post(format!("{}/api/v3/movie", radarr.url()))
            .header("X-Api-Key", "key")
            .json(&add)
            .send()
            .await
            .expect("add");
        assert_eq!(added.status().as_u16(), 201);
        let found = lookup(&http, &radarr, "matrix").await;
        let id = found[0]["id"].as_i64().unwrap_or_default();
        assert!(id > 0, "the library's copy, with its id: {found}");
    }

    /// What `GET /api/v3/movie/lookup?term=` answers.
    async fn lookup(http: &reqwest::Client, radarr: &FakeRadarr, term: &str) -> Value {
        http.get(format!("{}/api/v3/movie/lookup", radarr.url()))
            .query(&[("term", term)])
            .header("X-Api-Key", "key")
            .send()
            .await
            .expect("lookup")
            .json()
            .await
            .expect("JSON")
    }

    /// Radarr is an ASP.NET app: its paths ignore case, and Searcharr asks for
    /// `/api/v3/RootFolder` and `/api/v3/qualityProfile` (its key in `?apikey=`).
    #[tokio::test]
    async fn paths_are_matched_whatever_their_case() {
        let radarr = FakeRadarr::start("key").await;
        let http = reqwest::Client::new();
        let get = |path: &str| {
            let url = format!("{}{path}", radarr.url());
            let http = http.clone();
            async move {
                let answer = http.get(url).send().await.expect("answered");
                (answer.status().as_u16(), answer.text().await.expect("body"))
            }
        };
        for (cased, lower) in [
            ("/api/v3/RootFolder", "/api/v3/rootfolder"),
            ("/api/v3/qualityProfile", "/api/v3/qualityprofile"),
            (
                "/api/v3/Movie/Lookup?term=Matrix",
                "/api/v3/movie/lookup?term=Matrix",
            ),
        ] {
            let key = if cased.contains('?') {
                "&apikey=key"
            } else {
                "?apikey=key"
            };
            let (status, body) = get(&format!("{cased}{key}")).await;
            assert_eq!(status, 200, "{cased}");
            assert_eq!(body, get(&format!("{lower}{key}")).await.1, "{cased}");
        }
        assert_eq!(
            get("/api/v3/RootFolder").await.0,
            401,
            "the key is still checked"
        );
    }
}
