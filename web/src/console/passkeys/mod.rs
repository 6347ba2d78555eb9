//! Passkey sign-in (WebAuthn, with webauthn-rs): the relying party built from the public URL,
//! the ceremony routes under `/auth/webauthn/`, and what they share — the ceremony state kept
//! server-side in `auth_flows` under a random id held in an HttpOnly cookie (single use,
//! expiring), and JSON errors the page script shows in `#passkey-error`.

pub mod login;
pub mod register;
#[cfg(test)]
mod tests;

use axum::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use usher_core::CoreError;
use usher_core::service::sessions::{ClientInfo, FLOW_TTL};
use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

use super::page::{catalog, request_language};
use crate::state::AppState;

/// Cookie holding the id of the ceremony in flight.
pub const FLOW_COOKIE: &str = "usher_webauthn";
/// Path the ceremony cookie is sent to.
const FLOW_PATH: &str = "/auth/webauthn";

/// The relying party, or why passkeys are off for this public URL.
pub struct PasskeyConfig {
    webauthn: Result<Webauthn, String>,
}

impl std::fmt::Debug for PasskeyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasskeyConfig")
            .field("problem", &self.problem())
            .finish_non_exhaustive()
    }
}

impl PasskeyConfig {
    /// The relying party for the console's public URL: its host is the RP id, its origin the
    /// one browsers must report. A URL passkeys cannot work on (an IP address, plain http other
    /// than localhost) leaves passkeys off with the reason, instead of failing to start.
    pub fn from_public_url(public_url: &str) -> Self {
        Self {
            webauthn: relying_party(public_url),
        }
    }

    /// The relying party, or the reason it is off.
    pub fn webauthn(&self) -> Result<&Webauthn, &str> {
        self.webauthn.as_ref().map_err(String::as_str)
    }

    /// Why passkeys are off, if they are.
    pub fn problem(&self) -> Option<&str> {
        self.webauthn.as_ref().err().map(String::as_str)
    }
}

fn relying_party(public_url: &str) -> Result<Webauthn, String> {
    let url = Url::parse(public_url)
        .map_err(|e| format!("USHER_PUBLIC_URL {public_url:?} is not a URL ({e})"))?;
    let Some(url::Host::Domain(host)) = url.host() else {
        return Err(format!(
            "passkeys need a host name in USHER_PUBLIC_URL, not an IP address ({public_url}); use localhost or a domain"
        ));
    };
    let local = host == "localhost" || host.ends_with(".localhost");
    if url.scheme() != "https" && !(url.scheme() == "http" && local) {
        return Err(format!(
            "passkeys need USHER_PUBLIC_URL to be https (or http://localhost), not {public_url}"
        ));
    }
    let origin = Url::parse(&url.origin().ascii_serialization())
        .map_err(|e| format!("USHER_PUBLIC_URL {public_url:?} has no origin ({e})"))?;
    WebauthnBuilder::new(host, &origin)
        .and_then(|b| b.rp_name("Usher").build())
        .map_err(|e| format!("passkeys cannot use USHER_PUBLIC_URL {public_url}: {e}"))
}

/// A refused or failed ceremony step: a status and a localized message as JSON, which the
/// script shows in `#passkey-error`.
#[derive(Debug)]
pub struct CeremonyError {
    status: StatusCode,
    key: &'static str,
    args: Vec<(&'static str, String)>,
    lang: String,
    operation: Option<String>,
}

impl CeremonyError {
    /// A refusal with a message key of console.ftl.
    pub fn new(status: StatusCode, key: &'static str, headers: &HeaderMap) -> Self {
        Self {
            status,
            key,
            args: Vec::new(),
            lang: request_language(headers),
            operation: None,
        }
    }

    /// The same with one argument.
    pub fn with(mut self, name: &'static str, value: String) -> Self {
        self.args.push((name, value));
        self
    }

