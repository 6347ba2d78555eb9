//! `usher backup` and `usher restore`: open the configured database and hand over to
//! `usher_core::ops`, then say what was written or loaded.

use std::path::Path;

use anyhow::Context;
use usher_core::config::Settings;
use usher_core::ops::{self, BackupFormat, RestoreOptions};
use usher_core::store::{ConnectOptions, Db};

use crate::startup;
use crate::telemetry::say;

/// `usher backup <file>`. Connects without migrating: a backup changes nothing.
pub async fn backup(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let db = Db::connect(settings.database_url.as_str(), &ConnectOptions::default())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    let result = ops::backup(&db, file).await;
    db.close().await;
    let summary = result.context("backup failed")?;
    let kind = match summary.format {
        BackupFormat::Sqlite => "SQLite database file",
        BackupFormat::PostgresSql => "PostgreSQL SQL script",
    };
    say!(
        "backup written to {} ({kind}, {} bytes)",
        summary.path.display(),
        summary.bytes
    );
    print_rows(&summary.rows);
    say!(
        "keep the secret key (USHER_SECRET_KEY or data/secret.key) with it: sealed settings need it"
    );
    Ok(())
}

/// `usher restore <file> [--force]`. Migrates the target first, so it has every table.
pub async fn restore(settings: &Settings, file: &Path, force: bool) -> anyhow::Result<()> {
    let db = startup::open_database(settings).await?;
    let result = ops::restore(&db, file, &RestoreOptions { force }).await;
    db.close().await;
    let summary = result.context("restore failed")?;
    say!(
        "restored {} (schema version {}) into {}",
        file.display(),
        summary.backup_version,
        settings.database_url
    );
    print_rows(&summary.rows);
    Ok(())
}

fn print_rows(rows: &[(&str, i64)]) {
    let parts: Vec<String> = rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    say!("rows: {}", parts.join(", "));
}
