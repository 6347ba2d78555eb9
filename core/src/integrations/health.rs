//! The last known state of every upstream, for the console dashboard. One round of checks (the
//! very checks `usher check` runs, [`checkup::check_configured`]: a Plex token is proven by
//! listing the libraries, a Radarr key by reading its profiles and folders) is cached for a short while and shared by every page load; a load
//! that finds no fresh answer waits only a moment for one, then shows the previous answer (or
//! "not checked yet") while the round finishes in the background for the next load. So a dead
//! upstream never holds a page for longer than that moment, and a page storm makes one round.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use moka::future::Cache;

use super::checkup::{self, ServiceCheck};
use super::probe;
use crate::config::Settings;
use crate::domain::Timestamp;

/// How an upstream is doing, as far as we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamState {
    /// Nothing is set up for it.
    NotConfigured,
    /// The last probe reached it and it accepted our credentials.
    Up,
    /// The last probe failed.
    Down,
    /// Configured, but no probe has answered yet.
    Unknown,
}

/// One line of the health list (a service may have several: Radarr and its 4K instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamStatus {
    /// Service name, as operators know it (`Radarr`, `TMDB`, …).
    pub service: &'static str,
    /// What we know.
    pub state: UpstreamState,
    /// Version, or what is wrong, naming the setting and the fix; empty when there is nothing
    /// to say.
    pub detail: String,
    /// When the probe behind this line ran.
    pub checked_at: Option<Timestamp>,
}

/// How long answers are kept and how long a page waits for a new round.
#[derive(Debug, Clone, Copy)]
pub struct HealthOptions {
    /// A probe round is reused this long.
    pub ttl: Duration,
    /// The longest a page load waits for a round that is under way.
    pub budget: Duration,
}

impl Default for HealthOptions {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(60),
            budget: Duration::from_millis(300),
        }
    }
}

/// One round of checks.
#[derive(Debug)]
struct Round {
    at: Timestamp,
    checks: Vec<ServiceCheck>,
}

struct Inner {
    settings: Settings,
    fresh: Cache<(), Arc<Round>>,
    last: Mutex<Option<Arc<Round>>>,
    budget: Duration,
}

/// Upstream health with a short cache; cheap to clone, one per process.
#[derive(Clone)]
pub struct UpstreamHealth {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for UpstreamHealth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamHealth")
            .field("budget", &self.inner.budget)
            .finish_non_exhaustive()
    }
}

impl UpstreamHealth {
    /// Health of what `settings` configures.
    pub fn new(settings: Settings, options: HealthOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                settings,
                fresh: Cache::builder()
                    .max_capacity(1)
                    .time_to_live(options.ttl)
                    .build(),
                last: Mutex::new(None),
                budget: options.budget,
            }),
        }
    }

    /// Every known service with its state, in `usher check`'s order. Waits at most the budget.
    pub async fn snapshot(&self) -> Vec<UpstreamStatus> {
        let round = match self.inner.fresh.get(&()).await {
            Some(round) => Some(round),
            None => {
                let inner = self.inner.clone();
                // Spawned, so the round goes on (and fills the cache) when this page stops waiting.
                let probing = tokio::spawn(async move {
                    let init = async {
                        let round = Arc::new(Round {
                            at: Timestamp::now(),
                            checks: checkup::check_configured(&inner.settings).await,
                        });
                        *inner.last.lock().unwrap_or_else(PoisonError::into_inner) =
                            Some(round.clone());
                        round
                    };
                    inner.fresh.get_with((), init).await
                });
                match tokio::time::timeout(self.inner.budget, probing).await {
                    Ok(Ok(round)) => Some(round),
                    _ => self.last(),
                }
            }
        };
        statuses(&self.inner.settings, round.as_deref())
    }

    fn last(&self) -> Option<Arc<Round>> {
        self.inner
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The lines for every service: not configured, or what the round said (unknown without one).
fn statuses(settings: &Settings, round: Option<&Round>) -> Vec<UpstreamStatus> {
    let missing = settings.not_configured();
    let mut lines = Vec::new();
    for service in probe::SERVICES {
        let checks: Vec<&ServiceCheck> = round
            .map(|r| r.checks.iter().filter(|c| c.service == service).collect())
            .unwrap_or_default();
        if checks.is_empty() {
            let state = if missing.contains(&service) {
                UpstreamState::NotConfigured
            } else {
                UpstreamState::Unknown
            };
            lines.push(UpstreamStatus {
                service,
                state,
                detail: String::new(),
                checked_at: None,
            });
            continue;
        }
        for check in checks {
            let (state, detail) = if check.ok() {
                (UpstreamState::Up, check.summary.clone())
            } else {
                (UpstreamState::Down, check.problems.join("; "))
            };
            lines.push(UpstreamStatus {
                service,
                state,
                detail,
                checked_at: round.map(|r| r.at),
            });
        }
    }
    lines
}
