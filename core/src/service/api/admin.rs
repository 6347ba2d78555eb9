//! Usher's own API paths, for what Seerr has no endpoint for: the audit log and the roles
//! (`admin` scope, through the same services the console's admin pages call, which check the
//! machine user's permission again), and the library index's sources with their health
//! (`read` scope: what a dashboard shows beside the request counts).

use super::ApiService;
use crate::domain::Scope;
use crate::error::CoreResult;
use crate::index::listing::SourceCounts;
use crate::service::{ApiCaller, AuditCursor, AuditPage, RoleSummary};
use crate::store::audit::AuditFilter;

impl ApiService {
    /// `GET /usher/audit`: one page of the audit log, newest first, older than `before`.
    pub async fn audit(
        &self,
        caller: &ApiCaller,
        filter: &AuditFilter,
        before: Option<AuditCursor>,
        take: u32,
    ) -> CoreResult<AuditPage> {
        caller.require(Scope::Admin)?;
        self.audit.list(&caller.actor(), filter, before, take).await
    }

    /// `GET /usher/roles`: every role with its permissions, members and quotas.
    pub async fn roles(&self, caller: &ApiCaller) -> CoreResult<Vec<RoleSummary>> {
        caller.require(Scope::Admin)?;
        self.users.roles(&caller.actor()).await
    }

    /// `GET /usher/library/sources`: each library index source with its counts and health, in
    /// configuration order; empty when no source is configured.
    pub async fn library_sources(&self, caller: &ApiCaller) -> CoreResult<Vec<SourceCounts>> {
        caller.require(Scope::Read)?;
        Ok(self
            .index
            .as_ref()
            .map(|index| index.source_counts())
            .unwrap_or_default())
    }
}
