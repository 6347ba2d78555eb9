//! The console's request list: one sorted page by number, and the counts per status that give
//! the status filter its figures and the pager its total — two statements, whatever the page.

use sqlx::QueryBuilder;

use super::requests::{COLUMNS, RequestFilter, RequestRow, push_filter};
use super::{Db, on_pool};
use crate::domain::{Request, RequestStatus};
use crate::error::CoreResult;

/// The orders the console's list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestSort {
    /// Newest first (the default: what came in last is what needs a look).
    #[default]
    Newest,
    /// Oldest first (the longest waiting).
    Oldest,
    /// By title, A to Z.
    Title,
    /// By status name, then newest first: all of one status together.
    Status,
    /// Most voted first ("I want this too" in group chats and servers), then oldest first:
    /// the approvers' queue with what most people want on top.
    Votes,
}

impl RequestSort {
    /// Every order, in the order the form lists them.
    pub const ALL: [Self; 5] = [
        Self::Newest,
        Self::Oldest,
        Self::Title,
        Self::Status,
        Self::Votes,
    ];

    /// The name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Title => "title",
            Self::Status => "status",
            Self::Votes => "votes",
        }
    }

    /// Reads [`RequestSort::as_str`]'s names; anything else is a validation error.
    pub fn parse(raw: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| crate::error::CoreError::Validation(format!("no sort order {raw:?}")))
    }

    /// The `ORDER BY` clause; every order ends on `id` so pages never overlap or skip a row.
    fn order_by(self) -> &'static str {
        match self {
            Self::Newest => " ORDER BY created_at DESC, id DESC",
            Self::Oldest => " ORDER BY created_at, id",
            Self::Title => " ORDER BY LOWER(title), id",
            Self::Status => " ORDER BY status, created_at DESC, id DESC",
            Self::Votes => {
                " ORDER BY (SELECT COUNT(*) FROM request_votes v WHERE v.request_id = requests.id) DESC, created_at, id"
            }
        }
    }
}

/// The most requests counted per status: a count above it reads "more than 500". Counting
/// every row of a million-request table per page load costs hundreds of milliseconds; counting
/// at most this many per status costs a few index entries, whatever the table holds.
pub const COUNT_CAP: u64 = 500;

/// How many requests match `filter` in each status, ignoring the filter's own statuses (so the
/// status picker can say how many each choice would show), each counted up to
/// [`COUNT_CAP`] + 1 (more than the cap reads as [`COUNT_CAP`] + 1). One statement: one
/// bounded index range per status.
pub async fn status_counts(
    db: &Db,
    filter: &RequestFilter,
) -> CoreResult<Vec<(RequestStatus, u64)>> {
    // The media type is matched as an expression, so SQLite walks each status's own index
    // range (bounded by the cap) rather than every request of that media type, once per status.
    let others = RequestFilter {
        statuses: Vec::new(),
        media_type: None,
        ..filter.clone()
    };
    let cap = i64::try_from(COUNT_CAP + 1).unwrap_or(i64::MAX);
    let rows: Vec<(String, i64)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new("");
        for (i, status) in RequestStatus::ALL.iter().enumerate() {
            if i > 0 {
                query.push(" UNION ALL ");
            }
            query.push("SELECT ").push_bind(status.as_str());
            query.push(", (SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE status = ");
            query.push_bind(status.as_str());
            if let Some(media_type) = filter.media_type {
                query.push(" AND media_type || '' = ").push_bind(media_type.as_str());
            }
            push_filter!(query, &others);
            query.push(" LIMIT ").push_bind(cap).push(") capped)");
        }
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|(status, n)| Ok((status.parse()?, u64::try_from(n).unwrap_or(0))))
        .collect()
}

/// Page `skip / take` of the requests matching `filter`, in `sort` order.
pub async fn sorted_page(
    db: &Db,
    filter: &RequestFilter,
    sort: RequestSort,
    skip: u64,
    take: u32,
) -> CoreResult<Vec<Request>> {
    let skip = i64::try_from(skip).unwrap_or(i64::MAX);
    let rows: Vec<RequestRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM requests WHERE 1 = 1"));
        push_filter!(query, filter);
        query.push(sort.order_by());
        query.push(" LIMIT ").push_bind(i64::from(take));
        query.push(" OFFSET ").push_bind(skip);
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter().map(Request::try_from).collect()
}
