//! The quota form shared by the user and role pages: one counter, its limit, save or clear.

use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{QuotaLimit, QuotaScope};

use crate::console::page::Chrome;
use crate::console::view;

/// What a quota form posts.
#[derive(Debug, Deserialize)]
pub struct QuotaInput {
    /// Counter key (`movie`, `tv`, `movie_4k`, `tv_4k`).
    pub scope: String,
    /// Requests allowed in the window.
    pub max: Option<String>,
    /// Window in days.
    pub days: Option<String>,
    /// `save` or `clear`.
    pub action: String,
}

impl QuotaInput {
    /// The counter and the new limit (`None` clears it), or the field at fault (`scope`,
    /// `max`, `days`) with why.
    pub fn parse(&self) -> Result<(QuotaScope, Option<QuotaLimit>), (&'static str, CoreError)> {
        let scope = QuotaScope::parse(&self.scope).map_err(|err| ("scope", err))?;
        if self.action == "clear" {
            return Ok((scope, None));
        }
        let number = |name: &'static str, field: &Option<String>, what: &str| {
            field
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .parse::<u32>()
                .map_err(|_| {
                    let err = CoreError::Validation(format!("{what} must be a whole number"));
                    (name, err)
                })
        };
        let limit = QuotaLimit {
            max: number("max", &self.max, "the number of requests")?,
            days: number("days", &self.days, "the number of days")?,
        };
        Ok((scope, Some(limit)))
    }

    /// The values as typed, to fill the form again.
    pub fn typed(&self) -> [(&'static str, &str); 2] {
        [
            ("max", self.max.as_deref().unwrap_or_default()),
            ("days", self.days.as_deref().unwrap_or_default()),
        ]
    }
}

/// One counter's row in a quota table, with the form's current values.
#[derive(Debug, Clone)]
pub struct QuotaRow {
    /// Counter key.
    pub scope: &'static str,
    /// Id of its form on the page (`quota-movie`, `quota-member-movie`).
    pub form: String,
    /// Localized counter name.
    pub label: String,
    /// `3 per 7 days`, or the localized "no limit" / "from roles".
    pub current: String,
    /// Whether a limit is set here (offers "clear").
    pub set: bool,
    /// The max field's value.
    pub max: String,
    /// The days field's value.
    pub days: String,
}

/// Rows for every counter; `unset` names what applies without a limit here, `prefix` starts
/// each form's id.
pub fn rows(
    chrome: &Chrome,
    set: &[(QuotaScope, QuotaLimit)],
    unset: &str,
    prefix: &str,
) -> Vec<QuotaRow> {
    QuotaScope::ALL
        .iter()
        .map(|scope| {
            let limit = set.iter().find(|(s, _)| s == scope).map(|(_, l)| *l);
            QuotaRow {
                scope: scope.key(),
                form: form_id(prefix, *scope),
                label: view::scope(chrome, *scope),
                current: limit.map_or_else(|| chrome.t(unset), |l| view::limit(chrome, l)),
                set: limit.is_some(),
                max: limit.map(|l| l.max.to_string()).unwrap_or_default(),
                days: limit.map(|l| l.days.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The id of a counter's form: `{prefix}-{counter}`.
pub fn form_id(prefix: &str, scope: QuotaScope) -> String {
    format!("{prefix}-{}", scope.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scope: &str, max: &str, days: &str, action: &str) -> QuotaInput {
        QuotaInput {
            scope: scope.into(),
            max: Some(max.into()),
            days: Some(days.into()),
            action: action.into(),
        }
    }

    #[test]
    fn forms_become_limits() {
        let (scope, limit) = input("tv_4k", "3", " 7 ", "save").parse().expect("valid");
        assert_eq!(scope.key(), "tv_4k");
        assert_eq!(limit, Some(QuotaLimit { max: 3, days: 7 }));
        assert_eq!(
            input("movie", "", "", "clear").parse().expect("clear").1,
            None
        );
        let field = |i: QuotaInput| i.parse().expect_err("refused").0;
        assert_eq!(field(input("movie_8k", "1", "1", "save")), "scope");
        assert_eq!(field(input("movie", "-1", "7", "save")), "max");
        assert_eq!(field(input("movie", "3", "", "save")), "days");
    }
}
