//! The append-only audit log (the database refuses updates and deletes with triggers).

use sqlx::FromRow;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{Actor, AuditAction, AuditEntry, Timestamp, UserId};
use crate::error::CoreResult;

/// Appends one row in the caller's transaction, so the audit and the change commit together.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    target: &str,
    details: &serde_json::Value,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, source, source_detail, action, target, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now.0)
    .bind(actor.user.map(|u| u.0))
    .bind(actor.source.name())
    .bind(actor.source.detail())
    .bind(action.as_str())
    .bind(target)
    .bind(details.to_string())
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    source: String,
    source_detail: Option<String>,
    action: String,
    target: String,
    details: String,
}

/// The newest rows about one target (e.g. `request:42`), newest first.
pub async fn for_target(db: &Db, target: &str, limit: u32) -> CoreResult<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, at, actor_user_id, source, source_detail, action, target, details
         FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(target)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: Timestamp(r.at),
            actor: r.actor_user_id.map(UserId),
            source: r.source,
            source_detail: r.source_detail,
            action: r.action,
            target: r.target,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}
