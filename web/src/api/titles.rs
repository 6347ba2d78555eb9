//! `/search` and `/movie/{movieId}`: TMDB through core, in Seerr's result shapes.

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use serde::{Deserialize, Serialize};
use usher_core::domain::{MediaType, TmdbId};
use usher_core::integrations::tmdb::{MovieDetails, SearchHit, SearchQuery};
use usher_core::service::ApiCaller;
use usher_core::service::api::TitleFacts;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input;
use super::media_info::MediaInfoBody;
use crate::state::AppState;

/// `GET /search`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to look for.
    query: Option<String>,
    /// Page, 1 to 500 (default 1).
    page: Option<String>,
    /// A language such as `fr-FR`.
    language: Option<String>,
}

/// Seerr's `MovieResult` or `TvResult` (one shape; `title` for movies, `name` for shows), for
/// search and discover alike.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    /// TMDB id.
    id: i64,
    /// `movie` or `tv`.
    media_type: &'static str,
    /// A movie's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    /// A show's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// Synopsis.
    overview: String,
    /// Poster path on TMDB's image server.
    #[serde(skip_serializing_if = "Option::is_none")]
    poster_path: Option<String>,
    /// Backdrop path.
    #[serde(skip_serializing_if = "Option::is_none")]
    backdrop_path: Option<String>,
    /// Average vote, 0–10.
    vote_average: f32,
    /// Genre ids (not kept by Usher's search cache: empty).
    genre_ids: Vec<u32>,
    /// What Usher knows of the title, where the answer carries it (discover).
    #[serde(skip_serializing_if = "Option::is_none")]
    media_info: Option<MediaInfoBody>,
}

impl SearchResult {
    /// The hit with what Usher knows of it, when known.
    pub(super) fn with_facts(hit: &SearchHit, facts: Option<&TitleFacts>) -> Self {
        let id = i64::from(hit.tmdb_id.get());
        let (media_type, title, name) = match hit.media_type {
            MediaType::Movie => ("movie", Some(hit.title.clone()), None),
            MediaType::Tv => ("tv", None, Some(hit.title.clone())),
        };
        Self {
            id,
            media_type,
            title,
            name,
            overview: hit.overview.clone(),
            poster_path: hit.poster_path.clone(),
            backdrop_path: hit.backdrop_path.clone(),
            vote_average: hit.vote_average,
            genre_ids: Vec::new(),
            media_info: facts.map(|f| MediaInfoBody::new(hit.media_type, id, f)),
        }
    }
}

impl From<&SearchHit> for SearchResult {
    fn from(hit: &SearchHit) -> Self {
        Self::with_facts(hit, None)
    }
}

/// `GET /search`'s answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchBody {
    /// This page.
    page: u32,
    /// Pages TMDB has.
    total_pages: u32,
    /// Results TMDB has.
    total_results: u32,
    /// Movies and shows.
    results: Vec<SearchResult>,
}

/// Movies and shows on TMDB matching the words.
#[utoipa::path(get, path = "/search", params(SearchParams), tag = "search", security(("apiKey" = [])),
    responses((status = 200, body = SearchBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<SearchBody>> {
    let text = params
        .query
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| ApiError::field("query", "must not be empty"))?;
    let page = match params.page.as_deref() {
        None | Some("") => 1,
        Some(p) => p
            .parse::<u32>()
            .map_err(|_| ApiError::field("page", "must be between 1 and 500"))?,
    };
    let mut query = SearchQuery::new(text).page(page);
    if let Some(language) = params.language.filter(|l| !l.is_empty()) {
        query = query.language(language);
    }
    let found = state.services().api.search(&caller, &query).await?;
    Ok(Json(SearchBody {
        page: found.page,
        total_pages: found.total_pages,
        total_results: found.total_results,
        results: found.hits.iter().map(SearchResult::from).collect(),
    }))
}

/// A genre.
#[derive(Debug, Serialize, ToSchema)]
pub struct GenreBody {
    /// TMDB genre id.
    id: u32,
    /// Its name.
    name: String,
}

impl GenreBody {
    /// A genre by id and name.
    pub fn new(id: u32, name: &str) -> Self {
        Self {
            id,
            name: name.to_owned(),
        }
    }
}

/// Seerr's `MovieDetails`, as far as Usher keeps them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MovieBody {
    /// TMDB id.
    id: i64,
    /// IMDb id.
    #[serde(skip_serializing_if = "Option::is_none")]
    imdb_id: Option<String>,
    /// Title.
    title: String,
    /// Original title.
    original_title: String,
    /// Original language (ISO 639-1).
    original_language: String,
    /// Synopsis.
    overview: String,
    /// First release date (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    release_date: Option<String>,
    /// Minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    runtime: Option<u32>,
    /// "Released", …
    status: String,
    /// Genres.
    genres: Vec<GenreBody>,
    /// Poster path.
    #[serde(skip_serializing_if = "Option::is_none")]
    poster_path: Option<String>,
    /// Backdrop path.
    #[serde(skip_serializing_if = "Option::is_none")]
    backdrop_path: Option<String>,
    /// Average vote.
    vote_average: f32,
    /// What Usher knows of the movie, with every request for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    media_info: Option<MediaInfoBody>,
}

impl From<&MovieDetails> for MovieBody {
    fn from(m: &MovieDetails) -> Self {
        Self {
            id: i64::from(m.tmdb_id.get()),
            imdb_id: m.imdb_id.clone(),
            title: m.title.clone(),
            original_title: m.original_title.clone(),
            original_language: m.original_language.clone(),
            overview: m.overview.clone(),
            release_date: m
                .release_date
                .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())),
            runtime: m.runtime_minutes,
            status: m.status.clone(),
            genres: m
                .genres
                .iter()
                .map(|g| GenreBody {
                    id: g.id,
                    name: g.name.clone(),
                })
                .collect(),
            poster_path: m.poster_path.clone(),
            backdrop_path: m.backdrop_path.clone(),
            vote_average: m.vote_average,
            media_info: None,
        }
    }
}

/// `GET /movie/{movieId}`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovieParams {
    /// A language such as `fr-FR`.
    language: Option<String>,
}

/// A movie's details from TMDB, with `mediaInfo` (and its `requests`) when Usher knows it.
#[utoipa::path(get, path = "/movie/{movieId}", tag = "movies", security(("apiKey" = [])),
    params(("movieId" = String, Path, description = "TMDB id"), MovieParams),
    responses((status = 200, body = MovieBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn movie(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    Query(params): Query<MovieParams>,
) -> ApiResult<Json<MovieBody>> {
    let id = input::positive_id("movieId", &id)?;
    let id = TmdbId::parse(id).map_err(|_| ApiError::field("movieId", "not a TMDB id"))?;
    let found = state
        .services()
        .api
        .movie(&caller, id, params.language.as_deref())
        .await?;
    let media_info = MediaInfoBody::of_page(MediaType::Movie, i64::from(id.get()), &found);
    Ok(Json(MovieBody {
        media_info,
        ..MovieBody::from(found.details.as_ref())
    }))
}
