//! Notifications, from a state change to a message in someone's chat, in three steps so that
//! each platform gets exactly its own messages and a retry repeats only what failed.
//!
//! 1. Every state change writes one `notify` *event* row ([`crate::service::events`]) in its
//!    own transaction; the domain does not need to know which chat platforms run.
//! 2. [`Fanout`] (run by the process that runs the bots) expands each event into *delivery*
//!    rows, one per recipient on one platform, on that platform's topic ([`topic`]:
//!    `notify.telegram`, `notify.discord`). The event is closed in the same transaction that
//!    writes its deliveries, so it is expanded exactly once, even by several replicas.
//! 3. Each platform's notifier drains only its own topic with [`drain_once`]: a delivered row is
//!    done; a failed one is retried alone after a backoff, so the people already told are not
//!    told twice; a recipient who refuses messages (DMs closed, bot blocked) is given up on after
//!    [`RetryPolicy::budget`] attempts and logged, never retried forever.
//!
//! Why a row per recipient rather than one per event: the row is the unit of retry and of
//! completion. With one row per event, a notifier had to either mark it done although another
//! platform still had messages to send (they were lost), or retry the whole event (everyone
//! already told got it again).
//!
//! Notification agents (webhooks, ntfy, Gotify, Discord webhooks, e-mail) hear the same events
//! through the same three steps, on their own topic ([`agents::TOPIC_AGENT`]), one delivery per
//! subscribed agent per event.
//!
//! Who is told where ([`route::reach`]): approver cards, and the card of a request that
//! failed, go to every running platform's admin chat; a requester is told on the platform they asked from, a follower on the one they
//! followed from, falling back to another running chat platform they have an account on.

pub mod agents;
mod drain;
mod fanout;
pub mod route;

pub use drain::{DeliveryError, RetryPolicy, drain_once, drain_topic};
pub use fanout::{Fanout, FanoutOptions};

use serde::{Deserialize, Serialize};

use crate::domain::{IssueId, Platform, RequestId, RequestStatus, SecurityAlert, UserId};

/// The chat platforms notifications are delivered on, in the order a fallback tries them.
pub const CHAT_PLATFORMS: [Platform; 2] = [Platform::Telegram, Platform::Discord];

/// The outbox topic of one platform's deliveries (`notify.telegram`, `notify.discord`).
pub fn topic(platform: Platform) -> String {
    format!("notify.{platform}")
}

/// One message for one platform to send; the payload of a delivery row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "delivery", rename_all = "snake_case")]
pub enum Delivery {
    /// Post the approver card of a pending request in this platform's admin chat or channel.
    ApproverCard {
        /// The request.
        request_id: RequestId,
    },
    /// Post the card of a request that failed in this platform's admin chat or channel: the
    /// upstream's answer to the last attempt and the circuit breaker's state, with Retry and
    /// Decline.
    FailedCard {
        /// The request.
        request_id: RequestId,
    },
    /// Announce a new request publicly ("X requested Y") where this platform announces.
    Announcement {
        /// The request.
        request_id: RequestId,
    },
    /// Tell one person, in a direct message, that a request changed status.
    Status {
        /// The request.
        request_id: RequestId,
        /// The status it reached (it may have moved on by the time this is sent).
        status: RequestStatus,
        /// Who to tell.
        user: UserId,
        /// Their account on this platform (Telegram or Discord user id).
        chat: String,
    },
    /// Post the approver card of an open issue report in this platform's admin chat or channel.
    IssueCard {
        /// The report.
        issue_id: IssueId,
    },
    /// Tell the reporter, in a direct message, that their report was resolved.
    IssueResolved {
        /// The report.
        issue_id: IssueId,
        /// Who to tell.
        user: UserId,
        /// Their account on this platform (Telegram or Discord user id).
        chat: String,
    },
    /// Post a security alert in this platform's admin chat or channel, in the approvers'
    /// language.
    SecurityAlert {
        /// What happened; names and counts only, never a secret.
        alert: SecurityAlert,
    },
}

impl Delivery {
    /// Where it goes: deliveries to one lane keep their order, different lanes go out side by
    /// side (see [`drain_once`]).
    pub fn lane(&self) -> String {
        match self {
            Self::ApproverCard { .. } | Self::FailedCard { .. } | Self::IssueCard { .. } => {
                "approvers".to_owned()
            }
            Self::Announcement { .. } => "announcements".to_owned(),
            // Beside the cards, so an alert never waits behind a burst of them.
            Self::SecurityAlert { .. } => "security".to_owned(),
            Self::Status { chat, .. } | Self::IssueResolved { chat, .. } => format!("chat:{chat}"),
        }
    }
}
