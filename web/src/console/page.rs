//! What every console page shares: the frame around it (language, CSRF token, who is signed in,
//! which menu entries they may see) and the error page.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use usher_core::domain::{Permission, Timestamp};

use super::localized::{Figure, Rules};
use super::signed_in::SignedIn;
use crate::error::WebError;

pub use super::context::{catalog, request_language};

/// The frame of a page: language, CSRF token, the signed-in user and their menu.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// Language of the page.
    pub lang: String,
    /// CSRF token for forms and the WebAuthn script.
    pub csrf: String,
    /// Display name of the signed-in user, if any.
    pub user: Option<String>,
    /// Whether the menu shows approver pages (requests).
    pub is_approver: bool,
    /// Whether the menu shows admin pages (users, settings, audit).
    pub is_admin: bool,
    /// The path and query of the page, for the language picker to come back to.
    pub here: String,
}

impl Chrome {
    /// The frame for someone not signed in (sign-in, setup).
    pub fn anonymous(lang: String, csrf: String) -> Self {
        Self {
            lang,
            csrf,
            ..Self::default()
        }
    }

    /// The frame for a signed-in user.
    pub fn for_user(who: &SignedIn) -> Self {
        Self {
            lang: who.lang.clone(),
            csrf: who.csrf.clone(),
            user: Some(who.user.display_name.clone()),
            is_approver: who.permissions.allows(Permission::Approve),
            is_admin: who.permissions.allows(Permission::Admin),
            here: who.here.clone(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        catalog().text(&self.lang, key, &[])
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        catalog().text(&self.lang, key, &[(name, value.to_owned())])
    }

    /// The page language's date and number rules.
    pub fn rules(&self) -> &'static Rules {
        Rules::of(&self.lang)
    }

    /// A count in the page's language (`1,234`, `1.234`, `1 234`).
    pub fn num(&self, n: impl Figure) -> String {
        self.rules().integer(n.figure())
    }

    /// A date and time in the page's language (`Dec 5, 2026, 2:03 PM`), UTC.
    pub fn when(&self, at: Timestamp) -> String {
        self.rules().date_time(at)
    }

    /// A date in the page's language (`Dec 5, 2026`).
    pub fn day(&self, at: Timestamp) -> String {
        self.rules().date(at)
    }

    /// The languages the console speaks, each named in itself, for the language pickers.
    pub fn languages(&self) -> Vec<LanguageChoice> {
        catalog()
            .languages()
            .into_iter()
            .map(|tag| LanguageChoice {
                tag,
                name: catalog().text(tag, "bot-language-name", &[]),
                current: tag == self.lang,
            })
            .collect()
    }
}

/// One language a picker offers.
#[derive(Debug, Clone)]
pub struct LanguageChoice {
    /// Its tag, the value the form posts.
    pub tag: &'static str,
    /// Its name in itself (`Français`), so a reader finds their own in any page language.
    pub name: String,
    /// Whether the page is in it.
    pub current: bool,
}

/// Renders a template into an HTML response.
pub fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(page.render()?))
}

/// The error page: a message, and for our own failures the operation id to quote.
#[derive(Template)]
#[template(path = "console/error.html")]
pub struct ErrorPage {
    /// Frame (anonymous: errors may happen before sign-in).
    pub chrome: Chrome,
    /// HTTP status shown as a heading.
    pub status: u16,
    /// What happened, in the page's language.
    pub message: String,
    /// Id logged with the failure, for server errors.
    pub operation: Option<String>,
}

/// An error page for a localized message key.
pub fn problem_page(
    status: StatusCode,
    lang: &str,
    key: &str,
    args: &[(&str, String)],
) -> Response {
    let message = catalog().text(lang, key, args);
    error_response(status, lang, message, None)
}

/// An error page with a ready message.
pub fn error_response(
    status: StatusCode,
    lang: &str,
    message: String,
    operation: Option<String>,
) -> Response {
    let page = ErrorPage {
        chrome: Chrome::anonymous(lang.to_owned(), String::new()),
        status: status.as_u16(),
        message,
        operation,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}

/// Middleware over console routes: plain-text error responses (from [`WebError`]) become the
/// localized error page; server errors keep only their operation id, never the cause.
pub async fn html_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = request_language(req.headers());
    let response = next.run(req).await;
    let status = response.status();
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !is_text {
        return response;
    }
    let operation = response
        .extensions()
        .get::<crate::error::OperationId>()
        .map(|op| op.0.clone());
    let message = match status {
        StatusCode::FORBIDDEN => catalog().text(&lang, "console-forbidden", &[]),
        s if s.is_server_error() => catalog().text(&lang, "error-internal", &[]),
        _ => {
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap_or_default();
            String::from_utf8_lossy(&body).into_owned()
        }
    };
    error_response(status, &lang, message, operation)
}

/// Whether a page carries script other than our own files (the CSP would block it anyway).
#[cfg(test)]
pub(crate) fn has_inline_script(html: &str) -> bool {
    html.match_indices("<script")
        .any(|(at, _)| !html[at..].starts_with("<script src=\"/static/"))
}

#[cfg(test)]
mod tests {
    use super::has_inline_script;

    #[test]
    fn only_our_script_files_count_as_clean() {
        assert!(!has_inline_script(
            r#"<script src="/static/console.js" defer></script>"#
        ));
        assert!(has_inline_script("<script>alert(1)</script>"));
        assert!(has_inline_script(
            r#"<script src="https://cdn.example/x.js"></script>"#
        ));
    }
}
