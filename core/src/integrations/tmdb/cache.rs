//! The TMDB cache: one moka cache bounded by an estimate of its size in bytes, each entry living
//! as long as its kind may be stale (searches an hour, details six, trending half an hour,
//! external ids a day). Lookups go through `try_get_with`, so concurrent identical lookups share
//! one upstream call, and a failed call leaves nothing behind to be served later — except
//! TMDB's own "no such title" (404), believed for [`ABSENT_TTL`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use moka::Expiry;
use moka::future::Cache;

use super::types::{
    Browse, ContentFacts, ExternalIds, Genre, Keyword, MovieDetails, SearchPage, SeasonDetails,
    ShowDetails, TimeWindow, Trending,
};
use crate::domain::{MediaType, TmdbId};

/// How long each kind of answer is kept.
#[derive(Debug, Clone)]
pub struct CacheTtl {
    /// Search pages (movie, TV, multi).
    pub search: Duration,
    /// Movie and show details, certifications, keywords.
    pub details: Duration,
    /// Trending lists.
    pub trending: Duration,
    /// External ids (TVDB, IMDb), which almost never change.
    pub external_ids: Duration,
}

impl Default for CacheTtl {
    fn default() -> Self {
        Self {
            search: Duration::from_secs(60 * 60),
            details: Duration::from_secs(6 * 60 * 60),
            trending: Duration::from_secs(30 * 60),
            external_ids: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// Which search endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Scope {
    Movie,
    Tv,
    Multi,
}

/// One cached lookup, normalized so equal questions are equal keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Search {
        scope: Scope,
        text: String,
        language: Option<String>,
        year: Option<u16>,
        page: u32,
    },
    Trending {
        kind: Trending,
        window: TimeWindow,
        language: Option<String>,
        page: u32,
    },
    Movie {
        id: TmdbId,
        language: Option<String>,
    },
    Show {
        id: TmdbId,
        language: Option<String>,
    },
    Season {
        id: TmdbId,
        number: u16,
        language: Option<String>,
    },
    ExternalIds {
        media: MediaType,
        id: TmdbId,
    },
    Certifications {
        media: MediaType,
        id: TmdbId,
    },
    Keywords {
        media: MediaType,
        id: TmdbId,
    },
    ContentFacts {
        media: MediaType,
        id: TmdbId,
    },
    Browse {
        list: Browse,
        language: Option<String>,
        page: u32,
    },
    Genres {
        media: MediaType,
        language: Option<String>,
    },
}

impl Key {
    fn ttl(&self, ttl: &CacheTtl) -> Duration {
        match self {
            Self::Search { .. } => ttl.search,
            Self::Trending { .. } | Self::Browse { .. } => ttl.trending,
            Self::Genres { .. } => ttl.details,
            Self::ExternalIds { .. } => ttl.external_ids,
            Self::Movie { .. }
            | Self::Show { .. }
            | Self::Season { .. }
            | Self::Certifications { .. }
            | Self::Keywords { .. }
            | Self::ContentFacts { .. } => ttl.details,
        }
    }

    fn weight(&self) -> usize {
        let text = match self {
            Self::Search { text, language, .. } => text.len() + opt_len(language),
            Self::Trending { language, .. }
            | Self::Browse { language, .. }
            | Self::Genres { language, .. }
            | Self::Movie { language, .. }
            | Self::Show { language, .. }
            | Self::Season { language, .. } => opt_len(language),
            _ => 0,
        };
        48 + text
    }
}

/// One cached answer; `Arc`s so a hit is a pointer copy, not a deep clone.
#[derive(Debug, Clone)]
pub(super) enum Value {
    Page(Arc<SearchPage>),
    Movie(Arc<MovieDetails>),
    Show(Arc<ShowDetails>),
    Season(Arc<SeasonDetails>),
    Ids(Arc<ExternalIds>),
    Certifications(Arc<Vec<(String, String)>>),
    Keywords(Arc<Vec<Keyword>>),
    ContentFacts(Arc<ContentFacts>),
    Genres(Arc<Vec<Genre>>),
    /// TMDB answered 404: kept (for at most [`ABSENT_TTL`]) so a page showing a title TMDB does
    /// not know, viewed again and again, does not wait on the rate limiter and TMDB each time.
    Absent,
}

