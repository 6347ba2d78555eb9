//! Asking for a title: the one way in ([`RequestService::create_full`], which every `create*`
//! forwards to) and what its transaction does: validation, duplicates and followers, quotas and
//! auto-approval.

use super::*;
use crate::domain::RequestComment;
use crate::store::episode_claims;
use crate::store::note_drafts;

pub(super) fn validate(new: &NewRequest) -> CoreResult<()> {
    new.media.validate()?;
    match (new.media.media_type, new.seasons.is_empty()) {
        (MediaType::Movie, _) if new.future_seasons => {
            Err(CoreError::Validation("a movie has no seasons".into()))
        }
        (MediaType::Movie, false) => Err(CoreError::Validation("a movie has no seasons".into())),
        (MediaType::Tv, true) => Err(CoreError::Validation("pick at least one season".into())),
        _ => Ok(()),
    }
}

pub(super) async fn add_follower(
    tx: &mut Tx,
    actor: &Actor,
    request: &Request,
    now: Timestamp,
) -> CoreResult<()> {
    let user = actor
        .user
        .ok_or_else(|| CoreError::Validation("only users follow".into()))?;
    if store::add_follower(tx, request.id, user, actor.source.platform(), now).await? {
        audit::record(
            tx,
            actor,
            AuditAction::RequestFollowed,
            &target(request.id),
            &json!({}),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Makes the request in `tx` for `asker`, read in the same transaction for `actor`.
pub(super) async fn create_in(
    tx: &mut Tx,
    (actor, asker): (&Actor, authz::Asking),
    (new, episodes, comment): (&NewRequest, &Episodes, Option<&RequestComment>),
    (now, announce): (Timestamp, bool),
    place: Option<PlaceKey>,
    overrides: super::role_placement::Overrides<'_>,
) -> CoreResult<RequestOutcome> {
    let caller = asker.caller;
    caller.require(Permission::request(new.media.media_type))?;
    if new.four_k {
        caller.require(Permission::Request4k)?;
    }
    let user = acting_user(&caller)?;
    users::lock_user(tx, user).await?;

    let claims = store::active_claims(tx, &new.media, &new.seasons, new.four_k).await?;
    let claimed: BTreeSet<u16> = claims.iter().map(|(season, _)| *season).collect();
    let mut holders: BTreeSet<RequestId> = claims.iter().map(|(_, id)| *id).collect();
    // Single episodes: those of a season already asked for, or asked for one by one, are taken.
    let taken = episode_claims::active(tx, new.media.tmdb_id, new.four_k, episodes).await?;
    holders.extend(taken.iter().map(|(_, id)| *id));
    let taken = Episodes::new(taken.into_iter().map(|(episode, _)| episode));
    let free_episodes = episodes.without(&Seasons::new(claimed.iter().copied()), &taken);
    let mut others = Vec::new();
    for id in holders {
        let holder = load(tx, id).await?;
        if holder.requested_by != user {
            others.push(holder);
        } else if new.media.media_type == MediaType::Movie {
            return Err(CoreError::AlreadyRequested);
        }
    }
    let free = if episodes.is_empty() {
        Seasons::new(new.seasons.iter().filter(|s| !claimed.contains(s)))
    } else {
        free_episodes.seasons()
    };
    let nothing_free = match new.media.media_type {
        MediaType::Movie => !claims.is_empty(),
        MediaType::Tv => free.is_empty(),
    };
    if nothing_free {
        return follow_existing(tx, actor, others, new, now).await;
    }

    check_quota(tx, &caller, user, new, &free, now).await?;
    // A note given with the request wins; else one typed with a recent chat search.
    let comment = match comment {
        Some(comment) => Some(comment.as_str().to_owned()),
        None if asker.has_draft => note_drafts::take(tx, user, now.minus(DRAFT_KEPT)).await?,
        None => None,
    };
    let place =
        super::budget::check(tx, place, new.media.media_type, asking(new, &free), now).await?;
    let auto = caller.may(Permission::auto_approve(new.media.media_type))
        && (!new.four_k || caller.may(Permission::AutoApprove4k));
    let status = if auto {
        RequestStatus::Approved
    } else {
        RequestStatus::Pending
    };
    let row = NewRequestRow {
        media: &new.media,
        seasons: &free,
        episodes: &free_episodes,
        future_seasons: new.future_seasons,
        four_k: new.four_k,
        status,
        requested_by: user,
        source: actor.source.platform(),
        now,
        comment: comment.as_deref(),
        place: place.map(PlaceKey::stored),
    };
    let mut request = store::insert(tx, &row).await?;
    let asker_roles = (asker.placements.as_slice(), asker.roles.as_slice());
    super::role_placement::apply(tx, asker_roles, &mut request, overrides).await?;
    let mut details = json!({
        "media_type": new.media.media_type, "tmdb_id": new.media.tmdb_id, "title": new.media.title,
        "seasons": free.to_csv(), "episodes": free_episodes.to_string(), "future_seasons": new.future_seasons, "four_k": new.four_k,
        "status": status,
    });
    if let Some(comment) = &comment {
        details["comment"] = json!(comment);
    }
    let created = target(request.id);
    let mut entries = vec![(AuditAction::RequestCreated, created.as_str(), &details)];
    let approved = json!({});
    if auto {
        entries.push((
            AuditAction::RequestAutoApproved,
            created.as_str(),
            &approved,
        ));
    }
    audit::record_all(tx, actor, &entries, now).await?;
    for holder in &others {
        add_follower(tx, actor, holder, now).await?;
    }
    let request_id = request.id;
    let announcement = announce.then_some(Notification::RequestCreated { request_id });
    if auto {
        // No status notice: the requester's own action approved it and their answer says so,
        // and followers hear only of availability or a decline (one notice per event).
        let requester = caller.user.as_ref().map(|u| u.display_name.clone());
        let notices: Vec<Notification> = announcement.into_iter().collect();
        events::queue(tx, &notices, Some((&request, requester)), now).await?;
    } else {
        let mut notices: Vec<Notification> = announcement.into_iter().collect();
        notices.push(Notification::RequestPending { request_id });
        events::queue(tx, &notices, None, now).await?;
    }
    Ok(RequestOutcome {
        kind: if auto {
            OutcomeKind::AutoApproved
        } else {
            OutcomeKind::Created
        },
        request,
        following: others.iter().map(|r| r.id).collect(),
        already_requested: Seasons::new(claimed),
        place,
    })
}

/// Everything asked for is already held: follow the holders, or say why not.
async fn follow_existing(
    tx: &mut Tx,
    actor: &Actor,
    others: Vec<Request>,
    new: &NewRequest,
    now: Timestamp,
) -> CoreResult<RequestOutcome> {
    if others.is_empty() {
        return Err(CoreError::AlreadyRequested);
    }
    if others.iter().all(|r| r.status == RequestStatus::Available) {
        return Err(CoreError::AlreadyAvailable);
    }
    for holder in &others {
        add_follower(tx, actor, holder, now).await?;
    }
    let mut others = others.into_iter();
    let first = others.next().ok_or(CoreError::AlreadyRequested)?;
    Ok(RequestOutcome {
        kind: OutcomeKind::Followed,
        request: first,
        following: others.map(|r| r.id).collect(),
        already_requested: new.seasons.clone(),
        place: None,
    })
}

/// Refuses when the new units do not fit the caller's quota; admins have none.
async fn check_quota(
    tx: &mut Tx,
    caller: &Caller,
    user: crate::domain::UserId,
    new: &NewRequest,
    free: &Seasons,
    now: Timestamp,
) -> CoreResult<()> {
    if caller.may(Permission::Admin) {
        return Ok(());
    }
    let scope = QuotaScope {
        media_type: new.media.media_type,
        four_k: new.four_k,
    };
    let own = users::user_limit(tx, user, scope).await?;
    let roles = users::role_limits(tx, user, scope).await?;
    let Some(limit) = quota::effective_limit(own, &roles) else {
        return Ok(());
    };
    let since = now.minus(limit.window());
    let used = store::quota_units(tx, user, scope.media_type, scope.four_k, since).await?;
    quota::check(limit, now, &used, asking(new, free)).map_err(CoreError::QuotaExceeded)
}

/// Units a request takes from a quota or budget: one movie, or one per season asked for.
fn asking(new: &NewRequest, free: &Seasons) -> u32 {
    match new.media.media_type {
        MediaType::Movie => 1,
        MediaType::Tv => u32::try_from(free.len()).unwrap_or(u32::MAX),
    }
}

impl RequestService {
    /// Every way of asking in one: episodes (empty: the seasons of `new`) and a note for the
    /// approvers (`None`: a fresh draft of the caller's, if any), from a place whose budget it
    /// counts against (`None`: personal quota only).
    pub(super) async fn create_full(
        &self,
        actor: &Actor,
        mut new: NewRequest,
        episodes: &Episodes,
        comment: Option<&RequestComment>,
        place: Option<PlaceKey>,
    ) -> CoreResult<RequestOutcome> {
        new.media = new.media.with_storable_title();
        if !episodes.is_empty() {
            if new.media.media_type != MediaType::Tv {
                return Err(CoreError::Validation("a movie has no episodes".into()));
            }
            new.seasons = episodes.seasons();
            new.future_seasons = false;
        }
        validate(&new)?;
        let (media_type, tmdb_id) = (new.media.media_type, new.media.tmdb_id);
        // What TMDB already told about the title (the card was judged with it): the content
        // limit read inside the transaction is checked against it, so no transaction waits on
        // TMDB and nobody's limit costs a read of its own.
        let mut facts = self.gate.known_facts(media_type, tmdb_id).await;
        // TMDB's answer when it was asked below and failed: a limit needing the facts is then
        // refused with it rather than asking (and waiting on) TMDB again.
        let mut tmdb_failed = None;
        if facts.is_none() {
            // Override rules placing by genre or keyword need them too (fetched outside the
            // transaction; a TMDB failure only keeps those rules from matching).
            match role_placement::facts_for(&self.gate, &self.overrides, &new.media).await {
                Ok(found) => facts = found,
                Err(error) => tmdb_failed = Some(error),
            }
        }
        let now = Timestamp::now();
        let mut lost_races = 0;
        loop {
            let result = in_tx(&self.db, |tx| {
                Box::pin(async {
                    let asking = authz::asking(tx, actor).await?;
                    let limit = &asking.content_limit;
                    match self
                        .gate
                        .verdict(limit, media_type, tmdb_id, facts.as_deref())
                    {
                        Some(true) => {}
                        Some(false) => return Err(CoreError::NotOffered),
                        None => return Ok(None),
                    }
                    let asked = (&new, episodes, comment);
                    let overrides = role_placement::Overrides {
                        rules: &self.overrides,
                        facts: facts.as_deref(),
                    };
                    create_in(
                        tx,
                        (actor, asking),
                        asked,
                        (now, self.announce),
                        place,
                        overrides,
                    )
                    .await
                    .map(Some)
                })
            })
            .await;
            match result {
                Ok(Some(outcome)) => return Ok(outcome),
                // The limit needs facts TMDB has not given yet: ask (outside any transaction;
                // an error refuses, never passes) and go again.
                Ok(None) => match tmdb_failed.take() {
                    Some(error) => return Err(error),
                    None => facts = Some(self.gate.facts(media_type, tmdb_id).await?),
                },
                // Another request took a claim between our read and our insert: read again,
                // and this time we see it and follow.
                Err(CoreError::Conflict(_)) if lost_races < 3 => lost_races += 1,
                Err(other) => return Err(other),
            }
        }
    }
}
