//! Backup and restore on both databases: every table round-trips row for row, sequences and
//! the audit log's guard survive, and a non-empty database is only replaced when forced.

use std::collections::BTreeSet;

use super::harness::{both_dbs, count};
use super::ops_fixture::{fresh_like, populate_everything, table_rows};
use crate::CoreError;
use crate::domain::Timestamp;
use crate::ops::{self, BackupFormat, RestoreOptions, tables::TABLES};
use crate::store::{Db, on_pool, users};

async fn schema_tables(db: &Db) -> BTreeSet<String> {
    let rows: Vec<(String,)> = on_pool!(db, pool => sqlx::query_as(match db {
        Db::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        Db::Postgres(_) => "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
    })
    .fetch_all(pool)
    .await)
    .expect("tables");
    rows.into_iter().map(|(t,)| t).collect()
}

both_dbs!(backup_covers_exactly_the_schema_tables, |db| {
    let listed: BTreeSet<String> = TABLES
        .iter()
        .map(|t| t.name.to_owned())
        .chain(crate::ops::tables::DERIVED.iter().map(|t| (*t).to_owned()))
        .collect();
    assert_eq!(schema_tables(&db).await, listed);
});

both_dbs!(backup_and_restore_round_trip_every_table, |db| {
    let dir = tempfile::tempdir().expect("dir");
    populate_everything(&db, dir.path()).await;
    let file = dir.path().join("usher.backup");
    let summary = ops::backup(&db, &file).await.expect("backup");
    let expected_format = match db {
        Db::Sqlite(_) => BackupFormat::Sqlite,
        Db::Postgres(_) => BackupFormat::PostgresSql,
    };
    assert_eq!(summary.format, expected_format);
    assert!(summary.bytes > 0 && summary.rows.iter().all(|(_, n)| *n > 0));
    assert!(
        ops::backup(&db, &file).await.is_err(),
        "an existing file is never overwritten"
    );

    let target = fresh_like(&db).await;
    let restored = ops::restore(&target.db, &file, &RestoreOptions::default())
        .await
        .expect("restore");
    assert_eq!(restored.rows, summary.rows);
    for table in TABLES {
        assert_eq!(
            table_rows(&target.db, table).await,
            table_rows(&db, table).await,
            "table {} differs after restore",
            table.name
        );
    }

    // New rows continue after the restored ids, and the audit log is still append-only.
    let mut tx = target.db.begin().await.expect("tx");
    let user = users::insert_user(&mut tx, "after restore", Timestamp::now())
        .await
        .expect("insert after restore");
    tx.commit().await.expect("commit");
    let (max_before,): (i64,) = on_pool!(&db, pool => sqlx::query_as("SELECT MAX(id) FROM users")
        .fetch_one(pool).await)
    .expect("max id");
    assert!(user.id.0 > max_before, "{} > {max_before}", user.id.0);
    let update = on_pool!(&target.db, pool => sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(pool).await.map(|_| ()));
    assert!(update.is_err(), "audit log guard restored");
    target.cleanup().await;
});

both_dbs!(restore_refuses_a_non_empty_database_unless_forced, |db| {
    let dir = tempfile::tempdir().expect("dir");
    populate_everything(&db, dir.path()).await;
    let file = dir.path().join("usher.backup");
    ops::backup(&db, &file).await.expect("backup");
    let before: Vec<i64> = all_counts(&db).await;

    let refused = ops::restore(&db, &file, &RestoreOptions::default()).await;
    assert!(
        matches!(&refused, Err(CoreError::Conflict(m)) if m.contains("not empty") && m.contains("users")),
        "{refused:?}"
    );
    assert_eq!(all_counts(&db).await, before, "nothing written");

    let forced = ops::restore(&db, &file, &RestoreOptions { force: true })
        .await
        .expect("forced restore");
    assert_eq!(
        forced.rows.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        before
    );
    let delete = on_pool!(&db, pool => sqlx::query("DELETE FROM audit_log")
        .execute(pool).await.map(|_| ()));
    assert!(
        delete.is_err(),
        "audit log guard back after a forced restore"
    );
});

both_dbs!(restore_refuses_foreign_and_truncated_files, |db| {
    let dir = tempfile::tempdir().expect("dir");
    let junk = dir.path().join("junk.sql");
    std::fs::write(&junk, "SELECT 1;\n").expect("write");
    let err = ops::restore(&db, &junk, &RestoreOptions::default()).await;
    assert!(matches!(err, Err(CoreError::Validation(_))), "{err:?}");
    let cut = dir.path().join("cut.sql");
    std::fs::write(
        &cut,
        "-- Usher backup: cut\n-- schema-version: 1\nBEGIN;\nDELETE FROM roles;\n\
         INSERT INTO users (id, display_name, disabled, created_at, updated_at) VALUES (1, 'x', false, 0, 0);\n",
    )
    .expect("write");
    let err = ops::restore(&db, &cut, &RestoreOptions::default()).await;
    let message = format!("{err:?}");
    match db {
        Db::Sqlite(_) => assert!(message.contains("PostgreSQL backup"), "{message}"),
        Db::Postgres(_) => assert!(message.contains("cut short"), "{message}"),
    }
    assert_eq!(count(&db, "users").await, 0);
    assert_eq!(count(&db, "roles").await, 4, "seeded roles untouched");
});

async fn all_counts(db: &Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(count(db, table.name).await);
    }
    counts
}
