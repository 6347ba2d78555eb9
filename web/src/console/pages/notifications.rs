//! `/notifications` (admins): the notification agents. Lists them (never a secret), adds one
//! (kind, name, URL or address, token, the events it hears as checkboxes), removes one after a
//! confirmation, and tests one, showing the receiver's own answer (status and the first bytes
//! of its body). A webhook's signing secret is shown once, on the page that added it, and again
//! once when an admin rotates it (after a confirmation, like removal). Core validates, seals and
//! audits; this module only translates.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use secrecy::ExposeSecret as _;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use usher_core::domain::{AgentEvent, AgentKind, AgentSummary, Permission};
use usher_core::service::{NewAgent, TestOutcome};

use super::outcome::{self, NoticeQuery, OrRefused, PageError, done};
use super::requests::Choice;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// Where the page lives.
const HERE: &str = "/notifications";

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(HERE, get(page).post(add))
        .route("/notifications/test", post(test))
        .route("/notifications/remove", post(remove))
        .route("/notifications/rotate", post(rotate))
}

/// One agent as listed.
#[derive(Debug, Clone)]
pub struct AgentRow {
    /// Its name.
    pub name: String,
    /// Its kind, in words.
    pub kind: String,
    /// URL or address.
    pub target: String,
    /// The events it hears, in words.
    pub events: String,
    /// Whether it is on.
    pub enabled: bool,
    /// A webhook: it has a signing secret to rotate.
    pub webhook: bool,
    /// What its Test found, when it was just tested.
    pub test: Option<TestView>,
}

/// What a Test button found.
#[derive(Debug, Clone)]
pub struct TestView {
    /// The receiver took it.
    pub ok: bool,
    /// "Connection works." / "Connection failed."
    pub headline: String,
    /// The receiver's status and the first bytes of its body, or why nothing answered.
    pub detail: String,
}

/// One event checkbox.
#[derive(Debug, Clone)]
pub struct EventBox {
    /// The field name (`ev_requested`).
    pub field: String,
    /// Its label.
    pub label: String,
}

/// The page.
#[derive(Template)]
#[template(path = "console/notifications.html")]
pub struct NotificationsPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every agent.
    pub agents: Vec<AgentRow>,
    /// Kind options of the add form.
    pub kinds: Vec<Choice>,
    /// Event checkboxes of the add form.
    pub events: Vec<EventBox>,
    /// A just-added or just-rotated webhook's signing secret, shown this once.
    pub secret: Option<String>,
    /// The agent whose secret was just rotated (the secret's note names it).
    pub rotated: Option<String>,
    /// Why the add form was refused.
    pub problem: Option<String>,
    /// What the last action did.
    pub notice: Option<String>,
}

