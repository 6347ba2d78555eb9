//! What every kind of source shares with the passes and with the others: the answer of one
//! listing ([`Listing`]), what a source does ([`IndexSource`]), the TVDB → TMDB ids the *arr
//! know ([`IdMap`]) and, re-exported, the paging guard every paged API goes through
//! ([`Pager`]). The sources (`arr`, `jellyfin`, `plex`) import it; [`super::sources`] builds
//! them from the settings.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::domain::{Episodes, SourceInfo, SourceKind, Timestamp, TmdbId, TvdbId};
use crate::integrations::BoxFuture;
use crate::integrations::http::UpstreamError;
pub use crate::integrations::pager::{MAX_PAGES, Pager};

use super::LibraryIndex;
use super::titles::Builder;

/// What one pass of one source found.
#[derive(Debug, Default)]
pub struct Listing {
    /// Titles found, packed as they arrive (may hold duplicates; the pass keeps the richer
    /// copy).
    pub titles: Builder,
    /// Items skipped because they carry no usable id (no TMDB id, and no TVDB id the index
    /// can turn into one).
    pub skipped: usize,
    /// Emby's server id or Plex's machine identifier, when the pass learnt it.
    pub server_id: Option<String>,
    /// The kind the server said it is (a Jellyfin-configured server that is really Emby).
    pub kind: Option<SourceKind>,
}

/// How far a full pass has got, readable while it runs: `usher library sync` draws its progress
/// bar from it, since a pass over a large Plex takes minutes and a silent terminal looks hung.
#[derive(Debug, Default)]
pub struct PassProgress {
    sources_done: AtomicUsize,
    items_read: AtomicU64,
}

impl PassProgress {
    /// Sources finished (listed or failed) so far.
    pub fn sources_done(&self) -> usize {
        self.sources_done.load(Ordering::Relaxed)
    }

    /// Items read from the source being listed now (movies, shows, seasons, episodes: every
    /// element of every page), starting again at 0 for each source.
    pub fn items_read(&self) -> u64 {
        self.items_read.load(Ordering::Relaxed)
    }

    /// One more item read.
    pub(crate) fn tick(&self) {
        self.items_read.fetch_add(1, Ordering::Relaxed);
    }

    /// A source finished: the count starts again for the next.
    pub(crate) fn source_done(&self) {
        self.items_read.store(0, Ordering::Relaxed);
        self.sources_done.fetch_add(1, Ordering::Relaxed);
    }
}

/// One upstream the index reads.
pub trait IndexSource: Send + Sync + std::fmt::Debug {
    /// Its name, kind and link data as configured.
    fn info(&self) -> &SourceInfo;

    /// Everything it holds now, paged the way its API pages. `ids` turns a TVDB id into a
    /// TMDB id for items that carry only the former; each item read ticks `progress`.
    fn full<'a>(
        &'a self,
        ids: &'a IdMap,
        progress: &'a PassProgress,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>>;

    /// What changed since `since` (titles added or changed; deletions wait for a full pass).
    /// `index` gives the source's current titles, which some sources patch.
    fn changes<'a>(
        &'a self,
        ids: &'a IdMap,
        index: &'a LibraryIndex,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>>;

    /// The episodes with a file of the show this source keeps as `item` (its own id), for
    /// requests that name single episodes; `None` when this kind of source cannot tell (season
    /// counts are all the index keeps, and they cannot say which episodes are there).
    fn episodes_with_files<'a>(
        &'a self,
        item: &'a str,
    ) -> BoxFuture<'a, Result<Option<Episodes>, UpstreamError>> {
        let _ = item;
        Box::pin(async { Ok(None) })
    }
}

/// TVDB → TMDB ids known to the index, taken once per pass.
#[derive(Debug, Default, Clone)]
pub struct IdMap(HashMap<TvdbId, TmdbId>);

impl IdMap {
    /// The ids every source of the index knows both of.
    pub fn from_index(index: &LibraryIndex) -> Self {
        let mut map = HashMap::new();
        for (info, _) in index.sources() {
            index.with_titles(&info.name, |titles| {
                for (tvdb, tmdb) in titles.tvdb_pairs() {
                    map.entry(tvdb).or_insert(tmdb);
                }
            });
        }
        Self(map)
    }

    /// Adds a pair (a source listed both).
    pub fn learn(&mut self, tvdb: TvdbId, tmdb: TmdbId) {
        self.0.entry(tvdb).or_insert(tmdb);
    }

    /// The TMDB id of a show known by TVDB id.
    pub fn tmdb(&self, tvdb: TvdbId) -> Option<TmdbId> {
        self.0.get(&tvdb).copied()
    }
}
