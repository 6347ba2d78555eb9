//! The fake TMDB's small catalogue: a handful of real titles with their real TMDB, TVDB and IMDb
//! ids (so other fakes — Sonarr, Radarr, Jellyfin — can agree on them), plus one made-up show
//! whose TMDB and TVDB season counts differ, the case that breaks naive Sonarr submissions.
//! Overviews are shortened; ratings and popularity are plausible, not live figures.

/// TMDB's genre id for Animation (movies and TV alike).
pub const ANIMATION: u32 = 16;
/// TMDB's keyword id for "anime".
pub const ANIME_KEYWORD: u32 = 210024;

/// Genre names by id, movie and TV lists merged (TMDB uses the same ids where they overlap).
pub static GENRES: &[(u32, &str)] = &[
    (12, "Adventure"),
    (14, "Fantasy"),
    (16, "Animation"),
    (18, "Drama"),
    (28, "Action"),
    (80, "Crime"),
    (878, "Science Fiction"),
    (9648, "Mystery"),
    (10751, "Family"),
    (10752, "War"),
    (10759, "Action & Adventure"),
    (10762, "Kids"),
    (10765, "Sci-Fi & Fantasy"),
];

/// One movie as the fake serves it.
#[derive(Debug)]
pub struct Movie {
    /// TMDB id.
    pub id: u32,
    /// English title.
    pub title: &'static str,
    /// Title in the original language.
    pub original_title: &'static str,
    /// ISO 639-1 code.
    pub original_language: &'static str,
    /// `YYYY-MM-DD`.
    pub release_date: &'static str,
    /// Short synopsis.
    pub overview: &'static str,
    /// Poster path, to be appended to an image base URL.
    pub poster_path: &'static str,
    /// Backdrop path.
    pub backdrop_path: &'static str,
    /// Genre ids.
    pub genres: &'static [u32],
    /// Minutes.
    pub runtime: u32,
    /// IMDb id.
    pub imdb_id: &'static str,
    /// Average vote.
    pub vote_average: f64,
    /// TMDB popularity.
    pub popularity: f64,
    /// (country, certification) of the theatrical release.
    pub certifications: &'static [(&'static str, &'static str)],
    /// (id, name).
    pub keywords: &'static [(u32, &'static str)],
    /// (language tag, translated title), honoured through `language=`.
    pub translations: &'static [(&'static str, &'static str)],
}

/// One season of a show.
#[derive(Debug)]
pub struct Season {
    /// 0 is "Specials", as on TMDB.
    pub number: u32,
    /// Episodes TMDB lists.
    pub episode_count: u32,
    /// First air date.
    pub air_date: &'static str,
    /// Season name.
    pub name: &'static str,
}

/// An episode reference (last aired, next to air).
#[derive(Debug)]
pub struct Episode {
    /// Season number.
    pub season: u32,
    /// Episode number within the season.
    pub episode: u32,
    /// Air date.
    pub air_date: &'static str,
    /// Episode title.
    pub name: &'static str,
}

/// One show as the fake serves it.
#[derive(Debug)]
pub struct Show {
    /// TMDB id.
    pub id: u32,
    /// English name.
    pub name: &'static str,
    /// Name in the original language.
    pub original_name: &'static str,
    /// ISO 639-1 code.
    pub original_language: &'static str,
    /// `YYYY-MM-DD`.
    pub first_air_date: &'static str,
    /// Short synopsis.
    pub overview: &'static str,
    /// Poster path.
    pub poster_path: &'static str,
    /// Backdrop path.
    pub backdrop_path: &'static str,
    /// Genre ids.
    pub genres: &'static [u32],
    /// "Ended", "Returning Series", …
    pub status: &'static str,
    /// ISO 3166-1 codes.
    pub origin_country: &'static [&'static str],
    /// Seasons as TMDB numbers them.
    pub seasons: &'static [Season],
    /// Last aired episode.
    pub last_episode: Episode,
    /// Next episode, for running shows.
    pub next_episode: Option<Episode>,
    /// TVDB id (what Sonarr adds by).
    pub tvdb_id: u32,
    /// How many regular seasons TVDB (hence Sonarr) has, which can differ from TMDB's.
    pub tvdb_seasons: u32,
    /// IMDb id.
    pub imdb_id: &'static str,
    /// Average vote.
    pub vote_average: f64,
    /// TMDB popularity.
    pub popularity: f64,
    /// (country, rating).
    pub ratings: &'static [(&'static str, &'static str)],
    /// (id, name).
    pub keywords: &'static [(u32, &'static str)],
    /// (language tag, translated name).
    pub translations: &'static [(&'static str, &'static str)],
}

