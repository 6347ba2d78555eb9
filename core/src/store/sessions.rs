//! Console sessions, passkey credentials and sign-in ceremonies in flight.

use sqlx::FromRow;

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{Timestamp, UserId};
use crate::error::CoreResult;

/// A new session row.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// The session JWT's id.
    pub jti: &'a str,
    /// Who signed in.
    pub user: UserId,
    /// How: `passkey`, `oidc`, `setup`.
    pub via: &'a str,
    /// Absolute expiry.
    pub expires_at: Timestamp,
    /// Client address, as the web layer saw it.
    pub ip: Option<&'a str>,
    /// Client user agent, cut short.
    pub user_agent: Option<&'a str>,
}

/// A session as stored, with whether its user is disabled.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    /// The JWT id.
    pub jti: String,
    /// The signed-in user.
    pub user_id: i64,
    /// How they signed in.
    pub via: String,
    /// When.
    pub created_at: i64,
    /// Last request seen (updated at most once a minute).
    pub last_seen_at: i64,
    /// Absolute expiry.
    pub expires_at: i64,
    /// Set on sign-out or revocation.
    pub revoked_at: Option<i64>,
    /// Client address at sign-in.
    pub ip: Option<String>,
    /// Client user agent at sign-in.
    pub user_agent: Option<String>,
    /// The user's disabled flag.
    pub user_disabled: bool,
}

/// A literal `SELECT` of a session joined with its user, followed by the given clauses.
macro_rules! select_sessions {
    ($rest:literal) => {
        concat!(
            "SELECT s.jti, s.user_id, s.via, s.created_at, s.last_seen_at, s.expires_at, ",
            "s.revoked_at, s.ip, s.user_agent, u.disabled AS user_disabled ",
            "FROM sessions s JOIN users u ON u.id = s.user_id ",
            $rest
        )
    };
}

/// Stores a new session.
pub async fn insert(tx: &mut Tx, new: &NewSession<'_>, now: Timestamp) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO sessions (jti, user_id, via, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(new.jti)
    .bind(new.user.0)
    .bind(new.via)
    .bind(now.0)
    .bind(new.expires_at.0)
    .bind(new.ip)
    .bind(new.user_agent)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Reads a session by its JWT id (no transaction: this runs on every console request).
pub async fn find(db: &Db, jti: &str) -> CoreResult<Option<SessionRow>> {
    let sql = select_sessions!("WHERE s.jti = $1");
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(jti).fetch_optional(pool).await)?)
}

/// The user's sessions still open, newest first (for the account page).
pub async fn open_for_user(db: &Db, user: UserId, now: Timestamp) -> CoreResult<Vec<SessionRow>> {
    let sql = select_sessions!(
        "WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 ORDER BY s.created_at DESC"
    );
    Ok(on_pool!(db, pool => sqlx::query_as(sql).bind(user.0).bind(now.0).fetch_all(pool).await)?)
}

/// Records activity on a session.
pub async fn touch(tx: &mut Tx, jti: &str, now: Timestamp) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE jti = $1")
        .bind(jti)
        .bind(now.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revokes one session; true if it was open.
pub async fn revoke(tx: &mut Tx, jti: &str, now: Timestamp) -> CoreResult<bool> {
    let n = on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE jti = $1 AND revoked_at IS NULL",
    )
    .bind(jti)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Revokes every open session of a user; returns how many.
pub async fn revoke_user(tx: &mut Tx, user: UserId, now: Timestamp) -> CoreResult<u64> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user.0)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Revokes every open session of a user but `keep` (the one asking); returns how many.
pub async fn revoke_user_except(
    tx: &mut Tx,
    user: UserId,
    keep: &str,
    now: Timestamp,
) -> CoreResult<u64> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND jti <> $3 AND revoked_at IS NULL",
    )
    .bind(user.0)
    .bind(now.0)
    .bind(keep)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Forgets sessions that ended more than `before` ago.
pub async fn prune(tx: &mut Tx, before: Timestamp) -> CoreResult<u64> {
    Ok(on_tx!(tx, conn => sqlx::query(
        "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1",
    )
    .bind(before.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Stores a ceremony's state under the hash of its id.
pub async fn put_flow(
    tx: &mut Tx,
    id_hash: &str,
    kind: &str,
    state: &str,
    expires: Timestamp,
    now: Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM auth_flows WHERE expires_at <= $1")
        .bind(now.0)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO auth_flows (id_hash, kind, state, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(kind)
    .bind(state)
    .bind(expires.0)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes (deletes and returns) a ceremony's state if it is of this kind and unexpired.
pub async fn take_flow(
    tx: &mut Tx,
    id_hash: &str,
    kind: &str,
    now: Timestamp,
) -> CoreResult<Option<String>> {
    let row: Option<(String, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "DELETE FROM auth_flows WHERE id_hash = $1 AND kind = $2 RETURNING state, expires_at",
    )
    .bind(id_hash)
    .bind(kind)
    .fetch_optional(conn)
    .await)?;
    Ok(row
        .filter(|(_, expires)| *expires > now.0)
        .map(|(state, _)| state))
}
