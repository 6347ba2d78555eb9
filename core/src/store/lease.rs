//! Named leader leases (`leases`): one row per lease with its holder and expiry. Taking and
//! renewing are the same single statement — an upsert that only overwrites a row this holder
//! already has or one that has expired — so two replicas racing for an expired lease cannot
//! both win. Times are the callers' clocks in epoch milliseconds; replicas' clocks are assumed
//! to agree to well within a lease's time to live.

use std::time::Duration;

use super::{Db, on_pool};
use crate::domain::Timestamp;
use crate::error::CoreResult;

/// Takes `name` for `holder` until `now + ttl`, or renews it when `holder` has it already.
/// Returns whether `holder` holds it now (false: someone else's lease has not expired).
pub async fn take(
    db: &Db,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: Timestamp,
) -> CoreResult<bool> {
    let won: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(now.plus(ttl).0)
    .bind(now.0)
    .fetch_optional(pool)
    .await)?;
    Ok(won.is_some())
}

/// Gives `name` up if `holder` has it, so a standby need not wait for the expiry.
pub async fn release(db: &Db, name: &str, holder: &str) -> CoreResult<()> {
    on_pool!(db, pool => sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Who holds `name` and until when, expired or not (for tests and diagnostics).
pub async fn holder(db: &Db, name: &str) -> CoreResult<Option<(String, Timestamp)>> {
    let row: Option<(String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT holder, expires_at FROM leases WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(holder, at)| (holder, Timestamp(at))))
}
