//! Building the library's sources from the settings: one Jellyfin/Emby and one Plex from
//! the environment keys, any number more from `usher.toml`'s `[[jellyfin]]`, `[[emby]]` and
//! `[[plex]]` tables, and every configured Radarr/Sonarr instance.

use std::sync::Arc;

use secrecy::ExposeSecret;

use super::arr::ArrSource;
use super::context::IndexSource;
use super::jellyfin::JellyfinSource;
use super::plex::PlexSource;
use crate::config::{MediaServerSettings, Settings};
use crate::domain::{SourceInfo, SourceKind};
use crate::error::CoreResult;
use crate::integrations::arr::{ArrClient, ArrInstances, Flavor};
use crate::integrations::http::HttpSettings;

/// Every source the settings configure, media servers first, each *arr after.
pub fn from_settings(
    settings: &Settings,
    http: &HttpSettings,
) -> CoreResult<Vec<Arc<dyn IndexSource>>> {
    let mut sources: Vec<Arc<dyn IndexSource>> = Vec::new();
    for server in media_servers(settings) {
        let secret = server.secret.expose_secret();
        let source: Arc<dyn IndexSource> = match server.kind {
            SourceKind::Plex => Arc::new(PlexSource::new(
                server_info(&server),
                &server.url,
                secret,
                http,
            )?),
            _ => Arc::new(JellyfinSource::new(
                server_info(&server),
                &server.url,
                secret,
                http,
            )?),
        };
        sources.push(source);
    }
    let arr = ArrInstances::from_settings(settings, http)?;
    for instance in arr.iter() {
        let name = instance.name();
        let (kind, label) = match &instance.client {
            ArrClient::Radarr(_) => (SourceKind::Radarr, name),
            ArrClient::Sonarr(_) => (SourceKind::Sonarr, name),
        };
        let info = SourceInfo {
            name: name.to_owned(),
            kind,
            label: label.to_owned(),
            public_url: None,
            server_id: None,
        };
        let four_k = instance.flavor == Flavor::FourK;
        sources.push(Arc::new(ArrSource::new(
            info,
            instance.client.clone(),
            four_k,
        )));
    }
    Ok(sources)
}

/// The media servers to index: the environment's Jellyfin (or Emby) and Plex, then the TOML
/// tables'.
pub fn media_servers(settings: &Settings) -> Vec<MediaServerSettings> {
    let mut all = Vec::new();
    if let Some(jf) = &settings.jellyfin {
        all.push(MediaServerSettings {
            name: "jellyfin".to_owned(),
            kind: SourceKind::Jellyfin,
            url: jf.url.clone(),
            secret: jf.api_key.clone(),
            public_url: settings.library_links.jellyfin.clone(),
        });
    }
    if let Some(plex) = &settings.plex {
        all.push(MediaServerSettings {
            name: "plex".to_owned(),
            kind: SourceKind::Plex,
            url: plex.url.clone(),
            secret: plex.token.clone(),
            public_url: settings.library_links.plex.clone(),
        });
    }
    all.extend(settings.media_servers.iter().cloned());
    all
}

fn server_info(server: &MediaServerSettings) -> SourceInfo {
    let label = if server.name == server.kind.as_str() {
        server.kind.product().to_owned()
    } else {
        format!("{} ({})", server.kind.product(), server.name)
    };
    SourceInfo {
        name: server.name.clone(),
        kind: server.kind,
        label,
        public_url: server
            .public_url
            .clone()
            .or_else(|| (server.kind != SourceKind::Plex).then(|| server.url.clone())),
        server_id: None,
    }
}
