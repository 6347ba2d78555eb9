//! `POST /hooks/telegram`: Telegram's webhook mode, for replicas behind a load balancer. The
//! route checks the `X-Telegram-Bot-Api-Secret-Token` header (constant time) and hands the raw
//! update to the sink the binary installed ([`TelegramWebhook`]), which feeds usher-bot's
//! dispatcher; the web crate never parses updates. Without the right secret: 401.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use usher_core::crypto::constant_time_eq;

use crate::alerts;
use crate::state::AppState;

/// Header Telegram sends with the `secret_token` given to `setWebhook`.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Where a verified update goes: `Err` says why it could not be read (answered with 400).
pub type UpdateSink = Arc<dyn Fn(&[u8]) -> Result<(), String> + Send + Sync>;

/// The secret and the sink behind `POST /hooks/telegram`.
#[derive(Clone)]
pub struct TelegramWebhook {
    secret: String,
    sink: UpdateSink,
}

impl std::fmt::Debug for TelegramWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramWebhook").finish_non_exhaustive()
    }
}

impl TelegramWebhook {
    /// An endpoint accepting updates that carry `secret`.
    pub fn new(secret: String, sink: UpdateSink) -> Self {
        Self { secret, sink }
    }
}

/// POST /hooks/telegram.
pub async fn update(State(state): State<AppState>, parts: Parts, body: Bytes) -> Response {
    let Some(hook) = state.telegram() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = parts
        .headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(presented, hook.secret.as_bytes()) {
        alerts::bad_signature(&state, &parts, "telegram").await;
        return (StatusCode::UNAUTHORIZED, "wrong or missing secret token").into_response();
    }
    match (hook.sink)(&body) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
    }
}
