//! The library index's settings: its schedule, and the media servers `usher.toml` names in
//! `[[jellyfin]]`, `[[emby]]` and `[[plex]]` tables (`name`, `url`, `api_key` or `token`,
//! optional `public_url`) and the console saves in the same shape.

use std::collections::HashSet;
use std::time::Duration;

use secrecy::SecretString;

use super::{Validator, is_http_url};
use crate::config::settings::{LibraryIndexSettings, MediaServerSettings};
use crate::config::sources::Origin;
use crate::domain::SourceKind;

/// Names the environment's own servers and the *arr instances take; a table may not reuse one.
const RESERVED: [&str; 7] = [
    "jellyfin",
    "plex",
    "radarr",
    "radarr-4k",
    "sonarr",
    "sonarr-4k",
    "sonarr-anime",
];

impl Validator<'_> {
    /// The schedule of full and incremental passes.
    pub(super) fn library_index(&mut self) -> LibraryIndexSettings {
        let hours = self
            .bounded("library_full_pass_hours", 1..=168, "hours")
            .unwrap_or(6);
        let minutes = self
            .bounded("library_incremental_minutes", 1..=1_440, "minutes")
            .unwrap_or(5);
        LibraryIndexSettings {
            full_every: Duration::from_secs(u64::from(hours) * 3_600),
            incremental_every: Duration::from_secs(u64::from(minutes) * 60),
        }
    }

    /// Every `[[jellyfin]]`, `[[emby]]` and `[[plex]]` table, each problem reported.
    pub(super) fn media_servers(&mut self) -> Vec<MediaServerSettings> {
        let shown = self
            .layers
            .toml_path
            .as_ref()
            .map_or_else(|| "usher.toml".to_owned(), |p| p.display().to_string());
        let mut names: HashSet<String> = HashSet::new();
        let mut servers = Vec::new();
        for (table_name, table, origin) in &self.layers.servers {
            let Some(kind) = SourceKind::parse(table_name) else {
                continue;
            };
            let at = match origin {
                Origin::Database => format!("the console's media server ({table_name})"),
                _ => format!("{shown}: [[{table_name}]]"),
            };
            let text = |field: &str| table.get(field).and_then(|v| v.as_str()).map(str::trim);
            let secret_field = if kind == SourceKind::Plex {
                "token"
            } else {
                "api_key"
            };
            let allowed = ["name", "url", secret_field, "public_url"];
            for field in table.keys().filter(|k| !allowed.contains(&k.as_str())) {
                self.problems.push(format!(
                    "{at}: unknown field `{field}` (expected {})",
                    allowed.join(", ")
                ));
            }
            let name = text("name").filter(|n| valid_name(n)).map(str::to_owned);
            let url = text("url")
                .filter(|u| is_http_url(u))
                .map(|u| u.trim_end_matches('/').to_owned());
            let secret = text(secret_field).filter(|s| !s.is_empty());
            let public_url = match text("public_url") {
                Some(u) if is_http_url(u) => Some(u.trim_end_matches('/').to_owned()),
                Some(_) => {
                    self.problems
                        .push(format!("{at}: `public_url` is not an http(s) URL"));
                    None
                }
                None => None,
            };
            let Some(name) = name else {
                self.problems.push(format!(
                    "{at}: `name` is required: lower-case letters, digits and dashes"
                ));
                continue;
            };
            if RESERVED.contains(&name.as_str()) || !names.insert(name.clone()) {
                self.problems
                    .push(format!("{at}: the name `{name}` is already taken"));
                continue;
            }
            let Some(url) = url else {
                self.problems
                    .push(format!("{at} `{name}`: `url` must be an http(s) URL"));
                continue;
            };
            let Some(secret) = secret else {
                self.problems
                    .push(format!("{at} `{name}`: `{secret_field}` is required"));
                continue;
            };
            servers.push(MediaServerSettings {
                name,
                kind,
                url,
                secret: SecretString::from(secret.to_owned()),
                public_url,
            });
        }
        servers
    }
}

fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
