//! `usher restore`: loads a backup into an empty, migrated database of the same kind, in one
//! transaction — either all of it is restored or nothing changes.
//!
//! An SQLite backup is attached and copied table by table; a PostgreSQL backup is replayed
//! statement by statement. A database that already holds data is refused unless the operator
//! asks for `force`, which empties our tables first, inside the same transaction. That is the one
//! place the append-only audit log is emptied: on SQLite its guard triggers are dropped and
//! recreated within the transaction; on PostgreSQL `TRUNCATE` is used, which row triggers do not
//! see. No other session ever observes the log unguarded.

use std::path::Path;

use sqlx::{Connection, PgPool, SqliteConnection, SqlitePool};
use tokio::io::AsyncReadExt;

use super::backup::{BackupFormat, io_error};
use super::sql_script::{self, ScriptReader};
use super::tables::{self, TABLES};
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, SqliteDb};

/// How to restore.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestoreOptions {
    /// Replace whatever the database holds instead of refusing a non-empty one.
    pub force: bool,
}

/// What a restore loaded.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    /// The backup's format.
    pub format: BackupFormat,
    /// The schema version the backup was taken at.
    pub backup_version: i64,
    /// Rows per table after the restore.
    pub rows: Vec<(&'static str, i64)>,
}

const ATTACHED: &str = "usher_backup";
/// Statements sent to PostgreSQL per round trip.
const BATCH: usize = 500;

/// Restores `path` into `db` (already migrated). SQLite backups go into SQLite, SQL backups into
/// PostgreSQL; anything else is refused before a byte is written.
pub async fn restore(db: &Db, path: &Path, options: &RestoreOptions) -> CoreResult<RestoreSummary> {
    let format = detect(path).await?;
    match (db, format) {
        (Db::Sqlite(SqliteDb { pool, .. }), BackupFormat::Sqlite) => {
            restore_sqlite(pool, path, options).await
        }
        (Db::Postgres(crate::store::PgDb { pool, .. }), BackupFormat::PostgresSql) => {
            restore_pg(pool, path, options).await
        }
        (Db::Sqlite(_), BackupFormat::PostgresSql) => Err(CoreError::Validation(format!(
            "{} is a PostgreSQL backup; restore it with the database URL pointing at PostgreSQL",
            path.display()
        ))),
        (Db::Postgres(_), BackupFormat::Sqlite) => Err(CoreError::Validation(format!(
            "{} is an SQLite backup; restore it with the database URL pointing at an SQLite file",
            path.display()
        ))),
    }
}

/// Tells the two backup formats apart by their first bytes.
async fn detect(path: &Path) -> CoreResult<BackupFormat> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, e))?;
    let mut head = Vec::with_capacity(16);
    (&mut file)
        .take(16)
        .read_to_end(&mut head)
        .await
        .map_err(|e| io_error(path, e))?;
    if head.as_slice() == b"SQLite format 3\0" {
        Ok(BackupFormat::Sqlite)
    } else if head.starts_with(sql_script::MARK.as_bytes()) {
        Ok(BackupFormat::PostgresSql)
    } else {
        Err(CoreError::Validation(format!(
            "{} is not an Usher backup",
            path.display()
        )))
    }
}

fn refuse_newer(backup: i64, ours: i64) -> CoreResult<()> {
    if backup > ours {
        return Err(CoreError::Validation(format!(
            "the backup has schema version {backup} but this Usher knows only {ours}; \
             restore it with the Usher release that took it (or newer)"
        )));
    }
    Ok(())
}

fn refuse_non_empty(found: &[(&str, i64)]) -> CoreResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    Err(CoreError::Conflict(format!(
        "the database is not empty ({}); restore into a fresh database, or pass --force to \
         replace everything in it",
        tables::describe(found)
    )))
}

async fn restore_sqlite(
    pool: &SqlitePool,
    path: &Path,
    options: &RestoreOptions,
) -> CoreResult<RestoreSummary> {
    let file = path
        .to_str()
        .ok_or_else(|| CoreError::Validation("the backup path must be valid UTF-8".into()))?;
    let mut conn = pool.acquire().await?;
    // The connection carries the attachment; never hand it back to the pool.
    conn.close_on_drop();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ATTACH DATABASE $1 AS {ATTACHED}"
    )))
    .bind(file)
    .persistent(false)
    .execute(&mut *conn)
    .await?;
    let result = copy_attached(&mut conn, options).await;
    let detach = sqlx::AssertSqlSafe(format!("DETACH DATABASE {ATTACHED}"));
    let _ = sqlx::query(detach)
        .persistent(false)
        .execute(&mut *conn)
        .await;
    result
}

