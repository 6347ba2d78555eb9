//! Discord's rate limits, for the fake REST API ([`crate::discord`]): every call it admits is
//! logged with the time it arrived, and in flood mode ([`Flood::limit`]) a call over a limit
//! is refused as Discord refuses it — 429 with `{"message","retry_after","global"}`,
//! `Retry-After` and the `X-RateLimit-*` headers — while admitted calls carry the bucket's
//! `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After` and `-Bucket`.
//!
//! Buckets are per route and major parameter (a channel, a guild, a webhook with its token,
//! an interaction), a fixed window each; the global limit counts every call but interaction
//! callbacks over any one second. (Discord also exempts follow-up webhooks from the global
//! limit; the fake counts them, which is stricter, so a client that keeps the limit on them
//! is tested too.)

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The limits flood mode keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscordLimits {
    /// Calls a bucket admits in one window.
    pub per_route: u32,
    /// A bucket's window.
    pub route_window: Duration,
    /// Calls a second over every route but interaction callbacks.
    pub global_per_second: u32,
}

impl DiscordLimits {
    /// Discord's usual figures: 5 calls per 5 s per bucket (a channel's messages), 50 a second
    /// for the bot.
    pub const fn discord() -> Self {
        Self {
            per_route: 5,
            route_window: Duration::from_secs(5),
            global_per_second: 50,
        }
    }

    /// Every way `log` broke these limits (empty when it kept them).
    pub fn violations(&self, log: &[Admitted]) -> Vec<String> {
        let mut found = Vec::new();
        let global: Vec<&Admitted> = log.iter().filter(|a| counts_globally(&a.path)).collect();
        let limit = self.global_per_second as usize;
        for (i, call) in global.iter().enumerate().skip(limit) {
            if call.at.duration_since(global[i - limit].at) < Duration::from_secs(1) {
                found.push(format!("over {limit}/s at call {i} ({})", call.path));
            }
        }
        found
    }
}

/// One call the fake admitted.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// HTTP method.
    pub method: String,
    /// Path, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// The bucket it counted against.
    pub bucket: String,
    /// When it arrived.
    pub at: Instant,
    /// Its JSON body (`Null` when none).
    pub body: Value,
}

#[derive(Debug, Default)]
struct Ledger {
    limits: Option<DiscordLimits>,
    /// Bucket key → (start of its window, calls in it).
    windows: HashMap<String, (Instant, u32)>,
    /// Arrival times of the globally counted calls in the last second.
    recent: VecDeque<Instant>,
    admitted: Vec<Admitted>,
    refused: usize,
}

/// The flood state of one fake; clone it to watch the fake from a test.
#[derive(Debug, Clone, Default)]
pub struct Flood {
    inner: Arc<Mutex<Ledger>>,
}

/// How the fake decided about one call.
enum Decision {
    Admit {
        limit: u32,
        remaining: u32,
        reset_after: Duration,
    },
    Refuse {
        retry_after: Duration,
        global: bool,
    },
    Free,
}

impl Flood {
    /// Switches flood mode on with `limits`.
    pub fn limit(&self, limits: DiscordLimits) {
        self.lock().limits = Some(limits);
    }

    /// The calls admitted so far, in order of arrival.
    pub fn admitted(&self) -> Vec<Admitted> {
        self.lock().admitted.clone()
    }

    /// How many calls were refused with 429.
    pub fn refusals(&self) -> usize {
        self.lock().refused
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn decide(&self, bucket: &str, global: bool, now: Instant) -> Decision {
        let mut state = self.lock();
        let Some(limits) = state.limits else {
            return Decision::Free;
        };
        let (start, count) = *state.windows.get(bucket).unwrap_or(&(now, 0));
        let (start, count) = if now.duration_since(start) >= limits.route_window {
            (now, 0)
        } else {
            (start, count)
        };
        let reset_after = limits
            .route_window
            .saturating_sub(now.duration_since(start));
        if count >= limits.per_route {
            state.refused += 1;
            return Decision::Refuse {
                retry_after: reset_after,
                global: false,
            };
        }
        if global {
            let second = Duration::from_secs(1);
            while state
                .recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= second)
            {
                state.recent.pop_front();
            }
            if state.recent.len() >= limits.global_per_second as usize {
                let oldest = state.recent.front().copied().unwrap_or(now);
                state.refused += 1;
                return Decision::Refuse {
                    retry_after: second.saturating_sub(now.duration_since(oldest)),
                    global: true,
                };
            }
            state.recent.push_back(now);
        }
        state.windows.insert(bucket.to_owned(), (start, count + 1));
        Decision::Admit {
            limit: limits.per_route,
            remaining: limits.per_route - count - 1,
            reset_after,
        }
    }
}

