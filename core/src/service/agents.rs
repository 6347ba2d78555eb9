//! Notification agents, configured by admins only (the CLI, the console, a Seerr client with an
//! `admin` key): added with their secret sealed under the master key, listed without it,
//! removed, and tested by sending a test message straight to the receiver and reporting its own
//! answer. Delivery of real events is [`crate::notify::agents`]' job.
//!
//! Agents may point at LAN and loopback addresses (the usual self-hosted receiver); that is why
//! only admins may configure them.

use std::sync::Arc;

use secrecy::SecretString;
use serde_json::{Value, json};

use super::authz;
use crate::crypto::{MasterKeys, random_token};
use crate::domain::{
    Actor, AgentEvents, AgentKind, AgentName, AgentSummary, AuditAction, Permission, Timestamp,
};
use crate::error::{CoreError, CoreResult};
use crate::notify::agents::{
    AgentMessage, Answer, SendError, SmtpOptions, TOPIC_AGENT, agent_client, check_address,
    open_agent, send,
};
use crate::store::agents::{AgentRow, AgentWrite};
use crate::store::{Db, agents, audit, in_tx};

/// The prefix of generated webhook signing secrets (easy to grep for when one leaks).
const SECRET_PREFIX: &str = "whsec_";

/// Longest target URL or address accepted.
const MAX_TARGET: usize = 2_000;

/// What an admin asks for when adding an agent.
#[derive(Debug, Clone, Default)]
pub struct NewAgent {
    /// Its name.
    pub name: String,
    /// Its kind (`webhook`, `ntfy`, `gotify`, `email`, `discord`/`discord_webhook`).
    pub kind: String,
    /// The URL, or the recipient address for e-mail.
    pub target: String,
    /// Comma-separated events; empty for every event.
    pub events: String,
    /// The ntfy or Gotify token, or the SMTP password (webhooks get a generated secret).
    pub token: Option<String>,
    /// Kind-specific options (e-mail: `smtp_host`, `smtp_port`, `tls`, `from`, `username`;
    /// Gotify: `priority`).
    pub options: Value,
}

/// An agent just added; a webhook's signing secret is shown this once.
#[derive(Debug)]
pub struct AddedAgent {
    /// What lists will show of it.
    pub summary: AgentSummary,
    /// The webhook's signing secret, exactly as the HMAC key is.
    pub signing_secret: Option<SecretString>,
}

/// What a test send gave: the receiver's answer, or why there was none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// The receiver answered (accepted or not).
    Answered(Answer),
    /// Nothing answered, or nothing could be sent.
    Failed(String),
}

/// Notification agents.
#[derive(Clone)]
pub struct AgentService {
    pub(super) db: Db,
    pub(super) keys: Arc<MasterKeys>,
    pub(super) client: reqwest::Client,
}

impl std::fmt::Debug for AgentService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentService").finish_non_exhaustive()
    }
}

impl AgentService {
    /// Builds the service; `keys` seal and open agent secrets.
    pub fn new(db: Db, keys: Arc<MasterKeys>) -> CoreResult<Self> {
        Ok(Self {
            db,
            keys,
            client: agent_client()?,
        })
    }