    /// The ceremony state is missing, forged, expired or already used.
    pub fn expired(headers: &HeaderMap) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "console-passkey-expired", headers)
    }

    /// The authenticator's answer did not verify (wrong origin, bad signature, replay).
    pub fn failed(headers: &HeaderMap) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "console-passkey-failed", headers)
    }

    /// Whether this refusal is a failed sign-in worth counting toward a security alert: an
    /// assertion that did not verify or names no passkey we know (an expired ceremony or our
    /// own failure is not).
    pub fn is_failed_sign_in(&self) -> bool {
        matches!(
            self.key,
            "console-passkey-failed" | "console-passkey-unknown"
        )
    }

    /// A core error: refusals keep their meaning, our own failures are logged with an id.
    pub fn core(err: &CoreError, headers: &HeaderMap) -> Self {
        let lang = request_language(headers);
        let (status, key) = match err {
            CoreError::NotFound(_) => (StatusCode::NOT_FOUND, "console-passkey-unknown"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "console-forbidden"),
            CoreError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "console-name-invalid"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "console-passkey-exists"),
            _ => return Self::internal(&err.to_string(), headers),
        };
        Self {
            status,
            key,
            args: Vec::new(),
            lang,
            operation: None,
        }
    }

    /// Our own failure: logged with an operation id, which the person sees.
    pub fn internal(detail: &str, headers: &HeaderMap) -> Self {
        let operation = usher_core::crypto::random_token(6);
        tracing::error!(error = %detail, %operation, "passkey ceremony failed");
        Self {
            operation: Some(operation),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "error-internal", headers)
        }
    }

    /// Passkeys are off for this server (the public URL cannot carry them).
    pub fn unavailable(problem: &str, headers: &HeaderMap) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "console-passkey-unavailable",
            headers,
        )
        .with("reason", problem.to_owned())
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

impl IntoResponse for CeremonyError {
    fn into_response(self) -> Response {
        let mut error = catalog().text(&self.lang, self.key, &self.args);
        if let Some(id) = self.operation {
            let line = catalog().text(&self.lang, "console-error-operation", &[("id", id)]);
            error = format!("{error} {line}");
        }
        (self.status, Json(ErrorBody { error })).into_response()
    }
}

/// What a finished ceremony tells the script: where to go now.
#[derive(Debug, Serialize)]
pub struct Done {
    /// A local path.
    pub redirect: String,
}

/// The relying party and the services, or the JSON error for why not.
pub fn parts<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
) -> Result<
    (
        &'a Webauthn,
        &'a usher_core::service::Services,
        &'a super::Console,
    ),
    CeremonyError,
> {
    let (console, services) = (state.console(), state.services());
    let webauthn = console
        .passkeys
        .webauthn()
        .map_err(|problem| CeremonyError::unavailable(problem, headers))?;
    Ok((webauthn, services, console))
}

/// Keeps a ceremony's state server-side and returns the cookie naming it.
pub async fn begin(
    services: &usher_core::service::Services,
    kind: &str,
    state: &impl Serialize,
    secure: bool,
    headers: &HeaderMap,
) -> Result<Cookie<'static>, CeremonyError> {
    let json = serde_json::to_string(state)
        .map_err(|e| CeremonyError::internal(&e.to_string(), headers))?;
    let id = services
        .sessions
        .begin_flow(kind, &json)
        .await
        .map_err(|e| CeremonyError::core(&e, headers))?;
    let max_age = i64::try_from(FLOW_TTL.as_secs()).unwrap_or(600);
    Ok(Cookie::build((FLOW_COOKIE, id))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path(FLOW_PATH)
        .max_age(time::Duration::seconds(max_age))
        .build())
}

/// Takes the ceremony named by the cookie back, once; a missing, forged, expired, reused or
/// unreadable one is refused.
pub async fn take<T: DeserializeOwned>(
    services: &usher_core::service::Services,
    kind: &str,
    jar: &CookieJar,
    headers: &HeaderMap,
) -> Result<T, CeremonyError> {
    let Some(id) = jar.get(FLOW_COOKIE).map(|c| c.value().to_owned()) else {
        return Err(CeremonyError::expired(headers));
    };
    let state = services
        .sessions
        .take_flow(kind, &id)
        .await
        .map_err(|e| CeremonyError::core(&e, headers))?
        .ok_or_else(|| CeremonyError::expired(headers))?;
    serde_json::from_str(&state).map_err(|_| CeremonyError::expired(headers))
}

/// A cookie that removes the ceremony cookie.
pub fn flow_removal(secure: bool) -> Cookie<'static> {
    Cookie::build((FLOW_COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path(FLOW_PATH)
        .max_age(time::Duration::ZERO)
        .build()
}

/// Where the request came from, for the session list and the audit log.
pub fn client_info(console: &super::Console, parts: &axum::http::request::Parts) -> ClientInfo {
    ClientInfo {
        ip: console.client_ip.of(parts).map(|ip| ip.to_string()),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// A credential id as stored: base64url without padding.
pub fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}
