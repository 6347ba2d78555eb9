//! `POST /roles/grants` and `POST /roles/grants/remove` (after `/confirm`): adding a grant
//! (a role for a Telegram chat's people, a Discord role's holders or an OIDC group) and
//! removing one, which takes back the roles it handed out. Core checks and audits both.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use usher_core::domain::{GrantTarget, Permission};

use super::roles::page;
use crate::console::form_state::FormState;
use crate::console::pages::outcome::{self, OrRefused, PageError, done};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

/// POST /roles/grants: `role`, `kind`, `value`.
pub async fn add(
    State(state): State<AppState>,
    who: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let (role, kind, value) = (
        field(&pairs, "role"),
        field(&pairs, "kind"),
        field(&pairs, "value"),
    );
    let users = &state.services().users;
    let refusal = match GrantTarget::parse(kind, value) {
        Ok(target) => match users.add_grant(&who.actor, role, &target).await {
            Ok(()) => return Ok(done(None, "/roles", "saved")),
            Err(err) => {
                let (status, message) = outcome::form_refusal(&who.lang, err)?;
                FormState::invalid("grant", "", message, &[]).with_status(status)
            }
        },
        Err(why) => FormState::invalid("grant", "value", why, &[]),
    };
    let typed = [("role", role), ("kind", kind), ("value", value)];
    let kept = refusal_with(refusal, &typed);
    let mut page = page(&state, &who).await?;
    page.form = kept;
    outcome::again(&page, &page.form)
}

/// The refusal carrying the values as typed.
fn refusal_with(refusal: FormState, typed: &[(&str, &str)]) -> FormState {
    let status = refusal.status();
    let message = refusal
        .error("grant", "value")
        .or(refusal.general())
        .unwrap_or_default()
        .to_owned();
    let field = if refusal.error("grant", "value").is_some() {
        "value"
    } else {
        ""
    };
    FormState::invalid("grant", field, message, typed).with_status(status)
}

/// POST /roles/grants/remove (after /confirm): `id`.
pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let id: i64 = field(&pairs, "id").parse().unwrap_or(-1);
    state
        .services()
        .users
        .remove_grant(&who.actor, id)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, "/roles", "removed"))
}
