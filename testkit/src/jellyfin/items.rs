//! The fake's `/Items`: movies, series and episodes, filtered and paged like Jellyfin 10.11
//! (`includeItemTypes`, `fields`, `hasTmdbId`, `ids`, `isMissing`, `minDateLastSaved`,
//! `startIndex`, `limit`; `AnyProviderIdEquals` only as Emby).

use std::collections::HashSet;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Movie, Params, Product, Series, Shared, authorized, bad_request, lock, unauthorized};

const KINDS: [&str; 8] = [
    "Movie",
    "Series",
    "Season",
    "Episode",
    "BoxSet",
    "Folder",
    "CollectionFolder",
    "Video",
];
const FIELDS: [&str; 10] = [
    "ProviderIds",
    "Path",
    "Overview",
    "Genres",
    "DateCreated",
    "ChildCount",
    "RecursiveItemCount",
    "DateLastSaved",
    "Width",
    "Height",
];
const SERVER_ID: &str = "0b1c2d3e4f5061728394a5b6c7d8e9f0";

fn iso(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

fn movie_dto(movie: &Movie, fields: &[String]) -> Value {
    let mut dto = json!({
        "Name": movie.name, "ServerId": SERVER_ID, "Id": movie.id,
        "Type": "Movie", "IsFolder": false, "MediaType": "Video", "LocationType": "FileSystem",
    });
    if fields.iter().any(|f| f == "ProviderIds") {
        let mut ids = serde_json::Map::new();
        if let Some(tmdb) = movie.tmdb {
            ids.insert("Tmdb".into(), json!(tmdb.to_string()));
        }
        dto["ProviderIds"] = Value::Object(ids);
    }
    if fields.iter().any(|f| f == "Width") {
        dto["Width"] = json!(movie.width);
    }
    if fields.iter().any(|f| f == "DateLastSaved") {
        dto["DateLastSaved"] = json!(iso(movie.saved));
    }
    dto
}

fn series_dto(series: &Series, fields: &[String]) -> Value {
    let mut dto = json!({
        "Name": series.name, "ServerId": SERVER_ID, "Id": series.id,
        "Type": "Series", "IsFolder": true, "MediaType": "Unknown", "LocationType": "FileSystem",
    });
    if fields.iter().any(|f| f == "ProviderIds") {
        let mut ids = serde_json::Map::new();
        if let Some(tmdb) = series.tmdb {
            ids.insert("Tmdb".into(), json!(tmdb.to_string()));
        }
        if let Some(tvdb) = series.tvdb {
            ids.insert("Tvdb".into(), json!(tvdb.to_string()));
        }
        dto["ProviderIds"] = Value::Object(ids);
    }
    dto
}

fn episode_dto(series: &Series, season: u16, episode: u16, on_disk: bool) -> Value {
    json!({
        "Name": format!("Episode {episode}"), "ServerId": SERVER_ID,
        "Id": format!("{:0>32}", format!("{}{season:03}{episode:04}", &series.id[24..])),
        "Type": "Episode", "IsFolder": false, "MediaType": "Video",
        "SeriesId": series.id, "SeriesName": series.name,
        "ParentIndexNumber": season, "IndexNumber": episode,
        "LocationType": if on_disk { "FileSystem" } else { "Virtual" },
    })
}

fn has_provider(wanted: &HashSet<String>, name: &str, id: Option<u32>) -> bool {
    id.is_some_and(|id| wanted.contains(&format!("{name}.{id}")))
}

/// `GET /Items`.
pub(super) async fn items(
    State(lib): Shared,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let lib = lock(&lib);
    if !authorized(&headers, &lib.api_key) {
        return unauthorized();
    }
    let params = Params::new(raw);
    let kinds = params.list("includeitemtypes");
    if let Some(bad) = kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
        return bad_request(format!(
            "The value '{bad}' is not valid for includeItemTypes."
        ));
    }
    let fields = params.list("fields");
    if let Some(bad) = fields.iter().find(|f| !FIELDS.contains(&f.as_str())) {
        return bad_request(format!("The value '{bad}' is not valid for fields."));
    }
    let (has_tmdb, is_missing, start, limit) = match (
        params.bool("hastmdbid"),
        params.bool("ismissing"),
        params.int("startindex"),
        params.int("limit"),
    ) {
        (Ok(h), Ok(m), Ok(s), Ok(l)) => (h, m, s.unwrap_or(0), l),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return e,
    };
    for name in [
        "recursive",
        "enableimages",
        "enableuserdata",
        "enabletotalrecordcount",
    ] {
        if let Err(e) = params.bool(name) {
            return e;
        }
    }
    let since = match params.list("mindatelastsaved").first() {
        None => None,
        Some(raw) => match OffsetDateTime::parse(raw, &Rfc3339) {
            Ok(t) => Some(i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)),
            Err(_) => {
                return bad_request(format!(
                    "The value '{raw}' is not valid for minDateLastSaved."
                ));
            }
        },
    };
    let start = if lib.ignore_paging { 0 } else { start };
    let ids: Vec<String> = params.list("ids");
    let any_provider: HashSet<String> = match lib.product {
        Product::Emby => params
            .list("anyprovideridequals")
            .iter()
            .map(|id| id.to_ascii_lowercase())
            .collect(),
        Product::Jellyfin => HashSet::new(),
    };
    let wants = |kind: &str| kinds.is_empty() || kinds.iter().any(|k| k == kind);
    let by_id = |id: &str| ids.is_empty() || ids.iter().any(|i| i.replace('-', "") == id);
    let fresh = |saved: i64| since.is_none_or(|since| saved >= since);
    let mut out: Vec<Value> = Vec::new();
    let mut total = 0usize;
    // Builds a DTO only for items on the requested page: large fake libraries stay cheap.
    let mut push = |dto: &dyn Fn() -> Value| {
        if total >= start && limit.is_none_or(|l| out.len() < l) {
            out.push(dto());
        }
        total += 1;
    };
    if wants("Movie") {
        for movie in &lib.movies {
            let tmdb_ok = has_tmdb.is_none_or(|h| h == movie.tmdb.is_some());
            let any_ok = any_provider.is_empty() || has_provider(&any_provider, "tmdb", movie.tmdb);
            if tmdb_ok && any_ok && by_id(&movie.id) && fresh(movie.saved) {
                push(&|| movie_dto(movie, &fields));
            }
        }
    }
    if wants("Series") {
        for series in &lib.series {
            let tmdb_ok = has_tmdb.is_none_or(|h| h == series.tmdb.is_some());
            let any_ok = any_provider.is_empty()
                || has_provider(&any_provider, "tmdb", series.tmdb)
                || has_provider(&any_provider, "tvdb", series.tvdb);
            if tmdb_ok && any_ok && by_id(&series.id) && fresh(series.saved) {
                push(&|| series_dto(series, &fields));
            }
        }
    }
    // Episodes only when asked for by type (as Jellyfin: a bare `/Items` lists folders).
    if wants("Episode") && !kinds.is_empty() && ids.is_empty() {
        for series in &lib.series {
            for (season, episode, on_disk, saved) in &series.episodes {
                let missing_ok = is_missing.is_none_or(|missing| missing != *on_disk);
                if missing_ok && fresh(*saved) {
                    push(&|| episode_dto(series, *season, *episode, *on_disk));
                }
            }
        }
    }
    let total = if lib.ignore_paging {
        total * 1_000
    } else {
        total
    };
    axum::Json(json!({ "Items": out, "TotalRecordCount": total, "StartIndex": start }))
        .into_response()
}
