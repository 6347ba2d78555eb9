//! The fake Sonarr's episodes: listed per library series (`GET /api/v3/episode?seriesId=`),
//! each season holding its `totalEpisodeCount` episodes, unmonitored until
//! `PUT /api/v3/episode/monitor` says otherwise — as Sonarr does for a series added with no
//! season monitored. Ids are `series id × 100,000 + season × 1,000 + episode`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::super::{Shared, invalid, lock, message};
use super::Sonarr;

/// Episode `episode` of `season` of library series `series`.
fn episode(series: &Value, season: i64, episode: i64, monitored: bool) -> Value {
    let series_id = series["id"].as_i64().unwrap_or_default();
    json!({
        "id": series_id * 100_000 + season * 1_000 + episode, "seriesId": series_id,
        "tvdbId": 0, "episodeFileId": 0, "seasonNumber": season, "episodeNumber": episode,
        "title": format!("Episode {episode}"), "airDate": "2013-04-07",
        "airDateUtc": "2013-04-07T00:00:00Z", "runtime": 24, "overview": "",
        "hasFile": false, "monitored": monitored, "unverifiedSceneNumbering": false,
    })
}

/// The series' episodes, made on first use from its seasons (a monitored season's are monitored).
pub(super) fn of_series(state: &mut Sonarr, series_id: i64) -> Option<&mut Vec<Value>> {
    if !state.episodes.contains_key(&series_id) {
        let series = state.library.iter().find(|s| s["id"] == series_id)?;
        let seasons = series["seasons"].as_array().cloned().unwrap_or_default();
        let list = seasons
            .iter()
            .flat_map(|s| {
                let number = s["seasonNumber"].as_i64().unwrap_or_default();
                let count = s["statistics"]["totalEpisodeCount"].as_i64().unwrap_or(10);
                let monitored = s["monitored"] == true;
                (1..=count).map(move |e| (number, e, monitored))
            })
            .map(|(season, e, monitored)| episode(series, season, e, monitored))
            .collect();
        state.episodes.insert(series_id, list);
    }
    state.episodes.get_mut(&series_id)
}

/// Gives the episode a file (`hasFile`, an `episodeFileId`); returns how many episodes of its
/// season have one now, or `None` when the series has no such episode.
pub(super) fn give_file(
    state: &mut Sonarr,
    series_id: i64,
    season: u16,
    number: u16,
) -> Option<usize> {
    let list = of_series(state, series_id)?;
    let found = list
        .iter_mut()
        .find(|e| e["seasonNumber"] == season && e["episodeNumber"] == number)?;
    found["hasFile"] = json!(true);
    found["episodeFileId"] = found["id"].clone();
    Some(
        list.iter()
            .filter(|e| e["seasonNumber"] == season && e["hasFile"] == true)
            .count(),
    )
}

/// `GET /api/v3/episode?seriesId=`: a series' episodes (the other filters are not faked).
pub(super) async fn list(
    State(state): State<Shared<Sonarr>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = lock(&state);
    let Some(series_id) = query.get("seriesId").and_then(|id| id.parse::<i64>().ok()) else {
        return message(StatusCode::BAD_REQUEST, "seriesId is required by this fake");
    };
    if std::mem::take(&mut state.episodes_hidden_once) {
        return Json(json!([])).into_response();
    }
    match of_series(&mut state, series_id) {
        Some(list) => Json(Value::Array(list.clone())).into_response(),
        None => Json(json!([])).into_response(),
    }
}

/// `PUT /api/v3/episode/monitor` with an `EpisodesMonitoredResource`; answers 202 with the
/// episodes, as Sonarr does.
pub(super) async fn monitor(
    State(state): State<Shared<Sonarr>>,
    Json(body): Json<Value>,
) -> Response {
    let mut state = lock(&state);
    let Some(ids) = body["episodeIds"].as_array().cloned() else {
        return invalid(
            "EpisodeIds",
            "'Episode Ids' must not be empty.",
            body["episodeIds"].clone(),
            "NotEmptyValidator",
        );
    };
    let Some(monitored) = body["monitored"].as_bool() else {
        return invalid("Monitored", "Invalid value", body["monitored"].clone(), "");
    };
    let mut changed = Vec::new();
    let series_ids: Vec<i64> = state
        .library
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect();
    for series_id in series_ids {
        let Some(list) = of_series(&mut state, series_id) else {
            continue;
        };
        for episode in list.iter_mut().filter(|e| ids.contains(&e["id"])) {
            episode["monitored"] = json!(monitored);
            changed.push(episode.clone());
        }
    }
    state.episode_updates += 1;
    (StatusCode::ACCEPTED, Json(Value::Array(changed))).into_response()
}
