//! The console's request list: a sorted, numbered page with the counts per status and the
//! total (both bounded: "more than 500" past [`COUNT_CAP`]), and the names of the people on
//! it — three statements, whatever the page and however many requests there are.

use std::collections::HashMap;

use super::{RequestService, acting_user};
use crate::domain::{Actor, Permission, Request, RequestStatus, UserId};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::request_browse::{self, COUNT_CAP, RequestSort};
use crate::store::requests::RequestFilter;
use crate::store::{directory, in_tx};

/// The most rows one page holds.
pub const BROWSE_MAX: u32 = 100;

/// The deepest page served when the total is not counted: an offset page costs what it skips,
/// and nobody pages a thousand times (they filter or sort instead).
pub const DEEPEST_PAGE: u64 = 1_000;

/// What the list asks for.
#[derive(Debug, Clone, Default)]
pub struct Browse {
    /// Which requests (a member's list is narrowed to their own whatever it says).
    pub filter: RequestFilter,
    /// In which order.
    pub sort: RequestSort,
    /// The page, from 1.
    pub page: u64,
    /// Rows per page (1 to [`BROWSE_MAX`]).
    pub per_page: u32,
}

/// One page of the list with its figures.
#[derive(Debug, Clone)]
pub struct BrowsePage {
    /// The rows.
    pub items: Vec<Request>,
    /// Display names of the requesters on this page.
    pub requesters: HashMap<UserId, String>,
    /// Requests per status under every filter but the status one, in [`RequestStatus::ALL`]
    /// order, zeros included: what each status choice would show. Each is counted up to
    /// [`COUNT_CAP`] + 1; that figure means "more than [`COUNT_CAP`]".
    pub counts: Vec<(RequestStatus, u64)>,
    /// Requests matching the whole filter; `None` when there are more than can be counted
    /// cheaply (some status is over [`COUNT_CAP`]).
    pub total: Option<u64>,
    /// This page, from 1.
    pub page: u64,
    /// Pages in all, when the total is known.
    pub pages: Option<u64>,
    /// Whether a page follows this one.
    pub has_next: bool,
}

impl RequestService {
    /// A page of the list; approvers see everyone's requests, anyone else only their own. A
    /// title search longer than 100 characters is refused.
    pub async fn browse(&self, actor: &Actor, mut browse: Browse) -> CoreResult<BrowsePage> {
        let caller = in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await })
        })
        .await?;
        if !caller.may(Permission::Approve) {
            browse.filter.requested_by = Some(acting_user(&caller)?);
        }
        let title = browse.filter.title.as_deref().map(str::trim);
        if title.is_some_and(|t| t.chars().count() > 100) {
            return Err(CoreError::Validation(
                "a title search has at most 100 characters".into(),
            ));
        }
        browse.filter.title = title.filter(|t| !t.is_empty()).map(str::to_owned);
        let per_page = browse.per_page.clamp(1, BROWSE_MAX);
        let found = request_browse::status_counts(&self.db, &browse.filter).await?;
        let counts: Vec<(RequestStatus, u64)> = RequestStatus::ALL
            .iter()
            .map(|s| {
                let n = found.iter().find(|(f, _)| f == s).map_or(0, |(_, n)| *n);
                (*s, n)
            })
            .collect();
        let chosen: Vec<u64> = counts
            .iter()
            .filter(|(s, _)| {
                browse.filter.statuses.is_empty() || browse.filter.statuses.contains(s)
            })
            .map(|(_, n)| *n)
            .collect();
        let total = (!chosen.iter().any(|n| *n > COUNT_CAP)).then(|| chosen.iter().sum::<u64>());
        let pages = total.map(|t| t.div_ceil(u64::from(per_page)).max(1));
        let page = browse.page.clamp(1, pages.unwrap_or(DEEPEST_PAGE));
        let skip = (page - 1).saturating_mul(u64::from(per_page));
        let mut items = if total == Some(0) {
            Vec::new()
        } else {
            let sort = browse.sort;
            request_browse::sorted_page(&self.db, &browse.filter, sort, skip, per_page + 1).await?
        };
        let has_next = items.len() > per_page as usize && (total.is_some() || page < DEEPEST_PAGE);
        items.truncate(per_page as usize);
        let asked: Vec<UserId> = items.iter().map(|r| r.requested_by).collect();
        let requesters = directory::display_names(&self.db, &asked).await?;
        Ok(BrowsePage {
            items,
            requesters,
            counts,
            total,
            page,
            pages,
            has_next,
        })
    }
}
