//! The dashboard's cockpit part: requests per status, the pending ones oldest first (what an
//! approver should look at first), the latest audit rows, and the library index's size and
//! last pass. A handful of statements, none per row.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Permission, Request, RequestStatus, Timestamp, UserId};
use crate::error::CoreResult;
use crate::index::LibraryIndex;
use crate::service::authz::Caller;
use crate::store::audit::{self, AuditFilter, AuditLine};
use crate::store::request_browse::{self, RequestSort};
use crate::store::requests::RequestFilter;
use crate::store::{Db, directory};

/// Pending requests listed on the dashboard (the rest are a link away).
pub const PENDING_SHOWN: u32 = 8;
/// Audit rows listed as recent activity.
pub const ACTIVITY_SHOWN: u32 = 10;

/// What the library index holds, in a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LibrarySize {
    /// Distinct titles over every source.
    pub titles: usize,
    /// Sources the index passes over.
    pub sources: usize,
    /// Sources whose last pass failed (the index holds their last known state).
    pub stale: usize,
    /// When the latest pass of any source ended.
    pub last_pass: Option<Timestamp>,
}

/// See the module docs.
#[derive(Debug, Clone, Default)]
pub struct Cockpit {
    /// Requests per status in [`RequestStatus::ALL`] order, zeros included.
    pub counts: Vec<(RequestStatus, u64)>,
    /// Pending requests, oldest first (at most [`PENDING_SHOWN`]).
    pub pending: Vec<Request>,
    /// Display names of the requesters of [`Cockpit::pending`].
    pub names: HashMap<UserId, String>,
    /// Latest audit rows, newest first: everything for admins, requests for approvers,
    /// nothing for members.
    pub activity: Vec<AuditLine>,
    /// The library index, for approvers when one is configured.
    pub library: Option<LibrarySize>,
}

impl Cockpit {
    /// The requests in `status` (within the cockpit's scope).
    pub fn count(&self, status: RequestStatus) -> u64 {
        self.counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }
}

/// Reads the cockpit for `caller`, scoped to `scope` (their own requests unless approver).
pub(super) async fn read(
    db: &Db,
    index: Option<&Arc<LibraryIndex>>,
    caller: &Caller,
    scope: Option<UserId>,
) -> CoreResult<Cockpit> {
    let mine = RequestFilter {
        requested_by: scope,
        ..RequestFilter::default()
    };
    let found = request_browse::status_counts(db, &mine).await?;
    let counts = RequestStatus::ALL
        .iter()
        .map(|s| {
            (
                *s,
                found.iter().find(|(f, _)| f == s).map_or(0, |(_, n)| *n),
            )
        })
        .collect();
    let waiting = RequestFilter {
        statuses: vec![RequestStatus::Pending],
        ..mine
    };
    let pending =
        request_browse::sorted_page(db, &waiting, RequestSort::Oldest, 0, PENDING_SHOWN).await?;
    let asked: Vec<UserId> = pending.iter().map(|r| r.requested_by).collect();
    let names = directory::display_names(db, &asked).await?;
    let activity = if caller.may(Permission::Admin) {
        audit::list(db, &AuditFilter::default(), None, ACTIVITY_SHOWN).await?
    } else if caller.may(Permission::Approve) {
        let requests = AuditFilter {
            target: Some("request".into()),
            ..AuditFilter::default()
        };
        audit::list(db, &requests, None, ACTIVITY_SHOWN).await?
    } else {
        Vec::new()
    };
    let library = index
        .filter(|i| i.has_sources() && caller.may(Permission::Approve))
        .map(|index| library_size(index));
    Ok(Cockpit {
        counts,
        pending,
        names,
        activity,
        library,
    })
}

fn library_size(index: &LibraryIndex) -> LibrarySize {
    let sources = index.source_counts();
    LibrarySize {
        titles: index.distinct_titles(),
        sources: sources.len(),
        stale: sources.iter().filter(|s| s.health.stale).count(),
        last_pass: sources
            .iter()
            .filter_map(|s| s.health.last_full.max(s.health.last_incremental))
            .max(),
    }
}
