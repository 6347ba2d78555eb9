//! What every add reads from an instance and an operator rarely changes — its version, quality
//! profiles, root folders, tags and (Sonarr v3) language profiles — remembered per instance for
//! ten minutes, so an add is the look-up of the title and the add itself.
//!
//! Loads go through `try_get_with`: concurrent adds share one upstream call, and a failed call
//! leaves nothing behind. Ids that went stale within the ten minutes (a profile deleted, a
//! folder moved) make the app refuse the add; the clients then [`InstanceCache::forget`]
//! everything and try once more with fresh answers.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use super::error::ArrError;
use super::resources::{LanguageProfile, QualityProfile, RootFolder, SystemStatus, Tag};

/// How long an instance's answers are trusted.
pub(crate) const CACHE_TTL: Duration = Duration::from_secs(600);

/// One remembered answer (a list, or the status), loaded on first use.
#[derive(Debug, Clone)]
pub(crate) struct Remembered<T: Send + Sync + 'static> {
    cache: Cache<(), Arc<T>>,
}

impl<T: Send + Sync + 'static> Remembered<T> {
    fn new(ttl: Duration) -> Self {
        Self {
            cache: Cache::builder().max_capacity(1).time_to_live(ttl).build(),
        }
    }

    /// The remembered answer, or the one `load` gives (then remembered).
    pub(crate) async fn get_or_load(
        &self,
        load: impl Future<Output = Result<T, ArrError>>,
    ) -> Result<Arc<T>, ArrError> {
        Ok(self.get_or_load_fresh(load).await?.0)
    }

    /// [`Self::get_or_load`], also saying whether the answer was just loaded (so a caller
    /// that finds it lacking need not ask again).
    pub(crate) async fn get_or_load_fresh(
        &self,
        load: impl Future<Output = Result<T, ArrError>>,
    ) -> Result<(Arc<T>, bool), ArrError> {
        let entry = self
            .cache
            .entry(())
            .or_try_insert_with(async { load.await.map(Arc::new) })
            .await
            .map_err(|e| (*e).clone())?;
        let fresh = entry.is_fresh();
        Ok((entry.into_value(), fresh))
    }

    /// The remembered answer, if there is one.
    pub(crate) async fn peek(&self) -> Option<Arc<T>> {
        self.cache.get(&()).await
    }

    /// Replaces the remembered answer (a fresher one, or one after our own write, e.g. a tag we
    /// created), and gives it back.
    pub(crate) async fn put(&self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        self.cache.insert((), value.clone()).await;
        value
    }

    async fn forget(&self) {
        self.cache.invalidate(&()).await;
    }
}

/// Everything remembered of one instance. Clones share the cache.
#[derive(Debug, Clone)]
pub(crate) struct InstanceCache {
    pub(crate) status: Remembered<SystemStatus>,
    pub(crate) quality_profiles: Remembered<Vec<QualityProfile>>,
    pub(crate) root_folders: Remembered<Vec<RootFolder>>,
    pub(crate) tags: Remembered<Vec<Tag>>,
    pub(crate) language_profiles: Remembered<Vec<LanguageProfile>>,
}

impl InstanceCache {
    /// An empty cache whose entries live `ttl`.
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            status: Remembered::new(ttl),
            quality_profiles: Remembered::new(ttl),
            root_folders: Remembered::new(ttl),
            tags: Remembered::new(ttl),
            language_profiles: Remembered::new(ttl),
        }
    }

    /// Drops every answer, so the next use asks the instance again.
    pub(crate) async fn forget(&self) {
        self.status.forget().await;
        self.quality_profiles.forget().await;
        self.root_folders.forget().await;
        self.tags.forget().await;
        self.language_profiles.forget().await;
    }
}
