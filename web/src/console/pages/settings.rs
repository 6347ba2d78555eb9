//! `GET /settings` and `POST /settings` (admins): every configuration key by group with its
//! effective value and where it came from. Values from the environment, a `_FILE` or a flag are
//! shown locked; secrets are write-only ("set" / "not set"); saving goes through core's
//! validator and is applied at the next start. Each connection has a Test button that probes it
//! with the values in the form (stored ones where a field is blank) and, for Radarr/Sonarr,
//! fills the quality profile, root folder and tag choices.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::config::{self, KeyState, ValueSource};
use usher_core::domain::Permission;
use usher_core::service::{SaveOutcome, SettingChange, SettingsView};

use super::settings_test;
pub use super::settings_view::{FieldView, GroupView, TestView};
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// The settings page.
#[derive(Template)]
#[template(path = "console/settings.html")]
pub struct SettingsPage {
    /// Frame.
    pub chrome: Chrome,
    /// Groups in page order.
    pub groups: Vec<GroupView>,
    /// What the validator says about the submitted or saved configuration.
    pub problems: Vec<String>,
    /// Saved values wait for a restart.
    pub restart_needed: bool,
    /// After a save: how many keys changed.
    pub saved: Option<usize>,
}

/// What a re-rendered page keeps from a submitted form.
#[derive(Debug, Default)]
pub struct Echo {
    /// Plain values as submitted, by key (secrets are never echoed).
    pub values: HashMap<String, String>,
    /// A test result and the group it belongs to.
    pub test: Option<TestView>,
}

fn source_label(chrome: &Chrome, state: &KeyState) -> String {
    chrome.t(&format!(
        "console-settings-source-{}",
        state.source.as_str()
    ))
}

fn field(chrome: &Chrome, state: &KeyState, echo: &Echo) -> FieldView {
    let value = if state.secret {
        String::new()
    } else if let Some(typed) = echo.values.get(state.name).filter(|_| state.editable()) {
        typed.clone()
    } else {
        state.value.clone().unwrap_or_default()
    };
    FieldView {
        name: state.name,
        env_name: state.env_name.clone(),
        secret: state.secret,
        list: state.list,
        editable: state.editable(),
        locked: state.locked,
        startup: state.startup,
        is_set: state.is_set,
        from_console: state.source == ValueSource::Console,
        source: source_label(chrome, state),
        value,
        default: state.default,
        choices: Vec::new(),
        multiple: false,
        errors: Vec::new(),
    }
}

/// Moves each problem about one key (core words them `USHER_NAME: why`) beside that key's
/// field; returns the rest, for the list at the top of the page.
fn place_problems(groups: &mut [GroupView], problems: Vec<String>) -> Vec<String> {
    let mut rest = Vec::new();
    'problems: for problem in problems {
        for field in groups.iter_mut().flat_map(|g| g.fields.iter_mut()) {
            let about = problem
                .strip_prefix(field.env_name.as_str())
                .and_then(|tail| tail.strip_prefix(':'));
            if let Some(why) = about {
                field.errors.push(why.trim().to_owned());
                continue 'problems;
            }
        }
        rest.push(problem);
    }
    rest
}

impl SettingsPage {
    /// Builds the page from core's view, with what a submitted form should keep.
    pub fn new(
        chrome: Chrome,
        view: &SettingsView,
        echo: Echo,
        problems: Vec<String>,
        saved: Option<usize>,
    ) -> Self {
        let inspection = &view.inspection;
        let mut groups = Vec::new();
        for (id, names) in config::groups() {
            let fields: Vec<FieldView> = names
                .iter()
                .filter_map(|name| inspection.key(name))
                .map(|state| field(&chrome, state, &echo))
                .collect();
            let mut group = GroupView {
                id,
                title: chrome.t(&format!("console-settings-group-{id}")),
                help: chrome.t(&format!("console-settings-help-{id}")),
                editable: fields.iter().any(|f| f.editable),
                testable: settings_test::is_testable(id),
                fields,
                test: None,
            };
            if let Some(test) = echo.test.as_ref().filter(|t| t.group == id) {
                settings_test::apply_choices(&mut group, test, inspection, &chrome);
                group.test = Some(test.clone());
            }
            groups.push(group);
        }
        let problems = place_problems(&mut groups, problems);
        Self {
            chrome,
            groups,
            problems,
            restart_needed: view.restart_needed,
            saved,
        }
    }
}

