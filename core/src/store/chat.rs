//! What the chat front ends keep about the people they reach: the language each platform
//! reports for an account, the platform a follower asked from, and roles that follow a
//! platform role (migration 0008).

use super::{Db, Tx, on_pool, on_tx};
use crate::domain::{Permission, Permissions, Platform, RequestId, RoleId, UserId};
use crate::error::CoreResult;

/// The language last stored for a platform account, if any (`Ok(None)` also when there is no
/// such account).
pub async fn identity_locale(
    tx: &mut Tx,
    platform: Platform,
    external_id: &str,
) -> CoreResult<Option<String>> {
    let row: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT locale FROM identities WHERE platform = $1 AND external_id = $2",
    )
    .bind(platform.as_str())
    .bind(external_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.and_then(|(locale,)| locale))
}

/// The two languages known for a platform account, read outside any transaction (every chat
/// update asks): the one its user chose, and the one the platform last reported. `None` when
/// there is no such account.
pub async fn languages(
    db: &Db,
    platform: Platform,
    external_id: &str,
) -> CoreResult<Option<(Option<String>, Option<String>)>> {
    let row: Option<(Option<String>, Option<String>)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT u.locale, i.locale FROM identities i JOIN users u ON u.id = i.user_id
         WHERE i.platform = $1 AND i.external_id = $2",
    )
    .bind(platform.as_str())
    .bind(external_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}

/// Stores (or, with `None`, clears) the language a user chose for themselves.
pub async fn set_chosen_language(
    tx: &mut Tx,
    user: UserId,
    locale: Option<&str>,
    now: crate::domain::Timestamp,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale)
        .bind(now.0)
        .bind(user.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Stores the language a platform reported for an account.
pub async fn set_identity_locale(
    tx: &mut Tx,
    platform: Platform,
    external_id: &str,
    locale: &str,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "UPDATE identities SET locale = $1 WHERE platform = $2 AND external_id = $3",
    )
    .bind(locale)
    .bind(platform.as_str())
    .bind(external_id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The language to write to a user on a platform: the one they chose, else the one that
/// platform reports for their account there.
pub async fn language_on(
    tx: &mut Tx,
    user: UserId,
    platform: Platform,
) -> CoreResult<Option<String>> {
    let row: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COALESCE(u.locale, i.locale) FROM users u
         LEFT JOIN identities i ON i.user_id = u.id AND i.platform = $2
         WHERE u.id = $1 ORDER BY i.id LIMIT 1",
    )
    .bind(user.0)
    .bind(platform.as_str())
    .fetch_optional(conn)
    .await)?;
    Ok(row.and_then(|(locale,)| locale))
}

/// The language most approvers with an account on `platform` use (their choice, else what the
/// platform reports), ties broken by name so the answer is stable; `None` when none is known.
pub async fn approvers_language(tx: &mut Tx, platform: Platform) -> CoreResult<Option<String>> {
    let deciders = Permissions::of(&[Permission::Approve, Permission::Admin]).bits();
    let row: Option<(String, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COALESCE(u.locale, i.locale) AS lang, COUNT(DISTINCT u.id) AS n
         FROM users u
         JOIN identities i ON i.user_id = u.id AND i.platform = $1
         JOIN user_roles ur ON ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id
         WHERE u.disabled = FALSE AND (r.permissions & $2) <> 0
           AND COALESCE(u.locale, i.locale) IS NOT NULL
         GROUP BY COALESCE(u.locale, i.locale)
         ORDER BY n DESC, lang LIMIT 1",
    )
    .bind(platform.as_str())
    .bind(deciders)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(lang, _)| lang))
}

/// Who follows a request, with the platform each followed from (`None` for rows older than
/// migration 0008), in the order they followed.
pub async fn followers_with_source(
    tx: &mut Tx,
    id: RequestId,
) -> CoreResult<Vec<(UserId, Option<Platform>)>> {
    let rows: Vec<(i64, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT user_id, source FROM request_followers WHERE request_id = $1
         ORDER BY created_at, user_id",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await)?;
    Ok(rows
        .into_iter()
        // An unknown stored name only loses the preference, never the follower.
        .map(|(user, source)| (UserId(user), source.and_then(|s| s.parse().ok())))
        .collect())
}

/// How a user holds a role: not at all, given by a person or configuration (`via` NULL), or
/// following a platform role (`via` names it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holding {
    /// The user does not hold the role.
    No,
    /// Granted by a person or by configuration; never taken back automatically.
    Given,
    /// Granted because of a platform role named by `via`.
    Via(String),
}

/// How `user` holds `role`.
pub async fn holding(tx: &mut Tx, user: UserId, role: RoleId) -> CoreResult<Holding> {
    let row: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT granted_via FROM user_roles WHERE user_id = $1 AND role_id = $2",
    )
    .bind(user.0)
    .bind(role.0)
    .fetch_optional(conn)
    .await)?;
    Ok(match row {
        None => Holding::No,
        Some((None,)) => Holding::Given,
        Some((Some(via),)) => Holding::Via(via),
    })
}

/// Grants `role` because of a platform role (`via`).
pub async fn grant_via(tx: &mut Tx, user: UserId, role: RoleId, via: &str) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO user_roles (user_id, role_id, granted_via) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(user.0)
    .bind(role.0)
    .bind(via)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes back `role` only if it was granted because of the platform role `via`.
pub async fn revoke_via(tx: &mut Tx, user: UserId, role: RoleId, via: &str) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2 AND granted_via = $3",
    )
    .bind(user.0)
    .bind(role.0)
    .bind(via)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
