//! `GET /auth/oidc/login` (off to the provider) and `GET /auth/oidc/callback` (back, signed in).
//!
//! The ceremony state (PKCE verifier, nonce, where to go next) is kept server-side under the
//! `state` value and taken back exactly once. The same value rides in a short-lived cookie
//! scoped to `/auth/oidc`, so a callback URL carried to another browser (login CSRF) is refused.

use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::crypto::{constant_time_eq, random_token};
use usher_core::service::OidcRefusal;
use usher_core::service::sessions::{ClientInfo, FLOW_TTL};

use crate::alerts;
use crate::console::Console;
use crate::console::oidc::{OidcError, OidcFlow};
use crate::console::page::{catalog, error_response, problem_page, request_language};
use crate::console::session_cookie::ceremony_cookie;
use crate::console::signed_in::safe_next;
use crate::error::WebError;
use crate::state::AppState;

/// Cookie binding a started sign-in to the browser that started it.
pub const OIDC_COOKIE: &str = "usher_oidc";
/// Kind of the kept ceremony state.
const FLOW_KIND: &str = "oidc";
/// Path the binding cookie is sent to.
const COOKIE_PATH: &str = "/auth/oidc";

/// Query of `/auth/oidc/login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Query of `/auth/oidc/callback`: a code and our state, or the provider's error.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The provider's issuer (RFC 9207), against mix-up attacks when several are in play.
    iss: Option<String>,
}

/// GET /auth/oidc/login: keeps the ceremony state and sends the browser to the provider (303).
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    parts: Parts,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let (console, services) = (state.console(), state.services());
    let lang = request_language(&parts.headers);
    let Some(oidc) = &console.oidc else {
        return Ok(problem_page(
            StatusCode::NOT_FOUND,
            &lang,
            "console-oidc-off",
            &[],
        ));
    };
    let started = match oidc.start(safe_next(query.next.as_deref())).await {
        Ok(started) => started,
        Err(err) => return Ok(failure(console, &lang, &err)),
    };
    let kept = serde_json::to_string(&started.flow).map_err(|e| CoreError::Unexpected(e.into()))?;
    services
        .sessions
        .put_flow(&started.state, FLOW_KIND, &kept)
        .await?;
    let binding = binding_cookie(console, started.state, FLOW_TTL.as_secs());
    Ok((jar.add(binding), Redirect::to(&started.url)).into_response())
}

/// GET /auth/oidc/callback: checks the state, exchanges the code, verifies the ID token, lets
/// core decide who this is and what they may do, then starts a session and goes on (303).
pub async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    parts: Parts,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, WebError> {
    let (console, services) = (state.console(), state.services());
    let lang = request_language(&parts.headers);
    let Some(oidc) = &console.oidc else {
        return Ok(problem_page(
            StatusCode::NOT_FOUND,
            &lang,
            "console-oidc-off",
            &[],
        ));
    };
    let provider = provider_name(console);
    let bound = jar.get(OIDC_COOKIE).map(|c| c.value().to_owned());
    // The binding cookie is single-use whatever happens next.
    let jar = jar.add(binding_cookie(console, String::new(), 0));
    let page = |status: StatusCode, key: &str, args: &[(&str, String)]| {
        (jar.clone(), problem_page(status, &lang, key, args)).into_response()
    };

    // Taken first: whatever the outcome, this state cannot be used again.
    let kept = match query.state.as_deref() {
        Some(state) => services.sessions.take_flow(FLOW_KIND, state).await?,
        None => None,
    };
    if let Some(error) = query.error.as_deref() {
        tracing::info!(error = %short_code(error), "OIDC provider returned an error");
        return Ok(match error {
            "access_denied" => page(
                StatusCode::FORBIDDEN,
                "console-oidc-denied",
                &[("provider", provider)],
            ),
            other => page(
                StatusCode::BAD_REQUEST,
                "console-oidc-provider-error",
                &[("provider", provider), ("code", short_code(other))],
            ),
        });
    }
    let same_browser = match (query.state.as_deref(), bound.as_deref()) {
        (Some(state), Some(cookie)) => constant_time_eq(state.as_bytes(), cookie.as_bytes()),
        _ => false,
    };
    let flow = kept
        .filter(|_| same_browser)
        .and_then(|json| serde_json::from_str::<OidcFlow>(&json).ok());
    let (Some(flow), Some(code)) = (flow, query.code) else {
        alerts::failed_sign_in(&state, &parts, "oidc").await;
        return Ok(page(StatusCode::BAD_REQUEST, "console-oidc-state", &[]));
    };
    if query.iss.as_deref().is_some_and(|iss| iss != oidc.issuer()) {
        tracing::warn!(iss = ?query.iss, "OIDC callback names another issuer");
        alerts::failed_sign_in(&state, &parts, "oidc").await;
        return Ok(page(
            StatusCode::BAD_REQUEST,
            "console-oidc-invalid",
            &[("provider", provider)],
        ));
    }

    let verified = match oidc.finish(code, &flow).await {
        Ok(verified) => verified,
        Err(err) => {
            if matches!(err, OidcError::Invalid(_)) {
                alerts::failed_sign_in(&state, &parts, "oidc").await;
            }
            return Ok((jar.clone(), failure(console, &lang, &err)).into_response());
        }
    };
    let outcome = services
        .users
        .sign_in_oidc(
            &verified.issuer,
            &verified.subject,
            &verified.display,
            &verified.groups,
            oidc.roles(),
        )
        .await?;
    let user = match outcome {
        Ok(user) => user,
        Err(refusal) => {
            tracing::info!(subject = %verified.subject, ?refusal, groups = ?verified.groups, "OIDC sign-in refused");
            alerts::failed_sign_in(&state, &parts, "oidc").await;
            let key = match refusal {
                OidcRefusal::NotInAllowedGroup => "console-oidc-not-allowed",
                OidcRefusal::NotRegistered => "console-oidc-not-registered",
                OidcRefusal::Disabled => "console-oidc-disabled",
            };
            return Ok(page(StatusCode::FORBIDDEN, key, &[("provider", provider)]));
        }
    };
    let client = ClientInfo {
        ip: console.client_ip.of(&parts).map(|ip| ip.to_string()),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let session = services.sessions.start(user.id, "oidc", &client).await?;
    let jar = jar.add(console.sessions.cookie(&session));
    Ok((jar, Redirect::to(&safe_next(Some(&flow.next)))).into_response())
}

/// The binding cookie (an empty value with `max_age` 0 removes it). `SameSite=Lax`: the
/// provider's redirect back is a top-level navigation from another site.
fn binding_cookie(console: &Console, state: String, max_age: u64) -> Cookie<'static> {
    let secure = console.sessions.secure();
    ceremony_cookie(OIDC_COOKIE, COOKIE_PATH, state, max_age, secure)
}

