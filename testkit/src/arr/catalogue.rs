//! What the fakes' metadata sources know: a few movies by TMDB id and series by TVDB id, shaped
//! as the apps' lookups return them (a `MovieResource` / `SeriesResource` without an `id`).

use serde_json::{Value, json};

/// One movie of the catalogue.
struct Movie {
    tmdb: i64,
    title: &'static str,
    year: i64,
    imdb: &'static str,
    runtime: i64,
    genres: &'static [&'static str],
}

const MOVIES: [Movie; 4] = [
    Movie {
        tmdb: 438631,
        title: "Dune",
        year: 2021,
        imdb: "tt1160419",
        runtime: 155,
        genres: &["Science Fiction", "Adventure"],
    },
    Movie {
        tmdb: 27205,
        title: "Inception",
        year: 2010,
        imdb: "tt1375666",
        runtime: 148,
        genres: &["Action", "Science Fiction"],
    },
    Movie {
        tmdb: 603,
        title: "The Matrix",
        year: 1999,
        imdb: "tt0133093",
        runtime: 136,
        genres: &["Action", "Science Fiction"],
    },
    Movie {
        tmdb: 693134,
        title: "Dune: Part Two",
        year: 2024,
        imdb: "tt15239678",
        runtime: 167,
        genres: &["Science Fiction", "Adventure"],
    },
];

/// One series of the catalogue; seasons run from 0 (specials) to `last_season`.
struct Series {
    tvdb: i64,
    tmdb: i64,
    title: &'static str,
    year: i64,
    last_season: i64,
    genres: &'static [&'static str],
    network: &'static str,
}

const SERIES: [Series; 3] = [
    Series {
        tvdb: 81189,
        tmdb: 1396,
        title: "Breaking Bad",
        year: 2008,
        last_season: 5,
        genres: &["Crime", "Drama", "Thriller"],
        network: "AMC",
    },
    Series {
        tvdb: 121361,
        tmdb: 1399,
        title: "Game of Thrones",
        year: 2011,
        last_season: 8,
        genres: &["Adventure", "Drama", "Fantasy"],
        network: "HBO",
    },
    Series {
        tvdb: 267440,
        tmdb: 1429,
        title: "Attack on Titan",
        year: 2013,
        last_season: 4,
        genres: &["Action", "Animation", "Anime", "Fantasy"],
        network: "MBS",
    },
];

/// TMDB ids from here on are synthetic movies ("Synthetic Movie <id>"), so load and replica
/// tests can request thousands of distinct titles.
pub const SYNTHETIC_MOVIES_FROM: i64 = 5_000_000;

/// A synthetic movie for ids at or above [`SYNTHETIC_MOVIES_FROM`].
fn synthetic(tmdb_id: i64) -> Option<Movie> {
    (tmdb_id >= SYNTHETIC_MOVIES_FROM).then_some(Movie {
        tmdb: tmdb_id,
        title: "Synthetic Movie",
        year: 2020,
        imdb: "",
        runtime: 100,
        genres: &["Drama"],
    })
}

/// A catalogue movie as Radarr's lookup returns it.
pub(crate) fn movie(tmdb_id: i64) -> Option<Value> {
    let found = MOVIES.iter().find(|m| m.tmdb == tmdb_id);
    let owned = if found.is_none() {
        synthetic(tmdb_id)
    } else {
        None
    };
    let m = found.or(owned.as_ref())?;
    let (title, year, tmdb) = (m.title, m.year, m.tmdb);
    let clean = title.to_lowercase().replace([' ', ':'], "");
    let slug = format!(
        "{}-{tmdb}",
        title.to_lowercase().replace(": ", "-").replace(' ', "-")
    );
    Some(json!({
        "title": title, "originalTitle": title,
        "originalLanguage": { "id": 1, "name": "English" },
        "alternateTitles": [], "secondaryYearSourceId": 0, "sortTitle": title.to_lowercase(),
        "sizeOnDisk": 0, "status": "released", "overview": format!("{title} ({year})."),
        "inCinemas": format!("{year}-09-15T00:00:00Z"),
        "physicalRelease": format!("{year}-12-01T00:00:00Z"),
        "images": [{
            "coverType": "poster",
            "remoteUrl": format!("https://image.tmdb.org/t/p/original/{tmdb}.jpg"),
        }],
        "website": "", "year": year, "youTubeTrailerId": "", "studio": "Legendary Pictures",
        "qualityProfileId": 0, "hasFile": false, "movieFileId": 0, "monitored": false,
        "minimumAvailability": "tba", "isAvailable": true, "folderName": "", "runtime": m.runtime,
        "cleanTitle": clean, "imdbId": m.imdb, "tmdbId": tmdb, "titleSlug": slug,
        "certification": "PG-13", "genres": m.genres, "keywords": [], "tags": [],
        "added": "0001-01-01T00:00:00Z",
        "ratings": { "tmdb": { "votes": 12000, "value": 7.8, "type": "user" } },
        "popularity": 120.5,
        "statistics": { "movieFileCount": 0, "sizeOnDisk": 0, "releaseGroups": [] },
    }))
}

