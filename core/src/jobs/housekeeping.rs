//! The housekeeping job: forgets rows that only matter for a while — stored searches older than
//! [`crate::service::searches::KEEP_FOR`], console sessions that ended over a day ago, and
//! outbox rows done more than [`OUTBOX_KEPT`] ago (every request leaves a few, and nothing
//! reads them once done). Each pass is a few `DELETE … WHERE … < …` statements, harmless to
//! repeat, so replicas on PostgreSQL need no leader for it.

use std::future::Future;
use std::time::Duration;

use crate::domain::Timestamp;
use crate::error::CoreResult;
use crate::service::Services;
use crate::store::outbox;

/// How long an outbox row is kept once done: long enough to look into what went out last week.
pub const OUTBOX_KEPT: Duration = Duration::from_secs(7 * 24 * 3600);

/// What one pass forgot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HousekeepingReport {
    /// Stored searches forgotten.
    pub searches: u64,
    /// Console sessions forgotten.
    pub sessions: u64,
    /// Done outbox rows forgotten.
    pub outbox: u64,
}

/// The housekeeping job over the core services.
#[derive(Clone, Debug)]
pub struct Housekeeping {
    services: Services,
}

impl Housekeeping {
    /// Builds the job.
    pub fn new(services: Services) -> Self {
        Self { services }
    }

    /// One pass: prunes what is due and says how much.
    pub async fn try_run_once(&self) -> CoreResult<HousekeepingReport> {
        Ok(HousekeepingReport {
            searches: self.services.searches.prune().await?,
            sessions: self.services.sessions.prune().await?,
            outbox: outbox::prune_done(&self.services.db, Timestamp::now().minus(OUTBOX_KEPT))
                .await?,
        })
    }

    /// Runs a pass every `every` (the first at once) until `shutdown` completes; a failed pass
    /// is logged and tried again on the next tick.
    pub async fn run(&self, every: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                _ = ticker.tick() => match self.try_run_once().await {
                    Ok(report) if report == HousekeepingReport::default() => {}
                    Ok(report) => tracing::info!(
                        searches = report.searches, sessions = report.sessions,
                        outbox = report.outbox, "old rows pruned"
                    ),
                    Err(err) => tracing::warn!(error = %err, "housekeeping failed"),
                },
            }
        }
    }
}
