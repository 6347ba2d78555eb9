//! Injectable misbehaviour for fakes: the next N requests fail a given way, or every request is
//! slowed down.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One way to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with a JSON error body.
    ServerError,
    /// HTTP 429 with `Retry-After: <secs>`.
    RateLimited(u64),
    /// HTTP 401 (wrong key).
    Unauthorized,
    /// 200 with an HTML page instead of JSON.
    Html,
    /// 200 with `application/json` that is cut off mid-document.
    MalformedJson,
    /// No answer for this long (longer than the client's timeout simulates a hang).
    Hang(Duration),
}

/// Shared fault plan of one fake.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<Plan>>,
}

#[derive(Debug, Default)]
struct Plan {
    queued: Vec<Fault>,
    latency: Duration,
    down: bool,
}

impl Faults {
    /// The next `count` requests fail with `fault`.
    pub fn fail_next(&self, count: usize, fault: Fault) {
        let mut plan = self.lock();
        plan.queued.extend(std::iter::repeat_n(fault, count));
    }

    /// Every request fails with 500 until [`Faults::recover`].
    pub fn go_down(&self) {
        self.lock().down = true;
    }

    /// Undo [`Faults::go_down`] and drop queued faults.
    pub fn recover(&self) {
        let mut plan = self.lock();
        plan.down = false;
        plan.queued.clear();
    }

    /// Delay every answer by this much.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Applies the plan to one incoming request: waits the latency, then returns the failure
    /// response to send instead of the real one, if any.
    pub async fn apply(&self) -> Option<Response> {
        let (latency, fault) = {
            let mut plan = self.lock();
            let fault = if plan.down {
                Some(Fault::ServerError)
            } else if plan.queued.is_empty() {
                None
            } else {
                Some(plan.queued.remove(0))
            };
            (plan.latency, fault)
        };
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        Some(match fault? {
            Fault::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"message":"injected failure"}"#,
            )
                .into_response(),
            Fault::RateLimited(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", secs.to_string())],
                "{}",
            )
                .into_response(),
            Fault::Unauthorized => {
                (StatusCode::UNAUTHORIZED, r#"{"error":"Unauthorized"}"#).into_response()
            }
            Fault::Html => {
                (StatusCode::OK, "<html><body>Please sign in</body></html>").into_response()
            }
            Fault::MalformedJson => (
                StatusCode::OK,
                [("content-type", "application/json")],
                r#"{"Items":[{"Id":"0001","Na"#,
            )
                .into_response(),
            Fault::Hang(duration) => {
                tokio::time::sleep(duration).await;
                (StatusCode::GATEWAY_TIMEOUT, "{}").into_response()
            }
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Plan> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
