//! Storage on SQLite (the default, in WAL mode) or PostgreSQL, chosen from the URL.
//!
//! The backend choice stays inside this module: [`Db`] and [`Tx`] are enums over the two sqlx
//! pools, and each repository function runs the same portable SQL (`$1` placeholders work on
//! both) on whichever connection it holds. Services are never generic over the database.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::pool::MaybePoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, SqlitePool};

use crate::error::{CoreError, CoreResult};

pub mod agents;
pub mod api_keys;
pub mod askers;
pub mod audit;
pub mod availability;
pub mod chat;
pub mod dialogues;
pub mod directory;
pub mod episode_claims;
pub mod figures;
pub mod handoff;
pub mod imports;
pub mod issues;
pub mod lease;
pub mod library;
pub mod library_index;
pub mod links;
pub mod note_drafts;
pub mod outbox;
pub mod passkeys;
pub mod places;
pub mod request_browse;
pub mod request_edits;
pub mod request_names;
pub mod requests;
pub mod role_limits;
pub mod roles;
pub mod searches;
pub mod sessions;
pub mod settings;
pub mod stats;
pub mod submission;
pub mod users;
pub mod wake;

mod kept;
mod queued;
mod transaction;

use kept::clean_connection;
pub use kept::{Kept, Lent, LentTx};
pub use queued::Queued;
pub(crate) use transaction::in_tx;
pub use wake::Wakeups;

/// Every SQL statement the store sends (queries, `BEGIN`, `COMMIT`), counted once per process
/// for `/metrics` (`usher_db_statements_total`), so a benchmark can say how many statements a
/// chat flow costs. Counted where the store touches a connection: [`on_tx!`], [`on_pool!`],
/// [`Db::begin`] and [`Tx::commit`].
pub static STATEMENTS: std::sync::LazyLock<prometheus_client::metrics::counter::Counter> =
    std::sync::LazyLock::new(Default::default);

/// Runs `$body` with `$conn` bound to the open transaction's connection, whichever backend it is.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {{
        // A typed binding, so an `in_tx` body's `TxScope` derefs to its `Tx` here too.
        let tx: &mut $crate::store::Tx = $tx;
        match tx {
            $crate::store::Tx::Sqlite(t, _, _) => {
                $crate::store::STATEMENTS.inc();
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t, _) => {
                $crate::store::STATEMENTS.inc();
                let $conn = &mut **t;
                $body
            }
        }
    }};
}
pub(crate) use on_tx;

/// Runs `$body` (a `Result`) with `$conn` bound to a connection lent by the [`SqliteDb`]'s
/// [`Kept`] connections, and keeps the connection when the body succeeded; after an error it
/// goes back to sqlx's pool, which tests it (see [`kept`]). Failing to lend one is the body's
/// error.
macro_rules! on_lent {
    ($sqlite:expr, $conn:ident => $body:expr) => {
        match $sqlite.kept.lend().await {
            Err(error) => Err(::std::convert::From::from(error)),
            Ok(mut lent) => {
                $crate::store::STATEMENTS.inc();
                let $conn: &mut ::sqlx::SqliteConnection = &mut lent;
                let done = $body;
                if done.is_ok() {
                    lent.finished();
                }
                done
            }
        }
    };
}
pub(crate) use on_lent;

/// Runs `$body` with `$pool` bound to a connection (lent on SQLite, from the pool on
/// PostgreSQL), for reads that need no transaction.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite(sqlite) => $crate::store::on_lent!(sqlite, $pool => $body),
            $crate::store::Db::Postgres(pg) => match pg.pool.acquire().await {
                Err(error) => Err(::std::convert::From::from(error)),
                Ok(mut conn) => {
                    $crate::store::STATEMENTS.inc();
                    let $pool: &mut ::sqlx::PgConnection = &mut conn;
                    $body
                }
            },
        }
    };
}
pub(crate) use on_pool;

