//! ContentGate: the one place core asks whether a title may reach a person, given their
//! [`ContentLimit`]. Lists (searches, inline results, autocomplete, discover, the console and the
//! API) drop what it refuses; a card or a request for a refused title by id answers
//! [`CoreError::NotOffered`] ("not available to you").
//!
//! Most people have no limit: for them every question is answered without a single TMDB call.
//! A limit on blocked titles alone needs no facts either. Only caps, blocked keywords and
//! blocked genres fetch the title's facts, one cached call per title
//! ([`TmdbClient::content_facts`]).

use std::sync::Arc;

use futures_util::future::join_all;

use crate::domain::{ContentLimit, MediaType, TmdbId};
use crate::error::{CoreError, CoreResult};
use crate::integrations::tmdb::{ContentFacts, SERVICE, SearchHit, SearchPage, TmdbClient};

/// Decides what a limit lets through; cheap to clone (it holds the shared TMDB client).
#[derive(Clone, Debug, Default)]
pub struct ContentGate {
    tmdb: Option<TmdbClient>,
}

impl ContentGate {
    /// A gate reading title facts through `tmdb`. Without a client, a limit that needs facts
    /// refuses every title (failing closed keeps a capped account capped).
    pub fn new(tmdb: Option<TmdbClient>) -> Self {
        Self { tmdb }
    }

    /// Whether `limit` lets the title through. Unlimited people cost nothing; otherwise at
    /// most one (cached) TMDB call. A TMDB failure is an error, never a pass.
    pub async fn admits(
        &self,
        limit: &ContentLimit,
        media: MediaType,
        id: TmdbId,
    ) -> CoreResult<bool> {
        if limit.is_unlimited() {
            return Ok(true);
        }
        if !limit.needs_facts() {
            return Ok(limit.admits(media, id, &Default::default()));
        }
        let Some(tmdb) = &self.tmdb else {
            return Ok(false);
        };
        let facts = tmdb
            .content_facts(media, id)
            .await
            .map_err(|e| e.into_core(SERVICE))?;
        Ok(limit.admits(media, id, &facts.as_facts()))
    }

    /// What TMDB already told of the title's content, without asking it; `None` when nothing
    /// is cached (or there is no TMDB).
    pub async fn known_facts(&self, media: MediaType, id: TmdbId) -> Option<Arc<ContentFacts>> {
        self.tmdb.as_ref()?.known_content_facts(media, id).await
    }

    /// The title's content facts, from TMDB when not cached. A TMDB failure is an error.
    pub async fn facts(&self, media: MediaType, id: TmdbId) -> CoreResult<Arc<ContentFacts>> {
        let Some(tmdb) = &self.tmdb else {
            return Err(CoreError::NotOffered);
        };
        tmdb.content_facts(media, id)
            .await
            .map_err(|e| e.into_core(SERVICE))
    }

    /// [`ContentGate::admits`] decided without waiting on anything, for a check inside a
    /// database transaction: `None` when the limit needs facts that `facts` does not hold
    /// (fetch them with [`ContentGate::facts`] outside and ask again).
    pub fn verdict(
        &self,
        limit: &ContentLimit,
        media: MediaType,
        id: TmdbId,
        facts: Option<&ContentFacts>,
    ) -> Option<bool> {
        if limit.is_unlimited() {
            return Some(true);
        }
        if !limit.needs_facts() {
            return Some(limit.admits(media, id, &Default::default()));
        }
        if self.tmdb.is_none() {
            return Some(false);
        }
        facts.map(|facts| limit.admits(media, id, &facts.as_facts()))
    }

    /// [`CoreError::NotOffered`] unless `limit` lets the title through: for a card or a request
    /// naming a title by id.
    pub async fn require(
        &self,
        limit: &ContentLimit,
        media: MediaType,
        id: TmdbId,
    ) -> CoreResult<()> {
        if self.admits(limit, media, id).await? {
            Ok(())
        } else {
            Err(CoreError::NotOffered)
        }
    }

    /// The items of a list `limit` lets through, in their order; `key` names each item's
    /// title. Facts are fetched for all of them at once; a title whose facts cannot be had is
    /// left out (not known to be within the limit). Unlimited people get the list back as is.
    pub async fn offerable_by<T>(
        &self,
        limit: &ContentLimit,
        items: Vec<T>,
        key: impl Fn(&T) -> (MediaType, TmdbId),
    ) -> Vec<T> {
        if limit.is_unlimited() {
            return items;
        }
        let verdicts = join_all(items.iter().map(|item| {
            let (media, id) = key(item);
            self.admits(limit, media, id)
        }))
        .await;
        items
            .into_iter()
            .zip(verdicts)
            .filter_map(|(item, verdict)| match verdict {
                Ok(true) => Some(item),
                Ok(false) => None,
                Err(error) => {
                    tracing::debug!(%error, "no content facts for a listed title; left out");
                    None
                }
            })
            .collect()
    }

    /// The search or trending hits `limit` lets through; see [`ContentGate::offerable_by`].
    pub async fn offerable(&self, limit: &ContentLimit, hits: Vec<SearchHit>) -> Vec<SearchHit> {
        self.offerable_by(limit, hits, |hit| (hit.media_type, hit.tmdb_id))
            .await
    }
}

impl ContentGate {
    /// A page of hits with only what `limit` lets through; the same page, not a copy, for
    /// unlimited people. TMDB's totals are kept (they count what TMDB has, not what is shown).
    pub async fn offerable_page(
        &self,
        limit: &ContentLimit,
        page: Arc<SearchPage>,
    ) -> Arc<SearchPage> {
        if limit.is_unlimited() {
            return page;
        }
        let hits = self.offerable(limit, page.hits.clone()).await;
        Arc::new(SearchPage {
            hits,
            ..(*page).clone()
        })
    }
}
