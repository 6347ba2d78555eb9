//! The fake's JSON, field for field in the shapes of TMDB's OpenAPI spec
//! (`tmdb-v3-openapi.json`): list items, details, external ids, certifications, keywords.
//! Fields the spec types as strings are never `null` here, so the contract check stays strict.

use serde_json::{Value, json};

use super::catalogue::{Episode, Movie, Season, Show, genre_name};

/// The title in `language` (e.g. `fr-FR`) when the catalogue has it, else the English one.
pub fn localized(
    english: &'static str,
    translations: &'static [(&'static str, &'static str)],
    language: Option<&str>,
) -> &'static str {
    language
        .and_then(|lang| translations.iter().find(|(l, _)| *l == lang))
        .map_or(english, |(_, title)| title)
}

/// A movie as an item of `/3/search/movie`, `/3/trending/movie/…` (and multi, with `media_type`).
pub fn movie_item(movie: &Movie, language: Option<&str>, with_type: bool) -> Value {
    let mut item = json!({
        "adult": false,
        "backdrop_path": movie.backdrop_path,
        "genre_ids": movie.genres,
        "id": movie.id,
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": movie.popularity,
        "poster_path": movie.poster_path,
        "release_date": movie.release_date,
        "title": localized(movie.title, movie.translations, language),
        "video": false,
        "vote_average": movie.vote_average,
        "vote_count": 10_000,
    });
    if with_type {
        item["media_type"] = json!("movie");
    }
    item
}

/// A show as an item of `/3/search/tv`, `/3/trending/tv/…` (and multi, with `media_type`).
pub fn show_item(show: &Show, language: Option<&str>, with_type: bool) -> Value {
    let mut item = json!({
        "adult": false,
        "backdrop_path": show.backdrop_path,
        "genre_ids": show.genres,
        "id": show.id,
        "origin_country": show.origin_country,
        "original_language": show.original_language,
        "original_name": show.original_name,
        "overview": show.overview,
        "popularity": show.popularity,
        "poster_path": show.poster_path,
        "first_air_date": show.first_air_date,
        "name": localized(show.name, show.translations, language),
        "vote_average": show.vote_average,
        "vote_count": 5_000,
    });
    if with_type {
        item["media_type"] = json!("tv");
    }
    item
}

/// A person as an item of `/3/search/multi` (clients must skip it).
pub fn person_item(id: u32, name: &str) -> Value {
    json!({
        "adult": false,
        "id": id,
        "name": name,
        "original_name": name,
        "media_type": "person",
        "popularity": 12.5,
        "gender": 2,
        "known_for_department": "Directing",
        "profile_path": "/zdDx9Xs93UIrJFWYApYR28J8M6b.jpg",
    })
}

/// A page of results, TMDB's envelope.
pub fn page(results: Vec<Value>, page: usize, total_results: usize) -> Value {
    json!({
        "page": page,
        "results": results,
        "total_pages": total_results.div_ceil(super::PAGE_SIZE).max(1),
        "total_results": total_results,
    })
}

fn genres(ids: &[u32]) -> Value {
    ids.iter()
        .map(|id| json!({ "id": id, "name": genre_name(*id) }))
        .collect()
}

/// `/3/movie/{movie_id}`.
pub fn movie_details(movie: &Movie, language: Option<&str>) -> Value {
    json!({
        "adult": false,
        "backdrop_path": movie.backdrop_path,
        "budget": 0,
        "genres": genres(movie.genres),
        "homepage": "",
        "id": movie.id,
        "imdb_id": movie.imdb_id,
        "origin_country": ["US"],
        "original_language": movie.original_language,
        "original_title": movie.original_title,
        "overview": movie.overview,
        "popularity": movie.popularity,
        "poster_path": movie.poster_path,
        "production_companies": [],
        "production_countries": [],
        "release_date": movie.release_date,
        "revenue": 0,
        "runtime": movie.runtime,
        "spoken_languages": [{
            "english_name": if movie.original_language == "ja" { "Japanese" } else { "English" },
            "iso_639_1": movie.original_language,
            "name": "",
        }],
        "status": "Released",
        "tagline": "",
        "title": localized(movie.title, movie.translations, language),
        "video": false,
        "vote_average": movie.vote_average,
        "vote_count": 10_000,
    })
}

fn episode(show: &Show, ep: &Episode) -> Value {
    json!({
        "id": show.id * 100 + ep.season * 10 + ep.episode,
        "name": ep.name,
        "overview": "",
        "vote_average": 0,
        "vote_count": 0,
        "air_date": ep.air_date,
        "episode_number": ep.episode,
        "production_code": "",
        "runtime": 45,
        "season_number": ep.season,
        "show_id": show.id,
        "still_path": show.backdrop_path,
    })
}

