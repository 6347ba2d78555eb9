//! `/settings/api-keys` (admins): the API keys machines use, as `usher admin api-key` manages
//! them: listed by name, scopes, creation and last use (never the key), made with a name and
//! scopes (the key is shown once, on the answer to the form, and never again: no redirect
//! carries it), and revoked behind the usual confirmation. Core checks the admin and audits.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use secrecy::ExposeSecret as _;
use serde::Deserialize;
use usher_core::domain::{Permission, Scope};

use super::outcome::{self, NoticeQuery, OrRefused, PageError, done};
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// Where the page lives.
const HERE: &str = "/settings/api-keys";

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(HERE, get(page).post(create))
        .route("/settings/api-keys/revoke", post(revoke))
}

/// One live key as listed.
#[derive(Debug, Clone)]
pub struct KeyRow {
    /// Its name (also its machine user's).
    pub name: String,
    /// Its scopes, comma-joined as typed.
    pub scopes: String,
    /// When it was made, in the reader's language.
    pub created: String,
    /// When it was last used, or the word for never.
    pub last_used: String,
}

/// A scope checkbox of the create form.
#[derive(Debug, Clone)]
pub struct ScopeChoice {
    /// `read`, `request`, …
    pub value: &'static str,
    /// What it allows, in the reader's language.
    pub label: String,
    /// Ticked (the form shown again keeps the ticks).
    pub checked: bool,
}

/// The page.
#[derive(Template)]
#[template(path = "console/api_keys.html")]
pub struct ApiKeysPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every live key.
    pub keys: Vec<KeyRow>,
    /// The create form's name, kept when it is shown again.
    pub name: String,
    /// The create form's scopes.
    pub scopes: Vec<ScopeChoice>,
    /// Why the create form was refused.
    pub problem: Option<String>,
    /// A key just made: (name, key), shown once.
    pub made: Option<(String, String)>,
    /// What the last action did.
    pub notice: Option<String>,
}

/// GET /settings/api-keys.
pub async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let chrome = Chrome::for_user(&who);
    let notice = outcome::notice(&chrome, query.notice.as_deref());
    let form = Shown {
        notice,
        ..Shown::default()
    };
    let page = build(&state, &who, chrome, form).await?;
    Ok(render(&page)?.into_response())
}

/// What the page shows beside the list.
#[derive(Debug, Default)]
struct Shown {
    name: String,
    ticked: Vec<String>,
    problem: Option<String>,
    made: Option<(String, String)>,
    notice: Option<String>,
}

async fn build(
    state: &AppState,
    who: &SignedIn,
    chrome: Chrome,
    shown: Shown,
) -> Result<ApiKeysPage, PageError> {
    let listed = state
        .services()
        .api_keys
        .list(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let keys = listed
        .iter()
        .map(|k| KeyRow {
            name: k.name.clone(),
            scopes: k.scopes.to_string(),
            created: chrome.when(k.created_at),
            last_used: k
                .last_used_at
                .map_or_else(|| chrome.t("console-apikeys-never"), |at| chrome.when(at)),
        })
        .collect();
    let scopes = Scope::ALL
        .into_iter()
        .map(|s| ScopeChoice {
            value: s.as_str(),
            label: chrome.t(&format!("console-apikeys-scope-{}", s.as_str())),
            checked: shown.ticked.iter().any(|t| t == s.as_str()),
        })
        .collect();
    Ok(ApiKeysPage {
        chrome,
        keys,
        name: shown.name,
        scopes,
        problem: shown.problem,
        made: shown.made,
        notice: shown.notice,
    })
}

/// POST /settings/api-keys: makes a key and shows it once, or the form again with why not.
pub async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let chrome = Chrome::for_user(&who);
    let name = fields
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.clone())
        .collect();
    let mut shown = Shown {
        name: name.clone(),
        ticked: ticked.clone(),
        ..Shown::default()
    };
    let status = if ticked.is_empty() {
        shown.problem = Some(chrome.t("console-apikeys-pick-scope"));
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match state
            .services()
            .api_keys
            .create(&who.actor, &name, &ticked.join(","))
            .await
        {
            Ok(made) => {
                shown = Shown {
                    made: Some((
                        made.summary.name.clone(),
                        made.secret.expose_secret().to_owned(),
                    )),
                    ..Shown::default()
                };
                StatusCode::OK
            }
            Err(err) => {
                let (code, text) = outcome::form_refusal(&who.lang, err)?;
                shown.problem = Some(text);
                StatusCode::from_u16(code).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
            }
        }
    };
    let page = build(&state, &who, chrome, shown).await?;
    let mut response = (status, render(&page)?).into_response();
    // The one answer that holds the key: never stored by a browser or a proxy.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// The revoke form.
#[derive(Debug, Deserialize)]
pub struct RevokeFields {
    /// The key's name.
    pub name: String,
}

/// POST /settings/api-keys/revoke.
pub async fn revoke(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<RevokeFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    state
        .services()
        .api_keys
        .revoke(&who.actor, &fields.name)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, HERE, "removed"))
}