    /// Adds an agent; admins only. Bad input (a URL that is not http(s), an unknown event, a
    /// missing token, a duplicate name) is refused with nothing written.
    pub async fn add(&self, actor: &Actor, new: NewAgent) -> CoreResult<AddedAgent> {
        let name = AgentName::parse(&new.name)?;
        let kind = AgentKind::parse(&new.kind)?;
        let events = AgentEvents::parse(&new.events)?;
        let (target, options) = check_target(kind, &new.target, new.options)?;
        let token = new.token.filter(|t| !t.trim().is_empty());
        let secret = match kind {
            AgentKind::Webhook => Some(new_signing_secret()),
            AgentKind::Gotify if token.is_none() => {
                return Err(CoreError::Validation(
                    "token: Gotify needs an application token".into(),
                ));
            }
            _ => token,
        };
        let sealed = secret.as_ref().map(|s| self.keys.seal(s.as_bytes()));
        let now = Timestamp::now();
        let write = AgentWrite {
            name: name.as_str(),
            kind,
            target: &target,
            sealed_secret: sealed.as_deref(),
            sealed_auth: None,
            events,
            options: &options,
            now,
        };
        let id = in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let id = agents::insert(tx, &write).await?;
                // Wakes a fan-out that waits for its first agent (see `Fanout::run`).
                tx.queued(TOPIC_AGENT);
                let details = audit_details(kind, &target, events);
                audit::record(
                    tx,
                    actor,
                    AuditAction::AgentAdded,
                    &audit_target(&name),
                    &details,
                    now,
                )
                .await?;
                Ok(id)
            })
        })
        .await?;
        Ok(AddedAgent {
            summary: AgentSummary {
                id,
                name: name.to_string(),
                kind,
                target,
                events,
                options,
                has_secret: secret.is_some(),
                created_at: now,
            },
            signing_secret: secret
                .filter(|_| kind == AgentKind::Webhook)
                .map(SecretString::from),
        })
    }

    /// Every agent (never a secret); admins only.
    pub async fn list(&self, actor: &Actor) -> CoreResult<Vec<AgentSummary>> {
        self.require_admin(actor).await?;
        Ok(agents::list(&self.db)
            .await?
            .into_iter()
            .map(|row| row.summary)
            .collect())
    }

    /// Removes the agent of this name; admins only. Its deliveries not yet sent are dropped.
    pub async fn remove(&self, actor: &Actor, name: &str) -> CoreResult<()> {
        let name = AgentName::parse(name)?;
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let id = agents::delete(tx, name.as_str())
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("notification agent {name}")))?;
                let details = json!({ "id": id });
                audit::record(
                    tx,
                    actor,
                    AuditAction::AgentRemoved,
                    &audit_target(&name),
                    &details,
                    now,
                )
                .await
            })
        })
        .await
    }

    /// Sends a test message to the agent of this name now (not through the outbox) and
    /// returns what the receiver answered; admins only.
    pub async fn test(&self, actor: &Actor, name: &str) -> CoreResult<TestOutcome> {
        self.require_admin(actor).await?;
        let name = AgentName::parse(name)?;
        let row = agents::find(&self.db, name.as_str())
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("notification agent {name}")))?;
        Ok(self.send_test(&row).await)
    }

    /// The stored agent of this name, for the Seerr settings adapter; admins only.
    pub async fn find(&self, actor: &Actor, name: &str) -> CoreResult<Option<AgentSummary>> {
        self.require_admin(actor).await?;
        Ok(agents::find(&self.db, name).await?.map(|row| row.summary))
    }

    /// Creates or changes the webhook agent `name` from a Seerr client's settings (URL,
    /// events, options such as its JSON template, and its `Authorization` header, sealed like
    /// a secret); admins only. A new one gets a generated signing secret like any webhook; a
    /// changed one keeps its secret.
    pub async fn put_webhook(
        &self,
        actor: &Actor,
        name: &str,
        url: &str,
        events: AgentEvents,
        options: Value,
        auth_header: Option<&str>,
    ) -> CoreResult<AgentSummary> {
        let name = AgentName::parse(name)?;
        let (target, options) = check_target(AgentKind::Webhook, url, options)?;
        let sealed = self.keys.seal(new_signing_secret().as_bytes());
        let sealed_auth = auth_header.map(|auth| self.keys.seal(auth.as_bytes()));
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor).await?.require(Permission::Admin)?;
                let mut write = AgentWrite {
                    name: name.as_str(),
                    kind: AgentKind::Webhook,
                    target: &target,
                    sealed_secret: None,
                    sealed_auth: sealed_auth.as_deref(),
                    events,
                    options: &options,
                    now,
                };
                let details = audit_details(AgentKind::Webhook, &target, events);
                let action = if agents::update(tx, &write).await? {
                    AuditAction::AgentChanged
                } else {
                    write.sealed_secret = Some(&sealed);
                    agents::insert(tx, &write).await?;
                    tx.queued(TOPIC_AGENT);
                    AuditAction::AgentAdded
                };
                audit::record(tx, actor, action, &audit_target(&name), &details, now).await
            })
        })
        .await?;
        agents::find(&self.db, name.as_str())
            .await?
            .map(|row| row.summary)
            .ok_or_else(|| CoreError::NotFound(format!("notification agent {name}")))
    }

    pub(super) async fn send_test(&self, row: &AgentRow) -> TestOutcome {
        let (summary, secret) = match open_agent(&self.keys, row) {
            Ok(opened) => opened,
            Err(why) => return TestOutcome::Failed(why),
        };
        let now = Timestamp::now();
        let message = AgentMessage::test(now);
        match send(&self.client, &summary, secret.as_deref(), &message, now).await {
            Ok(answer) => TestOutcome::Answered(answer),
            Err(SendError::Unreachable(why) | SendError::Invalid(why)) => TestOutcome::Failed(why),
        }
    }

    pub(super) async fn require_admin(&self, actor: &Actor) -> CoreResult<()> {
        in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await?.require(Permission::Admin) })
        })
        .await
    }
}

/// Checks an agent's target and options for its kind; returns them as stored.
pub(super) fn check_target(
    kind: AgentKind,
    target: &str,
    options: Value,
) -> CoreResult<(String, Value)> {
    let target = target.trim();
    if target.is_empty() || target.len() > MAX_TARGET {
        return Err(CoreError::Validation(format!(
            "url: give 1 to {MAX_TARGET} characters"
        )));
    }
    let options = match options {
        Value::Null => json!({}),
        Value::Object(map) => Value::Object(map),
        _ => {
            return Err(CoreError::Validation(
                "options: must be a JSON object".into(),
            ));
        }
    };
    if kind == AgentKind::Email {
        check_address("to", target)?;
        let smtp = SmtpOptions::from_json(&options)?;
        return Ok((target.to_owned(), smtp.to_json()));
    }
    let url = reqwest::Url::parse(target)
        .map_err(|_| CoreError::Validation(format!("url: `{target}` is not a URL")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(CoreError::Validation(format!(
            "url: `{target}` is not an http or https URL"
        )));
    }
    if kind == AgentKind::Gotify
        && let Some(priority) = options.get("priority")
        && !priority.as_i64().is_some_and(|p| (0..=10).contains(&p))
    {
        return Err(CoreError::Validation("priority: use 0 to 10".into()));
    }
    Ok((target.to_owned(), options))
}

/// What the audit log keeps of an agent: never its secret, nor a URL's path or query (which
/// may hold a token), only where it points.
fn audit_details(kind: AgentKind, target: &str, events: AgentEvents) -> Value {
    let place = match kind {
        AgentKind::Email => target.to_owned(),
        _ => reqwest::Url::parse(target)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default(),
    };
    let events = if events.is_every() {
        "all".to_owned()
    } else {
        events.to_string()
    };
    json!({ "kind": kind.as_str(), "host": place, "events": events })
}

/// A fresh webhook signing secret: the prefix and 32 random characters.
pub(super) fn new_signing_secret() -> String {
    format!("{SECRET_PREFIX}{}", random_token(32))
}

pub(super) fn audit_target(name: &AgentName) -> String {
    format!("agent:{name}")
}
