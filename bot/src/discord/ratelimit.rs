//! Discord's rate limits, kept by [`Rest`](crate::discord::rest::Rest) for every REST call Usher
//! makes.
//!
//! Discord limits each route (a *bucket*, keyed by the route and its major parameter: the
//! channel, the guild, the webhook and its token) and the bot as a whole (50 requests a
//! second, interaction callbacks excepted). Each answer tells the bucket's state in
//! `X-RateLimit-Limit`, `-Remaining` and `-Reset-After`; going over gets 429 with
//! `{"message","retry_after","global"}` and `Retry-After`. The [`Limiter`] does what Discord's
//! docs ask of a client: it paces the bot-wide rate with a [`governor`] limiter, waits for a
//! bucket that the last answer said is empty until it resets, and after a 429 holds the bucket
//! (or, for a global one, everything) for `retry_after` before the same call is sent again.
//!
//! serenity's own ratelimiter does the same against discord.com, but it ignores serenity's
//! proxy setting, so it can never talk to another base URL (a local fake), and with it off
//! serenity's errors drop `retry_after` and the headers. Keeping the limits here gives one code
//! path that is the same in production and in the tests that flood it.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::HeaderMap;
use tokio::time::Instant;

/// Discord's bot-wide limit, requests a second.
const GLOBAL_PER_SECOND: u32 = 50;
/// Longest wait accepted from one answer, so a bogus value cannot park a call for long.
pub(super) const MAX_WAIT: Duration = Duration::from_secs(60);

/// Which bucket a call counts against, and whether the bot-wide limit applies to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Route {
    /// Method, route template and major parameter, e.g. `POST channels/123/messages`.
    pub key: String,
    /// Interaction callbacks are not bound by the global limit; everything else is.
    pub global: bool,
}

impl Route {
    /// A route counted against the global limit.
    pub fn new(key: String) -> Self {
        Self { key, global: true }
    }

    /// An interaction callback: its own bucket, outside the global limit.
    pub fn callback(key: String) -> Self {
        Self { key, global: false }
    }
}

/// What Discord said about a bucket in its last answer.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    remaining: u32,
    reset_at: Instant,
}

#[derive(Debug, Default)]
struct State {
    buckets: HashMap<String, Bucket>,
    /// Set by a global 429: nothing bound by the global limit goes out before this.
    global_until: Option<Instant>,
}

/// The bot's view of its buckets; one per REST client, shared by its clones.
#[derive(Debug)]
pub(super) struct Limiter {
    pace: DefaultDirectRateLimiter,
    state: Mutex<State>,
}

impl Default for Limiter {
    fn default() -> Self {
        let per_second = NonZeroU32::new(GLOBAL_PER_SECOND).unwrap_or(NonZeroU32::MIN);
        Self {
            pace: RateLimiter::direct(Quota::per_second(per_second)),
            state: Mutex::new(State::default()),
        }
    }
}

