//! Events written to the outbox with each state change, and the topics workers drain.

use serde::{Deserialize, Serialize};

use crate::domain::Timestamp;
use crate::domain::{IssueId, RequestId, RequestStatus, UserId};
use crate::error::CoreResult;
use crate::store::{Tx, outbox};

/// Topic drained by the submission worker (approved requests → Radarr/Sonarr).
pub const TOPIC_SUBMIT: &str = "submit";
/// Topic drained by the notifier (chat messages to requesters, followers and approvers).
pub const TOPIC_NOTIFY: &str = "notify";

/// Something front ends must tell people about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Notification {
    /// A request waits for approvers (post a card in the admin chats).
    RequestPending {
        /// The request.
        request_id: RequestId,
    },
    /// A request was made (pending or auto-approved): announce it where announcements are on
    /// (`USHER_DISCORD_ANNOUNCE_CHANNEL_ID`).
    RequestCreated {
        /// The request.
        request_id: RequestId,
    },
    /// A request changed status: tell the requester and followers, update approver cards.
    RequestStatusChanged {
        /// The request.
        request_id: RequestId,
        /// New status.
        status: RequestStatus,
        /// Who caused it, if a person.
        actor: Option<UserId>,
    },
    /// A member reported a problem with a title (post a card in the admin chats).
    IssueReported {
        /// The report.
        issue_id: IssueId,
    },
    /// An approver resolved a report: tell the reporter.
    IssueResolved {
        /// The report.
        issue_id: IssueId,
        /// Who resolved it, if a person.
        actor: Option<UserId>,
    },
}

/// Work for the submission worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Submission {
    /// Send this approved request to Radarr/Sonarr (idempotently).
    Submit {
        /// The request.
        request_id: RequestId,
    },
}

/// Queues a notification in the caller's transaction.
pub async fn notify(tx: &mut Tx, event: &Notification, now: Timestamp) -> CoreResult<()> {
    let payload = serde_json::to_value(event).map_err(anyhow::Error::from)?;
    outbox::enqueue(tx, TOPIC_NOTIFY, &payload, now).await
}

/// Queues a submission in the caller's transaction.
pub async fn submit(tx: &mut Tx, request_id: RequestId, now: Timestamp) -> CoreResult<()> {
    let payload =
        serde_json::to_value(Submission::Submit { request_id }).map_err(anyhow::Error::from)?;
    outbox::enqueue(tx, TOPIC_SUBMIT, &payload, now).await
}
