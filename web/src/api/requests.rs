//! `/request…`: Seerr's request endpoints over core's [`usher_core::service::ApiService`].

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use usher_core::domain::{MediaType, Seasons, TmdbId};
use usher_core::service::ApiCaller;
use usher_core::service::api::{ApiNewRequest, RequestQuery, RequestView, season_choice};
use usher_core::service::requests::RequestChange;
use usher_core::store::requests::PageOrder;
use utoipa::IntoParams;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input::{self, StrictJson};
use super::shapes::{CountBody, RequestPageBody, SeerrRequest};
use crate::state::AppState;

/// `GET /request`'s query (Seerr's names).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Rows per page, 1 to 100 (default 10).
    take: Option<String>,
    /// Rows to skip (default 0).
    skip: Option<String>,
    /// all, approved, available, pending, processing, unavailable, failed, declined.
    filter: Option<String>,
    /// added (default) or modified.
    sort: Option<String>,
    /// Only this user's requests.
    requested_by: Option<String>,
}

/// Seerr's `sort` values.
fn order(sort: Option<&str>) -> ApiResult<PageOrder> {
    match sort {
        None | Some("" | "added") => Ok(PageOrder::Added),
        Some("modified") => Ok(PageOrder::Modified),
        Some(_) => Err(ApiError::field("sort", "must be added or modified")),
    }
}

/// Every request, newest first, in Seerr's page shape.
#[utoipa::path(get, path = "/request", params(ListQuery), tag = "request",
    security(("apiKey" = [])),
    responses((status = 200, body = RequestPageBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<RequestPageBody>> {
    let page = input::page(query.take.as_deref(), query.skip.as_deref())?;
    let view = match query.filter.as_deref() {
        None | Some("") => RequestView::All,
        Some(text) => RequestView::parse(text)?,
    };
    let requested_by = query
        .requested_by
        .as_deref()
        .map(|t| input::user_id("requestedBy", t))
        .transpose()?;
    let query = RequestQuery {
        view,
        order: order(query.sort.as_deref())?,
        requested_by,
        page,
    };
    let found = state.services().api.requests(&caller, query).await?;
    Ok(Json(RequestPageBody::new(page, &found)))
}

/// How many requests there are, in Seerr's buckets.
#[utoipa::path(get, path = "/request/count", tag = "request", security(("apiKey" = [])),
    responses((status = 200, body = CountBody), (status = 403, body = ErrorBody)))]
