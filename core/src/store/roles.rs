//! Roles as operators define them (name, permissions, content limit, placements, whether
//! `usher.toml` set them) and the grant table that hands roles to Telegram chats, Discord
//! roles and OIDC groups.

use crate::domain::{
    ContentLimitSpec, GrantTarget, Permissions, Placement, RoleId, RoleSpec, Timestamp, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, Tx, on_pool, on_tx};

/// A stored role with what the console needs beside its spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRecord {
    /// Id; placements of several roles are chosen by it (lowest first).
    pub id: RoleId,
    /// The role (its quota is read apart, from the quota rows).
    pub spec: RoleSpec,
    /// One of the four roles every installation starts with (never deleted).
    pub builtin: bool,
    /// Set by `usher.toml`, which re-applies it at every start.
    pub from_file: bool,
}

/// A row of the grant table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// Id; `user_roles.granted_via` of the roles it handed out is `grant:<id>`.
    pub id: i64,
    /// The role granted.
    pub role_id: RoleId,
    /// Its name.
    pub role: String,
    /// Who holds it.
    pub target: GrantTarget,
    /// Set by `usher.toml`.
    pub from_file: bool,
}

impl GrantRow {
    /// The `user_roles.granted_via` of roles this grant handed out.
    pub fn via(&self) -> String {
        via(self.id)
    }
}

/// The `user_roles.granted_via` of grant `id`.
pub fn via(id: i64) -> String {
    format!("grant:{id}")
}

type RoleTuple = (
    i64,
    String,
    i64,
    bool,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
);

const ROLE_COLUMNS: &str = "SELECT id, name, permissions, builtin, from_file, content_limit,
    radarr_placement, sonarr_placement FROM roles";

fn record(row: RoleTuple) -> CoreResult<RoleRecord> {
    let (id, name, bits, builtin, from_file, limit, radarr, sonarr) = row;
    let content_limit = limit
        .map(|json| serde_json::from_str::<ContentLimitSpec>(&json))
        .transpose()
        .map_err(|e| unexpected("content limit", e))?;
    Ok(RoleRecord {
        id: RoleId(id),
        spec: RoleSpec {
            name,
            permissions: Permissions::from_bits(bits),
            quota: None,
            content_limit,
            radarr: placement(radarr)?,
            sonarr: placement(sonarr)?,
        },
        builtin,
        from_file,
    })
}

fn unexpected(what: &str, err: serde_json::Error) -> CoreError {
    CoreError::Unexpected(anyhow::anyhow!("a role's stored {what}: {err}"))
}

fn json<T: serde::Serialize>(value: Option<&T>) -> CoreResult<Option<String>> {
    value
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| CoreError::Unexpected(e.into()))
}

/// Every role, in id order.
pub async fn all(db: &Db) -> CoreResult<Vec<RoleRecord>> {
    let rows: Vec<RoleTuple> = on_pool!(db, pool => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{ROLE_COLUMNS} ORDER BY id"))
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(record).collect()
}

/// One role by name, locked for the rest of the transaction on PostgreSQL.
pub async fn find(tx: &mut Tx, name: &str) -> CoreResult<Option<RoleRecord>> {
    let row: Option<RoleTuple> = on_tx!(tx, conn => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{ROLE_COLUMNS} WHERE name = $1"))
    )
    .bind(name)
    .fetch_optional(conn)
    .await)?;
    row.map(record).transpose()
}

/// Creates a role; a taken name is a [`CoreError::Conflict`].
pub async fn insert(
    tx: &mut Tx,
    spec: &RoleSpec,
    from_file: bool,
    now: Timestamp,
) -> CoreResult<RoleId> {
    let (limit, radarr, sonarr) = columns(spec)?;
    let id: Result<(i64,), sqlx::Error> = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO roles (name, permissions, builtin, created_at, content_limit,
             radarr_placement, sonarr_placement, from_file)
         VALUES ($1, $2, FALSE, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&spec.name)
    .bind(spec.permissions.bits())
    .bind(now.0)
    .bind(limit)
    .bind(radarr)
    .bind(sonarr)
    .bind(from_file)
    .fetch_one(conn)
    .await);
    match id {
        Ok((id,)) => Ok(RoleId(id)),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(CoreError::Conflict(
            format!("a role named {} exists", spec.name),
        )),
        Err(other) => Err(other.into()),
    }
}

