//! RequestService: the only way requests are made and change status. Every change checks the
//! caller's permission, writes the new state, an audit row and outbox rows in one transaction.

use crate::store::in_tx;
use std::collections::{BTreeSet, HashMap};

use serde_json::json;

use super::authz::{self, Caller};
use super::events::{self, Notification};
use super::offerable::ContentGate;
use crate::domain::{
    Actor, AuditAction, Episodes, Media, MediaType, Permission, PlaceKey, QuotaScope, Request,
    RequestId, RequestStatus, Seasons, Timestamp, UserId, quota,
};
use crate::error::{CoreError, CoreResult};
use crate::store::requests::{self as store, Cursor, NewRequestRow, RequestFilter, StatusChange};
use crate::store::{Db, Tx, audit, directory, users};

mod browse;
mod budget;
mod bulk;
mod comment;
mod create;
mod detail;
mod edit;
mod role_placement;
mod system_steps;
mod target;
mod vote;

use create::add_follower;

pub use browse::{BROWSE_MAX, Browse, BrowsePage, DEEPEST_PAGE};
pub use bulk::{BULK_MAX, BulkDecision, BulkResult};
pub use comment::DRAFT_KEPT;
pub use detail::{RequestDetail, TRAIL_LIMIT};
pub use edit::RequestChange;
pub use target::Target;
use target::check_instance;
pub use vote::{VoteKind, VoteOutcome};

/// What a member asks for.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The title, as found on TMDB.
    pub media: Media,
    /// Seasons wanted (TV only; at least one).
    pub seasons: Seasons,
    /// Sonarr should also monitor seasons that do not exist yet (TV only).
    pub future_seasons: bool,
    /// A 4K copy.
    pub four_k: bool,
}

/// How a request call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// A new request waits for approval.
    Created,
    /// A new request was approved by an auto-approve rule.
    AutoApproved,
    /// Someone had already asked; the caller now follows that request.
    Followed,
}

/// The result of [`RequestService::create`].
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// Created, auto-approved or followed.
    pub kind: OutcomeKind,
    /// The new request, or the one now followed.
    pub request: Request,
    /// Other people's requests the caller now follows for seasons they already hold.
    pub following: Vec<RequestId>,
    /// Requested seasons that someone else had already asked for.
    pub already_requested: Seasons,
    /// The place it was asked from, when that place has rules (`[[place]]`): its budget counts
    /// the request and its members get a card to vote on. `None` elsewhere and when followed.
    pub place: Option<PlaceKey>,
}

/// A page of requests, newest first.
#[derive(Debug, Clone)]
pub struct RequestPage {
    /// The rows.
    pub items: Vec<Request>,
    /// Pass back to get the next page; `None` on the last one.
    pub next: Option<Cursor>,
    /// Display names of the requesters on this page.
    pub requesters: HashMap<UserId, String>,
}

/// Requests: create, decide, cancel, follow, list.
#[derive(Clone, Debug)]
pub struct RequestService {
    db: Db,
    /// Whether a new request is queued for announcing: only when some chat announces new
    /// requests (an announce channel is set), else the event would be claimed and closed for
    /// nothing (five statements per request).
    announce: bool,
    /// Refuses a request for a title outside the requester's content limit.
    gate: ContentGate,
    /// `[[override]]` rules, in file order: the first match places a new request.
    overrides: std::sync::Arc<[crate::domain::OverrideRule]>,
}

