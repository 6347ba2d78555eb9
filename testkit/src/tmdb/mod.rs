//! A fake TMDB v3 API on loopback: search (movie, TV, multi), details (with
//! `append_to_response`), external ids, certifications, keywords, trending, lists to browse
//! ([`browse`]: popular, upcoming, by genre, genre lists) and configuration, over the small catalogue in
//! [`catalogue`]. It behaves like TMDB where our client depends on it: it refuses a wrong
//! credential with TMDB's own 401 body, honours `query`, `page`, `language` and the year
//! filters, pages by 20, and answers unknown ids with TMDB's 404 body. Response shapes follow
//! the official spec (`tmdb-v3-openapi.json`); a contract test checks them.

pub mod browse;
pub mod catalogue;
pub mod render;
mod titles;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::server::FakeServer;
use catalogue::{MOVIES, PEOPLE, SHOWS};

/// The v3 API key the fake accepts (sent as `?api_key=`).
pub const API_KEY: &str = "usher-fake-v3-key";
/// The v4 read access token the fake accepts (sent as `Authorization: Bearer …`); it contains
/// dots, as real ones (JWTs) do, which is how clients tell the two apart.
pub const READ_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2hlciI6ImZha2UifQ.c2lnbmF0dXJl";
/// TMDB's page size for lists.
pub const PAGE_SIZE: usize = 20;

type Params = Query<HashMap<String, String>>;

/// The sizes TMDB's image CDN serves posters in (`/3/configuration`'s `poster_sizes`).
pub const IMAGE_SIZES: [&str; 7] = ["w92", "w154", "w185", "w342", "w500", "w780", "original"];

/// The image the fake's CDN answers for every known poster: a 1×1 PNG.
pub const POSTER_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

/// The fake's routes: the API with the credential check in front, and the image CDN under
/// `/t/p/{size}/{file}` (TMDB's images need no credential). Serve it with
/// [`FakeServer::start`]; point an image base URL at `{url}/t/p`.
pub fn router() -> Router {
    Router::new()
        .route("/t/p/{size}/{file}", get(image))
        .merge(api_router())
}

/// A poster of the catalogue at one of TMDB's sizes, as `image/png`; TMDB's CDN answers
/// anything else with a bare 404.
async fn image(Path((size, file)): Path<(String, String)>) -> Response {
    let path = format!("/{file}");
    let known =
        MOVIES.iter().any(|m| m.poster_path == path) || SHOWS.iter().any(|s| s.poster_path == path);
    if !IMAGE_SIZES.contains(&size.as_str()) || !known {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(axum::http::header::CONTENT_TYPE, "image/png")],
        POSTER_PNG,
    )
        .into_response()
}

fn api_router() -> Router {
    Router::new()
        .route("/3/configuration", get(configuration))
        .route("/3/search/{kind}", get(search))
        .route("/3/trending/{kind}/{window}", get(trending))
        .route("/3/movie/popular", get(browse::popular_movies))
        .route("/3/movie/upcoming", get(browse::upcoming))
        .route("/3/tv/popular", get(browse::popular_shows))
        .route("/3/discover/{kind}", get(browse::discover))
        .route("/3/genre/{kind}/list", get(browse::genre_list))
        .route("/3/movie/{id}", get(movie))
        .route("/3/movie/{id}/{part}", get(movie_part))
        .route("/3/tv/{id}", get(show))
        .route("/3/tv/{id}/{part}", get(show_part))
        .route("/3/tv/{id}/season/{number}", get(season))
        .fallback(|| async { not_found() })
        .layer(middleware::from_fn(check_credential))
}

/// A TMDB that answers every authorized request with `body` as `200 application/json`: for
/// tests of how clients cope with truncated, mistyped or odd JSON.
pub fn router_answering(body: &'static str) -> Router {
    Router::new()
        .fallback(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response()
        })
        .layer(middleware::from_fn(check_credential))
}

/// Starts the fake on 127.0.0.1:0.
pub async fn start() -> FakeServer {
    FakeServer::start(router()).await
}

/// TMDB's error envelope.
fn tmdb_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = json!({ "status_code": code, "status_message": message, "success": false });
    (status, axum::Json(body)).into_response()
}

