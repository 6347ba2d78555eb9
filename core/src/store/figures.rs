//! Aggregate counts for `/metrics`, read at scrape time so every replica reports the shared state.

use super::{Db, on_pool};
use crate::error::CoreResult;

/// `(status, count)` for every status that has requests.
pub async fn requests_by_status(db: &Db) -> CoreResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT status, COUNT(*) FROM requests GROUP BY status ORDER BY status",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows)
}

/// `(topic, undelivered events)` for every topic with events not done yet.
pub async fn outbox_depth_by_topic(db: &Db) -> CoreResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT topic, COUNT(*) FROM outbox WHERE done_at IS NULL GROUP BY topic ORDER BY topic",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows)
}
