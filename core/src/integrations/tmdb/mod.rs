//! The TMDB v3 client: search (movie, TV, multi), details with seasons, external ids (the TVDB
//! id Sonarr needs), certifications, keywords and anime detection, trending, lists to browse
//! (popular, upcoming, by genre, and the genre lists), and poster and backdrop URLs. Every call
//! goes through the one HTTP layer ([`Upstream`]), behind a cache (so a query repeated within
//! its TTL costs no upstream call, however many ask at once) and a client-side rate limit (so a
//! burst of users never trips TMDB's own limit).
//!
//! [`TmdbClient`] is cheap to clone and meant to be built once per process, in `App::new`.

mod browse;
mod cache;
mod facts;
pub mod images;
mod requests;
mod search;
mod titles;
mod types;
mod wire;

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use moka::future::Cache;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

pub use cache::CacheTtl;
pub use requests::SeasonChoice;
pub use titles::{ANIMATION_GENRE, ANIME_KEYWORD};
pub use types::{
    Browse, ContentFacts, EpisodeDetails, EpisodeRef, ExternalIds, Genre, Keyword, MovieDetails,
    SearchHit, SearchPage, SearchQuery, SeasonDetails, SeasonInfo, ShowDetails, TimeWindow,
    Trending,
};

use super::http::{Auth, HttpSettings, Upstream, UpstreamError};
use crate::config::Settings;
use crate::error::CoreError;
use crate::metrics::CacheFigure;
use cache::{Cacheable, Key, Value};

/// The service name in errors and logs; people are told "search is unavailable" when an
/// error names it (see [`crate::i18n`]).
pub const SERVICE: &str = "TMDB";

/// How fast we may call TMDB. TMDB allows roughly 50 requests a second per IP; the default
/// stays below that so other tools on the same address (an *arr, a media server) keep room.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub per_second: NonZeroU32,
    /// Requests allowed at once after a quiet spell.
    pub burst: NonZeroU32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: nonzero(40),
            burst: nonzero(20),
        }
    }
}

/// A non-zero count from a literal (0 becomes 1).
const fn nonzero(n: u32) -> NonZeroU32 {
    match NonZeroU32::new(n) {
        Some(n) => n,
        None => NonZeroU32::MIN,
    }
}

/// Everything a [`TmdbClient`] needs; tests point `base_url` at a fake.
#[derive(Debug, Clone)]
pub struct TmdbConfig {
    /// API base URL without `/3` (`https://api.themoviedb.org`).
    pub base_url: String,
    /// A v3 API key or a v4 read access token.
    pub api_key: SecretString,
    /// Image base URL without size (`https://image.tmdb.org/t/p`).
    pub image_base_url: String,
    /// Client-side rate limit.
    pub rate_limit: RateLimit,
    /// Upper bound of the cache, in (estimated) bytes.
    pub cache_bytes: u64,
    /// Upper bound of the image proxy's cache, in bytes.
    pub image_cache_bytes: u64,
    /// Lifetime of each kind of cached answer.
    pub ttl: CacheTtl,
}

impl TmdbConfig {
    /// Defaults for everything but the address and the credential.
    pub fn new(base_url: impl Into<String>, api_key: SecretString) -> Self {
        Self {
            base_url: base_url.into(),
            api_key,
            image_base_url: "https://image.tmdb.org/t/p".into(),
            rate_limit: RateLimit::default(),
            cache_bytes: 16 * 1024 * 1024,
            image_cache_bytes: 32 * 1024 * 1024,
            ttl: CacheTtl::default(),
        }
    }

    /// The configuration from validated settings, or `None` when no TMDB key is set
    /// (search is then unavailable, and `usher serve` says so).
    pub fn from_settings(settings: &Settings) -> Option<Self> {
        let tmdb = settings.tmdb.as_ref()?;
        let mut config = Self::new(&settings.tmdb_api_url, tmdb.api_key.clone());
        config.image_base_url = settings.tmdb_image_url.clone();
        Some(config)
    }
}

/// How the credential travels. A v4 read access token is a JWT (it contains dots) and goes in
/// `Authorization: Bearer`, like every other key we hold. A v3 API key only works as the
/// `api_key` query parameter — TMDB accepts it nowhere else — so it does ride in the URL; the
/// HTTP layer never logs URLs, and operators should prefer the read token.
pub(crate) fn auth_for(key: &SecretString) -> Auth {
    if key.expose_secret().contains('.') {
        Auth::Bearer(key.clone())
    } else {
        Auth::Query("api_key", key.clone())
    }
}

