//! Events written to the outbox with each state change, and the topics workers drain.

use serde::{Deserialize, Serialize};

use crate::domain::Timestamp;
use crate::domain::{IssueId, Request, RequestId, RequestStatus, SecurityAlert, UserId};
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
    /// Something admins should know for the installation's safety (post it in the admin chats,
    /// tell the agents subscribed to `security`); see [`crate::service::SecurityAlerts`].
    SecurityAlert {
        /// What happened; names and counts only, never a secret.
        alert: SecurityAlert,
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
        /// The requester's display name, for their tag upstream, when the one who queued the
        /// submission knew it (the worker then needs no read for it); rows queued before it
        /// existed, and approvals by someone else, leave it out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requester: Option<String>,
        /// The request as it was approved, for the worker this row is handed to at commit
        /// (see `store::handoff`): it places it without reading it back. A row claimed later
        /// (a retry, after a restart) reads the request afresh and ignores this.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approved: Option<Box<Request>>,
    },
}

/// Queues a notification in the caller's transaction.
pub async fn notify(tx: &mut Tx, event: &Notification, now: Timestamp) -> CoreResult<()> {
    let payload = serde_json::to_value(event).map_err(anyhow::Error::from)?;
    outbox::enqueue(tx, TOPIC_NOTIFY, &payload, now).await
}

/// Queues notices and, when given, a submission (with the requester's name when known) in the
/// caller's transaction, with one statement whatever their number.
pub async fn queue(
    tx: &mut Tx,
    notices: &[Notification],
    submission: Option<(&Request, Option<String>)>,
    now: Timestamp,
) -> CoreResult<()> {
    let json = |value: Result<serde_json::Value, serde_json::Error>| {
        value.map_err(|e| crate::error::CoreError::from(anyhow::Error::from(e)))
    };
    let mut payloads = Vec::with_capacity(notices.len() + 1);
    for notice in notices {
        payloads.push((TOPIC_NOTIFY, json(serde_json::to_value(notice))?));
    }
    if let Some((request, requester)) = submission {
        let event = Submission::Submit {
            request_id: request.id,
            requester,
            approved: Some(Box::new(request.clone())),
        };
        payloads.push((TOPIC_SUBMIT, json(serde_json::to_value(event))?));
    }
    let events: Vec<(&str, &serde_json::Value)> = payloads
        .iter()
        .map(|(topic, payload)| (*topic, payload))
        .collect();
    outbox::enqueue_all(tx, &events, now).await
}
