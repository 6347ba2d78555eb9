//! Security alerts: what admins are told when someone fails to sign in again and again, presses
//! a forged button, sends a badly signed webhook, or when an admin, an API key or the master key
//! changes. Every field is something safe to show in a chat: names, addresses, counts — never a
//! key, token, secret or signature value, so an alert can go anywhere an admin reads.

use serde::{Deserialize, Serialize};

/// What happened, with a subject people can act on. The kinds' names are fixed: receivers of
/// agent notifications switch on them (`status` of a `security` message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecurityEvent {
    /// A console sign-in failed (raised as an alert once it repeats from one address).
    FailedSignIn {
        /// How: `oidc`, `passkey`, `setup_link`, `api_key`.
        method: String,
        /// The client address as the web layer sees it.
        from: String,
    },
    /// A chat button whose signature did not verify, or one used again after it was spent.
    ForgedButton {
        /// The chat platform (`telegram`, `discord`).
        platform: String,
        /// The platform's user id of who pressed it.
        from: String,
    },
    /// An inbound webhook or interaction whose token or signature did not verify.
    BadSignature {
        /// Which door: `discord_interactions`, `telegram`, `radarr`, …
        endpoint: String,
        /// The client address as the web layer sees it.
        from: String,
    },
    /// Someone became an admin.
    NewAdmin {
        /// The new admin's display name.
        user: String,
        /// Who made them one (a display name, `setup link`, `OIDC groups`, `system`).
        by: String,
    },
    /// An API key was made (its name only).
    ApiKeyCreated {
        /// The key's name.
        name: String,
    },
    /// An API key was revoked (its name only).
    ApiKeyRevoked {
        /// The key's name.
        name: String,
    },
    /// The master key was rotated: stored secrets were re-sealed under the new key.
    SecretRotated {
        /// How many stored secrets were re-sealed.
        resealed: u32,
    },
}

impl SecurityEvent {
    /// The kind's fixed name (`failed_sign_in`, `forged_button`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::FailedSignIn { .. } => "failed_sign_in",
            Self::ForgedButton { .. } => "forged_button",
            Self::BadSignature { .. } => "bad_signature",
            Self::NewAdmin { .. } => "new_admin",
            Self::ApiKeyCreated { .. } => "api_key_created",
            Self::ApiKeyRevoked { .. } => "api_key_revoked",
            Self::SecretRotated { .. } => "secret_rotated",
        }
    }

    /// What the rate limit counts per: the kind and its subject, so one noisy address does not
    /// hide another, and two keys created in a row are both told.
    pub fn subject_key(&self) -> String {
        let subject = match self {
            Self::FailedSignIn { from, .. } | Self::BadSignature { from, .. } => from.clone(),
            Self::ForgedButton { platform, from } => format!("{platform}:{from}"),
            Self::NewAdmin { user, .. } => user.clone(),
            Self::ApiKeyCreated { name } | Self::ApiKeyRevoked { name } => name.clone(),
            Self::SecretRotated { .. } => String::new(),
        };
        format!("{}|{subject}", self.kind())
    }

    /// How many times within the window make an alert: failed sign-ins and bad signatures are
    /// expected now and then (a typo, Discord probing its endpoint with bad signatures), a
    /// forged button or an admin's change is told at once.
    pub fn threshold(&self) -> u32 {
        match self {
            Self::FailedSignIn { .. } => 5,
            Self::BadSignature { .. } => 3,
            _ => 1,
        }
    }

    /// The name/value pairs chat catalogues render (`security-alert-<kind>` messages).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::FailedSignIn { method, from } => {
                vec![("method", method.clone()), ("from", from.clone())]
            }
            Self::ForgedButton { platform, from } => {
                vec![("platform", platform.clone()), ("from", from.clone())]
            }
            Self::BadSignature { endpoint, from } => {
                vec![("endpoint", endpoint.clone()), ("from", from.clone())]
            }
            Self::NewAdmin { user, by } => vec![("user", user.clone()), ("by", by.clone())],
            Self::ApiKeyCreated { name } | Self::ApiKeyRevoked { name } => {
                vec![("name", name.clone())]
            }
            Self::SecretRotated { resealed } => vec![("count", resealed.to_string())],
        }
    }
}

/// An alert as queued: the event and how often it was seen in the window that raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityAlert {
    /// What happened.
    #[serde(flatten)]
    pub event: SecurityEvent,
    /// How many times it was seen in the window (1 for the once-only kinds).
    pub seen: u32,
    /// The window's length in minutes.
    pub window_minutes: u32,
}

impl SecurityAlert {
    /// One English line for notification agents (the chats use their catalogues instead).
    pub fn subject(&self) -> String {
        let (seen, minutes) = (self.seen, self.window_minutes);
        match &self.event {
            SecurityEvent::FailedSignIn { method, from } => format!(
                "Security: {seen} failed sign-ins ({method}) from {from} within {minutes} minutes"
            ),
            SecurityEvent::ForgedButton { platform, from } => {
                format!("Security: a forged or replayed button was pressed on {platform} by {from}")
            }
            SecurityEvent::BadSignature { endpoint, from } => format!(
                "Security: {seen} requests to {endpoint} from {from} with a bad signature or token within {minutes} minutes"
            ),
            SecurityEvent::NewAdmin { user, by } => {
                format!("Security: {user} is now an admin (by {by})")
            }
            SecurityEvent::ApiKeyCreated { name } => {
                format!("Security: API key {name} was created")
            }
            SecurityEvent::ApiKeyRevoked { name } => {
                format!("Security: API key {name} was revoked")
            }
            SecurityEvent::SecretRotated { resealed } => format!(
                "Security: the master key was rotated; {resealed} stored secrets were re-sealed"
            ),
        }
    }

    /// The catalogue arguments, with the count and window.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = self.event.args();
        args.push(("seen", self.seen.to_string()));
        args.push(("minutes", self.window_minutes.to_string()));
        args
    }

    /// The catalogue message id (`security-alert-failed-sign-in`, …).
    pub fn message_id(&self) -> String {
        format!("security-alert-{}", self.event.kind().replace('_', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_as_a_flat_object_with_its_kind() {
        let alert = SecurityAlert {
            event: SecurityEvent::ApiKeyCreated {
                name: "homepage".into(),
            },
            seen: 1,
            window_minutes: 10,
        };
        let json = serde_json::to_value(&alert).expect("serializes");
        assert_eq!(json["kind"], "api_key_created");
        assert_eq!(json["name"], "homepage");
        let back: SecurityAlert = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, alert);
        assert_eq!(alert.message_id(), "security-alert-api-key-created");
    }

    #[test]
    fn the_limit_counts_per_kind_and_subject() {
        let a = SecurityEvent::FailedSignIn {
            method: "oidc".into(),
            from: "1.2.3.4".into(),
        };
        let b = SecurityEvent::FailedSignIn {
            method: "passkey".into(),
            from: "1.2.3.4".into(),
        };
        let c = SecurityEvent::BadSignature {
            endpoint: "radarr".into(),
            from: "1.2.3.4".into(),
        };
        assert_eq!(a.subject_key(), b.subject_key());
        assert_ne!(a.subject_key(), c.subject_key());
    }
}
