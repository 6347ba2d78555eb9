//! Per-key rate limiting with `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
//! headers on every keyed answer (429 when a key is over).

use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

/// Calls a key may make in a burst; the bucket refills over a minute.
pub const PER_MINUTE: u32 = 300;

/// Where a key stands after one call.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    /// Whether the call may go ahead.
    pub allowed: bool,
    /// Calls left in the burst.
    pub remaining: u32,
    /// Seconds until the bucket is full again (or until the next call is allowed, when over).
    pub reset: u64,
}

/// One limiter per app, keyed by the key's name.
pub struct KeyLimits {
    limiter: RateLimiter<
        String,
        DefaultKeyedStateStore<String>,
        DefaultClock,
        StateInformationMiddleware,
    >,
    limit: NonZeroU32,
}

impl std::fmt::Debug for KeyLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyLimits")
            .field("limit", &self.limit)
            .finish()
    }
}

impl KeyLimits {
    /// `limit` calls per minute per key.
    pub fn per_minute(limit: NonZeroU32) -> Self {
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(limit))
                .with_middleware::<StateInformationMiddleware>(),
            limit,
        }
    }

    /// Counts one call of this key.
    pub fn check(&self, key: &str) -> Standing {
        let per_cell = Duration::from_secs(60) / self.limit.get();
        match self.limiter.check_key(&key.to_owned()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let missing = self.limit.get() - remaining;
                Standing {
                    allowed: true,
                    remaining,
                    reset: (per_cell * missing).as_secs_f64().ceil() as u64,
                }
            }
            Err(not_until) => Standing {
                allowed: false,
                remaining: 0,
                reset: not_until
                    .wait_time_from(self.limiter.clock().now())
                    .as_secs_f64()
                    .ceil() as u64,
            },
        }
    }

    /// Writes the standing as `RateLimit-*` headers.
    pub fn headers(&self, standing: Standing, headers: &mut HeaderMap) {
        headers.insert("ratelimit-limit", HeaderValue::from(self.limit.get()));
        headers.insert("ratelimit-remaining", HeaderValue::from(standing.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(standing.reset));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_its_limit_is_refused_and_told_when_to_retry() {
        let limits = KeyLimits::per_minute(NonZeroU32::new(2).expect("2"));
        let first = limits.check("dash");
        assert!(first.allowed);
        assert_eq!(first.remaining, 1);
        assert!(limits.check("dash").allowed);
        let over = limits.check("dash");
        assert!(!over.allowed);
        assert!(over.reset >= 1 && over.reset <= 30, "{over:?}");
        // Another key has its own bucket.
        assert!(limits.check("phone").allowed);
        let mut headers = HeaderMap::new();
        limits.headers(over, &mut headers);
        assert_eq!(headers["ratelimit-limit"], "2");
        assert_eq!(headers["ratelimit-remaining"], "0");
    }
}
