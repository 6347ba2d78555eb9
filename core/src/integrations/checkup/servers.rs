//! `usher check` for the media servers: Jellyfin (or Emby) and Plex answer with their
//! version, then list their libraries with our key — the listing is what proves a Plex token,
//! since `/identity` takes none.

use std::future::Future;

use secrecy::ExposeSecret;

use super::{ServiceCheck, refused};
use crate::config::MediaServerSettings;
use crate::domain::SourceKind;
use crate::integrations::http::{HttpSettings, UpstreamError};
use crate::integrations::mediaserver::{JellyfinClient, Library, PlexClient};

fn library_line(libraries: &[Library]) -> String {
    if libraries.is_empty() {
        return "libraries: none".to_owned();
    }
    let listed: Vec<String> = libraries
        .iter()
        .map(|l| format!("{} ({})", l.name, l.kind))
        .collect();
    format!("libraries: {}", listed.join(", "))
}

/// Whether a media server has somewhere for movies or shows, else the reconcile job finds nothing.
fn note_media(libraries: &[Library], check: &mut ServiceCheck) {
    let media = ["movies", "tvshows", "movie", "show", "mixed"];
    if !libraries.iter().any(|l| media.contains(&l.kind.as_str())) {
        check
            .details
            .push("no movie or show library: Usher will not see anything become available".into());
    }
}

fn upstream_problem(
    check: &mut ServiceCheck,
    err: &UpstreamError,
    setting: &str,
    at: &str,
    fix: &str,
) {
    check.problems.push(match err {
        UpstreamError::Unauthorized(_) => refused(setting, at, err, fix),
        UpstreamError::Malformed(_) => "answered, but not with JSON (wrong URL?)".to_owned(),
        other => format!("{at}: {other}"),
    });
}

/// Where a media server's answers are checked and what to tell the operator when its key is
/// refused.
struct Door<'a> {
    at: String,
    setting: &'a str,
    fix: &'a str,
}

/// Where to get a good Jellyfin/Emby key.
const JELLYFIN_FIX: &str =
    "create a key in Jellyfin → Dashboard → API Keys (Emby: Settings → API Keys)";
/// Where to get a good Plex token.
const PLEX_FIX: &str = "use the X-Plex-Token of the server owner's account (Plex support: \"Finding an authentication token\")";

pub(super) async fn check_jellyfin(url: &str, key: &str, http: &HttpSettings) -> ServiceCheck {
    let door = Door {
        at: format!("Jellyfin at {url}"),
        setting: "USHER_JELLYFIN_API_KEY",
        fix: JELLYFIN_FIX,
    };
    jellyfin_at(url, key, http, &door).await
}

async fn jellyfin_at(url: &str, key: &str, http: &HttpSettings, door: &Door<'_>) -> ServiceCheck {
    match JellyfinClient::new(url, key, http) {
        Ok(client) => media_server("Jellyfin", door, client.version(), client.libraries()).await,
        Err(err) => ServiceCheck::failed("Jellyfin", err.to_string()),
    }
}

pub(super) async fn check_plex(url: &str, token: &str, http: &HttpSettings) -> ServiceCheck {
    let door = Door {
        at: format!("Plex at {url}"),
        setting: "USHER_PLEX_TOKEN",
        fix: PLEX_FIX,
    };
    plex_at(url, token, http, &door).await
}

async fn plex_at(url: &str, token: &str, http: &HttpSettings, door: &Door<'_>) -> ServiceCheck {
    match PlexClient::new(url, token, http) {
        // `/identity` takes no token; listing the libraries is what proves it.
        Ok(client) => media_server("Plex", door, client.version(), client.libraries()).await,
        Err(err) => ServiceCheck::failed("Plex", err.to_string()),
    }
}

/// One of the library index's extra media servers (`[[jellyfin]]`, `[[emby]]`, `[[plex]]` or
/// saved in the console), a refused key named by the server's own name and field.
pub(super) async fn check_server(
    server: &MediaServerSettings,
    http: &HttpSettings,
) -> ServiceCheck {
    let secret = server.secret.expose_secret();
    let field = if server.kind == SourceKind::Plex {
        "token"
    } else {
        "api_key"
    };
    let setting = format!("the {field} of the media server `{}`", server.name);
    let at = format!("{} at {}", server.kind.product(), server.url);
    match server.kind {
        SourceKind::Plex => {
            let door = Door {
                at,
                setting: &setting,
                fix: PLEX_FIX,
            };
            plex_at(&server.url, secret, http, &door).await
        }
        _ => {
            let door = Door {
                at,
                setting: &setting,
                fix: JELLYFIN_FIX,
            };
            jellyfin_at(&server.url, secret, http, &door).await
        }
    }
}

/// A media server's version, then its libraries: the same steps for Jellyfin and Plex.
async fn media_server(
    name: &'static str,
    door: &Door<'_>,
    version: impl Future<Output = Result<Option<String>, UpstreamError>>,
    libraries: impl Future<Output = Result<Vec<Library>, UpstreamError>>,
) -> ServiceCheck {
    let mut check = ServiceCheck::new(name);
    match version.await {
        Ok(Some(version)) => check.summary = format!("ok ({version})"),
        Ok(None) => {}
        Err(err) => {
            upstream_problem(&mut check, &err, door.setting, &door.at, door.fix);
            return check;
        }
    }
    match libraries.await {
        Ok(libraries) => {
            check.details.push(library_line(&libraries));
            note_media(&libraries, &mut check);
        }
        Err(err) => upstream_problem(&mut check, &err, door.setting, &door.at, door.fix),
    }
    check
}
