//! Users, identities, roles and quota limits.

use sqlx::FromRow;

use super::{Db, Tx, narrow, on_pool, on_tx, role_limits};
use crate::domain::{
    ContentLimit, Identity, Permissions, Platform, QuotaLimit, QuotaScope, RoleId, Timestamp, User,
    UserId,
};
use crate::error::{CoreError, CoreResult};

/// A `users` row as stored.
#[derive(FromRow)]
pub(super) struct UserRow {
    pub(super) id: i64,
    display_name: String,
    disabled: bool,
    locale: Option<String>,
    created_at: i64,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: UserId(row.id),
            display_name: row.display_name,
            disabled: row.disabled,
            locale: row.locale,
            created_at: Timestamp(row.created_at),
        }
    }
}

const USER_BY_ID: &str =
    "SELECT id, display_name, disabled, locale, created_at FROM users WHERE id = $1";

/// Creates a user with no identities or roles yet.
pub async fn insert_user(tx: &mut Tx, display_name: &str, now: Timestamp) -> CoreResult<User> {
    let row: UserRow = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO users (display_name, disabled, created_at, updated_at) VALUES ($1, FALSE, $2, $2)
         RETURNING id, display_name, disabled, locale, created_at",
    )
    .bind(display_name)
    .bind(now.0)
    .fetch_one(conn)
    .await)?;
    Ok(row.into())
}

/// Reads a user.
pub async fn get_user(tx: &mut Tx, id: UserId) -> CoreResult<Option<User>> {
    let row: Option<UserRow> = on_tx!(tx, conn => sqlx::query_as(USER_BY_ID)
        .bind(id.0)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(User::from))
}

/// Takes the user's row lock, so two concurrent requests by one user see each other's quota use.
/// A SQLite transaction starts with `BEGIN IMMEDIATE` and so already holds the database's one
/// write lock, against this process and every other: the row lock is taken on PostgreSQL only
/// (one statement less per request).
pub async fn lock_user(tx: &mut Tx, id: UserId) -> CoreResult<()> {
    if matches!(tx, Tx::Sqlite(..)) {
        return Ok(());
    }
    on_tx!(tx, conn => sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(id.0)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const USER_BY_IDENTITY: &str = "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at
     FROM users u JOIN identities i ON i.user_id = u.id
     WHERE i.platform = $1 AND i.external_id = $2";

/// Finds who owns a platform account.
pub async fn find_by_identity(
    tx: &mut Tx,
    platform: Platform,
    external_id: &str,
) -> CoreResult<Option<User>> {
    let row: Option<UserRow> = on_tx!(tx, conn => sqlx::query_as(USER_BY_IDENTITY)
        .bind(platform.as_str())
        .bind(external_id)
        .fetch_optional(conn)
        .await)?;
    Ok(row.map(User::from))
}

/// [`find_by_identity`] outside any transaction: chat front ends resolve the sender of every
/// update, and a known sender must not queue behind writers (SQLite) for a read.
pub async fn read_by_identity(
    db: &Db,
    platform: Platform,
    external_id: &str,
) -> CoreResult<Option<User>> {
    let row: Option<UserRow> = on_pool!(db, pool => sqlx::query_as(USER_BY_IDENTITY)
        .bind(platform.as_str())
        .bind(external_id)
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(User::from))
}

/// Attaches a platform account to a user; a taken account is a conflict.
pub async fn insert_identity(tx: &mut Tx, identity: &Identity, now: Timestamp) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO identities (user_id, platform, external_id, display, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(identity.user_id.0)
    .bind(identity.platform.as_str())
    .bind(&identity.external_id)
    .bind(&identity.display)
    .bind(now.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(FromRow)]
struct IdentityRow {
    user_id: i64,
    platform: String,
    external_id: String,
    display: String,
}

/// Every account of a user.
pub async fn identities_of(tx: &mut Tx, user: UserId) -> CoreResult<Vec<Identity>> {
    let rows: Vec<IdentityRow> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT user_id, platform, external_id, display FROM identities WHERE user_id = $1 ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(conn)
    .await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Identity {
                user_id: UserId(r.user_id),
                platform: r.platform.parse()?,
                external_id: r.external_id,
                display: r.display,
            })
        })
        .collect()
}

/// The union of the permissions of every role the user holds.
pub async fn permissions_of(tx: &mut Tx, user: UserId) -> CoreResult<Permissions> {
    let masks: Vec<(i64,)> = on_tx!(tx, conn => sqlx::query_as(PERMISSION_MASKS)
        .bind(user.0)
        .fetch_all(conn)
        .await)?;
    Ok(union_of(masks))
}

