//! `GET /roles` and `POST /roles/{name}/quota`: every role with what it grants, how many hold
//! it and its quotas (editable), and how platform groups map to roles (from the settings,
//! read-only here).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use usher_core::domain::Permission;
use usher_core::service::RoleSummary;

use super::detail::grants;
use super::quota::{self, QuotaInput, QuotaRow};
use crate::console::page::{Chrome, render};
use crate::console::pages::outcome::{self, OrRefused, PageError, done};
use crate::console::pages_setup::RoleMapping;
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// A role on the roles page.
#[derive(Debug, Clone)]
pub struct RoleView {
    /// Name (also in the form's URL).
    pub name: String,
    /// What it grants.
    pub grants: String,
    /// "N members", localized.
    pub members: String,
    /// One of the built-in roles.
    pub builtin: bool,
    /// Its quota per counter.
    pub quotas: Vec<QuotaRow>,
}

/// One mapping rule, for reading.
#[derive(Debug, Clone)]
pub struct MappingView {
    /// What is matched, localized.
    pub kind: String,
    /// The id or group.
    pub value: String,
    /// The role it gives.
    pub role: String,
}

/// The roles page.
#[derive(Template)]
#[template(path = "console/roles.html")]
pub struct RolesPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every role.
    pub roles: Vec<RoleView>,
    /// Platform → role rules from the settings.
    pub mapping: Vec<MappingView>,
    /// What the last action did.
    pub notice: Option<String>,
}

impl RolesPage {
    /// The page for the roles and the configured mapping.
    pub fn new(chrome: Chrome, roles: &[RoleSummary], mapping: &[RoleMapping]) -> Self {
        Self {
            roles: roles
                .iter()
                .map(|role| RoleView {
                    name: role.name.clone(),
                    grants: grants(&chrome, role.permissions),
                    members: chrome.t1("console-roles-members", "count", &chrome.num(role.members)),
                    builtin: role.builtin,
                    quotas: quota::rows(&chrome, &role.quotas, "console-quota-unlimited"),
                })
                .collect(),
            mapping: mapping
                .iter()
                .map(|rule| MappingView {
                    kind: chrome.t(&format!("console-mapping-{}", rule.kind)),
                    value: rule.value.clone(),
                    role: rule.role.to_owned(),
                })
                .collect(),
            notice: None,
            chrome,
        }
    }
}

/// Query of the roles page.
#[derive(Debug, Default, Deserialize)]
pub struct RolesQuery {
    notice: Option<String>,
}

/// GET /roles.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<RolesQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let mapping = state.console().pages.role_mapping.clone();
    let roles = services
        .users
        .roles(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let mut page = RolesPage::new(Chrome::for_user(&who), &roles, &mapping);
    page.notice = outcome::notice(&page.chrome, query.notice.as_deref());
    Ok(render(&page)?.into_response())
}

/// POST /roles/{name}/quota.
pub async fn quota(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(form): Form<QuotaInput>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let (scope, limit) = form.parse().or_refused(&who.lang)?;
    services
        .users
        .set_role_quota(&who.actor, &name, scope, limit)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, "/roles", "quota"))
}
