//! Read-only lookups behind the console's user and role pages: a searchable, paged user list and
//! what each listed user has (accounts, roles, quota overrides, requests and follows), fetched
//! for a whole page at once; every role with its member count and quotas; display names.

use std::collections::HashMap;

use sqlx::{FromRow, QueryBuilder};

use super::users::UserRow;
use super::{Db, narrow, on_pool};
use crate::domain::{
    Identity, Permissions, QuotaLimit, QuotaScope, RoleId, Timestamp, User, UserId,
};
use crate::error::CoreResult;

/// Appends ` IN (…)` with one bind per id.
fn push_ids<DB: sqlx::Database>(query: &mut QueryBuilder<DB>, ids: &[i64])
where
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    query.push(" IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

fn raw(ids: &[UserId]) -> Vec<i64> {
    let mut raw: Vec<i64> = ids.iter().map(|id| id.0).collect();
    raw.sort_unstable();
    raw.dedup();
    raw
}

/// The display names of these users (unknown ids are left out).
pub async fn display_names(db: &Db, ids: &[UserId]) -> CoreResult<HashMap<UserId, String>> {
    let ids = raw(ids);
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new("SELECT id, display_name FROM users WHERE id");
        push_ids(&mut query, &ids);
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId(id), name))
        .collect())
}

/// Newest users first, after `after` (keyset), whose name, account name or account id contains
/// `text` (case-insensitive), or whose id is `text` (`12` or `#12`); with `role`, only the
/// members of the role of that name.
pub async fn search_users(
    db: &Db,
    text: Option<&str>,
    role: Option<&str>,
    after: Option<UserId>,
    limit: u32,
) -> CoreResult<Vec<User>> {
    let pattern = text.map(|t| format!("%{}%", escape_like(&t.to_lowercase())));
    let exact_id = text.and_then(|t| t.trim_start_matches('#').parse::<i64>().ok());
    let rows: Vec<UserRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at FROM users u WHERE 1 = 1",
        );
        if let Some(pattern) = &pattern {
            query.push(" AND (LOWER(u.display_name) LIKE ").push_bind(pattern.clone());
            query.push(" ESCAPE '\\' OR EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id");
            query.push(" AND (LOWER(i.display) LIKE ").push_bind(pattern.clone());
            query.push(" ESCAPE '\\' OR LOWER(i.external_id) LIKE ").push_bind(pattern.clone());
            query.push(" ESCAPE '\\'))");
            if let Some(id) = exact_id {
                query.push(" OR u.id = ").push_bind(id);
            }
            query.push(")");
        }
        if let Some(role) = role {
            query.push(" AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id");
            query.push(" WHERE ur.user_id = u.id AND r.name = ").push_bind(role.to_owned());
            query.push(")");
        }
        if let Some(after) = after {
            query.push(" AND u.id < ").push_bind(after.0);
        }
        query.push(" ORDER BY u.id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// `LIKE` wildcards in user input match themselves.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(FromRow)]
struct IdentityRow {
    user_id: i64,
    platform: String,
    external_id: String,
    display: String,
}

/// Every account of these users, in the order they were added.
pub async fn identities_of(db: &Db, ids: &[UserId]) -> CoreResult<Vec<Identity>> {
    let ids = raw(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<IdentityRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT user_id, platform, external_id, display FROM identities WHERE user_id",
        );
        push_ids(&mut query, &ids);
        query.push(" ORDER BY id");
        query.build_query_as().fetch_all(pool).await
    })?;
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

/// The names of the roles these users hold: `(user, role)`.
pub async fn roles_of(db: &Db, ids: &[UserId]) -> CoreResult<Vec<(UserId, String)>> {
    let ids = raw(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT ur.user_id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
             WHERE ur.user_id",
        );
        push_ids(&mut query, &ids);
        query.push(" ORDER BY r.id");
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|(u, r)| (UserId(u), r)).collect())
}

#[derive(FromRow)]
struct QuotaRow {
    owner: i64,
    scope: String,
    max_count: i32,
    days: i32,
}

fn quota(row: QuotaRow) -> CoreResult<(i64, QuotaScope, QuotaLimit)> {
    Ok((
        row.owner,
        QuotaScope::parse(&row.scope)?,
        QuotaLimit {
            max: narrow(i64::from(row.max_count), "quota")?,
            days: narrow(i64::from(row.days), "quota days")?,
        },
    ))
}

/// The users' own quota overrides: `(user, counter, limit)`.
pub async fn user_quotas(
    db: &Db,
    ids: &[UserId],
) -> CoreResult<Vec<(UserId, QuotaScope, QuotaLimit)>> {
    let ids = raw(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<QuotaRow> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT user_id AS owner, scope, max_count, days FROM user_quotas WHERE user_id",
        );
        push_ids(&mut query, &ids);
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| quota(row).map(|(owner, scope, limit)| (UserId(owner), scope, limit)))
        .collect()
}

/// How many requests each user made, and how many they follow: `user → (made, following)`.
pub async fn request_counts(db: &Db, ids: &[UserId]) -> CoreResult<HashMap<UserId, (u64, u64)>> {
    let ids = raw(ids);
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let made: Vec<(i64, i64)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new(
            "SELECT requested_by, COUNT(*) FROM requests WHERE requested_by",
        );
        push_ids(&mut query, &ids);
        query.push(" GROUP BY requested_by");
        query.build_query_as().fetch_all(pool).await
    })?;
    let following: Vec<(i64, i64)> = on_pool!(db, pool => {
        let mut query =
            QueryBuilder::new("SELECT user_id, COUNT(*) FROM request_followers WHERE user_id");
        push_ids(&mut query, &ids);
        query.push(" GROUP BY user_id");
        query.build_query_as().fetch_all(pool).await
    })?;
    let mut counts: HashMap<UserId, (u64, u64)> = HashMap::new();
    for (user, n) in made {
        counts.entry(UserId(user)).or_default().0 = u64::try_from(n).unwrap_or(0);
    }
    for (user, n) in following {
        counts.entry(UserId(user)).or_default().1 = u64::try_from(n).unwrap_or(0);
    }
    Ok(counts)
}

