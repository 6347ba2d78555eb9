//! Notification agents: places outside the chats (a signed webhook, ntfy, Gotify, a Discord
//! webhook, e-mail) that admins point Usher at, each told of the event types it subscribed to.

use super::plain_name::PlainName;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Timestamp;
use crate::error::{CoreError, CoreResult};

/// How an agent is reached. The stored names are fixed (operators type them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentKind {
    /// A JSON POST signed with `X-Usher-Signature` (HMAC-SHA256 under the agent's secret).
    Webhook,
    /// A POST to an ntfy topic URL, with `Title` and `Tags` headers and an optional token.
    Ntfy,
    /// A POST to a Gotify server's `/message?token=`.
    Gotify,
    /// A mail through an SMTP server.
    Email,
    /// A POST to a Discord channel webhook (`{content, embeds}`).
    DiscordWebhook,
}

impl AgentKind {
    /// Every kind, in the order the console lists them.
    pub const ALL: [Self; 5] = [
        Self::Webhook,
        Self::Ntfy,
        Self::Gotify,
        Self::Email,
        Self::DiscordWebhook,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Ntfy => "ntfy",
            Self::Gotify => "gotify",
            Self::Email => "email",
            Self::DiscordWebhook => "discord_webhook",
        }
    }

    /// Parses a stored or typed name (`discord` is accepted for `discord_webhook`, as the CLI
    /// spells it).
    pub fn parse(text: &str) -> CoreResult<Self> {
        let text = text.trim();
        if text == "discord" {
            return Ok(Self::DiscordWebhook);
        }
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| {
                CoreError::Validation(format!(
                    "kind: `{text}` is not one of webhook, ntfy, gotify, email, discord_webhook"
                ))
            })
    }
}

impl fmt::Display for AgentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an agent can be told of. The names are fixed: receivers switch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentEvent {
    /// A request waits for approval.
    Requested,
    /// A request was approved.
    Approved,
    /// A request was declined.
    Declined,
    /// A requested title is (partly) in the library.
    Available,
    /// A request could not be sent to Radarr/Sonarr.
    Failed,
    /// A problem with a title was reported or resolved.
    Issue,
    /// A security alert (failed sign-ins, forged buttons, keys created or revoked).
    Security,
}

impl AgentEvent {
    /// Every event type, in the order they are printed.
    pub const ALL: [Self; 7] = [
        Self::Requested,
        Self::Approved,
        Self::Declined,
        Self::Available,
        Self::Failed,
        Self::Issue,
        Self::Security,
    ];

    /// The name operators type and receivers read.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Declined => "declined",
            Self::Available => "available",
            Self::Failed => "failed",
            Self::Issue => "issue",
            Self::Security => "security",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::Requested => 1,
            Self::Approved => 2,
            Self::Declined => 4,
            Self::Available => 8,
            Self::Failed => 16,
            Self::Issue => 32,
            Self::Security => 64,
        }
    }
}

impl fmt::Display for AgentEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The event types an agent subscribed to; the empty set means every event type, so an agent
/// added without a list hears everything, including types added later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgentEvents(u8);

impl AgentEvents {
    /// Every event type.
    pub const EVERY: Self = Self(0);

    /// The set holding exactly these events (empty: every event).
    pub fn of(events: &[AgentEvent]) -> Self {
        Self(events.iter().fold(0, |acc, e| acc | e.bit()))
    }

    /// Parses a comma-separated list (`""` is every event); an unknown name is a validation
    /// error naming what is accepted.
    pub fn parse(text: &str) -> CoreResult<Self> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::EVERY);
        }
        let mut set = 0;
        for part in text.split(',').map(str::trim) {
            let event = AgentEvent::ALL
                .into_iter()
                .find(|e| e.as_str() == part)
                .ok_or_else(|| {
                    CoreError::Validation(format!(
                        "events: `{part}` is not one of requested, approved, declined, available, failed, issue, security"
                    ))
                })?;
            set |= event.bit();
        }
        Ok(Self(set))
    }

    /// Whether an agent with this subscription hears `event`.
    pub fn includes(self, event: AgentEvent) -> bool {
        self.0 == 0 || self.0 & event.bit() != 0
    }

    /// Whether this is the "every event" subscription.
    pub fn is_every(self) -> bool {
        self.0 == 0
    }

    /// The events named, in [`AgentEvent::ALL`] order (empty for every event).
    pub fn iter(self) -> impl Iterator<Item = AgentEvent> {
        AgentEvent::ALL
            .into_iter()
            .filter(move |e| self.0 & e.bit() != 0)
    }
}

impl fmt::Display for AgentEvents {
    /// The stored form: the names comma-joined, `""` for every event.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(AgentEvent::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// An agent's name: a [`PlainName`] (it names the agent in the CLI and the console).
pub type AgentName = PlainName;

/// An agent as lists show it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSummary {
    /// Row id (delivery rows name the agent by it).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// How it is reached.
    pub kind: AgentKind,
    /// Where: the URL (webhook, ntfy, Gotify, Discord) or the recipient address (e-mail).
    pub target: String,
    /// What it hears.
    pub events: AgentEvents,
    /// Kind-specific settings (e-mail: SMTP server and sender; Gotify: priority; a Seerr
    /// client's JSON template), never a secret.
    pub options: serde_json::Value,
    /// Whether a secret (signing secret, token, SMTP password) is stored.
    pub has_secret: bool,
    /// When it was added.
    pub created_at: Timestamp,
}

impl AgentSummary {
    /// Whether it is told anything: a Seerr client can switch its webhook off and keep its
    /// settings (`options.enabled = false`); every other agent is on while it exists.
    pub fn enabled(&self) -> bool {
        self.options
            .get("enabled")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true)
    }

    /// Whether it hears `event` now.
    pub fn hears(&self, event: AgentEvent) -> bool {
        self.enabled() && self.events.includes(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_parse_print_and_empty_means_all() {
        let events = AgentEvents::parse("declined, requested").expect("parses");
        assert_eq!(events.to_string(), "requested,declined");
        assert!(events.includes(AgentEvent::Requested));
        assert!(!events.includes(AgentEvent::Available));
        let every = AgentEvents::parse("").expect("parses");
        assert!(AgentEvent::ALL.iter().all(|e| every.includes(*e)));
        assert_eq!(every.to_string(), "");
        for bad in ["nope", "requested,,approved", "REQUESTED"] {
            let err = AgentEvents::parse(bad).expect_err(bad);
            assert!(err.to_string().contains("events"), "{err}");
        }
    }

    #[test]
    fn kinds_and_names() {
        for kind in AgentKind::ALL {
            assert_eq!(AgentKind::parse(kind.as_str()).expect("kind"), kind);
        }
        assert_eq!(
            AgentKind::parse("discord").expect("alias"),
            AgentKind::DiscordWebhook
        );
        assert!(AgentKind::parse("slack").is_err());
        for bad in ["", "has space", &"x".repeat(65)] {
            assert!(AgentName::parse(bad).is_err(), "{bad}");
        }
    }
}
