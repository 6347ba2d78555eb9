//! `POST /users/{id}/roles|quota|disabled`: an admin's changes to one user, each through the one
//! core method that checks, records and ends the user's sessions where it must.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Permission, UserId};

use super::quota::QuotaInput;
use crate::console::pages::outcome::{OrRefused, PageError, done, refused};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// The grant/revoke form.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    /// Role name.
    pub role: String,
    /// `grant` or `revoke`.
    pub action: String,
}

/// The disable/enable form.
#[derive(Debug, Deserialize)]
pub struct DisabledForm {
    /// `true` to disable, `false` to enable.
    pub disabled: String,
}

fn user_page(id: i64) -> String {
    format!("/users/{id}")
}

/// POST /users/{id}/roles.
pub async fn roles(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let users = &services.users;
    let result = match form.action.as_str() {
        "grant" => users.grant_role(&who.actor, UserId(id), &form.role).await,
        "revoke" => users.revoke_role(&who.actor, UserId(id), &form.role).await,
        other => Err(CoreError::Validation(format!(
            "unknown role action {other:?}"
        ))),
    };
    result.or_refused(&who.lang)?;
    Ok(done(None, &user_page(id), "roles"))
}

/// POST /users/{id}/quota.
pub async fn quota(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<QuotaInput>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let (scope, limit) = form.parse().or_refused(&who.lang)?;
    services
        .users
        .set_user_quota(&who.actor, UserId(id), scope, limit)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, &user_page(id), "quota"))
}

/// POST /users/{id}/disabled.
pub async fn disabled(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DisabledForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let disabled = match form.disabled.as_str() {
        "true" => true,
        "false" => false,
        other => {
            let err =
                CoreError::Validation(format!("disabled must be true or false, not {other:?}"));
            return Err(refused(&who.lang, err));
        }
    };
    services
        .users
        .set_disabled(&who.actor, UserId(id), disabled)
        .await
        .or_refused(&who.lang)?;
    let notice = if disabled { "disabled" } else { "enabled" };
    Ok(done(None, &user_page(id), notice))
}
