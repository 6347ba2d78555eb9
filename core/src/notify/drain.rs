//! Step 3 of [`crate::notify`]: one platform's deliveries, each done, retried alone, or given up.

use std::future::Future;
use std::time::Duration;

use super::{Delivery, topic};
use crate::domain::{Platform, Timestamp};
use crate::error::CoreResult;
use crate::store::outbox::OutboxRow;
use crate::store::{Db, outbox};

/// Why one delivery did not go out; the platform adapter decides which it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The platform could not be reached or asked us to wait (network, 5xx, rate limit): tried
    /// again with backoff for as long as it takes, so an outage loses nothing.
    #[error("not delivered yet: {0}")]
    Transient(String),
    /// The platform refused this message (DMs closed, bot blocked, chat gone, bad request):
    /// tried again up to the budget, then given up and logged.
    #[error("refused: {0}")]
    Refused(String),
}

/// How a notifier retries.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts a refused delivery gets before it is given up.
    pub budget: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Longest wait between retries.
    pub max_backoff: Duration,
    /// How long a claimed row is ours.
    pub lease: Duration,
    /// Rows claimed at once.
    pub batch: u32,
    /// Rows one recipient gets per round; the rest wait for the next round, so a round lasts
    /// a few paced messages, not a whole burst.
    pub per_lane: usize,
}

impl Default for RetryPolicy {
    /// Five attempts for a refusal (0, 2, 6, 14 and 30 s after the first), so a DM that is
    /// only briefly impossible still arrives; transient failures back off up to 10 minutes.
    fn default() -> Self {
        Self {
            budget: 5,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(600),
            lease: Duration::from_secs(120),
            batch: 20,
            per_lane: 3,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (1-based): `backoff`, doubled each time, capped.
    pub fn backoff_for(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Claims `platform`'s due deliveries once and hands each to `deliver`; returns how many rows
/// were claimed. Only this platform's rows are touched, so several notifiers never take each
/// other's messages. A row that cannot be read is given up at once (nothing would fix it).
///
/// Deliveries to different recipients ([`Delivery::lane`]) go out side by side, each lane in
/// claim order, so a DM never waits behind a burst of approver cards paced for a group. A
/// lane delivers at most [`RetryPolicy::per_lane`] rows a round and hands the rest back
/// unattempted (they come first next round), which keeps a round short. A row is completed only
/// after `deliver` succeeded: a crash re-sends at most the rows not yet acknowledged.
pub async fn drain_once<F, Fut>(
    db: &Db,
    platform: Platform,
    policy: &RetryPolicy,
    deliver: F,
) -> CoreResult<usize>
where
    F: Fn(Delivery) -> Fut,
    Fut: Future<Output = Result<(), DeliveryError>>,
{
    drain_topic(db, &topic(platform), policy, Delivery::lane, deliver).await
}

/// [`drain_once`] for any outbox topic whose rows are `T`s, laned by `lane`: the same claim,
/// lanes, retries and give-ups, for deliveries that are not a chat platform's (the
/// notification agents' `notify.agent`).
pub async fn drain_topic<T, L, F, Fut>(
    db: &Db,
    topic: &str,
    policy: &RetryPolicy,
    lane: L,
    deliver: F,
) -> CoreResult<usize>
where
    T: serde::de::DeserializeOwned,
    L: Fn(&T) -> String,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<(), DeliveryError>>,
{
    let rows = outbox::claim(db, topic, policy.batch, policy.lease, Timestamp::now()).await?;
    let mut lanes: Vec<(String, Vec<(OutboxRow, T)>)> = Vec::new();
    for row in &rows {
        let delivery = match serde_json::from_str::<T>(&row.payload) {
            Ok(delivery) => delivery,
            Err(err) => {
                tracing::warn!(outbox_id = row.id, error = %err, "unreadable delivery dropped");
                outbox::give_up(db, row.id, &err.to_string(), Timestamp::now()).await?;
                continue;
            }
        };
        let key = lane(&delivery);
        match lanes.iter_mut().find(|(k, _)| *k == key) {
            Some((_, queued)) => queued.push((row.clone(), delivery)),
            None => lanes.push((key, vec![(row.clone(), delivery)])),
        }
    }
    let deliver = &deliver;
    let work = lanes.into_iter().map(|(_, queued)| async move {
        let mut queued = queued.into_iter();
        for (row, delivery) in queued.by_ref().take(policy.per_lane.max(1)) {
            settle(db, topic, policy, &row, deliver(delivery).await).await?;
        }
        for (row, _) in queued {
            outbox::release(db, &row).await?;
        }
        CoreResult::Ok(())
    });
    for lane in futures_util::future::join_all(work).await {
        lane?;
    }
    Ok(rows.len())
}

/// Records what became of one delivery: done, retried later, or given up.
async fn settle(
    db: &Db,
    topic: &str,
    policy: &RetryPolicy,
    row: &OutboxRow,
    outcome: Result<(), DeliveryError>,
) -> CoreResult<()> {
    let attempt = u32::try_from(row.attempts).unwrap_or(0).saturating_add(1);
    match outcome {
        Ok(()) => {
            tracing::debug!(outbox_id = row.id, %topic, "message delivered");
            outbox::complete(db, row.id, Timestamp::now()).await
        }
        Err(DeliveryError::Refused(why)) if attempt >= policy.budget => {
            tracing::warn!(
                outbox_id = row.id, %topic, attempts = attempt, error = %why,
                "message given up: the recipient keeps refusing it"
            );
            outbox::give_up(db, row.id, &why, Timestamp::now()).await
        }
        Err(err) => {
            tracing::info!(outbox_id = row.id, %topic, attempt, error = %err, "message will be retried");
            let wait = policy.backoff_for(attempt);
            outbox::retry_later(db, row, &err.to_string(), wait, Timestamp::now()).await
        }
    }
}
