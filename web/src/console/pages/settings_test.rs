//! The settings page's Test buttons: check one connection with the settings the form would
//! give, exactly as `usher check` does (core's [`checkup::check_group`], no retries) — so a Plex
//! token is proven by listing the libraries, and a refused key names its setting and where to
//! get a good one — and for Radarr/Sonarr turn what the instance offers into drop-downs.

use usher_core::config::{Inspection, Settings};
use usher_core::integrations::checkup;

use super::audit::Choice;
pub use super::settings_view::{ArrOffer, TestView};
use super::settings_view::{FieldView, GroupView};
use crate::console::page::Chrome;

/// Groups with a connection to test: the Radarr/Sonarr instances (by the names core uses) and
/// the other upstreams.
const TESTABLE: [&str; 11] = [
    "radarr",
    "radarr-4k",
    "sonarr",
    "sonarr-4k",
    "sonarr-anime",
    "tmdb",
    "jellyfin",
    "plex",
    "telegram",
    "discord",
    "oidc",
];

/// Whether a group has a Test button.
pub fn is_testable(group: &str) -> bool {
    TESTABLE.contains(&group)
}

/// Runs the test of a group against candidate settings.
pub async fn run(group: &str, settings: &Settings, chrome: &Chrome) -> TestView {
    let found = if is_testable(group) {
        checkup::check_group(settings, group).await
    } else {
        None
    };
    let Some(found) = found else {
        return TestView {
            group: group.to_owned(),
            ok: false,
            headline: chrome.t("console-settings-test-not-configured"),
            detail: None,
            notes: Vec::new(),
            arr: None,
        };
    };
    let offer = found.offer.map(|report| ArrOffer {
        profiles: report
            .quality_profiles
            .iter()
            .map(|p| p.name.clone().unwrap_or_else(|| p.id.to_string()))
            .collect(),
        folders: report
            .root_folders
            .iter()
            .map(|f| f.path.clone().unwrap_or_else(|| f.id.to_string()))
            .collect(),
        tags: report.tags.iter().filter_map(|t| t.label.clone()).collect(),
    });
    let check = found.check;
    let ok = check.ok();
    TestView {
        group: group.to_owned(),
        ok,
        headline: headline(chrome, ok),
        detail: Some(if ok {
            check.summary
        } else {
            check.problems.join("; ")
        }),
        notes: check.details,
        arr: offer,
    }
}

fn headline(chrome: &Chrome, ok: bool) -> String {
    chrome.t(if ok {
        "console-settings-test-ok"
    } else {
        "console-settings-test-failed"
    })
}

/// Options for a drop-down: "the instance's first" (empty value), what the instance offers, and
/// the current value kept even if the instance lacks it (so saving never loses it silently).
fn choices(first: String, offered: &[String], current: &str) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: first,
        selected: current.is_empty(),
    }];
    for name in offered {
        out.push(Choice {
            value: name.clone(),
            label: name.clone(),
            selected: name == current,
        });
    }
    if !current.is_empty() && !offered.iter().any(|n| n == current) {
        out.push(Choice {
            value: current.to_owned(),
            label: current.to_owned(),
            selected: true,
        });
    }
    out
}

/// Turns a Radarr/Sonarr group's profile and folder fields into drop-downs and adds a tag
/// multi-select, from what the test found.
pub fn apply_choices(
    group: &mut GroupView,
    test: &TestView,
    inspection: &Inspection,
    chrome: &Chrome,
) {
    let Some(offer) = &test.arr else {
        return;
    };
    let prefix = group.id.replace('-', "_");
    let first = chrome.t("console-settings-first-choice");
    for field in group.fields.iter_mut().filter(|f| f.editable) {
        if field.name == format!("{prefix}_quality_profile") {
            field.choices = choices(first.clone(), &offer.profiles, &field.value);
        } else if field.name == format!("{prefix}_root_folder") {
            field.choices = choices(first.clone(), &offer.folders, &field.value);
        }
    }
    let tags_key = if group.id.starts_with("radarr") {
        "radarr_tags"
    } else {
        "sonarr_tags"
    };
    let Some(state) = inspection.key(tags_key).filter(|k| k.editable()) else {
        return;
    };
    let current: Vec<String> = state
        .value
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let mut labels = offer.tags.clone();
    for tag in &current {
        if !labels.contains(tag) {
            labels.push(tag.clone());
        }
    }
    if labels.is_empty() {
        return;
    }
    let tag_choices = labels
        .into_iter()
        .map(|label| Choice {
            selected: current.contains(&label),
            value: label.clone(),
            label,
        })
        .collect();
    group.fields.push(FieldView {
        name: state.name,
        env_name: state.env_name.clone(),
        secret: false,
        list: true,
        editable: true,
        locked: false,
        startup: false,
        is_set: state.is_set,
        from_console: false,
        source: chrome.t(&format!(
            "console-settings-source-{}",
            state.source.as_str()
        )),
        value: current.join(","),
        default: None,
        choices: tag_choices,
        multiple: true,
        errors: Vec::new(),
    });
}
