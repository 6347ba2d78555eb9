//! The open API at `/api/v1`, in Seerr's shapes so dashboards, phone apps and other bots that
//! speak Overseerr/Jellyseerr work unchanged. Each call is authenticated by a scoped API key
//! (`X-Api-Key: KEY` or `Authorization: Bearer KEY`) turned into core's
//! [`usher_core::service::ApiCaller`] once, here at the edge; cookies never authorize `/api`
//! and the console's CSRF guard does not apply. Keys are rate-limited per key ([`limit`]).
//! An `admin` key may act for another user with Seerr's `X-API-User` header ([`acting_for`]).
//! The OpenAPI document (`/api/v1/openapi.json`) is generated from the same route table that
//! builds the router ([`documented`]), so the two cannot drift.

mod error;
mod input;
mod issues;
pub mod limit;
mod media_info;
#[cfg(test)]
mod notification_tests;
mod notifications;
mod requests;
mod shapes;
mod shows;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_act_for;
#[cfg(test)]
mod tests_comment;
#[cfg(test)]
mod tests_seerr;
#[cfg(test)]
mod tests_title_requests;
mod titles;
mod users;
mod usher;

use std::num::NonZeroU32;
use std::sync::{Arc, LazyLock};

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::HeaderMap;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use usher_core::domain::UserId;
use usher_core::service::ApiCaller;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use error::ApiError;
use limit::KeyLimits;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(title = "Usher API", description = "Usher's open API, speaking Seerr's (Overseerr/Jellyseerr) shapes."),
    servers((url = "/api/v1")),
    modifiers(&KeyScheme)
)]
struct ApiDoc;

/// Declares the `apiKey` security scheme (`X-Api-Key`, as Seerr, with `X-API-User`).
struct KeyScheme;

impl utoipa::Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "A scoped Usher API key (or `Authorization: Bearer KEY`). A key with the `admin` \
                 scope may add `X-API-User: <user id>` to act for that user, as with Seerr: the \
                 call is then that user's, audited as the key acting for them. Any other key, \
                 or an unknown user, gets 403; a value that is no user id gets 400.",
            ))),
        );
    }
}

/// The routes that need a key, and those that do not (`/status`), each with its document.
fn documented() -> (OpenApiRouter<AppState>, OpenApiRouter<AppState>) {
    let keyed = OpenApiRouter::new()
        .routes(routes!(users::me))
        .routes(routes!(requests::list, requests::create))
        .routes(routes!(requests::count))
        .routes(routes!(
            requests::get_one,
            requests::update,
            requests::delete
        ))
        .routes(routes!(requests::decide))
        .routes(routes!(users::list))
        .routes(routes!(users::requests))
        .routes(routes!(titles::search))
        .routes(routes!(titles::movie))
        .routes(routes!(
            notifications::get_webhook,
            notifications::post_webhook
        ))
        .routes(routes!(notifications::test_webhook))
        .routes(routes!(shows::tv))
        .routes(routes!(shows::season))
        .routes(routes!(shows::trending))
        .routes(routes!(issues::list, issues::create))
        .routes(routes!(issues::count))
        .routes(routes!(usher::audit))
        .routes(routes!(usher::roles))
        .routes(routes!(usher::library_sources));
    let open = OpenApiRouter::with_openapi(ApiDoc::openapi()).routes(routes!(users::status));
    (keyed, open)
}

/// The OpenAPI document of the whole API (built once).
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| {
        let (keyed, open) = documented();
        let mut doc = open.merge(keyed).into_openapi();
        let openapi_json = utoipa::openapi::path::PathItem::new(
            utoipa::openapi::HttpMethod::Get,
            utoipa::openapi::path::OperationBuilder::new()
                .summary(Some("This document"))
                .response(
                    "200",
                    utoipa::openapi::Response::new("The OpenAPI document"),
                ),
        );
        doc.paths
            .paths
            .insert("/openapi.json".to_owned(), openapi_json);
        doc
    });
    &DOC
}

/// `GET /api/v1/openapi.json`.
async fn openapi_json() -> Response {
    Json(document()).into_response()
}

/// What the key guard needs.
#[derive(Clone, Debug)]
struct Guard {
    app: AppState,
    limits: Arc<KeyLimits>,
}

/// The API, under [`PREFIX`].
pub fn routes(state: &AppState) -> Router<AppState> {
    let (keyed, open) = documented();
    let guard = Guard {
        app: state.clone(),
        limits: Arc::new(KeyLimits::per_minute(
            NonZeroU32::new(limit::PER_MINUTE).unwrap_or(NonZeroU32::MIN),
        )),
    };
    let (keyed, _) = keyed.split_for_parts();
    let (open, _) = open.split_for_parts();
    let api = keyed
        .layer(from_fn_with_state(guard, authenticate))
        .merge(open)
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { ApiError::no_route() })
        .layer(DefaultBodyLimit::max(input::BODY_LIMIT));
    Router::new().nest(PREFIX, api)
}

/// The key a request presents, from `X-Api-Key` or `Authorization: Bearer`.
fn presented(headers: &HeaderMap) -> Option<&str> {
    if let Some(key) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(key);
    }
    let auth = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, key) = auth.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key.trim())
}

/// Turns the presented key into the caller handlers receive, counts the call against the key's
/// limit and writes the `RateLimit-*` headers. No, an unknown or a revoked key is a 403; a
/// wrong key counts as a failed sign-in toward a security alert.
async fn authenticate(State(guard): State<Guard>, mut req: Request, next: Next) -> Response {
    let Some(key) = presented(req.headers()) else {
        return ApiError::bad_key().into_response();
    };
    let caller = match guard.app.services().api_keys.authenticate(key).await {
        Ok(caller) => caller,
        Err(usher_core::CoreError::Forbidden(_)) => {
            let (parts, _) = req.into_parts();
            crate::alerts::failed_sign_in(&guard.app, &parts, "api_key").await;
            return ApiError::bad_key().into_response();
        }
        Err(other) => return ApiError::from(other).into_response(),
    };
    let caller = match acting_for(&guard.app, caller, req.headers()).await {
        Ok(caller) => caller,
        Err(refused) => return refused.into_response(),
    };
    let standing = guard.limits.check(&caller.key);
    if !standing.allowed {
        let mut response = ApiError::too_many().into_response();
        guard.limits.headers(standing, response.headers_mut());
        return response;
    }
    req.extensions_mut().insert(caller);
    let mut response = next.run(req).await;
    guard.limits.headers(standing, response.headers_mut());
    response
}

/// Seerr's header naming the user an `admin` key acts for.
const ACT_FOR: &str = "x-api-user";

/// The caller, or the user it acts for when the request names one in `X-API-User` (a positive
/// user id; anything else is a 400 naming the header).
async fn acting_for(
    app: &AppState,
    caller: ApiCaller,
    headers: &HeaderMap,
) -> Result<ApiCaller, ApiError> {
    let Some(value) = headers.get(ACT_FOR) else {
        return Ok(caller);
    };
    let user = value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::field("X-API-User", "must be a user id (a positive number)"))?;
    Ok(app
        .services()
        .api_keys
        .act_for(caller, UserId(user))
        .await?)
}
