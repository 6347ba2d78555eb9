//! One-time secrets: account-link codes and first-admin setup tokens. Only hashes are stored.

use super::{Tx, on_tx};
use crate::domain::{Timestamp, UserId};
use crate::error::CoreResult;

/// Stores a link code for a user, replacing any earlier one of theirs.
pub async fn put_link_code(
    tx: &mut Tx,
    user: UserId,
    code_hash: &str,
    expires: Timestamp,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM link_codes WHERE user_id = $1 OR expires_at <= $2")
        .bind(user.0)
        .bind(now.0)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO link_codes (code_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(code_hash)
    .bind(user.0)
    .bind(expires.0)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Consumes a link code: returns its owner if it existed and had not expired. Used or not,
/// it is gone afterwards.
pub async fn take_link_code(
    tx: &mut Tx,
    code_hash: &str,
    now: Timestamp,
) -> CoreResult<Option<UserId>> {
    let row: Option<(i64, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "DELETE FROM link_codes WHERE code_hash = $1 RETURNING user_id, expires_at",
    )
    .bind(code_hash)
    .fetch_optional(conn)
    .await)?;
    Ok(row
        .filter(|(_, expires)| *expires > now.0)
        .map(|(user, _)| UserId(user)))
}

/// Stores a setup token.
pub async fn put_setup_token(
    tx: &mut Tx,
    token_hash: &str,
    expires: Timestamp,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO setup_tokens (token_hash, expires_at, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(expires.0)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether a setup token is unused and unexpired.
pub async fn setup_token_valid(tx: &mut Tx, token_hash: &str, now: Timestamp) -> CoreResult<bool> {
    let row: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT expires_at FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now.0)
    .fetch_optional(conn)
    .await)?;
    Ok(row.is_some())
}

/// Marks a setup token used; true only for the one caller that used it first.
pub async fn use_setup_token(tx: &mut Tx, token_hash: &str, now: Timestamp) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now.0)
    .bind(token_hash)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
