//! How a console form post ends: back where it came from (POST-redirect-GET) with a short
//! notice, or a localized error page saying why core refused. Server errors keep the shared path
//! (logged, operation id, no cause shown).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::service::users::LAST_ADMIN;

use crate::console::form_state::FormState;
use crate::console::page::{Chrome, catalog, error_response};
use crate::console::signed_in::safe_next;
use crate::error::WebError;

/// Notices a page may be asked to show after a redirect; anything else in `?notice=` is ignored,
/// so a crafted link cannot put words on the page.
pub(crate) const NOTICES: [&str; 14] = [
    "approved",
    "declined",
    "retried",
    "roles",
    "quota",
    "disabled",
    "enabled",
    "saved",
    "resolved",
    "full-pass",
    "removed",
    "requested",
    "auto-approved",
    "followed",
];

/// 303 to `next` (a local path, else `fallback`) carrying `?notice=…`.
pub fn done(next: Option<&str>, fallback: &str, notice: &str) -> Response {
    let target = match next {
        Some(next) if !next.is_empty() => safe_next(Some(next)),
        _ => fallback.to_owned(),
    };
    let joiner = if target.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{target}{joiner}notice={notice}")).into_response()
}

/// The text for a `?notice=` value, if it is one of ours.
pub fn notice(chrome: &Chrome, raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    NOTICES
        .contains(&raw)
        .then(|| chrome.t(&format!("console-notice-{raw}")))
}

/// A response that ends a page handler early (a refusal or an error page), boxed so handler
/// results stay small; page handlers answer `Result<Response, PageError>` and use `?`.
#[derive(Debug)]
pub struct PageError(Box<Response>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<WebError> for PageError {
    fn from(err: WebError) -> Self {
        Self(Box::new(err.into_response()))
    }
}

/// Turns a core refusal into its localized page, so handlers can use `?`.
pub trait OrRefused<T> {
    /// `Err(page)` for an error, in the reader's language.
    fn or_refused(self, lang: &str) -> Result<T, PageError>;
}

impl<T> OrRefused<T> for Result<T, CoreError> {
    fn or_refused(self, lang: &str) -> Result<T, PageError> {
        self.map_err(|err| refused(lang, err))
    }
}

/// The page for an action core refused, in the reader's language, with the matching status.
pub fn refused(lang: &str, err: CoreError) -> PageError {
    PageError(Box::new(refusal_page(lang, err)))
}

/// The reader's words for a refusal that a form can show beside itself (bad input, a state
/// conflict, an upstream's own answer), or `Err` with the page for what no form can show again:
/// our own failures (shared error path, operation id), a thing that is gone (404) and a missing
/// permission (403).
/// The status is core's (422 bad input, 409 a conflict, 429 over quota, 502 an upstream).
pub fn form_refusal(lang: &str, err: CoreError) -> Result<(u16, String), PageError> {
    let status = crate::error::core_status(&err).as_u16();
    match &err {
        CoreError::NotFound(_) | CoreError::Forbidden(_) => Err(refused(lang, err)),
        CoreError::Conflict(what) if what == LAST_ADMIN => Ok((
            status,
            catalog().text(lang, "console-users-last-admin", &[]),
        )),
        CoreError::Database(_) | CoreError::Unexpected(_) => Err(refused(lang, err)),
        other => Ok((status, catalog().error_text(lang, other))),
    }
}

/// A page shown again with a refused form on it, answering with the refusal's status so
/// scripts and tests see it.
pub fn again(page: &impl Template, form: &FormState) -> Result<Response, PageError> {
    let html = crate::console::page::render(page)?;
    let status = StatusCode::from_u16(form.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    Ok((status, html).into_response())
}

fn refusal_page(lang: &str, err: CoreError) -> Response {
    let web = WebError::Core(err);
    let status = web.status();
    let WebError::Core(err) = &web else {
        return web.into_response();
    };
    if status.is_server_error() {
        return web.into_response();
    }
    let message = match err {
        CoreError::Conflict(what) if what == LAST_ADMIN => {
            catalog().text(lang, "console-users-last-admin", &[])
        }
        CoreError::Forbidden(_) => catalog().text(lang, "console-forbidden", &[]),
        other => catalog().error_text(lang, other),
    };
    error_response(status, lang, message, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    fn location(response: &Response) -> &str {
        response.headers()[header::LOCATION]
            .to_str()
            .expect("ascii")
    }

    #[test]
    fn redirects_stay_local_and_carry_the_notice() {
        let back = done(Some("/requests?status=pending"), "/requests", "approved");
        assert_eq!(back.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&back), "/requests?status=pending&notice=approved");
        let away = done(Some("https://evil.example/"), "/requests", "approved");
        assert_eq!(location(&away), "/?notice=approved");
        let none = done(None, "/users/3", "roles");
        assert_eq!(location(&none), "/users/3?notice=roles");
    }

    #[test]
    fn only_known_notices_are_shown() {
        let chrome = Chrome::anonymous("en-US".into(), String::new());
        assert!(notice(&chrome, Some("approved")).is_some());
        assert_eq!(notice(&chrome, Some("you have been hacked")), None);
        assert_eq!(notice(&chrome, None), None);
    }

    #[test]
    fn forms_show_refusals_but_not_failures() {
        let (status, bad) =
            form_refusal("en-US", CoreError::Validation("pick one".into())).expect("shown");
        assert_eq!(status, 422);
        assert!(bad.contains("pick one"), "{bad}");
        let (status, last) =
            form_refusal("de", CoreError::Conflict(LAST_ADMIN.into())).expect("shown");
        assert_eq!(status, 409);
        assert_eq!(last, catalog().text("de", "console-users-last-admin", &[]));
        let gone = form_refusal("en-US", CoreError::NotFound("request 9".into()));
        assert_eq!(
            gone.expect_err("no form").into_response().status(),
            StatusCode::NOT_FOUND
        );
        let upstream = CoreError::Upstream {
            service: "radarr",
            message: "no such profile".into(),
        };
        let (status, said) =
            form_refusal("en-US", upstream).expect("the upstream's answer is shown");
        assert_eq!(status, 502);
        assert!(!said.is_empty());
        let broken = form_refusal("en-US", CoreError::Database(sqlx::Error::PoolTimedOut));
        assert!(
            broken
                .expect_err("our own failure")
                .into_response()
                .status()
                .is_server_error()
        );
    }

    #[test]
    fn refusals_are_localized_with_their_status() {
        let last = refused("de", CoreError::Conflict(LAST_ADMIN.into())).into_response();
        assert_eq!(last.status(), StatusCode::CONFLICT);
        let gone = refused("en-US", CoreError::NotFound("request 9".into())).into_response();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}

/// The query of a page that a Post/Redirect/Get lands on: only the notice key [`done`] put
/// there, shown through [`notice`].
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    /// The notice's key, as [`done`] wrote it.
    pub notice: Option<String>,
}
