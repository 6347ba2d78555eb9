//! Scoped API keys: stored as SHA-256 hashes beside their machine user.

use sqlx::FromRow;

use super::{Db, Tx, on_pool, on_tx, on_writer};
use crate::domain::{ApiKeySummary, Scopes, Timestamp, UserId};
use crate::error::{CoreError, CoreResult};

/// A new key row: its hash, never the key.
#[derive(Debug, Clone)]
pub struct NewKeyRow<'a> {
    /// Its name (unique among keys not revoked).
    pub name: &'a str,
    /// Its machine user.
    pub user: UserId,
    /// Lower-case hex SHA-256 of the key.
    pub key_hash: &'a str,
    /// What it may do.
    pub scopes: Scopes,
    /// When.
    pub now: Timestamp,
}

/// A live key found by its hash.
#[derive(Debug, Clone, FromRow)]
pub struct KeyRow {
    /// Its name.
    pub name: String,
    /// Its machine user.
    pub user_id: i64,
    /// The stored hash, compared again in constant time by the caller.
    pub key_hash: String,
    /// Comma-joined scope names.
    pub scopes: String,
}

#[derive(FromRow)]
struct SummaryRow {
    name: String,
    user_id: i64,
    scopes: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

/// Stores a key; a live key of that name already is a [`CoreError::Conflict`].
pub async fn insert(tx: &mut Tx, new: &NewKeyRow<'_>) -> CoreResult<()> {
    let done = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO api_keys (name, user_id, key_hash, scopes, permissions, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new.name)
    .bind(new.user.0)
    .bind(new.key_hash)
    .bind(new.scopes.to_string())
    .bind(new.scopes.permissions().bits())
    .bind(new.now.0)
    .execute(conn)
    .await
    .map(|_| ()));
    match done {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CoreError::Conflict(
            format!("an API key named {} already exists", new.name),
        )),
        Err(e) => Err(e.into()),
    }
}

/// The live (not revoked) key with this hash, if any.
pub async fn find_live(db: &Db, key_hash: &str) -> CoreResult<Option<KeyRow>> {
    let row = on_pool!(db, pool => sqlx::query_as(
        "SELECT name, user_id, key_hash, scopes FROM api_keys
         WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(key_hash)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}

/// Notes that a key was used (the caller does so at most once per cache period).
pub async fn touch(db: &Db, key_hash: &str, now: Timestamp) -> CoreResult<()> {
    on_writer!(db, pool => sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE key_hash = $1")
        .bind(key_hash)
        .bind(now.0)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Every live key, by name.
pub async fn list_live(db: &Db) -> CoreResult<Vec<ApiKeySummary>> {
    let rows: Vec<SummaryRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT name, user_id, scopes, created_at, last_used_at FROM api_keys
         WHERE revoked_at IS NULL ORDER BY name",
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|row| {
            Ok(ApiKeySummary {
                scopes: Scopes::parse(&row.scopes)?,
                name: row.name,
                user: UserId(row.user_id),
                created_at: Timestamp(row.created_at),
                last_used_at: row.last_used_at.map(Timestamp),
            })
        })
        .collect()
}

/// Revokes the live key of this name and disables its machine user in the same transaction;
/// returns the machine user, or `None` when no live key has that name.
pub async fn revoke(tx: &mut Tx, name: &str, now: Timestamp) -> CoreResult<Option<UserId>> {
    let user: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "UPDATE api_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL
         RETURNING user_id",
    )
    .bind(name)
    .bind(now.0)
    .fetch_optional(conn)
    .await)?;
    let Some((user,)) = user else {
        return Ok(None);
    };
    on_tx!(tx, conn => sqlx::query("UPDATE users SET disabled = TRUE, updated_at = $2 WHERE id = $1")
        .bind(user)
        .bind(now.0)
        .execute(conn)
        .await
        .map(|_| ()))?;
    Ok(Some(UserId(user)))
}
