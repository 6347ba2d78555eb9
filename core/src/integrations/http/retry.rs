//! When to try an upstream call again: exponential backoff with full jitter, and the upstream's
//! own `Retry-After` when it sends one (capped, so a hostile value cannot park us for hours).

use std::time::Duration;

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How many times, and how far apart, to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// First backoff step.
    pub base: Duration,
    /// Longest single wait, including `Retry-After`.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 2,
            base: Duration::from_millis(200),
            max_wait: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries (tests of failure paths, health probes).
    pub fn none() -> Self {
        Self {
            retries: 0,
            ..Self::default()
        }
    }

    /// The wait before retry number `attempt` (1-based), or `None` when out of retries.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt > self.retries {
            return None;
        }
        if let Some(asked) = retry_after {
            return Some(asked.min(self.max_wait));
        }
        let ceiling = self
            .base
            .saturating_mul(1 << attempt.min(16))
            .min(self.max_wait);
        let jittered = rand::rng().random_range(0..=ceiling.as_millis() as u64);
        Some(Duration::from_millis(jittered.max(10)))
    }
}

/// Reads `Retry-After` in seconds (the HTTP-date form is treated as "a little while").
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    match value.parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => Some(Duration::from_secs(5)),
    }
}
