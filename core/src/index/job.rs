//! The index's schedule: a full pass at start and every few hours, an incremental pass every
//! few minutes between them. `usher serve` runs it under a lease on PostgreSQL, so one replica
//! passes and the others read what it wrote (they load it at their start).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::pass::{PassReport, Passes};
use crate::domain::Timestamp;
use crate::store::{Db, outbox};

/// Wakes the schedule for an incremental pass now (a webhook said something changed).
#[derive(Debug, Clone, Default)]
pub struct Nudge {
    notify: Arc<Notify>,
}

impl Nudge {
    /// Asks for an incremental pass as soon as the running one (if any) ends.
    pub fn poke(&self) {
        self.notify.notify_one();
    }

    /// Waits for a poke.
    async fn poked(&self) {
        self.notify.notified().await;
    }
}

/// The outbox topic of full passes asked for in the console. Any replica may queue one; the
/// replica running the passes (under the lease) hears of it through the database's wake-ups
/// (`NOTIFY` on PostgreSQL), and a lost wake-up is caught at the next incremental tick.
pub const FULL_PASS_TOPIC: &str = "library_full_pass";

/// Takes every queued ask for a full pass; whether there was one.
async fn take_asks(db: &Db) -> bool {
    let now = Timestamp::now();
    let asks = match outbox::claim(db, FULL_PASS_TOPIC, 100, ASK_LEASE, now).await {
        Ok(asks) => asks,
        Err(err) => {
            tracing::warn!(error = %err, "asks for a full library pass not read");
            return false;
        }
    };
    for ask in &asks {
        if let Err(err) = outbox::complete(db, ask.id, now).await {
            tracing::warn!(error = %err, "an ask for a full library pass not closed");
        }
    }
    !asks.is_empty()
}

/// How long a taken ask stays claimed: a replica that dies before closing it hands it back.
const ASK_LEASE: Duration = Duration::from_secs(60);

/// How often each kind of pass runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Between full passes (`USHER_LIBRARY_FULL_PASS_HOURS`, default 6 h).
    pub full_every: Duration,
    /// Between incremental passes (`USHER_LIBRARY_INCREMENTAL_MINUTES`, default 5 min).
    pub incremental_every: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            full_every: Duration::from_secs(6 * 60 * 60),
            incremental_every: Duration::from_secs(5 * 60),
        }
    }
}

/// Runs passes on a [`Schedule`] until `shutdown` completes: a full pass first, then full and
/// incremental passes on their own tickers, and an incremental (or, when asked, a full) pass
/// whenever `nudge` is poked.
/// A failed pass is logged and tried at the next tick.
pub async fn run(
    passes: &Passes,
    schedule: Schedule,
    nudge: &Nudge,
    shutdown: impl Future<Output = ()>,
) {
    if passes.is_empty() {
        return shutdown.await;
    }
    tokio::pin!(shutdown);
    if let Err(err) = passes.load_stored().await {
        tracing::warn!(error = %err, "the stored library index could not be loaded");
    }
    let db = passes.db();
    let mut asked = db.subscribe(FULL_PASS_TOPIC);
    // The first full pass answers whatever was asked while no replica passed.
    take_asks(db).await;
    let mut full = tokio::time::interval(schedule.full_every);
    full.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut incremental = tokio::time::interval(schedule.incremental_every);
    incremental.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    incremental.tick().await; // the first full pass covers the first increment
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            _ = full.tick() => log("full", passes.full(|_| {}).await),
            Ok(()) = asked.changed() => if take_asks(db).await {
                log("full", passes.full(|_| {}).await);
            },
            _ = incremental.tick() => if take_asks(db).await {
                log("full", passes.full(|_| {}).await);
            } else {
                log("incremental", passes.incremental().await);
            },
            () = nudge.poked() => log("incremental", passes.incremental().await),
        }
    }
}

fn log(kind: &str, result: crate::error::CoreResult<PassReport>) {
    match result {
        Ok(report) => {
            let stale: Vec<&str> = report
                .sources
                .iter()
                .filter(|s| s.error.is_some())
                .map(|s| s.name.as_str())
                .collect();
            let changed: usize = report.sources.iter().map(|s| s.changed + s.removed).sum();
            tracing::info!(
                pass = kind, changed, available = report.available.len(),
                released = report.released.len(), stale = ?stale, "library index pass"
            );
        }
        Err(err) => tracing::warn!(pass = kind, error = %err, "library index pass failed"),
    }
}
