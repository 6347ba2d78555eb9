//! SearchService: remembers what a member searched for, so a chat card can page through the
//! results with stateless buttons. Only the question is stored; the results come back from the
//! TMDB client's cache by asking again (see `integrations::tmdb`), so a card pressed days later,
//! or on another replica, still pages. Platform-neutral: any front end may use it.

use std::time::Duration;

use crate::domain::{MediaType, SearchId, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::store::searches::{self as store, SearchRow};
use crate::store::{Db, in_tx};

/// How long a search is kept: a card's ◀ ▶ keep working this long after the search.
pub const KEEP_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Longest query kept, in characters (TMDB searches are cut to this too).
pub const MAX_QUERY_CHARS: usize = 200;
/// Longest language tag kept (BCP 47 tags in practice stay far below).
const MAX_LANGUAGE_CHARS: usize = 35;

/// A remembered search.
pub type StoredSearch = SearchRow;

/// Remembers and recalls searches; see the module docs.
#[derive(Clone, Debug)]
pub struct SearchService {
    db: Db,
}

impl SearchService {
    /// Builds the service over a database.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Stores a search and returns the id its card's buttons carry. The query is trimmed and
    /// cut to [`MAX_QUERY_CHARS`]; an empty one is refused.
    pub async fn remember(
        &self,
        query: &str,
        media_type: Option<MediaType>,
        language: Option<&str>,
    ) -> CoreResult<SearchId> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() {
            return Err(CoreError::Validation("a search needs some words".into()));
        }
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        if language.is_some_and(|l| {
            l.chars().count() > MAX_LANGUAGE_CHARS
                || !l
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }) {
            return Err(CoreError::Validation("not a language tag".into()));
        }
        let now = Timestamp::now();
        store::insert(&self.db, &query, media_type, language, now).await
    }

    /// The search behind an id, or `None` when it was never made or has been forgotten.
    /// A read on the pool: paging takes no write transaction.
    pub async fn recall(&self, id: SearchId) -> CoreResult<Option<StoredSearch>> {
        store::get(&self.db, id).await
    }

    /// Forgets searches older than [`KEEP_FOR`] (run by the housekeeping job); returns how many.
    pub async fn prune(&self) -> CoreResult<u64> {
        self.prune_before(Timestamp::now().minus(KEEP_FOR)).await
    }

    /// Forgets searches made before `before`; returns how many.
    pub async fn prune_before(&self, before: Timestamp) -> CoreResult<u64> {
        in_tx(&self.db, |tx| {
            Box::pin(async { store::prune(tx, before).await })
        })
        .await
    }
}
