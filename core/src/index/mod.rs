//! The library index: what every media server (Jellyfin, Emby, Plex; several of each) and every
//! Radarr/Sonarr instance holds, per title and per season, with download progress — served from
//! memory, kept in the database so a restart answers at once.
//!
//! [`LibraryIndex`] is the in-memory map every reader asks (search cards, `/issue`, `/mine`,
//! the console): one compact sorted table per source ([`titles`]), so a lookup by TMDB id is a
//! few binary searches, half a million titles fit in a few megabytes, and a full pass swaps a
//! source's table in one short write lock. [`sources`] reads each kind of
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
pub mod titles;
pub mod verdict;

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::domain::{
    IndexedTitle, MediaType, SourceHealth, SourceInfo, SourceKind, TitleStatus, TmdbId, TvdbId,
    WatchLink,
};
use crate::error::CoreResult;
use crate::store::{Db, library_index as store};

/// A title's key in the index.
pub type TitleKey = (MediaType, TmdbId);

pub use titles::{TitleView, Titles};

#[derive(Debug)]
struct Slot {
    info: SourceInfo,
    health: SourceHealth,
    titles: Titles,
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
                titles: Titles::default(),
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
    /// follows the one that does this way). Sources are swapped one at a time as their rows
    /// are read, so at most one source is held twice.
    pub async fn reload(&self, db: &Db) -> CoreResult<()> {
        let stored = store::sources(db).await?;
        let names: Vec<String> = {
            let mut slots = self.write();
            for slot in slots.iter_mut() {
                let row = stored.iter().find(|row| row.name == slot.info.name);
                if slot.info.server_id.is_none() {
                    slot.info.server_id = row.and_then(|r| r.server_id.clone());
                }
                slot.health = row.map(|r| r.health.clone()).unwrap_or_default();
            }
            slots.iter().map(|s| s.info.name.clone()).collect()
        };
        let mut seen: Vec<String> = Vec::new();
        let mut current: Option<(String, titles::Builder)> = None;
        store::each_title(db, |source, title| {
            if current.as_ref().is_none_or(|(name, _)| name != source) {
                if let Some((name, builder)) = current.take() {
                    self.install(&name, builder);
                    seen.push(name);
                }
                current = Some((source.to_owned(), titles::Builder::default()));
            }
            if let Some((_, builder)) = current.as_mut() {
                builder.push(title);
            }
        })
        .await?;
        if let Some((name, builder)) = current.take() {
            self.install(&name, builder);
            seen.push(name);
        }
        for name in names.iter().filter(|n| !seen.contains(n)) {
            if let Some(slot) = self.write().iter_mut().find(|s| &s.info.name == name) {
                slot.titles = Titles::default();
            }
        }
        Ok(())
    }

    /// Puts a source's reloaded titles in place (titles of a source no longer configured are
    /// dropped).
    fn install(&self, source: &str, builder: titles::Builder) {
        if !self.read().iter().any(|s| s.info.name == source) {
            return;
        }
        let (titles, _) = builder.finish();
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            slot.health.items = titles.len() as u64;
            slot.titles = titles;
        }
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
                    title: title.to_title(),
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
        let mut listed = Vec::new();
        for slot in slots.iter() {
            let Some(title) = slot.titles.get(&(media_type, tmdb)) else {
                continue;
            };
            let server = slot.info.kind.is_media_server();
            // A 4K *arr's file is the 4K copy; the card speaks of the everyday one.
            let everyday = server || !title.four_k();
            if title.present() {
                status.four_k |= title.four_k();
                if everyday {
                    status.present = true;
                    present.extend(
                        title
                            .seasons()
                            .iter()
                            .filter(|s| s.present > 0)
                            .map(|s| s.number),
                    );
                    complete.extend(
                        title
                            .seasons()
                            .iter()
                            .filter(|s| s.complete())
                            .map(|s| s.number),
                    );
                }
            }
            if server && title.present() {
                let link = title.item().and_then(|item| slot.info.link(&item));
                if let Some(url) = link {
                    status.watch.push(WatchLink {
                        server: slot.info.label.clone(),
                        url,
                    });
                }
            }
            if !server {
                listed.extend(title.seasons().iter().map(|s| s.number).filter(|n| *n > 0));
            }
            if !server && everyday {
                status.monitored |= title.monitored();
                if let Some(download) = title.download()
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
        status.seasons_listed = crate::domain::Seasons::new(listed);
        status
    }

    /// A show's TMDB id from its TVDB id, as any source that knows both says.
    pub fn tmdb_for_tvdb(&self, tvdb: TvdbId) -> Option<TmdbId> {
        self.read().iter().find_map(|slot| {
            slot.titles
                .tvdb_pairs()
                .find(|(known, _)| *known == tvdb)
                .map(|(_, tmdb)| tmdb)
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
    pub(crate) fn with_titles<T>(&self, source: &str, f: impl FnOnce(&Titles) -> T) -> Option<T> {
        self.read()
            .iter()
            .find(|s| s.info.name == source)
            .map(|s| f(&s.titles))
    }

    /// Replaces one source's titles (a successful full pass).
    pub(crate) fn replace(&self, source: &str, titles: Titles) {
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            slot.health.items = titles.len() as u64;
            slot.titles = titles;
        }
    }

    /// Adds or replaces some titles of one source, and removes others (an incremental pass or
    /// a webhook).
    pub(crate) fn patch(&self, source: &str, upserts: Vec<IndexedTitle>, removals: &[TitleKey]) {
        if let Some(slot) = self.write().iter_mut().find(|s| s.info.name == source) {
            slot.titles.patch(upserts, removals);
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
        self.read().iter().any(|s| {
            s.titles
                .get(&(media_type, tmdb))
                .is_some_and(|t| t.present())
        })
    }
}
