//! `POST /auth/webauthn/login/start|finish`: signing in with a discoverable passkey. No user
//! name is asked: the authenticator offers its credentials for this site, and the user handle
//! and credential id it answers with find the account.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{DiscoverableAuthentication, Passkey, PublicKeyCredential};

use super::{CeremonyError, Done, begin, client_info, credential_key, flow_removal, parts, take};
use crate::alerts;
use crate::console::signed_in::safe_next;
use crate::state::AppState;

/// `auth_flows` kind of a sign-in.
const KIND: &str = "webauthn_login";

/// A sign-in in flight.
#[derive(Debug, Serialize, Deserialize)]
struct LoginFlow {
    authentication: DiscoverableAuthentication,
}

/// The authenticator's answer and where to go afterwards.
#[derive(Debug, Deserialize)]
pub struct LoginFinish {
    credential: PublicKeyCredential,
    #[serde(default)]
    next: Option<String>,
}

/// POST /auth/webauthn/login/start: the options for `navigator.credentials.get()`.
pub async fn start(
    State(state): State<AppState>,
    req: Parts,
    jar: CookieJar,
) -> Result<Response, CeremonyError> {
    let headers = &req.headers;
    let (webauthn, services, console) = parts(&state, headers)?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(|e| CeremonyError::internal(&e.to_string(), headers))?;
    // webauthn-rs marks this for autofill ("conditional") UI; the button asks in a dialog.
    options.mediation = None;
    let flow = LoginFlow { authentication };
    let cookie = begin(services, KIND, &flow, console.sessions.secure(), headers).await?;
    Ok((jar.add(cookie), Json(options)).into_response())
}

/// POST /auth/webauthn/login/finish: verifies the assertion, starts a session and sets its
/// cookie. A refused assertion counts toward a failed sign-in alert.
pub async fn finish(
    State(state): State<AppState>,
    req: Parts,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, CeremonyError> {
    let result = verify(&state, &req, jar, &body).await;
    if let Err(err) = &result
        && err.is_failed_sign_in()
    {
        alerts::failed_sign_in(&state, &req, "passkey").await;
    }
    result
}

/// The sign-in [`finish`] answers with.
async fn verify(
    state: &AppState,
    req: &Parts,
    jar: CookieJar,
    body: &[u8],
) -> Result<Response, CeremonyError> {
    let headers = &req.headers;
    let (webauthn, services, console) = parts(state, headers)?;
    // Taken first: a replayed or failed answer finds nothing to finish.
    let flow: LoginFlow = take(services, KIND, &jar, headers).await?;
    let jar = jar.add(flow_removal(console.sessions.secure()));
    let answer: LoginFinish =
        serde_json::from_slice(body).map_err(|_| CeremonyError::failed(headers))?;
    let (handle, credential_id) = webauthn
        .identify_discoverable_authentication(&answer.credential)
        .map(|(handle, id)| (handle.to_string(), credential_key(id)))
        .map_err(|_| CeremonyError::failed(headers))?;
    let stored = services
        .passkeys
        .for_sign_in(&handle, &credential_id)
        .await
        .map_err(|e| CeremonyError::core(&e, headers))?
        .ok_or_else(|| {
            CeremonyError::new(StatusCode::BAD_REQUEST, "console-passkey-unknown", headers)
        })?;
    let mut passkey: Passkey = serde_json::from_str(&stored.credential).map_err(|e| {
        CeremonyError::internal(&format!("stored passkey unreadable: {e}"), headers)
    })?;
    let result = webauthn
        .finish_discoverable_authentication_v2(&answer.credential, flow.authentication, &passkey)
        .map_err(|e| {
            tracing::info!(error = %e, "passkey sign-in refused");
            CeremonyError::failed(headers)
        })?;
    let updated = match passkey.update_credential(&result) {
        Some(true) => Some(
            serde_json::to_string(&passkey)
                .map_err(|e| CeremonyError::internal(&e.to_string(), headers))?,
        ),
        _ => None,
    };
    services
        .passkeys
        .record_sign_in(&stored.credential_id, updated.as_deref())
        .await
        .map_err(|e| CeremonyError::core(&e, headers))?;
    let client = client_info(console, req);
    let session = services
        .sessions
        .start(stored.user, "passkey", &client)
        .await
        .map_err(|e| CeremonyError::core(&e, headers))?;
    let done = Done {
        redirect: safe_next(answer.next.as_deref()),
    };
    Ok((jar.add(console.sessions.cookie(&session)), Json(done)).into_response())
}