async fn copy_attached(
    conn: &mut SqliteConnection,
    options: &RestoreOptions,
) -> CoreResult<RestoreSummary> {
    let backup_version = tables::version_sqlite(conn, ATTACHED).await?;
    if backup_version == 0 {
        return Err(CoreError::Validation(
            "the SQLite file is not an Usher database".into(),
        ));
    }
    refuse_newer(backup_version, tables::version_sqlite(conn, "main").await?)?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    if options.force {
        clear_sqlite(&mut tx).await?;
    } else {
        refuse_non_empty(&tables::non_empty_sqlite(&mut tx).await?)?;
    }
    // Only the seeded built-in roles are left; the backup brings its own.
    run(&mut tx, "DELETE FROM main.roles".to_owned()).await?;
    for table in TABLES {
        let ours = tables::columns_sqlite(&mut tx, "main", table.name).await?;
        let theirs = tables::columns_sqlite(&mut tx, ATTACHED, table.name).await?;
        if theirs.is_empty() {
            continue; // a table added after the backup was taken
        }
        let common: Vec<&str> = ours
            .iter()
            .filter(|c| theirs.contains(c))
            .map(String::as_str)
            .collect();
        let list = common.join(", ");
        let name = table.name;
        run(
            &mut tx,
            format!("INSERT INTO main.{name} ({list}) SELECT {list} FROM {ATTACHED}.{name}"),
        )
        .await?;
        if table.identity.is_some() {
            keep_sequence(&mut tx, name).await?;
        }
    }
    for statement in tables::REBUILD_DERIVED {
        run(&mut tx, statement.to_owned()).await?;
    }
    let rows = tables::counts_sqlite(&mut tx, "main").await?;
    tx.commit().await?;
    Ok(RestoreSummary {
        format: BackupFormat::Sqlite,
        backup_version,
        rows,
    })
}

async fn run(conn: &mut SqliteConnection, sql: String) -> CoreResult<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Empties our tables, children first. The audit log's guard triggers are dropped for the
/// deletes and recreated from their stored definitions before the transaction ends.
async fn clear_sqlite(conn: &mut SqliteConnection) -> CoreResult<()> {
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, _) in &triggers {
        let name = tables::plain_identifier(name)?;
        run(conn, format!("DROP TRIGGER main.{name}")).await?;
    }
    for table in TABLES.iter().rev() {
        run(conn, format!("DELETE FROM main.{}", table.name)).await?;
    }
    for (_, sql) in triggers {
        run(conn, sql).await?;
    }
    Ok(())
}

/// Carries the backup's AUTOINCREMENT high-water mark over, so ids of rows deleted before the
/// backup are not reused after it.
async fn keep_sequence(conn: &mut SqliteConnection, table: &str) -> CoreResult<()> {
    let theirs: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT seq FROM {ATTACHED}.sqlite_sequence WHERE name = $1"
    )))
    .bind(table)
    .persistent(false)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((theirs,)) = theirs else {
        return Ok(());
    };
    let updated = sqlx::query("UPDATE main.sqlite_sequence SET seq = MAX(seq, $2) WHERE name = $1")
        .bind(table)
        .bind(theirs)
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO main.sqlite_sequence (name, seq) VALUES ($1, $2)")
            .bind(table)
            .bind(theirs)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn restore_pg(
    pool: &PgPool,
    path: &Path,
    options: &RestoreOptions,
) -> CoreResult<RestoreSummary> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error(path, e))?;
    let mut script = ScriptReader::open(tokio::io::BufReader::new(file)).await?;
    let mut tx = pool.begin().await?;
    refuse_newer(script.version, tables::version_pg(&mut tx).await?)?;
    if options.force {
        // Row triggers (the audit log's guard) do not fire on TRUNCATE.
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        let sql = format!("TRUNCATE {} RESTART IDENTITY", names.join(", "));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await?;
    } else {
        refuse_non_empty(&tables::non_empty_pg(&mut tx).await?)?;
    }
    let mut batch = String::new();
    let mut in_batch = 0;
    loop {
        let next = script.next_statement().await?;
        let done = next.is_none();
        if let Some(statement) = next {
            batch.push_str(&statement);
            in_batch += 1;
        }
        if (done || in_batch == BATCH) && !batch.is_empty() {
            let sql = std::mem::take(&mut batch);
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await?;
            in_batch = 0;
        }
        if done {
            break;
        }
    }
    for statement in tables::REBUILD_DERIVED {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    let rows = tables::counts_pg(&mut tx).await?;
    tx.commit().await?;
    Ok(RestoreSummary {
        format: BackupFormat::PostgresSql,
        backup_version: script.version,
        rows,
    })
}
