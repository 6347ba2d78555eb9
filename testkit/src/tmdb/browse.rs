//! The fake's lists to browse without a query: `/3/movie/popular`, `/3/tv/popular`,
//! `/3/movie/upcoming`, `/3/discover/{movie,tv}` (by `with_genres`) and the genre lists
//! `/3/genre/{movie,tv}/list`, paged by 20 like TMDB. Popular movies and the Drama genre end
//! with the synthetic shelf, so paging has thousands of titles to walk through.
//!
//! Where the spec types a list's `vote_average` as an integer (TV lists, upcoming), the fake
//! rounds it, so the contract check stays strict.

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::response::Response;
use serde_json::{Value, json};

use super::catalogue::{self, MOVIES, Movie, SHOWS, Show};
use super::{PAGE_SIZE, bad_page, not_found, ok, page_param, render};

type Params = Query<HashMap<String, String>>;

/// Movies released on or after this date are "upcoming" in the fake.
pub const UPCOMING_FROM: &str = "2024-01-01";

/// TMDB's movie genres (`/3/genre/movie/list`).
pub static MOVIE_GENRES: &[(u32, &str)] = &[
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (10770, "TV Movie"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
];

/// TMDB's TV genres (`/3/genre/tv/list`).
pub static TV_GENRES: &[(u32, &str)] = &[
    (10759, "Action & Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (10762, "Kids"),
    (9648, "Mystery"),
    (10763, "News"),
    (10764, "Reality"),
    (10765, "Sci-Fi & Fantasy"),
    (10766, "Soap"),
    (10767, "Talk"),
    (10768, "War & Politics"),
    (37, "Western"),
];

/// Hand-written movies by popularity, then (when `shelf` holds) the synthetic shelf.
fn movies_by_popularity(keep: impl Fn(&Movie) -> bool, shelf: bool) -> Vec<&'static Movie> {
    let mut found: Vec<&'static Movie> = MOVIES.iter().filter(|m| keep(m)).collect();
    found.sort_by(|a, b| b.popularity.total_cmp(&a.popularity));
    if shelf {
        found.extend(catalogue::shelf().iter().filter(|m| keep(m)));
    }
    found
}

fn shows_by_popularity(keep: impl Fn(&Show) -> bool) -> Vec<&'static Show> {
    let mut found: Vec<&'static Show> = SHOWS.iter().filter(|s| keep(s)).collect();
    found.sort_by(|a, b| b.popularity.total_cmp(&a.popularity));
    found
}

/// One page of `items`, each rendered only when on the page.
fn paged<T>(items: &[T], page: usize, render: impl Fn(&T) -> Value) -> Value {
    let results = items
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(render)
        .collect();
    render::page(results, page, items.len())
}

/// The item with its `vote_average` rounded to a whole number.
fn whole_votes(mut item: Value) -> Value {
    if let Some(vote) = item["vote_average"].as_f64() {
        item["vote_average"] = json!(vote.round() as i64);
    }
    item
}

/// `with_genres`: ids joined by `,` (all of them) or `|` (any of them).
fn genre_filter(params: &HashMap<String, String>) -> impl Fn(&[u32]) -> bool + use<> {
    let raw = params.get("with_genres").cloned().unwrap_or_default();
    let any = raw.contains('|');
    let wanted: Vec<u32> = raw
        .split([',', '|'])
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    move |genres: &[u32]| {
        wanted.is_empty()
            || if any {
                wanted.iter().any(|g| genres.contains(g))
            } else {
                wanted.iter().all(|g| genres.contains(g))
            }
    }
}

/// `/3/movie/popular`.
pub(super) async fn popular_movies(Query(params): Params) -> Response {
    let Some(page) = page_param(&params) else {
        return bad_page();
    };
    let language = params.get("language").map(String::as_str);
    let movies = movies_by_popularity(|_| true, true);
    ok(paged(&movies, page, |m| {
        render::movie_item(m, language, false)
    }))
}

/// `/3/tv/popular`.
pub(super) async fn popular_shows(Query(params): Params) -> Response {
    let Some(page) = page_param(&params) else {
        return bad_page();
    };
    let language = params.get("language").map(String::as_str);
    let shows = shows_by_popularity(|_| true);
    ok(paged(&shows, page, |s| {
        whole_votes(render::show_item(s, language, false))
    }))
}

/// `/3/movie/upcoming`: movies from [`UPCOMING_FROM`] on, with TMDB's `dates` window.
pub(super) async fn upcoming(Query(params): Params) -> Response {
    let Some(page) = page_param(&params) else {
        return bad_page();
    };
    let language = params.get("language").map(String::as_str);
    let movies = movies_by_popularity(|m| m.release_date >= UPCOMING_FROM, false);
    let mut body = paged(&movies, page, |m| {
        whole_votes(render::movie_item(m, language, false))
    });
    body["dates"] = json!({ "maximum": "2099-12-31", "minimum": UPCOMING_FROM });
    ok(body)
}

/// `/3/discover/{movie,tv}`: titles with the `with_genres` genres, most popular first.
pub(super) async fn discover(Path(kind): Path<String>, Query(params): Params) -> Response {
    let Some(page) = page_param(&params) else {
        return bad_page();
    };
    let language = params.get("language").map(String::as_str);
    let fits = genre_filter(&params);
    match kind.as_str() {
        "movie" => {
            let movies = movies_by_popularity(|m| fits(m.genres), true);
            ok(paged(&movies, page, |m| {
                render::movie_item(m, language, false)
            }))
        }
        "tv" => {
            let shows = shows_by_popularity(|s| fits(s.genres));
            ok(paged(&shows, page, |s| {
                whole_votes(render::show_item(s, language, false))
            }))
        }
        _ => not_found(),
    }
}

/// `/3/genre/{movie,tv}/list`.
pub(super) async fn genre_list(Path(kind): Path<String>) -> Response {
    let list = match kind.as_str() {
        "movie" => MOVIE_GENRES,
        "tv" => TV_GENRES,
        _ => return not_found(),
    };
    let genres: Vec<Value> = list
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    ok(json!({ "genres": genres }))
}
