//! Cached DNS answers: upstreams are a handful of fixed hosts, so one lookup a minute is plenty.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A resolver that remembers answers for a minute, shared by every client of the process.
#[derive(Debug, Clone)]
pub struct CachingResolver {
    cache: Cache<String, Arc<Vec<SocketAddr>>>,
}

impl CachingResolver {
    /// A resolver with an empty cache; build one per process and share it.
    pub fn new() -> Self {
        let cache = Cache::builder()
            .max_capacity(256)
            .time_to_live(Duration::from_secs(60))
            .build();
        Self { cache }
    }
}

impl Default for CachingResolver {
    fn default() -> Self {
        Self::new()
    }
}

impl Resolve for CachingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let cache = self.cache.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup = async {
                let found: Vec<SocketAddr> =
                    tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
                Ok::<_, std::io::Error>(Arc::new(found))
            };
            let addrs = cache
                .try_get_with(host.clone(), lookup)
                .await
                .map_err(|e| {
                    Box::new(std::io::Error::other(e.to_string()))
                        as Box<dyn std::error::Error + Send + Sync>
                })?;
            let addrs: Addrs = Box::new(addrs.as_ref().clone().into_iter());
            Ok(addrs)
        })
    }
}
