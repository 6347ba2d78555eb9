//! Security alerts: the one place that decides whether something admins should hear of
//! ([`SecurityEvent`]) becomes an alert, and queues it through the outbox, from where the fan-out
//! posts it in every running platform's admin chat and tells the agents subscribed to
//! `security` (see [`crate::notify`]).
//!
//! Alerts are rate-limited per kind and subject (one address, one presser, one key name) within
//! a window ([`WINDOW`]): an event counts; the count reaching the kind's threshold
//! ([`SecurityEvent::threshold`]) raises one alert; the rest of the window stays quiet; the next
//! window counts afresh. The counts live in memory, per replica (like the other moka caches):
//! an attacker spreading attempts over replicas is told per replica, and a restart starts
//! counting again — the audit log, not this, is the record.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use moka::future::Cache;

use super::Caller;
use super::events::{self, Notification};
use crate::domain::{Actor, SecurityAlert, SecurityEvent, Source, Timestamp, UserId};
use crate::error::CoreResult;
use crate::store::{Db, Tx, in_tx, users};

/// How long one count runs, and how long an alert keeps its kind and subject quiet.
pub const WINDOW: Duration = Duration::from_secs(10 * 60);

/// Subjects counted at once; beyond it the oldest counts are forgotten, so a spray of
/// addresses costs bounded memory.
const MAX_SUBJECTS: u64 = 10_000;

/// Raises rate-limited security alerts; cheap to clone (clones share their counts).
#[derive(Clone)]
pub struct SecurityAlerts {
    db: Db,
    windows: Cache<String, Arc<Mutex<Window>>>,
}

impl std::fmt::Debug for SecurityAlerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityAlerts")
            .field("subjects", &self.windows.entry_count())
            .finish()
    }
}

/// One subject's count in its current window.
#[derive(Debug)]
struct Window {
    started: Timestamp,
    seen: u32,
    alerted: bool,
}

impl SecurityAlerts {
    /// Alerts queued into `db`'s outbox.
    pub fn new(db: Db) -> Self {
        let windows = Cache::builder()
            .max_capacity(MAX_SUBJECTS)
            .time_to_live(WINDOW)
            .build();
        Self { db, windows }
    }

    /// Counts `event` now and queues an alert when it crosses its threshold; returns whether
    /// one was queued. Edges call this and carry on: an alert is never the reason a request
    /// fails, so callers usually log an error rather than return it.
    pub async fn raise(&self, event: SecurityEvent) -> CoreResult<bool> {
        self.raise_at(event, Timestamp::now()).await
    }

    /// [`Self::raise`] at a given time (tests move the clock past the window with it).
    pub async fn raise_at(&self, event: SecurityEvent, now: Timestamp) -> CoreResult<bool> {
        let Some(alert) = self.count(event, now).await else {
            return Ok(false);
        };
        in_tx(&self.db, |tx| Box::pin(queue(tx, &alert, now))).await?;
        Ok(true)
    }

    /// Counts `event` and queues its alert in the caller's transaction, so an alert about a
    /// change (a new admin, a key created) is written with that change or not at all.
    pub async fn raise_in(
        &self,
        tx: &mut Tx,
        event: SecurityEvent,
        now: Timestamp,
    ) -> CoreResult<bool> {
        let Some(alert) = self.count(event, now).await else {
            return Ok(false);
        };
        queue(tx, &alert, now).await?;
        Ok(true)
    }

    /// Tells admins that `user` became an admin, by `by` (a display name or how), in the
    /// caller's transaction.
    pub async fn new_admin_in(
        &self,
        tx: &mut Tx,
        user: UserId,
        by: String,
        now: Timestamp,
    ) -> CoreResult<bool> {
        let name = users::get_user(tx, user)
            .await?
            .map_or_else(|| format!("#{user}"), |u| u.display_name);
        let event = SecurityEvent::NewAdmin { user: name, by };
        self.raise_in(tx, event, now).await
    }

    /// Tells admins that `caller` pressed a button whose signed id did not verify (reported,
    /// never failing: the press is refused either way).
    pub async fn forged_button(&self, caller: &Caller) {
        let (platform, id) = match &caller.actor.source {
            Source::Telegram { user } | Source::Discord { user } => {
                (caller.actor.source.name(), user.as_str())
            }
            other => (other.name(), ""),
        };
        let from = format!("{} ({id})", caller.user.display_name);
        let platform = platform.to_owned();
        self.report(SecurityEvent::ForgedButton { platform, from })
            .await;
    }

    /// [`Self::raise`], logging instead of failing: for edges that refuse a request anyway and
    /// must not answer differently because the database is away.
    pub async fn report(&self, event: SecurityEvent) {
        let kind = event.kind();
        if let Err(err) = self.raise(event).await {
            tracing::warn!(kind, error = %err, "security alert not queued");
        }
    }

    /// Counts the event in its subject's window; the alert to raise, if this one crossed the
    /// threshold.
    async fn count(&self, event: SecurityEvent, now: Timestamp) -> Option<SecurityAlert> {
        let fresh = || Arc::new(Mutex::new(Window::starting(now)));
        let window = self
            .windows
            .get_with(event.subject_key(), async { fresh() })
            .await;
        let seen = window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .count(now, event.threshold())?;
        Some(SecurityAlert {
            event,
            seen,
            window_minutes: u32::try_from(WINDOW.as_secs() / 60).unwrap_or(u32::MAX),
        })
    }
}

impl Window {
    fn starting(now: Timestamp) -> Self {
        Self {
            started: now,
            seen: 0,
            alerted: false,
        }
    }

    /// Counts one event at `now`; the count when it is the one to alert on.
    fn count(&mut self, now: Timestamp, threshold: u32) -> Option<u32> {
        if now >= self.started.plus(WINDOW) {
            *self = Self::starting(now);
        }
        self.seen = self.seen.saturating_add(1);
        if self.alerted || self.seen < threshold {
            return None;
        }
        self.alerted = true;
        Some(self.seen)
    }
}

/// Who an alert says did something: the acting user's display name, else where it came from
/// (`system`, `cli`).
pub async fn actor_name(tx: &mut Tx, actor: &Actor) -> CoreResult<String> {
    let Some(user) = actor.user else {
        return Ok(actor.source.name().to_owned());
    };
    Ok(users::get_user(tx, user)
        .await?
        .map_or_else(|| format!("#{user}"), |u| u.display_name))
}

/// Writes the alert's notification in `tx`.
async fn queue(tx: &mut Tx, alert: &SecurityAlert, now: Timestamp) -> CoreResult<()> {
    let alert = alert.clone();
    events::notify(tx, &Notification::SecurityAlert { alert }, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp(1_800_000_000_000 + minutes * 60_000)
    }

    #[test]
    fn a_window_alerts_once_at_its_threshold_then_counts_afresh() {
        let mut window = Window::starting(at(0));
        let got: Vec<_> = (0..7).map(|i| window.count(at(i), 5)).collect();
        assert_eq!(got, [None, None, None, None, Some(5), None, None]);
        assert_eq!(
            window.count(at(11), 5),
            None,
            "a new window counts from one"
        );
        assert_eq!(window.seen, 1);
    }

    #[test]
    fn a_threshold_of_one_alerts_at_once_then_keeps_quiet() {
        let mut window = Window::starting(at(0));
        assert_eq!(window.count(at(0), 1), Some(1));
        assert_eq!(window.count(at(9), 1), None);
        assert_eq!(window.count(at(10), 1), Some(1));
    }
}
