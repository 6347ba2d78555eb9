//! `POST /requests/{id}/approve|decline|retry`: the approver's decisions. Each checks the
//! permission before reading anything, calls the one core method, then goes back to the page it
//! came from (`next`) with a notice, or shows why core refused.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use usher_core::domain::{Permission, RequestId};
use usher_core::service::Target;

use super::row::DECLINE_PRESETS;
use crate::console::page::catalog;
use crate::console::pages::outcome::{OrRefused, PageError, done};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// The approve form.
#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    /// Where to go back to.
    pub next: Option<String>,
    /// The instance to send it to; empty for the usual rule.
    pub instance: Option<String>,
    /// A quality profile (id or name) of that instance; empty for the configured one.
    pub quality_profile: Option<String>,
    /// A root folder (id or path) of that instance; empty for the configured one.
    pub root_folder: Option<String>,
}

/// A form field as core wants it: trimmed, and `None` when left empty.
fn chosen(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The decline form.
#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    /// Where to go back to.
    pub next: Option<String>,
    /// A preset reason's key, or empty.
    pub preset: Option<String>,
    /// Free text, alone or after the preset.
    pub reason: Option<String>,
}

/// The retry form.
#[derive(Debug, Deserialize)]
pub struct RetryForm {
    /// Where to go back to.
    pub next: Option<String>,
}

fn detail_page(id: i64) -> String {
    format!("/requests/{id}")
}

/// POST /requests/{id}/approve.
pub async fn approve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let target = Target {
        instance: chosen(&form.instance),
        quality_profile: chosen(&form.quality_profile),
        root_folder: chosen(&form.root_folder),
    };
    services
        .requests
        .approve_to(&who.actor, RequestId(id), &target)
        .await
        .or_refused(&who.lang)?;
    Ok(done(form.next.as_deref(), &detail_page(id), "approved"))
}

/// The reason the requester reads: the preset (in the approver's language), the free text, or
/// both as "preset: text". Empty when neither is given (core then refuses).
pub fn decline_reason(lang: &str, preset: Option<&str>, text: Option<&str>) -> String {
    let preset = preset
        .filter(|key| DECLINE_PRESETS.contains(key))
        .map(|key| catalog().text(lang, &format!("console-decline-preset-{key}"), &[]));
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    match (preset, text) {
        (Some(preset), Some(text)) => format!("{preset}: {text}"),
        (Some(preset), None) => preset,
        (None, Some(text)) => text.to_owned(),
        (None, None) => String::new(),
    }
}

/// POST /requests/{id}/decline.
pub async fn decline(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let reason = decline_reason(&who.lang, form.preset.as_deref(), form.reason.as_deref());
    services
        .requests
        .decline(&who.actor, RequestId(id), &reason)
        .await
        .or_refused(&who.lang)?;
    Ok(done(form.next.as_deref(), &detail_page(id), "declined"))
}

/// POST /requests/{id}/retry.
pub async fn retry(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RetryForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    services
        .requests
        .retry(&who.actor, RequestId(id))
        .await
        .or_refused(&who.lang)?;
    Ok(done(form.next.as_deref(), &detail_page(id), "retried"))
}

#[cfg(test)]
mod tests {
    use super::decline_reason;

    #[test]
    fn a_reason_combines_preset_and_text() {
        assert_eq!(
            decline_reason("en-US", Some("available"), Some(" in 4K too ")),
            "Already in the library: in 4K too"
        );
        assert_eq!(
            decline_reason("en-US", Some("available"), Some("")),
            "Already in the library"
        );
        assert_eq!(decline_reason("en-US", Some(""), Some("no")), "no");
        assert_eq!(decline_reason("en-US", Some("made-up"), None), "");
        assert_ne!(
            decline_reason("de", Some("available"), None),
            decline_reason("en-US", Some("available"), None)
        );
    }
}
