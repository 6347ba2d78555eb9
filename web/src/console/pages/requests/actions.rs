//! `POST /requests/{id}/approve|decline|retry`: the approver's decisions. Each checks the
//! permission before reading anything, calls the one core method, then goes back to the page it
//! came from (`next`) with a notice, or shows why core refused.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Permission, RequestId};
use usher_core::service::Target;

use super::detail;
use super::row::DECLINE_PRESETS;
use crate::console::form_state::FormState;
use crate::console::page::catalog;
use crate::console::pages::outcome::{PageError, done, form_refusal};
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
    let Err(err) = services
        .requests
        .approve_to(&who.actor, RequestId(id), &target)
        .await
    else {
        return Ok(done(form.next.as_deref(), &detail_page(id), "approved"));
    };
    let field = approve_field(&err, &target);
    let (status, message) = form_refusal(&who.lang, err)?;
    let typed = |v: &Option<String>| v.clone().unwrap_or_default();
    let (instance, profile, folder) = (
        typed(&form.instance),
        typed(&form.quality_profile),
        typed(&form.root_folder),
    );
    let values = [
        ("instance", instance.as_str()),
        ("quality_profile", profile.as_str()),
        ("root_folder", folder.as_str()),
    ];
    let kept = FormState::invalid("approve", field, message, &values).with_status(status);
    detail::again(&state, &who, RequestId(id), kept).await
}

/// The approve form's field a refusal is about: the part of the target core found bad, the
/// instance for any other bad input when one was chosen, else the whole form.
fn approve_field(err: &CoreError, target: &Target<'_>) -> &'static str {
    if !matches!(err, CoreError::Validation(_)) {
        return "";
    }
    match target.invalid_part() {
        Some(part) => part,
        None if target.instance.is_some() => "instance",
        None => "",
    }
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
    let Err(err) = services
        .requests
        .decline(&who.actor, RequestId(id), &reason)
        .await
    else {
        return Ok(done(form.next.as_deref(), &detail_page(id), "declined"));
    };
    let field = if matches!(err, CoreError::Validation(_)) {
        "reason"
    } else {
        ""
    };
    let (status, message) = form_refusal(&who.lang, err)?;
    let (preset, typed) = (
        form.preset.unwrap_or_default(),
        form.reason.unwrap_or_default(),
    );
    let values = [("preset", preset.as_str()), ("reason", typed.as_str())];
    let kept = FormState::invalid("decline", field, message, &values).with_status(status);
    detail::again(&state, &who, RequestId(id), kept).await
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
    let Err(err) = services.requests.retry(&who.actor, RequestId(id)).await else {
        return Ok(done(form.next.as_deref(), &detail_page(id), "retried"));
    };
    let (status, message) = form_refusal(&who.lang, err)?;
    let kept = FormState::invalid("retry", "", message, &[]).with_status(status);
    detail::again(&state, &who, RequestId(id), kept).await
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
