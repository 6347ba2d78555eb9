//! TMDB's JSON as it arrives, lenient where TMDB is loose (missing fields, `null` strings,
//! empty dates), and its conversion into the typed snapshots of [`super::types`]. A result with
//! an impossible id is dropped rather than failing the whole page.

use serde::Deserialize;
use time::Date;
use time::macros::format_description;

use super::types::{
    EpisodeDetails, EpisodeRef, ExternalIds, Genre, Keyword, MovieDetails, SearchHit, SearchPage,
    SeasonDetails, SeasonInfo, ShowDetails,
};
use crate::domain::{MediaType, TmdbId, TvdbId};

/// `YYYY-MM-DD`; TMDB sends `""` or `null` when unknown, which become `None`.
fn date(raw: Option<&str>) -> Option<Date> {
    let raw = raw?.get(..10)?;
    Date::parse(raw, format_description!("[year]-[month]-[day]")).ok()
}

fn year(raw: Option<&str>) -> Option<u16> {
    raw?.get(..4)?.parse().ok()
}

fn non_empty(raw: Option<String>) -> Option<String> {
    raw.filter(|s| !s.trim().is_empty())
}

/// A list page (search, trending).
#[derive(Debug, Deserialize)]
pub(super) struct RawPage {
    #[serde(default)]
    page: u32,
    #[serde(default)]
    results: Vec<RawHit>,
    #[serde(default)]
    total_pages: u32,
    #[serde(default)]
    total_results: u32,
}

#[derive(Debug, Deserialize)]
struct RawHit {
    id: i64,
    media_type: Option<String>,
    title: Option<String>,
    name: Option<String>,
    release_date: Option<String>,
    first_air_date: Option<String>,
    overview: Option<String>,
    poster_path: Option<String>,
    backdrop_path: Option<String>,
    vote_average: Option<f64>,
}

impl RawPage {
    /// The page's movies and shows; `kind` is the type of a movie or TV list, `None` for lists
    /// that say it per item (multi, trending/all), whose people are skipped.
    pub fn into_page(self, kind: Option<MediaType>) -> SearchPage {
        let hits = self
            .results
            .into_iter()
            .filter_map(|hit| hit.into_hit(kind))
            .collect();
        SearchPage {
            page: self.page,
            total_pages: self.total_pages,
            total_results: self.total_results,
            hits,
        }
    }
}

impl RawHit {
    fn into_hit(self, kind: Option<MediaType>) -> Option<SearchHit> {
        let media_type = match (kind, self.media_type.as_deref()) {
            (Some(kind), _) => kind,
            (None, Some("movie")) => MediaType::Movie,
            (None, Some("tv")) => MediaType::Tv,
            _ => return None,
        };
        let tmdb_id = TmdbId::parse(self.id).ok()?;
        let (title, date) = match media_type {
            MediaType::Movie => (self.title.or(self.name), self.release_date),
            MediaType::Tv => (self.name.or(self.title), self.first_air_date),
        };
        Some(SearchHit {
            media_type,
            tmdb_id,
            title: non_empty(title)?,
            year: year(date.as_deref()),
            overview: self.overview.unwrap_or_default(),
            poster_path: non_empty(self.poster_path),
            backdrop_path: non_empty(self.backdrop_path),
            vote_average: self.vote_average.unwrap_or_default() as f32,
        })
    }
}

#[derive(Debug, Deserialize)]
struct RawGenre {
    id: u32,
    #[serde(default)]
    name: String,
}

fn genres(raw: Vec<RawGenre>) -> Vec<Genre> {
    raw.into_iter()
        .map(|g| Genre {
            id: g.id,
            name: g.name,
        })
        .collect()
}

/// `/3/movie/{id}`.
#[derive(Debug, Deserialize)]
pub(super) struct RawMovie {
    id: i64,
    title: Option<String>,
    original_title: Option<String>,
    original_language: Option<String>,
    release_date: Option<String>,
    overview: Option<String>,
    runtime: Option<u32>,
    status: Option<String>,
    #[serde(default)]
    genres: Vec<RawGenre>,
    imdb_id: Option<String>,
    poster_path: Option<String>,
    backdrop_path: Option<String>,
    vote_average: Option<f64>,
}

