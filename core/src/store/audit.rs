//! The append-only audit log (the database refuses updates and deletes with triggers).

use sqlx::{FromRow, QueryBuilder};

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
    record_all(tx, actor, &[(action, target, details)], now).await
}

/// Appends several rows by one actor at one time with one statement (a request made and
/// approved at once is one `INSERT`, not two).
pub async fn record_all(
    tx: &mut Tx,
    actor: &Actor,
    entries: &[(AuditAction, &str, &serde_json::Value)],
    now: Timestamp,
) -> CoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..entries.len())
        .map(|i| {
            let n = 4 + 3 * i;
            format!("($1, $2, $3, $4, ${}, ${}, ${})", n + 1, n + 2, n + 3)
        })
        .collect();
    let sql = format!(
        "INSERT INTO audit_log (at, actor_user_id, source, source_detail, action, target, details) VALUES {}",
        values.join(", ")
    );
    on_tx!(tx, conn => {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now.0)
            .bind(actor.user.map(|u| u.0))
            .bind(actor.source.name())
            .bind(actor.source.detail());
        for (action, target, details) in entries {
            query = query.bind(action.as_str()).bind(*target).bind(details.to_string());
        }
        query.execute(conn).await.map(|r| r.rows_affected())
    })?;
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

/// Which audit rows to list. Every field narrows; the default lists everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only rows by this user.
    pub actor: Option<UserId>,
    /// Only rows whose actor's display name contains this (case-insensitive).
    pub actor_name: Option<String>,
    /// Only this action (stored name, e.g. `request_approved`).
    pub action: Option<String>,
    /// Only this target: exact (`request:42`), or every target of a kind (`request`).
    pub target: Option<String>,
    /// Only this source (`system`, `cli`, `web`, `discord`, `telegram`).
    pub source: Option<String>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub before: Option<Timestamp>,
}

/// An audit row with its actor's display name, for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// The row.
    pub entry: AuditEntry,
    /// The acting user's display name (`None` for the system or a user since merged away).
    pub actor_name: Option<String>,
}

#[derive(FromRow)]
struct AuditLineRow {
    id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    source: String,
    source_detail: Option<String>,
    action: String,
    target: String,
    details: String,
    actor_name: Option<String>,
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One newest-first page of rows with an id below `before_id` (keyset pagination on the id,
/// which only grows, so deep pages cost what the first does).
pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: u32,
) -> CoreResult<Vec<AuditLine>> {
    let rows: Vec<AuditLineRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT a.id, a.at, a.actor_user_id, a.source, a.source_detail, a.action, a.target, \
             a.details, u.display_name AS actor_name \
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id WHERE 1 = 1",
        );
        if let Some(actor) = filter.actor {
            query.push(" AND a.actor_user_id = ").push_bind(actor.0);
        }
        if let Some(name) = &filter.actor_name {
            let pattern = format!("%{}%", like_escape(&name.to_lowercase()));
            query
                .push(" AND LOWER(u.display_name) LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\'");
        }
        if let Some(action) = &filter.action {
            query.push(" AND a.action = ").push_bind(action.clone());
        }
        match filter.target.as_deref() {
            Some(target) if target.contains(':') => {
                query.push(" AND a.target = ").push_bind(target.to_owned());
            }
            Some(kind) => {
                query
                    .push(" AND (a.target = ")
                    .push_bind(kind.to_owned())
                    .push(" OR a.target LIKE ")
                    .push_bind(format!("{}:%", like_escape(kind)))
                    .push(" ESCAPE '\\')");
            }
            None => {}
        }
        if let Some(source) = &filter.source {
            query.push(" AND a.source = ").push_bind(source.clone());
        }
        if let Some(from) = filter.from {
            query.push(" AND a.at >= ").push_bind(from.0);
        }
        if let Some(before) = filter.before {
            query.push(" AND a.at < ").push_bind(before.0);
        }
        if let Some(id) = before_id {
            query.push(" AND a.id < ").push_bind(id);
        }
        query.push(" ORDER BY a.id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            entry: AuditEntry {
                id: r.id,
                at: Timestamp(r.at),
                actor: r.actor_user_id.map(UserId),
                source: r.source,
                source_detail: r.source_detail,
                action: r.action,
                target: r.target,
                details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
            },
            actor_name: r.actor_name,
        })
        .collect())
}
