//! CSRF protection for every state-changing console request: a signed double-submit token (a
//! cookie whose value is `random.HMAC(random)`, echoed in the form's `_csrf` field or the
//! `X-CSRF-Token` header) plus an `Origin`/`Referer` check against the public URL. It works
//! before sign-in too (setup and sign-in ceremonies), and no state is kept server-side.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use usher_core::crypto::{constant_time_eq, random_token};

use super::page::problem_page;
use crate::state::AppState;

/// Name of the CSRF cookie.
pub const CSRF_COOKIE: &str = "usher_csrf";
/// Form field carrying the token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header carrying the token (the WebAuthn script's `fetch` calls).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest form body the guard reads to find the token.
const FORM_LIMIT: usize = 64 * 1024;

pub use super::context::CsrfToken;

/// Mints and checks tokens with a key derived from the master key.
pub struct CsrfKey {
    key: [u8; 32],
    secure: bool,
}

impl CsrfKey {
    /// A key; `secure` marks the cookie `Secure`.
    pub fn new(key: [u8; 32], secure: bool) -> Self {
        Self { key, secure }
    }

    fn tag(&self, random: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(random.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }

    /// A fresh token.
    pub fn mint(&self) -> String {
        let random = random_token(16);
        let tag = self.tag(&random);
        format!("{random}.{tag}")
    }

    /// Whether a token is one we minted.
    pub fn is_ours(&self, token: &str) -> bool {
        let Some((random, tag)) = token.split_once('.') else {
            return false;
        };
        token.len() <= 100 && constant_time_eq(tag.as_bytes(), self.tag(random).as_bytes())
    }

    fn cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build((CSRF_COOKIE, token))
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .path("/")
            .build()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware over the console routes: refuses unsafe requests without a matching token or
/// from a foreign origin, and hands every request its token.
pub async fn guard(
    State(state): State<AppState>,
    jar: CookieJar,
    req: Request,
    next: Next,
) -> Response {
    let console = state.console();
    let lang = super::context::request_language(req.headers());
    let existing = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| console.csrf.is_ours(v));
    let mut req = req;
    if !is_safe(req.method()) {
        if let Err(refusal) = check_origin(req.headers(), state.public_url()) {
            let args = [
                ("origin", refusal),
                ("public", state.public_url().to_owned()),
            ];
            return problem_page(
                StatusCode::FORBIDDEN,
                &lang,
                "console-origin-mismatch",
                &args,
            );
        }
        let Some(expected) = existing.as_deref() else {
            return problem_page(StatusCode::FORBIDDEN, &lang, "console-csrf-missing", &[]);
        };
        let (presented, rebuilt) = match presented_token(req).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), expected.as_bytes())) {
            return problem_page(StatusCode::FORBIDDEN, &lang, "console-csrf-missing", &[]);
        }
        req = rebuilt;
    }
    let fresh = existing.is_none().then(|| console.csrf.mint());
    let token = existing
        .clone()
        .or_else(|| fresh.clone())
        .unwrap_or_default();
    req.extensions_mut().insert(CsrfToken(token));
    let response = next.run(req).await;
    match fresh {
        Some(token) => (jar.add(console.csrf.cookie(token)), response).into_response(),
        None => response,
    }
}

/// `Err(origin)` when the request names an origin other than the public URL's. An opaque
/// origin (`Origin: null`: a sandboxed frame, a `data:` page, a cross-site redirect) is one.
fn check_origin(headers: &HeaderMap, public_url: &str) -> Result<(), String> {
    let public = origin_of(public_url);
    let claimed = headers
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or("null").to_owned())
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(origin_of)
        });
    match claimed {
        Some(origin) if !origin.eq_ignore_ascii_case(&public) => Err(origin),
        _ => Ok(()),
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => parsed.origin().ascii_serialization(),
        Err(_) => url.to_owned(),
    }
}

/// The token from the header, or from the urlencoded body (which is read and put back).
async fn presented_token(req: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(value) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let value = value.to_owned();
        return Ok((Some(value), req));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_signed() {
        let key = CsrfKey::new([3; 32], false);
        let token = key.mint();
        assert!(key.is_ours(&token));
        assert!(!CsrfKey::new([4; 32], false).is_ours(&token));
        assert!(!key.is_ours("abc.def"));
        assert!(!key.is_ours("no-dot"));
    }

    #[test]
    fn foreign_origins_are_refused() {
        let mut headers = HeaderMap::new();
        assert!(check_origin(&headers, "http://localhost:8080").is_ok());
        headers.insert(
            header::ORIGIN,
            "http://localhost:8080".parse().expect("literal"),
        );
        assert!(check_origin(&headers, "http://localhost:8080/").is_ok());
        headers.insert(
            header::ORIGIN,
            "https://evil.example".parse().expect("literal"),
        );
        assert_eq!(
            check_origin(&headers, "http://localhost:8080"),
            Err("https://evil.example".into())
        );
        let mut referer = HeaderMap::new();
        referer.insert(
            header::REFERER,
            "https://evil.example/x".parse().expect("literal"),
        );
        assert!(check_origin(&referer, "http://localhost:8080").is_err());
        let mut opaque = HeaderMap::new();
        opaque.insert(header::ORIGIN, "null".parse().expect("literal"));
        assert_eq!(
            check_origin(&opaque, "http://localhost:8080"),
            Err("null".into())
        );
        opaque.insert(
            header::REFERER,
            "http://localhost:8080/x".parse().expect("literal"),
        );
        assert!(
            check_origin(&opaque, "http://localhost:8080").is_err(),
            "a same-site Referer does not vouch for an opaque origin"
        );
    }
}