/// The TMDB client: cached, coalesced, rate-limited. Clones share cache and limiter.
#[derive(Clone)]
pub struct TmdbClient {
    inner: Arc<Inner>,
}

struct Inner {
    upstream: Upstream,
    cache: Cache<Key, Value>,
    limiter: DefaultDirectRateLimiter,
    image_base_url: String,
    images: images::TmdbImages,
}

impl std::fmt::Debug for TmdbClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TmdbClient")
            .field("upstream", &self.inner.upstream)
            .field("cached_entries", &self.inner.cache.entry_count())
            .finish()
    }
}

impl TmdbClient {
    /// Builds the client over the shared HTTP settings.
    pub fn new(config: TmdbConfig, http: &HttpSettings) -> Result<Self, CoreError> {
        let upstream = Upstream::new(SERVICE, &config.base_url, auth_for(&config.api_key), http)?;
        let quota =
            Quota::per_second(config.rate_limit.per_second).allow_burst(config.rate_limit.burst);
        Ok(Self {
            inner: Arc::new(Inner {
                upstream,
                cache: cache::build(config.cache_bytes, config.ttl),
                limiter: RateLimiter::direct(quota),
                images: images::TmdbImages::new(
                    &config.image_base_url,
                    config.image_cache_bytes,
                    http,
                )?,
                image_base_url: config.image_base_url.trim_end_matches('/').to_owned(),
            }),
        })
    }

    /// `…/w500/abc.jpg`: the poster size chat cards use.
    pub fn poster_url(&self, path: &str) -> String {
        self.image_url("w500", path)
    }

    /// `…/w1280/abc.jpg`: the backdrop size the console uses.
    pub fn backdrop_url(&self, path: &str) -> String {
        self.image_url("w1280", path)
    }

    /// An image at any size TMDB offers (`w92` … `original`).
    pub fn image_url(&self, size: &str, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("{}/{size}{slash}{path}", self.inner.image_base_url)
    }

    /// The image proxy's side of TMDB: posters by size and file, cached by bytes.
    pub fn images(&self) -> &images::TmdbImages {
        &self.inner.images
    }

    /// What the answer and image caches hold, once their pending writes and evictions are
    /// done (for `/metrics`).
    pub async fn cache_figures(&self) -> [CacheFigure; 2] {
        let cache = &self.inner.cache;
        cache.run_pending_tasks().await;
        let answers = CacheFigure {
            cache: "tmdb",
            entries: cache.entry_count(),
            bytes: cache.weighted_size(),
        };
        [answers, self.inner.images.cache_figure().await]
    }

    /// Drops every cached answer (after the operator changes the key, say).
    pub fn clear_cache(&self) {
        self.inner.cache.invalidate_all();
    }

    /// The cached answer for `key`, or the one `load` produces. Concurrent callers with the
    /// same key wait for a single `load`; an error is handed to all of them and not kept.
    async fn cached<T, F>(&self, key: Key, load: F) -> Result<T, UpstreamError>
    where
        T: Cacheable,
        F: Future<Output = Result<T, UpstreamError>>,
    {
        // Boxed: moka's lookup future is several KB, and every caller up to the chat update's
        // task would otherwise hold room for it from start to end.
        let value = Box::pin(self.inner.cache.try_get_with(key, async {
            match load.await {
                Ok(found) => Ok(found.into_value()),
                Err(UpstreamError::NotFound) => Ok(Value::Absent),
                Err(other) => Err(other),
            }
        }))
        .await
        .map_err(|shared| (*shared).clone())?;
        if matches!(value, Value::Absent) {
            return Err(UpstreamError::NotFound);
        }
        T::from_value(value).ok_or_else(|| UpstreamError::Malformed("mixed-up cache entry".into()))
    }

    /// The answer cached for `key`, if any, without loading it.
    async fn peek(&self, key: &Key) -> Option<Value> {
        self.inner.cache.get(key).await
    }

    /// One upstream GET, after waiting for the rate limiter.
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, UpstreamError> {
        self.inner.limiter.until_ready().await;
        self.inner.upstream.get_json(path, query).await
    }
}

/// `language=…` when one is asked for.
fn language_param(language: Option<&str>) -> Vec<(&'static str, String)> {
    language
        .filter(|l| !l.is_empty())
        .map(|l| vec![("language", l.to_owned())])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
