//! `POST /discord/interactions`: Discord's HTTP interactions endpoint. This route only checks
//! that Discord sent the body — Ed25519 over `X-Signature-Timestamp` + raw body with the app's
//! public key, and a timestamp within five minutes against replays — and hands the raw body to
//! the handler the binary installed ([`DiscordEndpoint`]), which is usher-bot's. Anything
//! unsigned gets 401, as Discord's own probes expect; the web crate never parses interactions.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::Value;

use crate::alerts;
use crate::error::WebError;
use crate::state::AppState;

/// Oldest (or furthest in the future) a signed timestamp may be, in seconds.
pub const MAX_SKEW_SECS: i64 = 5 * 60;

/// What the installed handler returns: the interaction response JSON, or why the body could
/// not be handled (answered with 400).
pub type InteractionFuture = Pin<Box<dyn Future<Output = Result<Value, String>> + Send>>;

/// The seam between usher-web and usher-bot (which must not depend on each other): a function
/// from a verified raw body to its answer, wired by the binary.
pub type InteractionHandler = Arc<dyn Fn(Vec<u8>) -> InteractionFuture + Send + Sync>;

/// The verifying key and the handler behind `POST /discord/interactions`.
#[derive(Clone)]
pub struct DiscordEndpoint {
    key: VerifyingKey,
    handler: InteractionHandler,
}

impl std::fmt::Debug for DiscordEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordEndpoint").finish_non_exhaustive()
    }
}

impl DiscordEndpoint {
    /// An endpoint verifying with `public_key_hex` (the 64-hex-digit key from the Developer
    /// Portal) and answering through `handler`; `None` when the key is not a valid Ed25519 key.
    pub fn new(public_key_hex: &str, handler: InteractionHandler) -> Option<Self> {
        let bytes: [u8; 32] = hex(public_key_hex)?;
        let key = VerifyingKey::from_bytes(&bytes).ok()?;
        Some(Self { key, handler })
    }

    /// Whether Discord signed `timestamp + body`, and the timestamp is fresh at `now`.
    fn verify(&self, signature: &str, timestamp: &str, body: &[u8], now: i64) -> bool {
        let Ok(at) = timestamp.parse::<i64>() else {
            return false;
        };
        // Checked: `now - at` overflows for a timestamp near `i64::MIN`, and a wrapped
        // difference must not pass for a small one.
        let fresh = now
            .checked_sub(at)
            .and_then(i64::checked_abs)
            .is_some_and(|skew| skew <= MAX_SKEW_SECS);
        if !fresh {
            return false;
        }
        let Some(signature) = hex::<64>(signature) else {
            return false;
        };
        let message = [timestamp.as_bytes(), body].concat();
        self.key
            .verify(&message, &Signature::from_bytes(&signature))
            .is_ok()
    }
}

/// Decodes exactly `N` bytes of hex.
fn hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The route: 404 unless HTTP mode is on, 401 unless signed and fresh, else the bot's answer.
pub async fn interactions(
    State(state): State<AppState>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, WebError> {
    let headers = &parts.headers;
    let Some(endpoint) = state.discord() else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let signature = header(headers, "x-signature-ed25519");
    let timestamp = header(headers, "x-signature-timestamp");
    if !endpoint.verify(signature, timestamp, &body, now) {
        alerts::bad_signature(&state, &parts, "discord_interactions").await;
        return Err(WebError::Unauthorized);
    }
    let answer = (endpoint.handler)(body.to_vec())
        .await
        .map_err(WebError::BadRequest)?;
    Ok(Json(answer).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn endpoint(key: &SigningKey) -> DiscordEndpoint {
        let public: String = key
            .verifying_key()
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let handler: InteractionHandler = Arc::new(|_| Box::pin(async { Ok(Value::Null) }));
        DiscordEndpoint::new(&public, handler).expect("valid key")
    }

    fn sign(key: &SigningKey, timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), body].concat();
        let signature = key.sign(&message).to_bytes();
        signature.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn only_fresh_signed_bodies_pass() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let endpoint = endpoint(&key);
        let body = br#"{"type":1}"#;
        let good = sign(&key, "1000", body);
        assert!(endpoint.verify(&good, "1000", body, 1000));
        assert!(endpoint.verify(&good, "1000", body, 1000 + MAX_SKEW_SECS));
        assert!(
            !endpoint.verify(&good, "1000", body, 1001 + MAX_SKEW_SECS),
            "stale"
        );
        assert!(
            !endpoint.verify(&good, "1001", body, 1000),
            "other timestamp"
        );
        assert!(
            !endpoint.verify(&good, "1000", br#"{"type":2}"#, 1000),
            "other body"
        );
        assert!(!endpoint.verify("", "1000", body, 1000), "missing");
        assert!(!endpoint.verify(&good[..10], "1000", body, 1000), "short");
        for far in [i64::MIN, i64::MIN + 1000, i64::MAX, 1000 - i64::MAX, -1000] {
            let at = far.to_string();
            let signed = sign(&key, &at, body);
            assert!(!endpoint.verify(&signed, &at, body, 1000), "{far}");
        }
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(!endpoint.verify(&sign(&other, "1000", body), "1000", body, 1000));
    }

    #[test]
    fn bad_public_keys_are_refused() {
        let handler: InteractionHandler = Arc::new(|_| Box::pin(async { Ok(Value::Null) }));
        assert!(DiscordEndpoint::new("zz", handler.clone()).is_none());
        assert!(DiscordEndpoint::new(&"é".repeat(32), handler).is_none());
    }
}