impl SettingsPage {
    /// The note after a save.
    pub fn saved_message(&self) -> Option<String> {
        self.saved.map(|n| {
            self.chrome
                .t1("console-settings-saved", "count", &self.chrome.num(n))
        })
    }
}

/// Query of `GET /settings`.
#[derive(Debug, Deserialize)]
pub struct SettingsQuery {
    saved: Option<usize>,
}

/// GET /settings.
pub async fn settings_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, WebError> {
    who.require(Permission::Admin)?;
    let settings = state.settings();
    let view = settings.view(&who.actor).await?;
    let problems = view.inspection.problems.clone();
    let page = SettingsPage::new(
        Chrome::for_user(&who),
        &view,
        Echo::default(),
        problems,
        query.saved,
    );
    Ok(render(&page)?.into_response())
}

/// A submitted group form: its fields, which group, save or test, and secrets to remove.
#[derive(Debug, Default)]
pub struct Submitted {
    /// Group id.
    pub group: String,
    /// `test` runs the connection test; anything else saves.
    pub test: bool,
    /// The edits to hand to core.
    pub changes: Vec<SettingChange>,
    /// Plain values as typed, to show again.
    pub typed: HashMap<String, String>,
}

impl Submitted {
    /// Reads the form. Repeated fields (a tag multi-select) are joined with commas; a blank
    /// secret means "keep", unless its `clear` box is ticked; a blank plain field removes the
    /// saved value.
    pub fn parse(form: &[(String, String)], view: &SettingsView) -> Self {
        let mut out = Self::default();
        let mut values: Vec<(&str, String)> = Vec::new();
        let mut cleared: Vec<&str> = Vec::new();
        for (name, value) in form {
            match name.as_str() {
                "_csrf" => {}
                "group" => out.group = value.clone(),
                "intent" => out.test = value == "test",
                "clear" => cleared.push(value.as_str()),
                key => match values.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, joined)) => {
                        joined.push(',');
                        joined.push_str(value);
                    }
                    None => values.push((key, value.clone())),
                },
            }
        }
        for (key, value) in values {
            let secret = view.inspection.key(key).is_some_and(|k| k.secret);
            if secret {
                if !value.trim().is_empty() {
                    out.changes.push(SettingChange::set(key, &value));
                }
            } else {
                out.typed.insert(key.to_owned(), value.clone());
                out.changes.push(SettingChange {
                    key: key.to_owned(),
                    value: Some(value),
                });
            }
        }
        for key in cleared {
            out.changes.retain(|c| c.key != key);
            out.changes.push(SettingChange::clear(key));
        }
        out
    }
}

/// POST /settings: save a group, or test its connection with the form's values.
pub async fn settings_post(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    who.require(Permission::Admin)?;
    let settings = state.settings();
    let view = settings.view(&who.actor).await?;
    let submitted = Submitted::parse(&form, &view);
    let chrome = Chrome::for_user(&who);
    if submitted.test {
        let draft = settings.draft(&who.actor, &submitted.changes).await?;
        let (test, problems) = match draft {
            Ok(candidate) => (
                Some(settings_test::run(&submitted.group, &candidate, &chrome).await),
                Vec::new(),
            ),
            Err(problems) => (None, problems),
        };
        let status = if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let echo = Echo {
            values: submitted.typed,
            test,
        };
        let page = SettingsPage::new(chrome, &view, echo, problems, None);
        return Ok((status, render(&page)?).into_response());
    }
    let outcome = match settings.save(&who.actor, &submitted.changes).await {
        // A key the form never offers (a startup-only one, an unknown name): said on the page.
        Err(CoreError::Validation(problem)) => SaveOutcome::Invalid {
            problems: vec![problem],
        },
        other => other?,
    };
    match outcome {
        SaveOutcome::Saved { changed } => {
            let anchor = anchor(&submitted.group);
            Ok(Redirect::to(&format!("/settings?saved={}{anchor}", changed.len())).into_response())
        }
        SaveOutcome::Invalid { problems } => {
            let echo = Echo {
                values: submitted.typed,
                test: None,
            };
            let page = SettingsPage::new(chrome, &view, echo, problems, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

/// `#group-radarr` for a known group id, nothing otherwise.
fn anchor(group: &str) -> String {
    if config::groups().iter().any(|(id, _)| *id == group) {
        format!("#group-{group}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests;
