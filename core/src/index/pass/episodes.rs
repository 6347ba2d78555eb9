//! Open requests for single episodes, settled against the sources that can list a show's
//! episodes (Sonarr's `GET /api/v3/episode?seriesId=`, `hasFile`). The index keeps season
//! counts only, and "season 2 has one file" cannot say whether it is the requested S02E05 or
//! S02E04. Calls stay few: a source is asked only for open requests that name episodes, only
//! when the index says it has a file in one of their seasons and (in an incremental pass) those
//! seasons' file counts changed since it was last asked for that request, and once per show per
//! pass however many requests name it. A full pass asks whatever the counts, so a file
//! replaced by another (the count unchanged) is seen there.

use std::collections::HashMap;

use super::Passes;
use crate::domain::{Actor, Episodes, IndexedTitle, MediaType, Request, RequestId};

/// What a pass learnt of one show from one source: `(source name, source's item id)`.
type Asked = HashMap<(String, Box<str>), Option<Episodes>>;

/// Per open request and source, the files its seasons held when that source was last asked.
pub(super) type Counts = HashMap<(RequestId, String), Vec<(u16, u16)>>;

impl Passes {
    /// Records which of their episodes the sources hold for these open single-episode
    /// requests; returns those that became available. A source that fails is logged and
    /// skipped (the next pass asks again), so one bad source does not stall the others.
    pub(super) async fn settle_episodes(&self, open: &[Request], thorough: bool) -> Vec<RequestId> {
        let mut asked = Asked::new();
        let mut changed = Vec::new();
        // Requests no longer open are forgotten.
        let still_open: std::collections::HashSet<RequestId> = open.iter().map(|r| r.id).collect();
        self.counts().retain(|(id, _), _| still_open.contains(id));
        for request in open {
            let held = self.held_episodes(request, &mut asked, thorough).await;
            if held.is_empty() {
                continue;
            }
            match self
                .availability
                .record_episodes(&Actor::system(), request.id, &held)
                .await
            {
                Ok(done) if done.changed => changed.push(request.id),
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(request = %request.id, error = %err, "episodes not recorded");
                    // Not recorded: ask again next pass.
                    self.counts().retain(|(id, _), _| *id != request.id);
                }
            }
        }
        changed
    }

    /// The episodes with a file that the sources worth asking hold of the request's show
    /// (`thorough`: even those whose counts did not change since they were last asked).
    async fn held_episodes(
        &self,
        request: &Request,
        asked: &mut Asked,
        thorough: bool,
    ) -> Episodes {
        let mut held = Vec::new();
        for holding in self.index.holdings(MediaType::Tv, request.media.tmdb_id) {
            if !worth_asking(request, &holding.title) {
                continue;
            }
            let Some(item) = holding.title.item.clone() else {
                continue;
            };
            let files = files_of(request, &holding.title);
            let seen = (request.id, holding.source.name.clone());
            let before = self.counts().insert(seen.clone(), files.clone());
            if !thorough && before.as_ref() == Some(&files) {
                // Nothing new in its seasons since this source was last asked.
                continue;
            }
            let key = (holding.source.name, item);
            if !asked.contains_key(&key) {
                let found = self.ask(&key.0, &key.1).await;
                asked.insert(key.clone(), found);
            }
            match asked.get(&key) {
                Some(Some(found)) => held.extend(found.iter()),
                // Failed (or cannot tell): ask again next pass, whatever the counts.
                _ => {
                    self.counts().remove(&seen);
                }
            }
        }
        Episodes::new(held)
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic while holding it leaves a map that is still whole: use it.
        self.episode_counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn ask(&self, source: &str, item: &str) -> Option<Episodes> {
        let found = self.sources.iter().find(|s| s.info().name == source)?;
        match found.episodes_with_files(item).await {
            Ok(episodes) => episodes,
            Err(err) => {
                tracing::warn!(source, error = %err, "episodes of a show not listed");
                None
            }
        }
    }
}

/// The files the source holds in each of the request's seasons: `(season, files)`.
fn files_of(request: &Request, title: &IndexedTitle) -> Vec<(u16, u16)> {
    let seasons = request.episodes.seasons();
    title
        .seasons
        .iter()
        .filter(|s| seasons.contains(s.number))
        .map(|s| (s.number, s.present))
        .collect()
}

/// The source holds the request's kind of copy (4K or not) and a file in one of its seasons.
fn worth_asking(request: &Request, title: &IndexedTitle) -> bool {
    let seasons = request.episodes.seasons();
    title.four_k == request.four_k
        && title
            .seasons
            .iter()
            .any(|s| s.present > 0 && seasons.contains(s.number))
}
