//! `GET /setup/{token}`: the page behind the one-time setup link printed by `usher serve` and
//! `usher admin setup-link`. While the token is good it asks the first admin's name and
//! registers their passkey (web/static/webauthn.js, then `/auth/webauthn/register/*`, which
//! uses the token up); afterwards the link answers 404.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::alerts;
use crate::console::csrf::CsrfToken;
use crate::console::page::{Chrome, render, request_language};
use crate::error::WebError;
use crate::state::AppState;

/// The first-admin page, or the "link expired" page.
#[derive(Template)]
#[template(path = "console/setup.html")]
pub struct SetupPage {
    /// Frame (anonymous).
    pub chrome: Chrome,
    /// The token is unused and unexpired.
    pub valid: bool,
    /// The token, handed to the script (it is in the address bar already).
    pub token: String,
}

/// GET /setup/{token}: checks the token without using it up.
pub async fn setup_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    parts: Parts,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let services = state.services();
    let valid = token.len() <= 128 && services.setup.is_valid(&token).await?;
    if !valid {
        alerts::failed_sign_in(&state, &parts, "setup_link").await;
    }
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = SetupPage {
        chrome: Chrome::anonymous(request_language(&parts.headers), csrf.0),
        valid,
        token: if valid { token } else { String::new() },
    };
    Ok((status, render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_asks_for_a_name_while_the_link_works() {
        let ok = SetupPage {
            chrome: Chrome::anonymous("en-US".into(), "csrf-tok".into()),
            valid: true,
            token: "tok123".into(),
        };
        let html = ok.render().expect("render");
        assert!(html.contains("data-setup-token=\"tok123\""), "{html}");
        assert!(html.contains("name=\"display_name\""));
        assert!(html.contains("Create passkey"));
        assert!(html.contains("content=\"csrf-tok\""), "csrf meta tag");
        assert!(html.contains("/static/webauthn.js"));
        assert!(html.contains("id=\"passkey-error\""));
        assert!(!html.contains("<script>"), "no inline scripts");

        let gone = SetupPage {
            chrome: Chrome::anonymous("de".into(), String::new()),
            valid: false,
            token: String::new(),
        };
        let html = gone.render().expect("render");
        assert!(html.contains("usher admin setup-link"), "{html}");
        assert!(!html.contains("passkey-register"));
    }
}
