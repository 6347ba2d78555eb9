//! The console's Library page in one call: every source's counts and health, and a page of the
//! titles the index holds — searched by name (through the requests that named them) or TMDB
//! id, filtered by source — each named by its newest request where one exists. Approvers and
//! admins only; asking for a full pass now is for admins.

use std::sync::Arc;

use crate::domain::{Actor, AuditAction, MediaType, Permission, Timestamp, TmdbId};
use crate::error::{CoreError, CoreResult};
use crate::index::job::FULL_PASS_TOPIC;
use crate::index::listing::{ListedTitle, SourceCounts, TitleFilter};
use crate::index::{Holding, LibraryIndex};
use crate::store::request_names::{self, RequestedName};
use crate::store::{Db, audit, in_tx, outbox};

use super::authz;

/// Titles a name search may match at most (names come from requests, so a few thousand at
/// most in any real library).
const NAME_MATCHES: u32 = 5_000;
/// Titles per page.
pub const LIBRARY_PAGE: usize = 50;

/// What the Library page asks for.
#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    /// A TMDB id, or part of a title's name; blank for every title.
    pub search: Option<String>,
    /// Only titles this source holds.
    pub source: Option<String>,
    /// Only movies or only shows.
    pub media_type: Option<MediaType>,
    /// The page, from 1.
    pub page: usize,
}

/// One title of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryTitle {
    /// Movie or show.
    pub media_type: MediaType,
    /// Its TMDB id.
    pub tmdb: TmdbId,
    /// Its name from its newest request, when any request named it.
    pub name: Option<RequestedName>,
    /// What each source holds of it.
    pub holdings: Vec<Holding>,
}

/// Everything the Library page shows.
#[derive(Debug, Clone, Default)]
pub struct LibraryOverview {
    /// Every source with its counts and health, in configuration order.
    pub sources: Vec<SourceCounts>,
    /// Distinct titles over every source.
    pub total_titles: usize,
    /// The page's titles.
    pub titles: Vec<LibraryTitle>,
    /// Titles matching the query over every page.
    pub matched: usize,
    /// This page, from 1.
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
}

/// See the module docs. Without an index (no source configured) the page is empty.
#[derive(Debug, Clone)]
pub struct LibraryService {
    db: Db,
    index: Option<Arc<LibraryIndex>>,
}

impl LibraryService {
    /// The service without an index yet.
    pub fn new(db: Db) -> Self {
        Self { db, index: None }
    }

    /// The same service reading this index.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// Whether a full pass can be asked for: there is a source to pass over (the replica that
    /// runs the passes hears the ask, wherever it was made).
    pub fn can_run_full_pass(&self) -> bool {
        self.index.as_ref().is_some_and(|i| i.has_sources())
    }

    /// The page for `query`; approvers and admins only.
    pub async fn overview(
        &self,
        actor: &Actor,
        query: &LibraryQuery,
    ) -> CoreResult<LibraryOverview> {
        self.require(actor, Permission::Approve).await?;
        let Some(index) = &self.index else {
            return Ok(LibraryOverview {
                page: 1,
                pages: 1,
                ..LibraryOverview::default()
            });
        };
        let filter = TitleFilter {
            source: query.source.clone().filter(|s| !s.trim().is_empty()),
            media_type: query.media_type,
            only: self.searched(query.search.as_deref()).await?,
        };
        let page = query.page.max(1);
        let offset = (page - 1).saturating_mul(LIBRARY_PAGE);
        let slice = index.titles(&filter, offset, LIBRARY_PAGE);
        let keys: Vec<_> = slice.titles.iter().map(|t| t.key).collect();
        let mut names = request_names::names_of(&self.db, &keys).await?;
        let titles = slice
            .titles
            .into_iter()
            .map(|ListedTitle { key, holdings }| LibraryTitle {
                media_type: key.0,
                tmdb: key.1,
                name: names.remove(&key),
                holdings,
            })
            .collect();
        Ok(LibraryOverview {
            sources: index.source_counts(),
            total_titles: index.distinct_titles(),
            titles,
            matched: slice.matched,
            page,
            pages: slice.matched.div_ceil(LIBRARY_PAGE).max(1),
        })
    }

    /// Asks for a full pass now; admins only, audited. The ask is queued in the outbox, so the
    /// replica running the passes takes it even when another replica served the console (and
    /// it waits there while none runs them). Refused when there is no source.
    pub async fn run_full_pass(&self, actor: &Actor) -> CoreResult<()> {
        self.require(actor, Permission::Admin).await?;
        if !self.can_run_full_pass() {
            return Err(CoreError::Validation(
                "no library source is configured".into(),
            ));
        }
        in_tx(&self.db, |tx| {
            Box::pin(async {
                let now = Timestamp::now();
                let ask = serde_json::json!({ "asked_by": actor.user.map(|u| u.0) });
                outbox::enqueue(tx, FULL_PASS_TOPIC, &ask, now).await?;
                let action = AuditAction::LibraryPassAsked;
                audit::record(tx, actor, action, "library", &ask, now).await
            })
        })
        .await
    }

    /// The titles a search names: a TMDB id as such, anything else as part of a requested
    /// title's name; `None` when there is nothing to search for.
    async fn searched(
        &self,
        search: Option<&str>,
    ) -> CoreResult<Option<std::collections::HashSet<(MediaType, TmdbId)>>> {
        let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if let Some(tmdb) = text
            .parse::<i64>()
            .ok()
            .and_then(|id| TmdbId::parse(id).ok())
        {
            return Ok(Some(
                [(MediaType::Movie, tmdb), (MediaType::Tv, tmdb)].into(),
            ));
        }
        let named = request_names::titles_named(&self.db, text, NAME_MATCHES).await?;
        Ok(Some(named.into_iter().collect()))
    }

    async fn require(&self, actor: &Actor, permission: Permission) -> CoreResult<()> {
        in_tx(&self.db, |tx| {
            Box::pin(async move { authz::caller(tx, actor).await?.require(permission) })
        })
        .await
    }
}
