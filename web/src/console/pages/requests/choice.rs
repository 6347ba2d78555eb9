//! One option of a `<select>`: the list filters, decline presets and pick lists all offer them.

/// An option of a `<select>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
    /// Pre-selected.
    pub selected: bool,
}

impl Choice {
    /// An option; `current` marks it selected when equal to `value`.
    pub fn new(value: &str, label: String, current: Option<&str>) -> Self {
        Self {
            value: value.to_owned(),
            label,
            selected: current == Some(value),
        }
    }
}
