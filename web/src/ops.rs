//! Liveness and readiness for load balancers, Kubernetes and `HEALTHCHECK`.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// Alive: the process answers HTTP. Never touches the database.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: migrations are done, the database answers now, and its last write did not fail.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let Some(services) = state.services() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "starting");
    };
    if services.db.writes_failing() {
        // Reads answer, but nothing can be saved (a full disk): not ready until a write works.
        return (StatusCode::SERVICE_UNAVAILABLE, "database cannot save");
    }
    match services.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

#[cfg(test)]
mod tests;
