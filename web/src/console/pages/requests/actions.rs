//! `POST /requests/{id}/approve|decline|retry`: the approver's decisions. Each checks the
//! permission before reading anything, calls the one core method, then goes back to the page it
//! came from (`next`) with a notice, or shows why core refused.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Permission, Request, RequestId};
use usher_core::service::{NotOffered, Target};

use super::detail;
use super::row::DECLINE_PRESETS;
use crate::console::form_state::FormState;
use crate::console::page::catalog;
use crate::console::pages::outcome::{PageError, done, form_refusal};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// The approve or retry form, read as pairs: `tags` repeats (a multi-select).
#[derive(Debug, Default)]
pub struct PlacementForm {
    /// Where to go back to.
    pub next: Option<String>,
    /// The instance to send it to; empty for the usual rule.
    pub instance: String,
    /// A quality profile (id or name) of that instance; empty for the instance's choice.
    pub quality_profile: String,
    /// A root folder (id or path) of that instance; empty for the instance's choice.
    pub root_folder: String,
    /// The tags picked, when the form offered tags (`tags_shown`); `None` keeps the
    /// instance's configured tags.
    pub tags: Option<Vec<String>>,
}

impl PlacementForm {
    /// Reads the submitted pairs; unknown names (the CSRF token) are ignored.
    pub fn parse(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        let mut tags = Vec::new();
        let mut shown = false;
        for (name, value) in pairs {
            match name.as_str() {
                "next" => form.next = Some(value),
                "instance" => form.instance = value,
                "quality_profile" => form.quality_profile = value,
                "root_folder" => form.root_folder = value,
                "tags" => tags.push(value.trim().to_owned()),
                "tags_shown" => shown = true,
                _ => {}
            }
        }
        tags.retain(|t| !t.is_empty());
        form.tags = shown.then_some(tags);
        form
    }

    /// What core is asked for.
    fn target(&self) -> Target<'_> {
        Target {
            instance: chosen(&self.instance),
            quality_profile: chosen(&self.quality_profile),
            root_folder: chosen(&self.root_folder),
            tags: self.tags.as_deref(),
        }
    }

    /// The form's values as the refused page shows them again.
    fn kept(&self, form: &str, field: &str, message: String, status: u16) -> FormState {
        let tags = self.tags.as_deref().unwrap_or_default().join(",");
        let values = [
            ("instance", self.instance.as_str()),
            ("quality_profile", self.quality_profile.as_str()),
            ("root_folder", self.root_folder.as_str()),
            ("tags", tags.as_str()),
        ];
        FormState::invalid(form, field, message, &values).with_status(status)
    }
}

/// A form field as core wants it: trimmed, and `None` when left empty.
fn chosen(field: &str) -> Option<&str> {
    Some(field.trim()).filter(|v| !v.is_empty())
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

fn detail_page(id: i64) -> String {
    format!("/requests/{id}")
}

/// POST /requests/{id}/approve.
pub async fn approve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let form = PlacementForm::parse(pairs);
    let target = form.target();
    let placement = &state.services().placement;
    let answer = placement.approve(&who.actor, RequestId(id), &target).await;
    decided(&state, &who, id, &form, "approve", answer).await
}

/// Where an approve or retry goes next: back with a notice, or the page again with the
/// refusal beside the field at fault (a value the instance does not offer, one no instance
/// could have) and the values as picked.
async fn decided(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    form: &PlacementForm,
    which: &str,
    answer: Result<Result<Request, NotOffered>, CoreError>,
) -> Result<Response, PageError> {
    let notice = if which == "approve" {
        "approved"
    } else {
        "retried"
    };
    let kept = match answer {
        Ok(Ok(_)) => return Ok(done(form.next.as_deref(), &detail_page(id), notice)),
        Ok(Err(not_offered)) => {
            let message = catalog().text(
                &who.lang,
                "console-pick-not-offered",
                &[("why", not_offered.message)],
            );
            form.kept(which, not_offered.field, message, 422)
        }
        Err(err) => {
            let field = approve_field(&err, &form.target());
            let (status, message) = form_refusal(&who.lang, err)?;
            form.kept(which, field, message, status)
        }
    };
    detail::again(state, who, RequestId(id), kept).await
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

/// POST /requests/{id}/retry: sends a failed request again, with the placement picked.
pub async fn retry(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let form = PlacementForm::parse(pairs);
    let target = form.target();
    let placement = &state.services().placement;
    let answer = placement.retry(&who.actor, RequestId(id), &target).await;
    decided(&state, &who, id, &form, "retry", answer).await
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
