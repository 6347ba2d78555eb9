//! `/auth/me`, `/user`, `/user/{id}/requests` and `/status`: who is calling, the people, and
//! whether Usher is up.

use axum::Json;
use axum::extract::{Extension, Path, Query, State};
use serde::Deserialize;
use usher_core::service::ApiCaller;
use usher_core::service::api::{RequestQuery, RequestView};
use usher_core::store::directory::UserOrder;
use usher_core::store::requests::PageOrder;
use utoipa::IntoParams;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input;
use super::shapes::{PageInfo, RequestPageBody, SeerrUser, StatusBody, UserPageBody};
use crate::state::AppState;

/// Usher's version, as Seerr's status (no key needed, as with Seerr).
#[utoipa::path(get, path = "/status", tag = "public", responses((status = 200, body = StatusBody)))]
pub async fn status() -> Json<StatusBody> {
    Json(StatusBody {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit_tag: format!("usher-{}", env!("CARGO_PKG_VERSION")),
        update_available: false,
        commits_behind: 0,
        restart_required: false,
    })
}

/// The key's machine user.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("apiKey" = [])),
    responses((status = 200, body = SeerrUser), (status = 403, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<SeerrUser>> {
    let me = state.services().api.me(&caller).await?;
    Ok(Json(SeerrUser::from_listing(&me)))
}

/// `GET /user`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsersQuery {
    /// Rows per page, 1 to 100 (default 10).
    take: Option<String>,
    /// Rows to skip.
    skip: Option<String>,
    /// created (default), updated, requests, displayname.
    sort: Option<String>,
}

/// Every user, in Seerr's page shape.
#[utoipa::path(get, path = "/user", params(UsersQuery), tag = "users", security(("apiKey" = [])),
    responses((status = 200, body = UserPageBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(query): Query<UsersQuery>,
) -> ApiResult<Json<UserPageBody>> {
    let page = input::page(query.take.as_deref(), query.skip.as_deref())?;
    let order = match query.sort.as_deref() {
        None | Some("" | "created") => UserOrder::Created,
        Some("updated") => UserOrder::Updated,
        Some("requests") => UserOrder::Requests,
        Some("displayname") => UserOrder::DisplayName,
        Some(_) => {
            return Err(ApiError::field(
                "sort",
                "must be created, updated, requests or displayname",
            ));
        }
    };
    let (users, total) = state.services().api.users(&caller, order, page).await?;
    Ok(Json(UserPageBody {
        page_info: PageInfo::new(page, total),
        results: users.iter().map(SeerrUser::from_listing).collect(),
    }))
}

/// `GET /user/{id}/requests`'s query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserRequestsQuery {
    /// Rows per page, 1 to 100 (default 10).
    take: Option<String>,
    /// Rows to skip.
    skip: Option<String>,
}

/// One user's requests, newest first.
#[utoipa::path(get, path = "/user/{userId}/requests", params(("userId" = String, Path, description = "User id"), UserRequestsQuery),
    tag = "users", security(("apiKey" = [])),
    responses((status = 200, body = RequestPageBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn requests(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    Query(query): Query<UserRequestsQuery>,
) -> ApiResult<Json<RequestPageBody>> {
    let user = input::user_id("userId", &id)?;
    let page = input::page(query.take.as_deref(), query.skip.as_deref())?;
    let api = &state.services().api;
    api.user(&caller, user).await?;
    let query = RequestQuery {
        view: RequestView::All,
        order: PageOrder::Added,
        requested_by: Some(user),
        page,
    };
    let found = api.requests(&caller, query).await?;
    Ok(Json(RequestPageBody::new(page, &found)))
}
