//! `[[place]]` in `usher.toml`: each entry read into a [`PlaceInput`] and checked by the same
//! rules as the console's form; a problem names the entry (its number and chat) and the field.

use crate::domain::{Place, PlaceInput};

use super::Validator;

/// Fields an entry may have; anything else is a typo worth reporting.
const FIELDS: [&str; 4] = ["telegram_chat", "discord_guild", "voting", "budget"];

impl Validator<'_> {
    /// Every `[[place]]` entry, validated; a chat named twice is a problem too.
    pub(super) fn places(&mut self) -> Vec<Place> {
        let mut places: Vec<Place> = Vec::new();
        let entries = self.layers.places.clone();
        for (n, entry) in entries.iter().enumerate() {
            let at = self.place_label(n, entry);
            match read(entry).and_then(|input| {
                input.validate().map_err(|problems| {
                    problems.iter().map(ToString::to_string).collect::<Vec<_>>()
                })
            }) {
                Ok(place) if places.iter().any(|p| p.key == place.key) => self.problems.push(
                    format!("{at}: this chat is already named by an earlier [[place]]"),
                ),
                Ok(place) => places.push(place),
                Err(problems) => {
                    for problem in problems {
                        self.problems.push(format!("{at}: {problem}"));
                    }
                }
            }
        }
        places
    }

    /// "usher.toml: [[place]] #2 (telegram_chat = -100…)".
    fn place_label(&self, n: usize, entry: &toml::Value) -> String {
        let file = self
            .layers
            .toml_path
            .as_ref()
            .map_or_else(|| "usher.toml".to_owned(), |p| p.display().to_string());
        let chat = ["telegram_chat", "discord_guild"]
            .iter()
            .find_map(|name| Some(format!(" ({name} = {})", entry.get(name)?)))
            .unwrap_or_default();
        format!("{file}: [[place]] #{}{chat}", n + 1)
    }
}

/// The entry's numbers, or what is wrong with its shape (not a table, unknown field, a text
/// where a number belongs).
fn read(entry: &toml::Value) -> Result<PlaceInput, Vec<String>> {
    let Some(table) = entry.as_table() else {
        return Err(vec!["each [[place]] entry must be a table".to_owned()]);
    };
    let mut problems = Vec::new();
    for name in table.keys() {
        if !FIELDS.contains(&name.as_str()) {
            problems.push(format!(
                "unknown field `{name}` (known: {})",
                FIELDS.join(", ")
            ));
        }
    }
    let voting = sub_table(table, "voting", &["threshold"], &mut problems);
    let budget = sub_table(
        table,
        "budget",
        &["movies", "seasons", "days"],
        &mut problems,
    );
    let input = PlaceInput {
        telegram_chat: number(table.get("telegram_chat"), "telegram_chat", &mut problems),
        discord_guild: number(table.get("discord_guild"), "discord_guild", &mut problems),
        threshold: number(
            voting.and_then(|v| v.get("threshold")),
            "voting.threshold",
            &mut problems,
        ),
        movies: number(
            budget.and_then(|b| b.get("movies")),
            "budget.movies",
            &mut problems,
        ),
        seasons: number(
            budget.and_then(|b| b.get("seasons")),
            "budget.seasons",
            &mut problems,
        ),
        days: number(
            budget.and_then(|b| b.get("days")),
            "budget.days",
            &mut problems,
        ),
    };
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// `voting = { … }` or `budget = { … }`, with only the fields it may hold.
fn sub_table<'a>(
    table: &'a toml::Table,
    name: &str,
    fields: &[&str],
    problems: &mut Vec<String>,
) -> Option<&'a toml::Table> {
    let value = table.get(name)?;
    let Some(sub) = value.as_table() else {
        problems.push(format!(
            "`{name}` must be a table like {name} = {{ {} = … }}",
            fields[0]
        ));
        return None;
    };
    for key in sub.keys() {
        if !fields.contains(&key.as_str()) {
            problems.push(format!(
                "unknown field `{name}.{key}` (known: {})",
                fields.join(", ")
            ));
        }
    }
    Some(sub)
}

/// An integer field; a string or float is a problem naming it.
fn number(value: Option<&toml::Value>, name: &str, problems: &mut Vec<String>) -> Option<i64> {
    match value? {
        toml::Value::Integer(n) => Some(*n),
        other => {
            problems.push(format!(
                "`{name}` must be a whole number, found {}",
                other.type_str()
            ));
            None
        }
    }
}
