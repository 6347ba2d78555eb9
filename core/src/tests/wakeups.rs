//! Event-driven workers: a commit that queues outbox work wakes that topic's workers at once
//! (in process on SQLite, through LISTEN/NOTIFY on PostgreSQL), a rolled-back one wakes
//! nobody, and the worker loop picks queued work up without polling.

use std::time::Duration;

use super::harness::both_dbs;
use crate::domain::Timestamp;
use crate::error::{CoreError, CoreResult};
use crate::store::{Db, in_tx, outbox};

async fn queue(db: &Db, topic: &str, keep: bool) -> CoreResult<()> {
    in_tx(db, |tx| {
        Box::pin(async {
            outbox::enqueue(tx, topic, &serde_json::json!({ "n": 1 }), Timestamp::now()).await?;
            if keep {
                Ok(())
            } else {
                Err(CoreError::Validation("roll back".into()))
            }
        })
    })
    .await
}

/// Long enough for PostgreSQL to deliver a notification on a loaded machine; a guard against
/// hanging, not a speed check.
const GUARD: Duration = Duration::from_secs(20);

both_dbs!(a_commit_wakes_only_its_topic, |db| {
    let mut submit = db.subscribe("test.submit");
    let mut other = db.subscribe("test.other");
    if db.backend() == crate::store::Backend::Postgres {
        // The listener wakes every topic once its LISTEN is in place (one after the other, so
        // wait for both); from then on no commit is missed.
        for topic in [&mut submit, &mut other] {
            tokio::time::timeout(GUARD, topic.changed())
                .await
                .expect("the listener came up")
                .expect("channel open");
        }
    }
    submit.borrow_and_update();
    other.borrow_and_update();

    queue(&db, "test.submit", true).await.expect("queued");
    tokio::time::timeout(GUARD, submit.changed())
        .await
        .expect("the commit woke the topic's worker")
        .expect("channel open");
    assert!(
        !other.has_changed().expect("open"),
        "another topic stays asleep"
    );
});

#[tokio::test]
async fn a_rolled_back_queue_wakes_nobody_on_sqlite() {
    let test_db = super::harness::TestDb::sqlite().await;
    let db = test_db.db.clone();
    let mut submit = db.subscribe("test.submit");
    submit.borrow_and_update();
    assert!(queue(&db, "test.submit", false).await.is_err());
    assert!(
        !submit.has_changed().expect("open"),
        "nothing was committed"
    );
    queue(&db, "test.submit", true).await.expect("queued");
    assert!(
        submit.has_changed().expect("open"),
        "woken by the commit itself"
    );
    test_db.cleanup().await;
}

/// What the test's worker reports of each round: the rows it took.
type Rounds = tokio::sync::mpsc::UnboundedReceiver<Vec<i64>>;

/// Runs the shared loop on `test.loop` with both of its sleeps set to an hour, so within the
/// test's guard only a wake-up can start another round. Every round reports itself as failed
/// once it has done its work: the loop then goes straight to its (hour-long) wait, without
/// reading when the next row is due — a read that could find a row queued meanwhile and bring
/// it in without any wake-up. Returns the rounds as they end, the switch that stops the loop,
/// and the loop's task.
fn spawn_sleepy_worker(
    db: &Db,
) -> (
    Rounds,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (seen_tx, seen) = tokio::sync::mpsc::unbounded_channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker_db = db.clone();
    let worker = tokio::spawn(async move {
        let db = &worker_db;
        let round = || {
            let seen_tx = seen_tx.clone();
            async move {
                let rows = outbox::claim(
                    db,
                    "test.loop",
                    10,
                    Duration::from_secs(30),
                    Timestamp::now(),
                )
                .await?;
                let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
                for id in &ids {
                    outbox::complete(db, *id, Timestamp::now()).await?;
                }
                let _ = seen_tx.send(ids);
                CoreResult::<usize>::Err(CoreError::Validation("round reported".into()))
            }
        };
        let hour = Duration::from_secs(3600);
        let pace = crate::jobs::pace::Pace {
            backstop: hour,
            trouble: hour,
        };
        let shutdown = async {
            stopped.await.ok();
        };
        crate::jobs::pace::drive_paced(db, "test.loop", 10, pace, shutdown, round).await;
    });
    (seen, stop, worker)
}

/// Checks that no row of `topic` is left undelivered, then stops the test's loop, which must
/// end at once rather than after its hour-long sleep.
async fn all_done_then_stop(
    db: &Db,
    topic: &str,
    stop: tokio::sync::oneshot::Sender<()>,
    worker: tokio::task::JoinHandle<()>,
) {
    let left = outbox::pending(db, topic).await.expect("read");
    assert!(left.is_empty(), "{left:?}");
    let _ = stop.send(());
    tokio::time::timeout(GUARD, worker)
        .await
        .expect("the loop stops on shutdown at once, not after its hour")
        .expect("no panic");
}

