//! Notification agents: the same `notify` events the chats hear, told to the webhooks, ntfy
//! topics, Gotify servers, Discord webhooks and mailboxes admins configured.
//!
//! The [`Fanout`](super::Fanout) writes one [`AgentDelivery`] per subscribed agent per event on
//! [`TOPIC_AGENT`], with a [`AgentMessage`] snapshot taken in the same transaction; the
//! [`AgentNotifier`] drains that topic with the chats' retry rules (each agent a lane of its
//! own, so a dead receiver never holds the others up). A delivery names its agent by id: an
//! agent removed before its turn gets nothing.

mod answer;
mod email;
mod message;
mod notifier;
pub mod seerr;
mod send;
pub mod sign;

pub use answer::{Answer, BODY_HEAD, SendError};
pub use email::{SmtpOptions, check_address};
pub use message::{AgentMessage, for_event};
pub use notifier::{
    AGENT_TIMEOUT, AgentNotifier, agent_client, open as open_secret, open_agent, open_auth,
};
pub use send::send;

use serde::{Deserialize, Serialize};

/// The outbox topic of agent deliveries.
pub const TOPIC_AGENT: &str = "notify.agent";

/// One message for one agent; the payload of a delivery row on [`TOPIC_AGENT`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentDelivery {
    /// The agent's row id.
    pub agent: i64,
    /// What to tell it.
    pub message: AgentMessage,
}

impl AgentDelivery {
    /// Deliveries to one agent keep their order; different agents go out side by side.
    pub fn lane(&self) -> String {
        format!("agent:{}", self.agent)
    }
}