impl RequestService {
    /// Builds the service over a database; new requests are queued for announcing.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            announce: true,
            gate: ContentGate::default(),
            overrides: std::sync::Arc::from(Vec::new()),
        }
    }

    /// The same service, placing new requests by these override rules (`[[override]]`, in
    /// file order) ahead of their requesters' roles' placements.
    #[must_use]
    pub fn with_overrides(mut self, rules: std::sync::Arc<[crate::domain::OverrideRule]>) -> Self {
        self.overrides = rules;
        self
    }

    /// The same service, judging requested titles against the requester's content limit
    /// with this gate (which reads title facts from TMDB).
    #[must_use]
    pub fn with_gate(mut self, gate: ContentGate) -> Self {
        self.gate = gate;
        self
    }

    /// The same service, queueing new requests for announcing only when `announce` (some
    /// chat has an announce channel).
    #[must_use]
    pub fn announcing(mut self, announce: bool) -> Self {
        self.announce = announce;
        self
    }

    /// Asks for a title. Dedup, quota and auto-approve are decided in one transaction: a title
    /// someone already asked for makes the caller a follower instead of a second request.
    /// A note the requester typed with a recent chat search ([`RequestService::draft_note`])
    /// rides along.
    pub async fn create(&self, actor: &Actor, new: NewRequest) -> CoreResult<RequestOutcome> {
        self.create_full(actor, new, &Episodes::default(), None, None)
            .await
    }

    /// [`RequestService::create`] from a place (a group chat or a Discord server): the place's
    /// shared budget is checked with the personal quota in the same transaction, and the
    /// request counts against it from then on. A place with no rules, or `None` (a private
    /// chat, the console), checks the personal quota only.
    pub async fn create_at(
        &self,
        actor: &Actor,
        new: NewRequest,
        place: Option<PlaceKey>,
    ) -> CoreResult<RequestOutcome> {
        self.create_full(actor, new, &Episodes::default(), None, place)
            .await
    }

    /// [`Self::create`] for single episodes of a show (`/tv Show S02E05`): the request names
    /// the episodes and the seasons they belong to (whatever `new.seasons` said). The same
    /// episode asked twice is a duplicate (the second asker follows), and so is an episode of a
    /// season someone already asked for; an episode request does not stop anyone asking for
    /// the whole season. It counts as one season per season of its episodes against quotas.
    /// Empty `episodes`: an ordinary request.
    pub async fn create_episodes(
        &self,
        actor: &Actor,
        new: NewRequest,
        episodes: &Episodes,
    ) -> CoreResult<RequestOutcome> {
        self.create_full(actor, new, episodes, None, None).await
    }

    /// Approves a pending request; it is then queued for Radarr/Sonarr. When two approvers press
    /// at once exactly one wins and the other gets [`CoreError::AlreadyDecided`].
    pub async fn approve(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        self.decide(actor, id, RequestStatus::Approved, None, &Target::default())
            .await
    }

    /// Approves a pending request and sends it where the approver chose instead of where the
    /// usual rule (4K, anime, default instance; the instance's quality profile and root folder)
    /// would. An instance must be a known one for the request's media type; whether it is
    /// configured, and whether the profile and folder exist there, is the submission's business
    /// (a wrong one fails the request visibly, where an approver can retry elsewhere or decline).
    pub async fn approve_to(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'_>,
    ) -> CoreResult<Request> {
        target.validate()?;
        self.decide(actor, id, RequestStatus::Approved, None, target)
            .await
    }

    /// Declines a pending (or failed) request with a reason shown to the requester.
    pub async fn decline(&self, actor: &Actor, id: RequestId, reason: &str) -> CoreResult<Request> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(CoreError::Validation(
                "a decline reason must have 1 to 500 characters".into(),
            ));
        }
        self.decide(
            actor,
            id,
            RequestStatus::Declined,
            Some(reason),
            &Target::default(),
        )
        .await
    }

    /// Whether the caller may decline this request now, without changing anything: a front end
    /// asks before it opens a form for the reason (Discord's modal), so a member or a stale card
    /// hears at once, not after typing. Errors as [`RequestService::decline`] would give.
    pub async fn check_decline(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor)
                    .await?
                    .require(Permission::Approve)?;
                let request = load(tx, id).await?;
                if request.status.can_become(RequestStatus::Declined) {
                    Ok(request)
                } else {
                    Err(refuse(&request, RequestStatus::Declined))
                }
            })
        })
        .await
    }

    /// Puts a failed request back in the submission queue.
    pub async fn retry(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        self.retry_as(actor, id, &Target::default(), false).await
    }

    /// Puts a failed request back in the submission queue with the quality profile, root
    /// folder and tags the approver chose this time, each `None` being the instance's own
    /// choice again (the instance stays the stored one unless `target` names another): a
    /// request that failed on a profile deleted upstream can be sent with another.
    pub async fn retry_to(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'_>,
    ) -> CoreResult<Request> {
        self.retry_as(actor, id, target, true).await
    }

    async fn retry_as(
        &self,
        actor: &Actor,
        id: RequestId,
        target: &Target<'_>,
        replace_placement: bool,
    ) -> CoreResult<Request> {
        target.validate()?;
        let tags = target.tags_column();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                authz::caller(tx, actor)
                    .await?
                    .require(Permission::Approve)?;
                let request = load(tx, id).await?;
                check_instance(&request, target.instance)?;
                let change = StatusChange {
                    last_error: Some(""),
                    target_instance: target.instance,
                    target_profile: target.quality_profile,
                    target_root_folder: target.root_folder,
                    target_tags: tags.as_deref(),
                    replace_placement,
                    ..StatusChange::default()
                };
                let step = Step {
                    to: RequestStatus::Approved,
                    action: AuditAction::RequestRetried,
                    change,
                    details: target.audit_details(),
                };
                transition(tx, actor, request, step).await
            })
        })
        .await
    }

    /// Withdraws a pending request; only its requester may.
    pub async fn cancel(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let request = load(tx, id).await?;
                if caller.user.as_ref().map(|u| u.id) != Some(request.requested_by) {
                    return Err(CoreError::Forbidden(
                        "only the requester can cancel a request".into(),
                    ));
                }
                let step = Step {
                    to: RequestStatus::Cancelled,
                    action: AuditAction::RequestCancelled,
                    change: StatusChange::default(),
                    details: json!({}),
                };
                transition(tx, actor, request, step).await
            })
        })
        .await
    }

    /// "Notify me too": the caller is told when the request becomes available.
    pub async fn follow(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                caller.require_any_request()?;
                let user = acting_user(&caller)?;
                let request = load(tx, id).await?;
                if request.requested_by == user {
                    return Err(CoreError::AlreadyRequested);
                }
                if !request.status.holds_claim() {
                    return Err(CoreError::Conflict(format!(
                        "request {id} is {}",
                        request.status
                    )));
                }
                if request.status == RequestStatus::Available {
                    return Err(CoreError::AlreadyAvailable);
                }
                add_follower(tx, actor, &request, now).await?;
                Ok(request)
            })
        })
        .await
    }

    /// One request, if the caller may see it (their own, or any for approvers).
    pub async fn get(&self, actor: &Actor, id: RequestId) -> CoreResult<Request> {
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                let request = load(tx, id).await?;
                let own = caller.user.as_ref().map(|u| u.id) == Some(request.requested_by);
                if own || caller.may(Permission::Approve) {
                    Ok(request)
                } else {
                    Err(not_found(id))
                }
            })
        })
        .await
    }

    /// A filtered page, newest first. Members only ever see their own requests.
    pub async fn list(
        &self,
        actor: &Actor,
        mut filter: RequestFilter,
        after: Option<Cursor>,
        limit: u32,
    ) -> CoreResult<RequestPage> {
        let caller = in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await })
        })
        .await?;
        if !caller.may(Permission::Approve) {
            filter.requested_by = Some(acting_user(&caller)?);
        }
        let limit = limit.clamp(1, 100);
        let mut items = store::list(&self.db, &filter, after, limit + 1).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|r| Cursor {
                created_at: r.created_at,
                id: r.id,
            })
        } else {
            None
        };
        let asked: Vec<UserId> = items.iter().map(|r| r.requested_by).collect();
        let requesters = directory::display_names(&self.db, &asked).await?;
        Ok(RequestPage {
            items,
            next,
            requesters,
        })
    }

    async fn decide(
        &self,
        actor: &Actor,
        id: RequestId,
        to: RequestStatus,
        reason: Option<&str>,
        target: &Target<'_>,
    ) -> CoreResult<Request> {
        let tags = target.tags_column();
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let caller = authz::caller(tx, actor).await?;
                caller.require(Permission::Approve)?;
                let request = load(tx, id).await?;
                check_instance(&request, target.instance)?;
                let (action, details) = match to {
                    RequestStatus::Declined => {
                        (AuditAction::RequestDeclined, json!({ "reason": reason }))
                    }
                    _ => (AuditAction::RequestApproved, target.audit_details()),
                };
                let change = StatusChange {
                    decided_by: actor.user,
                    decline_reason: reason,
                    target_instance: target.instance,
                    target_profile: target.quality_profile,
                    target_root_folder: target.root_folder,
                    target_tags: tags.as_deref(),
                    ..StatusChange::default()
                };
                transition(
                    tx,
                    actor,
                    request,
                    Step {
                        to,
                        action,
                        change,
                        details,
                    },
                )
                .await
            })
        })
        .await
    }
}

