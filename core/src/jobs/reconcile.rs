//! The availability reconcile job: a backstop for missed webhooks. A pass reads only the open
//! requests (Approved, Submitted, PartiallyAvailable), asks every media server once for all of
//! their titles together ([`MediaServer::find`], batched per server, never per request), and
//! records what changed through `record_availability` — so a pass that finds nothing new writes
//! no notification. On PostgreSQL a pass runs only while holding a session advisory lock, so
//! replicas do not repeat each other's work; SQLite is one process and needs none.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;

use std::collections::HashSet;

use crate::domain::{Actor, MediaType, Request, RequestId, Seasons, Timestamp, TmdbId};
use crate::error::CoreResult;
use crate::integrations::mediaserver::{MediaServer, Presence, Wanted};
use crate::service::AvailabilityService;
use crate::store::{Db, availability as store, library};

/// Open requests read per query.
const PAGE: u32 = 1_000;
/// One lock per schema, so separate Usher instances sharing a server do not block each other.
const LOCK_KEY: &str = "hashtext('usher.reconcile:' || current_schema())";

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// False when another replica held the lock and this pass did nothing.
    pub ran: bool,
    /// Open requests looked at.
    pub open: usize,
    /// Requests whose availability changed.
    pub changed: Vec<RequestId>,
    /// Servers that could not be asked (`"Plex: timed out"`); their titles wait for next time.
    pub failures: Vec<String>,
}

/// The reconcile job over a database and the configured media servers.
#[derive(Clone, Debug)]
pub struct Reconciler {
    db: Db,
    availability: AvailabilityService,
    servers: Vec<Arc<dyn MediaServer>>,
}

enum Leadership {
    Sole,
    Postgres(PoolConnection<sqlx::Postgres>),
}

impl Reconciler {
    /// Builds the job; with no servers a pass only reads the open requests.
    pub fn new(db: Db, servers: Vec<Arc<dyn MediaServer>>) -> Self {
        Self {
            availability: AvailabilityService::new(db.clone()),
            db,
            servers,
        }
    }

    /// One pass, if this process is the leader now (see the module docs).
    pub async fn try_run_once(&self) -> CoreResult<ReconcileReport> {
        let Some(leadership) = self.lead().await? else {
            return Ok(ReconcileReport::default());
        };
        let result = self.pass().await;
        if let Leadership::Postgres(mut conn) = leadership {
            let unlock = format!("SELECT pg_advisory_unlock({LOCK_KEY})");
            if let Err(err) = sqlx::query(sqlx::AssertSqlSafe(unlock))
                .execute(&mut *conn)
                .await
            {
                // The connection is closed on drop (see `lead`), which releases the lock too.
                tracing::warn!(error = %err, "could not release the reconcile lock");
            }
        }
        result
    }

    /// Runs a pass every `every` until `shutdown` completes; failures are logged and retried
    /// on the next tick.
    pub async fn run(&self, every: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                _ = ticker.tick() => match self.try_run_once().await {
                    Ok(report) if report.ran => tracing::info!(
                        open = report.open, changed = report.changed.len(),
                        failures = report.failures.len(), "availability reconciled"
                    ),
                    Ok(_) => tracing::debug!("another replica is reconciling"),
                    Err(err) => tracing::warn!(error = %err, "availability reconcile failed"),
                },
            }
        }
    }

    async fn lead(&self) -> CoreResult<Option<Leadership>> {
        let Db::Postgres(crate::store::PgDb { pool, .. }) = &self.db else {
            return Ok(Some(Leadership::Sole));
        };
        let mut conn = pool.acquire().await?;
        // A pass cancelled midway must not leave the lock held by a pooled session.
        conn.close_on_drop();
        let lock = format!("SELECT pg_try_advisory_lock({LOCK_KEY})");
        let (got,): (bool,) = sqlx::query_as(sqlx::AssertSqlSafe(lock))
            .fetch_one(&mut *conn)
            .await?;
        Ok(got.then_some(Leadership::Postgres(conn)))
    }

    /// Notes where the titles found sit on their server (for search cards' library links), as
    /// the webhooks do. Best effort: a failure is logged, availability is already recorded.
    async fn remember_items(&self, open: &[Request], presence: &Presence) {
        let titles: HashSet<(MediaType, TmdbId)> = open
            .iter()
            .map(|r| (r.media.media_type, r.media.tmdb_id))
            .collect();
        let now = Timestamp::now();
        for (media_type, tmdb) in titles {
            let Some(item) = presence.items.get(&(media_type, tmdb)) else {
                continue;
            };
            if let Err(err) = library::put_item(&self.db, media_type, tmdb, item, now).await {
                tracing::warn!(%tmdb, error = %err, "library item not remembered");
            }
        }
    }

    async fn pass(&self) -> CoreResult<ReconcileReport> {
        let mut open = Vec::new();
        let mut after = RequestId(0);
        loop {
            let page = store::open_page(&self.db, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            open.extend(page);
        }
        let mut report = ReconcileReport {
            ran: true,
            open: open.len(),
            ..ReconcileReport::default()
        };
        if open.is_empty() || self.servers.is_empty() {
            return Ok(report);
        }
        let wanted = Wanted::from_requests(&open);
        let mut presence = Presence::default();
        for server in &self.servers {
            match server.find(&wanted).await {
                Ok(found) => presence.merge(found),
                Err(err) => {
                    tracing::warn!(server = server.name(), error = %err, "media server not reconciled");
                    report.failures.push(format!("{}: {err}", server.name()));
                }
            }
        }
        // Season counts cannot settle a request for single episodes (the library index's
        // pass and the webhooks do, from the episodes themselves).
        let answers: Vec<(RequestId, Seasons)> = open
            .iter()
            .filter(|request| request.episodes.is_empty())
            .filter_map(|request| {
                let seasons = presence.seasons_for(request);
                let news = seasons
                    .iter()
                    .any(|s| !request.available_seasons.contains(s));
                news.then_some((request.id, seasons))
            })
            .collect();
        let recorded = self
            .availability
            .record_many(&Actor::system(), &answers)
            .await;
        for (id, result) in recorded {
            match result {
                Ok(recorded) if recorded.changed => report.changed.push(id),
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(request = %id, error = %err, "availability not recorded")
                }
            }
        }
        self.remember_items(&open, &presence).await;
        if report.failures.len() < self.servers.len() {
            let ids: Vec<RequestId> = open.iter().map(|r| r.id).collect();
            store::mark_checked(&self.db, &ids, Timestamp::now()).await?;
        }
        Ok(report)
    }
}
