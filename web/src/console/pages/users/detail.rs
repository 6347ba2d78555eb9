//! `GET /users/{id}`: one user — accounts, roles to grant or take away, own quotas, and the
//! disable switch.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usher_core::domain::{Permission, Permissions, UserId};
use usher_core::service::{RoleSummary, UserSummary};

use super::quota::{self, QuotaRow};
use super::{IdentityView, IssuedCode, UserRow};
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::pages::outcome::{self, OrRefused, PageError};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// A role on the user page: held or not, and what it grants.
#[derive(Debug, Clone)]
pub struct RoleLine {
    /// Role name (also the form value).
    pub name: String,
    /// Whether the user holds it.
    pub held: bool,
    /// What it grants, localized and comma-separated.
    pub grants: String,
}

/// The user page.
#[derive(Template)]
#[template(path = "console/user.html")]
pub struct UserPage {
    /// Frame.
    pub chrome: Chrome,
    /// The user's summary row.
    pub user: UserRow,
    /// Every role, held or not.
    pub roles: Vec<RoleLine>,
    /// Their own quota per counter.
    pub quotas: Vec<QuotaRow>,
    /// "Since …", "N requests", "follows N", localized.
    pub counts: [String; 3],
    /// Whether this is the reader's own account (disabling it is offered with a warning).
    pub is_self: bool,
    /// What the last action did.
    pub notice: Option<String>,
    /// A link code just made for this user, shown once.
    pub issued: Option<IssuedCode>,
    /// A refused change, shown again beside its field.
    pub form: FormState,
}

/// The localized permissions of a set, comma-separated.
pub fn grants(chrome: &Chrome, permissions: Permissions) -> String {
    if permissions.allows(Permission::Admin) {
        return chrome.t("console-perm-admin");
    }
    Permission::ALL
        .iter()
        .filter(|p| permissions.allows(**p))
        .map(|p| chrome.t(&format!("console-perm-{}", permission_key(*p))))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn permission_key(permission: Permission) -> &'static str {
    match permission {
        Permission::RequestMovie => "request-movie",
        Permission::RequestTv => "request-tv",
        Permission::Request4k => "request-4k",
        Permission::AutoApproveMovie => "auto-movie",
        Permission::AutoApproveTv => "auto-tv",
        Permission::AutoApprove4k => "auto-4k",
        Permission::Approve => "approve",
        Permission::ManageIssues => "manage-issues",
        Permission::Admin => "admin",
    }
}

impl UserPage {
    /// The page for a user, given every role.
    pub fn new(
        chrome: Chrome,
        summary: &UserSummary,
        all_roles: &[RoleSummary],
        me: UserId,
    ) -> Self {
        let roles = all_roles
            .iter()
            .map(|role| RoleLine {
                name: role.name.clone(),
                held: summary.roles.contains(&role.name),
                grants: grants(&chrome, role.permissions),
            })
            .collect();
        let user = UserRow::new(&chrome, summary);
        let counts = [
            chrome.t1("console-user-since", "date", &user.created),
            chrome.t1(
                "console-user-requests",
                "count",
                &chrome.num(summary.requests),
            ),
            chrome.t1(
                "console-user-following",
                "count",
                &chrome.num(summary.following),
            ),
        ];
        Self {
            user,
            counts,
            quotas: quota::rows(
                &chrome,
                &summary.quotas,
                "console-quota-from-roles",
                "quota",
            ),
            roles,
            is_self: summary.user.id == me,
            notice: None,
            issued: None,
            form: FormState::default(),
            chrome,
        }
    }

    /// The user's accounts.
    pub fn identities(&self) -> &[IdentityView] {
        &self.user.identities
    }
}

/// Query of the user page.
#[derive(Debug, Default, Deserialize)]
pub struct UserQuery {
    notice: Option<String>,
}

/// GET /users/{id}.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<UserQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let mut page = page(&state, &who, UserId(id)).await?;
    page.notice = outcome::notice(&page.chrome, query.notice.as_deref());
    Ok(render(&page)?.into_response())
}

/// User `id`'s page again with a refused change on it (422).
pub(super) async fn again(
    state: &AppState,
    who: &SignedIn,
    id: UserId,
    form: FormState,
) -> Result<Response, PageError> {
    let mut page = page(state, who, id).await?;
    page.form = form;
    outcome::again(&page, &page.form)
}

/// The page of user `id` as `who` may see it (core checks the admin permission).
pub(super) async fn page(
    state: &AppState,
    who: &SignedIn,
    id: UserId,
) -> Result<UserPage, PageError> {
    let services = state.services();
    let summary = services
        .users
        .profile(&who.actor, id)
        .await
        .or_refused(&who.lang)?;
    let roles = services
        .users
        .roles(&who.actor)
        .await
        .or_refused(&who.lang)?;
    Ok(UserPage::new(
        Chrome::for_user(who),
        &summary,
        &roles,
        who.user.id,
    ))
}
