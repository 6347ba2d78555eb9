//! One request with everything an approver wants to see before deciding: who asked, who
//! follows, and its audit trail.

use std::collections::HashMap;

use super::{RequestService, target};
use crate::domain::{Actor, AuditEntry, Request, RequestId, UserId};
use crate::error::CoreResult;
use crate::store::requests as store;
use crate::store::{audit, directory};

/// The most audit rows a detail page shows.
pub const TRAIL_LIMIT: u32 = 100;

/// A request, the people around it and what happened to it.
#[derive(Debug, Clone)]
pub struct RequestDetail {
    /// The request.
    pub request: Request,
    /// Users following it besides the requester, in the order they joined.
    pub followers: Vec<UserId>,
    /// Its audit rows, newest first (at most [`TRAIL_LIMIT`]).
    pub trail: Vec<AuditEntry>,
    /// Display names of the requester, the decider, the followers and the trail's actors.
    pub names: HashMap<UserId, String>,
}

impl RequestDetail {
    /// The display name of a user mentioned here, or `#id` for one who no longer exists.
    pub fn name(&self, user: UserId) -> String {
        self.names
            .get(&user)
            .cloned()
            .unwrap_or_else(|| format!("#{user}"))
    }
}

impl RequestService {
    /// One request with its followers and audit trail, for its requester or an approver;
    /// anyone else is told it does not exist, so guessed ids reveal nothing.
    pub async fn detail(&self, actor: &Actor, id: RequestId) -> CoreResult<RequestDetail> {
        let request = self.get(actor, id).await?;
        let followers = store::followers(&self.db, id).await?;
        let trail = audit::for_target(&self.db, &target(id), TRAIL_LIMIT).await?;
        let mentioned: Vec<UserId> = [request.requested_by]
            .into_iter()
            .chain(request.decided_by)
            .chain(followers.iter().copied())
            .chain(trail.iter().filter_map(|e| e.actor))
            .collect();
        let names = directory::display_names(&self.db, &mentioned).await?;
        Ok(RequestDetail {
            request,
            followers,
            trail,
            names,
        })
    }
}
