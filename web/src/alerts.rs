//! The web's doors to core's security alerts ([`usher_core::service::SecurityAlerts`]): a failed
//! console sign-in or a badly signed webhook or interaction is counted under the client's
//! address (behind trusted proxies, as the rest of the console sees it). Core decides whether
//! it becomes an alert; the request is refused the same way either way.

use axum::http::request::Parts;
use usher_core::domain::SecurityEvent;

use crate::state::AppState;

/// The client address of a request as shown in alerts (`unknown` when the server does not
/// know its peer, as in some tests).
pub fn client_address(state: &AppState, parts: &Parts) -> String {
    state
        .console()
        .client_ip
        .of(parts)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Counts a failed console sign-in by `method` (`oidc`, `passkey`, `setup_link`).
pub async fn failed_sign_in(state: &AppState, parts: &Parts, method: &str) {
    let event = SecurityEvent::FailedSignIn {
        method: method.to_owned(),
        from: client_address(state, parts),
    };
    state.services().security.report(event).await;
}

/// Counts a request to `endpoint` (`discord_interactions`, `telegram`, `radarr`, …) whose
/// signature or token did not verify.
pub async fn bad_signature(state: &AppState, parts: &Parts, endpoint: &str) {
    let event = SecurityEvent::BadSignature {
        endpoint: endpoint.to_owned(),
        from: client_address(state, parts),
    };
    state.services().security.report(event).await;
}