/// The role masks a user holds; their union is what the user may do.
const PERMISSION_MASKS: &str = "SELECT r.permissions FROM roles r JOIN user_roles ur ON ur.role_id = r.id WHERE ur.user_id = $1";

fn union_of(masks: Vec<(i64,)>) -> Permissions {
    masks
        .into_iter()
        .fold(Permissions::default(), |acc, (bits,)| {
            acc.union(Permissions::from_bits(bits))
        })
}

/// A user and each role mask they hold, one row per role (a single row with no mask when they
/// hold none): the user and their permissions in one statement.
/// A user's row once per role mask, plus once per live API key of theirs (a key's machine user
/// holds the permissions its scopes grant).
/// Each role row brings its content limit too, so the strictest limit comes with the same read.
const USER_WITH_MASKS: &str = "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at, r.permissions,
            r.content_limit
     FROM users u LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
     WHERE u.id = $1
     UNION ALL
     SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at, k.permissions, NULL
     FROM users u JOIN api_keys k ON k.user_id = u.id AND k.revoked_at IS NULL
     WHERE u.id = $1";

/// One row of [`USER_WITH_MASKS`].
#[derive(FromRow)]
struct UserMaskRow {
    #[sqlx(flatten)]
    user: UserRow,
    permissions: Option<i64>,
    content_limit: Option<String>,
}

/// A user with what their roles allow and the strictest content limit among those roles: all
/// an action needs to know of who is acting.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The user.
    pub user: User,
    /// The union of their roles' (and API keys') permissions.
    pub permissions: Permissions,
    /// The strictest content limit among their roles (unlimited when none has one).
    pub content_limit: ContentLimit,
}

/// The user of [`USER_WITH_MASKS`]'s rows, the union of their masks and the strictest of their
/// limits; `None` for no rows. A stored limit that no longer validates is an error (see
/// [`role_limits::parse`]).
fn standing_of(rows: Vec<UserMaskRow>) -> CoreResult<Option<Standing>> {
    let mut content_limit = ContentLimit::default();
    for json in rows.iter().filter_map(|row| row.content_limit.as_deref()) {
        content_limit = content_limit.strictest(&role_limits::parse(json)?);
    }
    Ok(
        user_with_permissions(rows).map(|(user, permissions)| Standing {
            user,
            permissions,
            content_limit,
        }),
    )
}

/// [`standing_of`] without the limit, for the checks that do not offer titles: the stored
/// limits are not even parsed, so one that no longer validates refuses offers (failing closed)
/// without also refusing its holders every other action.
fn user_with_permissions(rows: Vec<UserMaskRow>) -> Option<(User, Permissions)> {
    let masks = rows
        .iter()
        .filter_map(|row| row.permissions.map(|bits| (bits,)))
        .collect();
    let user = rows.into_iter().next()?.user;
    Some((User::from(user), union_of(masks)))
}

/// A user and their permissions, read in `tx`: who is acting, for any check that offers no
/// title.
pub async fn get_with_permissions(
    tx: &mut Tx,
    id: UserId,
) -> CoreResult<Option<(User, Permissions)>> {
    let rows: Vec<UserMaskRow> = on_tx!(tx, conn => sqlx::query_as(USER_WITH_MASKS)
        .bind(id.0)
        .fetch_all(conn)
        .await)?;
    Ok(user_with_permissions(rows))
}

/// A user and their permissions read outside any transaction: for checks on every console
/// request, which must not queue behind writers (SQLite) for a read.
pub async fn read_with_permissions(db: &Db, id: UserId) -> CoreResult<Option<(User, Permissions)>> {
    let rows: Vec<UserMaskRow> = on_pool!(db, pool => sqlx::query_as(USER_WITH_MASKS)
        .bind(id.0)
        .fetch_all(pool)
        .await)?;
    Ok(user_with_permissions(rows))
}

/// [`read_with_permissions`] with the user's content limit, from the same statement.
pub async fn read_standing(db: &Db, id: UserId) -> CoreResult<Option<Standing>> {
    let rows: Vec<UserMaskRow> = on_pool!(db, pool => sqlx::query_as(USER_WITH_MASKS)
        .bind(id.0)
        .fetch_all(pool)
        .await)?;
    standing_of(rows)
}

