//! Inbound webhooks at `/hooks/radarr`, `/hooks/sonarr`, `/hooks/jellyfin` and `/hooks/plex`.
//! Each handler takes the token (`X-Usher-Token` header, else `?token=`) and the body, calls
//! [`Webhooks::receive`](usher_core::webhooks::Webhooks::receive) and maps the outcome; all
//! rules live in core. Bodies over 1 MiB are refused with 413 before any handler runs; Plex
//! posts multipart with a thumbnail, so its route allows more but keeps only the `payload` part.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::routing::post;
use serde::Deserialize;
use serde_json::{Value, json};
use usher_core::webhooks::{HookError, HookOutcome, HookSource, MAX_BODY_BYTES};

use crate::alerts;
use crate::error::WebError;
use crate::state::AppState;

/// The whole Plex multipart body may carry a JPEG thumbnail; only `payload` is kept.
const PLEX_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The optional `?token=` for senders that cannot set headers.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The webhook routes, with their body limits.
pub fn routes() -> Router<AppState> {
    let json_hooks = Router::new()
        .route("/hooks/radarr", post(radarr).put(radarr))
        .route("/hooks/sonarr", post(sonarr).put(sonarr))
        .route("/hooks/jellyfin", post(jellyfin))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let plex_hook = Router::new()
        .route("/hooks/plex", post(plex))
        .layer(DefaultBodyLimit::max(PLEX_MAX_BODY_BYTES));
    json_hooks.merge(plex_hook)
}

fn token(headers: &HeaderMap, query: TokenQuery) -> Option<String> {
    headers
        .get("x-usher-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.token)
}

fn answer(outcome: HookOutcome) -> Json<Value> {
    Json(match outcome {
        HookOutcome::Applied { changed } => json!({ "status": "applied", "changed": changed }),
        HookOutcome::Replayed => json!({ "status": "replayed" }),
        HookOutcome::Ignored(reason) => json!({ "status": "ignored", "reason": reason }),
    })
}

async fn receive(
    state: &AppState,
    source: HookSource,
    parts: &Parts,
    query: TokenQuery,
    body: &[u8],
) -> Result<Json<Value>, WebError> {
    let token = token(&parts.headers, query);
    let outcome = state
        .webhooks()
        .receive(source, token.as_deref(), body)
        .await;
    Ok(answer(counted(state, parts, source, outcome).await?))
}

/// Passes `result` on, first counting a refused token toward a security alert.
async fn counted<T>(
    state: &AppState,
    parts: &Parts,
    source: HookSource,
    result: Result<T, HookError>,
) -> Result<T, HookError> {
    if matches!(result, Err(HookError::Unauthorized)) {
        alerts::bad_signature(state, parts, source.as_str()).await;
    }
    result
}

/// POST /hooks/radarr.
pub async fn radarr(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    receive(&state, HookSource::Radarr, &parts, query, &body).await
}

/// POST /hooks/sonarr.
pub async fn sonarr(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    receive(&state, HookSource::Sonarr, &parts, query, &body).await
}

/// POST /hooks/jellyfin (the plugin sends `text/plain` by default; any type is read as JSON).
pub async fn jellyfin(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<TokenQuery>,
    body: Bytes,
) -> Result<Json<Value>, WebError> {
    receive(&state, HookSource::Jellyfin, &parts, query, &body).await
}

/// POST /hooks/plex: the token is checked before the multipart body is read.
pub async fn plex(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<TokenQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<Value>, WebError> {
    let token = token(&parts.headers, query);
    let hooks = state.webhooks();
    counted(
        &state,
        &parts,
        HookSource::Plex,
        hooks.authorize(token.as_deref()),
    )
    .await?;
    let payload = plex_payload(multipart?).await?;
    let outcome = hooks
        .receive(HookSource::Plex, token.as_deref(), &payload)
        .await?;
    Ok(answer(outcome))
}

/// The `payload` part, at most 1 MiB; other parts (the thumbnail) are skipped unread.
async fn plex_payload(mut multipart: Multipart) -> Result<Vec<u8>, WebError> {
    while let Some(mut field) = multipart.next_field().await? {
        if field.name() != Some("payload") {
            continue;
        }
        let mut payload = Vec::new();
        while let Some(chunk) = field.chunk().await? {
            if payload.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(WebError::PayloadTooLarge);
            }
            payload.extend_from_slice(&chunk);
        }
        return Ok(payload);
    }
    Err(WebError::BadRequest("no payload part".into()))
}

#[cfg(test)]
mod tests;
