//! `usher backup`: a consistent copy taken while Usher keeps serving.
//!
//! SQLite: `VACUUM INTO` writes a compact copy of the database as one read transaction sees it.
//! PostgreSQL: a data-only SQL file of our tables (see [`super::sql_script`]), read inside one
//! `REPEATABLE READ, READ ONLY` transaction, so every table comes from the same snapshot.
//! Either way the file is written under a temporary name and renamed when complete, so a
//! backup that fails half way never leaves a file that looks finished.

use std::path::{Path, PathBuf};

use futures_util::TryStreamExt;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};
use tokio::io::AsyncWriteExt;

use super::sql_script;
use super::tables::{self, TABLES, Table};
use crate::domain::Timestamp;
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, SqliteDb};

/// What kind of file a backup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFormat {
    /// A complete SQLite database file.
    Sqlite,
    /// A PostgreSQL data-only SQL script.
    PostgresSql,
}

/// What a backup wrote, for the operator.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    /// The finished file.
    pub path: PathBuf,
    /// Its format.
    pub format: BackupFormat,
    /// Rows per table in the backup.
    pub rows: Vec<(&'static str, i64)>,
    /// File size.
    pub bytes: u64,
}

/// Writes a consistent backup of the whole database to `path`, which must not exist yet.
pub async fn backup(db: &Db, path: &Path) -> CoreResult<BackupSummary> {
    if path.exists() {
        return Err(CoreError::Conflict(format!(
            "{} already exists; choose a new file name",
            path.display()
        )));
    }
    let partial = partial_path(path);
    remove_if_present(&partial).await?;
    let result = match db {
        Db::Sqlite(SqliteDb { pool, .. }) => {
            let mut conn = pool.acquire().await?;
            backup_sqlite(&mut conn, &partial).await
        }
        Db::Postgres(crate::store::PgDb { pool, .. }) => {
            let mut conn = pool.acquire().await?;
            backup_pg(&mut conn, &partial).await
        }
    };
    let (format, rows) = match result {
        Ok(done) => done,
        Err(err) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(err);
        }
    };
    tokio::fs::rename(&partial, path)
        .await
        .map_err(|e| io_error(path, e))?;
    let bytes = tokio::fs::metadata(path)
        .await
        .map_err(|e| io_error(path, e))?
        .len();
    Ok(BackupSummary {
        path: path.to_owned(),
        format,
        rows,
        bytes,
    })
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

async fn remove_if_present(path: &Path) -> CoreResult<()> {
    match tokio::fs::remove_file(path).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, e)),
        _ => Ok(()),
    }
}

pub(crate) fn io_error(path: &Path, err: std::io::Error) -> CoreError {
    CoreError::Validation(format!("{}: {err}", path.display()))
}

/// `VACUUM INTO`, then open the copy read-only to check it and count its rows.
async fn backup_sqlite(
    conn: &mut SqliteConnection,
    partial: &Path,
) -> CoreResult<(BackupFormat, Vec<(&'static str, i64)>)> {
    let target = partial
        .to_str()
        .ok_or_else(|| CoreError::Validation("the backup path must be valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&mut *conn)
        .await?;
    let opts = SqliteConnectOptions::new()
        .filename(partial)
        .read_only(true);
    let mut copy = SqliteConnection::connect_with(&opts).await?;
    let counted = tables::counts_sqlite(&mut copy, "main").await;
    copy.close().await?;
    Ok((BackupFormat::Sqlite, counted?))
}

/// The SQL dump, from one snapshot.
async fn backup_pg(
    conn: &mut PgConnection,
    partial: &Path,
) -> CoreResult<(BackupFormat, Vec<(&'static str, i64)>)> {
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(partial)
        .await
        .map_err(|e| io_error(partial, e))?;
    let mut out = tokio::io::BufWriter::new(file);
    let mut tx = conn
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await?;
    let version = tables::version_pg(&mut tx).await?;
    let header = sql_script::header(version, &Timestamp::now().to_rfc3339());
    write(&mut out, partial, header.as_bytes()).await?;
    let mut rows = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let n = dump_table(&mut tx, table, &mut out, partial).await?;
        rows.push((table.name, n));
    }
    for table in TABLES {
        if let Some(column) = table.identity {
            let line = setval_line(&mut tx, table, column).await?;
            write(&mut out, partial, line.as_bytes()).await?;
        }
    }
    write(&mut out, partial, sql_script::FOOTER.as_bytes()).await?;
    tx.rollback().await?;
    out.flush().await.map_err(|e| io_error(partial, e))?;
    out.get_mut()
        .sync_all()
        .await
        .map_err(|e| io_error(partial, e))?;
    Ok((BackupFormat::PostgresSql, rows))
}

async fn write(
    out: &mut tokio::io::BufWriter<tokio::fs::File>,
    path: &Path,
    bytes: &[u8],
) -> CoreResult<()> {
    out.write_all(bytes).await.map_err(|e| io_error(path, e))
}

/// Lets PostgreSQL render each row as a `VALUES` tuple: numbers bare, booleans as `true` /
/// `false`, everything else through `quote_nullable`, so the file loads back byte for byte.
fn literal(column: &str, data_type: &str) -> String {
    match data_type {
        "bigint" | "integer" | "smallint" | "numeric" | "real" | "double precision" => {
            format!("COALESCE({column}::text, 'NULL')")
        }
        "boolean" => format!(
            "CASE WHEN {column} IS NULL THEN 'NULL' WHEN {column} THEN 'true' ELSE 'false' END"
        ),
        _ => format!("quote_nullable({column})"),
    }
}

/// Writes one `INSERT` per row; returns how many.
async fn dump_table(
    conn: &mut PgConnection,
    table: &Table,
    out: &mut tokio::io::BufWriter<tokio::fs::File>,
    path: &Path,
) -> CoreResult<i64> {
    let columns = tables::columns_pg(conn, table.name).await?;
    if columns.is_empty() {
        return Err(CoreError::Unexpected(anyhow::anyhow!(
            "table {} is missing; is the database migrated?",
            table.name
        )));
    }
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let values: Vec<String> = columns.iter().map(|(n, t)| literal(n, t)).collect();
    let prefix = format!("INSERT INTO {} ({}) VALUES (", table.name, names.join(", "));
    let select = format!(
        "SELECT {} FROM {} ORDER BY {}",
        values.join(" || ', ' || "),
        table.name,
        table.order_by
    );
    let mut stream = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(select)).fetch(conn);
    let mut n = 0;
    while let Some(tuple) = stream.try_next().await? {
        write(out, path, prefix.as_bytes()).await?;
        write(out, path, tuple.as_bytes()).await?;
        write(out, path, b");\n").await?;
        n += 1;
    }
    Ok(n)
}

/// Moves the identity sequence past both the highest id in the snapshot and the value the
/// sequence had reached, so ids of deleted rows are not handed out again after a restore.
async fn setval_line(conn: &mut PgConnection, table: &Table, column: &str) -> CoreResult<String> {
    let sql = format!(
        "SELECT COALESCE(MAX({column}), 0),
                pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass)
         FROM {}",
        table.name
    );
    let (max_id, last): (i64, Option<i64>) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(table.name)
        .bind(column)
        .fetch_one(&mut *conn)
        .await?;
    let value = max_id.max(last.unwrap_or(0));
    let (value, called) = if value > 0 {
        (value, "true")
    } else {
        (1, "false")
    };
    Ok(format!(
        "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('{}', '{column}'), {value}, {called});\n",
        table.name
    ))
}
