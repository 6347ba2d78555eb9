//! Media servers added in the console: each is one row of the saved-settings layer, keyed
//! `media_server:<name>`, whose value is the same table `usher.toml`'s `[[jellyfin]]`,
//! `[[emby]]` or `[[plex]]` holds plus its `kind` — so the one validator checks both, and a
//! saved server joins the TOML ones in [`super::Settings::media_servers`] at the next start.
//! The row carries the API key or token, so it is stored sealed like every secret.

use crate::domain::SourceKind;

/// The saved-settings key prefix of a console-added media server.
pub const MEDIA_SERVER_PREFIX: &str = "media_server:";

/// A console-added media server as the form gives it (not yet validated).
#[derive(Clone, PartialEq, Eq)]
pub struct SavedServer {
    /// Jellyfin, Emby or Plex.
    pub kind: SourceKind,
    /// Its unique name.
    pub name: String,
    /// Its base URL.
    pub url: String,
    /// The API key (Jellyfin, Emby) or token (Plex); empty when not given.
    pub secret: String,
    /// Where members' browsers reach it.
    pub public_url: Option<String>,
}

impl std::fmt::Debug for SavedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedServer")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("secret", &"[redacted]")
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl SavedServer {
    /// The saved-settings key of this server.
    pub fn key(&self) -> String {
        format!("{MEDIA_SERVER_PREFIX}{}", self.name)
    }

    /// The field the secret goes by in its table: `token` for Plex, `api_key` otherwise.
    pub fn secret_field(kind: SourceKind) -> &'static str {
        if kind == SourceKind::Plex {
            "token"
        } else {
            "api_key"
        }
    }

    /// The row's value: the server's table as TOML, with its kind.
    pub fn to_value(&self) -> String {
        let mut table = toml::Table::new();
        table.insert("kind".into(), self.kind.as_str().into());
        for (field, value) in [
            ("name", Some(&self.name)),
            ("url", Some(&self.url)),
            (Self::secret_field(self.kind), Some(&self.secret)),
            ("public_url", self.public_url.as_ref()),
        ] {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                table.insert(field.into(), value.trim().into());
            }
        }
        table.to_string()
    }

    /// Reads a row's value back; `None` when it is not a media server's table.
    pub fn from_value(value: &str) -> Option<Self> {
        let (kind, table) = parse(value)?;
        let text = |field: &str| table.get(field).and_then(|v| v.as_str()).map(str::to_owned);
        Some(Self {
            name: text("name").unwrap_or_default(),
            url: text("url").unwrap_or_default(),
            secret: text(Self::secret_field(kind)).unwrap_or_default(),
            public_url: text("public_url"),
            kind,
        })
    }
}

/// A row's value as the kind's table name and the table without `kind`, for the validator.
pub(crate) fn parse(value: &str) -> Option<(SourceKind, toml::Table)> {
    let mut table = value.parse::<toml::Table>().ok()?;
    let kind = table
        .remove("kind")
        .and_then(|k| k.as_str().and_then(SourceKind::parse))
        .filter(|k| k.is_media_server())?;
    Some((kind, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_reads_back_what_was_written() {
        let server = SavedServer {
            kind: SourceKind::Plex,
            name: "den".into(),
            url: "http://plex.lan:32400".into(),
            secret: "tok\"en".into(),
            public_url: None,
        };
        let value = server.to_value();
        assert!(value.contains("token = "), "{value}");
        assert_eq!(SavedServer::from_value(&value), Some(server.clone()));
        assert_eq!(server.key(), "media_server:den");
        assert!(!format!("{server:?}").contains("tok"), "no secret in Debug");
        assert_eq!(SavedServer::from_value("kind = \"radarr\""), None);
        assert_eq!(SavedServer::from_value("not toml ="), None);
    }
}
