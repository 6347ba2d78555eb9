//! What the TMDB client hands back: small, typed snapshots of TMDB's answers, holding only what
//! Usher shows or decides on, so front ends never see TMDB's raw JSON (or its nulls).

use time::Date;

use crate::domain::{MediaType, TmdbId, TvdbId};

/// One search or trending result: enough for a result list or a card with a poster.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Movie or TV (people in multi search results are skipped).
    pub media_type: MediaType,
    /// The title's TMDB id.
    pub tmdb_id: TmdbId,
    /// Title in the requested language (TMDB falls back to the original).
    pub title: String,
    /// Release year (movies) or first-air year (TV), when TMDB knows it.
    pub year: Option<u16>,
    /// Synopsis; empty when TMDB has none.
    pub overview: String,
    /// Poster path, for [`super::TmdbClient::poster_url`].
    pub poster_path: Option<String>,
    /// Backdrop path, for [`super::TmdbClient::backdrop_url`].
    pub backdrop_path: Option<String>,
    /// Average vote, 0–10.
    pub vote_average: f32,
}

/// One page of results, with TMDB's totals so front ends can offer "more".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchPage {
    /// 1-based page number.
    pub page: u32,
    /// Pages TMDB has for this query.
    pub total_pages: u32,
    /// Results TMDB has for this query (people included, for multi).
    pub total_results: u32,
    /// The movies and shows on this page.
    pub hits: Vec<SearchHit>,
}

/// A search as a user typed it; the cache key is derived from its normalized form, so
/// "Dune " and "dune" share one upstream call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    /// The words searched for.
    pub text: String,
    /// An ISO 639-1 (+ region) tag such as `fr-FR`; TMDB's default (en-US) when `None`.
    pub language: Option<String>,
    /// Release year (movies) or first-air year (TV). Multi search has no year parameter at
    /// TMDB, so there it filters the page's hits instead.
    pub year: Option<u16>,
    /// 1-based page, at most 500 (TMDB's limit).
    pub page: u32,
}

impl SearchQuery {
    /// A first-page search for `text` in TMDB's default language.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            language: None,
            year: None,
            page: 1,
        }
    }

    /// The same search in another language.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// The same search restricted to a year.
    pub fn year(mut self, year: u16) -> Self {
        self.year = Some(year);
        self
    }

    /// Another page of the same search.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }
}

/// A TMDB genre, kept whole so anime detection and display can both use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Genre {
    /// Genre id (16 is Animation).
    pub id: u32,
    /// Display name in the requested language.
    pub name: String,
}

/// A TMDB keyword (210024 is "anime").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    /// Keyword id.
    pub id: u32,
    /// Keyword text.
    pub name: String,
}

/// What a content limit decides on for one title: its certifications per country, its genre
/// names and its keywords, fetched in one call and cached (see
/// [`super::TmdbClient::content_facts`]). Genre names are TMDB's English ones, so blocklists
/// match whatever language a person reads in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContentFacts {
    /// (country, certification) pairs: a movie's most telling release, a show's rating.
    pub certifications: Vec<(String, String)>,
    /// Genre names, in English.
    pub genres: Vec<String>,
    /// Keyword texts.
    pub keywords: Vec<String>,
}

impl ContentFacts {
    /// The borrowed view [`crate::domain::ContentLimit::admits`] reads.
    pub fn as_facts(&self) -> crate::domain::TitleFacts<'_> {
        crate::domain::TitleFacts {
            certifications: &self.certifications,
            genres: &self.genres,
            keywords: &self.keywords,
        }
    }
}

/// A movie's page: what a request card and Radarr submission need.
#[derive(Debug, Clone, PartialEq)]
pub struct MovieDetails {
    /// TMDB id.
    pub tmdb_id: TmdbId,
    /// Title in the requested language.
    pub title: String,
    /// Title in the original language.
    pub original_title: String,
    /// ISO 639-1 code of the original language.
    pub original_language: String,
    /// First release date.
    pub release_date: Option<Date>,
    /// Release year.
    pub year: Option<u16>,
    /// Synopsis.
    pub overview: String,
    /// Running time in minutes.
    pub runtime_minutes: Option<u32>,
    /// "Released", "In Production", …
    pub status: String,
    /// Genres.
    pub genres: Vec<Genre>,
    /// IMDb id, when known.
    pub imdb_id: Option<String>,
    /// Poster path.
    pub poster_path: Option<String>,
    /// Backdrop path.
    pub backdrop_path: Option<String>,
    /// Average vote, 0–10.
    pub vote_average: f32,
}

