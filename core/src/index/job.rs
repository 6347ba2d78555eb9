//! The index's schedule: a full pass at start and every few hours, an incremental pass every
//! few minutes between them. `usher serve` runs it under a lease on PostgreSQL, so one replica
//! passes and the others read what it wrote (they load it at their start).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use super::pass::{PassReport, Passes};

/// Wakes the schedule for a pass now: an incremental one (a webhook said something changed) or
/// a full one (an admin asked for it in the console).
#[derive(Debug, Clone, Default)]
pub struct Nudge {
    notify: Arc<Notify>,
    full: Arc<AtomicBool>,
}

impl Nudge {
    /// Asks for an incremental pass as soon as the running one (if any) ends.
    pub fn poke(&self) {
        self.notify.notify_one();
    }

    /// Asks for a full pass as soon as the running one (if any) ends. Only the process that
    /// runs the passes hears it (on PostgreSQL, the replica holding the lease).
    pub fn poke_full(&self) {
        self.full.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// Waits for a poke; `true` when a full pass was asked for.
    async fn poked(&self) -> bool {
        self.notify.notified().await;
        self.full.swap(false, Ordering::SeqCst)
    }
}

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
    let mut full = tokio::time::interval(schedule.full_every);
    full.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut incremental = tokio::time::interval(schedule.incremental_every);
    incremental.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    incremental.tick().await; // the first full pass covers the first increment
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            _ = full.tick() => log("full", passes.full(|_| {}).await),
            _ = incremental.tick() => log("incremental", passes.incremental().await),
            full_asked = nudge.poked() => if full_asked {
                log("full", passes.full(|_| {}).await);
            } else {
                log("incremental", passes.incremental().await);
            },
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

#[cfg(test)]
mod tests {
    use super::Nudge;

    #[tokio::test]
    async fn a_poke_says_whether_a_full_pass_was_asked_for() {
        let nudge = Nudge::default();
        nudge.poke_full();
        assert!(nudge.poked().await, "asked for a full pass");
        nudge.poke();
        assert!(
            !nudge.poked().await,
            "the full pass was taken; this one is incremental"
        );
    }
}
