//! SQLite connections the store keeps out of sqlx's pool between uses.
//!
//! sqlx tests every connection handed back to its pool with a ping, and on SQLite a ping is a
//! round trip through the connection's worker thread: two more thread hand-offs for every
//! statement run on the pool, as many as the statement itself costs. The store lends its
//! connections from [`Kept`] instead and puts a connection back as it is when the work on it
//! succeeded. One that comes back in any other state (work that was cancelled or failed, a
//! transaction left open) goes back to sqlx, which pings it and closes it if need be, exactly
//! as before.
//!
//! At most one connection fewer than the pool's size is kept, so code that takes a connection
//! from the pool itself (migrations, backups) always finds one.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteTransactionManager;
use sqlx::{Connection, Pool, SqlSafeStr, Sqlite, SqliteConnection, SqlitePool};
use sqlx_core::transaction::TransactionManager;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The connections kept between uses, and the pool they came from. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Kept {
    inner: Arc<Shelf>,
}

#[derive(Debug)]
struct Shelf {
    pool: SqlitePool,
    idle: Mutex<Vec<PoolConnection<Sqlite>>>,
    /// How many connections may be kept idle.
    room: usize,
    /// One per connection of the pool: a lender waits here, not in the pool, so it is woken by
    /// a connection put back on the shelf as well as by one returned to the pool.
    turns: Arc<Semaphore>,
}

impl Kept {
    /// Keeps connections of `pool` (all but one of its size) between uses.
    pub fn new(pool: SqlitePool) -> Self {
        let size = usize::try_from(pool.options().get_max_connections()).unwrap_or(1);
        Self {
            inner: Arc::new(Shelf {
                pool,
                idle: Mutex::new(Vec::new()),
                room: size.saturating_sub(1),
                turns: Arc::new(Semaphore::new(size.max(1))),
            }),
        }
    }

    /// A connection outside any transaction: a kept one, else a clean one from the pool (see
    /// [`clean_connection`]).
    pub async fn lend(&self) -> Result<Lent, sqlx::Error> {
        let turn = self
            .inner
            .turns
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        if let Some(conn) = self.take_idle() {
            return Ok(Lent::new(conn, &self.inner, turn));
        }
        let conn = clean_connection(&self.inner.pool).await?;
        Ok(Lent::new(conn, &self.inner, turn))
    }

    /// Hands every kept connection back to the pool (before the pool closes).
    pub fn release_all(&self) {
        let idle = std::mem::take(&mut *self.inner.idle.lock().unwrap_or_else(|p| p.into_inner()));
        drop(idle);
    }

    /// How many connections are kept idle right now.
    #[cfg(test)]
    fn idle(&self) -> usize {
        self.inner
            .idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    fn take_idle(&self) -> Option<PoolConnection<Sqlite>> {
        self.inner
            .idle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
    }
}

/// A pooled connection that is not inside a transaction. A COMMIT or statement that fails
/// with a full disk or an I/O error makes SQLite roll the transaction back by itself; sqlx's
/// own ROLLBACK then fails and the connection goes back to the pool still counted as inside a
/// transaction, so every later `BEGIN` on it would fail ("at non-zero transaction depth")
/// until a restart. Such a connection is taken out of the pool and closed (closing rolls back
/// whatever may still be open) and another one is taken.
pub(super) async fn clean_connection<DB: sqlx::Database>(
    pool: &Pool<DB>,
) -> Result<PoolConnection<DB>, sqlx::Error> {
    // Each dirty connection found is closed, so at most the pool's size of them can be found.
    for _ in 0..=pool.options().get_max_connections() {
        let conn = pool.acquire().await?;
        if !conn.is_in_transaction() {
            return Ok(conn);
        }
        tracing::warn!("closing a database connection that a failed transaction left open");
        if let Err(error) = conn.detach().close().await {
            tracing::debug!(%error, "closing the dirty connection failed");
        }
    }
    Err(sqlx::Error::Protocol(
        "every database connection was left inside a failed transaction".into(),
    ))
}

/// A connection lent by [`Kept`]. Dropped after [`Lent::finished`], outside a transaction, it
/// is kept for the next use; dropped any other way, it goes back to sqlx's pool.
#[derive(Debug)]
pub struct Lent {
    conn: Option<PoolConnection<Sqlite>>,
    finished: bool,
    shelf: Arc<Shelf>,
    _turn: OwnedSemaphorePermit,
}

impl Lent {
    fn new(conn: PoolConnection<Sqlite>, shelf: &Arc<Shelf>, turn: OwnedSemaphorePermit) -> Self {
        Self {
            conn: Some(conn),
            finished: false,
            shelf: shelf.clone(),
            _turn: turn,
        }
    }

    /// Says the work on the connection ran to its end and succeeded, so the connection is in a
    /// known good state and may be kept.
    pub fn finished(&mut self) {
        self.finished = true;
    }
}

impl Deref for Lent {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.conn
            .as_deref()
            .expect("a lent connection is present until dropped")
    }
}

