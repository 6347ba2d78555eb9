//! AvailabilityService: turns "the library holds these seasons" into request states. Webhooks
//! and the reconcile job both end here, so the decision (partial or full), the stored seasons,
//! the audit row and the notification are made the same way whoever noticed first.

mod episodes;

use serde_json::json;

use super::authz;
use super::requests::{Step, load, transition};
use crate::domain::availability::OPEN_STATUSES;
use crate::domain::{
    Actor, AuditAction, Availability, MediaType, Permission, Request, RequestId, RequestStatus,
    Seasons, Timestamp, TmdbId, TvdbId,
};
use crate::error::{CoreError, CoreResult};
use crate::store::requests::StatusChange;
use crate::store::{Db, Tx, audit, availability as store, in_tx};

/// Requests recorded per transaction by [`AvailabilityService::record_many`].
const BATCH: usize = 100;

/// The result of [`AvailabilityService::record_availability`].
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The request as it is now.
    pub request: Request,
    /// Whether anything changed (and so a notification was queued).
    pub changed: bool,
}

/// Records what the library holds of requests and finds the open ones a title concerns.
#[derive(Clone, Debug)]
pub struct AvailabilityService {
    db: Db,
}

impl AvailabilityService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The library holds `available` of this request (seasons for TV; any non-empty set, e.g.
    /// `[0]`, for a movie). A request for single episodes is left to
    /// [`Self::record_episodes`]: a season count cannot tell which episodes are there. Seasons already known are kept, so webhooks reporting one episode
    /// at a time add up. Decides Partial or Available and writes the seasons, the status, an
    /// audit row and a notification in one transaction. Idempotent: when nothing changes nothing
    /// is written, so a replayed webhook or a repeated reconcile notifies no one twice. Requests
    /// that are not open (pending, declined, already available…) are left alone.
    pub async fn record_availability(
        &self,
        actor: &Actor,
        id: RequestId,
        available: &Seasons,
    ) -> CoreResult<Recorded> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = in_tx(&self.db, |tx| {
                Box::pin(async { record_in(tx, actor, id, available).await })
            })
            .await;
            match result {
                // Someone else moved the request between our read and our write: read again.
                Err(CoreError::IllegalTransition { .. }) if attempt < 3 => continue,
                other => return other,
            }
        }
    }

    /// Records many answers (the reconcile job) in transactions of up to 100 requests, so
    /// 1,000 changes cost ten commits instead of a thousand. When a batch fails (a request moved
    /// meanwhile, or vanished) its requests are recorded one by one, each with its own result.
    pub async fn record_many(
        &self,
        actor: &Actor,
        answers: &[(RequestId, Seasons)],
    ) -> Vec<(RequestId, CoreResult<Recorded>)> {
        let mut results = Vec::with_capacity(answers.len());
        for chunk in answers.chunks(BATCH) {
            let batch: CoreResult<Vec<Recorded>> = in_tx(&self.db, |tx| {
                Box::pin(async {
                    let mut done = Vec::with_capacity(chunk.len());
                    for (id, seasons) in chunk {
                        done.push(record_in(tx, actor, *id, seasons).await?);
                    }
                    Ok(done)
                })
            })
            .await;
            match batch {
                Ok(done) => results.extend(
                    chunk
                        .iter()
                        .map(|(id, _)| *id)
                        .zip(done.into_iter().map(Ok)),
                ),
                Err(_) => {
                    for (id, seasons) in chunk {
                        results.push((*id, self.record_availability(actor, *id, seasons).await));
                    }
                }
            }
        }
        results
    }

    /// Open requests for a movie.
    pub async fn open_movie(&self, tmdb: TmdbId) -> CoreResult<Vec<Request>> {
        store::open_for_title(&self.db, MediaType::Movie, Some(tmdb), None).await
    }

    /// Open requests for a show, found by TMDB or TVDB id.
    pub async fn open_show(
        &self,
        tmdb: Option<TmdbId>,
        tvdb: Option<TvdbId>,
    ) -> CoreResult<Vec<Request>> {
        store::open_for_title(&self.db, MediaType::Tv, tmdb, tvdb).await
    }

    /// Radarr or Sonarr deleted the title: every request for it gets an audit row saying so and
    /// forgets the seasons it was known to have, so the next webhook or reconcile decides
    /// afresh. The status is kept: the lifecycle has no way back from Available. Returns the
    /// requests concerned.
    pub async fn note_deletion(
        &self,
        actor: &Actor,
        media_type: MediaType,
        tmdb: Option<TmdbId>,
        tvdb: Option<TvdbId>,
        details: &serde_json::Value,
    ) -> CoreResult<Vec<RequestId>> {
        let requests = store::any_for_title(&self.db, media_type, tmdb, tvdb).await?;
        let now = Timestamp::now();
        let mut noted = Vec::new();
        for request in requests {
            if !request.status.holds_claim() {
                continue;
            }
            in_tx(&self.db, |tx| {
                Box::pin(async {
                    authz::caller(tx, actor).await?.require(Permission::Admin)?;
                    let target = format!("request:{}", request.id);
                    audit::record(
                        tx,
                        actor,
                        AuditAction::RequestUpstreamDeleted,
                        &target,
                        details,
                        now,
                    )
                    .await?;
                    store::forget_available(tx, request.id).await
                })
            })
            .await?;
            noted.push(request.id);
        }
        Ok(noted)
    }
}

