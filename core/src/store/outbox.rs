//! The transactional outbox: events written with the state change, delivered later by workers.
//! Claiming uses a lease (`locked_until`), so a crashed worker's rows come back, and on
//! PostgreSQL `FOR UPDATE SKIP LOCKED`, so replicas never take the same row.

use std::time::Duration;

use sqlx::FromRow;

use super::handoff::{Handed, Taker};
use super::{Db, Tx, on_tx, on_writer};
use crate::domain::Timestamp;
use crate::error::CoreResult;

/// One claimed outbox row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxRow {
    /// Row id.
    pub id: i64,
    /// Which worker it is for (`submit`, `notify`).
    pub topic: String,
    /// JSON event.
    pub payload: String,
    /// Failed deliveries so far.
    pub attempts: i32,
}

impl From<Handed> for OutboxRow {
    /// A row handed over at commit is a claimed row on its first attempt.
    fn from(row: Handed) -> Self {
        Self {
            id: row.id,
            topic: row.topic,
            payload: row.payload,
            attempts: 0,
        }
    }
}

/// Queues an event in the caller's transaction.
pub async fn enqueue(
    tx: &mut Tx,
    topic: &str,
    payload: &serde_json::Value,
    now: Timestamp,
) -> CoreResult<()> {
    enqueue_all(tx, &[(topic, payload)], now).await
}

/// Queues several events in the caller's transaction with one statement (an approval that
/// also notifies is one `INSERT`, not two). On PostgreSQL the same statement notifies every
/// replica's listener of each topic, delivered on commit (see `store::wake`).
pub async fn enqueue_all(
    tx: &mut Tx,
    events: &[(&str, &serde_json::Value)],
    now: Timestamp,
) -> CoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    // A topic whose worker in this process takes rows at commit gets them written leased to
    // it; the others wake their workers as ever.
    let takers: Vec<Option<Taker>> = events.iter().map(|(topic, _)| tx.taker(topic)).collect();
    let values: Vec<String> = (0..events.len())
        .map(|i| {
            format!(
                "(${}, ${}, $1, $1, 0, ${})",
                3 * i + 2,
                3 * i + 3,
                3 * i + 4
            )
        })
        .collect();
    let insert = format!(
        "INSERT INTO outbox (topic, payload, created_at, available_at, attempts, locked_until)
         VALUES {} RETURNING id, topic, payload, locked_until",
        values.join(", ")
    );
    let sql = match tx {
        Tx::Sqlite(..) => insert,
        // One notification per topic with unleased rows, sent by the database on commit.
        Tx::Postgres(..) => format!(
            "WITH queued AS ({insert})
             SELECT id, topic, payload, locked_until, (SELECT COUNT(*) FROM (
               SELECT pg_notify('{}', topic) FROM (
                 SELECT DISTINCT topic FROM queued WHERE locked_until IS NULL) t) n)
             FROM queued",
            super::wake::OUTBOX_CHANNEL
        ),
    };
    let rows: Vec<(i64, String, String, Option<i64>)> = on_tx!(tx, conn => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now.0);
        for ((topic, payload), taker) in events.iter().zip(&takers) {
            let held = taker.as_ref().map(|t| now.plus(t.lease).0);
            query = query.bind(*topic).bind(payload.to_string()).bind(held);
        }
        query.fetch_all(conn).await
    })?;
    for (id, topic, payload, held) in rows {
        let taker = held.and_then(|_| {
            let mut of_topic = events.iter().zip(&takers).filter(|((t, _), _)| *t == topic);
            of_topic.find_map(|(_, taker)| taker.clone())
        });
        match taker {
            Some(taker) => tx.hand(taker, Handed { id, topic, payload }),
            None => tx.queued(&topic),
        }
    }
    Ok(())
}

/// When the earliest row of a topic that is waiting for a retry (or for a lease to end) comes
/// due; `None` when nothing is waiting. Workers sleep until then instead of polling.
pub async fn next_due(db: &Db, topic: &str) -> CoreResult<Option<Timestamp>> {
    let due: Option<(Option<i64>,)> = super::on_pool!(db, pool => sqlx::query_as(
        "SELECT MIN(CASE WHEN locked_until IS NOT NULL AND locked_until > available_at
                         THEN locked_until ELSE available_at END)
         FROM outbox WHERE topic = $1 AND done_at IS NULL",
    )
    .bind(topic)
    .fetch_optional(pool)
    .await)?;
    Ok(due.and_then(|(at,)| at).map(Timestamp))
}

