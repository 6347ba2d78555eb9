//! DashboardService: the numbers on the console's first page — what waits for a decision, what
//! failed and needs a person, and how many requests came in each of the last weeks. Approvers
//! see everyone's requests; anyone else sees their own, the same rule as the request list.

use std::time::Duration;

use super::authz;
use crate::domain::{Actor, Permission, Request, RequestStatus, Timestamp, UserId};
use crate::error::CoreResult;
use crate::store::requests::{self as request_store, RequestFilter};
use crate::store::{Db, in_tx, stats};

/// Weeks shown in the requests-per-week chart.
pub const WEEKS: usize = 12;

/// Failed requests listed on the dashboard (the rest are a link away).
pub const FAILED_SHOWN: u32 = 5;

const WEEK: Duration = Duration::from_secs(7 * 86_400);

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
}

/// The dashboard's figures.
#[derive(Clone, Debug)]
pub struct DashboardService {
    db: Db,
}

impl DashboardService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The figures as of `now`, scoped to what the caller may see.
    pub async fn overview(&self, actor: &Actor, now: Timestamp) -> CoreResult<Overview> {
        let caller = in_tx!(self.db, tx => authz::caller(tx, actor).await)?;
        let everyone = caller.may(Permission::Approve);
        let scope: Option<UserId> = if everyone {
            None
        } else {
            caller.user.as_ref().map(|u| u.id)
        };
        let pending = stats::count_with_status(&self.db, RequestStatus::Pending, scope).await?;
        let failed = stats::count_with_status(&self.db, RequestStatus::Failed, scope).await?;
        let filter = RequestFilter {
            statuses: vec![RequestStatus::Failed],
            requested_by: scope,
            ..RequestFilter::default()
        };
        let failed_recent = request_store::list(&self.db, &filter, None, FAILED_SHOWN).await?;
        let first = week_start(now).minus(WEEK * (WEEKS as u32 - 1));
        let width = i64::try_from(WEEK.as_millis()).unwrap_or(i64::MAX);
        let mut weeks: Vec<WeekCount> = (0..WEEKS)
            .map(|i| WeekCount {
                starts: first.plus(WEEK * i as u32),
                requests: 0,
            })
            .collect();
        for (bucket, count) in stats::per_bucket(&self.db, first, width, scope).await? {
            // Rows dated in the future (clock skew between replicas) land past the last week.
            if let Some(week) = usize::try_from(bucket).ok().and_then(|b| weeks.get_mut(b)) {
                week.requests += count;
            }
        }
        Ok(Overview {
            everyone,
            pending,
            failed,
            failed_recent,
            weeks,
        })
    }
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
