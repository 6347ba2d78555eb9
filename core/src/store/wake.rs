//! Wake-ups for the outbox workers, so queued work starts at once and idle workers cost nothing.
//!
//! A commit that wrote outbox rows wakes the workers of those topics: on SQLite in process
//! ([`super::Tx::commit`] signals after the commit), on PostgreSQL through `NOTIFY`, which the
//! database delivers on commit to every replica's listener (one connection per process,
//! started by the first worker that subscribes). A worker waits for a wake-up, the due time of
//! its next retry, or a slow backstop that covers a notification lost while a listener
//! reconnected; it never polls on a short timer.
//!
//! SQLite has no `NOTIFY`, but other `usher` processes may write the same file (commands run
//! beside `serve`, such as an import). The process whose workers wait binds a Unix datagram
//! socket beside the database (`<file>.wake`); any other process that commits outbox work sends
//! the topic there, best effort. No process polls; a datagram lost (no server, a full queue) is
//! covered by the backstop like a lost notification.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;

/// The PostgreSQL channel outbox commits notify, with the topic as payload.
pub(crate) const OUTBOX_CHANNEL: &str = "usher_outbox";

type Topics = Mutex<HashMap<String, watch::Sender<()>>>;

/// One process's wake-up signals, one per outbox topic. Cheap to clone.
#[derive(Clone, Default)]
pub struct Wakeups {
    topics: Arc<Topics>,
    listening: Arc<std::sync::OnceLock<()>>,
    /// SQLite: the datagram socket beside the database file, where the process with waiting
    /// workers listens for other processes' commits.
    socket: Option<Arc<PathBuf>>,
    /// Workers that take their topic's new rows at commit instead of being woken to claim them.
    pub(crate) takers: super::handoff::Takers,
}

impl std::fmt::Debug for Wakeups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wakeups").finish_non_exhaustive()
    }
}

impl Wakeups {
    /// Wake-ups for an SQLite file: other processes' commits reach this one's workers through
    /// a datagram socket named after the file.
    pub(crate) fn for_sqlite_file(file: &Path) -> Self {
        let mut name = file.as_os_str().to_owned();
        name.push(".wake");
        Self {
            socket: Some(Arc::new(PathBuf::from(name))),
            ..Self::default()
        }
    }

    /// A receiver that sees every later wake-up of `topic` (and one that happens between
    /// subscribing and waiting is not lost: `changed()` returns at once).
    pub fn subscribe(&self, topic: &str) -> watch::Receiver<()> {
        let mut topics = self.topics.lock().unwrap_or_else(|e| e.into_inner());
        topics
            .entry(topic.to_owned())
            .or_insert_with(|| watch::channel(()).0)
            .subscribe()
    }

    /// Wakes the workers of `topic` in this process; nothing when none waits for it.
    pub fn wake(&self, topic: &str) {
        wake_in(&self.topics, topic);
    }

    /// Tells the process whose workers wait on this SQLite file (if another one) that `topic`
    /// has work. Best effort and never blocking: without a listener the backstop covers it.
    pub(crate) fn tell_other_processes(&self, topic: &str) {
        let Some(socket) = &self.socket else { return };
        if self.listening.get().is_some() {
            return; // the workers are here: the in-process wake-up reached them
        }
        let sent = std::os::unix::net::UnixDatagram::unbound().and_then(|out| {
            out.set_nonblocking(true)?;
            out.send_to(topic.as_bytes(), socket.as_path())
        });
        if let Err(error) = sent {
            tracing::trace!(%error, "no other process took the wake-up");
        }
    }

    /// Starts listening once, for this SQLite file's other writers (see the module docs). A
    /// socket that cannot be bound (a path too long, a read-only folder) leaves the workers to
    /// their backstop for other processes' work; this process's own commits still wake them.
    pub(crate) fn listen_on_socket(&self) {
        let Some(socket) = self.socket.clone() else {
            return;
        };
        if self.listening.set(()).is_err() {
            return;
        }
        // A socket file left by a process that ended is in the way of binding; remove it.
        let _ = std::fs::remove_file(socket.as_path());
        let bound = tokio::net::UnixDatagram::bind(socket.as_path());
        let inbox = match bound {
            Ok(inbox) => inbox,
            Err(error) => {
                tracing::warn!(%error, path = %socket.display(), "other processes' writes wait for the backstop");
                return;
            }
        };
        let topics = Arc::downgrade(&self.topics);
        tokio::spawn(async move {
            let mut buffer = [0u8; 256];
            while let Ok(len) = inbox.recv(&mut buffer).await {
                let Some(topics) = topics.upgrade() else {
                    break;
                };
                if let Ok(topic) = std::str::from_utf8(&buffer[..len]) {
                    wake_in(&topics, topic);
                }
            }
            let _ = std::fs::remove_file(socket.as_path());
        });
    }

    /// Starts this process's PostgreSQL listener once, so commits of any replica wake the
    /// workers here. It ends when the pool closes or these wake-ups are dropped.
    pub(crate) fn listen_on(&self, pool: &PgPool) {
        if self.listening.set(()).is_err() {
            return;
        }
        let topics = Arc::downgrade(&self.topics);
        let pool = pool.clone();
        tokio::spawn(async move { relay(pool, topics).await });
    }
}

fn wake_in(topics: &Topics, topic: &str) {
    let topics = topics.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(sender) = topics.get(topic) {
        sender.send_replace(());
    }
}

/// Passes PostgreSQL notifications on to the local workers. A lost connection is re-opened
/// by the listener; what was notified meanwhile is picked up by the workers' backstop.
async fn relay(pool: PgPool, topics: Weak<Topics>) {
    let mut listener = match PgListener::connect_with(&pool).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%error, "no outbox listener; workers fall back to their backstop");
            return;
        }
    };
    if let Err(error) = listener.listen(OUTBOX_CHANNEL).await {
        tracing::warn!(%error, "could not listen for outbox commits");
        return;
    }
    // A commit between a worker's subscribing and this LISTEN notified nobody here: one round
    // for every topic now picks such work up instead of leaving it to the backstop.
    if let Some(topics) = topics.upgrade() {
        let senders = topics.lock().unwrap_or_else(|e| e.into_inner());
        for sender in senders.values() {
            sender.send_replace(());
        }
    }
    loop {
        let note = match listener.recv().await {
            Ok(note) => note,
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::debug!(%error, "outbox listener interrupted");
                if pool.is_closed() {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        let Some(topics) = topics.upgrade() else {
            return;
        };
        wake_in(&topics, note.payload());
    }
}
