//! Sign in with Plex: `GET /auth/plex/login` and `GET /auth/plex/callback`, and linking a Plex
//! account from the account page: `POST /account/plex/link` and `GET /auth/plex/link/callback`.
//!
//! Core (`PlexSignIn`) decides everything; these handlers carry the ceremony id in a
//! short-lived HttpOnly cookie scoped to `/auth/plex` (so only the browser that started a PIN
//! can finish it), send the browser to the Plex app, and render what came of it: a session, a
//! "waiting" page with a link to check again, or a localized refusal. plex.tv failing is a
//! page with an operation id, never a 500.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;
use usher_core::crypto::random_token;
use usher_core::service::sessions::FLOW_TTL;
use usher_core::service::{PlexOutcome, PlexRefusal, PlexSignIn, PlexStarted, PlexTrouble};

use crate::console::Console;
use crate::console::csrf::CsrfToken;
use crate::console::page::{Chrome, catalog, error_response, problem_page, render};
use crate::console::passkeys::client_info;
use crate::console::session_cookie::ceremony_cookie;
use crate::console::signed_in::{SignedIn, safe_next};
use crate::error::WebError;
use crate::state::AppState;

/// Cookie naming the Plex ceremony of this browser.
pub const PLEX_COOKIE: &str = "usher_plex";
/// Path the cookie is sent to.
const COOKIE_PATH: &str = "/auth/plex";
/// Where plex.tv sends the browser after a sign-in.
const SIGN_IN_CALLBACK: &str = "/auth/plex/callback";
/// Where plex.tv sends the browser after linking an account.
const LINK_CALLBACK: &str = "/auth/plex/link/callback";

/// The PIN is not approved yet: check again, or approve it at Plex.
#[derive(Template)]
#[template(path = "console/plex_waiting.html")]
pub struct PlexWaitingPage {
    /// Frame.
    pub chrome: Chrome,
    /// The callback to visit again.
    pub again: String,
    /// The Plex app's page for this PIN.
    pub approve_url: String,
    /// Where giving up leads (the sign-in or account page).
    pub back: String,
}

/// Query of `/auth/plex/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// GET /auth/plex/login: a new PIN, then off to the Plex app to approve it (303).
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    parts: Parts,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = crate::console::page::request_language(&parts.headers);
    let Some(plex) = enabled(&state) else {
        return Ok(off(&lang));
    };
    let next = safe_next(query.next.as_deref());
    let forward = forward(&state, SIGN_IN_CALLBACK);
    let started = plex.start_sign_in(&next, &forward).await?;
    Ok(go_approve(state.console(), jar, started, &lang))
}

