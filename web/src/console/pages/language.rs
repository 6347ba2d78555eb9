//! `POST /account/language`: the language picker (in every page's footer and on the account
//! page). Core stores the choice on the user — the same setting the bots' `/language` writes —
//! and audits it; a code Usher does not ship is refused there and nothing is written. Works
//! without JavaScript: a plain form with the CSRF token, answered with a redirect.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;

use crate::console::signed_in::{SignedIn, safe_next};
use crate::error::WebError;
use crate::state::AppState;

/// The picker's form. `language` must be present: empty means "as the browser asks".
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    language: String,
    /// Where the footer picker was used; the account page's picker has none and goes back
    /// there with a notice.
    #[serde(default)]
    next: Option<String>,
}

/// POST /account/language: stores the choice and shows the page again, now in that language.
pub async fn choose_language(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<LanguageForm>,
) -> Result<Response, WebError> {
    let language = Some(form.language.trim()).filter(|l| !l.is_empty());
    let chosen = state
        .services()
        .users
        .choose_language(&who.actor, language)
        .await;
    match chosen {
        Ok(()) => Ok(match form.next.as_deref() {
            Some(next) => Redirect::to(&safe_next(Some(next))).into_response(),
            None => Redirect::to("/account?done=language#language").into_response(),
        }),
        Err(CoreError::Validation(_)) => {
            Ok(Redirect::to("/account?error=language#language").into_response())
        }
        Err(err) => Err(err.into()),
    }
}
