//! `/settings/notifications/webhook` (GET, POST) and `/settings/notifications/webhook/test`:
//! Seerr's webhook settings, answered as Seerr's server answers them, over Usher's one
//! Seerr-managed webhook agent (core's `AgentService::seerr_webhook`). Admin keys only (core
//! checks); a client such as Home Assistant's Overseerr integration registers itself here.

use axum::Json;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use usher_core::service::{ApiCaller, SeerrWebhook, TestOutcome};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input::StrictJson;
use crate::state::AppState;

/// Seerr's `WebhookSettings`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookSettingsBody {
    /// Whether the webhook is told anything.
    pub enabled: bool,
    /// Seerr sends it (posters are not embedded by webhooks).
    pub embed_poster: bool,
    /// Seerr's notification type bits.
    pub types: u32,
    /// Where and what.
    pub options: WebhookOptionsBody,
}

/// Seerr's `WebhookSettings.options`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookOptionsBody {
    /// Where to post.
    pub webhook_url: String,
    /// The `Authorization` header sent, when one is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_header: Option<String>,
    /// The JSON template: parsed on GET, base64 on POST, as Seerr answers.
    #[schema(value_type = String)]
    pub json_payload: Value,
    /// Seerr sends it (Usher sends none).
    #[schema(value_type = Vec<Object>)]
    pub custom_headers: Vec<Value>,
    /// Seerr sends it.
    pub support_variables: bool,
}

/// What a client posts (Seerr's `WebhookSettings`; its newer optional fields are accepted).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookSettingsInput {
    /// Whether the webhook is told anything.
    #[serde(default)]
    pub enabled: bool,
    /// Accepted for Seerr's clients (webhooks embed no poster).
    #[serde(default)]
    #[allow(dead_code)]
    pub embed_poster: Option<bool>,
    /// Seerr's notification type bits.
    #[serde(default)]
    pub types: u32,
    /// Where and what.
    pub options: WebhookOptionsInput,
}

/// What a client posts as `options`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookOptionsInput {
    /// Where to post.
    #[serde(default)]
    pub webhook_url: String,
    /// The `Authorization` header to send.
    #[serde(default)]
    pub auth_header: Option<String>,
    /// The JSON template's text.
    #[serde(default)]
    pub json_payload: Option<String>,
    /// Accepted for Seerr's clients; must be empty (Usher sends no custom headers).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub custom_headers: Vec<Value>,
    /// Accepted for Seerr's clients (Usher's variables are always on).
    #[serde(default)]
    #[allow(dead_code)]
    pub support_variables: Option<bool>,
}

impl WebhookSettingsInput {
    fn into_core(self) -> Result<SeerrWebhook, ApiError> {
        if !self.options.custom_headers.is_empty() {
            return Err(ApiError::field(
                "options.customHeaders",
                "custom headers are not supported; use authHeader",
            ));
        }
        Ok(SeerrWebhook {
            enabled: self.enabled,
            types: self.types,
            webhook_url: self.options.webhook_url,
            auth_header: self.options.auth_header.filter(|a| !a.is_empty()),
            json_payload: self.options.json_payload,
        })
    }
}

fn body(settings: &SeerrWebhook, json_payload: Value) -> WebhookSettingsBody {
    WebhookSettingsBody {
        enabled: settings.enabled,
        embed_poster: false,
        types: settings.types,
        options: WebhookOptionsBody {
            webhook_url: settings.webhook_url.clone(),
            auth_header: settings.auth_header.clone(),
            json_payload,
            custom_headers: Vec::new(),
            support_variables: false,
        },
    }
}

/// The webhook settings (the template parsed, as Seerr's GET answers).
#[utoipa::path(get, path = "/settings/notifications/webhook", tag = "settings", security(("apiKey" = [])),
    responses((status = 200, body = WebhookSettingsBody), (status = 403, body = ErrorBody)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<WebhookSettingsBody>> {
    let settings = state.agents().seerr_webhook(&caller.actor()).await?;
    let payload = settings.json_payload_value();
    Ok(Json(body(&settings, payload)))
}

/// Saves the webhook settings onto Usher's Seerr webhook agent (the template base64, as
/// Seerr's POST answers).
#[utoipa::path(post, path = "/settings/notifications/webhook", tag = "settings", security(("apiKey" = [])),
    request_body = WebhookSettingsInput,
    responses((status = 200, body = WebhookSettingsBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn post_webhook(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    StrictJson(input): StrictJson<WebhookSettingsInput>,
) -> ApiResult<Json<WebhookSettingsBody>> {
    let settings = input.into_core()?;
    let saved = state
        .agents()
        .put_seerr_webhook(&caller.actor(), settings)
        .await?;
    let payload = Value::String(saved.json_payload_base64());
    Ok(Json(body(&saved, payload)))
}

/// Sends a test notification with the posted settings: 204 when the receiver took it, else a
/// 500 naming why, as Seerr answers.
#[utoipa::path(post, path = "/settings/notifications/webhook/test", tag = "settings", security(("apiKey" = [])),
    request_body = WebhookSettingsInput,
    responses((status = 204, description = "Test notification attempted"), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 500, body = ErrorBody)))]
pub async fn test_webhook(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    StrictJson(input): StrictJson<WebhookSettingsInput>,
) -> ApiResult<Response> {
    let settings = input.into_core()?;
    let outcome = state
        .agents()
        .test_seerr_webhook(&caller.actor(), settings)
        .await?;
    match outcome {
        TestOutcome::Answered(answer) if answer.accepted() => {
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        TestOutcome::Answered(answer) => Err(ApiError::test_failed(&format!(
            "Failed to send webhook notification: the receiver answered {}",
            answer.status
        ))),
        TestOutcome::Failed(why) => Err(ApiError::test_failed(&format!(
            "Failed to send webhook notification: {why}"
        ))),
    }
}
