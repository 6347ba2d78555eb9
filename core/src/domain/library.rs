//! Where a title lives in a media server, and the address a member's browser opens it at
//! ("Open in library" on a search card).

use serde::{Deserialize, Serialize};

use crate::config::LibraryLinks;

/// Which media server holds an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LibraryServer {
    /// Jellyfin or Emby (same web client routes).
    Jellyfin,
    /// Plex.
    Plex,
}

impl LibraryServer {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jellyfin => "jellyfin",
            Self::Plex => "plex",
        }
    }

    /// The server with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "jellyfin" => Some(Self::Jellyfin),
            "plex" => Some(Self::Plex),
            _ => None,
        }
    }
}

/// A title's item in a media server: a movie, or a show (never an episode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryItem {
    /// The server.
    pub server: LibraryServer,
    /// Jellyfin item id, or Plex rating key.
    pub item_id: String,
    /// Plex's server identifier (`Server.uuid` in its webhooks), needed to address the item.
    pub machine_id: Option<String>,
}

impl LibraryItem {
    /// The address members open the item at, given where the servers are reachable; `None`
    /// when it cannot be addressed (no Jellyfin address known, or a Plex item without its
    /// server's identifier). Ids are percent-encoded, so a stored id cannot break out of the URL.
    pub fn link(&self, links: &LibraryLinks) -> Option<String> {
        let item = encode(&self.item_id);
        match self.server {
            LibraryServer::Jellyfin => {
                let base = links.jellyfin.as_deref()?.trim_end_matches('/');
                Some(format!("{base}/web/#/details?id={item}"))
            }
            LibraryServer::Plex => {
                let machine = encode(self.machine_id.as_deref()?);
                let base = match links.plex.as_deref() {
                    Some(public) => format!("{}/web/index.html", public.trim_end_matches('/')),
                    None => "https://app.plex.tv/desktop/".to_owned(),
                };
                Some(format!(
                    "{base}#!/server/{machine}/details?key=%2Flibrary%2Fmetadata%2F{item}"
                ))
            }
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(jellyfin: Option<&str>, plex: Option<&str>) -> LibraryLinks {
        LibraryLinks {
            jellyfin: jellyfin.map(str::to_owned),
            plex: plex.map(str::to_owned),
        }
    }

    #[test]
    fn jellyfin_and_plex_links_are_built_and_percent_safe() {
        let jellyfin = LibraryItem {
            server: LibraryServer::Jellyfin,
            item_id: "a1b2c3".into(),
            machine_id: None,
        };
        assert_eq!(
            jellyfin
                .link(&links(Some("https://tv.example.org/"), None))
                .as_deref(),
            Some("https://tv.example.org/web/#/details?id=a1b2c3")
        );
        assert_eq!(jellyfin.link(&links(None, None)), None);
        let plex = LibraryItem {
            server: LibraryServer::Plex,
            item_id: "4242".into(),
            machine_id: Some("abc123".into()),
        };
        assert_eq!(
            plex.link(&links(None, None)).as_deref(),
            Some(
                "https://app.plex.tv/desktop/#!/server/abc123/details?key=%2Flibrary%2Fmetadata%2F4242"
            )
        );
        assert_eq!(
            plex.link(&links(None, Some("https://plex.example.org")))
                .as_deref(),
            Some(
                "https://plex.example.org/web/index.html#!/server/abc123/details?key=%2Flibrary%2Fmetadata%2F4242"
            )
        );
        let hostile = LibraryItem {
            server: LibraryServer::Plex,
            item_id: "1&x=\"><script>".into(),
            machine_id: Some("m/../#?".into()),
        };
        let link = hostile.link(&links(None, None)).expect("link");
        assert!(link.ends_with("server/m%2F..%2F%23%3F/details?key=%2Flibrary%2Fmetadata%2F1%26x%3D%22%3E%3Cscript%3E"), "{link}");
        let without_machine = LibraryItem {
            machine_id: None,
            ..plex
        };
        assert_eq!(without_machine.link(&links(None, None)), None);
    }
}
