//! Liveness and readiness for load balancers, Kubernetes and `HEALTHCHECK`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use usher_core::health;

use crate::state::AppState;

/// Alive: the process answers HTTP. Never touches the database.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The routes of a server whose app is still being built: alive, not ready.
pub fn starting() -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .fallback(|| async { (StatusCode::SERVICE_UNAVAILABLE, "starting") })
}

/// Ready: the app is built (until then [`starting`] answers), the database answers now and
/// its last write did not fail. The body then lists what each chat bot is doing (`telegram: connecting (getMe failed: …)`), one line each: a bot that
/// cannot reach its platform does not make the replica unready — the console, webhooks and
/// the other bot still work — but it shows here and in `usher_chat_bot_up`.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let services = state.services();
    if services.db.writes_failing() {
        // Reads answer, but nothing can be saved (a full disk): not ready until a write works.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database cannot save".to_owned(),
        );
    }
    match services.db.ping().await {
        Ok(()) => (StatusCode::OK, ready_detail()),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable".to_owned(),
            )
        }
    }
}

/// `ready`, then one line per chat bot of this process.
fn ready_detail() -> String {
    let mut body = "ready".to_owned();
    for (platform, door, detail) in health::global().report() {
        body.push_str(&format!("\n{platform}: {}", door.as_str()));
        if !detail.is_empty() {
            body.push_str(&format!(" ({detail})"));
        }
    }
    body
}

#[cfg(test)]
mod tests;
