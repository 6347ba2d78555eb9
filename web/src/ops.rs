//! Liveness and readiness for load balancers, Kubernetes and `HEALTHCHECK`.

use axum::extract::State;
use axum::http::StatusCode;
use usher_core::health;

use crate::state::AppState;

/// Alive: the process answers HTTP. Never touches the database.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: migrations are done, the database answers now and its last write did not fail. The body then lists what each
/// chat bot is doing (`telegram: connecting (getMe failed: …)`), one line each: a bot that
/// cannot reach its platform does not make the replica unready — the console, webhooks and
/// the other bot still work — but it shows here and in `usher_chat_bot_up`.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let Some(services) = state.services() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "starting".to_owned());
    };
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
