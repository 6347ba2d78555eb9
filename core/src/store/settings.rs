//! Console-edited settings. Secret values arrive here already sealed by the caller
//! (see `crate::crypto`), so plain secrets never touch the database.

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::Timestamp;
use crate::error::CoreResult;

/// One stored setting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredSetting {
    /// Key, as in the TOML file.
    pub key: String,
    /// Value; sealed text when `secret`.
    pub value: String,
    /// Whether `value` is sealed.
    pub secret: bool,
}

/// Writes or replaces a setting.
pub async fn put(
    tx: &mut Tx,
    key: &str,
    value: &str,
    secret: bool,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO settings (key, value, secret, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, secret = excluded.secret,
         updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(secret)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes a setting only if the key is still unset; returns whether it was written. Lets
/// replicas that start together agree on one generated value.
pub async fn insert_new(
    tx: &mut Tx,
    key: &str,
    value: &str,
    secret: bool,
    now: Timestamp,
) -> CoreResult<bool> {
    let written = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO settings (key, value, secret, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(value)
    .bind(secret)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(written == 1)
}

/// Reads one setting.
pub async fn get(db: &Db, key: &str) -> CoreResult<Option<StoredSetting>> {
    on_pool!(db, pool => sqlx::query_as("SELECT key, value, secret FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await)
    .map_err(Into::into)
}

/// Every secret setting, for re-sealing after a key rotation.
pub async fn all_secret(db: &Db) -> CoreResult<Vec<StoredSetting>> {
    on_pool!(db, pool => sqlx::query_as(
        "SELECT key, value, secret FROM settings WHERE secret = TRUE ORDER BY key",
    )
    .fetch_all(pool)
    .await)
    .map_err(Into::into)
}

/// Removes a setting; returns whether one was there.
pub async fn delete(tx: &mut Tx, key: &str) -> CoreResult<bool> {
    let removed = on_tx!(tx, conn => sqlx::query("DELETE FROM settings WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(removed > 0)
}

/// Every stored setting, by key.
pub async fn all(db: &Db) -> CoreResult<Vec<StoredSetting>> {
    on_pool!(db, pool => sqlx::query_as("SELECT key, value, secret FROM settings ORDER BY key")
        .fetch_all(pool)
        .await)
    .map_err(Into::into)
}
