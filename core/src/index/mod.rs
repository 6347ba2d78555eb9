//! The library index: what every media server (Jellyfin, Emby, Plex; several of each) and every
//! Radarr/Sonarr instance holds, per title and per season, with download progress — served from
//! memory, kept in the database so a restart answers at once.
//!
//! [`LibraryIndex`] is the in-memory map every reader asks (search cards, `/issue`, `/mine`,
//! the console): one hash map per source, so a lookup by TMDB id is a handful of hash probes
//! and a full pass swaps a source's map in one short write lock. [`sources`] reads each kind of
//! upstream, [`pass`] runs full and incremental passes (keeping a failing source's last known
//! state, marking it stale), and [`job`] schedules them; [`listing`] reads it as a list for the
//! console, [`verdict`] judges each source for `usher check`.

pub mod arr;
pub mod context;
pub mod jellyfin;
pub mod job;
pub mod listing;
pub mod pass;
pub mod plex;
pub mod sources;
pub mod verdict;

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::domain::{
    IndexedTitle, MediaType, SourceHealth, SourceInfo, SourceKind, TitleStatus, TmdbId, TvdbId,
    WatchLink,
};
use crate::error::CoreResult;
use crate::store::{Db, library_index as store};

/// A title's key in the index.
pub type TitleKey = (MediaType, TmdbId);

/// One source's titles, keyed by media type and TMDB id.
pub type SourceTitles = HashMap<TitleKey, IndexedTitle>;

#[derive(Debug)]
struct Slot {
    info: SourceInfo,
    health: SourceHealth,
    titles: SourceTitles,
}

/// The index in memory; see the module docs. Cheap to share (`Arc`).
#[derive(Debug, Default)]
pub struct LibraryIndex {
    slots: RwLock<Vec<Slot>>,
}

/// One source's view of a title, for `/issue` and the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    /// The source.
    pub source: SourceInfo,
    /// What it holds.
    pub title: IndexedTitle,
}

impl LibraryIndex {
    /// An empty index over these sources (nothing known yet).
    pub fn new(sources: Vec<SourceInfo>) -> Self {
        let slots = sources
            .into_iter()
            .map(|info| Slot {
                info,
                health: SourceHealth::default(),
                titles: HashMap::new(),
            })
            .collect();
        Self {
            slots: RwLock::new(slots),
        }
    }

    /// The index over these sources with what the database remembers of them (titles, server
    /// ids, health), so answers are right from the first second after a restart. Rows of
    /// sources no longer configured are left alone.
    pub async fn load(db: &Db, sources: Vec<SourceInfo>) -> CoreResult<Arc<Self>> {
        let index = Self::new(sources);
        index.reload(db).await?;
        Ok(Arc::new(index))
    }

    /// Reads everything again from the database (a replica that does not run the passes
    /// follows the one that does this way).
    pub async fn reload(&self, db: &Db) -> CoreResult<()> {
        let infos = self.read().iter().map(|s| s.info.clone()).collect();
        let index = Self::new(infos);
        let stored = store::sources(db).await?;
        {
            let mut slots = index.write();
            for row in stored {
                if let Some(slot) = slots.iter_mut().find(|s| s.info.name == row.name) {
                    if slot.info.server_id.is_none() {
                        slot.info.server_id = row.server_id;
                    }
                    slot.health = row.health;
                }
            }
        }
        let mut loaded: HashMap<String, SourceTitles> = HashMap::new();
        store::each_title(db, |source, title| {
            loaded
                .entry(source.to_owned())
                .or_default()
                .insert((title.media_type, title.tmdb), title);
        })
        .await?;
        {
            let mut slots = index.write();
            for slot in slots.iter_mut() {
                if let Some(titles) = loaded.remove(&slot.info.name) {
                    slot.health.items = titles.len() as u64;
                    slot.titles = titles;
                }
            }
        }
        let fresh = std::mem::take(&mut *index.write());
        *self.write() = fresh;
        Ok(())
    }