/// Takes up to `limit` due rows of a topic for `lease`; they return to the queue if not
/// completed in time. One statement: the rows are picked and locked by the same `UPDATE`.
pub async fn claim(
    db: &Db,
    topic: &str,
    limit: u32,
    lease: Duration,
    now: Timestamp,
) -> CoreResult<Vec<OutboxRow>> {
    let sql = match db {
        Db::Sqlite(_) => {
            "UPDATE outbox SET locked_until = $1 WHERE id IN (
             SELECT id FROM outbox WHERE topic = $2 AND done_at IS NULL AND available_at <= $3
             AND (locked_until IS NULL OR locked_until <= $3) ORDER BY id LIMIT $4)
             RETURNING id, topic, payload, attempts"
        }
        Db::Postgres(_) => {
            "UPDATE outbox SET locked_until = $1 WHERE id IN (
             SELECT id FROM outbox WHERE topic = $2 AND done_at IS NULL AND available_at <= $3
             AND (locked_until IS NULL OR locked_until <= $3) ORDER BY id LIMIT $4
             FOR UPDATE SKIP LOCKED)
             RETURNING id, topic, payload, attempts"
        }
    };
    let until = now.plus(lease);
    let mut rows: Vec<OutboxRow> = on_writer!(db, pool => sqlx::query_as(sql)
        .bind(until.0)
        .bind(topic)
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
    // RETURNING gives no order; rows go out in the order they were queued.
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}

/// Forgets rows done (delivered, or given up on) before `before`; returns how many. Nothing
/// reads a done row again: they are only kept a while to look into what went out.
pub async fn prune_done(db: &Db, before: Timestamp) -> CoreResult<u64> {
    Ok(
        on_writer!(db, pool => sqlx::query("DELETE FROM outbox WHERE done_at < $1")
        .bind(before.0)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?,
    )
}

/// Marks a row delivered.
pub async fn complete(db: &Db, id: i64, now: Timestamp) -> CoreResult<()> {
    on_writer!(db, pool => sqlx::query("UPDATE outbox SET done_at = $1, locked_until = NULL WHERE id = $2")
        .bind(now.0)
        .bind(id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Hands a claimed row back unattempted: due again at once, its attempts unchanged. Wakes
/// the topic's workers here, which do not read the due times after a round that did work.
pub async fn release(db: &Db, row: &OutboxRow) -> CoreResult<()> {
    on_writer!(db, pool => sqlx::query("UPDATE outbox SET locked_until = NULL WHERE id = $1 AND done_at IS NULL")
        .bind(row.id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    db.wake(&row.topic);
    Ok(())
}

/// Closes a claimed row inside the caller's transaction, so whatever the transaction writes
/// (the notification fan-out's delivery rows) and the row's end commit together. Returns false
/// when the row was already done — another worker got there after our lease ran out — and the
/// caller must then write nothing (it rolls back).
pub async fn close_in(tx: &mut Tx, id: i64, now: Timestamp) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE outbox SET done_at = $1, locked_until = NULL WHERE id = $2 AND done_at IS NULL",
    )
    .bind(now.0)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Stops trying a row: it is closed with the error that ended it, counted as one more attempt,
/// and kept for operators (a recipient who refuses messages must not be retried forever).
pub async fn give_up(db: &Db, id: i64, error: &str, now: Timestamp) -> CoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, done_at = $2,
         locked_until = NULL WHERE id = $3",
    )
    .bind(error)
    .bind(now.0)
    .bind(id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Puts a row back for another attempt after `backoff`, keeping the error for operators.
/// Wakes the topic's workers here, so their loop learns the new due time (it does not read the
/// due times after a round that did work; see `jobs::pace`).
pub async fn retry_later(
    db: &Db,
    row: &OutboxRow,
    error: &str,
    backoff: Duration,
    now: Timestamp,
) -> CoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, available_at = $2,
         locked_until = NULL WHERE id = $3",
    )
    .bind(error)
    .bind(now.plus(backoff).0)
    .bind(row.id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    db.wake(&row.topic);
    Ok(())
}

/// Undelivered rows of a topic (tests and the dashboard).
pub async fn pending(db: &Db, topic: &str) -> CoreResult<Vec<OutboxRow>> {
    super::on_pool!(db, pool => sqlx::query_as(
        "SELECT id, topic, payload, attempts FROM outbox WHERE topic = $1 AND done_at IS NULL ORDER BY id",
    )
    .bind(topic)
    .fetch_all(pool)
    .await)
    .map_err(Into::into)
}
