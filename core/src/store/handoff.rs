//! Work handed from the transaction that queued it straight to a worker in the same process.
//!
//! A press that approves a request queues its submission in the outbox, and the worker of this
//! process then had to claim the row back (one `UPDATE … RETURNING`) and read the request
//! again: two statements and a wake-up hop for work this process had in hand. A worker that
//! takes a topic here instead gets each new row of it the moment its transaction commits. The
//! row is written already leased to this process (`locked_until`), so no other worker or
//! replica claims it meanwhile, and a crash before the worker finishes leaves it to the next
//! claim when the lease ends: the same guarantee a claimed row has. A worker that stops
//! [`Taking::finish`]es: it waits for the transactions that already chose it and gives their
//! rows back, so a stop does not leave an approval leased to nobody.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

/// A row handed over at commit: what a claim would have returned, first attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handed {
    /// The outbox row's id.
    pub id: i64,
    /// Its topic.
    pub topic: String,
    /// Its JSON event, as stored.
    pub payload: String,
}

/// A worker that takes a topic's new rows, and how long a row is its own.
#[derive(Debug, Clone)]
pub(crate) struct Taker {
    pub(crate) to: mpsc::UnboundedSender<Handed>,
    pub(crate) lease: Duration,
}

/// The takers of one process, per topic. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub(crate) struct Takers(Arc<Mutex<HashMap<String, Taker>>>);

impl Takers {
    /// Registers the caller as `topic`'s taker; rows come to the returned [`Taking`] until it
    /// finishes or is dropped.
    pub(crate) fn take(&self, topic: &str, lease: Duration) -> Taking {
        let (to, rows) = mpsc::unbounded_channel();
        let mine = to.downgrade();
        self.lock().insert(topic.to_owned(), Taker { to, lease });
        Taking {
            rows,
            mine,
            topic: topic.to_owned(),
            takers: self.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Taker>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The live taker of `topic`, if a worker still listens (a dropped receiver is forgotten).
    pub(crate) fn of(&self, topic: &str) -> Option<Taker> {
        let mut takers = self.lock();
        match takers.get(topic) {
            Some(taker) if taker.to.is_closed() => {
                takers.remove(topic);
                None
            }
            found => found.cloned(),
        }
    }
}

/// A worker's end of a topic's handoff: the rows handed to it, in commit order.
#[derive(Debug)]
pub struct Taking {
    rows: mpsc::UnboundedReceiver<Handed>,
    /// The sender the takers map holds for us, to tell it from a later taker of the topic.
    mine: mpsc::WeakUnboundedSender<Handed>,
    topic: String,
    takers: Takers,
}

impl Taking {
    /// The next row handed over; `None` once nothing can be handed any more.
    pub async fn next(&mut self) -> Option<Handed> {
        self.rows.recv().await
    }

    /// A row already handed over, if one is waiting.
    pub fn try_next(&mut self) -> Option<Handed> {
        self.rows.try_recv().ok()
    }

    /// Stops taking and returns every row handed over but not taken, for the caller to give
    /// back to the queue. Closing the channel at once would lose the race with a transaction
    /// that found this taker just before: its commit would hand the row to nobody, and the row,
    /// written leased, would wait for its lease to end. So transactions from now on write
    /// their rows unleased, and those that found the taker before (each holds a sender until
    /// it commits or rolls back) are waited for, at most `wait`.
    pub async fn finish(mut self, wait: Duration) -> Vec<Handed> {
        {
            // A later taker of the topic has replaced ours in the map: it stays.
            let mut takers = self.takers.lock();
            let still_ours = match (takers.get(&self.topic), self.mine.upgrade()) {
                (Some(taker), Some(ours)) => taker.to.same_channel(&ours),
                _ => false,
            };
            if still_ours {
                takers.remove(&self.topic);
            }
        }
        let mut left = Vec::new();
        let drained = tokio::time::timeout(wait, async {
            while let Some(row) = self.rows.recv().await {
                left.push(row);
            }
        })
        .await;
        if drained.is_err() {
            self.rows.close();
            while let Ok(row) = self.rows.try_recv() {
                left.push(row);
            }
        }
        left
    }
}
