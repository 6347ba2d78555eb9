//! DashboardService: the numbers on the console's first page — what waits for a decision, what
//! failed and needs a person, and how many requests came in each of the last weeks. Approvers
//! see everyone's requests; anyone else sees their own, the same rule as the request list.

mod cockpit;

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

pub use cockpit::{ACTIVITY_SHOWN, Cockpit, LibrarySize, PENDING_SHOWN};

use super::authz;
use crate::domain::{Actor, Permission, Request, RequestStatus, Timestamp, UserId};
use crate::error::CoreResult;
use crate::index::LibraryIndex;
use crate::store::requests::{self as request_store, RequestFilter};
use crate::store::{Db, stats};

/// Weeks shown in the requests-per-week chart.
pub const WEEKS: usize = 12;

/// Failed requests listed on the dashboard (the rest are a link away).
pub const FAILED_SHOWN: u32 = 5;

const WEEK: Duration = Duration::from_secs(7 * 86_400);

/// How long the counts of finished weeks are reused. Only an import of old requests changes
/// them; the current week is counted on every load. (Counting twelve weeks of a busy
/// installation reads every request of those weeks: tens of milliseconds at a million rows.)
const PAST_WEEKS_TTL: Duration = Duration::from_secs(10 * 60);

/// Finished weeks' counts, per scope (everyone, or one user) and first week.
type PastWeeks = Cache<(Option<UserId>, Timestamp), Arc<Vec<u64>>>;

/// Requests made in one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCount {
    /// Monday 00:00 UTC that starts the week.
    pub starts: Timestamp,
    /// Requests made that week.
    pub requests: u64,
}

/// What the dashboard shows.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Whether the numbers cover everyone's requests (approvers) or only the caller's.
    pub everyone: bool,
    /// Requests waiting for an approver.
    pub pending: u64,
    /// Requests the upstream gave up on, waiting for a retry or a decline.
    pub failed: u64,
    /// The newest failed requests, newest first (at most [`FAILED_SHOWN`]).
    pub failed_recent: Vec<Request>,
    /// Requests per week, oldest first, [`WEEKS`] of them, the last one being this week.
    pub weeks: Vec<WeekCount>,
    /// Counts per status, pending requests, recent activity and the library.
    pub cockpit: Cockpit,
}

/// The dashboard's figures. Cheap to clone; clones share the cache of finished weeks.
#[derive(Clone)]
pub struct DashboardService {
    db: Db,
    past_weeks: PastWeeks,
    index: Option<Arc<LibraryIndex>>,
}

impl std::fmt::Debug for DashboardService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardService").finish_non_exhaustive()
    }
}

impl DashboardService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            past_weeks: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(PAST_WEEKS_TTL)
                .build(),
            index: None,
        }
    }

    /// The same service, telling the library index's size and last pass.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// The figures as of `now`, scoped to what the caller may see. Only reads, so nothing
    /// waits for a transaction; the independent reads run at once.
    pub async fn overview(&self, actor: &Actor, now: Timestamp) -> CoreResult<Overview> {
        let caller = authz::caller_reading(&self.db, actor).await?;
        let everyone = caller.may(Permission::Approve);
        let scope: Option<UserId> = if everyone {
            None
        } else {
            caller.user.as_ref().map(|u| u.id)
        };
        let filter = RequestFilter {
            statuses: vec![RequestStatus::Failed],
            requested_by: scope,
            ..RequestFilter::default()
        };
        let this_week = week_start(now);
        let first = this_week.minus(WEEK * (WEEKS as u32 - 1));
        // This week, live; rows dated later (clock skew between replicas) land past it.
        let (failed_recent, past, current, cockpit) = tokio::try_join!(
            request_store::list(&self.db, &filter, None, FAILED_SHOWN),
            self.past_weeks(scope, first, this_week),
            stats::per_bucket(&self.db, (this_week, None), week_ms(), scope),
            cockpit::read(&self.db, self.index.as_ref(), &caller, scope),
        )?;
        let current: u64 = current
            .iter()
            .filter(|(bucket, _)| *bucket == 0)
            .map(|(_, n)| n)
            .sum();
        let pending = cockpit.count(RequestStatus::Pending);
        let failed = cockpit.count(RequestStatus::Failed);
        let weeks = past
            .iter()
            .copied()
            .chain([current])
            .zip(0u32..)
            .map(|(requests, i)| WeekCount {
                starts: first.plus(WEEK * i),
                requests,
            })
            .collect();
        Ok(Overview {
            everyone,
            pending,
            failed,
            failed_recent,
            weeks,
            cockpit,
        })
    }
}

impl DashboardService {
    /// The counts of the finished weeks from `first` up to `this_week`, cached.
    async fn past_weeks(
        &self,
        scope: Option<UserId>,
        first: Timestamp,
        this_week: Timestamp,
    ) -> CoreResult<Arc<Vec<u64>>> {
        if let Some(known) = self.past_weeks.get(&(scope, first)).await {
            return Ok(known);
        }
        let mut counts = vec![0; WEEKS - 1];
        let buckets = stats::per_bucket(&self.db, (first, Some(this_week)), week_ms(), scope);
        for (bucket, count) in buckets.await? {
            if let Some(week) = usize::try_from(bucket).ok().and_then(|b| counts.get_mut(b)) {
                *week += count;
            }
        }
        let counts = Arc::new(counts);
        self.past_weeks.insert((scope, first), counts.clone()).await;
        Ok(counts)
    }
}

fn week_ms() -> i64 {
    i64::try_from(WEEK.as_millis()).unwrap_or(i64::MAX)
}

/// Monday 00:00 UTC of the week holding `at` (the Unix epoch was a Thursday).
pub fn week_start(at: Timestamp) -> Timestamp {
    const DAY_MS: i64 = 86_400_000;
    const WEEK_MS: i64 = 7 * DAY_MS;
    const FIRST_MONDAY: i64 = 4 * DAY_MS;
    let since_monday = (at.0 - FIRST_MONDAY).rem_euclid(WEEK_MS);
    Timestamp(at.0 - since_monday)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_midnight_utc() {
        // 2023-11-14T22:13:20Z was a Tuesday.
        let tuesday = Timestamp(1_700_000_000_000);
        assert_eq!(week_start(tuesday).to_rfc3339(), "2023-11-13T00:00:00Z");
        let monday = Timestamp(1_699_833_600_000);
        assert_eq!(week_start(monday), monday);
        assert_eq!(
            week_start(Timestamp(monday.0 - 1)).to_rfc3339(),
            "2023-11-06T00:00:00Z"
        );
        assert_eq!(
            week_start(Timestamp(0)).to_rfc3339(),
            "1969-12-29T00:00:00Z"
        );
    }
}