impl Limiter {
    /// Waits until `route` may be called: its bucket has room (one place is taken), no global
    /// hold is on, and the bot-wide pace allows one more.
    pub async fn acquire(&self, route: &Route) {
        while let Some(wait) = self.reserve(route, Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        if route.global {
            self.pace.until_ready().await;
        }
    }

    /// Takes a place in `route`'s bucket, or says how long to wait before asking again.
    fn reserve(&self, route: &Route, now: Instant) -> Option<Duration> {
        let mut state = self.lock();
        if route.global
            && let Some(until) = state.global_until
            && until > now
        {
            return Some(until - now);
        }
        let bucket = state.buckets.get_mut(&route.key)?;
        if bucket.reset_at <= now {
            // A new window: Discord will tell the real count in its next answer.
            state.buckets.remove(&route.key);
            return None;
        }
        if bucket.remaining == 0 {
            return Some(bucket.reset_at - now);
        }
        bucket.remaining -= 1;
        None
    }

    /// Learns the bucket's state from an answer's `X-RateLimit-*` headers (when present).
    pub fn observe(&self, route: &Route, headers: &HeaderMap) {
        let (Some(remaining), Some(reset_after)) = (
            header::<u32>(headers, "x-ratelimit-remaining"),
            header::<f64>(headers, "x-ratelimit-reset-after"),
        ) else {
            return;
        };
        let now = Instant::now();
        let reset_at = now + seconds(reset_after);
        let mut state = self.lock();
        let bucket = state.buckets.entry(route.key.clone()).or_insert(Bucket {
            remaining,
            reset_at,
        });
        // Calls still in flight took places the answer cannot know about yet.
        let same_window = bucket.reset_at > now;
        bucket.remaining = if same_window {
            bucket.remaining.min(remaining)
        } else {
            remaining
        };
        bucket.reset_at = reset_at;
    }

    /// After a 429: how long to wait before sending again, read from the body's
    /// `retry_after` (else `Retry-After`, else `X-RateLimit-Reset-After`), and the hold it
    /// puts on the bucket, or on every globally limited route when the limit hit was global.
    pub fn hold(&self, route: &Route, headers: &HeaderMap, body: &str) -> Duration {
        let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let wait = json["retry_after"]
            .as_f64()
            .or_else(|| header::<f64>(headers, "retry-after"))
            .or_else(|| header::<f64>(headers, "x-ratelimit-reset-after"))
            .map_or(Duration::from_secs(1), seconds)
            .min(MAX_WAIT);
        let global = json["global"].as_bool() == Some(true)
            || header::<String>(headers, "x-ratelimit-global").as_deref() == Some("true");
        let until = Instant::now() + wait;
        let mut state = self.lock();
        if global {
            state.global_until = Some(state.global_until.map_or(until, |u| u.max(until)));
        } else {
            state.buckets.insert(
                route.key.clone(),
                Bucket {
                    remaining: 0,
                    reset_at: until,
                },
            );
        }
        wait
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A header parsed as `T`.
fn header<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Seconds as Discord writes them (fractions allowed), never negative.
fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    /// Whether `wait` is `millis`, less the moments the test itself took.
    fn about(wait: Option<Duration>, millis: u64) -> bool {
        let full = Duration::from_millis(millis);
        wait.is_some_and(|w| w <= full && w > full - Duration::from_millis(200))
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).expect("header value"),
            );
        }
        map
    }

    #[test]
    fn an_empty_bucket_waits_for_its_reset_and_others_go_on() {
        let limiter = Limiter::default();
        let cards = Route::new("POST channels/1/messages".into());
        let other = Route::new("POST channels/2/messages".into());
        limiter.observe(
            &cards,
            &headers(&[
                ("x-ratelimit-remaining", "1"),
                ("x-ratelimit-reset-after", "2.5"),
            ]),
        );
        let now = Instant::now();
        assert_eq!(limiter.reserve(&cards, now), None, "one place left");
        assert!(about(limiter.reserve(&cards, now), 2500));
        assert_eq!(limiter.reserve(&other, now), None);
        let later = now + Duration::from_millis(2500);
        assert_eq!(limiter.reserve(&cards, later), None, "a new window");
    }

    #[test]
    fn a_global_429_holds_every_global_route_but_not_callbacks() {
        let limiter = Limiter::default();
        let route = Route::new("POST users/@me/channels".into());
        let body = r#"{"message":"You are being rate limited.","retry_after":1.5,"global":true}"#;
        let wait = limiter.hold(&route, &headers(&[("retry-after", "2")]), body);
        assert_eq!(
            wait,
            Duration::from_millis(1500),
            "the body's exact figure wins"
        );
        let now = Instant::now();
        let elsewhere = Route::new("POST channels/9/messages".into());
        assert!(about(limiter.reserve(&elsewhere, now), 1500));
        let callback = Route::callback("POST interactions/1/t/callback".into());
        assert_eq!(limiter.reserve(&callback, now), None);
    }

    #[test]
    fn a_route_429_holds_that_bucket_from_the_headers_when_the_body_says_nothing() {
        let limiter = Limiter::default();
        let route = Route::new("PATCH webhooks/1/t/messages/@original".into());
        let wait = limiter.hold(&route, &headers(&[("retry-after", "3")]), "<html>");
        assert_eq!(wait, Duration::from_secs(3));
        assert!(about(limiter.reserve(&route, Instant::now()), 3000));
        let bogus = limiter.hold(&route, &HeaderMap::new(), r#"{"retry_after": 86400}"#);
        assert_eq!(bogus, MAX_WAIT, "a bogus wait is capped");
    }

    #[test]
    fn answers_of_calls_in_flight_never_give_back_places_already_taken() {
        let limiter = Limiter::default();
        let route = Route::new("POST channels/1/messages".into());
        let five = headers(&[
            ("x-ratelimit-remaining", "5"),
            ("x-ratelimit-reset-after", "5"),
        ]);
        limiter.observe(&route, &five);
        let now = Instant::now();
        for _ in 0..5 {
            assert_eq!(limiter.reserve(&route, now), None);
        }
        // An answer to a call sent before those five still says 4 left.
        limiter.observe(
            &route,
            &headers(&[
                ("x-ratelimit-remaining", "4"),
                ("x-ratelimit-reset-after", "5"),
            ]),
        );
        assert!(limiter.reserve(&route, now).is_some());
    }
}