/// The middleware that keeps the limits (install with `from_fn_with_state(flood, enforce)`).
pub async fn enforce(State(flood): State<Flood>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let bucket = bucket_of(parts.method.as_str(), &path);
    let now = Instant::now();
    let decision = flood.decide(&bucket, counts_globally(&path), now);
    let headers = match decision {
        Decision::Refuse {
            retry_after,
            global,
        } => return too_many(&bucket, retry_after, global),
        Decision::Admit {
            limit,
            remaining,
            reset_after,
        } => Some((limit, remaining, reset_after)),
        Decision::Free => None,
    };
    flood.lock().admitted.push(Admitted {
        method: parts.method.to_string(),
        path,
        bucket: bucket.clone(),
        at: now,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    });
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Some((limit, remaining, reset_after)) = headers {
        let map = response.headers_mut();
        for (name, value) in bucket_headers(&bucket, limit, remaining, reset_after) {
            map.insert(name, value);
        }
    }
    response
}

/// Discord's 429.
fn too_many(bucket: &str, retry_after: Duration, global: bool) -> Response {
    let seconds = (retry_after.as_secs_f64() * 1000.0).ceil() / 1000.0;
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": seconds,
        "global": global,
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    let map = response.headers_mut();
    let whole = retry_after.as_secs_f64().ceil().max(1.0);
    map.insert("retry-after", number(whole));
    if global {
        map.insert("x-ratelimit-global", HeaderValue::from_static("true"));
        map.insert("x-ratelimit-scope", HeaderValue::from_static("global"));
    } else {
        for (name, value) in bucket_headers(bucket, 0, 0, retry_after) {
            map.insert(name, value);
        }
        map.insert("x-ratelimit-scope", HeaderValue::from_static("user"));
    }
    response
}

fn bucket_headers(
    bucket: &str,
    limit: u32,
    remaining: u32,
    reset_after: Duration,
) -> Vec<(&'static str, HeaderValue)> {
    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_add(reset_after);
    let hash = format!("{:016x}", fxhash(bucket));
    vec![
        ("x-ratelimit-limit", number(f64::from(limit))),
        ("x-ratelimit-remaining", number(f64::from(remaining))),
        ("x-ratelimit-reset", number(epoch.as_secs_f64())),
        ("x-ratelimit-reset-after", number(reset_after.as_secs_f64())),
        (
            "x-ratelimit-bucket",
            HeaderValue::from_str(&hash).unwrap_or(HeaderValue::from_static("0")),
        ),
    ]
}

fn number(value: f64) -> HeaderValue {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.3}")
    };
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("0"))
}

/// A stable hash for the bucket header (its value means nothing to clients).
fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Interaction callbacks are the only calls outside the global limit.
fn counts_globally(path: &str) -> bool {
    !path.starts_with("/api/v10/interactions/")
}

/// The bucket of a call: method, route, and the major parameter kept (a channel or guild id,
/// a webhook or interaction with its token); other ids become `{id}`.
pub fn bucket_of(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let keep = match segments.first().copied() {
        Some("channels" | "guilds") => 2,
        Some("webhooks" | "interactions") => 3,
        _ => 1,
    };
    let route: Vec<&str> = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if i >= keep && s.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                s
            }
        })
        .collect();
    format!("{method} {}", route.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_keep_the_major_parameter_only() {
        assert_eq!(
            bucket_of("POST", "/api/v10/channels/12/messages"),
            "POST channels/12/messages"
        );
        assert_eq!(
            bucket_of("PATCH", "/api/v10/channels/12/messages/99"),
            "PATCH channels/12/messages/{id}"
        );
        assert_eq!(
            bucket_of("PATCH", "/api/v10/webhooks/1/tok/messages/@original"),
            "PATCH webhooks/1/tok/messages/@original"
        );
        assert_eq!(
            bucket_of("PUT", "/api/v10/applications/5/guilds/6/commands"),
            "PUT applications/{id}/guilds/{id}/commands"
        );
    }

    #[test]
    fn a_full_bucket_and_a_full_second_are_refused_and_callbacks_escape_the_global_limit() {
        let flood = Flood::default();
        flood.limit(DiscordLimits {
            per_route: 2,
            route_window: Duration::from_secs(5),
            global_per_second: 3,
        });
        let now = Instant::now();
        assert!(matches!(
            flood.decide("a", true, now),
            Decision::Admit { remaining: 1, .. }
        ));
        assert!(matches!(
            flood.decide("a", true, now),
            Decision::Admit { remaining: 0, .. }
        ));
        assert!(matches!(
            flood.decide("a", true, now),
            Decision::Refuse { global: false, .. }
        ));
        assert!(matches!(
            flood.decide("b", true, now),
            Decision::Admit { .. }
        ));
        assert!(matches!(
            flood.decide("c", true, now),
            Decision::Refuse { global: true, .. }
        ));
        assert!(matches!(
            flood.decide("d", false, now),
            Decision::Admit { .. }
        ));
        let later = now + Duration::from_secs(5);
        assert!(matches!(
            flood.decide("a", true, later),
            Decision::Admit { .. }
        ));
        assert_eq!(flood.refusals(), 2);
    }
}
