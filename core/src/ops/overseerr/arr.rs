//! Radarr and Sonarr servers from Overseerr's `settings.json`, turned into the `USHER_*`
//! settings an operator sets. API keys are never printed: the line names where to copy the key
//! from instead, and the key itself is held as a `SecretString`.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{CoreError, CoreResult};

#[derive(Deserialize)]
struct SettingsFile {
    #[serde(default)]
    radarr: Vec<RawServer>,
    #[serde(default)]
    sonarr: Vec<RawServer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawServer {
    #[serde(default)]
    name: String,
    hostname: String,
    port: u16,
    #[serde(default)]
    use_ssl: bool,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    active_profile_id: Option<i64>,
    #[serde(default)]
    active_profile_name: Option<String>,
    #[serde(default)]
    active_directory: Option<String>,
    #[serde(default)]
    is4k: bool,
    #[serde(default)]
    is_default: bool,
}

/// One Radarr or Sonarr server Overseerr knew.
#[derive(Debug, Clone)]
pub struct ArrServer {
    /// `radarr` or `sonarr`.
    pub kind: &'static str,
    /// Position in the file's list, to say where the key is.
    pub index: usize,
    /// Name given in Overseerr.
    pub name: String,
    /// Base URL built from host, port, TLS flag and base path.
    pub url: String,
    /// The API key (never displayed).
    pub api_key: SecretString,
    /// Quality profile: its name when known, else its id.
    pub quality_profile: Option<String>,
    /// Root folder.
    pub root_folder: Option<String>,
    /// A 4K server.
    pub four_k: bool,
    /// Overseerr's default for its quality.
    pub is_default: bool,
}

impl ArrServer {
    /// The `USHER_*` settings for this server as Usher's instance of its kind and quality
    /// (`USHER_RADARR_*`, or `USHER_RADARR_4K_*` for a 4K server); the key is a pointer to the
    /// file, not the key.
    pub fn env_lines(&self) -> Vec<String> {
        let quality = if self.four_k { "_4K" } else { "" };
        let prefix = format!("USHER_{}{quality}", self.kind.to_ascii_uppercase());
        let mut lines = vec![format!("{prefix}_URL={}", self.url)];
        let key = if self.api_key.expose_secret().is_empty() {
            "<not set in settings.json>".to_owned()
        } else {
            format!("<{}[{}].apiKey in settings.json>", self.kind, self.index)
        };
        lines.push(format!("{prefix}_API_KEY={key}"));
        if let Some(profile) = &self.quality_profile {
            lines.push(format!("{prefix}_QUALITY_PROFILE={profile}"));
        }
        if let Some(folder) = &self.root_folder {
            lines.push(format!("{prefix}_ROOT_FOLDER={folder}"));
        }
        lines
    }
}

/// The servers in a `settings.json`, Radarr first.
pub fn read_settings(path: &Path) -> CoreResult<Vec<ArrServer>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CoreError::Validation(format!("{}: {e}", path.display())))?;
    parse_settings(&text).map_err(|e| CoreError::Validation(format!("{}: {e}", path.display())))
}

/// As [`read_settings`], from the file's text.
pub fn parse_settings(text: &str) -> Result<Vec<ArrServer>, String> {
    let file: SettingsFile =
        serde_json::from_str(text).map_err(|e| format!("not Overseerr settings: {e}"))?;
    let radarr = file
        .radarr
        .into_iter()
        .enumerate()
        .map(|(i, s)| convert("radarr", i, s));
    let sonarr = file
        .sonarr
        .into_iter()
        .enumerate()
        .map(|(i, s)| convert("sonarr", i, s));
    Ok(radarr.chain(sonarr).collect())
}

