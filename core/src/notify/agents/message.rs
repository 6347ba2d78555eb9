//! What an agent is told: a render-ready snapshot taken when the event is fanned out, so the
//! notifier never reads the request again and a retry sends the very same body.

use serde::{Deserialize, Serialize};

use crate::domain::{AgentEvent, Issue, IssueStatus, Request, RequestStatus, Timestamp};
use crate::error::CoreResult;
use crate::service::events::Notification;
use crate::store::{Tx, issues, requests, users};

/// The JSON body of one agent notification (the webhook's body as is; the other kinds render
/// `subject` and `message` from it). Field names are fixed: receivers parse them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMessage {
    /// The event type (`requested`, `approved`, `declined`, `available`, `failed`, `issue`,
    /// `security`).
    pub event: AgentEvent,
    /// The request, for request events (and an issue's request when Usher knows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<i64>,
    /// The issue, for issue events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_id: Option<i64>,
    /// The issue's kind (`video`, `audio`, `subtitles`, `other`), for issue events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_kind: Option<String>,
    /// `movie` or `tv`, when a title is concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The title's TMDB id, when a title is concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tmdb_id: Option<i64>,
    /// The title (or, for a security alert, what happened).
    pub title: String,
    /// Its year, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Who asked (or reported), by display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<String>,
    /// The request's status name (`pending`, `approved`, …) or the issue's (`open`,
    /// `resolved`), or the alert's kind.
    pub status: String,
    /// One line for people: what happened.
    pub subject: String,
    /// When the event was fanned out, RFC 3339 in UTC.
    pub time: String,
}

impl AgentMessage {
    /// The message `usher admin agent test` and the console's Test button send.
    pub fn test(now: Timestamp) -> Self {
        Self {
            event: AgentEvent::Requested,
            request_id: None,
            issue_id: None,
            issue_kind: None,
            media_type: None,
            tmdb_id: None,
            title: "Usher test notification".into(),
            year: None,
            requester: None,
            status: "test".into(),
            subject: "Usher test notification: this agent is set up".into(),
            time: now.to_rfc3339(),
        }
    }

    /// A security alert (never carrying a secret: callers pass only names and counts).
    pub fn security(kind: &str, subject: String, now: Timestamp) -> Self {
        Self {
            event: AgentEvent::Security,
            request_id: None,
            issue_id: None,
            issue_kind: None,
            media_type: None,
            tmdb_id: None,
            title: subject.clone(),
            year: None,
            requester: None,
            status: kind.to_owned(),
            subject,
            time: now.to_rfc3339(),
        }
    }

    /// The title with its year, as people read it.
    pub fn title_line(&self) -> String {
        match self.year {
            Some(year) => format!("{} ({year})", self.title),
            None => self.title.clone(),
        }
    }
}

/// The agent event a notification stands for, with its snapshot; `None` for events no agent
/// hears (a request reaching Usher's own `submitted` step, a cancellation) or whose subject is
/// gone.
pub async fn for_event(
    tx: &mut Tx,
    event: &Notification,
    now: Timestamp,
) -> CoreResult<Option<AgentMessage>> {
    match event {
        Notification::RequestPending { request_id } => {
            let Some(request) = requests::get(tx, *request_id).await? else {
                return Ok(None);
            };
            if request.status != RequestStatus::Pending {
                return Ok(None);
            }
            Ok(Some(
                of_request(tx, &request, AgentEvent::Requested, now).await?,
            ))
        }
        // Written beside `RequestPending` for pending requests; alone it marks a request that
        // a rule approved at once, which agents hear of as requested.
        Notification::RequestCreated { request_id } => {
            let Some(request) = requests::get(tx, *request_id).await? else {
                return Ok(None);
            };
            if request.status == RequestStatus::Pending {
                return Ok(None);
            }
            Ok(Some(
                of_request(tx, &request, AgentEvent::Requested, now).await?,
            ))
        }
        Notification::RequestStatusChanged {
            request_id, status, ..
        } => {
            let agent_event = match status {
                RequestStatus::Approved => AgentEvent::Approved,
                RequestStatus::Declined => AgentEvent::Declined,
                RequestStatus::Available | RequestStatus::PartiallyAvailable => {
                    AgentEvent::Available
                }
                RequestStatus::Failed => AgentEvent::Failed,
                _ => return Ok(None),
            };
            let Some(mut request) = requests::get(tx, *request_id).await? else {
                return Ok(None);
            };
            // The status the event was about, even if the request moved on since.
            request.status = *status;
            Ok(Some(of_request(tx, &request, agent_event, now).await?))
        }
        Notification::IssueReported { issue_id } | Notification::IssueResolved { issue_id, .. } => {
            let Some(mut issue) = issues::get(tx, *issue_id).await? else {
                return Ok(None);
            };
            if matches!(event, Notification::IssueResolved { .. }) {
                issue.status = IssueStatus::Resolved;
            }
            Ok(Some(of_issue(tx, &issue, now).await?))
        }
        Notification::SecurityAlert { alert } => Ok(Some(AgentMessage::security(
            alert.event.kind(),
            alert.subject(),
            now,
        ))),
    }
}

async fn display_name(tx: &mut Tx, user: crate::domain::UserId) -> CoreResult<Option<String>> {
    Ok(users::get_user(tx, user).await?.map(|u| u.display_name))
}

async fn of_request(
    tx: &mut Tx,
    request: &Request,
    event: AgentEvent,
    now: Timestamp,
) -> CoreResult<AgentMessage> {
    let requester = display_name(tx, request.requested_by).await?;
    let title = request.media.title.clone();
    let mut message = AgentMessage {
        event,
        request_id: Some(request.id.0),
        issue_id: None,
        issue_kind: None,
        media_type: Some(request.media.media_type.as_str().to_owned()),
        tmdb_id: Some(i64::from(request.media.tmdb_id.get())),
        title,
        year: request.media.year,
        requester,
        status: request.status.as_str().to_owned(),
        subject: String::new(),
        time: now.to_rfc3339(),
    };
    let line = message.title_line();
    let by = message.requester.as_deref().unwrap_or("someone");
    message.subject = match event {
        AgentEvent::Requested => format!("{line} was requested by {by}"),
        AgentEvent::Approved => format!("{line} was approved (requested by {by})"),
        AgentEvent::Declined => format!("{line} was declined (requested by {by})"),
        AgentEvent::Available => format!("{line} is available (requested by {by})"),
        AgentEvent::Failed => format!("{line} could not be sent to Radarr/Sonarr"),
        AgentEvent::Issue | AgentEvent::Security => line,
    };
    Ok(message)
}

async fn of_issue(tx: &mut Tx, issue: &Issue, now: Timestamp) -> CoreResult<AgentMessage> {
    let requester = display_name(tx, issue.reported_by).await?;
    let mut message = AgentMessage {
        event: AgentEvent::Issue,
        request_id: issue.request_id.map(|r| r.0),
        issue_id: Some(issue.id.0),
        issue_kind: Some(issue.kind.as_str().to_owned()),
        media_type: Some(issue.media_type.as_str().to_owned()),
        tmdb_id: Some(i64::from(issue.tmdb_id.get())),
        title: issue.title.clone(),
        year: issue.year,
        requester,
        status: issue.status.as_str().to_owned(),
        subject: String::new(),
        time: now.to_rfc3339(),
    };
    let line = message.title_line();
    message.subject = match issue.status {
        IssueStatus::Open => format!("Issue #{} reported on {line}: {}", issue.id.0, issue.kind),
        IssueStatus::Resolved => format!("Issue #{} on {line} was resolved", issue.id.0),
    };
    Ok(message)
}
