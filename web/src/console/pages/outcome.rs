//! How a console form post ends: back where it came from (POST-redirect-GET) with a short
//! notice, or a localized error page saying why core refused. Server errors keep the shared path
//! (logged, operation id, no cause shown).

use axum::response::{IntoResponse, Redirect, Response};
use usher_core::CoreError;
use usher_core::service::users::LAST_ADMIN;

use crate::console::page::{Chrome, catalog, error_response};
use crate::console::signed_in::safe_next;
use crate::error::WebError;

/// Notices a page may be asked to show after a redirect; anything else in `?notice=` is ignored,
/// so a crafted link cannot put words on the page.
pub(crate) const NOTICES: [&str; 11] = [
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
    use axum::http::{StatusCode, header};

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
    fn refusals_are_localized_with_their_status() {
        let last = refused("de", CoreError::Conflict(LAST_ADMIN.into())).into_response();
        assert_eq!(last.status(), StatusCode::CONFLICT);
        let gone = refused("en-US", CoreError::NotFound("request 9".into())).into_response();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
}