/// One status move with what it records.
pub(crate) struct Step<'a> {
    pub(crate) to: RequestStatus,
    pub(crate) action: AuditAction,
    pub(crate) change: StatusChange<'a>,
    pub(crate) details: serde_json::Value,
}

fn not_found(id: RequestId) -> CoreError {
    CoreError::NotFound(format!("request {id}"))
}

fn acting_user(caller: &Caller) -> CoreResult<crate::domain::UserId> {
    caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or_else(|| CoreError::Validation("this action needs a user".into()))
}

pub(crate) async fn load(tx: &mut Tx, id: RequestId) -> CoreResult<Request> {
    store::get(tx, id).await?.ok_or_else(|| not_found(id))
}

/// Refusal for a move that is not (or no longer) possible: a lost approval race names the winner.
fn refuse(current: &Request, to: RequestStatus) -> CoreError {
    let decided = matches!(
        current.status,
        RequestStatus::Approved | RequestStatus::Declined
    );
    let deciding = matches!(to, RequestStatus::Approved | RequestStatus::Declined);
    if decided && deciding {
        CoreError::AlreadyDecided {
            status: current.status,
            by: current.decided_by,
        }
    } else {
        CoreError::IllegalTransition {
            from: current.status,
            to,
        }
    }
}

/// Applies a legal move: new state, audit row and outbox rows, all in the caller's transaction.
pub(crate) async fn transition(
    tx: &mut Tx,
    actor: &Actor,
    request: Request,
    step: Step<'_>,
) -> CoreResult<Request> {
    if !request.status.can_become(step.to) {
        return Err(refuse(&request, step.to));
    }
    let now = Timestamp::now();
    let Some(updated) =
        store::change_status(tx, request.id, request.status, step.to, &step.change, now).await?
    else {
        let current = load(tx, request.id).await?;
        return Err(refuse(&current, step.to));
    };
    let mut details = step.details;
    details["from"] = json!(request.status);
    details["to"] = json!(step.to);
    audit::record(tx, actor, step.action, &target(updated.id), &details, now).await?;
    let submission = (step.to == RequestStatus::Approved).then_some((&updated, None));
    // Handing a title to Radarr/Sonarr is Usher's own step: nobody is told (the approval said
    // it is on its way), so no event is written for the fan-out to expand into nothing.
    let mut notices = Vec::with_capacity(1);
    if step.to != RequestStatus::Submitted {
        notices.push(Notification::RequestStatusChanged {
            request_id: updated.id,
            status: step.to,
            actor: actor.user,
        });
    }
    events::queue(tx, &notices, submission, now).await?;
    Ok(updated)
}

fn target(id: RequestId) -> String {
    format!("request:{id}")
}
