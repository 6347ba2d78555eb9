//! `/tv/{tvId}`, `/tv/{tvId}/season/{seasonId}` and `/discover/trending`: TMDB through core, in
//! Seerr's shapes (`TvDetails`, `Season`, `MovieResult`/`TvResult`), with `mediaInfo` where
//! Usher knows the title. Lists Seerr always sends (networks, credits…) are sent empty: Usher
//! keeps none of them, and strict clients expect the keys.

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use serde::{Deserialize, Serialize};
use time::Date;
use usher_core::domain::{MediaType, TmdbId};
use usher_core::integrations::tmdb::{EpisodeDetails, EpisodeRef, SeasonDetails};
use usher_core::service::ApiCaller;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input;
use super::media_info::MediaInfoBody;
use super::titles::{GenreBody, SearchResult};
use crate::state::AppState;

/// `YYYY-MM-DD`, as TMDB and Seerr write dates.
fn day(date: Option<Date>) -> Option<String> {
    date.map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
}

/// A language query, as Seerr's title endpoints take it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LanguageParams {
    /// A language such as `fr-FR`.
    language: Option<String>,
}

/// Seerr's `Episode`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeBody {
    /// TMDB's episode id (left out for the last/next episode, which Usher keeps without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    /// Title.
    name: String,
    /// Air date (nullable in Seerr's spec).
    air_date: Option<String>,
    /// Number within the season.
    episode_number: u32,
    /// Synopsis.
    overview: String,
    /// Season number.
    season_number: u16,
    /// The show's TMDB id.
    show_id: i64,
    /// Still image path (nullable in Seerr's spec).
    still_path: Option<String>,
    /// Average vote.
    vote_average: f32,
}

impl EpisodeBody {
    fn of_ref(show: i64, e: &EpisodeRef) -> Self {
        Self {
            id: None,
            name: e.name.clone(),
            air_date: day(e.air_date),
            episode_number: e.episode,
            overview: String::new(),
            season_number: e.season,
            show_id: show,
            still_path: None,
            vote_average: 0.0,
        }
    }

    fn of_details(show: i64, season: u16, e: &EpisodeDetails) -> Self {
        Self {
            id: Some(e.id),
            name: e.name.clone(),
            air_date: day(e.air_date),
            episode_number: e.number,
            overview: e.overview.clone(),
            season_number: season,
            show_id: show,
            still_path: e.still_path.clone(),
            vote_average: e.vote_average,
        }
    }
}

/// Seerr's `Season` (in a show's list: without episodes).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeasonBody {
    /// TMDB's season id (the show's list numbers them; see [`SeasonBody::id`]).
    id: u64,
    /// First air date (nullable in Seerr's spec).
    air_date: Option<String>,
    /// Episodes TMDB lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    episode_count: Option<u32>,
    /// Name.
    name: String,
    /// Synopsis.
    overview: String,
    /// Poster path.
    #[serde(skip_serializing_if = "Option::is_none")]
    poster_path: Option<String>,
    /// Season number; 0 is "Specials".
    season_number: u16,
    /// The episodes (the season page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    episodes: Option<Vec<EpisodeBody>>,
}

/// Seerr's `TvDetails`, as far as Usher keeps them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TvBody {
    /// TMDB id.
    id: i64,
    /// Name.
    name: String,
    /// Original name.
    original_name: String,
    /// Original language.
    original_language: String,
    /// Synopsis.
    overview: String,
    /// First air date.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_air_date: Option<String>,
    /// "Returning Series", "Ended", …
    status: String,
    /// Still being made.
    in_production: bool,
    /// Regular seasons (Seerr's server's name; its spec says `numberOfSeason`).
    number_of_seasons: u16,
    /// Episodes over regular seasons.
    number_of_episodes: u32,
    /// Every season, specials included.
    seasons: Vec<SeasonBody>,
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
    /// The last episode that aired.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_episode_to_air: Option<EpisodeBody>,
    /// The next one announced.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_episode_to_air: Option<EpisodeBody>,
    /// Usher keeps none: empty, as Seerr's keys.
    created_by: Vec<String>,
    /// Usher keeps none: empty.
    episode_run_time: Vec<u32>,
    /// Usher keeps none: empty.
    networks: Vec<String>,
    /// Usher keeps none: empty.
    production_companies: Vec<String>,
    /// Usher keeps none: empty.
    keywords: Vec<String>,
    /// What Usher knows of the show.
    #[serde(skip_serializing_if = "Option::is_none")]
    media_info: Option<MediaInfoBody>,
}

