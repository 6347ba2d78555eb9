//! `PUT /request/{id}`: an approver's key changes a pending request's seasons or target through
//! [`crate::service::RequestService::edit`], which decides who may and what can change.

use super::{ApiRequests, ApiService};
use crate::domain::{RequestId, Scope, UserId};
use crate::error::{CoreError, CoreResult};
use crate::service::ApiCaller;
use crate::service::requests::RequestChange;
use crate::store::requests as store;

impl ApiService {
    /// Changes a pending request (`approve` scope). `requested_by` is Seerr's `userId`: Usher
    /// keeps a request with the person who asked, so naming anyone else is refused.
    pub async fn edit(
        &self,
        caller: &ApiCaller,
        id: RequestId,
        change: &RequestChange,
        requested_by: Option<UserId>,
    ) -> CoreResult<ApiRequests> {
        caller.require(Scope::Approve)?;
        if let Some(user) = requested_by {
            let current = store::find(&self.db, id)
                .await?
                .ok_or_else(|| CoreError::NotFound(format!("request {id}")))?;
            if current.requested_by != user {
                return Err(CoreError::Validation(
                    "userId: a request stays with the person who asked for it".into(),
                ));
            }
        }
        let edited = self.requests.edit(&caller.actor(), id, change).await?;
        self.one(edited).await
    }
}