/// Runs `$body`, one statement that writes (a `Result<_, sqlx::Error>`), on the pool in
/// autocommit mode: no `BEGIN` and `COMMIT` around it (one statement instead of three), yet on
/// SQLite still in this process's writer queue, so it waits its turn like a transaction would,
/// and its outcome counts for [`Db::writes_failing`] exactly as a commit's does.
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite(sqlite) => {
                let slot = sqlite.writers.lock().await;
                let written = $crate::store::on_lent!(sqlite, $pool => $body);
                slot.record(written.as_ref().err());
                written
            }
            $crate::store::Db::Postgres($crate::store::PgDb { pool: $pool, .. }) => {
                $crate::store::STATEMENTS.inc();
                $body
            }
        }
    };
}
pub(crate) use on_writer;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (the embedded default).
    Sqlite,
    /// A PostgreSQL server (for replicas).
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme.
    pub fn from_url(url: &str) -> CoreResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(CoreError::Validation(
                "the database URL must start with sqlite: or postgres://".into(),
            ))
        }
    }
}

/// An SQLite pool, the connections kept out of it between uses, and an in-process queue for
/// writers. SQLite allows one writer at a time;
/// left to its busy handler, waiting writers poll with growing sleeps and a few wait hundreds of
/// milliseconds under load. Queueing them on a fair async mutex first keeps the tail short. The
/// busy timeout still covers writers in other processes (`usher` commands run beside `serve`).
#[derive(Clone, Debug)]
pub struct SqliteDb {
    /// The connections.
    pub pool: SqlitePool,
    /// The connections the store lends, kept out of the pool between uses (see [`kept`]).
    pub kept: Kept,
    /// The writer queue; [`on_writer!`] takes a turn in it from wherever it expands.
    pub(crate) writers: Arc<tokio::sync::Mutex<WriterTurn>>,
    failing: Arc<AtomicBool>,
    wakeups: Wakeups,
}

impl SqliteDb {
    /// Wraps a pool with its own writer queue.
    pub fn new(pool: SqlitePool) -> Self {
        let failing = Arc::new(AtomicBool::new(false));
        Self {
            kept: Kept::new(pool.clone()),
            pool,
            writers: Arc::new(tokio::sync::Mutex::new(WriterTurn {
                failing: failing.clone(),
            })),
            failing,
            wakeups: Wakeups::default(),
        }
    }
}

/// A PostgreSQL pool plus this process's outbox wake-ups (fed by `LISTEN`).
#[derive(Clone, Debug)]
pub struct PgDb {
    /// The connections.
    pub pool: PgPool,
    wakeups: Wakeups,
}

impl PgDb {
    /// Wraps a pool.
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            wakeups: Wakeups::default(),
        }
    }
}

/// The SQLite writer's turn, held by an open [`Tx`]: it carries the pool's "the last write
/// failed" flag, so the transaction that ends the turn records how it ended without a second
/// handle to the pool. A full disk, a read-only file or an I/O error sets it; the next
/// successful commit clears it, and `/readyz` reads it (see [`Db::writes_failing`]).
#[derive(Debug)]
pub struct WriterTurn {
    failing: Arc<AtomicBool>,
}

impl WriterTurn {
    /// Records how a write that held this turn ended: a success clears the flag, a failure of
    /// the storage itself sets it; a busy database or a broken rule says nothing about the
    /// storage and leaves it as it was.
    pub(crate) fn record(&self, failure: Option<&sqlx::Error>) {
        match failure {
            None => self.failing.store(false, Ordering::Relaxed),
            Some(err) if crate::error::storage_failed(err) => {
                self.failing.store(true, Ordering::Relaxed);
            }
            Some(_) => {}
        }
    }
}

/// A connection pool to either database. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite pool (WAL, foreign keys on, busy timeout) with its writer queue.
    Sqlite(SqliteDb),
    /// PostgreSQL pool.
    Postgres(PgDb),
}