    fn read(&self) -> RwLockReadGuard<'_, Vec<Slot>> {
        self.slots.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Vec<Slot>> {
        self.slots.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether any source is configured: without one, cards fall back to what requests saw.
    pub fn has_sources(&self) -> bool {
        !self.read().is_empty()
    }

    /// Whether every source's last pass succeeded (nothing is stale): only then may the index
    /// conclude a title left the library.
    pub fn all_fresh(&self) -> bool {
        self.read()
            .iter()
            .all(|s| !s.health.stale && s.health.last_success.is_some())
    }

    /// Every source with its health, in configuration order.
    pub fn sources(&self) -> Vec<(SourceInfo, SourceHealth)> {
        self.read()
            .iter()
            .map(|s| (s.info.clone(), s.health.clone()))
            .collect()
    }

    /// One source's info and health.
    pub fn source(&self, name: &str) -> Option<(SourceInfo, SourceHealth)> {
        self.read()
            .iter()
            .find(|s| s.info.name == name)
            .map(|s| (s.info.clone(), s.health.clone()))
    }

    /// One source's health (default when unknown).
    pub fn health(&self, name: &str) -> SourceHealth {
        self.source(name).map(|(_, h)| h).unwrap_or_default()
    }

    /// Every source's holding of a title.
    pub fn holdings(&self, media_type: MediaType, tmdb: TmdbId) -> Vec<Holding> {
        self.read()
            .iter()
            .filter_map(|slot| {
                let title = slot.titles.get(&(media_type, tmdb))?;
                Some(Holding {
                    source: slot.info.clone(),
                    title: title.clone(),
                })
            })
            .collect()
    }

    /// What the index says about a title, across sources: present, which seasons, where to
    /// watch it, its download. A few hash probes under a read lock.
    pub fn status(&self, media_type: MediaType, tmdb: TmdbId) -> TitleStatus {
        let slots = self.read();
        let mut status = TitleStatus::default();
        let mut present = Vec::new();
        let mut complete = Vec::new();
        for slot in slots.iter() {
            let Some(title) = slot.titles.get(&(media_type, tmdb)) else {
                continue;
            };
            let server = slot.info.kind.is_media_server();
            // A 4K *arr's file is the 4K copy; the card speaks of the everyday one.
            let everyday = server || !title.four_k;
            if title.present {
                status.four_k |= title.four_k;
                if everyday {
                    status.present = true;
                    present.extend(
                        title
                            .seasons
                            .iter()
                            .filter(|s| s.present > 0)
                            .map(|s| s.number),
                    );
                    complete.extend(
                        title
                            .seasons
                            .iter()
                            .filter(|s| s.complete())
                            .map(|s| s.number),
                    );
                }
            }
            if server && title.present {
                let link = title.item.as_deref().and_then(|item| slot.info.link(item));
                if let Some(url) = link {
                    status.watch.push(WatchLink {
                        server: slot.info.label.clone(),
                        url,
                    });
                }
            }
            if !server && everyday {
                status.monitored |= title.monitored;
                if let Some(download) = title.download
                    && status
                        .download
                        .is_none_or(|d| d.permille < download.permille)
                {
                    status.download = Some(download);
                }
            }
        }
        status.seasons_present = crate::domain::Seasons::new(present);
        status.seasons_complete = crate::domain::Seasons::new(complete);
        status
    }

    /// A show's TMDB id from its TVDB id, as any source that knows both says.
    pub fn tmdb_for_tvdb(&self, tvdb: TvdbId) -> Option<TmdbId> {
        self.read().iter().find_map(|slot| {
            slot.titles
                .values()
                .find(|t| t.media_type == MediaType::Tv && t.tvdb == Some(tvdb))
                .map(|t| t.tmdb)
        })
    }

    /// Titles per source kind, for metrics and the console.
    pub fn counts(&self) -> Vec<(String, SourceKind, usize)> {
        self.read()
            .iter()
            .map(|s| (s.info.name.clone(), s.info.kind, s.titles.len()))
            .collect()
    }

    /// A snapshot of one source's titles (a full pass diffs against it).
    pub(crate) fn with_titles<T>(
        &self,
        source: &str,
        f: impl FnOnce(&SourceTitles) -> T,
    ) -> Option<T> {
        self.read()
            .iter()
            .find(|s| s.info.name == source)
            .map(|s| f(&s.titles))
    }

    /// Replaces one source's titles (a successful full pass).
    pub(crate) fn replace(&self, source: &str, titles: SourceTitles) {
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            slot.health.items = titles.len() as u64;
            slot.titles = titles;
        }
    }

    /// Adds or replaces some titles of one source, and removes others (an incremental pass or
    /// a webhook).
    pub(crate) fn patch(&self, source: &str, upserts: Vec<IndexedTitle>, removals: &[TitleKey]) {
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            for key in removals {
                slot.titles.remove(key);
            }
            for title in upserts {
                slot.titles.insert((title.media_type, title.tmdb), title);
            }
            slot.health.items = slot.titles.len() as u64;
        }
    }

    /// Records a source's health, and its server id and kind once a pass learnt them (a
    /// server configured as Jellyfin that says it is Emby gets Emby's links).
    pub(crate) fn set_health(
        &self,
        source: &str,
        health: SourceHealth,
        server_id: Option<String>,
        kind: Option<SourceKind>,
    ) {
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            let items = slot.titles.len() as u64;
            slot.health = SourceHealth { items, ..health };
            if server_id.is_some() {
                slot.info.server_id = server_id;
            }
            if let Some(kind) =
                kind.filter(|k| k.is_media_server() && slot.info.kind.is_media_server())
            {
                if slot.info.label == slot.info.kind.product() {
                    slot.info.label = kind.product().to_owned();
                }
                slot.info.kind = kind;
            }
        }
    }

    /// Sources holding a title at all (any kind), for deletions.
    pub fn held_anywhere(&self, media_type: MediaType, tmdb: TmdbId) -> bool {
        self.read()
            .iter()
            .any(|s| s.titles.get(&(media_type, tmdb)).is_some_and(|t| t.present))
    }
}