impl AvailabilityService {
    /// Available requests whose title `held` says is no longer in the library give their
    /// claim up (with an audit row), so a member can request the title again; the status stays
    /// Available, as the lifecycle has no way back. Returns the requests released.
    pub async fn release_absent(
        &self,
        actor: &Actor,
        held: impl Fn(MediaType, TmdbId) -> bool,
    ) -> CoreResult<Vec<RequestId>> {
        let mut released = Vec::new();
        let mut after = RequestId(0);
        loop {
            let page = store::claiming_available_page(&self.db, after, 500).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for request in page {
                if request.four_k || held(request.media.media_type, request.media.tmdb_id) {
                    continue;
                }
                let now = Timestamp::now();
                let done = in_tx(&self.db, |tx| {
                    Box::pin(async move {
                        authz::caller(tx, actor).await?.require(Permission::Admin)?;
                        let freed = store::release_claims(tx, request.id).await?;
                        if freed > 0 {
                            let target = format!("request:{}", request.id);
                            let details = json!({ "reason": "left the library" });
                            audit::record(
                                tx,
                                actor,
                                AuditAction::RequestUpstreamDeleted,
                                &target,
                                &details,
                                now,
                            )
                            .await?;
                            store::forget_available(tx, request.id).await?;
                        }
                        Ok(freed > 0)
                    })
                })
                .await?;
                if done {
                    released.push(request.id);
                }
            }
        }
        Ok(released)
    }
}

async fn record_in(
    tx: &mut Tx,
    actor: &Actor,
    id: RequestId,
    available: &Seasons,
) -> CoreResult<Recorded> {
    authz::caller(tx, actor).await?.require(Permission::Admin)?;
    let request = load(tx, id).await?;
    let unchanged = |request| {
        Ok(Recorded {
            request,
            changed: false,
        })
    };
    // A request for single episodes is not decided by seasons: another episode of the season
    // would make it look there (see `episodes`).
    if !OPEN_STATUSES.contains(&request.status) || !request.episodes.is_empty() {
        return unchanged(request);
    }
    let media_type = request.media.media_type;
    let known = Seasons::new(request.available_seasons.iter().chain(available.iter()));
    let answer = Availability::decide(media_type, &request.seasons, &known);
    let stored = answer.stored_seasons(media_type, &request.seasons);
    let to = match answer {
        Availability::None => return unchanged(request),
        Availability::Partial(_) => RequestStatus::PartiallyAvailable,
        Availability::Full => RequestStatus::Available,
    };
    if to == request.status && stored == request.available_seasons {
        return unchanged(request);
    }
    let details = json!({ "seasons": stored.to_csv(), "full": to == RequestStatus::Available });
    let step = Step {
        to,
        action: AuditAction::RequestAvailability,
        change: StatusChange::default(),
        details,
    };
    let mut request = transition(tx, actor, request, step).await?;
    let now = Timestamp::now();
    store::set_available(tx, id, &stored, now).await?;
    request.available_seasons = stored;
    Ok(Recorded {
        request,
        changed: true,
    })
}
