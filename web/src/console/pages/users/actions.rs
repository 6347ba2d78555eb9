//! `POST /users/{id}/roles|quota|disabled`: an admin's changes to one user, each through the one
//! core method that checks, records and ends the user's sessions where it must.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Permission, UserId};

use super::detail;
use super::quota::QuotaInput;
use super::roles::quota_refusal;
use crate::console::form_state::FormState;
use crate::console::pages::outcome::{PageError, done, form_refusal};
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
    let Err(err) = result else {
        return Ok(done(None, &user_page(id), "roles"));
    };
    let (status, message) = form_refusal(&who.lang, err)?;
    let kept = FormState::invalid("roles", "", message, &[]).with_status(status);
    detail::again(&state, &who, UserId(id), kept).await
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
    let outcome = match form.parse() {
        Ok((scope, limit)) => services
            .users
            .set_user_quota(&who.actor, UserId(id), scope, limit)
            .await
            .map_err(|err| ("", err)),
        Err(bad) => Err(bad),
    };
    let Err((field, err)) = outcome else {
        return Ok(done(None, &user_page(id), "quota"));
    };
    let kept = quota_refusal(&who, "quota", &form, field, err)?;
    detail::again(&state, &who, UserId(id), kept).await
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
    let outcome = match form.disabled.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(CoreError::Validation(format!(
            "disabled must be true or false, not {other:?}"
        ))),
    };
    let outcome = match outcome {
        Ok(disabled) => services
            .users
            .set_disabled(&who.actor, UserId(id), disabled)
            .await
            .map(|()| disabled),
        Err(err) => Err(err),
    };
    let err = match outcome {
        Ok(disabled) => {
            let notice = if disabled { "disabled" } else { "enabled" };
            return Ok(done(None, &user_page(id), notice));
        }
        Err(err) => err,
    };
    let (status, message) = form_refusal(&who.lang, err)?;
    let kept = FormState::invalid("disabled", "", message, &[]).with_status(status);
    detail::again(&state, &who, UserId(id), kept).await
}
