//! Step 3 of [`crate::notify`] for agents: drains `notify.agent`, sends each message to its
//! agent, and retries what the receiver did not take.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::answer::SendError;
use super::send::send;
use super::{AgentDelivery, TOPIC_AGENT};
use crate::crypto::MasterKeys;
use crate::domain::{AgentSummary, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::notify::{DeliveryError, RetryPolicy, drain::drain_topic};
use crate::store::agents::AgentRow;
use crate::store::{Db, agents};

/// How long one agent may take to answer.
pub const AGENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends agent deliveries; one per process that runs the fan-out.
#[derive(Clone)]
pub struct AgentNotifier {
    db: Db,
    keys: Arc<MasterKeys>,
    client: reqwest::Client,
    policy: RetryPolicy,
}

impl std::fmt::Debug for AgentNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentNotifier").finish_non_exhaustive()
    }
}

/// The HTTP client agents are reached with (no redirects: a webhook is posted where the admin
/// said, never where a receiver points it).
pub fn agent_client() -> CoreResult<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(AGENT_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "Usher/",
            env!("CARGO_PKG_VERSION"),
            " notifications"
        ))
        .build()
        .map_err(|e| CoreError::Unexpected(anyhow::anyhow!("HTTP client: {e}")))
}

impl AgentNotifier {
    /// A notifier opening agent secrets with `keys`.
    pub fn new(db: Db, keys: Arc<MasterKeys>) -> CoreResult<Self> {
        Ok(Self {
            db,
            keys,
            client: agent_client()?,
            policy: RetryPolicy::default(),
        })
    }

    /// The same notifier retrying on `policy` (tests retry at once).
    #[must_use]
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sends the due deliveries once; returns how many rows were claimed.
    pub async fn try_run_once(&self) -> CoreResult<usize> {
        drain_topic(
            &self.db,
            TOPIC_AGENT,
            &self.policy,
            AgentDelivery::lane,
            |d| self.deliver(d),
        )
        .await
    }

    /// Sends until `shutdown` completes, woken by each commit that queues a delivery.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        let batch = self.policy.batch as usize;
        crate::jobs::pace::drive(&self.db, TOPIC_AGENT, batch, shutdown, || {
            self.try_run_once()
        })
        .await;
    }

    async fn deliver(&self, delivery: AgentDelivery) -> Result<(), DeliveryError> {
        let agent = agents::get(&self.db, delivery.agent)
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?;
        let Some(agent) = agent else {
            // Removed since the event: it gets nothing, and the row is done.
            return Ok(());
        };
        let (summary, secret) = open_agent(&self.keys, &agent).map_err(DeliveryError::Refused)?;
        let answer = send(
            &self.client,
            &summary,
            secret.as_deref(),
            &delivery.message,
            Timestamp::now(),
        )
        .await;
        match answer {
            Ok(answer) if answer.accepted() => Ok(()),
            Ok(answer) if answer.transient() => Err(DeliveryError::Transient(format!(
                "{} answered {}",
                summary.name, answer.status
            ))),
            Ok(answer) => Err(DeliveryError::Refused(format!(
                "{} answered {}",
                summary.name, answer.status
            ))),
            Err(SendError::Unreachable(why)) => Err(DeliveryError::Transient(why)),
            Err(SendError::Invalid(why)) => Err(DeliveryError::Refused(why)),
        }
    }
}

/// Opens a sealed agent secret (the error names no secret).
pub fn open(keys: &MasterKeys, sealed: &str) -> Result<String, String> {
    let plain = keys
        .open(sealed)
        .map_err(|e| format!("cannot open the agent's secret: {e}"))?;
    String::from_utf8(plain).map_err(|_| "the agent's secret is not text".to_owned())
}

/// An agent ready to send to: its summary with its `Authorization` header opened into its
/// options (in memory only, where the webhook sender reads it), and its opened secret.
pub fn open_agent(
    keys: &MasterKeys,
    row: &AgentRow,
) -> Result<(AgentSummary, Option<String>), String> {
    let secret = row
        .sealed_secret
        .as_deref()
        .map(|sealed| open(keys, sealed))
        .transpose()?;
    let mut summary = row.summary.clone();
    if let Some(auth) = open_auth(keys, row)?
        && let Some(options) = summary.options.as_object_mut()
    {
        options.insert("auth_header".into(), serde_json::Value::String(auth));
    }
    Ok((summary, secret))
}

/// A webhook's `Authorization` header, opened (`None` when it has none).
pub fn open_auth(keys: &MasterKeys, row: &AgentRow) -> Result<Option<String>, String> {
    row.sealed_auth
        .as_deref()
        .map(|sealed| open(keys, sealed))
        .transpose()
}
