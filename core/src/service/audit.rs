//! Reading the audit log: admins only, filtered, newest first, page by page. There is no way to
//! change or remove a row (the database refuses too).

use super::authz;
use crate::domain::{Actor, Permission};
use crate::error::{CoreError, CoreResult};
use crate::store::audit::{self, AuditFilter, AuditLine};
use crate::store::{Db, in_tx};

/// Largest page [`AuditService::list`] returns (the CSV export reads page after page).
pub const MAX_PAGE: u32 = 1000;

/// A position in the newest-first audit list: the id of the last row seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor(pub i64);

impl AuditCursor {
    /// Opaque text for URLs.
    pub fn encode(self) -> String {
        self.0.to_string()
    }

    /// Reads [`AuditCursor::encode`]'s text; anything else is refused.
    pub fn parse(raw: &str) -> CoreResult<Self> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(Self)
            .ok_or_else(|| CoreError::Validation(format!("bad page cursor {raw:?}")))
    }
}

/// One page of audit rows and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// Rows, newest first.
    pub items: Vec<AuditLine>,
    /// Cursor of the next (older) page, if there is one.
    pub next: Option<AuditCursor>,
}

/// The audit log, for admins.
#[derive(Clone, Debug)]
pub struct AuditService {
    db: Db,
}

impl AuditService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// One page of rows matching `filter`, older than `after`; admins only.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        after: Option<AuditCursor>,
        limit: u32,
    ) -> CoreResult<AuditPage> {
        let caller = in_tx(&self.db, |tx| {
            Box::pin(async { authz::caller(tx, actor).await })
        })
        .await?;
        caller.require(Permission::Admin)?;
        let limit = limit.clamp(1, MAX_PAGE);
        let mut items = audit::list(&self.db, filter, after.map(|c| c.0), limit + 1).await?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|line| AuditCursor(line.entry.id))
        } else {
            None
        };
        Ok(AuditPage { items, next })
    }
}