/// A platform account's user, their permissions and content limit, and the language the
/// platform last reported for the account, in one statement outside any transaction: all a
/// chat needs to know of a known sender (a miss of the caller cache is one read, not three).
pub async fn read_caller(
    db: &Db,
    platform: Platform,
    external_id: &str,
) -> CoreResult<Option<(Standing, Option<String>)>> {
    let rows: Vec<CallerRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at, i.locale AS reported,
                r.permissions, r.content_limit
         FROM identities i JOIN users u ON u.id = i.user_id
         LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
         WHERE i.platform = $1 AND i.external_id = $2",
    )
    .bind(platform.as_str())
    .bind(external_id)
    .fetch_all(pool)
    .await)?;
    let reported = rows.first().and_then(|row| row.reported.clone());
    let masks = rows
        .into_iter()
        .map(|row| UserMaskRow {
            user: row.user,
            permissions: row.permissions,
            content_limit: row.content_limit,
        })
        .collect();
    Ok(standing_of(masks)?.map(|found| (found, reported)))
}

/// One row of [`read_caller`].
#[derive(FromRow)]
struct CallerRow {
    #[sqlx(flatten)]
    user: UserRow,
    reported: Option<String>,
    permissions: Option<i64>,
    content_limit: Option<String>,
}

/// Looks a role up by name.
pub async fn role_id(tx: &mut Tx, name: &str) -> CoreResult<RoleId> {
    let row: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as("SELECT id FROM roles WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await)?;
    row.map(|(id,)| RoleId(id))
        .ok_or_else(|| CoreError::NotFound(format!("role {name}")))
}

/// Grants a role; granting it twice is harmless. A role held only because of a platform role
/// (`granted_via`, see `store::chat`) becomes a plain grant, so a person's decision is never
/// taken back when the platform role goes; that counts as new.
pub async fn grant_role(tx: &mut Tx, user: UserId, role: RoleId) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)
         ON CONFLICT (user_id, role_id) DO UPDATE SET granted_via = NULL
         WHERE user_roles.granted_via IS NOT NULL",
    )
    .bind(user.0)
    .bind(role.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Takes a role away; taking a role the user does not hold is harmless. Returns whether it
/// was held.
pub async fn revoke_role(tx: &mut Tx, user: UserId, role: RoleId) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2",
    )
    .bind(user.0)
    .bind(role.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Disables or enables a user. Returns whether that changed anything.
pub async fn set_disabled(
    tx: &mut Tx,
    user: UserId,
    disabled: bool,
    now: Timestamp,
) -> CoreResult<bool> {
    let done = on_tx!(tx, conn => sqlx::query(
        "UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3 AND disabled <> $1",
    )
    .bind(disabled)
    .bind(now.0)
    .bind(user.0)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Locks the roles that grant admin, so two transactions that each take admin away from someone
/// run one after the other and the second sees whether an admin is left (SQLite writers are
/// serialized anyway; this is for PostgreSQL).
pub async fn lock_admin_roles(tx: &mut Tx) -> CoreResult<()> {
    let admin_bit = Permissions::of(&[crate::domain::Permission::Admin]).bits();
    on_tx!(tx, conn => sqlx::query(
        "UPDATE roles SET permissions = permissions WHERE (permissions & $1) <> 0",
    )
    .bind(admin_bit)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether any enabled user holds a role with the admin permission (else setup is needed).
pub async fn any_admin(tx: &mut Tx) -> CoreResult<bool> {
    let admin_bit = Permissions::of(&[crate::domain::Permission::Admin]).bits();
    let row: (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
         JOIN users u ON u.id = ur.user_id
         WHERE (r.permissions & $1) <> 0 AND u.disabled = FALSE",
    )
    .bind(admin_bit)
    .fetch_one(conn)
    .await)?;
    Ok(row.0 > 0)
}

/// Whether an enabled admin can sign in to the console (has a passkey or an OIDC identity). A
/// chat-only admin (`USHER_TELEGRAM_ADMIN_IDS`, `USHER_DISCORD_ADMIN_IDS`) cannot, so the setup
/// link is still needed.
pub async fn any_console_admin(tx: &mut Tx) -> CoreResult<bool> {
    let admin_bit = Permissions::of(&[crate::domain::Permission::Admin]).bits();
    let row: (i64,) = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
         JOIN users u ON u.id = ur.user_id
         WHERE (r.permissions & $1) <> 0 AND u.disabled = FALSE
           AND (EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id
                        AND i.platform IN ('oidc', 'passkey'))
                OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id))",
    )
    .bind(admin_bit)
    .fetch_one(conn)
    .await)?;
    Ok(row.0 > 0)
}

#[derive(FromRow)]
struct LimitRow {
    max_count: i32,
    days: i32,
}

fn to_limit(row: LimitRow) -> CoreResult<QuotaLimit> {
    Ok(QuotaLimit {
        max: narrow(i64::from(row.max_count), "quota")?,
        days: narrow(i64::from(row.days), "quota days")?,
    })
}