fn not_found() -> Response {
    tmdb_error(
        StatusCode::NOT_FOUND,
        34,
        "The resource you requested could not be found.",
    )
}

fn ok(body: Value) -> Response {
    axum::Json(body).into_response()
}

async fn check_credential(request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let query: Option<Params> = Query::try_from_uri(request.uri()).ok();
    let key = query.as_ref().and_then(|q| q.get("api_key").cloned());
    let accepted = bearer == Some(READ_TOKEN) || key.as_deref() == Some(API_KEY);
    if !accepted {
        return tmdb_error(
            StatusCode::UNAUTHORIZED,
            7,
            "Invalid API key: You must be granted a valid key.",
        );
    }
    next.run(request).await
}

async fn configuration() -> Response {
    ok(render::configuration())
}

/// Lower case, punctuation as spaces, single spaces: "Dune: Part Two" matches "dune part two".
fn normalize(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn matches(needle: &str, names: impl IntoIterator<Item = &'static str>) -> bool {
    !needle.is_empty() && names.into_iter().any(|n| normalize(n).contains(needle))
}

/// The `page` parameter (1 to 500, default 1); `None` when TMDB would refuse it
/// ([`bad_page`]).
fn page_param(params: &HashMap<String, String>) -> Option<usize> {
    match params.get("page").map(|p| p.parse()) {
        None => Some(1),
        Some(Ok(p)) if (1..=500).contains(&p) => Some(p),
        Some(_) => None,
    }
}

/// TMDB's refusal of a page out of range.
fn bad_page() -> Response {
    tmdb_error(
        StatusCode::BAD_REQUEST,
        22,
        "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
    )
}

fn year_of(date: &str) -> Option<u32> {
    date.get(..4).and_then(|y| y.parse().ok())
}

fn year_param(params: &HashMap<String, String>, names: &[&str]) -> Option<u32> {
    names
        .iter()
        .find_map(|n| params.get(*n))
        .and_then(|y| y.parse().ok())
}

async fn search(Path(kind): Path<String>, Query(params): Params) -> Response {
    let page: usize = match params.get("page").map(|p| p.parse()) {
        None => 1,
        Some(Ok(p)) if (1..=500).contains(&p) => p,
        Some(_) => {
            return tmdb_error(
                StatusCode::BAD_REQUEST,
                22,
                "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
            );
        }
    };
    let needle = normalize(params.get("query").map_or("", String::as_str));
    let language = params.get("language").map(String::as_str);
    let movie_year = year_param(&params, &["year", "primary_release_year"]);
    let show_year = year_param(&params, &["first_air_date_year", "year"]);
    let (with_movies, with_shows, multi) = match kind.as_str() {
        "movie" => (true, false, false),
        "tv" => (false, true, false),
        "multi" => (true, true, true),
        _ => return not_found(),
    };
    let mut found: Vec<(f64, Value)> = Vec::new();
    if with_movies {
        let shelf = needle
            .starts_with("shelf ")
            .then(catalogue::shelf)
            .unwrap_or_default();
        for m in MOVIES.iter().chain(shelf) {
            let names = [m.title, m.original_title]
                .into_iter()
                .chain(m.translations.iter().map(|(_, t)| *t));
            let year_ok = multi || movie_year.is_none_or(|y| year_of(m.release_date) == Some(y));
            if year_ok && matches(&needle, names) {
                found.push((m.popularity, render::movie_item(m, language, multi)));
            }
        }
    }
    if with_shows {
        for s in SHOWS {
            let names = [s.name, s.original_name]
                .into_iter()
                .chain(s.translations.iter().map(|(_, t)| *t));
            let year_ok = multi || show_year.is_none_or(|y| year_of(s.first_air_date) == Some(y));
            if year_ok && matches(&needle, names) {
                found.push((s.popularity, render::show_item(s, language, multi)));
            }
        }
    }
    if multi {
        for (id, name) in PEOPLE {
            if matches(&needle, [*name]) {
                found.push((12.5, render::person_item(*id, name)));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total = found.len();
    let results = found
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(_, item)| item)
        .collect();
    ok(render::page(results, page, total))
}

async fn trending(Path((kind, window)): Path<(String, String)>, Query(params): Params) -> Response {
    if window != "day" && window != "week" {
        return not_found();
    }
    let (movies, shows) = match kind.as_str() {
        "all" => (true, true),
        "movie" => (true, false),
        "tv" => (false, true),
        _ => return not_found(),
    };
    let page: usize = match params.get("page").map(|p| p.parse()) {
        None => 1,
        Some(Ok(p)) if (1..=500).contains(&p) => p,
        Some(_) => {
            return tmdb_error(
                StatusCode::BAD_REQUEST,
                22,
                "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.",
            );
        }
    };
    let language = params.get("language").map(String::as_str);
    let results: Vec<Value> = catalogue::trending(&window)
        .iter()
        .filter_map(|(is_movie, id)| match is_movie {
            true if movies => catalogue::movie(*id).map(|m| render::movie_item(m, language, true)),
            false if shows => catalogue::show(*id).map(|s| render::show_item(s, language, true)),
            _ => None,
        })
        .collect();
    let total = results.len();
    let results = results
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    ok(render::page(results, page, total))
}

fn lookup_movie(id: &str) -> Option<&'static catalogue::Movie> {
    id.parse().ok().and_then(catalogue::movie)
}

fn lookup_show(id: &str) -> Option<&'static catalogue::Show> {
    id.parse().ok().and_then(catalogue::show)
}

async fn movie(Path(id): Path<String>, Query(params): Params) -> Response {
    let Some(m) = lookup_movie(&id) else {
        return not_found();
    };
    let mut body = render::movie_details(m, params.get("language").map(String::as_str));
    for part in appended(&params) {
        let extra = match part {
            "external_ids" => render::movie_external_ids(m),
            "release_dates" => render::release_dates(m),
            "keywords" => render::movie_keywords(m),
            _ => continue,
        };
        append(&mut body, part, extra);
    }
    ok(body)
}

/// The sub-requests `append_to_response` names (comma-separated; TMDB takes at most 20 and
/// ignores names it does not know).
fn appended(params: &HashMap<String, String>) -> Vec<&str> {
    params
        .get("append_to_response")
        .map(|list| list.split(',').map(str::trim).take(20).collect())
        .unwrap_or_default()
}

/// Adds an appended answer under its name, as TMDB nests it: without its own `id`.
fn append(body: &mut Value, part: &str, mut extra: Value) {
    if let Some(extra) = extra.as_object_mut() {
        extra.remove("id");
    }
    if let Some(body) = body.as_object_mut() {
        body.insert(part.to_owned(), extra);
    }
}

async fn movie_part(Path((id, part)): Path<(String, String)>) -> Response {
    let Some(m) = lookup_movie(&id) else {
        return not_found();
    };
    match part.as_str() {
        "external_ids" => ok(render::movie_external_ids(m)),
        "release_dates" => ok(render::release_dates(m)),
        "keywords" => ok(render::movie_keywords(m)),
        _ => not_found(),
    }
}

async fn show(Path(id): Path<String>, Query(params): Params) -> Response {
    let Some(s) = lookup_show(&id) else {
        return not_found();
    };
    let mut body = render::show_details(s, params.get("language").map(String::as_str));
    for part in appended(&params) {
        let extra = match part {
            "external_ids" => render::show_external_ids(s),
            "content_ratings" => render::content_ratings(s),
            "keywords" => render::show_keywords(s),
            _ => continue,
        };
        append(&mut body, part, extra);
    }
    ok(body)
}

async fn season(Path((id, number)): Path<(String, String)>) -> Response {
    let Some(s) = lookup_show(&id) else {
        return not_found();
    };
    let found = number
        .parse::<u32>()
        .ok()
        .and_then(|n| s.seasons.iter().find(|season| season.number == n));
    match found {
        Some(season) => ok(render::season_details(s, season)),
        None => not_found(),
    }
}

async fn show_part(Path((id, part)): Path<(String, String)>) -> Response {
    let Some(s) = lookup_show(&id) else {
        return not_found();
    };
    match part.as_str() {
        "external_ids" => ok(render::show_external_ids(s)),
        "content_ratings" => ok(render::content_ratings(s)),
        "keywords" => ok(render::show_keywords(s)),
        _ => not_found(),
    }
}
