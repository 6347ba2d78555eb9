//! Conversations a chat front end is in the middle of (migration 0010): one row per platform,
//! chat and person, holding the front end's own state as JSON, e.g. "this approver is typing the
//! reason for declining request 12". Kept in the database, not in a process, so a reply still
//! finds its conversation after a restart and on whichever replica receives it. A conversation
//! left alone for [`DIALOGUE_TTL`] is over: reads ignore it and writes prune it.

use std::time::Duration;

use super::{Db, in_tx, on_pool, on_tx};
use crate::domain::{Platform, Timestamp};
use crate::error::CoreResult;

/// How long an untouched conversation lasts.
pub const DIALOGUE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// Whose conversation: a person in a chat on a platform, in the platform's own ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogueKey<'a> {
    /// The platform.
    pub platform: Platform,
    /// The chat (a private chat, a group).
    pub chat: &'a str,
    /// The person.
    pub user: &'a str,
}

/// The state of a conversation, unless there is none or it went stale. Read outside any
/// transaction: front ends ask on replies, which must not queue behind writers.
pub async fn get(db: &Db, key: DialogueKey<'_>, now: Timestamp) -> CoreResult<Option<String>> {
    let fresh_since = now.minus(DIALOGUE_TTL);
    let row: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT state FROM chat_dialogues
         WHERE platform = $1 AND chat_id = $2 AND user_id = $3 AND updated_at > $4",
    )
    .bind(key.platform.as_str())
    .bind(key.chat)
    .bind(key.user)
    .bind(fresh_since.0)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(state,)| state))
}

/// Starts or replaces a conversation; prunes stale ones on the way.
pub async fn put(db: &Db, key: DialogueKey<'_>, state: &str, now: Timestamp) -> CoreResult<()> {
    let stale = now.minus(DIALOGUE_TTL);
    in_tx(db, |tx| {
        Box::pin(async {
            on_tx!(tx, conn => sqlx::query("DELETE FROM chat_dialogues WHERE updated_at <= $1")
            .bind(stale.0)
            .execute(&mut *conn)
            .await
            .map(|r| r.rows_affected()))?;
            on_tx!(tx, conn => sqlx::query(
            "INSERT INTO chat_dialogues (platform, chat_id, user_id, state, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (platform, chat_id, user_id)
             DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(key.platform.as_str())
        .bind(key.chat)
        .bind(key.user)
        .bind(state)
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
            Ok(())
        })
    })
    .await
}

/// Ends a conversation; says whether there was one.
pub async fn remove(db: &Db, key: DialogueKey<'_>) -> CoreResult<bool> {
    let removed = in_tx(db, |tx| {
        Box::pin(async {
            on_tx!(tx, conn => sqlx::query(
            "DELETE FROM chat_dialogues WHERE platform = $1 AND chat_id = $2 AND user_id = $3",
        )
        .bind(key.platform.as_str())
        .bind(key.chat)
        .bind(key.user)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))
            .map_err(Into::into)
        })
    })
    .await?;
    Ok(removed > 0)
}

/// How many conversations are open (not stale) on a platform, for the benchmark and metrics.
pub async fn open(db: &Db, platform: Platform, now: Timestamp) -> CoreResult<i64> {
    let fresh_since = now.minus(DIALOGUE_TTL);
    let (count,): (i64,) = on_pool!(db, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM chat_dialogues WHERE platform = $1 AND updated_at > $2",
    )
    .bind(platform.as_str())
    .bind(fresh_since.0)
    .fetch_one(pool)
    .await)?;
    Ok(count)
}