/// One season as TMDB numbers it (which may differ from TVDB's, hence Sonarr's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonInfo {
    /// Season number; 0 is "Specials".
    pub number: u16,
    /// Episodes TMDB lists for it.
    pub episode_count: u32,
    /// First air date.
    pub air_date: Option<Date>,
    /// Season name ("Season 1", "The Final Season").
    pub name: String,
}

/// An episode reference: the last aired or the next to air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeRef {
    /// Season number.
    pub season: u16,
    /// Episode number within the season.
    pub episode: u32,
    /// Air date.
    pub air_date: Option<Date>,
    /// Episode title.
    pub name: String,
}

/// A show's page: what the per-season picker and Sonarr submission need.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowDetails {
    /// TMDB id.
    pub tmdb_id: TmdbId,
    /// Name in the requested language.
    pub title: String,
    /// Name in the original language.
    pub original_title: String,
    /// ISO 639-1 code of the original language.
    pub original_language: String,
    /// First air date.
    pub first_air_date: Option<Date>,
    /// First-air year.
    pub year: Option<u16>,
    /// Synopsis.
    pub overview: String,
    /// "Returning Series", "Ended", "Canceled", …
    pub status: String,
    /// Whether new episodes are still being made.
    pub in_production: bool,
    /// Regular seasons, as TMDB counts them.
    pub number_of_seasons: u16,
    /// Episodes across regular seasons.
    pub number_of_episodes: u32,
    /// Every season, specials (0) included, in TMDB's order.
    pub seasons: Vec<SeasonInfo>,
    /// The last episode that aired.
    pub last_episode: Option<EpisodeRef>,
    /// The next episode announced, for running shows.
    pub next_episode: Option<EpisodeRef>,
    /// Genres.
    pub genres: Vec<Genre>,
    /// Poster path.
    pub poster_path: Option<String>,
    /// Backdrop path.
    pub backdrop_path: Option<String>,
    /// Average vote, 0–10.
    pub vote_average: f32,
}

impl ShowDetails {
    /// Seasons a user can request: everything but specials.
    pub fn regular_seasons(&self) -> impl Iterator<Item = &SeasonInfo> {
        self.seasons.iter().filter(|s| s.number > 0)
    }
}

/// Ids of the same title elsewhere: Sonarr adds by TVDB id, Radarr and media servers also
/// match on IMDb ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExternalIds {
    /// IMDb id (`tt…`).
    pub imdb_id: Option<String>,
    /// TVDB id; TMDB has none for movies.
    pub tvdb_id: Option<TvdbId>,
}

/// Which list of trending titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trending {
    /// Movies and shows together.
    All,
    /// Movies only.
    Movie,
    /// Shows only.
    Tv,
}

impl Trending {
    pub(super) fn segment(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Movie => "movie",
            Self::Tv => "tv",
        }
    }
}

/// A list to browse without a query (`/discover` in the chats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Browse {
    /// Popular movies or shows (`/3/movie/popular`, `/3/tv/popular`).
    Popular(MediaType),
    /// Movies coming to cinemas (`/3/movie/upcoming`).
    Upcoming,
    /// Movies or shows of one TMDB genre, most popular first (`/3/discover/…?with_genres=`).
    Genre(MediaType, u32),
}

/// Over which period trending is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeWindow {
    /// The last day.
    Day,
    /// The last week.
    Week,
}

impl TimeWindow {
    pub(super) fn segment(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
        }
    }
}

/// One episode of a season's list (`/3/tv/{id}/season/{n}`), as Seerr's season page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeDetails {
    /// TMDB's episode id.
    pub id: u64,
    /// Episode number within the season.
    pub number: u32,
    /// Episode title.
    pub name: String,
    /// Synopsis; empty when TMDB has none.
    pub overview: String,
    /// Air date.
    pub air_date: Option<Date>,
    /// Still image path.
    pub still_path: Option<String>,
    /// Average vote, 0–10.
    pub vote_average: f32,
}

/// A season with its episodes: what the API's season page (Seerr's `Season`) shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonDetails {
    /// TMDB's season id (not the number).
    pub id: u64,
    /// The show's TMDB id.
    pub show: TmdbId,
    /// Season number; 0 is "Specials".
    pub number: u16,
    /// Season name.
    pub name: String,
    /// Synopsis.
    pub overview: String,
    /// First air date.
    pub air_date: Option<Date>,
    /// Poster path.
    pub poster_path: Option<String>,
    /// The episodes, in TMDB's order.
    pub episodes: Vec<EpisodeDetails>,
}