fn row(chrome: &Chrome, agent: &AgentSummary) -> AgentRow {
    let events = if agent.events.is_every() {
        chrome.t("console-agents-every-event")
    } else {
        agent
            .events
            .iter()
            .map(|e| chrome.t(&format!("console-agents-event-{}", e.as_str())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    AgentRow {
        name: agent.name.clone(),
        kind: chrome.t(&format!("console-agents-kind-{}", agent.kind.as_str())),
        target: agent.target.clone(),
        events,
        enabled: agent.enabled(),
        webhook: agent.kind == AgentKind::Webhook,
        test: None,
    }
}

async fn build(
    state: &AppState,
    who: &SignedIn,
    chrome: Chrome,
    notice: Option<String>,
) -> Result<NotificationsPage, PageError> {
    let agents = state
        .agents()
        .list(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let agents = agents.iter().map(|a| row(&chrome, a)).collect();
    let kinds = AgentKind::ALL
        .iter()
        .map(|k| {
            let label = chrome.t(&format!("console-agents-kind-{}", k.as_str()));
            Choice::new(k.as_str(), label, Some("webhook"))
        })
        .collect();
    let events = AgentEvent::ALL
        .iter()
        .map(|e| EventBox {
            field: format!("ev_{}", e.as_str()),
            label: chrome.t(&format!("console-agents-event-{}", e.as_str())),
        })
        .collect();
    Ok(NotificationsPage {
        chrome,
        agents,
        kinds,
        events,
        secret: None,
        rotated: None,
        problem: None,
        notice,
    })
}

/// GET /notifications.
pub async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let chrome = Chrome::for_user(&who);
    let notice = outcome::notice(&chrome, query.notice.as_deref());
    let page = build(&state, &who, chrome, notice).await?;
    Ok(render(&page)?.into_response())
}

/// The add form as posted (one field per event checkbox).
#[derive(Debug, Default, Deserialize)]
pub struct AddFields {
    /// Its kind.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// URL, or the recipient address for e-mail.
    pub target: String,
    /// Token or SMTP password.
    #[serde(default)]
    pub token: String,
    /// E-mail: SMTP server.
    #[serde(default)]
    pub smtp_host: String,
    /// E-mail: sender.
    #[serde(default)]
    pub from: String,
    /// Checked: hears requests.
    pub ev_requested: Option<String>,
    /// Checked: hears approvals.
    pub ev_approved: Option<String>,
    /// Checked: hears declines.
    pub ev_declined: Option<String>,
    /// Checked: hears availability.
    pub ev_available: Option<String>,
    /// Checked: hears failures.
    pub ev_failed: Option<String>,
    /// Checked: hears issues.
    pub ev_issue: Option<String>,
    /// Checked: hears security alerts.
    pub ev_security: Option<String>,
}

impl AddFields {
    fn agent(self) -> NewAgent {
        let checked = [
            (AgentEvent::Requested, &self.ev_requested),
            (AgentEvent::Approved, &self.ev_approved),
            (AgentEvent::Declined, &self.ev_declined),
            (AgentEvent::Available, &self.ev_available),
            (AgentEvent::Failed, &self.ev_failed),
            (AgentEvent::Issue, &self.ev_issue),
            (AgentEvent::Security, &self.ev_security),
        ];
        let events: Vec<&str> = checked
            .iter()
            .filter(|(_, on)| on.is_some())
            .map(|(e, _)| e.as_str())
            .collect();
        let mut options = Map::new();
        if self.kind == "email" {
            options.insert("smtp_host".into(), json!(self.smtp_host));
            options.insert("from".into(), json!(self.from));
        }
        NewAgent {
            name: self.name,
            kind: self.kind,
            target: self.target,
            events: events.join(","),
            token: Some(self.token).filter(|t| !t.trim().is_empty()),
            options: Value::Object(options),
        }
    }
}

/// POST /notifications: add an agent; a webhook's secret is shown on the answer, once.
pub async fn add(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<AddFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let added = state.agents().add(&who.actor, fields.agent()).await;
    let chrome = Chrome::for_user(&who);
    match added {
        Ok(added) => {
            let Some(secret) = added.signing_secret else {
                return Ok(done(None, HERE, "saved"));
            };
            let notice = Some(chrome.t("console-notice-saved"));
            let mut page = build(&state, &who, chrome, notice).await?;
            page.secret = Some(secret.expose_secret().to_owned());
            secret_once(&page)
        }
        Err(err) => {
            let (status, text) = outcome::form_refusal(&who.lang, err)?;
            let mut page = build(&state, &who, chrome, None).await?;
            page.problem = Some(text);
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            Ok((status, render(&page)?).into_response())
        }
    }
}

/// The test and remove forms.
#[derive(Debug, Deserialize)]
pub struct NameField {
    /// The agent's name.
    pub name: String,
}

/// POST /notifications/test: send a test message now and show the receiver's answer.
pub async fn test(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<NameField>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let outcome = state
        .agents()
        .test(&who.actor, &fields.name)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let view = match outcome {
        TestOutcome::Answered(answer) => TestView {
            ok: answer.accepted(),
            headline: chrome.t(if answer.accepted() {
                "console-settings-test-ok"
            } else {
                "console-settings-test-failed"
            }),
            detail: format!("{} {}", answer.status, answer.body),
        },
        TestOutcome::Failed(why) => TestView {
            ok: false,
            headline: chrome.t("console-settings-test-failed"),
            detail: why,
        },
    };
    let mut page = build(&state, &who, chrome, None).await?;
    if let Some(agent) = page.agents.iter_mut().find(|a| a.name == fields.name) {
        agent.test = Some(view);
    }
    Ok(render(&page)?.into_response())
}

/// POST /notifications/remove (after /confirm).
pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<NameField>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    state
        .agents()
        .remove(&who.actor, &fields.name)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, HERE, "removed"))
}

/// The one answer that holds a signing secret: never stored by a browser or a proxy.
fn secret_once(page: &NotificationsPage) -> Result<Response, PageError> {
    let mut response = render(page)?.into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// POST /notifications/rotate (after /confirm): a new signing secret for a webhook agent,
/// shown on the answer, once.
pub async fn rotate(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<NameField>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let secret = state
        .agents()
        .rotate_secret(&who.actor, &fields.name)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let mut page = build(&state, &who, chrome, None).await?;
    page.secret = Some(secret.expose_secret().to_owned());
    page.rotated = Some(fields.name);
    secret_once(&page)
}