/// A catalogue series as Sonarr's lookup returns it.
pub(crate) fn series(tvdb_id: i64) -> Option<Value> {
    let s = SERIES.iter().find(|s| s.tvdb == tvdb_id)?;
    let (title, year, tvdb, last) = (s.title, s.year, s.tvdb, s.last_season);
    let seasons: Vec<Value> = (0..=last)
        .map(|n| {
            json!({ "seasonNumber": n, "monitored": n > 0, "statistics": {
                "episodeFileCount": 0, "episodeCount": 0, "totalEpisodeCount": 10,
                "sizeOnDisk": 0, "releaseGroups": [],
            } })
        })
        .collect();
    let poster = format!("https://artworks.thetvdb.com/banners/{tvdb}.jpg");
    Some(json!({
        "title": title, "alternateTitles": [], "sortTitle": title.to_lowercase(),
        "status": "ended", "ended": true, "overview": format!("{title} ({year})."),
        "network": s.network, "airTime": "21:00",
        "images": [{ "coverType": "poster", "remoteUrl": poster }],
        "originalLanguage": { "id": 1, "name": "English" }, "remotePoster": poster,
        "seasons": seasons, "year": year, "qualityProfileId": 0, "seasonFolder": false,
        "monitored": false, "monitorNewItems": "all", "useSceneNumbering": false, "runtime": 47,
        "tvdbId": tvdb, "tvRageId": 0, "tvMazeId": 0, "tmdbId": s.tmdb,
        "firstAired": format!("{year}-01-20T00:00:00Z"), "seriesType": "standard",
        "cleanTitle": title.to_lowercase().replace(' ', ""), "imdbId": "",
        "titleSlug": title.to_lowercase().replace(' ', "-"), "folder": title,
        "certification": "TV-MA", "genres": s.genres, "tags": [],
        "added": "0001-01-01T00:00:00Z", "ratings": { "votes": 30000, "value": 9.1 },
        "statistics": { "seasonCount": last, "episodeFileCount": 0, "episodeCount": 0,
                        "totalEpisodeCount": last * 10, "sizeOnDisk": 0, "releaseGroups": [] },
    }))
}

/// TMDB ids of the movies a Radarr lookup term finds: `tmdb:ID` (a catalogue or synthetic
/// id), or words of a catalogue title.
pub(crate) fn movies_matching(term: &str) -> Vec<i64> {
    let term = term.trim().to_lowercase();
    if let Some(id) = term.strip_prefix("tmdb:") {
        return id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| movie(*id).is_some())
            .into_iter()
            .collect();
    }
    MOVIES
        .iter()
        .filter(|m| !term.is_empty() && m.title.to_lowercase().contains(&term))
        .map(|m| m.tmdb)
        .collect()
}

/// TVDB ids of the series a Sonarr lookup term finds: `tvdb:ID`, or words of a title.
pub(crate) fn series_matching(term: &str) -> Vec<i64> {
    let term = term.trim().to_lowercase();
    let by_id = term
        .strip_prefix("tvdb:")
        .and_then(|id| id.trim().parse::<i64>().ok());
    SERIES
        .iter()
        .filter(|s| match by_id {
            Some(id) => s.tvdb == id,
            None => !term.is_empty() && s.title.to_lowercase().contains(&term),
        })
        .map(|s| s.tvdb)
        .collect()
}
