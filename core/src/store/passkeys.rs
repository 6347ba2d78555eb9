//! Registered WebAuthn credentials (table `passkeys`) and the user handle each user presents to
//! authenticators (an identity on the `passkey` platform). The credential itself is the web
//! layer's serialized WebAuthn record, opaque here.

use sqlx::FromRow;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{Timestamp, UserId};
use crate::error::CoreResult;

/// One stored credential.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PasskeyRow {
    /// The credential id, base64url without padding (as the authenticator reports it).
    pub credential_id: String,
    /// Its owner.
    pub user_id: i64,
    /// The name its owner gave it ("Phone", "YubiKey").
    pub name: String,
    /// The serialized credential (public key, counter, flags); opaque to core.
    pub credential: String,
    /// When it was registered.
    pub created_at: i64,
    /// When it last signed someone in.
    pub last_used_at: Option<i64>,
}

/// A literal `SELECT` of credentials followed by the given clauses.
macro_rules! select_passkeys {
    ($rest:literal) => {
        concat!(
            "SELECT credential_id, user_id, name, credential, created_at, last_used_at ",
            "FROM passkeys ",
            $rest
        )
    };
}

/// Stores a new credential; an id already registered (to anyone) is a conflict.
pub async fn insert(tx: &mut Tx, row: &PasskeyRow) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO passkeys (credential_id, user_id, name, credential, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.credential_id)
    .bind(row.user_id)
    .bind(&row.name)
    .bind(&row.credential)
    .bind(row.created_at)
    .bind(row.last_used_at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A credential by its id.
pub async fn find(tx: &mut Tx, credential_id: &str) -> CoreResult<Option<PasskeyRow>> {
    let sql = select_passkeys!("WHERE credential_id = $1");
    Ok(on_tx!(tx, conn => sqlx::query_as(sql)
        .bind(credential_id)
        .fetch_optional(conn)
        .await)?)
}

/// A credential by its id, if the user handle belongs to its owner; read without a
/// transaction (the sign-in path, before anyone is known).
pub async fn find_for_handle(
    db: &Db,
    credential_id: &str,
    handle: &str,
) -> CoreResult<Option<PasskeyRow>> {
    let sql =
        "SELECT p.credential_id, p.user_id, p.name, p.credential, p.created_at, p.last_used_at
         FROM passkeys p JOIN identities i ON i.user_id = p.user_id
         WHERE p.credential_id = $1 AND i.platform = 'passkey' AND i.external_id = $2";
    Ok(on_pool!(db, pool => sqlx::query_as(sql)
        .bind(credential_id)
        .bind(handle)
        .fetch_optional(pool)
        .await)?)
}

/// A user's credentials, oldest first.
pub async fn for_user(tx: &mut Tx, user: UserId) -> CoreResult<Vec<PasskeyRow>> {
    let sql = select_passkeys!("WHERE user_id = $1 ORDER BY created_at, credential_id");
    Ok(on_tx!(tx, conn => sqlx::query_as(sql)
        .bind(user.0)
        .fetch_all(conn)
        .await)?)
}

/// Renames a credential; true if it existed.
pub async fn rename(tx: &mut Tx, credential_id: &str, name: &str) -> CoreResult<bool> {
    let n = on_tx!(tx, conn => sqlx::query("UPDATE passkeys SET name = $2 WHERE credential_id = $1")
        .bind(credential_id)
        .bind(name)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Deletes a credential; true if it existed.
pub async fn delete(tx: &mut Tx, credential_id: &str) -> CoreResult<bool> {
    let n = on_tx!(tx, conn => sqlx::query("DELETE FROM passkeys WHERE credential_id = $1")
        .bind(credential_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Records a sign-in: the time, and the credential when its counter or flags changed.
pub async fn record_use(
    tx: &mut Tx,
    credential_id: &str,
    credential: Option<&str>,
    now: Timestamp,
) -> CoreResult<bool> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE passkeys SET last_used_at = $2, credential = COALESCE($3, credential)
         WHERE credential_id = $1",
    )
    .bind(credential_id)
    .bind(now.0)
    .bind(credential)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The user handle(s) a user presents to authenticators, oldest first (a user who joined two
/// accounts may hold two).
pub async fn handles_of(tx: &mut Tx, user: UserId) -> CoreResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT external_id FROM identities WHERE user_id = $1 AND platform = 'passkey' ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().map(|(h,)| h).collect())
}

/// Whether the user can sign in to the console some other way than with a passkey (OIDC).
pub async fn has_other_sign_in(tx: &mut Tx, user: UserId) -> CoreResult<bool> {
    let row: (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM identities WHERE user_id = $1 AND platform = 'oidc'",
    )
    .bind(user.0)
    .fetch_one(conn)
    .await)?;
    Ok(row.0 > 0)
}
