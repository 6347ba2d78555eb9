//! `GET /login` (the sign-in choices) and `POST /logout`.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::console::csrf::CsrfToken;
use crate::console::page::{Chrome, render, request_language};
use crate::console::signed_in::{SignedIn, safe_next};
use crate::error::WebError;
use crate::state::AppState;

/// The sign-in page.
#[derive(Template)]
#[template(path = "console/login.html")]
pub struct LoginPage {
    /// Frame.
    pub chrome: Chrome,
    /// Where to go after signing in (a local path).
    pub next: String,
    /// The OIDC provider's display name, when OIDC sign-in is configured.
    pub oidc_provider: Option<String>,
    /// Shown after a failed attempt.
    pub failed: bool,
    /// Whether "Sign in with Plex" is offered.
    pub plex: bool,
}

/// Query of `/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    failed: Option<String>,
}

/// GET /login.
pub async fn login_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let page = LoginPage {
        chrome: Chrome::anonymous(request_language(&headers), csrf.0),
        next: safe_next(query.next.as_deref()),
        oidc_provider: state.console().oidc_provider.clone(),
        failed: query.failed.is_some(),
        plex: state.console().plex.is_some(),
    };
    Ok(render(&page)?.into_response())
}

/// POST /logout: ends this session and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let services = state.services();
    let console = state.console();
    services.sessions.end(&who.actor, &who.jti).await?;
    Ok((jar.add(console.sessions.removal()), Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_page_offers_what_is_configured() {
        let page = LoginPage {
            chrome: Chrome::anonymous("en-US".into(), "tok".into()),
            next: "/requests".into(),
            oidc_provider: Some("Authelia".into()),
            failed: true,
            plex: false,
        };
        let html = page.render().expect("render");
        assert!(html.contains("Sign in with Authelia"), "{html}");
        assert!(html.contains("Sign in with a passkey"));
        assert!(html.contains("/auth/oidc/login?next=/requests"), "{html}");
        assert!(html.contains("Sign-in failed"));
        assert!(!html.contains("<script>"), "no inline scripts");
        assert!(!html.contains("/auth/plex/login"), "Plex is off");
        let plain = LoginPage {
            oidc_provider: None,
            failed: false,
            ..page
        };
        let html = plain.render().expect("render");
        assert!(!html.contains("/auth/oidc/login"));
        assert!(!html.contains("Sign-in failed"));
        let plex = LoginPage {
            plex: true,
            ..plain
        };
        let html = plex.render().expect("render");
        assert!(html.contains("Sign in with Plex"), "{html}");
        assert!(
            html.contains("href=\"/auth/plex/login?next=/requests\""),
            "{html}"
        );
        assert!(!html.contains("<script>"), "no inline scripts");
    }
}