/// An open write transaction on either database. Dropping it without [`Tx::commit`] rolls back.
#[derive(Debug)]
pub enum Tx {
    /// SQLite transaction, started with `BEGIN IMMEDIATE` so writers queue instead of deadlocking,
    /// holding this process's writer slot until it ends.
    Sqlite(LentTx, tokio::sync::OwnedMutexGuard<WriterTurn>, Queued),
    /// PostgreSQL transaction (READ COMMITTED; rows are locked by the statements that change them),
    /// with the rows it hands to this process's workers.
    Postgres(sqlx::Transaction<'static, Postgres>, Queued),
}

/// Pool sizing and SQLite options.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Largest number of open connections.
    pub max_connections: u32,
    /// How long an SQLite writer waits for the lock before giving up.
    pub busy_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            busy_timeout: Duration::from_secs(10),
        }
    }
}

impl Db {
    /// Opens a pool for the URL (creating the SQLite file and its folder if missing).
    pub async fn connect(url: &str, options: &ConnectOptions) -> CoreResult<Self> {
        match Backend::from_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(options.busy_timeout);
                if let Some(dir) = opts.get_filename().parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        CoreError::Validation(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                let file = opts.get_filename().to_owned();
                // A SQLite connection cannot go stale, so no ping before each use: that ping
                // is a round trip through the connection's worker thread on every statement.
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections)
                    .test_before_acquire(false)
                    .connect_with(opts)
                    .await?;
                let mut sqlite = SqliteDb::new(pool);
                if !file.as_os_str().is_empty() && file.as_os_str() != ":memory:" {
                    sqlite.wakeups = Wakeups::for_sqlite_file(&file);
                }
                Ok(Self::Sqlite(sqlite))
            }
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(url)?;
                Self::connect_postgres(opts, options).await
            }
        }
    }

    /// Opens a PostgreSQL pool from prepared options (tests use this to pin a schema).
    pub async fn connect_postgres(
        opts: PgConnectOptions,
        options: &ConnectOptions,
    ) -> CoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Self::Postgres(PgDb::new(pool)))
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date; safe to run on every start and from several replicas.
    pub async fn migrate(&self) -> CoreResult<()> {
        let result = match self {
            Self::Sqlite(sqlite) => SQLITE_MIGRATIONS.run(&sqlite.pool).await,
            Self::Postgres(pg) => POSTGRES_MIGRATIONS.run(&pg.pool).await,
        };
        result.map_err(|e| CoreError::Unexpected(anyhow::anyhow!("migration failed: {e}")))
    }

    /// Versions and descriptions of the embedded migrations, to compare the two dialects.
    pub fn migration_names(backend: Backend) -> Vec<(i64, String)> {
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// Starts a write transaction, on a connection no earlier transaction left open.
    pub async fn begin(&self) -> CoreResult<Tx> {
        STATEMENTS.inc();
        Ok(match self {
            Self::Sqlite(sqlite) => {
                let turn = sqlite.writers.clone().lock_owned().await;
                let begun = match sqlite.kept.lend().await {
                    Ok(lent) => LentTx::begin(lent, "BEGIN IMMEDIATE").await,
                    Err(error) => Err(error),
                };
                match begun {
                    Ok(tx) => Tx::Sqlite(tx, turn, Queued::new(&sqlite.wakeups)),
                    Err(err) => {
                        let err = CoreError::from(err);
                        if err.is_storage_failure() {
                            turn.failing.store(true, Ordering::Relaxed);
                        }
                        return Err(err);
                    }
                }
            }
            Self::Postgres(pg) => {
                let conn = clean_connection(&pg.pool).await?;
                Tx::Postgres(
                    sqlx::Transaction::begin(MaybePoolConnection::PoolConnection(conn), None)
                        .await?,
                    Queued::new(&pg.wakeups),
                )
            }
        })
    }

    /// Wakes this process's workers of `topic` (a row put back for later: they learn its due
    /// time from the round this starts).
    pub(crate) fn wake(&self, topic: &str) {
        match self {
            Self::Sqlite(sqlite) => sqlite.wakeups.wake(topic),
            Self::Postgres(pg) => pg.wakeups.wake(topic),
        }
    }

    /// A receiver woken whenever a commit queues work on `topic` (in this process, or on
    /// PostgreSQL in any replica); see [`wake`].
    pub fn subscribe(&self, topic: &str) -> tokio::sync::watch::Receiver<()> {
        match self {
            Self::Sqlite(sqlite) => {
                let receiver = sqlite.wakeups.subscribe(topic);
                sqlite.wakeups.listen_on_socket();
                receiver
            }
            Self::Postgres(pg) => {
                let receiver = pg.wakeups.subscribe(topic);
                pg.wakeups.listen_on(&pg.pool);
                receiver
            }
        }
    }

    /// Makes the caller the taker of `topic` in this process: each row a transaction here
    /// queues on it is written leased for `lease` and handed over on commit (see
    /// [`handoff`]), until the returned [`handoff::Taking`] finishes or is dropped.
    pub fn take_handed(&self, topic: &str, lease: std::time::Duration) -> handoff::Taking {
        match self {
            Self::Sqlite(sqlite) => sqlite.wakeups.takers.take(topic, lease),
            Self::Postgres(pg) => pg.wakeups.takers.take(topic, lease),
        }
    }

    /// Whether the last write transaction failed in the storage itself (a full disk, a
    /// read-only or broken file) and none has committed since: the database answers reads but
    /// cannot save anything, which `/readyz` must report. Tracked for SQLite, whose file this
    /// process owns; a PostgreSQL server reports its own health.
    pub fn writes_failing(&self) -> bool {
        match self {
            Self::Sqlite(sqlite) => sqlite.failing.load(Ordering::Relaxed),
            Self::Postgres(_) => false,
        }
    }

    /// Answers whether the database is reachable right now (for `/readyz` and `usher check`).
    pub async fn ping(&self) -> CoreResult<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(sqlite) => {
                sqlite.kept.release_all();
                sqlite.pool.close().await;
            }
            Self::Postgres(pg) => pg.pool.close().await,
        }
    }
}