fn provider_name(console: &Console) -> String {
    console
        .oidc_provider
        .clone()
        .unwrap_or_else(|| "OIDC".to_owned())
}

/// The provider's error code as shown: OAuth codes are short `snake_case`; anything else is
/// not echoed.
fn short_code(code: &str) -> String {
    if !code.is_empty()
        && code.len() <= 40
        && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        code.to_owned()
    } else {
        "error".to_owned()
    }
}

/// The page for a failed step, with an operation id matching the logged cause.
fn failure(console: &Console, lang: &str, err: &OidcError) -> Response {
    let operation = random_token(6);
    tracing::warn!(%operation, error = %err, "OIDC sign-in failed");
    let (status, key) = match err {
        OidcError::Config(_) | OidcError::Unavailable(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, "console-oidc-unavailable")
        }
        OidcError::Exchange(_) => (StatusCode::BAD_GATEWAY, "console-oidc-failed"),
        OidcError::Invalid(_) => (StatusCode::BAD_GATEWAY, "console-oidc-invalid"),
    };
    let message = catalog().text(lang, key, &[("provider", provider_name(console))]);
    error_response(status, lang, message, Some(operation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::ConsoleOptions;

    fn console() -> Console {
        Console::new(ConsoleOptions {
            sign_in_per_minute: 10,
            oidc_provider: Some("auth.example.org".into()),
            ..ConsoleOptions::for_tests("https://usher.example.org")
        })
    }

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn failures_get_localized_pages_with_an_operation_id() {
        let console = console();
        let cases = [
            (
                OidcError::Unavailable("connection refused".into()),
                503,
                "auth.example.org cannot be reached",
            ),
            (
                OidcError::Exchange("invalid_grant".into()),
                502,
                "did not complete the sign-in",
            ),
            (
                OidcError::Invalid("bad signature".into()),
                502,
                "could not be verified",
            ),
        ];
        for (err, status, text) in cases {
            let response = failure(&console, "en-US", &err);
            assert_eq!(response.status().as_u16(), status);
            let html = body(response).await;
            assert!(html.contains(text), "{html}");
            assert!(html.contains("Operation id: "), "{html}");
            assert!(
                !html.contains("signature") && !html.contains("refused</"),
                "no cause shown: {html}"
            );
        }
        let german = body(failure(&console, "de", &OidcError::Invalid("x".into()))).await;
        assert!(german.contains("ließ sich nicht prüfen"), "{german}");
    }

    #[test]
    fn provider_error_codes_are_echoed_only_when_harmless() {
        assert_eq!(short_code("access_denied"), "access_denied");
        assert_eq!(short_code("login_required"), "login_required");
        assert_eq!(short_code("<script>alert(1)</script>"), "error");
        assert_eq!(short_code(&"a".repeat(41)), "error");
        assert_eq!(short_code(""), "error");
    }

    #[test]
    fn the_binding_cookie_is_scoped_and_locked_down() {
        let console = console();
        let text = binding_cookie(&console, "st".into(), 600).to_string();
        for part in [
            "usher_oidc=st",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/auth/oidc",
            "Max-Age=600",
        ] {
            assert!(text.contains(part), "{text}");
        }
        let removal = binding_cookie(&console, String::new(), 0).to_string();
        assert!(removal.contains("Max-Age=0"), "{removal}");
    }

    #[test]
    fn every_oidc_message_exists_in_every_language() {
        let keys = [
            "console-oidc-off",
            "console-oidc-unavailable",
            "console-oidc-failed",
            "console-oidc-invalid",
            "console-oidc-state",
            "console-oidc-denied",
            "console-oidc-provider-error",
            "console-oidc-not-allowed",
            "console-oidc-not-registered",
            "console-oidc-disabled",
        ];
        for lang in ["en-US", "de"] {
            let known = catalog().keys(lang);
            for key in keys {
                assert!(known.iter().any(|k| k == key), "{lang} lacks {key}");
            }
        }
    }
}
