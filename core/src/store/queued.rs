//! What a transaction leaves for this process's workers when it commits: the outbox topics to
//! wake (SQLite; PostgreSQL notifies on commit by itself) and the rows to hand straight to a
//! worker that takes their topic ([`super::handoff`]). A rollback drops it all.

use super::Tx;
use super::Wakeups;
use super::handoff::{Handed, Taker};

/// See the module docs.
#[derive(Debug)]
pub struct Queued {
    topics: Vec<String>,
    wakeups: Wakeups,
    handed: Vec<(Taker, Handed)>,
}

impl Queued {
    /// Nothing queued yet, for a transaction on a database with these wake-ups.
    pub(super) fn new(wakeups: &Wakeups) -> Self {
        Self {
            topics: Vec::new(),
            wakeups: wakeups.clone(),
            handed: Vec::new(),
        }
    }

    /// After the commit: wakes the topics' workers (here and in other processes on the same
    /// SQLite file) and hands each row to its worker (one that stopped listening meanwhile
    /// leaves it to a claim when its lease ends).
    pub(super) fn after_commit(self) {
        for topic in &self.topics {
            self.wakeups.wake(topic);
            self.wakeups.tell_other_processes(topic);
        }
        for (taker, row) in self.handed {
            let _ = taker.to.send(row);
        }
    }
}

impl Tx {
    fn queue(&mut self) -> &mut Queued {
        match self {
            Self::Sqlite(_, _, queued) | Self::Postgres(_, queued) => queued,
        }
    }

    /// Notes that this transaction queued work on an outbox topic, so its workers wake when it
    /// commits (SQLite only: PostgreSQL's `NOTIFY` reaches every replica on commit).
    pub(crate) fn queued(&mut self, topic: &str) {
        if let Self::Sqlite(_, _, queued) = self
            && !queued.topics.iter().any(|t| t == topic)
        {
            queued.topics.push(topic.to_owned());
        }
    }

    /// The worker of this process that takes `topic`'s new rows at commit, if one does.
    pub(crate) fn taker(&self, topic: &str) -> Option<Taker> {
        match self {
            Self::Sqlite(_, _, queued) | Self::Postgres(_, queued) => {
                queued.wakeups.takers.of(topic)
            }
        }
    }

    /// Hands `row` to `taker` once the transaction commits (nothing if it rolls back).
    pub(crate) fn hand(&mut self, taker: Taker, row: Handed) {
        self.queue().handed.push((taker, row));
    }
}
