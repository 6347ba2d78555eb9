//! Usher's own tables as backup and restore see them: in foreign-key order, with the column that
//! orders a dump and the identity column whose sequence a PostgreSQL restore moves on.

use sqlx::{PgConnection, SqliteConnection};

use crate::error::{CoreError, CoreResult};

/// One table of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// `ORDER BY` list, so two dumps of the same data are the same file.
    pub order_by: &'static str,
    /// The generated id column, whose sequence must move past the restored ids.
    pub identity: Option<&'static str>,
}

const fn table(
    name: &'static str,
    order_by: &'static str,
    identity: Option<&'static str>,
) -> Table {
    Table {
        name,
        order_by,
        identity,
    }
}

/// Every table a backup holds, parents before children. A test checks that the migrated schema
/// has exactly these tables, so a new migration cannot be forgotten here.
pub const TABLES: &[Table] = &[
    table("users", "id", Some("id")),
    table("roles", "id", Some("id")),
    table("identities", "id", Some("id")),
    table("user_roles", "user_id, role_id", None),
    table("user_quotas", "user_id, scope", None),
    table("role_quotas", "role_id, scope", None),
    table("role_grants", "id", Some("id")),
    table("requests", "id", Some("id")),
    table("request_claims", "request_id, season", None),
    table("request_followers", "request_id, user_id", None),
    table("issues", "id", Some("id")),
    table("audit_log", "id", Some("id")),
    table("outbox", "id", Some("id")),
    table("link_codes", "code_hash", None),
    table("setup_tokens", "token_hash", None),
    table("settings", "key", None),
    table("webhook_events", "source, event_key", None),
    table("imports", "source, kind, external_id", None),
    table("sessions", "jti", None),
    table("passkeys", "credential_id", None),
    table("auth_flows", "id_hash", None),
    table("searches", "id", Some("id")),
    table("chat_dialogues", "platform, chat_id, user_id", None),
    table("library_items", "media_type, tmdb_id", None),
    table("library_index_sources", "source", None),
    table("library_index_titles", "source, media_type, tmdb_id", None),
    table("leases", "name", None),
    table("api_keys", "id", Some("id")),
    table("notification_agents", "id", Some("id")),
    table(
        "request_episode_claims",
        "request_id, season, episode",
        None,
    ),
    table("request_note_drafts", "user_id", None),
    table("places", "place", None),
    table("request_votes", "request_id, user_id", None),
];

/// Tables a backup leaves out because they are derived from the others: the request counters
/// triggers keep (migration 0029). A restore rebuilds them with [`REBUILD_DERIVED`] once every
/// table is loaded, whatever the triggers did while it loaded (PostgreSQL's `TRUNCATE` fires
/// none).
pub const DERIVED: &[&str] = &["request_counts"];

/// The statements that rebuild [`DERIVED`] from the restored rows, in order.
pub const REBUILD_DERIVED: [&str; 2] = [
    "DELETE FROM request_counts",
    "INSERT INTO request_counts (media_type, status, n) \
     SELECT media_type, status, COUNT(*) FROM requests GROUP BY media_type, status",
];

/// Refuses anything but a plain lower-case SQL identifier, so names read from the catalogue
/// can be spliced into statements without quoting.
pub(crate) fn plain_identifier(name: &str) -> CoreResult<&str> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(name)
    } else {
        Err(CoreError::Validation(format!(
            "unexpected column name {name:?}"
        )))
    }
}

/// `COUNT(*)` of one of our tables; for `roles`, only roles an operator made (the migration
/// seeds the built-in ones, so a fresh database has them).
fn count_sql(table: &Table) -> String {
    if table.name == "roles" {
        "SELECT COUNT(*) FROM roles WHERE builtin = FALSE".to_owned()
    } else {
        format!("SELECT COUNT(*) FROM {}", table.name)
    }
}

/// Tables that hold data (beyond the seeded roles), with their row counts.
pub(crate) async fn non_empty_pg(conn: &mut PgConnection) -> CoreResult<Vec<(&'static str, i64)>> {
    let mut found = Vec::new();
    for table in TABLES {
        let sql = sqlx::AssertSqlSafe(count_sql(table));
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut *conn).await?;
        if n > 0 {
            found.push((table.name, n));
        }
    }
    Ok(found)
}

/// As [`non_empty_pg`], on SQLite.
pub(crate) async fn non_empty_sqlite(
    conn: &mut SqliteConnection,
) -> CoreResult<Vec<(&'static str, i64)>> {
    let mut found = Vec::new();
    for table in TABLES {
        let sql = sqlx::AssertSqlSafe(count_sql(table));
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut *conn).await?;
        if n > 0 {
            found.push((table.name, n));
        }
    }
    Ok(found)
}

/// Row counts of every table, for summaries.
pub(crate) async fn counts_pg(conn: &mut PgConnection) -> CoreResult<Vec<(&'static str, i64)>> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name));
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut *conn).await?;
        counts.push((table.name, n));
    }
    Ok(counts)
}

/// Row counts of every table in one SQLite schema (`main`, or an attached backup).
pub(crate) async fn counts_sqlite(
    conn: &mut SqliteConnection,
    schema: &str,
) -> CoreResult<Vec<(&'static str, i64)>> {
    let schema = plain_identifier(schema)?;
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {schema}.{}", table.name));
        let (n,): (i64,) = sqlx::query_as(sql)
            .persistent(false)
            .fetch_one(&mut *conn)
            .await?;
        counts.push((table.name, n));
    }
    Ok(counts)
}

/// The newest migration applied, on PostgreSQL.
pub(crate) async fn version_pg(conn: &mut PgConnection) -> CoreResult<i64> {
    let (v,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&mut *conn)
            .await?;
    Ok(v.unwrap_or(0))
}

/// The newest migration applied in one SQLite schema; 0 when it has no migrations table (not an
/// Usher database).
pub(crate) async fn version_sqlite(conn: &mut SqliteConnection, schema: &str) -> CoreResult<i64> {
    let schema = plain_identifier(schema)?;
    let exists: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {schema}.sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
    )))
    .persistent(false)
    .fetch_one(&mut *conn)
    .await?;
    if exists.0 == 0 {
        return Ok(0);
    }
    let (v,): (Option<i64>,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(version) FROM {schema}._sqlx_migrations WHERE success = TRUE"
    )))
    .persistent(false)
    .fetch_one(&mut *conn)
    .await?;
    Ok(v.unwrap_or(0))
}

/// Columns of a table in one SQLite schema, in table order.
pub(crate) async fn columns_sqlite(
    conn: &mut SqliteConnection,
    schema: &str,
    table: &str,
) -> CoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info($1, $2)")
        .bind(table)
        .bind(schema)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter()
        .map(|(name,)| plain_identifier(&name).map(str::to_owned))
        .collect()
}

/// Columns of a table in the current PostgreSQL schema, with their data types, in table order.
pub(crate) async fn columns_pg(
    conn: &mut PgConnection,
    table: &str,
) -> CoreResult<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(name, ty)| plain_identifier(&name).map(|n| (n.to_owned(), ty)))
        .collect()
}

/// A readable list such as `users: 3, requests: 12`.
pub(crate) fn describe(counts: &[(&str, i64)]) -> String {
    let parts: Vec<String> = counts.iter().map(|(t, n)| format!("{t}: {n}")).collect();
    parts.join(", ")
}
