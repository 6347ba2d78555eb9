//! Which titles a member may report a problem with beyond those Usher requested: every title
//! the library index holds. The index stores only ids, so such a title takes its name from
//! TMDB (the cached client, so a title asked about twice costs one upstream call).

use std::sync::Arc;

use crate::domain::{MediaType, TmdbId};
use crate::error::{CoreError, CoreResult};
use crate::index::LibraryIndex;
use crate::integrations::tmdb::{SearchQuery, TmdbClient};
use crate::store::issues::HeldTitle;

/// The library index and TMDB, as far as they are configured; see the module docs.
#[derive(Clone, Debug, Default)]
pub struct IndexedTitles {
    index: Option<Arc<LibraryIndex>>,
    tmdb: Option<TmdbClient>,
}

impl IndexedTitles {
    /// The same, reading this index.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// The same, naming titles through this TMDB client.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.tmdb = Some(tmdb);
        self
    }

    /// Whether any media server or Radarr/Sonarr has the title (a file, or episodes).
    pub fn holds(&self, media_type: MediaType, tmdb_id: TmdbId) -> bool {
        self.index
            .as_ref()
            .is_some_and(|index| index.held_anywhere(media_type, tmdb_id))
    }

    /// The title as a report names it, when the index holds it; `Ok(None)` when it does not.
    /// Fails when TMDB cannot name it (a report needs a name; the member may try again).
    pub async fn named(
        &self,
        media_type: MediaType,
        tmdb_id: TmdbId,
    ) -> CoreResult<Option<HeldTitle>> {
        if !self.holds(media_type, tmdb_id) {
            return Ok(None);
        }
        let Some(tmdb) = &self.tmdb else {
            return Err(CoreError::Upstream {
                service: "tmdb",
                message: "TMDB is not configured, so the title cannot be named".into(),
            });
        };
        let upstream = |err: crate::integrations::http::UpstreamError| CoreError::Upstream {
            service: "tmdb",
            message: err.to_string(),
        };
        let (title, year) = match media_type {
            MediaType::Movie => {
                let movie = tmdb.movie(tmdb_id, None).await.map_err(upstream)?;
                (movie.title.clone(), movie.year)
            }
            MediaType::Tv => {
                let show = tmdb.show(tmdb_id, None).await.map_err(upstream)?;
                (show.title.clone(), show.year)
            }
        };
        Ok(Some(HeldTitle {
            media_type,
            tmdb_id,
            title,
            year,
            request_id: None,
        }))
    }

    /// Up to `limit` titles the index holds whose TMDB search matches `query`, leaving out
    /// those in `known` (found among requests already). A TMDB failure finds none (logged):
    /// the title pickers still list what requests brought in.
    pub async fn search(&self, query: &str, limit: usize, known: &[HeldTitle]) -> Vec<HeldTitle> {
        let (Some(tmdb), true) = (&self.tmdb, self.index.is_some()) else {
            return Vec::new();
        };
        if query.trim().is_empty() || limit == 0 {
            return Vec::new();
        }
        let page = match tmdb.search_multi(&SearchQuery::new(query.trim())).await {
            Ok(page) => page,
            Err(err) => {
                tracing::info!(error = %err, "reportable titles: TMDB search failed");
                return Vec::new();
            }
        };
        let known = |hit: &crate::integrations::tmdb::SearchHit| {
            known
                .iter()
                .any(|t| t.media_type == hit.media_type && t.tmdb_id == hit.tmdb_id)
        };
        page.hits
            .iter()
            .filter(|hit| !known(hit) && self.holds(hit.media_type, hit.tmdb_id))
            .take(limit)
            .map(|hit| HeldTitle {
                media_type: hit.media_type,
                tmdb_id: hit.tmdb_id,
                title: hit.title.clone(),
                year: hit.year,
                request_id: None,
            })
            .collect()
    }
}