/// How long a 404 is believed: a title added to TMDB since shows up within it.
pub(super) const ABSENT_TTL: Duration = Duration::from_secs(10 * 60);

fn opt_len(s: &Option<String>) -> usize {
    s.as_ref().map_or(0, String::len)
}

impl Value {
    /// A rough size in bytes: enough to bound memory, not an exact accounting.
    fn weight(&self) -> usize {
        match self {
            Self::Page(page) => {
                64 + page
                    .hits
                    .iter()
                    .map(|h| {
                        120 + h.title.len()
                            + h.overview.len()
                            + opt_len(&h.poster_path)
                            + opt_len(&h.backdrop_path)
                    })
                    .sum::<usize>()
            }
            Self::Movie(m) => {
                320 + m.title.len()
                    + m.original_title.len()
                    + m.overview.len()
                    + m.genres.iter().map(|g| 32 + g.name.len()).sum::<usize>()
            }
            Self::Show(s) => {
                400 + s.title.len()
                    + s.original_title.len()
                    + s.overview.len()
                    + s.seasons.iter().map(|x| 64 + x.name.len()).sum::<usize>()
                    + s.genres.iter().map(|g| 32 + g.name.len()).sum::<usize>()
            }
            Self::Season(s) => {
                160 + s.name.len()
                    + s.overview.len()
                    + s.episodes
                        .iter()
                        .map(|e| 96 + e.name.len() + e.overview.len())
                        .sum::<usize>()
            }
            Self::Ids(ids) => 64 + opt_len(&ids.imdb_id),
            Self::Certifications(list) => {
                32 + list
                    .iter()
                    .map(|(c, r)| 48 + c.len() + r.len())
                    .sum::<usize>()
            }
            Self::Keywords(list) => 32 + list.iter().map(|k| 32 + k.name.len()).sum::<usize>(),
            Self::ContentFacts(facts) => {
                96 + facts
                    .certifications
                    .iter()
                    .map(|(c, r)| 48 + c.len() + r.len())
                    .chain(facts.genres.iter().map(|g| 24 + g.len()))
                    .chain(facts.keywords.iter().map(|k| 24 + k.len()))
                    .sum::<usize>()
            }
            Self::Genres(list) => 32 + list.iter().map(|g| 32 + g.name.len()).sum::<usize>(),
            Self::Absent => 16,
        }
    }
}

/// Values that live in the cache under one [`Value`] variant each.
pub(super) trait Cacheable: Sized {
    /// Wraps for storage.
    fn into_value(self) -> Value;
    /// Unwraps; `None` only if a key was reused for another kind (a bug).
    fn from_value(value: Value) -> Option<Self>;
}

macro_rules! cacheable {
    ($ty:ty, $variant:ident) => {
        impl Cacheable for $ty {
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
            fn from_value(value: Value) -> Option<Self> {
                match value {
                    Value::$variant(inner) => Some(inner),
                    _ => None,
                }
            }
        }
    };
}

cacheable!(Arc<SearchPage>, Page);
cacheable!(Arc<MovieDetails>, Movie);
cacheable!(Arc<ShowDetails>, Show);
cacheable!(Arc<SeasonDetails>, Season);
cacheable!(Arc<ExternalIds>, Ids);
cacheable!(Arc<Vec<(String, String)>>, Certifications);
cacheable!(Arc<Vec<Keyword>>, Keywords);
cacheable!(Arc<ContentFacts>, ContentFacts);
cacheable!(Arc<Vec<Genre>>, Genres);

struct PerKind(CacheTtl);

impl Expiry<Key, Value> for PerKind {
    fn expire_after_create(&self, key: &Key, value: &Value, _now: Instant) -> Option<Duration> {
        let ttl = key.ttl(&self.0);
        Some(match value {
            Value::Absent => ttl.min(ABSENT_TTL),
            _ => ttl,
        })
    }
}

/// Builds the cache: at most `max_bytes` (estimated), entries expiring per kind.
pub(super) fn build(max_bytes: u64, ttl: CacheTtl) -> Cache<Key, Value> {
    Cache::builder()
        .name("tmdb")
        .max_capacity(max_bytes)
        .weigher(|key: &Key, value: &Value| {
            u32::try_from(key.weight() + value.weight()).unwrap_or(u32::MAX)
        })
        .expire_after(PerKind(ttl))
        .build()
}
