//! The approve and retry forms' pick lists on a request's page: the instance's quality
//! profiles, root folders (with free space) and tags as `<select>`s, from core's
//! [`PlacementChoices`], each starting on what the request will get if nothing is picked (the
//! stored pick, else the instance's configured choice). When the lists could not be loaded the
//! form keeps working with the defaults and says why.

use usher_core::domain::Request;
use usher_core::integrations::arr::{pick_profile, pick_root_folder};
use usher_core::service::{PickLists, PlacementChoices};

use super::choice::Choice;
use crate::console::form_state::FormState;
use crate::console::page::Chrome;

/// Bytes in the gigabyte the free space is shown in (the apps' own pages use 10⁹ too).
const GB: i64 = 1_000_000_000;

/// What the approve or retry form offers.
#[derive(Debug, Clone, Default)]
pub struct Picks {
    /// The instance the lists come from.
    pub instance: String,
    /// Quality profiles; the first (empty value) is the instance's choice.
    pub profiles: Vec<Choice>,
    /// Root folders with free space; the first (empty value) is the instance's choice.
    pub folders: Vec<Choice>,
    /// Tags (a multi-select); the selected ones go with the title.
    pub tags: Vec<Choice>,
    /// Why there are no lists (the instance's answer), in the page's language.
    pub unavailable: Option<String>,
}

impl Picks {
    /// The lists for `request`, starting on its stored picks.
    pub fn new(chrome: &Chrome, choices: &PlacementChoices, request: &Request) -> Self {
        let instance = choices.instance.unwrap_or_default().to_owned();
        match &choices.lists {
            Ok(lists) => Self {
                instance,
                profiles: profiles(chrome, lists, request.target_profile.as_deref()),
                folders: folders(chrome, lists, request.target_root_folder.as_deref()),
                tags: tags(lists, request.target_tags.as_deref()),
                unavailable: None,
            },
            Err(why) => Self {
                instance,
                unavailable: Some(chrome.t1("console-pick-unavailable", "why", why)),
                ..Self::default()
            },
        }
    }

    /// Whether there is something to pick from.
    pub fn loaded(&self) -> bool {
        self.unavailable.is_none()
    }

    /// Selects what a refused `form` (`approve` or `retry`) submitted, so it comes back as
    /// the approver left it.
    pub fn keep_typed(&mut self, state: &FormState, form: &str) {
        if !state.came_back(form) {
            return;
        }
        let profile = state.value(form, "quality_profile", "");
        for c in &mut self.profiles {
            c.selected = c.value == profile;
        }
        let folder = state.value(form, "root_folder", "");
        for c in &mut self.folders {
            c.selected = c.value == folder;
        }
        let tags: Vec<&str> = state.value(form, "tags", "").split(',').collect();
        for c in &mut self.tags {
            c.selected = tags.contains(&c.value.as_str());
        }
    }
}

fn profiles(chrome: &Chrome, lists: &PickLists, stored: Option<&str>) -> Vec<Choice> {
    let default = lists.default_profile().and_then(|p| p.name.clone());
    let picked = stored.and_then(|s| pick_profile(&lists.profiles, Some(s)).map(|p| p.id));
    let first = Choice {
        value: String::new(),
        label: instance_choice(chrome, default),
        selected: picked.is_none(),
    };
    std::iter::once(first)
        .chain(lists.profiles.iter().map(|p| Choice {
            value: p.id.to_string(),
            label: p.name.clone().unwrap_or_else(|| p.id.to_string()),
            selected: picked == Some(p.id),
        }))
        .collect()
}

fn folders(chrome: &Chrome, lists: &PickLists, stored: Option<&str>) -> Vec<Choice> {
    let label = |path: Option<&str>, id: i64, free: Option<i64>| {
        let path = path.map_or_else(|| id.to_string(), str::to_owned);
        match free {
            Some(bytes) => {
                let gb = chrome.num(u64::try_from(bytes / GB).unwrap_or_default());
                format!("{path} · {}", chrome.t1("console-pick-free", "gb", &gb))
            }
            None => path,
        }
    };
    let default = lists.default_folder().and_then(|f| f.path.clone());
    let picked = stored.and_then(|s| pick_root_folder(&lists.folders, Some(s)).map(|f| f.id));
    let first = Choice {
        value: String::new(),
        label: instance_choice(chrome, default),
        selected: picked.is_none(),
    };
    std::iter::once(first)
        .chain(lists.folders.iter().map(|f| Choice {
            value: f.id.to_string(),
            label: label(f.path.as_deref(), f.id, f.free_space),
            selected: picked == Some(f.id),
        }))
        .collect()
}

fn tags(lists: &PickLists, stored: Option<&[String]>) -> Vec<Choice> {
    let chosen = stored.unwrap_or(&lists.configured_tags);
    lists
        .tags
        .iter()
        .filter_map(|t| t.label.clone())
        .map(|label| Choice {
            selected: chosen.iter().any(|c| c.eq_ignore_ascii_case(&label)),
            value: label.clone(),
            label,
        })
        .collect()
}

/// "As the instance is set up (HD-1080p)".
fn instance_choice(chrome: &Chrome, default: Option<String>) -> String {
    match default {
        Some(name) => chrome.t1("console-pick-instance-default", "name", &name),
        None => chrome.t("console-requests-as-configured"),
    }
}
