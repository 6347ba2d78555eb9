//! `in_tx`: a body that meets a transient conflict runs again in a fresh transaction, its first
//! attempt's writes rolled back; a lasting conflict gives up after five attempts; any other
//! error is returned at once with nothing written; `return` in a body ends only that body.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU32, Ordering};

use super::harness::both_dbs;
use crate::store::{Db, Tx, in_tx, on_pool, on_tx};
use crate::{CoreError, CoreResult};

/// SQLite's "database is locked" (`SQLITE_BUSY`), as a stand-in: inside a transaction that
/// already holds SQLite's writer lock no statement can meet it, so a test cannot provoke it.
#[derive(Debug)]
struct Busy;

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("database is locked")
    }
}

impl std::error::Error for Busy {}

impl sqlx::error::DatabaseError for Busy {
    fn message(&self) -> &str {
        "database is locked"
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed("5"))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

/// A conflict the database calls transient: on PostgreSQL a serialization failure raised by
/// the server itself (which aborts the transaction, as a real one does); on SQLite [`Busy`].
async fn conflict(tx: &mut Tx) -> CoreError {
    let raised = match tx {
        Tx::Sqlite(..) => return CoreError::Database(sqlx::Error::Database(Box::new(Busy))),
        Tx::Postgres(..) => on_tx!(tx, conn => sqlx::query(
            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
        )
        .execute(conn)
        .await
        .map(|_| ())),
    };
    match raised {
        Err(err) => CoreError::from(err),
        Ok(_) => panic!("the server raised no conflict"),
    }
}

async fn probe_table(db: &Db) {
    on_pool!(db, pool => sqlx::query("CREATE TABLE tx_probe (n BIGINT NOT NULL)")
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("probe table");
}

async fn insert(tx: &mut Tx, n: u32) -> CoreResult<()> {
    on_tx!(tx, conn => sqlx::query("INSERT INTO tx_probe (n) VALUES ($1)")
        .bind(i64::from(n))
        .execute(conn)
        .await
        .map(|_| ()))?;
    Ok(())
}

async fn stored(db: &Db) -> Vec<i64> {
    on_pool!(db, pool => sqlx::query_scalar::<_, i64>("SELECT n FROM tx_probe ORDER BY n")
        .fetch_all(pool)
        .await)
    .expect("probe rows")
}

both_dbs!(
    a_transient_conflict_runs_the_body_again_from_scratch,
    |db| {
        probe_table(&db).await;
        let attempts = AtomicU32::new(0);
        let result = in_tx(&db, |tx| {
            Box::pin(async {
                let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                insert(tx, attempt).await?;
                if attempt == 1 {
                    return Err(conflict(tx).await);
                }
                Ok(attempt)
            })
        })
        .await;
        assert_eq!(result.expect("second attempt commits"), 2);
        assert_eq!(attempts.load(Ordering::SeqCst), 2);
        assert_eq!(stored(&db).await, [2], "the first attempt was rolled back");
    }
);

both_dbs!(a_lasting_conflict_gives_up_after_five_attempts, |db| {
    probe_table(&db).await;
    let attempts = AtomicU32::new(0);
    let result: CoreResult<()> = in_tx(&db, |tx| {
        Box::pin(async {
            let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
            insert(tx, attempt).await?;
            Err(conflict(tx).await)
        })
    })
    .await;
    let err = result.expect_err("never commits");
    assert!(err.is_transient(), "the last conflict is returned: {err:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 5);
    assert!(stored(&db).await.is_empty(), "nothing was written");
    // The pool is left clean: the next transaction commits.
    in_tx(&db, |tx| Box::pin(async { insert(tx, 9).await }))
        .await
        .expect("a later write");
    assert_eq!(stored(&db).await, [9]);
});

both_dbs!(
    other_errors_roll_back_at_once_and_return_ends_the_body,
    |db| {
        probe_table(&db).await;
        let attempts = AtomicU32::new(0);
        let refused: CoreResult<()> = in_tx(&db, |tx| {
            Box::pin(async {
                attempts.fetch_add(1, Ordering::SeqCst);
                insert(tx, 1).await?;
                refuse(true)?;
                insert(tx, 2).await
            })
        })
        .await;
        assert!(
            matches!(refused, Err(CoreError::Validation(_))),
            "{refused:?}"
        );
        assert_eq!(attempts.load(Ordering::SeqCst), 1, "not retried");
        assert!(stored(&db).await.is_empty(), "rolled back");

        // An early `return Ok` commits what the body wrote before it, and skips the rest.
        let kept = in_tx(&db, |tx| {
            Box::pin(async {
                insert(tx, 3).await?;
                if std::hint::black_box(true) {
                    return Ok("early");
                }
                insert(tx, 4).await?;
                Ok("late")
            })
        })
        .await;
        assert_eq!(kept.expect("commits"), "early");
        assert_eq!(stored(&db).await, [3]);
    }
);

/// A rule's refusal, decided at run time so the code after its `?` is kept.
fn refuse(refused: bool) -> CoreResult<()> {
    if std::hint::black_box(refused) {
        return Err(CoreError::Validation("refused".into()));
    }
    Ok(())
}
