//! Full and incremental passes over the index's sources.
//!
//! A full pass lists everything a source holds and writes only the difference with what the
//! index held (titles new or changed, titles gone), then swaps the source's map. A source that
//! fails (401, 500, a malformed page, a listing that never ends) or answers with an empty
//! library when it held titles keeps its last known titles and is marked stale with the reason:
//! a pass never wipes the index because of an error or an empty page. An incremental pass asks
//! each source what changed since its last success and patches. After each pass the open
//! requests are checked against the index (they become available from it; a request for single
//! episodes asks the sources holding them which episodes have files, see [`episodes`]), and
//! after a full
//! pass with every source fresh, available requests whose title left every source give their
//! claim up, so the title can be requested again.

mod episodes;

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::context::{IdMap, IndexSource, Listing, PassProgress};
use super::{LibraryIndex, TitleKey, Titles};
use crate::domain::availability::MOVIE_PRESENT;
use crate::domain::{
    Actor, IndexedTitle, MediaType, RequestId, Seasons, SourceHealth, SourceKind, Timestamp,
};
use crate::error::CoreResult;
use crate::service::AvailabilityService;
use crate::store::library_index::{self as store, StoredSource};
use crate::store::{Db, availability};

/// An incremental pass asks for changes since the last success minus this much, so a change
/// saved while the last pass ran is not missed.
const OVERLAP: Duration = Duration::from_secs(120);
/// Open requests read per query.
const PAGE: u32 = 1_000;
/// Titles unpacked and written per batch: a first pass writes every title without holding
/// them all unpacked.
const WRITE_BATCH: usize = 5_000;

/// What one pass did with one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceReport {
    /// The source's name.
    pub name: String,
    /// Titles it holds now.
    pub items: usize,
    /// Titles written (new or changed).
    pub changed: usize,
    /// Titles that left it.
    pub removed: usize,
    /// Items skipped for lack of a usable id.
    pub skipped: usize,
    /// Duplicate items folded into one.
    pub duplicates: usize,
    /// Why it failed (it is stale now); `None` on success.
    pub error: Option<String>,
    /// How long it took.
    pub duration: Duration,
}

/// What a pass did.
#[derive(Debug, Clone, Default)]
pub struct PassReport {
    /// Per source, in configuration order.
    pub sources: Vec<SourceReport>,
    /// Requests that became (partly) available from the index.
    pub available: Vec<RequestId>,
    /// Available requests whose title left the library; their claim is given up.
    pub released: Vec<RequestId>,
}

/// Runs passes over the index's sources; see the module docs.
#[derive(Debug, Clone)]
pub struct Passes {
    db: Db,
    index: Arc<LibraryIndex>,
    sources: Vec<Arc<dyn IndexSource>>,
    availability: AvailabilityService,
    /// What each source's season counts were when it was last asked for a single-episode
    /// request's episodes ([`episodes`]): unchanged counts are not asked again.
    episode_counts: Arc<std::sync::Mutex<episodes::Counts>>,
}

impl Passes {
    /// Passes over `sources` into `index`.
    pub fn new(db: Db, index: Arc<LibraryIndex>, sources: Vec<Arc<dyn IndexSource>>) -> Self {
        Self {
            availability: AvailabilityService::new(db.clone()),
            db,
            index,
            sources,
            episode_counts: Arc::default(),
        }
    }

    /// The database the passes write to (the schedule hears asks for a full pass through it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The index the passes fill.
    pub fn index(&self) -> &Arc<LibraryIndex> {
        &self.index
    }

    /// Loads what the database remembers into the index (before a first pass, so the pass
    /// diffs against the stored titles and notices deletions).
    pub async fn load_stored(&self) -> CoreResult<()> {
        self.index.reload(&self.db).await
    }

    /// Whether there is anything to pass over.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// A full pass over every source, one after the other (so only one listing is in memory
    /// at a time); `done` hears of each source as it finishes.
    pub async fn full(&self, done: impl FnMut(&SourceReport)) -> CoreResult<PassReport> {
        self.full_watched(&PassProgress::default(), done).await
    }

