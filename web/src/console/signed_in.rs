//! The signed-in user of a console request, or a redirect to the sign-in page.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use usher_core::CoreError;
use usher_core::domain::{Actor, Permission, Permissions, Source, User};

use super::context::{CsrfToken, request_language};
use super::session_cookie::SESSION_COOKIE;
use crate::error::WebError;
use crate::state::AppState;

/// Who is making a console request. Extracting it checks the session cookie's signature and
/// the server-side session (revoked, idle, expired, disabled user) on every request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The user.
    pub user: User,
    /// Their permissions now.
    pub permissions: Permissions,
    /// The session id (for sign-out).
    pub jti: String,
    /// The actor to pass to core services (source: web, with the client address).
    pub actor: Actor,
    /// The request's CSRF token, for forms.
    pub csrf: String,
    /// The page language (the user's choice, else the browser's).
    pub lang: String,
    /// The path and query asked for, so a form in the page frame can come back to it.
    pub here: String,
}

impl SignedIn {
    /// Refuses (403) unless the user holds a permission. Core checks again on every action;
    /// this only keeps pages from rendering for people who cannot use them.
    pub fn require(&self, perm: Permission) -> Result<(), WebError> {
        if self.permissions.allows(perm) {
            Ok(())
        } else {
            Err(WebError::Core(CoreError::Forbidden(format!(
                "{perm:?} permission is required"
            ))))
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (console, services) = (state.console(), state.services());
        let jar = CookieJar::from_headers(&parts.headers);
        let jti = jar
            .get(SESSION_COOKIE)
            .and_then(|c| console.sessions.jti(c.value()));
        let live = match jti {
            Some(jti) => services
                .sessions
                .check(&jti)
                .await
                .map_err(|e| WebError::Core(e).into_response())?,
            None => None,
        };
        let Some(live) = live else {
            return Err(sign_in_first(parts));
        };
        let ip = console.client_ip.of(parts).map(|ip| ip.to_string());
        let lang = match live.user.locale.as_deref() {
            Some(locale) => super::context::catalog().negotiate(Some(locale)).to_owned(),
            None => request_language(&parts.headers),
        };
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        Ok(Self {
            actor: Actor::user(live.user.id, Source::Web { ip }),
            user: live.user,
            permissions: live.permissions,
            jti: live.jti,
            csrf,
            lang,
            here: parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned(),
        })
    }
}

/// A page load goes to the sign-in page (and comes back after); anything else gets 401.
fn sign_in_first(parts: &Parts) -> Response {
    if parts.method != Method::GET {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let here = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// A safe place to go after sign-in: a path on this site, never another one. `next` is read
/// the way a browser reads a `Location` (the WHATWG URL rules: tabs and newlines dropped, `\\`
/// taken for `/`), so `/\t/evil.example` cannot turn into `//evil.example` on the way. Anything
/// with a control character or a backslash, starting `//`, or resolving to another origin gives
/// `/`; what is returned is the normalized, percent-encoded path and query, which is always a
/// valid header value.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or_else(|| "/".to_owned())
}

/// The origin `next` is resolved against: only the path matters, any origin would do.
const HERE: &str = "http://usher.invalid/";

fn local_path(next: &str) -> Option<String> {
    if !next.starts_with('/')
        || next.starts_with("//")
        || next.contains('\\')
        || next.chars().any(char::is_control)
    {
        return None;
    }
    let base = url::Url::parse(HERE).ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() || resolved.path().starts_with("//") {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(query) = resolved.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(
            safe_next(Some("/requests?status=pending")),
            "/requests?status=pending"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn what_a_browser_would_make_of_next_stays_on_the_site() {
        for evil in [
            "/\t/evil.example",
            "/\t\\evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/./\\evil.example",
            "/.//evil.example",
            "/x/..//evil.example",
            "/\x01",
            "/\x7f",
            "/a\x00b",
            "/ok\u{85}x",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_next(Some("/a/../b?x=1 2")), "/b?x=1%202");
        assert_eq!(safe_next(Some("/r\u{e9}sum\u{e9}")), "/r%C3%A9sum%C3%A9");
        assert_eq!(safe_next(Some("/requests#top")), "/requests");
    }
}
