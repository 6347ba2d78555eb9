//! Work handed from the transaction that queued it straight to a worker in the same process.
//!
//! A press that approves a request queues its submission in the outbox, and the worker of this
//! process then had to claim the row back (one `UPDATE … RETURNING`) and read the request
//! again: two statements and a wake-up hop for work this process had in hand. A worker that
//! takes a topic here instead gets each new row of it the moment its transaction commits. The
//! row is written already leased to this process (`locked_until`), so no other worker or
//! replica claims it meanwhile, and a crash before the worker finishes leaves it to the next
//! claim when the lease ends: the same guarantee a claimed row has.

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
    /// Registers the caller as `topic`'s taker; rows come on the receiver until it is dropped.
    pub(crate) fn take(&self, topic: &str, lease: Duration) -> mpsc::UnboundedReceiver<Handed> {
        let (to, from) = mpsc::unbounded_channel();
        let mut takers = self.0.lock().unwrap_or_else(|e| e.into_inner());
        takers.insert(topic.to_owned(), Taker { to, lease });
        from
    }

    /// The live taker of `topic`, if a worker still listens (a dropped receiver is forgotten).
    pub(crate) fn of(&self, topic: &str) -> Option<Taker> {
        let mut takers = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match takers.get(topic) {
            Some(taker) if taker.to.is_closed() => {
                takers.remove(topic);
                None
            }
            found => found.cloned(),
        }
    }
}
