//! Plex webhooks: the JSON of the multipart `payload` part (the web layer drops the `thumb`
//! part). Only `library.new` matters. A movie carries its `Guid` ids in recent Plex versions;
//! otherwise, and for episodes (whose ids are the episode's own), the show is looked up by
//! rating key through the Plex client.

use serde::Deserialize;

use super::{Action, HookError, Parsed, json_body};
use crate::domain::{LibraryItem, LibraryServer, TmdbId};

#[derive(Debug, Deserialize)]
struct Payload {
    event: String,
    #[serde(default, rename = "Server")]
    server: Option<Server>,
    #[serde(default, rename = "Metadata")]
    metadata: Option<Metadata>,
}

#[derive(Debug, Deserialize)]
struct Server {
    #[serde(default)]
    uuid: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default)]
    rating_key: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    parent_rating_key: Option<String>,
    #[serde(default)]
    grandparent_rating_key: Option<String>,
    #[serde(default, rename = "Guid")]
    guids: Vec<GuidRef>,
}

#[derive(Debug, Deserialize)]
struct GuidRef {
    id: String,
}

/// Parses one `payload` part.
pub(crate) fn parse(body: &[u8]) -> Result<Parsed, HookError> {
    let payload: Payload = json_body(body)?;
    if payload.event != "library.new" {
        return Ok(Parsed::Ignore(format!(
            "{} events are not used",
            payload.event
        )));
    }
    let metadata = payload
        .metadata
        .ok_or_else(|| HookError::Malformed("library.new without Metadata".into()))?;
    let rating_key = metadata
        .rating_key
        .clone()
        .ok_or_else(|| HookError::Malformed("Metadata without ratingKey".into()))?;
    let machine_id = payload
        .server
        .and_then(|s| s.uuid)
        .filter(|u| !u.is_empty());
    let server = machine_id.clone().unwrap_or_default();
    let key = format!("library.new:{server}:{rating_key}");
    let show_key = |k: Option<String>| {
        k.ok_or_else(|| HookError::Malformed("an episode without its show's key".into()))
    };
    let item = |key: &str| LibraryItem {
        server: LibraryServer::Plex,
        item_id: key.to_owned(),
        machine_id: machine_id.clone(),
    };
    let (action, item) = match metadata.kind.as_deref() {
        Some("movie") => {
            let item = item(&rating_key);
            let tmdb = metadata.guids.iter().find_map(|g| {
                let raw = g.id.strip_prefix("tmdb://")?;
                TmdbId::parse(raw.parse().ok()?).ok()
            });
            match tmdb {
                Some(tmdb) => (Action::Movie(tmdb), item),
                None => (Action::PlexMovie(rating_key), item),
            }
        }
        Some(kind @ ("show" | "season" | "episode")) => {
            let show = match kind {
                "show" => rating_key,
                "season" => show_key(metadata.parent_rating_key)?,
                _ => show_key(metadata.grandparent_rating_key)?,
            };
            (Action::PlexShow(show.clone()), item(&show))
        }
        other => {
            return Ok(Parsed::Ignore(format!(
                "{} items are not requested",
                other.unwrap_or("untyped")
            )));
        }
    };
    Ok(Parsed::Act {
        key,
        action,
        item: Some(item),
    })
}
