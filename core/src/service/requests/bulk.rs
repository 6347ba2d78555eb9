//! Deciding many requests at once from the console's list: each one through the same
//! approve/decline as a single press (its own transaction, audit row and notices), so one that
//! cannot be decided — decided meanwhile, wrong status — is reported and the others still are.

use super::{RequestService, Target};
use crate::domain::{Actor, Permission, Request, RequestId};
use crate::error::{CoreError, CoreResult};
use crate::service::authz;
use crate::store::in_tx;

/// The most requests one bulk decision takes (a page of the list).
pub const BULK_MAX: usize = 100;

/// What to do with each chosen request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkDecision<'a> {
    /// Approve, to where the usual rule sends it.
    Approve,
    /// Decline, telling each requester this reason.
    Decline {
        /// The reason (1 to 500 characters).
        reason: &'a str,
    },
}

/// How one request of a bulk decision ended.
#[derive(Debug)]
pub struct BulkResult {
    /// The request.
    pub id: RequestId,
    /// Its new state, or why it was not decided.
    pub outcome: CoreResult<Request>,
}

impl RequestService {
    /// Decides each of `ids` (duplicates once, in the order given). The whole call is refused
    /// only when nothing could be decided at all: no ids, too many, no approve permission, or
    /// an empty decline reason. Otherwise each request's own outcome is returned.
    pub async fn decide_many(
        &self,
        actor: &Actor,
        ids: &[RequestId],
        decision: BulkDecision<'_>,
    ) -> CoreResult<Vec<BulkResult>> {
        in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await?.require(Permission::Approve) })
        })
        .await?;
        let mut unique: Vec<RequestId> = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(id) {
                unique.push(*id);
            }
        }
        if unique.is_empty() {
            return Err(CoreError::Validation("choose at least one request".into()));
        }
        if unique.len() > BULK_MAX {
            return Err(CoreError::Validation(format!(
                "at most {BULK_MAX} requests at once"
            )));
        }
        if let BulkDecision::Decline { reason } = decision {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Err(CoreError::Validation(
                    "a decline reason must have 1 to 500 characters".into(),
                ));
            }
        }
        let mut results = Vec::with_capacity(unique.len());
        for id in unique {
            let outcome = match decision {
                BulkDecision::Approve => self.approve_to(actor, id, &Target::default()).await,
                BulkDecision::Decline { reason } => self.decline(actor, id, reason).await,
            };
            results.push(BulkResult { id, outcome });
        }
        Ok(results)
    }
}