pub use super::titles::{MOVIES, SHOWS};

/// A person, so multi search has something to skip (`media_type: "person"`).
pub static PEOPLE: &[(u32, &str)] = &[(137427, "Denis Villeneuve")];

/// Trending titles for a window (`day`, anything else is `week`), as (is_movie, id).
pub fn trending(window: &str) -> &'static [(bool, u32)] {
    match window {
        "day" => &[
            (true, 693134),
            (false, 1429),
            (true, 438631),
            (false, 990001),
            // R-rated: a content limit's test finds it missing for a capped member.
            (true, 530915),
        ],
        _ => &[
            (true, 693134),
            (false, 94605),
            (true, 27205),
            (false, 1396),
            (true, 129),
        ],
    }
}

/// TMDB ids from here on are the synthetic shelf (the same range as the fake Radarr's
/// synthetic movies), so a benchmark can request thousands of distinct films.
pub const SHELF_FROM: u32 = 5_000_000;

/// How many films the synthetic shelf holds.
pub const SHELF_SIZE: u32 = 5_000;

/// The synthetic films, "Shelf 00042 Reel" for id `SHELF_FROM + 42`: made once, then served
/// like the hand-written ones. Each title matches only its own number's search.
pub fn shelf() -> &'static [Movie] {
    static SHELF: std::sync::OnceLock<Vec<Movie>> = std::sync::OnceLock::new();
    SHELF.get_or_init(|| (0..SHELF_SIZE).map(shelf_film).collect())
}

/// The search text that finds exactly shelf film `n`.
pub fn shelf_query(n: u32) -> String {
    format!("shelf {n:05} reel")
}

fn shelf_film(n: u32) -> Movie {
    let title: &'static str = Box::leak(format!("Shelf {n:05} Reel").into_boxed_str());
    Movie {
        id: SHELF_FROM + n,
        title,
        original_title: title,
        original_language: "en",
        release_date: "2020-01-01",
        overview: "A film made up for benchmarks.",
        poster_path: "/shelf.jpg",
        backdrop_path: "",
        genres: &[18],
        runtime: 100,
        imdb_id: "",
        vote_average: 6.0,
        popularity: 1.0,
        certifications: &[],
        keywords: &[],
        translations: &[],
    }
}

/// A movie with a 400-character title (TMDB has such titles), found by its id only: no
/// search, trending list or count of the catalogue sees it, so it changes no other test.
pub static LONG_TITLE: Movie = Movie {
    id: 990_400,
    title: "Fantastic Voyage Across Seven Seas Beneath Three Moons While Everybody Sings Songs About Forgotten Kingdoms Ruled By Clever Foxes Who Never Learned Patience Nor Humility Until Métropole Déjà Vu Returned Carrying Lanterns Through Endless Winter Nights Filled With Whispered Promises Ancient Riddles Lost Maps Stolen Crowns Broken Compasses Silver Keys Golden Doors Painted Skies Quiet Rivers Hidden Va",
    original_title: "Long",
    original_language: "en",
    release_date: "2024-04-01",
    overview: "A title longer than any chat platform shows in one line.",
    poster_path: "",
    backdrop_path: "",
    genres: &[12],
    runtime: 90,
    imdb_id: "tt9904000",
    vote_average: 6.1,
    popularity: 1.0,
    certifications: &[],
    keywords: &[],
    translations: &[],
};

/// A movie by id (the hand-written ones, the long title, then the synthetic shelf).
pub fn movie(id: u32) -> Option<&'static Movie> {
    MOVIES
        .iter()
        .find(|m| m.id == id)
        .or_else(|| (id == LONG_TITLE.id).then_some(&LONG_TITLE))
        .or_else(|| {
            id.checked_sub(SHELF_FROM)
                .filter(|n| *n < SHELF_SIZE)
                .map(|n| &shelf()[n as usize])
        })
}

/// A show by id.
pub fn show(id: u32) -> Option<&'static Show> {
    SHOWS.iter().find(|s| s.id == id)
}

/// A genre's name.
pub fn genre_name(id: u32) -> &'static str {
    GENRES
        .iter()
        .find(|(g, _)| *g == id)
        .map_or("Unknown", |(_, name)| name)
}
