//! People and the accounts they reach Usher from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::clock::Timestamp;
use super::ids::UserId;
use crate::error::CoreError;

/// Where an identity lives; also the source platform of requests and audit rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// A Discord user id.
    Discord,
    /// A Telegram user id.
    Telegram,
    /// An OIDC `iss` + `sub`.
    Oidc,
    /// A WebAuthn credential.
    Passkey,
    /// The web console (requests made there carry this source).
    Web,
    /// A plex.tv account (its numeric user id), linked for "Sign in with Plex".
    Plex,
}

impl Platform {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discord => "discord",
            Self::Telegram => "telegram",
            Self::Oidc => "oidc",
            Self::Passkey => "passkey",
            Self::Web => "web",
            Self::Plex => "plex",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Self::Discord,
            Self::Telegram,
            Self::Oidc,
            Self::Passkey,
            Self::Web,
            Self::Plex,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
        .ok_or_else(|| CoreError::Validation(format!("unknown platform {s:?}")))
    }
}

/// One account of a user on one platform, e.g. Telegram user 1234.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The user it belongs to.
    pub user_id: UserId,
    /// Which platform.
    pub platform: Platform,
    /// The platform's own id, as text (Discord snowflakes overflow i64 parsing in some tools).
    pub external_id: String,
    /// A name to show, as last seen.
    pub display: String,
}

impl Identity {
    /// Validates a platform id before it reaches the database.
    pub fn validate_external_id(platform: Platform, external_id: &str) -> Result<(), CoreError> {
        let numeric = matches!(
            platform,
            Platform::Discord | Platform::Telegram | Platform::Plex
        );
        let ok = !external_id.is_empty()
            && external_id.len() <= 255
            && (!numeric || external_id.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(())
        } else {
            Err(CoreError::Validation(format!(
                "{external_id:?} is not a {platform} id"
            )))
        }
    }
}

/// A person, with every identity they linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Stable id.
    pub id: UserId,
    /// Name shown on cards and in the console.
    pub display_name: String,
    /// A disabled user can do nothing, whatever their roles.
    pub disabled: bool,
    /// Chosen language (`/language`), overriding the platform's.
    pub locale: Option<String>,
    /// When they first appeared.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_ids_must_be_numeric() {
        assert!(Identity::validate_external_id(Platform::Telegram, "12345").is_ok());
        assert!(Identity::validate_external_id(Platform::Telegram, "12a45").is_err());
        assert!(Identity::validate_external_id(Platform::Discord, "").is_err());
        assert!(Identity::validate_external_id(Platform::Oidc, "https://idp|alice").is_ok());
    }
}
