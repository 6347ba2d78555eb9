//! `GET /roles` and `POST /roles/{name}/quota`: every role with what it grants, how many hold
//! it and its quotas (editable), links to create, edit and delete roles (`role_form`), the
//! grant table (`role_grants`), and how platform groups map to roles in the settings
//! (read-only here). Roles and grants usher.toml sets are marked and not editable here: the
//! file is re-applied at every start.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use usher_core::domain::Permission;
use usher_core::service::RoleSummary;
use usher_core::store::roles::GrantRow;

use super::detail::grants;
use super::quota::{self, QuotaInput, QuotaRow};
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::pages::outcome::{self, NoticeQuery, OrRefused, PageError, done};
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
    /// Set by usher.toml (re-applied at every start; not editable here).
    pub from_file: bool,
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

/// One row of the grant table.
#[derive(Debug, Clone)]
pub struct GrantView {
    /// Its id (the remove form's field).
    pub id: i64,
    /// The role it gives.
    pub role: String,
    /// What is matched, localized.
    pub kind: String,
    /// The chat id, role id or group.
    pub value: String,
    /// Set by usher.toml.
    pub from_file: bool,
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
    /// The grant table.
    pub grants: Vec<GrantView>,
    /// Every role name, for the add-grant form.
    pub role_names: Vec<String>,
    /// What the last action did.
    pub notice: Option<String>,
    /// A refused quota, shown again beside its field.
    pub form: FormState,
}

impl RolesPage {
    /// The page for the roles, the grant table, the configured mapping, and which roles
    /// usher.toml sets (`from_file`).
    pub fn with_grants(
        chrome: Chrome,
        roles: &[RoleSummary],
        mapping: &[RoleMapping],
        grant_rows: &[GrantRow],
        from_file: &[String],
    ) -> Self {
        Self {
            roles: roles
                .iter()
                .map(|role| RoleView {
                    name: role.name.clone(),
                    grants: grants(&chrome, role.permissions),
                    members: chrome.t1("console-roles-members", "count", &chrome.num(role.members)),
                    builtin: role.builtin,
                    from_file: from_file.contains(&role.name),
                    quotas: quota::rows(
                        &chrome,
                        &role.quotas,
                        "console-quota-unlimited",
                        &format!("quota-{}", role.name),
                    ),
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
            grants: grant_rows
                .iter()
                .map(|g| GrantView {
                    id: g.id,
                    role: g.role.clone(),
                    kind: chrome.t(&format!("console-grant-{}", g.target.kind())),
                    value: g.target.value(),
                    from_file: g.from_file,
                })
                .collect(),
            role_names: roles.iter().map(|r| r.name.clone()).collect(),
            notice: None,
            form: FormState::default(),
            chrome,
        }
    }
}

/// GET /roles.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let mut page = page(&state, &who).await?;
    page.notice = outcome::notice(&page.chrome, query.notice.as_deref());
    Ok(render(&page)?.into_response())
}

pub(super) async fn page(state: &AppState, who: &SignedIn) -> Result<RolesPage, PageError> {
    let users = &state.services().users;
    let mapping = state.console().pages.role_mapping.clone();
    let roles = users.roles(&who.actor).await.or_refused(&who.lang)?;
    let grants = users.role_grants(&who.actor).await.or_refused(&who.lang)?;
    let details = users.role_details(&who.actor).await.or_refused(&who.lang)?;
    let from_file: Vec<String> = details
        .into_iter()
        .filter(|d| d.record.from_file)
        .map(|d| d.record.spec.name)
        .collect();
    Ok(RolesPage::with_grants(
        Chrome::for_user(who),
        &roles,
        &mapping,
        &grants,
        &from_file,
    ))
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
    let prefix = format!("quota-{name}");
    let outcome = match form.parse() {
        Ok((scope, limit)) => services
            .users
            .set_role_quota(&who.actor, &name, scope, limit)
            .await
            .map_err(|err| ("", err)),
        Err(bad) => Err(bad),
    };
    let Err((field, err)) = outcome else {
        return Ok(done(None, "/roles", "quota"));
    };
    let kept = quota_refusal(&who, &prefix, &form, field, err)?;
    let mut page = page(&state, &who).await?;
    page.form = kept;
    outcome::again(&page, &page.form)
}

/// A refused quota form as its page shows it again: a bad number beside its field, anything
/// else about the whole form.
pub(super) fn quota_refusal(
    who: &SignedIn,
    prefix: &str,
    form: &QuotaInput,
    field: &'static str,
    err: usher_core::CoreError,
) -> Result<FormState, PageError> {
    let id = match usher_core::domain::QuotaScope::parse(&form.scope) {
        Ok(scope) => quota::form_id(prefix, scope),
        Err(_) => prefix.to_owned(),
    };
    let (status, message) = match field {
        "max" | "days" => (
            422,
            crate::console::page::catalog().text(&who.lang, "console-field-whole-number", &[]),
        ),
        _ => outcome::form_refusal(&who.lang, err)?,
    };
    let field = if field == "scope" { "" } else { field };
    Ok(FormState::invalid(&id, field, message, &form.typed()).with_status(status))
}