impl RawMovie {
    /// The typed snapshot, or `None` when TMDB sent an impossible id.
    pub fn into_details(self) -> Option<MovieDetails> {
        let original_title = self.original_title.unwrap_or_default();
        Some(MovieDetails {
            tmdb_id: TmdbId::parse(self.id).ok()?,
            title: non_empty(self.title).unwrap_or_else(|| original_title.clone()),
            original_title,
            original_language: self.original_language.unwrap_or_default(),
            release_date: date(self.release_date.as_deref()),
            year: year(self.release_date.as_deref()),
            overview: self.overview.unwrap_or_default(),
            runtime_minutes: self.runtime.filter(|m| *m > 0),
            status: self.status.unwrap_or_default(),
            genres: genres(self.genres),
            imdb_id: non_empty(self.imdb_id),
            poster_path: non_empty(self.poster_path),
            backdrop_path: non_empty(self.backdrop_path),
            vote_average: self.vote_average.unwrap_or_default() as f32,
        })
    }
}

#[derive(Debug, Deserialize)]
struct RawSeason {
    season_number: i64,
    #[serde(default)]
    episode_count: u32,
    air_date: Option<String>,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawEpisode {
    season_number: i64,
    episode_number: u32,
    air_date: Option<String>,
    name: Option<String>,
}

impl RawEpisode {
    fn into_ref(self) -> Option<EpisodeRef> {
        Some(EpisodeRef {
            season: u16::try_from(self.season_number).ok()?,
            episode: self.episode_number,
            air_date: date(self.air_date.as_deref()),
            name: self.name.unwrap_or_default(),
        })
    }
}

/// `/3/tv/{id}`.
#[derive(Debug, Deserialize)]
pub(super) struct RawShow {
    id: i64,
    name: Option<String>,
    original_name: Option<String>,
    original_language: Option<String>,
    first_air_date: Option<String>,
    overview: Option<String>,
    status: Option<String>,
    #[serde(default)]
    in_production: bool,
    #[serde(default)]
    number_of_seasons: u16,
    #[serde(default)]
    number_of_episodes: u32,
    #[serde(default)]
    seasons: Vec<RawSeason>,
    last_episode_to_air: Option<RawEpisode>,
    next_episode_to_air: Option<RawEpisode>,
    #[serde(default)]
    genres: Vec<RawGenre>,
    poster_path: Option<String>,
    backdrop_path: Option<String>,
    vote_average: Option<f64>,
}

impl RawShow {
    /// The typed snapshot, or `None` when TMDB sent an impossible id.
    pub fn into_details(self) -> Option<ShowDetails> {
        let original_title = self.original_name.unwrap_or_default();
        let seasons = self
            .seasons
            .into_iter()
            .filter_map(|s| {
                Some(SeasonInfo {
                    number: u16::try_from(s.season_number).ok()?,
                    episode_count: s.episode_count,
                    air_date: date(s.air_date.as_deref()),
                    name: s.name.unwrap_or_default(),
                })
            })
            .collect();
        Some(ShowDetails {
            tmdb_id: TmdbId::parse(self.id).ok()?,
            title: non_empty(self.name).unwrap_or_else(|| original_title.clone()),
            original_title,
            original_language: self.original_language.unwrap_or_default(),
            first_air_date: date(self.first_air_date.as_deref()),
            year: year(self.first_air_date.as_deref()),
            overview: self.overview.unwrap_or_default(),
            status: self.status.unwrap_or_default(),
            in_production: self.in_production,
            number_of_seasons: self.number_of_seasons,
            number_of_episodes: self.number_of_episodes,
            seasons,
            last_episode: self.last_episode_to_air.and_then(RawEpisode::into_ref),
            next_episode: self.next_episode_to_air.and_then(RawEpisode::into_ref),
            genres: genres(self.genres),
            poster_path: non_empty(self.poster_path),
            backdrop_path: non_empty(self.backdrop_path),
            vote_average: self.vote_average.unwrap_or_default() as f32,
        })
    }
}

/// `/3/tv/{id}/season/{number}`.
#[derive(Debug, Deserialize)]
pub(super) struct RawSeasonDetails {
    id: i64,
    season_number: i64,
    name: Option<String>,
    overview: Option<String>,
    air_date: Option<String>,
    poster_path: Option<String>,
    #[serde(default)]
    episodes: Vec<RawSeasonEpisode>,
}

#[derive(Debug, Deserialize)]
struct RawSeasonEpisode {
    id: i64,
    episode_number: u32,
    name: Option<String>,
    overview: Option<String>,
    air_date: Option<String>,
    still_path: Option<String>,
    vote_average: Option<f64>,
}

impl RawSeasonDetails {
    /// The typed snapshot of `show`'s season, or `None` when TMDB sent impossible numbers;
    /// an episode with an impossible id is dropped.
    pub fn into_details(self, show: TmdbId) -> Option<SeasonDetails> {
        let episodes = self
            .episodes
            .into_iter()
            .filter_map(|e| {
                Some(EpisodeDetails {
                    id: u64::try_from(e.id).ok()?,
                    number: e.episode_number,
                    name: e.name.unwrap_or_default(),
                    overview: e.overview.unwrap_or_default(),
                    air_date: date(e.air_date.as_deref()),
                    still_path: non_empty(e.still_path),
                    vote_average: e.vote_average.unwrap_or_default() as f32,
                })
            })
            .collect();
        Some(SeasonDetails {
            id: u64::try_from(self.id).ok()?,
            show,
            number: u16::try_from(self.season_number).ok()?,
            name: self.name.unwrap_or_default(),
            overview: self.overview.unwrap_or_default(),
            air_date: date(self.air_date.as_deref()),
            poster_path: non_empty(self.poster_path),
            episodes,
        })
    }
}

/// `/3/{movie,tv}/{id}/external_ids`.
#[derive(Debug, Deserialize)]
pub(super) struct RawExternalIds {
    imdb_id: Option<String>,
    tvdb_id: Option<i64>,
}

impl From<RawExternalIds> for ExternalIds {
    fn from(raw: RawExternalIds) -> Self {
        Self {
            imdb_id: non_empty(raw.imdb_id),
            tvdb_id: raw.tvdb_id.and_then(|id| TvdbId::parse(id).ok()),
        }
    }
}

/// `/3/movie/{id}/release_dates`.
#[derive(Debug, Deserialize)]
pub(super) struct RawReleaseDates {
    #[serde(default)]
    results: Vec<RawCountryReleases>,
}

#[derive(Debug, Deserialize)]
struct RawCountryReleases {
    iso_3166_1: String,
    #[serde(default)]
    release_dates: Vec<RawRelease>,
}

#[derive(Debug, Deserialize)]
struct RawRelease {
    #[serde(default)]
    certification: String,
    #[serde(default, rename = "type")]
    kind: u8,
}

/// TMDB's release types: 3 is theatrical, then digital (4), physical (5), limited (2),
/// premiere (1), TV (6) — the order in which a certification is trusted.
const RELEASE_PREFERENCE: [u8; 6] = [3, 4, 5, 2, 1, 6];

impl RawReleaseDates {
    /// (country, certification) pairs, one per country, from the most telling release type.
    pub fn into_certifications(self) -> Vec<(String, String)> {
        self.results
            .into_iter()
            .filter_map(|country| {
                let rank = |r: &RawRelease| {
                    RELEASE_PREFERENCE
                        .iter()
                        .position(|k| *k == r.kind)
                        .unwrap_or(RELEASE_PREFERENCE.len())
                };
                let best = country
                    .release_dates
                    .into_iter()
                    .filter(|r| !r.certification.trim().is_empty())
                    .min_by_key(rank)?;
                Some((country.iso_3166_1, best.certification.trim().to_owned()))
            })
            .collect()
    }
}

/// `/3/tv/{id}/content_ratings`.
#[derive(Debug, Deserialize)]
pub(super) struct RawContentRatings {
    #[serde(default)]
    results: Vec<RawRating>,
}

#[derive(Debug, Deserialize)]
struct RawRating {
    iso_3166_1: String,
    #[serde(default)]
    rating: String,
}

impl RawContentRatings {
    /// (country, rating) pairs with a rating.
    pub fn into_certifications(self) -> Vec<(String, String)> {
        self.results
            .into_iter()
            .filter(|r| !r.rating.trim().is_empty())
            .map(|r| (r.iso_3166_1, r.rating.trim().to_owned()))
            .collect()
    }
}

/// `/3/movie/{id}/keywords` (list under `keywords`) and `/3/tv/{id}/keywords` (under `results`).
#[derive(Debug, Deserialize)]
pub(super) struct RawKeywords {
    #[serde(default, alias = "results")]
    keywords: Vec<RawKeyword>,
}

#[derive(Debug, Deserialize)]
struct RawKeyword {
    id: u32,
    #[serde(default)]
    name: String,
}

impl RawKeywords {
    /// The keywords.
    pub fn into_keywords(self) -> Vec<Keyword> {
        self.keywords
            .into_iter()
            .map(|k| Keyword {
                id: k.id,
                name: k.name,
            })
            .collect()
    }
}