/// A show's details from TMDB, with `mediaInfo` (and its `requests`) when Usher knows it.
#[utoipa::path(get, path = "/tv/{tvId}", tag = "tv", security(("apiKey" = [])),
    params(("tvId" = String, Path, description = "TMDB id"), LanguageParams),
    responses((status = 200, body = TvBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tv(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    Query(params): Query<LanguageParams>,
) -> ApiResult<Json<TvBody>> {
    let id = tmdb_id("tvId", &id)?;
    let found = state
        .services()
        .api
        .tv(&caller, id, params.language.as_deref())
        .await?;
    let s = &found.details;
    let show = i64::from(s.tmdb_id.get());
    Ok(Json(TvBody {
        id: show,
        name: s.title.clone(),
        original_name: s.original_title.clone(),
        original_language: s.original_language.clone(),
        overview: s.overview.clone(),
        first_air_date: day(s.first_air_date),
        status: s.status.clone(),
        in_production: s.in_production,
        number_of_seasons: s.number_of_seasons,
        number_of_episodes: s.number_of_episodes,
        seasons: s
            .seasons
            .iter()
            .map(|season| SeasonBody {
                // TMDB's list has season ids Usher does not keep; Seerr's clients key on the
                // number, so the id is the show's id and the number, unique per show.
                id: u64::from(s.tmdb_id.get()) * 1000 + u64::from(season.number),
                air_date: day(season.air_date),
                episode_count: Some(season.episode_count),
                name: season.name.clone(),
                overview: String::new(),
                poster_path: None,
                season_number: season.number,
                episodes: None,
            })
            .collect(),
        genres: s
            .genres
            .iter()
            .map(|g| GenreBody::new(g.id, &g.name))
            .collect(),
        poster_path: s.poster_path.clone(),
        backdrop_path: s.backdrop_path.clone(),
        vote_average: s.vote_average,
        last_episode_to_air: s
            .last_episode
            .as_ref()
            .map(|e| EpisodeBody::of_ref(show, e)),
        next_episode_to_air: s
            .next_episode
            .as_ref()
            .map(|e| EpisodeBody::of_ref(show, e)),
        created_by: Vec::new(),
        episode_run_time: Vec::new(),
        networks: Vec::new(),
        production_companies: Vec::new(),
        keywords: Vec::new(),
        media_info: MediaInfoBody::of_page(MediaType::Tv, show, &found),
    }))
}

/// One season with its episodes, from TMDB.
#[utoipa::path(get, path = "/tv/{tvId}/season/{seasonId}", tag = "tv", security(("apiKey" = [])),
    params(("tvId" = String, Path, description = "TMDB id"),
        ("seasonId" = String, Path, description = "Season number"), LanguageParams),
    responses((status = 200, body = SeasonBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn season(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path((id, number)): Path<(String, String)>,
    Query(params): Query<LanguageParams>,
) -> ApiResult<Json<SeasonBody>> {
    let id = tmdb_id("tvId", &id)?;
    let number = number
        .parse::<u16>()
        .map_err(|_| ApiError::field("seasonId", "must be a season number, 0 or more"))?;
    let found = state
        .services()
        .api
        .season(&caller, id, number, params.language.as_deref())
        .await?;
    Ok(Json(season_body(&found)))
}

fn season_body(s: &SeasonDetails) -> SeasonBody {
    let show = i64::from(s.show.get());
    SeasonBody {
        id: s.id,
        air_date: day(s.air_date),
        episode_count: None,
        name: s.name.clone(),
        overview: s.overview.clone(),
        poster_path: s.poster_path.clone(),
        season_number: s.number,
        episodes: Some(
            s.episodes
                .iter()
                .map(|e| EpisodeBody::of_details(show, s.number, e))
                .collect(),
        ),
    }
}

/// `GET /discover/trending`'s answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrendingBody {
    /// This page.
    page: u32,
    /// Pages TMDB has.
    total_pages: u32,
    /// Results TMDB has.
    total_results: u32,
    /// Movies and shows.
    results: Vec<SearchResult>,
}

/// `GET /discover/trending`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendingParams {
    /// Page, 1 to 500 (default 1).
    page: Option<String>,
    /// A language such as `fr-FR`.
    language: Option<String>,
}

/// This week's trending movies and shows on TMDB, with `mediaInfo`.
#[utoipa::path(get, path = "/discover/trending", params(TrendingParams), tag = "search",
    security(("apiKey" = [])),
    responses((status = 200, body = TrendingBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn trending(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(params): Query<TrendingParams>,
) -> ApiResult<Json<TrendingBody>> {
    let page = match params.page.as_deref() {
        None | Some("") => 1,
        Some(p) => p
            .parse::<u32>()
            .map_err(|_| ApiError::field("page", "must be between 1 and 500"))?,
    };
    let found = state
        .services()
        .api
        .trending(&caller, page, params.language.as_deref())
        .await?;
    let p = &found.page;
    Ok(Json(TrendingBody {
        page: p.page,
        total_pages: p.total_pages,
        total_results: p.total_results,
        results: p
            .hits
            .iter()
            .map(|h| SearchResult::with_facts(h, found.facts.get(&(h.media_type, h.tmdb_id))))
            .collect(),
    }))
}

/// A TMDB id from the path.
fn tmdb_id(field: &str, text: &str) -> ApiResult<TmdbId> {
    let id = input::positive_id(field, text)?;
    TmdbId::parse(id).map_err(|_| ApiError::field(field, "not a TMDB id"))
}
