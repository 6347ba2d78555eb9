//! "I want this too": a member's vote on a pending request posted in a group chat or server.
//! A vote makes the voter a follower (told when the title lands), is kept once per Usher user
//! whichever platform they press on, and — once the votes reach the place's threshold —
//! approves the request as Usher itself, through the same transition an approver's press takes.

use super::*;
use crate::store::places;

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteKind {
    /// Counted; the request still waits.
    Counted,
    /// Counted, and it reached the threshold: the request is approved.
    Approved,
    /// This person had already voted (on this platform or another).
    AlreadyVoted,
    /// The requester pressed: their request already counts as their vote.
    Requester,
    /// The request is no longer pending (approved, available, declined…); nothing was counted.
    Closed,
}

/// The answer to a vote, render-ready: what happened and the standing tally.
#[derive(Debug, Clone)]
pub struct VoteOutcome {
    /// What the vote did.
    pub kind: VoteKind,
    /// The request as it is now.
    pub request: Request,
    /// People who want it: the requester plus everyone who voted.
    pub votes: u32,
    /// Votes that approve it where it was asked, if that place has a threshold.
    pub threshold: Option<u32>,
}

impl RequestService {
    /// One press of "I want this too" on request `id`, pressed in `place` (the group chat or
    /// server; the request's own place, if it was made from one, decides the threshold).
    pub async fn vote(
        &self,
        actor: &Actor,
        id: RequestId,
        place: Option<PlaceKey>,
    ) -> CoreResult<VoteOutcome> {
        let now = Timestamp::now();
        in_tx(&self.db, |tx| {
            Box::pin(async move { vote_in(tx, actor, id, place, now).await })
        })
        .await
    }
}

async fn vote_in(
    tx: &mut Tx,
    actor: &Actor,
    id: RequestId,
    pressed_at: Option<PlaceKey>,
    now: Timestamp,
) -> CoreResult<VoteOutcome> {
    let caller = authz::caller(tx, actor).await?;
    let user = acting_user(&caller)?;
    let request = load(tx, id).await?;
    // A vote is a wish for the title: it takes the right to ask for that kind of title.
    caller.require(Permission::request(request.media.media_type))?;
    let place = places::place_of_request(tx, id).await?.or(pressed_at);
    let threshold = match place {
        Some(key) => places::get(tx, key).await?.and_then(|p| p.threshold),
        None => None,
    };
    let votes = 1 + places::votes(tx, id).await?;
    let answer = |kind, request, votes| VoteOutcome {
        kind,
        request,
        votes,
        threshold,
    };
    if request.status != RequestStatus::Pending {
        return Ok(answer(VoteKind::Closed, request, votes));
    }
    if request.requested_by == user {
        return Ok(answer(VoteKind::Requester, request, votes));
    }
    if !places::add_vote(tx, id, user, pressed_at, now).await? {
        return Ok(answer(VoteKind::AlreadyVoted, request, votes));
    }
    let votes = votes + 1;
    add_follower(tx, actor, &request, now).await?;
    let details = json!({ "votes": votes, "place": pressed_at.map(PlaceKey::stored) });
    audit::record(
        tx,
        actor,
        AuditAction::RequestVoted,
        &target(id),
        &details,
        now,
    )
    .await?;
    if threshold.is_none_or(|needed| votes < needed) {
        return Ok(answer(VoteKind::Counted, request, votes));
    }
    let step = Step {
        to: RequestStatus::Approved,
        action: AuditAction::RequestAutoApproved,
        change: StatusChange::default(),
        details: json!({ "votes": votes, "threshold": threshold }),
    };
    let approved = transition(tx, &Actor::system(), request, step).await?;
    Ok(answer(VoteKind::Approved, approved, votes))
}