/// `/3/tv/{series_id}`.
pub fn show_details(show: &Show, language: Option<&str>) -> Value {
    let regular = show.seasons.iter().filter(|s| s.number > 0);
    let seasons: Vec<Value> = show
        .seasons
        .iter()
        .map(|s| {
            json!({
                "air_date": s.air_date,
                "episode_count": s.episode_count,
                "id": show.id * 10 + s.number,
                "name": s.name,
                "overview": "",
                "poster_path": show.poster_path,
                "season_number": s.number,
                "vote_average": 0,
            })
        })
        .collect();
    json!({
        "adult": false,
        "backdrop_path": show.backdrop_path,
        "created_by": [],
        "episode_run_time": [45],
        "first_air_date": show.first_air_date,
        "genres": genres(show.genres),
        "homepage": "",
        "id": show.id,
        "in_production": show.next_episode.is_some(),
        "languages": [show.original_language],
        "last_air_date": show.last_episode.air_date,
        "last_episode_to_air": episode(show, &show.last_episode),
        "name": localized(show.name, show.translations, language),
        "next_episode_to_air": show.next_episode.as_ref().map(|ep| episode(show, ep)),
        "networks": [],
        "number_of_episodes": regular.clone().map(|s| s.episode_count).sum::<u32>(),
        "number_of_seasons": regular.count(),
        "origin_country": show.origin_country,
        "original_language": show.original_language,
        "original_name": show.original_name,
        "overview": show.overview,
        "popularity": show.popularity,
        "poster_path": show.poster_path,
        "production_companies": [],
        "production_countries": [],
        "seasons": seasons,
        "spoken_languages": [],
        "status": show.status,
        "tagline": "",
        "type": "Scripted",
        "vote_average": show.vote_average,
        "vote_count": 5_000,
    })
}

/// `/3/tv/{series_id}/season/{season_number}`: the season with `episode_count` episodes named
/// "Episode N", each dated the season's air date.
pub fn season_details(show: &Show, season: &Season) -> Value {
    let episodes: Vec<Value> = (1..=season.episode_count)
        .map(|n| {
            json!({
                "air_date": season.air_date,
                "episode_number": n,
                "episode_type": "standard",
                "id": (show.id * 10 + season.number) * 1000 + n,
                "name": format!("Episode {n}"),
                "overview": "",
                "production_code": "",
                "runtime": 45,
                "season_number": season.number,
                "show_id": show.id,
                "still_path": format!("/st1ll{}s{}e{n}.jpg", show.id, season.number),
                "vote_average": 0.0,
                "vote_count": 0,
                "crew": [],
                "guest_stars": [],
            })
        })
        .collect();
    json!({
        "_id": format!("{}-{}", show.id, season.number),
        "air_date": season.air_date,
        "episodes": episodes,
        "name": season.name,
        "overview": "",
        "id": show.id * 10 + season.number,
        "poster_path": show.poster_path,
        "season_number": season.number,
        "vote_average": 0,
    })
}

/// `/3/movie/{movie_id}/external_ids`.
pub fn movie_external_ids(movie: &Movie) -> Value {
    json!({
        "id": movie.id,
        "imdb_id": movie.imdb_id,
        "wikidata_id": null,
        "facebook_id": "",
        "instagram_id": null,
        "twitter_id": null,
    })
}

/// `/3/tv/{series_id}/external_ids`.
pub fn show_external_ids(show: &Show) -> Value {
    json!({
        "id": show.id,
        "imdb_id": show.imdb_id,
        "freebase_mid": "",
        "freebase_id": "",
        "tvdb_id": show.tvdb_id,
        "tvrage_id": 0,
        "wikidata_id": "",
        "facebook_id": "",
        "instagram_id": "",
        "twitter_id": "",
    })
}

/// `/3/movie/{movie_id}/release_dates`: a theatrical release (type 3) with the certification,
/// and a digital one (type 4) without, as TMDB often has — clients must pick the non-empty one.
pub fn release_dates(movie: &Movie) -> Value {
    let results: Vec<Value> = movie
        .certifications
        .iter()
        .map(|(country, cert)| {
            json!({
                "iso_3166_1": country,
                "release_dates": [
                    {
                        "certification": "",
                        "descriptors": [],
                        "iso_639_1": "",
                        "note": "Digital",
                        "release_date": format!("{}T00:00:00.000Z", movie.release_date),
                        "type": 4,
                    },
                    {
                        "certification": cert,
                        "descriptors": [],
                        "iso_639_1": "",
                        "note": "",
                        "release_date": format!("{}T00:00:00.000Z", movie.release_date),
                        "type": 3,
                    },
                ],
            })
        })
        .collect();
    json!({ "id": movie.id, "results": results })
}

/// `/3/tv/{series_id}/content_ratings`.
pub fn content_ratings(show: &Show) -> Value {
    let results: Vec<Value> = show
        .ratings
        .iter()
        .map(|(country, rating)| json!({ "descriptors": [], "iso_3166_1": country, "rating": rating }))
        .collect();
    json!({ "id": show.id, "results": results })
}

fn keyword_list(keywords: &[(u32, &str)]) -> Value {
    keywords
        .iter()
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect()
}

/// `/3/movie/{movie_id}/keywords` (the list is under `keywords`).
pub fn movie_keywords(movie: &Movie) -> Value {
    json!({ "id": movie.id, "keywords": keyword_list(movie.keywords) })
}

/// `/3/tv/{series_id}/keywords` (the list is under `results`: TMDB differs between the two).
pub fn show_keywords(show: &Show) -> Value {
    json!({ "id": show.id, "results": keyword_list(show.keywords) })
}

/// `/3/configuration`, for connection probes.
pub fn configuration() -> Value {
    json!({
        "images": {
            "base_url": "http://image.tmdb.org/t/p/",
            "secure_base_url": "https://image.tmdb.org/t/p/",
            "backdrop_sizes": ["w300", "w780", "w1280", "original"],
            "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
            "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
            "profile_sizes": ["w45", "w185", "h632", "original"],
            "still_sizes": ["w92", "w185", "w300", "original"],
        },
        "change_keys": ["adult", "title"],
    })
}