fn convert(kind: &'static str, index: usize, raw: RawServer) -> ArrServer {
    let scheme = if raw.use_ssl { "https" } else { "http" };
    let base = raw
        .base_url
        .as_deref()
        .map(|b| b.trim().trim_end_matches('/'))
        .filter(|b| !b.is_empty())
        .map(|b| {
            if b.starts_with('/') {
                b.to_owned()
            } else {
                format!("/{b}")
            }
        })
        .unwrap_or_default();
    let quality_profile = raw
        .active_profile_name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| raw.active_profile_id.map(|id| id.to_string()));
    ArrServer {
        kind,
        index,
        name: raw.name,
        url: format!("{scheme}://{}:{}{base}", raw.hostname.trim(), raw.port),
        api_key: SecretString::from(raw.api_key),
        quality_profile,
        root_folder: raw.active_directory.filter(|d| !d.trim().is_empty()),
        four_k: raw.is4k,
        is_default: raw.is_default,
    }
}

/// The server that becomes Usher's instance of its kind and quality: Overseerr's default among
/// the 4K (or the non-4K) servers of that kind, else the first of them. Usher's settings hold
/// one instance per kind and quality (`USHER_RADARR_*` and `USHER_RADARR_4K_*`); the others
/// are only listed.
pub fn pick_default<'a>(
    servers: &'a [ArrServer],
    kind: &str,
    four_k: bool,
) -> Option<&'a ArrServer> {
    let mut candidates = servers
        .iter()
        .filter(|s| s.kind == kind && s.four_k == four_k);
    let first = candidates.clone().next();
    candidates.find(|s| s.is_default).or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{"main": {"applicationTitle": "x"},
      "radarr": [
        {"id": 0, "name": "Radarr", "hostname": "radarr", "port": 7878, "apiKey": "s3cr3t-radarr",
         "useSsl": false, "baseUrl": "movies/", "activeProfileId": 4, "activeProfileName": "HD-1080p",
         "activeDirectory": "/data/movies", "is4k": false, "isDefault": true},
        {"id": 1, "name": "Radarr 4K", "hostname": "radarr4k", "port": 7879, "apiKey": "other",
         "useSsl": true, "activeProfileId": 5, "is4k": true, "isDefault": true}],
      "sonarr": [{"id": 0, "name": "Sonarr", "hostname": "sonarr", "port": 8989, "apiKey": "k",
         "useSsl": true, "baseUrl": "", "activeProfileId": 6, "activeDirectory": "/tv",
         "is4k": false, "isDefault": false, "activeAnimeProfileId": 7}]}"#;

    #[test]
    fn maps_servers_to_usher_settings_without_keys() {
        let servers = parse_settings(SETTINGS).expect("parse");
        assert_eq!(servers.len(), 3);
        let radarr = pick_default(&servers, "radarr", false).expect("radarr");
        assert_eq!(radarr.name, "Radarr");
        let lines = radarr.env_lines().join("\n");
        assert!(
            lines.contains("USHER_RADARR_URL=http://radarr:7878/movies"),
            "{lines}"
        );
        assert!(lines.contains("USHER_RADARR_QUALITY_PROFILE=HD-1080p"));
        assert!(lines.contains("USHER_RADARR_ROOT_FOLDER=/data/movies"));
        assert!(lines.contains("<radarr[0].apiKey in settings.json>"));
        assert!(!lines.contains("s3cr3t"));
        assert!(
            !format!("{radarr:?}").contains("s3cr3t"),
            "Debug hides the key"
        );
        let sonarr =
            pick_default(&servers, "sonarr", false).expect("not default, but the only one");
        let lines = sonarr.env_lines().join("\n");
        assert!(
            lines.contains("USHER_SONARR_URL=https://sonarr:8989\n"),
            "{lines}"
        );
        assert!(lines.contains("USHER_SONARR_QUALITY_PROFILE=6"));
        assert!(pick_default(&servers, "sonarr", true).is_none());
        let radarr_4k = pick_default(&servers, "radarr", true).expect("4K radarr");
        let lines = radarr_4k.env_lines().join("\n");
        assert_eq!(
            lines,
            "USHER_RADARR_4K_URL=https://radarr4k:7879\n\
             USHER_RADARR_4K_API_KEY=<radarr[1].apiKey in settings.json>\n\
             USHER_RADARR_4K_QUALITY_PROFILE=5"
        );
    }
}
