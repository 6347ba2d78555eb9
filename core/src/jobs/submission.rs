//! The submission worker: drains approved requests from the outbox to Radarr/Sonarr.
//!
//! Rows are claimed with a lease, so a worker that dies mid-way gives its rows back when the lease
//! ends, and on PostgreSQL replicas never claim the same row. Submitting is idempotent (the
//! library is asked first), so a row handled twice — after a crash between the upstream add and
//! the status change — still adds the title once. Transient failures are retried with
//! exponential backoff; permanent ones, or too many attempts, make the request Failed with the
//! error, visible to admins, who can retry it.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::domain::{
    Actor, Circuit, MediaType, Request, RequestStatus, Timestamp, UpstreamFailure, UpstreamRef,
};
use crate::error::{CoreError, CoreResult};
use crate::integrations::TvdbIds;
use crate::integrations::arr::{
    AnimeCheck, ArrInstances, Destination, SeriesShape, Submission as ArrSubmission, requester_tag,
};
use crate::service::RequestService;
use crate::service::events::{Submission, TOPIC_SUBMIT};
use crate::store::outbox::{self, OutboxRow};
use crate::store::{Db, requests, submission};

use super::Stopping;

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// How long a claimed row is ours; after that another worker may take it.
    pub lease: Duration,
    /// Rows claimed at once.
    pub batch: u32,
    /// Attempts before a request becomes Failed.
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Longest wait between retries.
    pub max_backoff: Duration,
    /// How long a submission under way when the process stops may go on; one cut short is
    /// handed back to the queue ([`super::stopping`]).
    pub stop_grace: Duration,
}

/// How long a stopping worker waits for approvals that chose it as their taker to commit. Such
/// a transaction has already written its row and only has to finish, so a second is ample; it
/// keeps the whole stop (this, after a submission's [`WorkerOptions::stop_grace`]) within the
/// app's wait for its jobs.
const HANDED_SETTLE: Duration = Duration::from_secs(1);

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(600),
            batch: 10,
            max_attempts: 5,
            backoff: Duration::from_secs(60),
            max_backoff: Duration::from_secs(3600),
            stop_grace: Duration::from_secs(5),
        }
    }
}