both_dbs!(the_run_loop_takes_work_queued_while_it_sleeps, |db| {
    if db.backend() == crate::store::Backend::Postgres {
        // The listener wakes every topic once, when its LISTEN is in place; wait for that
        // here, so the round that takes the row below cannot be that wake-up's.
        let mut ready = db.subscribe("test.loop");
        tokio::time::timeout(GUARD, ready.changed())
            .await
            .expect("the listener came up")
            .expect("channel open");
    }
    let (mut rounds, stop, worker) = spawn_sleepy_worker(&db);
    // The first round found nothing and ended: the loop now sleeps for an hour.
    let first = tokio::time::timeout(GUARD, rounds.recv())
        .await
        .expect("the first round ran")
        .expect("a round");
    assert!(first.is_empty(), "{first:?}");

    for _ in 0..3 {
        queue(&db, "test.loop", true).await.expect("queued");
        let taken = tokio::time::timeout(GUARD, rounds.recv())
            .await
            .expect("the commit woke the loop: without it, the next round comes in an hour")
            .expect("a round");
        assert_eq!(taken.len(), 1, "the woken round took the row: {taken:?}");
    }
    all_done_then_stop(&db, "test.loop", stop, worker).await;
});

both_dbs!(a_retry_is_due_at_its_time, |db| {
    assert_eq!(
        outbox::next_due(&db, "test.retry").await.expect("read"),
        None
    );
    queue(&db, "test.retry", true).await.expect("queued");
    let now = Timestamp::now();
    let rows = outbox::claim(&db, "test.retry", 10, Duration::from_secs(30), now)
        .await
        .expect("claimed");
    let later = Duration::from_secs(90);
    outbox::retry_later(&db, &rows[0], "upstream down", later, now)
        .await
        .expect("put back");
    assert_eq!(
        outbox::next_due(&db, "test.retry").await.expect("read"),
        Some(now.plus(later)),
        "the worker sleeps until the retry is due, not a polling interval"
    );
});

#[tokio::test]
async fn another_process_writing_the_sqlite_file_wakes_the_workers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let options = crate::store::ConnectOptions::default();
    // Two pools on one file, each with its own wake-ups: what `usher serve` and another
    // `usher` process beside it have.
    let server = Db::connect(&url, &options).await.expect("server's pool");
    server.migrate().await.expect("migrate");
    let other = Db::connect(&url, &options)
        .await
        .expect("the other process's pool");
    let mut waiting = server.subscribe("test.cross");
    waiting.borrow_and_update();

    queue(&other, "test.cross", true)
        .await
        .expect("queued by the other process");
    tokio::time::timeout(GUARD, waiting.changed())
        .await
        .expect("the other process's commit woke the server's worker")
        .expect("channel open");
    assert!(
        dir.path().join("usher.db.wake").exists(),
        "the server listens beside the database file"
    );
}

both_dbs!(
    a_row_put_back_during_a_busy_round_comes_back_at_its_time,
    |db| {
        // The loop reads no due times after a round that did work; a row that round puts back for
        // later must still come back when due, not at the (hour-long) backstop.
        let (seen_tx, mut rounds) = tokio::sync::mpsc::unbounded_channel::<Vec<(i64, i32)>>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let worker_db = db.clone();
        let worker = tokio::spawn(async move {
            let db = &worker_db;
            let round = || {
                let seen_tx = seen_tx.clone();
                async move {
                    let lease = Duration::from_secs(30);
                    let rows = outbox::claim(db, "test.back", 10, lease, Timestamp::now()).await?;
                    for row in &rows {
                        if row.attempts == 0 {
                            let later = Duration::from_millis(300);
                            outbox::retry_later(db, row, "not yet", later, Timestamp::now())
                                .await?;
                        } else {
                            outbox::complete(db, row.id, Timestamp::now()).await?;
                        }
                    }
                    let _ = seen_tx.send(rows.iter().map(|r| (r.id, r.attempts)).collect());
                    CoreResult::<usize>::Ok(rows.len())
                }
            };
            let hour = Duration::from_secs(3600);
            let pace = crate::jobs::pace::Pace {
                backstop: hour,
                trouble: hour,
            };
            let shutdown = async {
                stopped.await.ok();
            };
            crate::jobs::pace::drive_paced(db, "test.back", 10, pace, shutdown, round).await;
        });
        // Rounds that took nothing (the first one, PostgreSQL's listener coming up) learn that
        // nothing waits; the row is queued after them, so the round that takes it starts from that.
        let empty = tokio::time::timeout(GUARD, rounds.recv())
            .await
            .expect("first round");
        assert_eq!(empty, Some(Vec::new()));
        if db.backend() == crate::store::Backend::Postgres {
            tokio::time::sleep(Duration::from_millis(500)).await; // the listener's wake-up round
        }
        let mut next_taken = async || loop {
            let taken = tokio::time::timeout(GUARD, rounds.recv())
                .await
                .expect("a round within the guard: a row put back wakes the loop when due")
                .expect("a round");
            if let [row] = taken[..] {
                return row;
            }
        };
        queue(&db, "test.back", true).await.expect("queued");
        let first = next_taken().await;
        assert_eq!(first.1, 0, "first attempt");
        let second = next_taken().await;
        assert_eq!(second, (first.0, 1), "the same row, on its second attempt");
        all_done_then_stop(&db, "test.back", stop, worker).await;
    }
);
