//! Reading the index as a list, for the console's Library page: what each source holds (movies,
//! shows, episodes) with its health, and a filtered, ordered, paged slice of the titles with
//! every source's holding of each — all under one read lock, without touching an upstream.

use std::collections::HashSet;

use super::{Holding, LibraryIndex, Slot, TitleKey};
use crate::domain::{MediaType, SourceHealth, SourceInfo};

/// One source's counts and health, as the Library page's table shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCounts {
    /// The source.
    pub info: SourceInfo,
    /// How its passes went (stale, why, when).
    pub health: SourceHealth,
    /// Movies it holds (present or not: an *arr lists monitored titles without a file too).
    pub movies: u64,
    /// Shows it holds.
    pub shows: u64,
    /// Episodes present over all its shows (0 when the source does not count them).
    pub episodes: u64,
}

/// Which titles to list.
#[derive(Debug, Clone, Default)]
pub struct TitleFilter {
    /// Only titles this source holds (by its name).
    pub source: Option<String>,
    /// Only titles of this media type.
    pub media_type: Option<MediaType>,
    /// Only these titles (what a search found); `None` for any.
    pub only: Option<HashSet<TitleKey>>,
}

impl TitleFilter {
    fn admits(&self, key: &TitleKey) -> bool {
        self.media_type.is_none_or(|m| m == key.0)
            && self.only.as_ref().is_none_or(|only| only.contains(key))
    }
}

/// One title of a listing with every source's holding of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedTitle {
    /// Its media type and TMDB id.
    pub key: TitleKey,
    /// What each source holds of it, in configuration order.
    pub holdings: Vec<Holding>,
}

/// A page of titles and how many matched in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleSlice {
    /// The titles of the page, movies first, then by TMDB id.
    pub titles: Vec<ListedTitle>,
    /// Titles matching the filter, over every page.
    pub matched: usize,
}

impl LibraryIndex {
    /// Every source's counts and health, in configuration order.
    pub fn source_counts(&self) -> Vec<SourceCounts> {
        self.read()
            .iter()
            .map(|slot| {
                let mut counts = SourceCounts {
                    info: slot.info.clone(),
                    health: slot.health.clone(),
                    movies: 0,
                    shows: 0,
                    episodes: 0,
                };
                for title in slot.titles.iter() {
                    match title.key().0 {
                        MediaType::Movie => counts.movies += 1,
                        MediaType::Tv => {
                            counts.shows += 1;
                            let present = title.seasons().iter().map(|s| u64::from(s.present));
                            counts.episodes += present.sum::<u64>();
                        }
                    }
                }
                counts
            })
            .collect()
    }

    /// Distinct titles over every source (a film on two servers counts once).
    pub fn distinct_titles(&self) -> usize {
        matching_keys(&self.read(), &TitleFilter::default()).len()
    }

    /// The titles matching `filter`, skipping `offset` and keeping at most `limit`, each with
    /// what every source holds of it.
    pub fn titles(&self, filter: &TitleFilter, offset: usize, limit: usize) -> TitleSlice {
        let slots = self.read();
        let keys = matching_keys(&slots, filter);
        let titles = keys
            .iter()
            .skip(offset)
            .take(limit)
            .map(|key| ListedTitle {
                key: *key,
                holdings: slots
                    .iter()
                    .filter_map(|slot| {
                        Some(Holding {
                            source: slot.info.clone(),
                            title: slot.titles.get(key)?.to_title(),
                        })
                    })
                    .collect(),
            })
            .collect();
        TitleSlice {
            titles,
            matched: keys.len(),
        }
    }
}

/// The keys `filter` admits over the sources it chooses, ascending and each once: a sorted
/// vector, not a set, since a page walks every title of every source.
fn matching_keys(slots: &[Slot], filter: &TitleFilter) -> Vec<TitleKey> {
    let chosen = slots.iter().filter(|s| {
        filter
            .source
            .as_ref()
            .is_none_or(|name| *name == s.info.name)
    });
    let mut keys: Vec<TitleKey> = match &filter.only {
        // A search found a few titles: probe for them rather than walk every table.
        Some(only) => chosen
            .flat_map(|s| only.iter().filter(move |k| s.titles.get(k).is_some()))
            .filter(|k| filter.admits(k))
            .copied()
            .collect(),
        None => chosen
            .flat_map(|s| s.titles.iter().map(|t| t.key()))
            .filter(|k| filter.admits(k))
            .collect(),
    };
    keys.sort_unstable();
    keys.dedup();
    keys
}