/// Overwrites a role's permissions, content limit and placements, and whether the file set it.
pub async fn update(tx: &mut Tx, id: RoleId, spec: &RoleSpec, from_file: bool) -> CoreResult<()> {
    let (limit, radarr, sonarr) = columns(spec)?;
    on_tx!(tx, conn => sqlx::query(
        "UPDATE roles SET permissions = $2, content_limit = $3, radarr_placement = $4,
             sonarr_placement = $5, from_file = $6 WHERE id = $1",
    )
    .bind(id.0)
    .bind(spec.permissions.bits())
    .bind(limit)
    .bind(radarr)
    .bind(sonarr)
    .bind(from_file)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

type Columns = (Option<String>, Option<String>, Option<String>);

fn columns(spec: &RoleSpec) -> CoreResult<Columns> {
    Ok((
        json(spec.content_limit.as_ref())?,
        json(spec.radarr.as_ref())?,
        json(spec.sonarr.as_ref())?,
    ))
}

/// Roles the file once set but sets no more: they stay, now the console's to edit.
pub async fn release_from_file(tx: &mut Tx, keep: &[RoleId]) -> CoreResult<()> {
    let marked: Vec<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id FROM roles WHERE from_file = TRUE",
    )
    .fetch_all(conn)
    .await)?;
    for (id,) in marked {
        if !keep.contains(&RoleId(id)) {
            on_tx!(tx, conn => sqlx::query("UPDATE roles SET from_file = FALSE WHERE id = $1")
                .bind(id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    Ok(())
}

/// Deletes a role with everything hanging off it (holders, quotas, grants).
pub async fn delete(tx: &mut Tx, id: RoleId) -> CoreResult<()> {
    for sql in [
        "DELETE FROM user_roles WHERE role_id = $1",
        "DELETE FROM role_quotas WHERE role_id = $1",
        "DELETE FROM role_grants WHERE role_id = $1",
        "DELETE FROM roles WHERE id = $1",
    ] {
        on_tx!(tx, conn => sqlx::query(sql)
            .bind(id.0)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

type GrantTuple = (i64, i64, String, String, String, bool);

const GRANT_COLUMNS: &str = "SELECT g.id, g.role_id, r.name, g.kind, g.value, g.from_file
    FROM role_grants g JOIN roles r ON r.id = g.role_id";

fn grant_row((id, role_id, role, kind, value, from_file): GrantTuple) -> CoreResult<GrantRow> {
    let target = GrantTarget::parse(&kind, &value)
        .map_err(|why| CoreError::Unexpected(anyhow::anyhow!("a stored role grant: {why}")))?;
    Ok(GrantRow {
        id,
        role_id: RoleId(role_id),
        role,
        target,
        from_file,
    })
}

/// Every grant, oldest first.
pub async fn grants(db: &Db) -> CoreResult<Vec<GrantRow>> {
    let rows: Vec<GrantTuple> = on_pool!(db, pool => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{GRANT_COLUMNS} ORDER BY g.id"))
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(grant_row).collect()
}

/// Every grant, read inside a transaction.
pub async fn grants_in(tx: &mut Tx) -> CoreResult<Vec<GrantRow>> {
    let rows: Vec<GrantTuple> = on_tx!(tx, conn => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{GRANT_COLUMNS} ORDER BY g.id"))
    )
    .fetch_all(conn)
    .await)?;
    rows.into_iter().map(grant_row).collect()
}

/// Adds a grant; `None` when the same one exists.
pub async fn insert_grant(
    tx: &mut Tx,
    role: RoleId,
    target: &GrantTarget,
    from_file: bool,
    now: Timestamp,
) -> CoreResult<Option<i64>> {
    let row: Option<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "INSERT INTO role_grants (role_id, kind, value, from_file, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(role.0)
    .bind(target.kind())
    .bind(target.value())
    .bind(from_file)
    .bind(now.0)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(id,)| id))
}

/// Marks a grant as set by `usher.toml`.
pub async fn mark_grant_from_file(tx: &mut Tx, id: i64) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("UPDATE role_grants SET from_file = TRUE WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A role's quota for one counter, if it has one.
pub async fn quota_of(
    tx: &mut Tx,
    role: RoleId,
    scope: crate::domain::QuotaScope,
) -> CoreResult<Option<crate::domain::QuotaLimit>> {
    let row: Option<(i32, i32)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT max_count, days FROM role_quotas WHERE role_id = $1 AND scope = $2",
    )
    .bind(role.0)
    .bind(scope.key())
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(|(max, days)| crate::domain::QuotaLimit {
        max: u32::try_from(max).unwrap_or(0),
        days: u32::try_from(days).unwrap_or(1),
    }))
}

/// Removes a grant and takes back the roles it handed out; the removed row, if it existed.
pub async fn delete_grant(tx: &mut Tx, id: i64) -> CoreResult<Option<GrantRow>> {
    let row: Option<GrantTuple> = on_tx!(tx, conn => sqlx::query_as(
        sqlx::AssertSqlSafe(format!("{GRANT_COLUMNS} WHERE g.id = $1"))
    )
    .bind(id)
    .fetch_optional(conn)
    .await)?;
    let Some(row) = row.map(grant_row).transpose()? else {
        return Ok(None);
    };
    on_tx!(tx, conn => sqlx::query("DELETE FROM user_roles WHERE granted_via = $1")
        .bind(row.via())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    on_tx!(tx, conn => sqlx::query("DELETE FROM role_grants WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(Some(row))
}

/// The users holding a role through grant `id` (for the audit trail and session ends).
pub async fn holders_via(tx: &mut Tx, id: i64) -> CoreResult<Vec<UserId>> {
    let rows: Vec<(i64,)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT user_id FROM user_roles WHERE granted_via = $1",
    )
    .bind(via(id))
    .fetch_all(conn)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| UserId(id)).collect())
}

/// A role's stored placement (`radarr_placement` / `sonarr_placement` JSON).
pub(super) fn placement(json: Option<String>) -> CoreResult<Option<Placement>> {
    json.map(|j| serde_json::from_str::<Placement>(&j))
        .transpose()
        .map_err(|e| unexpected("placement", e))
}

/// Writes a placement (a role's or an override rule's) onto a new request: its target
/// instance, profile, folder, tags (none keeps the instance's configured ones) and Sonarr
/// series type (`None`: the instance's usual choice).
pub async fn place_request(
    tx: &mut Tx,
    request: crate::domain::RequestId,
    placement: &Placement,
    series_type: Option<crate::domain::SeriesType>,
) -> CoreResult<()> {
    let tags = (!placement.tags.is_empty()).then(|| placement.tags.join(","));
    on_tx!(tx, conn => sqlx::query(
        "UPDATE requests SET target_instance = $2, target_profile = $3, target_root_folder = $4,
             target_tags = $5, target_series_type = $6 WHERE id = $1",
    )
    .bind(request.0)
    .bind(&placement.instance)
    .bind(placement.quality_profile.as_deref())
    .bind(placement.root_folder.as_deref())
    .bind(tags)
    .bind(series_type.map(|t| t.as_str()))
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
