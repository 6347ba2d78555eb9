//! `POST /auth/webauthn/register/start|finish`: registering a passkey, either as the first
//! admin from the one-time setup link (which also signs them in) or as a signed-in user adding
//! another passkey to their account.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use usher_core::crypto::{constant_time_eq, hash_token};
use usher_core::domain::{Source, UserId};
use usher_core::service::passkeys::{self as core_passkeys, FirstAdmin, NewPasskey};
use webauthn_rs::prelude::{CredentialID, PasskeyRegistration, RegisterPublicKeyCredential, Uuid};

use webauthn_rs_proto::ResidentKeyRequirement;

use super::{CeremonyError, Done, begin, client_info, credential_key, flow_removal, parts, take};
use crate::alerts;
use crate::console::page::{catalog, request_language};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// `auth_flows` kind of a registration.
const KIND: &str = "webauthn_register";

/// What the page asks to register.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterStart {
    /// The token of `/setup/{token}`: register the first admin.
    #[serde(default)]
    setup_token: Option<String>,
    /// The first admin's name (setup only).
    #[serde(default)]
    display_name: Option<String>,
    /// What to call the passkey (a default when empty).
    #[serde(default)]
    name: Option<String>,
}

/// Why the ceremony runs, kept with its state.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Purpose {
    /// First admin; the token itself is presented again at the finish, only its hash is kept.
    Setup {
        token_hash: String,
        display_name: String,
    },
    /// Another passkey for a signed-in user.
    Add { user: i64 },
}

/// A registration in flight.
#[derive(Debug, Serialize, Deserialize)]
struct RegisterFlow {
    purpose: Purpose,
    handle: String,
    name: String,
    registration: PasskeyRegistration,
}

/// The authenticator's answer.
#[derive(Debug, Deserialize)]
pub struct RegisterFinish {
    credential: RegisterPublicKeyCredential,
    #[serde(default)]
    setup_token: Option<String>,
}

/// POST /auth/webauthn/register/start: the options for `navigator.credentials.create()`.
pub async fn start(
    State(state): State<AppState>,
    mut req: Parts,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, CeremonyError> {
    let headers = req.headers.clone();
    let (webauthn, services, console) = parts(&state, &headers)?;
    let ask: RegisterStart =
        serde_json::from_slice(&body).map_err(|_| CeremonyError::failed(&headers))?;
    let lang = request_language(&headers);
    let name = match ask.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => catalog().text(&lang, "console-passkey-default-name", &[]),
    };
    let name = core_passkeys::passkey_name(&name).map_err(|_| {
        CeremonyError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "console-name-invalid",
            &headers,
        )
    })?;

    let (purpose, handle, user_name, exclude) = match ask.setup_token {
        Some(token) => {
            let valid = token.len() <= 128
                && services
                    .setup
                    .is_valid(&token)
                    .await
                    .map_err(|e| CeremonyError::core(&e, &headers))?;
            if !valid {
                alerts::failed_sign_in(&state, &req, "setup_link").await;
                return Err(setup_gone(&headers));
            }
            let display_name =
                core_passkeys::display_name(ask.display_name.as_deref().unwrap_or_default())
                    .map_err(|_| {
                        CeremonyError::new(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "console-name-invalid",
                            &headers,
                        )
                    })?;
            let purpose = Purpose::Setup {
                token_hash: hash_token(&token),
                display_name: display_name.clone(),
            };
            (purpose, Uuid::new_v4(), display_name, None)
        }
        None => {
            let who = SignedIn::from_request_parts(&mut req, &state)
                .await
                .map_err(|_| {
                    CeremonyError::new(
                        StatusCode::UNAUTHORIZED,
                        "console-passkey-sign-in-first",
                        &headers,
                    )
                })?;
            let info = services
                .passkeys
                .registration_info(&who.actor, who.user.id)
                .await
                .map_err(|e| CeremonyError::core(&e, &headers))?;
            let handle = info
                .handle
                .as_deref()
                .and_then(|h| Uuid::parse_str(h).ok())
                .unwrap_or_else(Uuid::new_v4);
            let exclude: Vec<CredentialID> = info
                .credential_ids
                .iter()
                .filter_map(|id| decode_id(id))
                .collect();
            let purpose = Purpose::Add {
                user: who.user.id.0,
            };
            (purpose, handle, info.user.display_name, Some(exclude))
        }
    };

    let (mut options, registration) = webauthn
        .start_passkey_registration(handle, &user_name, &user_name, exclude)
        .map_err(|e| CeremonyError::internal(&e.to_string(), &headers))?;
    // Passkeys here are discoverable: sign-in asks for no user name, so the authenticator must
    // keep the credential (webauthn-rs only prefers it; the registration does not depend on it).
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let flow = RegisterFlow {
        purpose,
        handle: handle.to_string(),
        name,
        registration,
    };
    let secure = console.sessions.secure();
    let cookie = begin(services, KIND, &flow, secure, &headers).await?;
    Ok((jar.add(cookie), Json(options)).into_response())
}

