//! `/users` and `/roles` for admins: the searchable user list (`list`), one user with their
//! accounts, roles, quotas and the disable switch (`detail`, `actions`), and the roles with their
//! quotas and the read-only platform mapping (`roles`). Every handler refuses (403) a session
//! without the admin permission before reading anything; core checks again.

mod actions;
mod detail;
mod link_code;
mod quota;
mod role_form;
mod role_grants;
mod roles;
/// A code as the user page shows it, right after it was made (made by [`link_code`], shown by
/// [`detail`]).
#[derive(Debug, Clone)]
pub struct IssuedCode {
    /// The code.
    pub code: String,
    /// How many minutes it works.
    pub minutes: String,
}

impl IssuedCode {
    fn new(code: LinkCode) -> Self {
        Self {
            code: code.code,
            minutes: (LINK_CODE_TTL.as_secs() / 60).to_string(),
        }
    }
}

#[cfg(test)]
mod role_tests;
#[cfg(test)]
mod tests;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Identity, Permission, UserId};
use usher_core::service::UserSummary;
use usher_core::service::link::{LINK_CODE_TTL, LinkCode};

use super::outcome::{self, OrRefused, PageError};
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::console::view;
use crate::state::AppState;

/// Users per page.
pub const PAGE_SIZE: u32 = 50;

/// The routes of the user and role pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/{id}", get(detail::show))
        .route("/users/invite", post(link_code::invite))
        .route("/users/{id}/link-code", post(link_code::issue))
        .route("/users/{id}/roles", post(actions::roles))
        .route("/users/{id}/quota", post(actions::quota))
        .route("/users/{id}/disabled", post(actions::disabled))
        .route("/roles", get(roles::show))
        .route("/roles/{name}/quota", post(roles::quota))
        .route(
            "/roles/new",
            get(role_form::new_form).post(role_form::create),
        )
        .route(
            "/roles/{name}/edit",
            get(role_form::edit_form).post(role_form::edit),
        )
        .route("/roles/delete", post(role_form::delete))
        .route("/roles/grants", post(role_grants::add))
        .route("/roles/grants/remove", post(role_grants::remove))
}

/// An account as the pages show it.
#[derive(Debug, Clone)]
pub struct IdentityView {
    /// Localized platform name.
    pub platform: String,
    /// The name shown there.
    pub display: String,
    /// The platform's id.
    pub external_id: String,
}

impl IdentityView {
    fn new(chrome: &Chrome, identity: &Identity) -> Self {
        Self {
            platform: chrome.t(&format!("console-platform-{}", identity.platform)),
            display: identity.display.clone(),
            external_id: identity.external_id.clone(),
        }
    }
}

/// A user's row.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// User id.
    pub id: i64,
    /// Their page.
    pub url: String,
    /// Display name.
    pub name: String,
    /// Disabled accounts can do nothing.
    pub disabled: bool,
    /// Their accounts.
    pub identities: Vec<IdentityView>,
    /// Roles, comma-separated.
    pub roles: String,
    /// Their own quota overrides, as text.
    pub quotas: Vec<String>,
    /// Requests they made.
    pub requests: u64,
    /// The list of their requests.
    pub requests_url: String,
    /// Requests they follow.
    pub following: u64,
    /// When they first came.
    pub created: String,
}

impl UserRow {
    /// The row for a user summary.
    pub fn new(chrome: &Chrome, summary: &UserSummary) -> Self {
        let id = summary.user.id;
        Self {
            id: id.0,
            url: format!("/users/{id}"),
            name: summary.user.display_name.clone(),
            disabled: summary.user.disabled,
            identities: summary
                .identities
                .iter()
                .map(|i| IdentityView::new(chrome, i))
                .collect(),
            roles: summary.roles.join(", "),
            quotas: summary
                .quotas
                .iter()
                .map(|(scope, limit)| {
                    format!(
                        "{}: {}",
                        view::scope(chrome, *scope),
                        view::limit(chrome, *limit)
                    )
                })
                .collect(),
            requests: summary.requests,
            requests_url: format!("/requests?requester={id}"),
            following: summary.following,
            created: view::date(chrome, summary.user.created_at),
        }
    }
}

/// The users list.
#[derive(Template)]
#[template(path = "console/users.html")]
pub struct UsersPage {
    /// Frame.
    pub chrome: Chrome,
    /// The search as typed.
    pub search: String,
    /// The role filter's options, the chosen one selected.
    pub roles: Vec<crate::console::pages::requests::Choice>,
    /// Whether a search or role filter is set (offers "clear").
    pub filtered: bool,
    /// The rows.
    pub rows: Vec<UserRow>,
    /// The next page, if any.
    pub next_url: Option<String>,
    /// The first page, when on a later one.
    pub first_url: Option<String>,
    /// A refused invitation, shown again beside its name.
    pub form: FormState,
}

/// Query of `/users`.
#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    /// Name, account or `#id`.
    pub q: Option<String>,
    /// Only members of this role (by name).
    pub role: Option<String>,
    /// Continue after this user id.
    pub after: Option<String>,
}

fn users_link(search: &str, role: &str, after: Option<UserId>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !search.is_empty() {
        query.append_pair("q", search);
    }
    if !role.is_empty() {
        query.append_pair("role", role);
    }
    if let Some(after) = after {
        query.append_pair("after", &after.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/users".to_owned()
    } else {
        format!("/users?{query}")
    }
}

/// GET /users.
pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<UsersQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let page = users_page(&state, &who, &query).await?;
    Ok(render(&page)?.into_response())
}

/// The users list for a query, as `who` may see it.
pub(super) async fn users_page(
    state: &AppState,
    who: &SignedIn,
    query: &UsersQuery,
) -> Result<UsersPage, PageError> {
    let services = state.services();
    let search = query
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let after = match query
        .after
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        Some(raw) => Some(UserId(raw.parse().map_err(|_| {
            outcome::refused(
                &who.lang,
                CoreError::Validation(format!("bad page cursor {raw:?}")),
            )
        })?)),
        None => None,
    };
    let role = query
        .role
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let found = services
        .users
        .directory_in_role(&who.actor, Some(&search), Some(&role), after, PAGE_SIZE)
        .await
        .or_refused(&who.lang)?;
    let known = services
        .users
        .roles(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(who);
    let roles = std::iter::once(crate::console::pages::requests::Choice::new(
        "",
        chrome.t("console-users-any-role"),
        Some(&role),
    ))
    .chain(known.iter().map(|r| {
        crate::console::pages::requests::Choice::new(&r.name, r.name.clone(), Some(&role))
    }))
    .collect();
    Ok(UsersPage {
        roles,
        filtered: !search.is_empty() || !role.is_empty(),
        rows: found
            .items
            .iter()
            .map(|s| UserRow::new(&chrome, s))
            .collect(),
        next_url: found
            .next
            .map(|next| users_link(&search, &role, Some(next))),
        first_url: after.map(|_| users_link(&search, &role, None)),
        search,
        form: FormState::default(),
        chrome,
    })
}
