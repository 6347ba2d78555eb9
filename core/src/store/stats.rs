//! Counts for the dashboard: requests per time bucket. Read-only and
//! answered from the `requests_status_filter` / `requests_created` indexes.

use sqlx::QueryBuilder;

use super::{Db, on_pool};
use crate::domain::{Timestamp, UserId};
use crate::error::CoreResult;

/// Requests made in `[since, until)` (no end: up to now and beyond), counted per bucket of
/// `width` milliseconds: `(bucket, count)` with bucket 0 starting at `since`. Buckets without
/// requests are absent.
pub async fn per_bucket(
    db: &Db,
    (since, until): (Timestamp, Option<Timestamp>),
    width_ms: i64,
    user: Option<UserId>,
) -> CoreResult<Vec<(i64, u64)>> {
    let rows: Vec<(i64, i64)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new("SELECT (created_at - ");
        query.push_bind(since.0).push(") / ").push_bind(width_ms.max(1));
        query.push(" AS bucket, COUNT(*) FROM requests WHERE created_at >= ").push_bind(since.0);
        if let Some(until) = until {
            query.push(" AND created_at < ").push_bind(until.0);
        }
        if let Some(user) = user {
            query.push(" AND requested_by = ").push_bind(user.0);
        }
        query.push(" GROUP BY 1 ORDER BY 1");
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(bucket, count)| (bucket, u64::try_from(count).unwrap_or(0)))
        .collect())
}
