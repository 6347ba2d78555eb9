//! Radarr and Sonarr webhook payloads (Newtonsoft camelCase, PascalCase `eventType`; see
//! `specs/webhooks/README.md`). Only what availability needs is read; everything else is
//! tolerated. Sonarr sends `Download` in two shapes: one per imported file (`episodeFile`,
//! `isUpgrade`) and, with "On Import Complete", one per download (`episodeFiles[]`).

use serde::Deserialize;
use serde_json::json;

use super::{Action, HookError, Parsed, json_body};
use crate::domain::{EpisodeNumber, Episodes, MediaType, Seasons, TmdbId, TvdbId};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    event_type: String,
    #[serde(default)]
    instance_name: Option<String>,
    #[serde(default)]
    movie: Option<Movie>,
    #[serde(default)]
    remote_movie: Option<RemoteMovie>,
    #[serde(default)]
    movie_file: Option<FileRef>,
    #[serde(default)]
    series: Option<Series>,
    #[serde(default)]
    episodes: Vec<Episode>,
    #[serde(default)]
    episode_file: Option<FileRef>,
    #[serde(default)]
    episode_files: Option<Vec<FileRef>>,
    #[serde(default)]
    is_upgrade: Option<bool>,
    #[serde(default)]
    deleted_files: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Movie {
    id: i64,
    #[serde(default)]
    tmdb_id: Option<i64>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RemoteMovie {
    #[serde(default)]
    tmdb_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Series {
    id: i64,
    #[serde(default)]
    tvdb_id: Option<i64>,
    #[serde(default)]
    tmdb_id: Option<i64>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Episode {
    season_number: i64,
    #[serde(default)]
    episode_number: Option<i64>,
}

impl Episode {
    /// The episode's number, when the payload names a valid one.
    fn number(&self) -> Option<EpisodeNumber> {
        let season = u16::try_from(self.season_number).ok()?;
        let episode = u16::try_from(self.episode_number?).ok()?;
        EpisodeNumber::new(season, episode).ok()
    }
}

#[derive(Debug, Deserialize)]
struct FileRef {
    id: i64,
}

fn tmdb(raw: Option<i64>) -> Option<TmdbId> {
    raw.and_then(|id| TmdbId::parse(id).ok())
}

fn tvdb(raw: Option<i64>) -> Option<TvdbId> {
    raw.and_then(|id| TvdbId::parse(id).ok())
}

fn instance(payload: &Payload, default: &str) -> String {
    payload
        .instance_name
        .clone()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn missing(what: &str) -> HookError {
    HookError::Malformed(format!("a {what} event without its {what} object"))
}

/// A Radarr delivery: `Download` makes the movie present, `MovieDelete` is noted.
pub(crate) fn parse_radarr(body: &[u8]) -> Result<Parsed, HookError> {
    let payload: Payload = json_body(body)?;
    let source = instance(&payload, "Radarr");
    match payload.event_type.as_str() {
        "Download" => {
            let movie = payload.movie.as_ref().ok_or_else(|| missing("movie"))?;
            let id = tmdb(movie.tmdb_id)
                .or_else(|| tmdb(payload.remote_movie.as_ref()?.tmdb_id))
                .ok_or_else(|| HookError::Malformed("a movie without a TMDB id".into()))?;
            let file = payload.movie_file.as_ref().map_or(0, |f| f.id);
            Ok(Parsed::Act {
                item: None,
                key: format!("{source}:Download:{}:{file}", movie.id),
                action: Action::Movie(id),
            })
        }
        "MovieDelete" => {
            let movie = payload.movie.as_ref().ok_or_else(|| missing("movie"))?;
            let Some(id) = tmdb(movie.tmdb_id) else {
                return Ok(Parsed::Ignore("deleted movie has no TMDB id".into()));
            };
            let details = json!({
                "source": source, "event": "MovieDelete", "title": movie.title,
                "deleted_files": payload.deleted_files,
            });
            Ok(Parsed::Act {
                item: None,
                key: format!("{source}:MovieDelete:{}", movie.id),
                action: Action::Deleted {
                    media_type: MediaType::Movie,
                    tmdb: Some(id),
                    tvdb: None,
                    details,
                },
            })
        }
        "Test" => Ok(Parsed::Ignore("test event".into())),
        other => Ok(Parsed::Ignore(format!("{other} events are not used"))),
    }
}

/// A Sonarr delivery: either `Download` shape makes the imported episodes present (their
/// seasons for season requests, the episodes themselves for single-episode requests),
/// `SeriesDelete` is noted.
pub(crate) fn parse_sonarr(body: &[u8]) -> Result<Parsed, HookError> {
    let payload: Payload = json_body(body)?;
    let source = instance(&payload, "Sonarr");
    match payload.event_type.as_str() {
        "Download" => {
            let series = payload.series.as_ref().ok_or_else(|| missing("series"))?;
            let (tmdb, tvdb) = (tmdb(series.tmdb_id), tvdb(series.tvdb_id));
            if tmdb.is_none() && tvdb.is_none() {
                return Err(HookError::Malformed(
                    "a series without TVDB or TMDB id".into(),
                ));
            }
            let seasons = Seasons::new(
                payload
                    .episodes
                    .iter()
                    .filter_map(|e| u16::try_from(e.season_number).ok()),
            );
            if seasons.is_empty() {
                return Err(HookError::Malformed("a Download without episodes".into()));
            }
            let episodes = Episodes::new(payload.episodes.iter().filter_map(Episode::number));
            let files = match (&payload.episode_files, &payload.episode_file) {
                (Some(files), _) => {
                    let mut ids: Vec<i64> = files.iter().map(|f| f.id).collect();
                    ids.sort_unstable();
                    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                    format!("complete:{}", ids.join(","))
                }
                (None, Some(file)) => file.id.to_string(),
                (None, None) => return Err(missing("episodeFile")),
            };
            let upgrade = if payload.is_upgrade == Some(true) {
                ":upgrade"
            } else {
                ""
            };
            Ok(Parsed::Act {
                item: None,
                key: format!("{source}:Download:{}:{files}{upgrade}", series.id),
                action: Action::Show {
                    tmdb,
                    tvdb,
                    seasons,
                    episodes,
                },
            })
        }
        "SeriesDelete" => {
            let series = payload.series.as_ref().ok_or_else(|| missing("series"))?;
            let (tmdb, tvdb) = (tmdb(series.tmdb_id), tvdb(series.tvdb_id));
            if tmdb.is_none() && tvdb.is_none() {
                return Ok(Parsed::Ignore("deleted series has no ids".into()));
            }
            let details = json!({
                "source": source, "event": "SeriesDelete", "title": series.title,
                "deleted_files": payload.deleted_files,
            });
            Ok(Parsed::Act {
                item: None,
                key: format!("{source}:SeriesDelete:{}", series.id),
                action: Action::Deleted {
                    media_type: MediaType::Tv,
                    tmdb,
                    tvdb,
                    details,
                },
            })
        }
        "Test" => Ok(Parsed::Ignore("test event".into())),
        other => Ok(Parsed::Ignore(format!("{other} events are not used"))),
    }
}