    /// [`Passes::full`], counting what it reads in `progress` as it goes, for a progress bar
    /// drawn while a large source is still being listed.
    pub async fn full_watched(
        &self,
        progress: &PassProgress,
        mut done: impl FnMut(&SourceReport),
    ) -> CoreResult<PassReport> {
        let mut report = PassReport::default();
        for source in &self.sources {
            let ids = IdMap::from_index(&self.index);
            let one = self.full_one(source.as_ref(), &ids, progress).await?;
            done(&one);
            progress.source_done();
            report.sources.push(one);
        }
        report.available = self.settle_open().await?;
        report.released = self.release_gone().await?;
        Ok(report)
    }

    /// An incremental pass over every source.
    pub async fn incremental(&self) -> CoreResult<PassReport> {
        let mut report = PassReport::default();
        let ids = IdMap::from_index(&self.index);
        for source in &self.sources {
            report
                .sources
                .push(self.incremental_one(source.as_ref(), &ids).await?);
        }
        if report.sources.iter().any(|s| s.changed > 0) {
            report.available = self.settle(false).await?;
        }
        Ok(report)
    }

    async fn full_one(
        &self,
        source: &dyn IndexSource,
        ids: &IdMap,
        progress: &PassProgress,
    ) -> CoreResult<SourceReport> {
        let name = source.info().name.clone();
        let started = Instant::now();
        let result = source.full(ids, progress).await;
        let mut report = SourceReport {
            name: name.clone(),
            ..SourceReport::default()
        };
        let mut health = self.index.health(&name);
        let now = Timestamp::now();
        health.last_full = Some(now);
        health.duration_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        let listing = match result {
            Ok(listing) => listing,
            Err(err) => {
                return self
                    .failed(source, health, report, &err.to_string(), started)
                    .await;
            }
        };
        let learnt = (listing.server_id.clone(), listing.kind);
        let (titles, duplicates) = listing.titles.finish();
        report.skipped = listing.skipped;
        report.duplicates = duplicates;
        if titles.is_empty() && health.items > 0 {
            let why = "answered with an empty library; its last known titles are kept";
            return self.failed(source, health, report, why, started).await;
        }
        let (changed, removed) = self
            .index
            .with_titles(&name, |old| old.diff(&titles))
            .unwrap_or_default();
        self.write(&name, &titles, &changed, &removed, now).await?;
        report.changed = changed.len();
        report.removed = removed.len();
        report.items = titles.len();
        self.index.replace(&name, titles);
        health.items = report.items as u64;
        health.last_success = Some(now);
        health.error = None;
        health.stale = false;
        self.save_health(source, health, learnt).await?;
        report.duration = started.elapsed();
        Ok(report)
    }

    async fn incremental_one(
        &self,
        source: &dyn IndexSource,
        ids: &IdMap,
    ) -> CoreResult<SourceReport> {
        let name = source.info().name.clone();
        let started = Instant::now();
        let mut report = SourceReport {
            name: name.clone(),
            ..SourceReport::default()
        };
        let mut health = self.index.health(&name);
        let Some(since) = health.last_success else {
            // Never listed in full: nothing to patch; the next full pass does it.
            return Ok(report);
        };
        let since = since.minus(OVERLAP);
        let result = source.changes(ids, &self.index, since).await;
        let now = Timestamp::now();
        health.last_incremental = Some(now);
        let listing: Listing = match result {
            Ok(listing) => listing,
            Err(err) => {
                return self
                    .failed(source, health, report, &err.to_string(), started)
                    .await;
            }
        };
        let learnt = (listing.server_id.clone(), listing.kind);
        let (titles, duplicates) = listing.titles.finish();
        report.duplicates = duplicates;
        report.skipped = listing.skipped;
        let changed: Vec<IndexedTitle> = self
            .index
            .with_titles(&name, |old| {
                titles
                    .iter()
                    .map(|t| t.to_title())
                    .filter(|t| !old.holds(t))
                    .collect()
            })
            .unwrap_or_default();
        let refs: Vec<&IndexedTitle> = changed.iter().collect();
        store::apply(&self.db, &name, &refs, &[], now).await?;
        report.changed = changed.len();
        self.index.patch(&name, changed, &[]);
        health.last_success = Some(now);
        health.error = None;
        health.stale = false;
        self.save_health(source, health, learnt).await?;
        report.items = self
            .index
            .source(&name)
            .map_or(0, |(_, h)| h.items as usize);
        report.duration = started.elapsed();
        Ok(report)
    }