impl WorkerOptions {
    /// The defaults with the operator's attempt limit.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            max_attempts: settings.arr.submit_attempts,
            lease: Duration::from_secs(u64::from(settings.arr.submit_lease_secs)),
            backoff: Duration::from_secs(u64::from(settings.arr.retry_backoff_secs)),
            ..Self::default()
        }
    }

    /// The wait before retry number `attempt` (1-based): `backoff`, doubled each time, capped.
    pub fn backoff_for(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// Why one submission attempt did not place the request.
struct Failure {
    message: String,
    transient: bool,
    /// The upstream's answer, as the request keeps it (attempts filled in by the caller).
    answer: UpstreamFailure,
}

impl Failure {
    /// A failure of Usher's own making before any upstream answered (no TVDB id, TMDB down).
    fn without_answer(service: &str, message: String, transient: bool) -> Self {
        let answer = UpstreamFailure {
            service: service.to_owned(),
            status: None,
            message: message.clone(),
            circuit: Circuit::Closed,
            attempts: 0,
        };
        Self {
            message,
            transient,
            answer,
        }
    }
}

/// Sends approved requests to Radarr/Sonarr.
#[derive(Clone)]
pub struct SubmissionWorker {
    db: Db,
    requests: RequestService,
    arr: Arc<ArrInstances>,
    tvdb_ids: Option<Arc<dyn TvdbIds>>,
    anime: Option<Arc<dyn AnimeCheck>>,
    options: WorkerOptions,
}

impl SubmissionWorker {
    /// A worker over the database and instances; `tvdb_ids` finds the TVDB id of a show that
    /// was requested without one (the TMDB client).
    pub fn new(
        db: Db,
        arr: Arc<ArrInstances>,
        tvdb_ids: Option<Arc<dyn TvdbIds>>,
        options: WorkerOptions,
    ) -> Self {
        Self {
            requests: RequestService::new(db.clone()),
            db,
            arr,
            tvdb_ids,
            anime: None,
            options,
        }
    }

    /// Lets TMDB say which shows are anime (else Sonarr's genres decide).
    pub fn with_anime_check(mut self, anime: Arc<dyn AnimeCheck>) -> Self {
        self.anime = Some(anime);
        self
    }

    /// Handles the due rows once; returns how many rows were claimed. A row whose handling hit a
    /// database error is left claimed and comes back when its lease ends.
    pub async fn try_run_once(&self) -> CoreResult<usize> {
        self.round(&Stopping::never()).await
    }

    /// One round over the due rows. Once `stopping` is set, the rows not yet started are handed
    /// back untried.
    async fn round(&self, stopping: &Stopping) -> CoreResult<usize> {
        let rows = outbox::claim(
            &self.db,
            TOPIC_SUBMIT,
            self.options.batch,
            self.options.lease,
            Timestamp::now(),
        )
        .await?;
        for row in &rows {
            self.attempt(row, Came::Claimed, stopping).await;
        }
        Ok(rows.len())
    }

    /// Submits until `stopping` is set: each approval made in this process is handed over
    /// as it commits ([`crate::store::handoff`]); the loop over the outbox takes the rest
    /// (retries when due, other replicas' and processes' approvals, rows of a crashed run),
    /// woken by commits and by due times ([`crate::jobs::pace`]). On the stop, a submission
    /// under way gets [`WorkerOptions::stop_grace`] to finish; it and every row handed over
    /// but not started go back to the queue, due at once for the next start.
    pub async fn run(&self, stopping: Stopping) {
        let mut handed = self.db.take_handed(TOPIC_SUBMIT, self.options.lease);
        let batch = self.options.batch as usize;
        let outbox_loop =
            super::pace::drive(&self.db, TOPIC_SUBMIT, batch, stopping.signalled(), || {
                self.round(&stopping)
            });
        let handed_loop = async {
            loop {
                let row = tokio::select! {
                    biased;
                    () = stopping.signalled() => break,
                    row = handed.next() => row,
                };
                let Some(row) = row else { return };
                self.attempt(&OutboxRow::from(row), Came::Handed, &stopping)
                    .await;
            }
            // No more rows are handed from here on; those already sent, and those of
            // approvals committing right now, go back untried.
            for row in handed.finish(HANDED_SETTLE).await {
                self.hand_back(&OutboxRow::from(row)).await;
            }
        };
        tokio::join!(outbox_loop, handed_loop);
    }

    /// Handles one row, unless the process is stopping: then it is handed back untried, or,
    /// when the stop comes while it is under way, handed back after the grace.
    async fn attempt(&self, row: &OutboxRow, came: Came, stopping: &Stopping) {
        if stopping.is_set() {
            return self.hand_back(row).await;
        }
        let grace = self.options.stop_grace;
        match stopping.within_grace(grace, self.handle(row, came)).await {
            Some(Ok(())) => {}
            Some(Err(err)) => {
                let id = row.id;
                tracing::warn!(outbox_id = id, error = %err, "submission left for a later attempt");
            }
            None => {
                tracing::warn!(
                    outbox_id = row.id,
                    ?grace,
                    "stopping: a submission under way was cut short"
                );
                self.hand_back(row).await;
            }
        }
    }

    /// Returns a row to the queue, due at once (another replica, or the next start, takes it;
    /// submitting again adopts what Radarr/Sonarr may already hold). On failure its lease ends
    /// by itself.
    async fn hand_back(&self, row: &OutboxRow) {
        if let Err(err) = outbox::release(&self.db, row).await {
            tracing::warn!(outbox_id = row.id, error = %err, "submission left leased until its lease ends");
        }
    }

    async fn handle(&self, row: &OutboxRow, came: Came) -> CoreResult<()> {
        let (request_id, requester, approved) = match serde_json::from_str::<Submission>(
            &row.payload,
        ) {
            Ok(Submission::Submit {
                request_id,
                requester,
                approved,
            }) => (request_id, requester, approved),
            Err(err) => {
                tracing::error!(outbox_id = row.id, error = %err, "unreadable submission dropped");
                return outbox::complete(&self.db, row.id, Timestamp::now()).await;
            }
        };
        // Handed over at its approval's commit, the request is as approved; anything else may
        // have moved since it was queued and is read afresh.
        let request = match (came, approved) {
            (Came::Handed, Some(approved)) => Some(*approved),
            _ => requests::find(&self.db, request_id).await?,
        };
        let Some(request) = request.filter(|r| r.status == RequestStatus::Approved) else {
            tracing::debug!(request = %request_id, "no longer approved; nothing to submit");
            return outbox::complete(&self.db, row.id, Timestamp::now()).await;
        };
        let system = Actor::system();
        match self.place(&request, requester).await? {
            Ok(upstream) => {
                let (id, instance) = (request.id, &upstream.instance);
                tracing::info!(request = %id, %instance, upstream_id = upstream.id, "submitted");
                let marked = self
                    .requests
                    .mark_submitted_closing(&system, request, &upstream, row.id)
                    .await;
                if marked.is_ok() {
                    return Ok(()); // the row closed with the status
                }
                // Moved meanwhile (declined, say): Radarr/Sonarr holds it all the same.
                submission::set_upstream(&self.db, id, &upstream).await?;
                tolerate_race(marked)?;
            }
            Err(failure) => {
                let attempts = u32::try_from(row.attempts).unwrap_or(0).saturating_add(1);
                let answer = UpstreamFailure {
                    attempts,
                    ..failure.answer
                }
                .or_previous(request.failure.as_ref());
                if failure.transient && attempts < self.options.max_attempts {
                    let wait = self.options.backoff_for(attempts);
                    let (id, error) = (request.id, &failure.message);
                    tracing::info!(request = %id, %error, attempts, ?wait, "retried later");
                    submission::note_error(&self.db, request.id, &failure.message, &answer).await?;
                    return outbox::retry_later(
                        &self.db,
                        row,
                        &failure.message,
                        wait,
                        Timestamp::now(),
                    )
                    .await;
                }
                let message = if failure.transient {
                    format!("{} (gave up after {attempts} attempts)", failure.message)
                } else {
                    failure.message
                };
                tracing::warn!(request = %request.id, error = %message, "submission failed");
                tolerate_race(
                    self.requests
                        .mark_failed(&system, request.id, &message, Some(&answer))
                        .await,
                )?;
            }
        }
        outbox::complete(&self.db, row.id, Timestamp::now()).await
    }

    /// One attempt at placing the request upstream. The outer error is our own (database);
    /// the inner one the upstream's.
    async fn place(
        &self,
        request: &Request,
        requester: Option<String>,
    ) -> CoreResult<Result<UpstreamRef, Failure>> {
        let mut media = request.media.clone();
        if media.media_type == MediaType::Tv && media.tvdb_id.is_none() {
            let found = match &self.tvdb_ids {
                None => Ok(None),
                Some(ids) => ids.tvdb_id(media.tmdb_id).await,
            };
            match found {
                Ok(Some(tvdb_id)) => {
                    submission::set_tvdb_id(&self.db, request.id, tvdb_id).await?;
                    media.tvdb_id = Some(tvdb_id);
                }
                Ok(None) => {
                    let message = format!(
                        "no TVDB id is known for {}, which Sonarr needs",
                        media.title
                    );
                    return Ok(Err(Failure::without_answer("TMDB", message, false)));
                }
                Err(err) => {
                    let (message, transient) = (format!("TMDB: {err}"), err.is_transient());
                    return Ok(Err(Failure::without_answer("TMDB", message, transient)));
                }
            }
        }
        let anime = match (&self.anime, media.media_type) {
            (Some(check), MediaType::Tv) => match check.is_anime(media.tmdb_id).await {
                Ok(anime) => Some(anime),
                Err(err) => {
                    tracing::debug!(error = %err, "anime check failed; Sonarr's genres decide");
                    None
                }
            },
            _ => None,
        };
        let sizes = self.season_sizes(&media).await;
        let name = match requester {
            Some(name) => Some(name),
            None => submission::requester_name(&self.db, request.requested_by).await?,
        };
        let tags = [requester_tag(
            name.as_deref().unwrap_or_default(),
            request.requested_by.0,
        )];
        let input = ArrSubmission {
            media: &media,
            seasons: &request.seasons,
            future_seasons: request.future_seasons,
            four_k: request.four_k,
            anime,
            extra_tags: &tags,
            instance: request.target_instance.as_deref(),
            placement: Destination {
                quality_profile: request.target_profile.as_deref(),
                root_folder: request.target_root_folder.as_deref(),
                tags: request.target_tags.as_deref(),
            },
            shape: SeriesShape {
                series_type: request.target_series_type,
                tmdb_seasons: sizes.as_deref(),
            },
        };
        Ok(self
            .arr
            .submit_episodes(&input, &request.episodes)
            .await
            .map(|(upstream, _)| upstream)
            .map_err(|err| {
                let mut answer = match err.upstream() {
                    Some(upstream) => upstream.failure(err.instance, 0),
                    None => UpstreamFailure {
                        service: err.instance.to_owned(),
                        status: None,
                        message: err.kind.to_string(),
                        circuit: Circuit::Closed,
                        attempts: 0,
                    },
                };
                // The breaker as this attempt left it: its failure may be the one that paused
                // the calls.
                if self.arr.get(err.instance).is_some_and(|i| i.calls_paused()) {
                    answer.circuit = Circuit::Open;
                }
                Failure {
                    transient: err.is_transient(),
                    message: err.to_string(),
                    answer,
                }
            }))
    }
}

impl SubmissionWorker {
    /// TMDB's season sizes of a show, to line its season numbers up with Sonarr's; from the
    /// details the anime check has just read (cached), so no call more. `None` for movies,
    /// without TMDB, or when TMDB fails (then seasons Sonarr lacks are left out, as before).
    async fn season_sizes(&self, media: &crate::domain::Media) -> Option<Vec<(u16, u32)>> {
        let check = self
            .anime
            .as_ref()
            .filter(|_| media.media_type == MediaType::Tv)?;
        match check.season_sizes(media.tmdb_id).await {
            Ok(sizes) => Some(sizes),
            Err(err) => {
                tracing::debug!(error = %err, "no TMDB season sizes; Sonarr's numbers are used");
                None
            }
        }
    }
}

/// Where a row came from: handed over by its approval's commit, or claimed from the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Came {
    /// Handed over as its transaction committed: the snapshot in it is current.
    Handed,
    /// Claimed from the outbox: queued at some time before; read the request again.
    Claimed,
}

/// A status change refused because someone moved the request meanwhile (an admin declined a
/// failed request, say) is not an error of the worker: the row is done either way.
fn tolerate_race(result: CoreResult<Request>) -> CoreResult<()> {
    match result {
        Ok(_) | Err(CoreError::IllegalTransition { .. } | CoreError::AlreadyDecided { .. }) => {
            Ok(())
        }
        Err(err) => Err(err),
    }
}
