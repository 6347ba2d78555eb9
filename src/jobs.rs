//! Background work of `usher serve`: the submission worker (approved requests → Radarr/Sonarr),
//! the availability reconcile job and housekeeping (old searches and sessions), all stopped by
//! one shutdown signal.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use usher_core::config::Settings;
use usher_core::index::job::{self as index_job, Nudge};
use usher_core::index::pass::Passes;
use usher_core::integrations::arr::ArrInstances;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::integrations::tmdb::{TmdbClient, TmdbConfig};
use usher_core::jobs::reconcile::Reconciler;
use usher_core::jobs::submission::{SubmissionWorker, WorkerOptions};
use usher_core::jobs::{Housekeeping, Leader, Stopping};
use usher_core::service::Services;
use usher_core::store::Db;

use crate::supervise;

/// How often the reconcile job looks at open requests; webhooks usually get there first.
const RECONCILE_EVERY: Duration = Duration::from_secs(15 * 60);
/// The lease whose holder runs the reconcile passes.
const RECONCILE_LEASE: &str = "reconcile";
/// The lease whose holder runs the library index's passes.
const LIBRARY_LEASE: &str = "library-index";
/// How often old searches and sessions are forgotten.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(60 * 60);

/// How long a stopping process waits for its jobs. A submission under way has its own shorter
/// grace ([`WorkerOptions::stop_grace`]) and hands its row back, so this is only the backstop
/// that keeps a stop within systemd's `TimeoutStopSec`.
const JOBS_STOP_WAIT: Duration = Duration::from_secs(8);

/// The running jobs and the switch that stops them.
pub struct Jobs {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Jobs {
    /// Starts every job the configuration enables and notes which ones run.
    pub fn start(
        settings: &Settings,
        db: &Db,
        tmdb: Option<TmdbClient>,
        servers: &MediaServers,
        http: &HttpSettings,
        (passes, nudge): (Passes, Nudge),
        notes: &mut Vec<String>,
    ) -> anyhow::Result<Self> {
        let (stop, _) = watch::channel(false);
        let mut tasks = Vec::new();
        let arr = ArrInstances::from_settings(settings, http)?;
        if arr.is_empty() {
            notes.push("submission to Radarr/Sonarr: off (no instance configured)".to_owned());
        } else {
            let names: Vec<&str> = arr.iter().map(|i| i.name()).collect();
            notes.push(format!(
                "submission to Radarr/Sonarr: on ({})",
                names.join(", ")
            ));
            let mut worker = SubmissionWorker::new(
                db.clone(),
                Arc::new(arr),
                tmdb.clone()
                    .map(|t| Arc::new(t) as Arc<dyn usher_core::integrations::TvdbIds>),
                WorkerOptions::from_settings(settings),
            );
            if let Some(tmdb) = tmdb {
                worker = worker.with_anime_check(Arc::new(tmdb));
            }
            let stopping = Stopping::new(stop.subscribe());
            tasks.push(tokio::spawn(async move { worker.run(stopping).await }));
        }
        if !servers.is_empty() {
            // One replica ticks (under a lease); the pass's own lock stays as a second guard.
            let job = Reconciler::new(db.clone(), servers.all());
            let leader = Leader::new(db.clone(), RECONCILE_LEASE);
            let stopped = supervise::stopped(stop.subscribe());
            tasks.push(tokio::spawn(async move {
                let tick = || job.run(RECONCILE_EVERY, std::future::pending());
                leader.run(stopped, tick).await
            }));
        }
        if passes.is_empty() {
            notes.push(
                "library index: off (no media server or Radarr/Sonarr configured)".to_owned(),
            );
        } else {
            let names: Vec<String> = passes
                .index()
                .sources()
                .into_iter()
                .map(|(i, _)| i.name)
                .collect();
            notes.push(format!("library index: on ({})", names.join(", ")));
            // One replica passes (under a lease); the others answer from what it stores.
            let schedule = crate::library::schedule(settings);
            let leader = Leader::new(db.clone(), LIBRARY_LEASE);
            if matches!(db, Db::Postgres(_)) {
                // The others follow what the leader stores.
                let (index, db, leading) = (passes.index().clone(), db.clone(), leader.watch());
                let every = schedule.incremental_every;
                let stopped = supervise::stopped(stop.subscribe());
                tasks.push(tokio::spawn(async move {
                    tokio::pin!(stopped);
                    loop {
                        if !*leading.borrow()
                            && let Err(err) = index.reload(&db).await
                        {
                            tracing::warn!(error = %err, "library index not reloaded");
                        }
                        tokio::select! {
                            () = &mut stopped => return,
                            () = tokio::time::sleep(every) => {}
                        }
                    }
                }));
            }
            let stopped = supervise::stopped(stop.subscribe());
            tasks.push(tokio::spawn(async move {
                let work = || index_job::run(&passes, schedule, &nudge, std::future::pending());
                leader.run(stopped, work).await
            }));
        }
        let housekeeping = Housekeeping::new(Services::new(db.clone()));
        let stopped = supervise::stopped(stop.subscribe());
        tasks.push(tokio::spawn(async move {
            housekeeping.run(HOUSEKEEPING_EVERY, stopped).await
        }));
        Ok(Self { stop, tasks })
    }

    /// Completes when a job panics, with its message (see [`crate::supervise::first_panic`]).
    pub async fn first_panic(&mut self) -> String {
        supervise::first_panic(&mut self.tasks).await
    }

    /// Asks every job to stop and waits for them to finish their current step, at most
    /// [`JOBS_STOP_WAIT`] in all; a job still going then is cut where it stands.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let late = supervise::join_within(self.tasks, JOBS_STOP_WAIT).await;
        if late > 0 {
            tracing::warn!(
                late,
                "jobs did not stop in time; cut short (their outbox rows come back when their leases end)"
            );
        }
    }
}

/// The TMDB client, when a key is configured.
pub fn tmdb_client(settings: &Settings, http: &HttpSettings) -> anyhow::Result<Option<TmdbClient>> {
    TmdbConfig::from_settings(settings)
        .map(|config| TmdbClient::new(config, http))
        .transpose()
        .map_err(Into::into)
}
