//! A fake plex.tv for "Sign in with Plex": the PIN endpoints Plex's apps use, and the account
//! endpoint a token opens.
//!
//! - `POST /api/v2/pins?strong=true` with `X-Plex-Product` and `X-Plex-Client-Identifier`
//!   (400 without them) → 201 `{id, code, authToken: null, …}`.
//! - `GET /api/v2/pins/{id}?code=…` with the same client id → the PIN, `authToken` set once a
//!   test [`FakePlexTv::approve`]s it; 404 for an unknown id, another code or another client.
//! - `GET /api/v2/user` with `X-Plex-Token` → `{id, uuid, username, email, thumb}`; 401 for an
//!   unknown token, or for every token after [`FakePlexTv::refuse_tokens`].
//!
//! plex.tv being down is the server's [`crate::Faults::go_down`].

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::server::FakeServer;

/// A plex.tv account as the fake's user endpoint describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlexTvUser {
    /// plex.tv's numeric user id.
    pub id: u64,
    /// User name.
    pub username: String,
    /// E-mail address.
    pub email: String,
}

impl PlexTvUser {
    /// An account with this id and name (and a made-up address).
    pub fn new(id: u64, username: &str) -> Self {
        Self {
            id,
            username: username.to_owned(),
            email: format!("{username}@plex.example"),
        }
    }
}

#[derive(Debug)]
struct Pin {
    id: u64,
    code: String,
    client: String,
    /// Set by [`FakePlexTv::approve`]: the token and whose it is.
    approved: Option<(String, PlexTvUser)>,
}

#[derive(Debug, Default)]
struct Accounts {
    pins: Vec<Pin>,
    next: u64,
    refuse_tokens: bool,
}

type Shared = Arc<Mutex<Accounts>>;

/// A running fake plex.tv.
pub struct FakePlexTv {
    /// The server (URL, recorded requests, faults).
    pub server: FakeServer,
    accounts: Shared,
}

impl FakePlexTv {
    /// Starts the fake on loopback.
    pub async fn start() -> Self {
        let accounts: Shared = Arc::default();
        let router = Router::new()
            .route("/api/v2/pins", post(create_pin))
            .route("/api/v2/pins/{id}", get(read_pin))
            .route("/api/v2/user", get(user))
            .with_state(accounts.clone());
        Self {
            server: FakeServer::start(router).await,
            accounts,
        }
    }

    /// The code of the PIN created last, as the Plex app would show it.
    pub fn last_code(&self) -> Option<String> {
        lock(&self.accounts).pins.last().map(|p| p.code.clone())
    }

    /// The person signed in to plex.tv as `user` allows the PIN with this code; returns the
    /// token plex.tv hands out for it (so tests can check it is nowhere), or `None` for an
    /// unknown code.
    pub fn approve(&self, code: &str, user: &PlexTvUser) -> Option<String> {
        let mut accounts = lock(&self.accounts);
        let pin = accounts.pins.iter_mut().find(|p| p.code == code)?;
        let token = format!("plxTok{:04}Zq8vN3sW", pin.id);
        pin.approved = Some((token.clone(), user.clone()));
        Some(token)
    }

    /// From now on the user endpoint refuses every token (401), as for a revoked one.
    pub fn refuse_tokens(&self) {
        lock(&self.accounts).refuse_tokens = true;
    }
}

fn lock(accounts: &Shared) -> MutexGuard<'_, Accounts> {
    accounts.lock().unwrap_or_else(|p| p.into_inner())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

fn pin_json(pin: &Pin) -> serde_json::Value {
    json!({
        "id": pin.id,
        "code": pin.code,
        "product": "Usher",
        "trusted": false,
        "qr": format!("https://plex.tv/api/v2/pins/qr/{}", pin.code),
        "clientIdentifier": pin.client,
        "location": { "code": "DE", "country": "Germany" },
        "expiresIn": 1800,
        "createdAt": "2026-12-06T11:00:00Z",
        "expiresAt": "2026-12-06T11:30:00Z",
        "authToken": pin.approved.as_ref().map(|(token, _)| token.clone()),
        "newRegistration": null,
    })
}

async fn create_pin(State(accounts): State<Shared>, headers: HeaderMap) -> Response {
    let (Some(_), Some(client)) = (
        header(&headers, "x-plex-product"),
        header(&headers, "x-plex-client-identifier"),
    ) else {
        let body = json!({ "errors": [{ "code": 1000, "message": "X-Plex-Client-Identifier is missing" }] });
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    };
    let mut accounts = lock(&accounts);
    accounts.next += 1;
    let id = 4_000_000 + accounts.next;
    let pin = Pin {
        id,
        code: format!("k{:06}mq4tz8r2w6x9c3vb5n7hj", accounts.next),
        client: client.to_owned(),
        approved: None,
    };
    let body = pin_json(&pin);
    accounts.pins.push(pin);
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn read_pin(
    State(accounts): State<Shared>,
    Path(id): Path<u64>,
    Query(query): Query<CodeQuery>,
    headers: HeaderMap,
) -> Response {
    let client = header(&headers, "x-plex-client-identifier");
    let accounts = lock(&accounts);
    let found = accounts.pins.iter().find(|p| {
        p.id == id
            && Some(p.client.as_str()) == client
            && query.code.as_deref().is_none_or(|c| c == p.code)
    });
    match found {
        Some(pin) => axum::Json(pin_json(pin)).into_response(),
        None => not_found(),
    }
}

async fn user(State(accounts): State<Shared>, headers: HeaderMap) -> Response {
    let accounts = lock(&accounts);
    let token = header(&headers, "x-plex-token");
    let owner = accounts
        .pins
        .iter()
        .filter_map(|p| p.approved.as_ref())
        .find(|(t, _)| Some(t.as_str()) == token)
        .map(|(_, user)| user)
        .filter(|_| !accounts.refuse_tokens);
    let Some(user) = owner else {
        let body = json!({ "errors": [{ "code": 1001, "message": "User could not be authenticated", "status": 401 }] });
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    };
    axum::Json(json!({
        "id": user.id,
        "uuid": format!("{:016x}", user.id),
        "username": user.username,
        "title": user.username,
        "email": user.email,
        "thumb": format!("https://plex.tv/users/{:016x}/avatar", user.id),
        "hasPassword": true,
    }))
    .into_response()
}

fn not_found() -> Response {
    let body = json!({ "errors": [{ "code": 1020, "message": "Code not found or expired", "status": 404 }] });
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}
