//! Leadership for work only one replica may do at a time — long-polling Telegram, holding the
//! Discord gateway. A [`Leader`] takes a named lease in the database ([`crate::store::lease`]),
//! renews it every few seconds while its work runs, and stops the work the moment it can no
//! longer be sure it holds the lease; a standby polls for the lease and takes it over once the
//! leader has stopped renewing (a crash, `kill -9`), so the work resumes within one time to
//! live plus one poll. A leader that stops cleanly gives the lease up at once.
//!
//! SQLite is one process by design: there the process simply holds every lease and nothing is
//! written.

use std::future::Future;
use std::time::Duration;

use rand::Rng;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::domain::Timestamp;
use crate::error::CoreResult;
use crate::store::{Db, lease};

/// How long a lease lasts without renewal, and how often it is renewed (and how often a
/// standby asks for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseTiming {
    /// Time to live of one renewal: a dead leader's lease is free this long after its last one.
    pub ttl: Duration,
    /// Renewal and standby poll interval; well under `ttl`, so a slow renewal still lands.
    pub renew_every: Duration,
}

impl Default for LeaseTiming {
    /// 8 s to live, renewed every 2 s: a standby takes over at most ~10 s after a crash.
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(8),
            renew_every: Duration::from_secs(2),
        }
    }
}

/// One process's claim on one named lease.
#[derive(Debug)]
pub struct Leader {
    db: Db,
    name: String,
    holder: String,
    timing: LeaseTiming,
    leading: watch::Sender<bool>,
}

/// Why a term of leadership ended.
enum TermEnd {
    Shutdown,
    WorkEnded,
    Lost,
}

impl Leader {
    /// A claim on `name` under a holder id unique to this process.
    pub fn new(db: Db, name: &str) -> Self {
        let holder = format!("{}-{:08x}", std::process::id(), rand::rng().random::<u32>());
        Self {
            db,
            name: name.to_owned(),
            holder,
            timing: LeaseTiming::default(),
            leading: watch::channel(false).0,
        }
    }

    /// Other timings (tests use short ones).
    #[must_use]
    pub fn with_timing(mut self, timing: LeaseTiming) -> Self {
        self.timing = timing;
        self
    }

    /// This process's holder id, as stored in the lease row.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Whether this process leads now, and every change of it (for status reports).
    pub fn watch(&self) -> watch::Receiver<bool> {
        self.leading.subscribe()
    }

    /// Takes or renews the lease once; true while this process holds it.
    pub async fn try_lead(&self) -> CoreResult<bool> {
        if matches!(self.db, Db::Sqlite(_)) {
            return Ok(true);
        }
        lease::take(
            &self.db,
            &self.name,
            &self.holder,
            self.timing.ttl,
            Timestamp::now(),
        )
        .await
    }

    /// Gives the lease up if held (best effort: it expires anyway).
    pub async fn step_down(&self) {
        if matches!(self.db, Db::Sqlite(_)) {
            return;
        }
        if let Err(err) = lease::release(&self.db, &self.name, &self.holder).await {
            tracing::warn!(lease = %self.name, error = %err, "could not give the lease up");
        }
    }

    /// Runs the future `work()` makes whenever this process holds the lease, until `shutdown`
    /// completes: waits for the lease, starts the work, renews while it runs, and drops the
    /// work as soon as the lease is lost (then waits for it again). Work that ends by itself
    /// gives the lease up, and is started again when the lease is next won.
    pub async fn run<F, Fut>(&self, shutdown: impl Future<Output = ()>, mut work: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = ()>,
    {
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                () = self.wait_for_lease() => {}
            }
            self.leading.send_replace(true);
            tracing::info!(lease = %self.name, holder = %self.holder, "leading");
            let end = tokio::select! {
                () = &mut shutdown => TermEnd::Shutdown,
                () = work() => TermEnd::WorkEnded,
                () = self.hold() => TermEnd::Lost,
            };
            self.leading.send_replace(false);
            match end {
                TermEnd::Shutdown => {
                    self.step_down().await;
                    return;
                }
                TermEnd::WorkEnded => {
                    self.step_down().await;
                    tokio::select! {
                        () = &mut shutdown => return,
                        () = tokio::time::sleep(self.timing.renew_every) => {}
                    }
                }
                TermEnd::Lost => {
                    tracing::warn!(lease = %self.name, "lease lost; its work stopped until it is won back");
                }
            }
        }
    }

    /// Returns once the lease is held.
    async fn wait_for_lease(&self) {
        loop {
            match self.try_lead().await {
                Ok(true) => return,
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(lease = %self.name, error = %err, "could not ask for the lease")
                }
            }
            tokio::time::sleep(self.timing.renew_every).await;
        }
    }

    /// Renews the lease while it is held; returns when it was taken by another holder, or when
    /// renewals have failed for so long that it may have expired.
    async fn hold(&self) {
        if matches!(self.db, Db::Sqlite(_)) {
            return std::future::pending().await;
        }
        let mut renewed = Instant::now();
        loop {
            tokio::time::sleep(self.timing.renew_every).await;
            let asked = Instant::now();
            let renewal = tokio::time::timeout(self.timing.renew_every, self.try_lead()).await;
            match renewal {
                Ok(Ok(true)) => renewed = asked,
                Ok(Ok(false)) => return,
                Ok(Err(err)) => {
                    tracing::warn!(lease = %self.name, error = %err, "could not renew the lease");
                }
                Err(_) => tracing::warn!(lease = %self.name, "renewing the lease timed out"),
            }
            // Stop before another replica could take an expired lease over.
            if Instant::now() + self.timing.renew_every >= renewed + self.timing.ttl {
                return;
            }
        }
    }
}