/// POST /auth/webauthn/register/finish: verifies the new credential and stores it (signing the
/// first admin in).
pub async fn finish(
    State(state): State<AppState>,
    mut req: Parts,
    jar: CookieJar,
    body: Bytes,
) -> Result<Response, CeremonyError> {
    let headers = req.headers.clone();
    let (webauthn, services, console) = parts(&state, &headers)?;
    // The state is taken first, so a replayed or failed answer cannot be tried again.
    let flow: RegisterFlow = take(services, KIND, &jar, &headers).await?;
    let secure = console.sessions.secure();
    let jar = jar.add(flow_removal(secure));
    let answer: RegisterFinish =
        serde_json::from_slice(&body).map_err(|_| CeremonyError::failed(&headers))?;
    let passkey = webauthn
        .finish_passkey_registration(&answer.credential, &flow.registration)
        .map_err(|e| {
            tracing::info!(error = %e, "passkey registration refused");
            CeremonyError::failed(&headers)
        })?;
    let serialized = serde_json::to_string(&passkey)
        .map_err(|e| CeremonyError::internal(&e.to_string(), &headers))?;
    let new = NewPasskey {
        handle: flow.handle,
        credential_id: credential_key(passkey.cred_id().as_ref()),
        name: flow.name,
        credential: serialized,
    };
    match flow.purpose {
        Purpose::Setup {
            token_hash,
            display_name,
        } => {
            let token = answer.setup_token.unwrap_or_default();
            if !constant_time_eq(hash_token(&token).as_bytes(), token_hash.as_bytes()) {
                return Err(setup_gone(&headers));
            }
            let client = client_info(console, &req);
            let setup = FirstAdmin {
                setup_token: token,
                display_name,
                passkey: new,
                source: Source::Web {
                    ip: client.ip.clone(),
                },
            };
            let user = services
                .passkeys
                .first_admin(setup)
                .await
                .map_err(|e| match e {
                    usher_core::CoreError::Forbidden(_) => setup_gone(&headers),
                    other => CeremonyError::core(&other, &headers),
                })?;
            let session = services
                .sessions
                .start(user.id, "passkey", &client)
                .await
                .map_err(|e| CeremonyError::core(&e, &headers))?;
            let jar = jar.add(console.sessions.cookie(&session));
            let done = Done {
                redirect: "/".into(),
            };
            Ok((jar, Json(done)).into_response())
        }
        Purpose::Add { user } => {
            let who = SignedIn::from_request_parts(&mut req, &state)
                .await
                .map_err(|_| {
                    CeremonyError::new(
                        StatusCode::UNAUTHORIZED,
                        "console-passkey-sign-in-first",
                        &headers,
                    )
                })?;
            if who.user.id != UserId(user) {
                return Err(CeremonyError::new(
                    StatusCode::FORBIDDEN,
                    "console-forbidden",
                    &headers,
                ));
            }
            services
                .passkeys
                .add(&who.actor, who.user.id, new)
                .await
                .map_err(|e| CeremonyError::core(&e, &headers))?;
            let done = Done {
                redirect: "/account?done=added".into(),
            };
            Ok((jar, Json(done)).into_response())
        }
    }
}

fn setup_gone(headers: &axum::http::HeaderMap) -> CeremonyError {
    CeremonyError::new(StatusCode::FORBIDDEN, "console-setup-gone", headers)
}

fn decode_id(id: &str) -> Option<CredentialID> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .ok()
}