    /// Writes the `changed` titles of `titles` and deletes the `removed` ones, a batch at a
    /// time.
    async fn write(
        &self,
        source: &str,
        titles: &Titles,
        changed: &[TitleKey],
        removed: &[TitleKey],
        now: Timestamp,
    ) -> CoreResult<()> {
        for batch in changed.chunks(WRITE_BATCH) {
            let rows: Vec<IndexedTitle> = batch
                .iter()
                .filter_map(|key| titles.get(key).map(|t| t.to_title()))
                .collect();
            let refs: Vec<&IndexedTitle> = rows.iter().collect();
            store::apply(&self.db, source, &refs, &[], now).await?;
        }
        store::apply(&self.db, source, &[], removed, now).await
    }

    async fn failed(
        &self,
        source: &dyn IndexSource,
        mut health: SourceHealth,
        mut report: SourceReport,
        why: &str,
        started: Instant,
    ) -> CoreResult<SourceReport> {
        tracing::warn!(source = %report.name, error = %why, "library source stale");
        health.error = Some(why.to_owned());
        health.stale = true;
        health.errors += 1;
        report.error = Some(why.to_owned());
        report.items = health.items as usize;
        self.save_health(source, health, (None, None)).await?;
        report.duration = started.elapsed();
        Ok(report)
    }

    async fn save_health(
        &self,
        source: &dyn IndexSource,
        health: SourceHealth,
        (server_id, kind): (Option<String>, Option<SourceKind>),
    ) -> CoreResult<()> {
        let name = &source.info().name;
        self.index.set_health(name, health, server_id, kind);
        let Some((info, health)) = self.index.source(name) else {
            return Ok(());
        };
        let stored = StoredSource {
            name: name.clone(),
            kind: info.kind,
            server_id: info.server_id,
            health,
        };
        store::put_source(&self.db, &stored).await
    }

    /// Records what the index holds of every open request (they become partly or fully
    /// available from it); only news is written.
    pub async fn settle_open(&self) -> CoreResult<Vec<RequestId>> {
        self.settle(true).await
    }

    /// [`Self::settle_open`]; `thorough` (a full pass) asks the sources for single episodes
    /// even where their season counts did not change (a file replaced by another).
    async fn settle(&self, thorough: bool) -> CoreResult<Vec<RequestId>> {
        let mut answers: Vec<(RequestId, Seasons)> = Vec::new();
        let mut singles = Vec::new();
        let mut after = RequestId(0);
        loop {
            let page = availability::open_page(&self.db, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for request in page {
                if !request.episodes.is_empty() {
                    singles.push(request);
                    continue;
                }
                let status = self
                    .index
                    .status(request.media.media_type, request.media.tmdb_id);
                let held = match request.media.media_type {
                    MediaType::Movie if status.present => Seasons::new([MOVIE_PRESENT]),
                    MediaType::Movie => Seasons::default(),
                    MediaType::Tv => status.seasons_present.clone(),
                };
                if held.iter().any(|s| !request.available_seasons.contains(s)) {
                    answers.push((request.id, held));
                }
            }
        }
        let recorded = self
            .availability
            .record_many(&Actor::system(), &answers)
            .await;
        let mut changed = Vec::new();
        for (id, result) in recorded {
            match result {
                Ok(done) if done.changed => changed.push(id),
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(request = %id, error = %err, "availability not recorded")
                }
            }
        }
        changed.extend(self.settle_episodes(&singles, thorough).await);
        Ok(changed)
    }

    /// Available requests whose title left every source give their claim up — only when
    /// every source is fresh, so a server that is down never makes a title look deleted.
    async fn release_gone(&self) -> CoreResult<Vec<RequestId>> {
        if !self.index.all_fresh() {
            return Ok(Vec::new());
        }
        let index = self.index.clone();
        self.availability
            .release_absent(&Actor::system(), move |media_type, tmdb| {
                index.held_anywhere(media_type, tmdb)
            })
            .await
    }

    /// Writes what a webhook said of one title at once (a new file, a deletion), so a card
    /// says it before the next pass. `None` removes the title from that source.
    pub async fn put_title(
        &self,
        source: &str,
        key: TitleKey,
        title: Option<IndexedTitle>,
    ) -> CoreResult<()> {
        let now = Timestamp::now();
        match title {
            Some(title) => {
                store::apply(&self.db, source, &[&title], &[], now).await?;
                self.index.patch(source, vec![title], &[]);
            }
            None => {
                store::apply(&self.db, source, &[], &[key], now).await?;
                self.index.patch(source, Vec::new(), &[key]);
            }
        }
        Ok(())
    }
}
