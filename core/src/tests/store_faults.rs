//! A write that fails in the storage itself (a full disk) must not wedge the store: nothing is
//! claimed as saved, the failure is visible to readiness checks, and writes work again as soon
//! as there is room, without a restart. SQLite's `max_page_count` makes writes fail with
//! `SQLITE_FULL` exactly as a full volume does; it is a per-connection setting, hence a pool of
//! one connection here.

use std::time::Duration;

use super::harness::{both_dbs, movie, user_with_role};
use crate::domain::Timestamp;
use crate::service::Services;
use crate::store::{ConnectOptions, Db, in_tx, on_pool, on_tx, outbox};
use crate::{CoreError, CoreResult};

/// Sets this pool's page limit (SQLite clamps a limit below the file's size to its size).
async fn set_max_pages(db: &Db, pages: u64) {
    let sql = format!("PRAGMA max_page_count = {pages}");
    on_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(pool).await.map(|_| ()))
        .expect("pragma");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_writes_plainly_and_they_recover_without_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let options = ConnectOptions {
        max_connections: 1,
        ..ConnectOptions::default()
    };
    let db = Db::connect(&url, &options).await.expect("sqlite");
    db.migrate().await.expect("migrate");
    let services = Services::new(db.clone());
    let (_, actor) = user_with_role(&services, 100, "member").await;
    assert!(!db.writes_failing());

    // The volume fills up: requests are refused, none claims success.
    set_max_pages(&db, 1).await;
    let mut failure = None;
    for n in 0..500 {
        let title = format!("Filler {n} {}", "x".repeat(200));
        match services
            .requests
            .create(&actor, movie(1000 + n, &title))
            .await
        {
            Ok(_) => continue,
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
    }
    let failure = failure.expect("a write failed once the volume was full");
    assert!(
        matches!(failure, CoreError::Database(_)) && failure.is_storage_failure(),
        "{failure:?}"
    );
    assert!(db.writes_failing(), "readiness sees the failed write");
    assert!(db.ping().await.is_ok(), "reads still work");
    assert!(db.writes_failing(), "until a write succeeds");

    // Room again: the very next write works, on the same pool, and readiness recovers.
    set_max_pages(&db, 1 << 30).await;
    let outcome = services
        .requests
        .create(&actor, movie(438631, "Dune"))
        .await
        .expect("writes work again without a restart");
    assert_eq!(outcome.request.media.title, "Dune");
    assert!(!db.writes_failing(), "a successful commit clears the flag");
    let second = services
        .requests
        .create(&actor, movie(27205, "Inception"))
        .await
        .expect("and keep working");
    assert_ne!(second.request.id, outcome.request.id);
    db.close().await;
}

/// A single statement on the writer queue (the outbox's claims, completions and retries, which
/// run without a transaction) counts like a commit: a full disk makes `/readyz` report it, and
/// the next write that works clears it, whichever path that write takes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_statement_on_a_full_disk_is_seen_by_readiness_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let options = ConnectOptions {
        max_connections: 1,
        ..ConnectOptions::default()
    };
    let db = Db::connect(&url, &options).await.expect("sqlite");
    db.migrate().await.expect("migrate");
    queue(&db, serde_json::json!({"n": 1}))
        .await
        .expect("queued");
    // Read after queueing: the row is due from its own commit's time, which a clock read
    // before it could precede by a millisecond (then nothing is due yet and the claim is empty).
    let now = Timestamp::now();
    let lease = Duration::from_secs(60);
    let claimed = outbox::claim(&db, "faults", 1, lease, now)
        .await
        .expect("claim");
    let row = claimed.first().expect("the queued row");
    assert!(!db.writes_failing());

    // The volume fills up: an error too long for the pages left cannot be written.
    set_max_pages(&db, 1).await;
    let long = "x".repeat(256 * 1024);
    let failed = outbox::retry_later(&db, row, &long, lease, now).await;
    let err = failed.expect_err("no room for the error");
    assert!(err.is_storage_failure(), "{err:?}");
    assert!(db.writes_failing(), "readiness sees the failed statement");

    // Room again: the next single statement clears it…
    set_max_pages(&db, 1 << 30).await;
    outbox::retry_later(&db, row, "short", lease, now)
        .await
        .expect("the statement works again");
    assert!(
        !db.writes_failing(),
        "a statement that works clears the flag"
    );

    // …and one that fails for another reason than the storage leaves it alone: a failed
    // transaction sets the flag, a refused statement does not clear it, a good one does.
    set_max_pages(&db, 1).await;
    let refused = queue(&db, serde_json::json!({ "pad": long })).await;
    assert!(refused.is_err_and(|e| e.is_storage_failure()));
    assert!(db.writes_failing());
    set_max_pages(&db, 1 << 30).await;
    let busy = on_writer_refused(&db).await;
    assert!(busy.is_err_and(|e| !e.is_storage_failure()));
    assert!(
        db.writes_failing(),
        "a refused statement says nothing about the storage"
    );
    outbox::complete(&db, row.id, now).await.expect("completed");
    assert!(!db.writes_failing());
    db.close().await;
}

/// Queues an outbox row in a transaction of its own.
async fn queue(db: &Db, payload: serde_json::Value) -> CoreResult<()> {
    in_tx(db, |tx| {
        Box::pin(async { outbox::enqueue(tx, "faults", &payload, Timestamp::now()).await })
    })
    .await
}

/// A single statement on the writer queue that the database refuses by a rule (a missing
/// table), not for want of room.
async fn on_writer_refused(db: &Db) -> CoreResult<()> {
    crate::store::on_writer!(db, pool => sqlx::query("UPDATE no_such_table SET x = 1")
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Runs one statement with one bound number in a write transaction of its own.
async fn write(db: &Db, sql: &'static str, n: i64) -> CoreResult<()> {
    in_tx(db, |tx| {
        Box::pin(async {
            on_tx!(tx, conn => sqlx::query(sql).bind(n).execute(conn).await.map(|_| ()))?;
            Ok(())
        })
    })
    .await
}

both_dbs!(a_refused_commit_leaves_every_connection_writable, |db| {
    for sql in [
        "CREATE TABLE fault_parent (id INTEGER PRIMARY KEY)",
        "CREATE TABLE fault_child (p INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED)",
    ] {
        on_pool!(&db, pool => sqlx::query(sql).execute(pool).await.map(|_| ())).expect("table");
    }
    // The deferred constraint fails the COMMIT itself, on both databases.
    for n in 0..3 {
        let refused = write(&db, "INSERT INTO fault_child (p) VALUES ($1)", 100 + n).await;
        assert!(refused.is_err(), "the orphan is refused at COMMIT");
        assert!(
            !db.writes_failing(),
            "a refused commit is not a storage failure: {refused:?}"
        );
    }
    // Whatever connection the pool hands out next is clean: more writes than connections.
    for n in 0..20 {
        write(&db, "INSERT INTO fault_parent (id) VALUES ($1)", n)
            .await
            .expect("writes after a refused commit");
    }
    write(&db, "INSERT INTO fault_child (p) VALUES ($1)", 3)
        .await
        .expect("a valid child");
});
