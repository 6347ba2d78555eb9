//! Availability of single-episode requests (`/tv Show S02E05`): such a request is available
//! when exactly its episodes are in the library — not when some other episode of the season
//! is, which is all a season count can say. Episodes reported one at a time (a Sonarr Download
//! webhook per file, a Jellyfin `ItemAdded` per episode) add up in the claims' `present` flag;
//! while only some are there the request keeps waiting, and the requester hears once, when the
//! last one arrives.

use serde_json::json;

use super::{Recorded, authz, load, transition};
use crate::domain::availability::OPEN_STATUSES;
use crate::domain::{
    Actor, AuditAction, Availability, Episodes, Permission, RequestId, RequestStatus, Timestamp,
};
use crate::error::{CoreError, CoreResult};
use crate::service::requests::Step;
use crate::store::requests::StatusChange;
use crate::store::{Tx, availability as store, episode_claims, in_tx};

impl super::AvailabilityService {
    /// The library holds `present` of the show this request is for (episodes of other requests
    /// or of other seasons may be among them: only the request's own count). Notes them, and
    /// when every episode of the request is there moves it to Available with an audit row and a
    /// notification, in one transaction. Idempotent like
    /// [`record_availability`](super::AvailabilityService::record_availability); a request for
    /// whole seasons, or one no longer open, is left alone.
    pub async fn record_episodes(
        &self,
        actor: &Actor,
        id: RequestId,
        present: &Episodes,
    ) -> CoreResult<Recorded> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = in_tx(&self.db, |tx| {
                Box::pin(async { record_in(tx, actor, id, present).await })
            })
            .await;
            match result {
                // Someone else moved the request between our read and our write: read again.
                Err(CoreError::IllegalTransition { .. }) if attempt < 3 => continue,
                other => return other,
            }
        }
    }
}

async fn record_in(
    tx: &mut Tx,
    actor: &Actor,
    id: RequestId,
    present: &Episodes,
) -> CoreResult<Recorded> {
    authz::caller(tx, actor).await?.require(Permission::Admin)?;
    let request = load(tx, id).await?;
    if request.episodes.is_empty() || !OPEN_STATUSES.contains(&request.status) {
        return Ok(Recorded {
            request,
            changed: false,
        });
    }
    let own = Episodes::new(present.iter().filter(|e| request.episodes.contains(*e)));
    if !own.is_empty() {
        episode_claims::mark_present(tx, id, &own).await?;
    }
    let held = episode_claims::present(tx, id).await?;
    if Availability::decide_episodes(&request.episodes, &held) != Availability::Full {
        return Ok(Recorded {
            request,
            changed: false,
        });
    }
    let details = json!({ "episodes": request.episodes.to_string(), "full": true });
    let step = Step {
        to: RequestStatus::Available,
        action: AuditAction::RequestAvailability,
        change: StatusChange::default(),
        details,
    };
    let seasons = request.episodes.seasons();
    let mut request = transition(tx, actor, request, step).await?;
    store::set_available(tx, id, &seasons, Timestamp::now()).await?;
    request.available_seasons = seasons;
    Ok(Recorded {
        request,
        changed: true,
    })
}