/// GET /auth/plex/callback: asks plex.tv once about this browser's PIN; signed in, waiting, or
/// refused.
pub async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    parts: Parts,
    Extension(csrf): Extension<CsrfToken>,
) -> Result<Response, WebError> {
    let lang = crate::console::page::request_language(&parts.headers);
    let Some(plex) = enabled(&state) else {
        return Ok(off(&lang));
    };
    let console = state.console();
    let flow = jar.get(PLEX_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.add(cookie(console, String::new(), 0));
    let client = client_info(console, &parts);
    let outcome = plex.finish_sign_in(flow.as_deref(), &client).await?;
    if matches!(outcome, PlexOutcome::Refused(_)) {
        // A Plex account nobody linked, a disabled user's, or a ceremony this browser did not
        // start: counted like any other failed sign-in.
        crate::alerts::failed_sign_in(&state, &parts, "plex").await;
    }
    let chrome = Chrome::anonymous(lang.clone(), csrf.0);
    Ok(match outcome {
        PlexOutcome::Done(done) => {
            let jar = jar.add(console.sessions.cookie(&done.session));
            (jar, Redirect::to(&safe_next(Some(&done.next)))).into_response()
        }
        other => not_done(console, jar, other, chrome, SIGN_IN_CALLBACK, "/login")?,
    })
}

/// POST /account/plex/link: a new PIN for the signed-in user, then off to the Plex app (303).
pub async fn link(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let Some(plex) = enabled(&state) else {
        return Ok(off(&who.lang));
    };
    let forward = forward(&state, LINK_CALLBACK);
    let started = plex.start_link(&who.actor, &forward).await?;
    Ok(go_approve(state.console(), jar, started, &who.lang))
}

/// GET /auth/plex/link/callback: links the Plex account that approved this browser's PIN to
/// the signed-in user, or says why not.
pub async fn link_callback(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let Some(plex) = enabled(&state) else {
        return Ok(off(&who.lang));
    };
    let console = state.console();
    let flow = jar.get(PLEX_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.add(cookie(console, String::new(), 0));
    let outcome = plex.finish_link(&who.actor, flow.as_deref()).await?;
    Ok(match outcome {
        PlexOutcome::Done(_) => (jar, Redirect::to("/account?done=plex")).into_response(),
        other => not_done(
            console,
            jar,
            other,
            Chrome::for_user(&who),
            LINK_CALLBACK,
            "/account",
        )?,
    })
}

/// The Plex sign-in, when the operator turned it on.
fn enabled(state: &AppState) -> Option<&PlexSignIn> {
    state.console().plex.as_ref()
}

/// 404 page: sign-in with Plex is off.
fn off(lang: &str) -> Response {
    problem_page(StatusCode::NOT_FOUND, lang, "console-plex-off", &[])
}

/// Our callback under the public URL, as plex.tv sends the browser back to it.
fn forward(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.public_url().trim_end_matches('/'))
}

/// The PIN is kept: the cookie naming it, and the browser on its way to the Plex app.
fn go_approve(
    console: &Console,
    jar: CookieJar,
    started: Result<PlexStarted, PlexTrouble>,
    lang: &str,
) -> Response {
    match started {
        Ok(started) => {
            let ttl = FLOW_TTL.as_secs();
            let jar = jar.add(cookie(console, started.flow, ttl));
            (jar, Redirect::to(&started.url)).into_response()
        }
        Err(trouble) => failure(lang, trouble),
    }
}

/// Every outcome but success: the waiting page (with the ceremony's new cookie), a refusal or
/// plex.tv's failure.
fn not_done<T>(
    console: &Console,
    jar: CookieJar,
    outcome: PlexOutcome<T>,
    chrome: Chrome,
    again: &str,
    back: &str,
) -> Result<Response, WebError> {
    let lang = chrome.lang.clone();
    Ok(match outcome {
        PlexOutcome::Done(_) => Redirect::to(back).into_response(),
        PlexOutcome::Waiting(started) => {
            let jar = jar.add(cookie(console, started.flow, FLOW_TTL.as_secs()));
            let page = PlexWaitingPage {
                chrome,
                again: again.to_owned(),
                approve_url: started.url,
                back: back.to_owned(),
            };
            (jar, render(&page)?).into_response()
        }
        PlexOutcome::Refused(refusal) => {
            let (status, key) = refusal_page(refusal);
            (jar, problem_page(status, &lang, key, &[])).into_response()
        }
        PlexOutcome::Trouble(trouble) => (jar, failure(&lang, trouble)).into_response(),
    })
}

/// Status and message of a refusal.
fn refusal_page(refusal: PlexRefusal) -> (StatusCode, &'static str) {
    match refusal {
        PlexRefusal::Expired => (StatusCode::BAD_REQUEST, "console-plex-expired"),
        PlexRefusal::NotLinked => (StatusCode::FORBIDDEN, "console-plex-not-linked"),
        PlexRefusal::Disabled => (StatusCode::FORBIDDEN, "console-plex-disabled"),
        PlexRefusal::LinkedElsewhere => (StatusCode::CONFLICT, "console-plex-taken"),
    }
}

/// plex.tv failed: a page with an operation id matching the log line.
fn failure(lang: &str, trouble: PlexTrouble) -> Response {
    let operation = random_token(6);
    tracing::warn!(%operation, ?trouble, "Plex sign-in failed at plex.tv");
    let (status, key) = match trouble {
        PlexTrouble::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "console-plex-unavailable"),
        PlexTrouble::NotConfirmed => (StatusCode::BAD_GATEWAY, "console-plex-not-confirmed"),
    };
    let message = catalog().text(lang, key, &[]);
    error_response(status, lang, message, Some(operation))
}

/// The ceremony cookie (an empty value with `max_age` 0 removes it). `SameSite=Lax`: the Plex
/// app sends the browser back with a top-level navigation from another site.
fn cookie(console: &Console, flow: String, max_age: u64) -> Cookie<'static> {
    let secure = console.sessions.secure();
    ceremony_cookie(PLEX_COOKIE, COOKIE_PATH, flow, max_age, secure)
}