/// The user's own quota override for a counter, if any.
pub async fn user_limit(
    tx: &mut Tx,
    user: UserId,
    scope: QuotaScope,
) -> CoreResult<Option<QuotaLimit>> {
    let row: Option<LimitRow> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT max_count, days FROM user_quotas WHERE user_id = $1 AND scope = $2",
    )
    .bind(user.0)
    .bind(scope.key())
    .fetch_optional(conn)
    .await)?;
    row.map(to_limit).transpose()
}

/// The limit of each role the user holds for a counter (`None` = that role is unlimited).
pub async fn role_limits(
    tx: &mut Tx,
    user: UserId,
    scope: QuotaScope,
) -> CoreResult<Vec<Option<QuotaLimit>>> {
    let rows: Vec<(Option<i32>, Option<i32>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT q.max_count, q.days FROM user_roles ur
         LEFT JOIN role_quotas q ON q.role_id = ur.role_id AND q.scope = $2
         WHERE ur.user_id = $1",
    )
    .bind(user.0)
    .bind(scope.key())
    .fetch_all(conn)
    .await)?;
    rows.into_iter()
        .map(|(max, days)| match (max, days) {
            (Some(max_count), Some(days)) => to_limit(LimitRow { max_count, days }).map(Some),
            _ => Ok(None),
        })
        .collect()
}

/// Sets or clears a user's quota override.
pub async fn set_user_limit(
    tx: &mut Tx,
    user: UserId,
    scope: QuotaScope,
    limit: Option<QuotaLimit>,
) -> CoreResult<()> {
    const SQL: QuotaSql = QuotaSql {
        delete: "DELETE FROM user_quotas WHERE user_id = $1 AND scope = $2",
        insert: "INSERT INTO user_quotas (user_id, scope, max_count, days) VALUES ($1, $2, $3, $4)",
    };
    replace_limit(tx, &SQL, user.0, scope, limit).await
}

/// Sets or clears a role's quota.
pub async fn set_role_limit(
    tx: &mut Tx,
    role: RoleId,
    scope: QuotaScope,
    limit: Option<QuotaLimit>,
) -> CoreResult<()> {
    const SQL: QuotaSql = QuotaSql {
        delete: "DELETE FROM role_quotas WHERE role_id = $1 AND scope = $2",
        insert: "INSERT INTO role_quotas (role_id, scope, max_count, days) VALUES ($1, $2, $3, $4)",
    };
    replace_limit(tx, &SQL, role.0, scope, limit).await
}

/// The two statements that replace one owner's limit in a quota table.
struct QuotaSql {
    delete: &'static str,
    insert: &'static str,
}

async fn replace_limit(
    tx: &mut Tx,
    sql: &QuotaSql,
    owner: i64,
    scope: QuotaScope,
    limit: Option<QuotaLimit>,
) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query(sql.delete)
        .bind(owner)
        .bind(scope.key())
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    if let Some(limit) = limit {
        on_tx!(tx, conn => sqlx::query(sql.insert)
            .bind(owner)
            .bind(scope.key())
            .bind(i64::from(limit.max))
            .bind(i64::from(limit.days))
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Moves everything `from` owns onto `into` and deletes `from` (account linking). Passkeys and
/// open console sessions move too, so a console user who redeems a code from a bot keeps their
/// sign-in and stays signed in.
pub async fn merge_users(tx: &mut Tx, from: UserId, into: UserId) -> CoreResult<()> {
    const STEPS: [&str; 10] = [
        "UPDATE identities SET user_id = $2 WHERE user_id = $1",
        "UPDATE passkeys SET user_id = $2 WHERE user_id = $1",
        "UPDATE sessions SET user_id = $2 WHERE user_id = $1",
        "UPDATE requests SET requested_by = $2 WHERE requested_by = $1",
        "UPDATE requests SET decided_by = $2 WHERE decided_by = $1",
        "INSERT INTO request_followers (request_id, user_id, created_at, source)
         SELECT request_id, $2, created_at, source FROM request_followers WHERE user_id = $1
         ON CONFLICT DO NOTHING",
        "DELETE FROM request_followers WHERE user_id = $2
         AND request_id IN (SELECT id FROM requests WHERE requested_by = $2)",
        "INSERT INTO user_roles (user_id, role_id, granted_via)
         SELECT $2, role_id, granted_via FROM user_roles WHERE user_id = $1 ON CONFLICT DO NOTHING",
        "INSERT INTO user_quotas (user_id, scope, max_count, days)
         SELECT $2, scope, max_count, days FROM user_quotas WHERE user_id = $1 ON CONFLICT DO NOTHING",
        "DELETE FROM users WHERE id = $1",
    ];
    for step in STEPS {
        on_tx!(tx, conn => sqlx::query(step).bind(from.0).bind(into.0).execute(conn).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
