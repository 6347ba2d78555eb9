//! The Jellyfin webhook plugin's Generic destination. It posts `text/plain` unless told
//! otherwise and has no fixed schema, so two shapes are read: "Send All Properties"
//! (`NotificationType`, `ItemId`, `ItemType`, `Provider_tmdb`, `SeriesId`…) and the template
//! Usher proposes (`notification_type`, `item_id`, `tmdb_id`…). Values may be strings or
//! numbers; item ids may have dashes or not. Only `ItemAdded` matters. Episode provider ids
//! are the episode's own, so an episode is resolved through its `SeriesId`; its
//! `SeasonNumber`/`EpisodeNumber` are what single-episode requests need.

use serde_json::{Map, Value};

use super::{Action, HookError, Parsed, json_body};
use crate::domain::{EpisodeNumber, Episodes, LibraryItem, LibraryServer, TmdbId};
use crate::integrations::mediaserver::jellyfin::valid_item_id;

fn field(object: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match object.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Lower-case, no dashes: the two GUID spellings the plugin produces compare equal.
fn normalize_id(id: &str) -> String {
    id.chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Parses one delivery.
pub(crate) fn parse(body: &[u8]) -> Result<Parsed, HookError> {
    let value: Value = json_body(body)?;
    let Value::Object(object) = value else {
        return Err(HookError::Malformed("expected a JSON object".into()));
    };
    let notification = field(&object, &["NotificationType", "notification_type"])
        .ok_or_else(|| HookError::Malformed("no NotificationType".into()))?;
    if notification != "ItemAdded" {
        return Ok(Parsed::Ignore(format!(
            "{notification} notifications are not used"
        )));
    }
    let item_id = field(&object, &["ItemId", "item_id"])
        .ok_or_else(|| HookError::Malformed("no ItemId".into()))?;
    let key = format!("{notification}:{}", normalize_id(&item_id));
    let item_type = field(&object, &["ItemType", "item_type"]).unwrap_or_default();
    let (action, item) = match item_type.as_str() {
        "Movie" => {
            let tmdb = field(&object, &["Provider_tmdb", "tmdb_id"])
                .and_then(|raw| raw.parse::<i64>().ok())
                .and_then(|id| TmdbId::parse(id).ok());
            match tmdb {
                Some(tmdb) => (Action::Movie(tmdb), jellyfin_item(&item_id)),
                None => return Ok(Parsed::Ignore("the movie has no TMDB id yet".into())),
            }
        }
        "Episode" | "Season" | "Series" => {
            let series = if item_type == "Series" {
                Some(item_id.clone())
            } else {
                field(&object, &["SeriesId", "series_id"])
            };
            match series {
                Some(series) if valid_item_id(&series) => {
                    let item = jellyfin_item(&series);
                    let episodes = if item_type == "Episode" {
                        episode_of(&object)
                    } else {
                        Episodes::default()
                    };
                    (Action::JellyfinSeries { series, episodes }, item)
                }
                Some(_) => return Err(HookError::Malformed("SeriesId is not an item id".into())),
                None => {
                    return Ok(Parsed::Ignore(
                        "an episode without SeriesId (the reconcile job will see it)".into(),
                    ));
                }
            }
        }
        other => return Ok(Parsed::Ignore(format!("{other} items are not requested"))),
    };
    Ok(Parsed::Act {
        key,
        action,
        item: Some(item),
    })
}

/// The episode an `Episode` delivery names (`SeasonNumber`, `EpisodeNumber`; the template's
/// `season_number`, `episode_number`); none when it names no valid one.
fn episode_of(object: &Map<String, Value>) -> Episodes {
    let number = |names: &[&str]| field(object, names).and_then(|raw| raw.parse::<u16>().ok());
    let season = number(&["SeasonNumber", "season_number"]);
    let episode = number(&["EpisodeNumber", "episode_number"]);
    match (season, episode) {
        (Some(season), Some(episode)) => Episodes::new(EpisodeNumber::new(season, episode).ok()),
        _ => Episodes::default(),
    }
}

/// A Jellyfin item (ids with dashes or not both open in its web client; kept as sent).
fn jellyfin_item(id: &str) -> LibraryItem {
    LibraryItem {
        server: LibraryServer::Jellyfin,
        item_id: id.to_owned(),
        machine_id: None,
    }
}
