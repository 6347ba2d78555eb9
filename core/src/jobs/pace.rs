//! The one run loop every outbox worker shares: do a round, then wait for a commit that queues
//! work on the topic, the due time of the next retry, or a slow backstop; never a short poll,
//! so an idle process spends no CPU here.

use std::future::Future;
use std::time::Duration;

use crate::domain::Timestamp;
use crate::store::{Db, outbox};

/// The longest a worker sleeps without a wake-up: it covers a notification lost while the
/// PostgreSQL listener reconnected, or a row another process queued on SQLite (`usher`
/// commands beside `serve`).
pub const BACKSTOP: Duration = Duration::from_secs(30);

/// The wait after a round that failed (the database is unreachable, say).
const TROUBLE: Duration = Duration::from_secs(5);

/// The shortest wait for a row that is due but was not claimable (another replica holds it):
/// keeps a race from spinning.
const SETTLE: Duration = Duration::from_millis(20);

/// How long a loop sleeps when nothing wakes it. The defaults are what `usher serve` runs
/// with; a test sets both far beyond its own guard, so work that is picked up in time can only
/// have been brought in by a wake-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// The longest sleep after a round, when no retry comes due sooner ([`BACKSTOP`]).
    pub backstop: Duration,
    /// The sleep after a round that failed.
    pub trouble: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Self {
            backstop: BACKSTOP,
            trouble: TROUBLE,
        }
    }
}

/// Runs `round` on `topic` until `shutdown`. `round` handles what is due and says how many
/// rows it claimed; a full batch (`batch` or more) is followed at once by the next round.
pub async fn drive<F, Fut, E>(
    db: &Db,
    topic: &str,
    batch: usize,
    shutdown: impl Future<Output = ()>,
    round: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, E>>,
    E: std::fmt::Display,
{
    drive_paced(db, topic, batch, Pace::default(), shutdown, round).await;
}

/// What a loop knows of its topic's next waiting row, so a round that did work needs no read
/// to know how long to sleep: a row this process puts back for later wakes the topic
/// ([`outbox::retry_later`], [`outbox::release`]), and new rows wake it on commit, so between
/// two reads only another process's leases can come due unseen — and the backstop covers those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    /// Not read since the last wait ran out (or ever): read before sleeping.
    Unknown,
    /// Nothing was waiting when last read.
    Nothing,
    /// The earliest waiting row comes due then.
    At(Timestamp),
}

/// [`drive`] with its sleeps set by `pace`.
pub async fn drive_paced<F, Fut, E>(
    db: &Db,
    topic: &str,
    batch: usize,
    pace: Pace,
    shutdown: impl Future<Output = ()>,
    mut round: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, E>>,
    E: std::fmt::Display,
{
    let mut wake = db.subscribe(topic);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut due = Due::Unknown;
    loop {
        // Seen from here on: a commit during the round wakes the wait below at once.
        wake.borrow_and_update();
        let pause = match round().await {
            Ok(claimed) if claimed >= batch.max(1) => Duration::ZERO,
            // Rows were handled and what was waiting before is known: no read needed.
            Ok(claimed) if claimed > 0 && due != Due::Unknown => due.wait(pace),
            Ok(_) => {
                due = read_due(db, topic).await;
                due.wait(pace)
            }
            Err(error) => {
                tracing::warn!(%topic, %error, "outbox round failed");
                due = Due::Unknown;
                pace.trouble
            }
        };
        tokio::select! {
            biased;
            () = &mut shutdown => return,
            _ = wake.changed() => {}
            () = tokio::time::sleep(pause) => due = Due::Unknown,
        }
    }
}

impl Due {
    /// How long to sleep for it, at most the pace's backstop; a time already past is a short
    /// settle (the row is another replica's until its lease ends), then a read; not knowing
    /// (the read failed) is trouble's wait.
    fn wait(self, pace: Pace) -> Duration {
        match self {
            Self::Nothing => pace.backstop,
            Self::Unknown => pace.trouble,
            Self::At(at) => {
                let wait = at.millis().saturating_sub(Timestamp::now().millis());
                let wait = Duration::from_millis(u64::try_from(wait).unwrap_or(0));
                wait.clamp(SETTLE, pace.backstop.max(SETTLE))
            }
        }
    }
}

/// When the topic's next waiting row comes due, read from the database.
async fn read_due(db: &Db, topic: &str) -> Due {
    match outbox::next_due(db, topic).await {
        Ok(None) => Due::Nothing,
        Ok(Some(at)) => Due::At(at),
        Err(error) => {
            tracing::warn!(%topic, %error, "could not read when the outbox is next due");
            Due::Unknown
        }
    }
}
