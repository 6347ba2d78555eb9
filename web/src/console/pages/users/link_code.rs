//! `POST /users/{id}/link-code` and `POST /users/invite`: how an admin lets someone in whom the
//! bots refuse (`USHER_TELEGRAM_REGISTRATION=refuse`). Either makes a one-time link code (core
//! checks the admin permission and audits it); the page shows it once, never in a URL, and the
//! person sends it to the bot with `/link CODE`.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usher_core::domain::{Permission, UserId};

use super::{IssuedCode, UsersQuery, detail, users_page};
use crate::console::form_state::FormState;
use crate::console::page::render;
use crate::console::pages::outcome::{PageError, again, form_refusal};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;
use usher_core::service::link::LinkCode;

/// The invite form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    /// The new person's name.
    pub name: String,
}

/// POST /users/{id}/link-code.
pub async fn issue(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    match services.links.issue_for(&who.actor, UserId(id)).await {
        Ok(code) => with_code(&state, &who, UserId(id), code).await,
        Err(err) => {
            let (status, message) = form_refusal(&who.lang, err)?;
            let kept = FormState::invalid("link-code", "", message, &[]).with_status(status);
            detail::again(&state, &who, UserId(id), kept).await
        }
    }
}

/// POST /users/invite.
pub async fn invite(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    match services.links.invite(&who.actor, &form.name).await {
        Ok((user, code)) => with_code(&state, &who, user, code).await,
        Err(err) => {
            let (status, message) = form_refusal(&who.lang, err)?;
            let mut page = users_page(&state, &who, &UsersQuery::default()).await?;
            page.form = FormState::invalid("invite", "name", message, &[("name", &form.name)])
                .with_status(status);
            again(&page, &page.form)
        }
    }
}

/// The user page with the fresh code on it; not stored by browsers or proxies.
async fn with_code(
    state: &AppState,
    who: &SignedIn,
    user: UserId,
    code: LinkCode,
) -> Result<Response, PageError> {
    let mut page = detail::page(state, who, user).await?;
    page.issued = Some(IssuedCode::new(code));
    let mut response = render(&page)?.into_response();
    let no_store = header::HeaderValue::from_static("no-store");
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, no_store);
    Ok(response)
}