pub async fn count(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<CountBody>> {
    Ok(Json(state.services().api.count(&caller).await?.into()))
}

/// One request.
#[utoipa::path(get, path = "/request/{requestId}", tag = "request", security(("apiKey" = [])),
    params(("requestId" = String, Path, description = "Request id")),
    responses((status = 200, body = SeerrRequest), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> ApiResult<Json<SeerrRequest>> {
    let id = input::request_id(&id)?;
    let found = state.services().api.request(&caller, id).await?;
    first(&found)
}

/// Withdraws a pending request the key's machine user made.
#[utoipa::path(delete, path = "/request/{requestId}", tag = "request", security(("apiKey" = [])),
    params(("requestId" = String, Path, description = "Request id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = input::request_id(&id)?;
    state.services().api.delete(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Seasons as Seerr sends them: a list of numbers or `"all"`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SeasonsField {
    /// These seasons.
    Numbers(Vec<u16>),
    /// `"all"`.
    Word(String),
}

/// `POST /request`'s body (Seerr's names; unknown fields are refused).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRequestBody {
    /// `movie` or `tv`.
    media_type: String,
    /// The TMDB id.
    media_id: i64,
    /// TV: the seasons, or `"all"` (default).
    #[serde(default)]
    seasons: Option<SeasonsField>,
    /// A 4K copy.
    #[serde(default)]
    is4k: bool,
    /// Ask on behalf of this user (needs the `admin` scope).
    #[serde(default)]
    user_id: Option<i64>,
    /// Accepted for Seerr's clients; Usher's rules pick the instance.
    #[serde(default)]
    tvdb_id: Option<i64>,
    /// Usher's own: a note for the approvers, up to 200 characters (Seerr's request has no
    /// such field; its issues call theirs `comment`, hence the name).
    #[serde(default)]
    comment: Option<String>,
}

/// Asks for a title, as a chat request does (it goes to Radarr/Sonarr through the outbox).
#[utoipa::path(post, path = "/request", tag = "request", security(("apiKey" = [])),
    request_body = NewRequestBody,
    responses((status = 201, body = SeerrRequest), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    StrictJson(body): StrictJson<NewRequestBody>,
) -> ApiResult<(StatusCode, Json<SeerrRequest>)> {
    let media_type = match body.media_type.as_str() {
        "movie" => MediaType::Movie,
        "tv" => MediaType::Tv,
        _ => return Err(ApiError::field("mediaType", "must be movie or tv")),
    };
    let tmdb_id = TmdbId::parse(body.media_id)
        .ok()
        .filter(|_| body.media_id > 0)
        .ok_or_else(|| ApiError::field("mediaId", "must be a positive TMDB id"))?;
    let seasons = match body.seasons {
        None => None,
        Some(SeasonsField::Word(word)) if word == "all" => None,
        Some(SeasonsField::Word(_)) => {
            return Err(ApiError::field(
                "seasons",
                "must be a list of numbers or \"all\"",
            ));
        }
        Some(SeasonsField::Numbers(numbers)) => Some(numbers),
    };
    if media_type == MediaType::Movie && seasons.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(ApiError::field("seasons", "a movie has no seasons"));
    }
    let on_behalf = body
        .user_id
        .map(|id| input::user_id("userId", &id.to_string()))
        .transpose()?;
    let _ = body.tvdb_id;
    let new = ApiNewRequest {
        media_type,
        tmdb_id,
        seasons: season_choice(seasons),
        four_k: body.is4k,
        on_behalf,
        comment: body.comment,
    };
    let made = state.services().api.create(&caller, new).await?;
    let Json(request) = first(&made)?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// `PUT /request/{id}`'s body: Seerr's fields (unknown ones are refused), and Usher's
/// `instance` naming a Radarr/Sonarr where Seerr sends a numeric `serverId`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EditRequestBody {
    /// `movie` or `tv` (must be the request's).
    media_type: String,
    /// TV: the seasons wanted, replacing the old ones.
    #[serde(default)]
    seasons: Option<Vec<u16>>,
    /// Must match the request (a 4K copy is a request of its own).
    #[serde(default)]
    is4k: Option<bool>,
    /// Accepted for Seerr's clients; Usher names instances (`instance`).
    #[serde(default)]
    server_id: Option<i64>,
    /// Usher: the Radarr/Sonarr instance by name.
    #[serde(default)]
    instance: Option<String>,
    /// A quality profile id of that instance.
    #[serde(default)]
    profile_id: Option<i64>,
    /// A root folder path of that instance.
    #[serde(default)]
    root_folder: Option<String>,
    /// Accepted for Seerr's clients (Sonarr v3 language profiles); not used.
    #[serde(default)]
    language_profile_id: Option<i64>,
    /// Accepted for Seerr's clients; Usher sends no tags.
    #[serde(default)]
    tags: Option<Vec<i64>>,
    /// The requester; a request stays with the person who asked for it.
    #[serde(default)]
    user_id: Option<i64>,
}

/// Changes a pending request's seasons or target (`approve` scope; core decides the rest).
#[utoipa::path(put, path = "/request/{requestId}", tag = "request", security(("apiKey" = [])),
    params(("requestId" = String, Path, description = "Request id")),
    request_body = EditRequestBody,
    responses((status = 200, body = SeerrRequest), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    StrictJson(body): StrictJson<EditRequestBody>,
) -> ApiResult<Json<SeerrRequest>> {
    let id = input::request_id(&id)?;
    let media_type = match body.media_type.as_str() {
        "movie" => MediaType::Movie,
        "tv" => MediaType::Tv,
        _ => return Err(ApiError::field("mediaType", "must be movie or tv")),
    };
    if media_type == MediaType::Movie && body.seasons.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(ApiError::field("seasons", "a movie has no seasons"));
    }
    let profile = body
        .profile_id
        .map(|p| input::positive_id("profileId", &p.to_string()))
        .transpose()?;
    let requested_by = body
        .user_id
        .map(|u| input::user_id("userId", &u.to_string()))
        .transpose()?;
    let _ = (body.server_id, body.language_profile_id, body.tags);
    let api = &state.services().api;
    let current = api.request(&caller, id).await?;
    let request = current.items.first().ok_or_else(ApiError::no_route)?;
    if request.media.media_type != media_type {
        return Err(ApiError::field("mediaType", "is not the request's"));
    }
    if body.is4k.is_some_and(|four_k| four_k != request.four_k) {
        return Err(ApiError::field(
            "is4k",
            "a 4K copy is a request of its own; ask for it with POST /request",
        ));
    }
    let change = RequestChange {
        seasons: body
            .seasons
            .filter(|_| media_type == MediaType::Tv)
            .map(Seasons::new),
        instance: body.instance.filter(|i| !i.trim().is_empty()),
        quality_profile: profile.map(|p| p.to_string()),
        root_folder: body.root_folder.filter(|r| !r.trim().is_empty()),
    };
    let edited = api.edit(&caller, id, &change, requested_by).await?;
    first(&edited)
}

/// An optional decline reason.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    /// Why (declines only; shown to the requester).
    #[serde(default)]
    reason: Option<String>,
}

/// Approves or declines a request (`approve` scope).
#[utoipa::path(post, path = "/request/{requestId}/{status}", tag = "request",
    security(("apiKey" = [])),
    params(("requestId" = String, Path, description = "Request id"),
        ("status" = String, Path, description = "approve or decline")),
    request_body(content = DecideBody, description = "Optional; a decline reason"),
    responses((status = 200, body = SeerrRequest), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path((id, status)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<SeerrRequest>> {
    let id = input::request_id(&id)?;
    let body: DecideBody = if body.iter().all(u8::is_ascii_whitespace) {
        DecideBody::default()
    } else {
        input::parse(&body)?
    };
    let api = &state.services().api;
    let found = match status.as_str() {
        "approve" => api.approve(&caller, id).await?,
        "decline" => {
            let reason = body
                .reason
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| format!("declined through the API ({})", caller.key));
            api.decline(&caller, id, &reason).await?
        }
        _ => return Err(ApiError::field("status", "must be approve or decline")),
    };
    first(&found)
}

/// The one request of a core answer.
fn first(found: &usher_core::service::api::ApiRequests) -> ApiResult<Json<SeerrRequest>> {
    found
        .items
        .first()
        .map(|r| Json(SeerrRequest::new(r, &found.people)))
        .ok_or_else(ApiError::no_route)
}