impl Tx {
    /// Makes the transaction's writes durable and visible. On failure nothing was written and
    /// the connection is not reused as it is (see [`Db::begin`]); a failure of the storage
    /// itself is remembered until a later commit succeeds ([`Db::writes_failing`]).
    pub async fn commit(self) -> CoreResult<()> {
        STATEMENTS.inc();
        match self {
            Self::Sqlite(t, turn, queued) => {
                let committed = t.commit().await.map_err(CoreError::from);
                match &committed {
                    Ok(()) => turn.failing.store(false, Ordering::Relaxed),
                    // A busy database or a constraint says nothing about the storage: only a
                    // full disk or an I/O error makes the store report itself unable to save.
                    Err(err) if err.is_storage_failure() => {
                        turn.failing.store(true, Ordering::Relaxed);
                    }
                    Err(_) => {}
                }
                drop(turn);
                if committed.is_ok() {
                    queued.after_commit();
                }
                committed
            }
            Self::Postgres(t, queued) => {
                t.commit().await?;
                queued.after_commit();
                Ok(())
            }
        }
    }

    /// Remembers that the transaction's work failed in the storage itself (a full disk, an
    /// I/O error), not by a rule or a conflict, before it is rolled back.
    pub(crate) fn note_failure(&self, error: &CoreError) {
        if let Self::Sqlite(_, turn, _) = self
            && error.is_storage_failure()
        {
            turn.failing.store(true, Ordering::Relaxed);
        }
    }
}

/// Converts a stored integer that must fit a smaller type, reporting a corrupt row otherwise.
pub(crate) fn narrow<T: TryFrom<i64>>(value: i64, what: &str) -> CoreResult<T> {
    T::try_from(value).map_err(|_| {
        CoreError::Unexpected(anyhow::anyhow!("stored {what} {value} is out of range"))
    })
}
