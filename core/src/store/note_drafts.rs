//! Notes typed with a chat search, waiting for that person's next request (migration 0039):
//! one per person, a newer one replacing it, taken (deleted) by the request that uses it.

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{Timestamp, UserId};
use crate::error::CoreResult;

/// Keeps `note` as `user`'s draft, replacing any older one.
pub async fn put(db: &Db, user: UserId, note: &str, now: Timestamp) -> CoreResult<()> {
    on_pool!(db, pool => sqlx::query(
        "INSERT INTO request_note_drafts (user_id, note, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET note = excluded.note, created_at = excluded.created_at",
    )
    .bind(user.0)
    .bind(note)
    .bind(now.0)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Takes `user`'s draft out, returning its note when it was written at or after `since`.
pub async fn take(tx: &mut Tx, user: UserId, since: Timestamp) -> CoreResult<Option<String>> {
    let row: Option<(String, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "DELETE FROM request_note_drafts WHERE user_id = $1 RETURNING note, created_at",
    )
    .bind(user.0)
    .fetch_optional(conn)
    .await)?;
    Ok(row
        .filter(|(_, written)| *written >= since.0)
        .map(|(note, _)| note))
}
