//! `/usher/…`: Usher's own paths for what Seerr has no endpoint for, in the same style (JSON,
//! camelCase, ISO dates, the same errors): the audit log (paged by cursor, newest first), the
//! roles, and the library index's sources with their health.

use axum::Json;
use axum::extract::{Extension, Query, State};
use serde::{Deserialize, Serialize};
use usher_core::domain::{MediaType, Permission};
use usher_core::service::{ApiCaller, AuditCursor};
use usher_core::store::audit::AuditFilter;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult, ErrorBody};
use super::shapes::iso;
use crate::state::AppState;

/// Largest audit page (the console's CSV export reads more, page after page).
const MAX_AUDIT_TAKE: u32 = 100;

/// `GET /usher/audit`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    /// Rows per page, 1 to 100 (default 20).
    take: Option<String>,
    /// The `next` of the previous page: only rows older than it.
    before: Option<String>,
    /// Only this action (`request_approved`, …).
    action: Option<String>,
    /// Only this target (`request:42`) or kind of target (`request`).
    target: Option<String>,
}

/// One audit row.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditRowBody {
    /// Row id, increasing.
    id: i64,
    /// When.
    at: String,
    /// The acting user's id, for a user.
    #[serde(skip_serializing_if = "Option::is_none")]
    actor_id: Option<i64>,
    /// Their display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    actor_name: Option<String>,
    /// `system`, `cli`, `web`, `discord`, `telegram` or `api`.
    source: String,
    /// The platform account, address or key name.
    #[serde(skip_serializing_if = "Option::is_none")]
    source_detail: Option<String>,
    /// What was done.
    action: String,
    /// To what (`request:42`).
    target: String,
    /// Before and after, reasons.
    #[schema(value_type = Object)]
    details: serde_json::Value,
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditPageBody {
    /// Rows, newest first.
    results: Vec<AuditRowBody>,
    /// Pass as `before` for the next (older) page; left out on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// The audit log, newest first (`admin` scope).
#[utoipa::path(get, path = "/usher/audit", params(AuditQuery), tag = "usher", security(("apiKey" = [])),
    responses((status = 200, body = AuditPageBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<AuditPageBody>> {
    let take = match query.take.as_deref() {
        None | Some("") => 20,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|t| (1..=MAX_AUDIT_TAKE).contains(t))
            .ok_or_else(|| {
                ApiError::field("take", format!("must be between 1 and {MAX_AUDIT_TAKE}"))
            })?,
    };
    let before = match query.before.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            AuditCursor::parse(text)
                .map_err(|_| ApiError::field("before", "must be the `next` of a page"))?,
        ),
    };
    let filter = AuditFilter {
        action: query.action.filter(|a| !a.is_empty()),
        target: query.target.filter(|t| !t.is_empty()),
        ..AuditFilter::default()
    };
    let page = state
        .services()
        .api
        .audit(&caller, &filter, before, take)
        .await?;
    Ok(Json(AuditPageBody {
        results: page
            .items
            .into_iter()
            .map(|line| AuditRowBody {
                id: line.entry.id,
                at: iso(line.entry.at),
                actor_id: line.entry.actor.map(|u| u.0),
                actor_name: line.actor_name,
                source: line.entry.source,
                source_detail: line.entry.source_detail,
                action: line.entry.action,
                target: line.entry.target,
                details: line.entry.details,
            })
            .collect(),
        next: page.next.map(AuditCursor::encode),
    }))
}

/// One quota of a role.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuotaBody {
    /// `movie` or `tv` (TV counts seasons).
    media_type: &'static str,
    /// The 4K counter.
    four_k: bool,
    /// Units allowed in the window.
    max: u32,
    /// Window length in days.
    days: u32,
}

/// One role.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleBody {
    /// Unique name.
    name: String,
    /// What it grants (`request_movie`, `request_tv`, `request_4k`, `auto_approve_movie`, …).
    permissions: Vec<&'static str>,
    /// One of the roles every installation starts with.
    builtin: bool,
    /// How many users hold it.
    members: u64,
    /// Its quotas; a counter without one is unlimited.
    quotas: Vec<QuotaBody>,
}

/// The stored name of a permission.
fn permission_name(p: Permission) -> &'static str {
    p.name()
}

fn kind_name(media_type: MediaType) -> &'static str {
    match media_type {
        MediaType::Movie => "movie",
        MediaType::Tv => "tv",
    }
}

/// Every role with its permissions, members and quotas (`admin` scope).
#[utoipa::path(get, path = "/usher/roles", tag = "usher", security(("apiKey" = [])),
    responses((status = 200, body = Vec<RoleBody>), (status = 403, body = ErrorBody)))]
pub async fn roles(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<Vec<RoleBody>>> {
    let roles = state.services().api.roles(&caller).await?;
    Ok(Json(
        roles
            .into_iter()
            .map(|role| RoleBody {
                permissions: Permission::ALL
                    .into_iter()
                    .filter(|p| role.permissions.allows(*p))
                    .map(permission_name)
                    .collect(),
                quotas: role
                    .quotas
                    .iter()
                    .map(|(scope, limit)| QuotaBody {
                        media_type: kind_name(scope.media_type),
                        four_k: scope.four_k,
                        max: limit.max,
                        days: limit.days,
                    })
                    .collect(),
                name: role.name,
                builtin: role.builtin,
                members: role.members,
            })
            .collect(),
    ))
}

/// One library index source.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceBody {
    /// Unique name (`jellyfin`, `radarr-4k`, …).
    name: String,
    /// `jellyfin`, `emby`, `plex`, `radarr` or `sonarr`.
    kind: &'static str,
    /// Shown to people ("Watch on …").
    label: String,
    /// `ok`, `stale` (the index holds its last known state) or `never` (no pass finished yet).
    health: &'static str,
    /// Why the last pass failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// When the last full pass ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_full_pass: Option<String>,
    /// When the last incremental pass ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_incremental_pass: Option<String>,
    /// When the last pass that succeeded ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_success: Option<String>,
    /// Failed passes counted.
    errors: u64,
    /// Movies it holds.
    movies: u64,
    /// Shows it holds.
    shows: u64,
    /// Episodes present over its shows.
    episodes: u64,
}

/// Every library index source with its health, in configuration order (`read` scope).
#[utoipa::path(get, path = "/usher/library/sources", tag = "usher", security(("apiKey" = [])),
    responses((status = 200, body = Vec<SourceBody>), (status = 403, body = ErrorBody)))]
pub async fn library_sources(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<Vec<SourceBody>>> {
    let sources = state.services().api.library_sources(&caller).await?;
    Ok(Json(
        sources
            .into_iter()
            .map(|s| {
                let h = &s.health;
                let health = if h.last_full.is_none() && h.last_incremental.is_none() {
                    "never"
                } else if h.stale || h.error.is_some() {
                    "stale"
                } else {
                    "ok"
                };
                SourceBody {
                    name: s.info.name.clone(),
                    kind: s.info.kind.as_str(),
                    label: s.info.label.clone(),
                    health,
                    error: h.error.clone(),
                    last_full_pass: h.last_full.map(iso),
                    last_incremental_pass: h.last_incremental.map(iso),
                    last_success: h.last_success.map(iso),
                    errors: h.errors,
                    movies: s.movies,
                    shows: s.shows,
                    episodes: s.episodes,
                }
            })
            .collect(),
    ))
}
