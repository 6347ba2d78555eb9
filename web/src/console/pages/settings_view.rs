//! What the settings page shows, as plain values: its groups and fields, and the outcome of a
//! connection test. Shared by the page and its Test buttons, so neither imports the other.

use super::audit::Choice;

/// One key on the page. Holds no secret value.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// Form field name (lower-case key).
    pub name: &'static str,
    /// `USHER_…` name, the label.
    pub env_name: String,
    /// Write-only.
    pub secret: bool,
    /// Comma-separated list.
    pub list: bool,
    /// May be changed here.
    pub editable: bool,
    /// Set by the environment, a `_FILE` or a flag.
    pub locked: bool,
    /// Only the file, environment or flags may set it.
    pub startup: bool,
    /// Some layer sets it.
    pub is_set: bool,
    /// Saved in the console (so a secret can be removed here).
    pub from_console: bool,
    /// Where the value came from, in the page's language.
    pub source: String,
    /// The value shown (plain keys only; empty for secrets).
    pub value: String,
    /// Built-in default.
    pub default: Option<&'static str>,
    /// Choices loaded by a connection test (a drop-down instead of a text field).
    pub choices: Vec<Choice>,
    /// A multi-select (tags).
    pub multiple: bool,
    /// What the validator says of this key, shown beside it.
    pub errors: Vec<String>,
}

impl FieldView {
    /// The id of the message beside the field, for `aria-describedby`.
    pub fn error_id(&self, group: &str) -> String {
        format!("f-{group}-{}-error", self.name)
    }
}

/// One group of keys with its form.
#[derive(Debug, Clone)]
pub struct GroupView {
    /// Group id (anchor and message key suffix).
    pub id: &'static str,
    /// Title in the page's language.
    pub title: String,
    /// What the group is for, in the page's language (the operator's first question).
    pub help: String,
    /// Keys.
    pub fields: Vec<FieldView>,
    /// Whether any field may be saved here.
    pub editable: bool,
    /// Whether the group has a Test button.
    pub testable: bool,
    /// The result of a test just run for this group.
    pub test: Option<TestView>,
}

/// What a Radarr/Sonarr offered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArrOffer {
    /// Quality profile names.
    pub profiles: Vec<String>,
    /// Root folder paths.
    pub folders: Vec<String>,
    /// Tag labels.
    pub tags: Vec<String>,
}

/// The outcome of a test, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestView {
    /// The group tested.
    pub group: String,
    /// Reachable, key accepted, usable as configured.
    pub ok: bool,
    /// One sentence in the page's language.
    pub headline: String,
    /// What `usher check` says: the version, or each problem with the setting and the fix.
    pub detail: Option<String>,
    /// What `usher check` lists besides: libraries, profiles, folders and tags in use.
    pub notes: Vec<String>,
    /// For Radarr/Sonarr: what it offers.
    pub arr: Option<ArrOffer>,
}