/// A role as the roles page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    /// Id.
    pub id: RoleId,
    /// Unique name.
    pub name: String,
    /// What it grants.
    pub permissions: Permissions,
    /// Seeded by the first migration.
    pub builtin: bool,
    /// Users holding it.
    pub members: u64,
    /// When it was made (0 for built-in roles).
    pub created_at: Timestamp,
}

/// Every role with its member count, in creation order.
pub async fn roles(db: &Db) -> CoreResult<Vec<RoleRow>> {
    let rows: Vec<(i64, String, i64, bool, i64, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT r.id, r.name, r.permissions, r.builtin,
                (SELECT COUNT(*) FROM user_roles ur WHERE ur.role_id = r.id), r.created_at
         FROM roles r ORDER BY r.id",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, bits, builtin, members, created_at)| RoleRow {
            id: RoleId(id),
            name,
            permissions: Permissions::from_bits(bits),
            builtin,
            members: u64::try_from(members).unwrap_or(0),
            created_at: Timestamp(created_at),
        })
        .collect())
}

/// Every role quota: `(role, counter, limit)`.
pub async fn role_quotas(db: &Db) -> CoreResult<Vec<(RoleId, QuotaScope, QuotaLimit)>> {
    let rows: Vec<QuotaRow> = on_pool!(db, pool => sqlx::query_as(
        "SELECT role_id AS owner, scope, max_count, days FROM role_quotas",
    )
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|row| quota(row).map(|(owner, scope, limit)| (RoleId(owner), scope, limit)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape_like("plain"), "plain");
    }
}

/// How an offset page of users is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserOrder {
    /// Oldest account first, as Seerr lists.
    #[default]
    Created,
    /// Most recently changed first.
    Updated,
    /// Most requests first.
    Requests,
    /// By display name.
    DisplayName,
}

/// One user of an offset page, with what the API shows beside them.
#[derive(Debug, Clone)]
pub struct UserListing {
    /// The user.
    pub user: User,
    /// When their row last changed.
    pub updated_at: Timestamp,
    /// Requests they made.
    pub request_count: u64,
    /// The union of their roles' and live API keys' permissions.
    pub permissions: Permissions,
}

#[derive(FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    user: UserRow,
    updated_at: i64,
    request_count: i64,
}

/// One page of users by offset (`skip`, `take`), or only the users `only` names, and how many
/// there are.
pub async fn users_page(
    db: &Db,
    only: Option<&[UserId]>,
    order: UserOrder,
    skip: u64,
    take: u32,
) -> CoreResult<(Vec<UserListing>, u64)> {
    let skip = i64::try_from(skip).unwrap_or(i64::MAX);
    let (rows, total, masks): (Vec<ListingRow>, i64, Vec<(i64, i64)>) = on_pool!(db, pool => {
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM users u WHERE 1 = 1");
        if let Some(ids) = only {
            count.push(" AND u.id");
            push_ids(&mut count, &raw(ids));
        }
        let (total,): (i64,) = count.build_query_as().fetch_one(&mut *pool).await?;
        let mut query = QueryBuilder::new(
            "SELECT u.id, u.display_name, u.disabled, u.locale, u.created_at, u.updated_at,
                    (SELECT COUNT(*) FROM requests r WHERE r.requested_by = u.id) AS request_count
             FROM users u WHERE 1 = 1",
        );
        if let Some(ids) = only {
            query.push(" AND u.id");
            push_ids(&mut query, &raw(ids));
        }
        query.push(match order {
            UserOrder::Created => " ORDER BY u.created_at, u.id",
            UserOrder::Updated => " ORDER BY u.updated_at DESC, u.id",
            UserOrder::Requests => " ORDER BY request_count DESC, u.id",
            UserOrder::DisplayName => " ORDER BY u.display_name, u.id",
        });
        query.push(" LIMIT ").push_bind(i64::from(take));
        query.push(" OFFSET ").push_bind(skip);
        let rows: Vec<ListingRow> = query.build_query_as().fetch_all(&mut *pool).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.user.id).collect();
        let masks = if ids.is_empty() {
            Vec::new()
        } else {
            let mut masks = QueryBuilder::new(
                "SELECT ur.user_id, r.permissions FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                 WHERE ur.user_id",
            );
            push_ids(&mut masks, &ids);
            masks.push(" UNION ALL SELECT k.user_id, k.permissions FROM api_keys k WHERE k.revoked_at IS NULL AND k.user_id");
            push_ids(&mut masks, &ids);
            masks.build_query_as().fetch_all(&mut *pool).await?
        };
        Ok::<_, sqlx::Error>((rows, total, masks))
    })?;
    let items = rows
        .into_iter()
        .map(|row| {
            let id = row.user.id;
            let permissions = masks
                .iter()
                .filter(|(user, _)| *user == id)
                .fold(Permissions::default(), |all, (_, bits)| {
                    all.union(Permissions::from_bits(*bits))
                });
            UserListing {
                user: User::from(row.user),
                updated_at: Timestamp(row.updated_at),
                request_count: u64::try_from(row.request_count).unwrap_or(0),
                permissions,
            }
        })
        .collect();
    Ok((items, u64::try_from(total).unwrap_or(0)))
}