impl DerefMut for Lent {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn
            .as_deref_mut()
            .expect("a lent connection is present until dropped")
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if !self.finished || conn.is_in_transaction() || self.shelf.pool.is_closed() {
            return; // dropping it returns it to sqlx's pool, which tests it
        }
        let mut idle = self.shelf.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.shelf.room {
            idle.push(conn);
        }
    }
}

/// A write transaction on a lent connection. Committed, the connection is kept for the next
/// use; dropped without a commit, the rollback is queued on the connection and the connection
/// goes back to sqlx's pool, whose test waits for the rollback to be done.
#[derive(Debug)]
pub struct LentTx {
    lent: Lent,
    open: bool,
}

impl LentTx {
    /// Opens a transaction on `lent` with `statement` (`BEGIN IMMEDIATE` for writers).
    pub async fn begin(mut lent: Lent, statement: &'static str) -> Result<Self, sqlx::Error> {
        SqliteTransactionManager::begin(&mut lent, Some(statement.into_sql_str())).await?;
        Ok(Self { lent, open: true })
    }

    /// Commits; on failure the transaction is still open and dropping it rolls it back.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        SqliteTransactionManager::commit(&mut self.lent).await?;
        self.open = false;
        self.lent.finished();
        Ok(())
    }
}

impl Deref for LentTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.lent
    }
}

impl DerefMut for LentTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.lent
    }
}

impl Drop for LentTx {
    fn drop(&mut self) {
        if self.open {
            SqliteTransactionManager::start_rollback(&mut self.lent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqlitePoolOptions;

    async fn pool(size: u32) -> SqlitePool {
        SqlitePoolOptions::new()
            .max_connections(size)
            .connect("sqlite::memory:")
            .await
            .expect("pool")
    }

    #[tokio::test]
    async fn a_finished_connection_is_kept_and_lent_again() {
        let kept = Kept::new(pool(4).await);
        let mut lent = kept.lend().await.expect("lent");
        sqlx::query("CREATE TEMP TABLE marker (n INTEGER)")
            .execute(&mut *lent)
            .await
            .expect("create");
        lent.finished();
        drop(lent);
        assert_eq!(kept.idle(), 1);
        // A temp table lives on its connection only: finding it proves the same one came back.
        let mut again = kept.lend().await.expect("lent again");
        let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM marker")
            .fetch_one(&mut *again)
            .await
            .expect("the same connection");
        assert_eq!(found, 0);
        assert_eq!(kept.idle(), 0);
    }

    #[tokio::test]
    async fn an_unfinished_or_open_connection_goes_back_to_the_pool() {
        let kept = Kept::new(pool(4).await);
        drop(kept.lend().await.expect("lent"));
        assert_eq!(kept.idle(), 0, "a body cut short is not kept");
        let mut lent = kept.lend().await.expect("lent");
        SqliteTransactionManager::begin(&mut lent, None)
            .await
            .expect("begin");
        lent.finished();
        drop(lent);
        assert_eq!(
            kept.idle(),
            0,
            "a connection inside a transaction is not kept"
        );
        drop(open(&kept).await);
        assert_eq!(
            kept.idle(),
            0,
            "a transaction dropped uncommitted is not kept"
        );
        open(&kept).await.commit().await.expect("commit");
        assert_eq!(
            kept.idle(),
            1,
            "a committed transaction's connection is kept"
        );
    }

    async fn open(kept: &Kept) -> LentTx {
        let lent = kept.lend().await.expect("lent");
        LentTx::begin(lent, "BEGIN IMMEDIATE").await.expect("begin")
    }

    #[tokio::test]
    async fn one_connection_of_the_pool_is_never_kept() {
        let pool = pool(2).await;
        let kept = Kept::new(pool.clone());
        let mut first = kept.lend().await.expect("first");
        let mut second = kept.lend().await.expect("second");
        first.finished();
        second.finished();
        drop(first);
        drop(second);
        assert_eq!(kept.idle(), 1);
        // The pool itself still has a connection to give (a backup, a migration).
        let direct = tokio::time::timeout(std::time::Duration::from_secs(5), pool.acquire());
        assert!(direct.await.expect("not starved").is_ok());
    }

    #[tokio::test]
    async fn a_lender_waits_for_a_connection_put_back_on_the_shelf() {
        let kept = Kept::new(pool(2).await);
        let _other = kept.lend().await.expect("one connection");
        let mut only = kept.lend().await.expect("the last connection");
        let waiting = {
            let kept = kept.clone();
            tokio::spawn(async move { kept.lend().await.map(drop) })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "the second lender waits");
        only.finished();
        drop(only);
        assert_eq!(kept.idle(), 1, "put on the shelf, not back in the pool");
        let waited = tokio::time::timeout(std::time::Duration::from_secs(5), waiting);
        assert!(waited.await.expect("woken").expect("joined").is_ok());
    }
}
