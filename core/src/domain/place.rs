//! Places: a Telegram group chat or a Discord server with its own rules — a voting threshold
//! that approves a request once enough members want it, and a budget of movies and seasons
//! shared by everyone requesting from there. One [`PlaceInput`] is validated the same way
//! whether it came from `[[place]]` in `usher.toml` or from the console's form.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::quota::QuotaLimit;

/// Which chat a place is: a Telegram chat id (groups are negative) or a Discord server id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlaceKey {
    /// A Telegram group or supergroup.
    TelegramChat(i64),
    /// A Discord server (guild).
    DiscordGuild(u64),
}

impl PlaceKey {
    /// The stored form: `telegram:<chat id>` or `discord:<guild id>`.
    pub fn stored(self) -> String {
        match self {
            Self::TelegramChat(id) => format!("telegram:{id}"),
            Self::DiscordGuild(id) => format!("discord:{id}"),
        }
    }

    /// Reads [`PlaceKey::stored`]'s text back; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (kind, id) = raw.split_once(':')?;
        match kind {
            "telegram" => id.parse().ok().map(Self::TelegramChat),
            "discord" => id.parse().ok().map(Self::DiscordGuild),
            _ => None,
        }
    }
}

impl fmt::Display for PlaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TelegramChat(id) => write!(f, "telegram_chat = {id}"),
            Self::DiscordGuild(id) => write!(f, "discord_guild = {id}"),
        }
    }
}

/// What everyone requesting from a place may ask for together in a rolling window; a missing
/// count is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Movies per window.
    pub movies: Option<u32>,
    /// TV seasons per window.
    pub seasons: Option<u32>,
    /// Window length in days (at least 1).
    pub days: u32,
}

impl Budget {
    /// The limit that counts movies (`tv == false`) or seasons, if that count is limited.
    pub fn limit(self, tv: bool) -> Option<QuotaLimit> {
        let max = if tv { self.seasons } else { self.movies }?;
        Some(QuotaLimit {
            max,
            days: self.days,
        })
    }
}

/// A validated place: where it is, its voting threshold and its budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The chat or server.
    pub key: PlaceKey,
    /// Votes ("I want this too") that approve a pending request made here; `None`: votes only
    /// move the request up the approvers' queue.
    pub threshold: Option<u32>,
    /// The shared budget; `None`: only personal quotas apply.
    pub budget: Option<Budget>,
}

/// One field of a place found wrong, for the console's inline error and the start-up message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceProblem {
    /// The field: `telegram_chat`, `discord_guild`, `threshold`, `movies`, `seasons`, `days`.
    pub field: &'static str,
    /// What is wrong, in English (start-up) — the console shows its own translation by field.
    pub message: String,
}

impl fmt::Display for PlaceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.message)
    }
}

/// A place as typed: every number still unchecked (negative, zero, both chats or none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceInput {
    /// A Telegram chat id.
    pub telegram_chat: Option<i64>,
    /// A Discord server id.
    pub discord_guild: Option<i64>,
    /// `voting.threshold`.
    pub threshold: Option<i64>,
    /// `budget.movies`.
    pub movies: Option<i64>,
    /// `budget.seasons`.
    pub seasons: Option<i64>,
    /// `budget.days`; required when a count is given.
    pub days: Option<i64>,
}

impl PlaceInput {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<Place, Vec<PlaceProblem>> {
        let mut problems = Vec::new();
        let key = self.key(&mut problems);
        let threshold = count(self.threshold, "threshold", 1, &mut problems);
        let movies = count(self.movies, "movies", 0, &mut problems);
        let seasons = count(self.seasons, "seasons", 0, &mut problems);
        let days = count(self.days, "days", 1, &mut problems);
        let counts_given = self.movies.is_some() || self.seasons.is_some();
        let budget = match (counts_given, self.days) {
            (false, None) => None,
            (true, None) => {
                problems.push(problem("days", "a budget needs `days`, the window length"));
                None
            }
            (false, Some(_)) => {
                let msg = "a budget needs `movies` or `seasons` besides `days`";
                problems.push(problem("days", msg));
                None
            }
            (true, Some(_)) => days.map(|days| Budget {
                movies,
                seasons,
                days,
            }),
        };
        match key {
            Some(key) if problems.is_empty() => Ok(Place {
                key,
                threshold,
                budget,
            }),
            _ => Err(problems),
        }
    }

    /// Exactly one of the two chat ids.
    fn key(&self, problems: &mut Vec<PlaceProblem>) -> Option<PlaceKey> {
        match (self.telegram_chat, self.discord_guild) {
            (Some(_), Some(_)) => {
                let msg = "give either `telegram_chat` or `discord_guild`, not both";
                problems.push(problem("telegram_chat", msg));
                None
            }
            (None, None) => {
                let msg = "give `telegram_chat` (a chat id) or `discord_guild` (a server id)";
                problems.push(problem("telegram_chat", msg));
                None
            }
            (Some(0), None) => {
                problems.push(problem("telegram_chat", "a chat id is never 0"));
                None
            }
            (Some(chat), None) => Some(PlaceKey::TelegramChat(chat)),
            (None, Some(guild)) => match u64::try_from(guild) {
                Ok(guild) if guild > 0 => Some(PlaceKey::DiscordGuild(guild)),
                _ => {
                    problems.push(problem("discord_guild", "a server id is a positive number"));
                    None
                }
            },
        }
    }
}

impl From<&Place> for PlaceInput {
    fn from(place: &Place) -> Self {
        let (telegram_chat, discord_guild) = match place.key {
            PlaceKey::TelegramChat(id) => (Some(id), None),
            PlaceKey::DiscordGuild(id) => (None, i64::try_from(id).ok()),
        };
        let budget = place.budget;
        Self {
            telegram_chat,
            discord_guild,
            threshold: place.threshold.map(i64::from),
            movies: budget.and_then(|b| b.movies).map(i64::from),
            seasons: budget.and_then(|b| b.seasons).map(i64::from),
            days: budget.map(|b| i64::from(b.days)),
        }
    }
}

fn problem(field: &'static str, message: &str) -> PlaceProblem {
    PlaceProblem {
        field,
        message: message.to_owned(),
    }
}

/// A count at least `min` (and within `u32`), or a problem naming the field.
fn count(
    value: Option<i64>,
    field: &'static str,
    min: i64,
    problems: &mut Vec<PlaceProblem>,
) -> Option<u32> {
    let value = value?;
    match u32::try_from(value) {
        Ok(n) if value >= min => Some(n),
        _ => {
            let msg = format!("must be a whole number from {min} to {}", u32::MAX);
            problems.push(PlaceProblem {
                field,
                message: format!("{msg}, not {value}"),
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: PlaceInput) -> Vec<&'static str> {
        input
            .validate()
            .expect_err("refused")
            .iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_full_place_validates() {
        let input = PlaceInput {
            telegram_chat: Some(-100_123),
            threshold: Some(3),
            movies: Some(20),
            seasons: Some(10),
            days: Some(30),
            ..PlaceInput::default()
        };
        let place = input.validate().expect("valid");
        assert_eq!(place.key, PlaceKey::TelegramChat(-100_123));
        assert_eq!(place.threshold, Some(3));
        let budget = place.budget.expect("budget");
        assert_eq!(budget.limit(false), Some(QuotaLimit { max: 20, days: 30 }));
        assert_eq!(budget.limit(true), Some(QuotaLimit { max: 10, days: 30 }));
        assert_eq!(PlaceInput::from(&place), input);
    }

    #[test]
    fn bad_fields_are_each_named() {
        let both = PlaceInput {
            telegram_chat: Some(-1),
            discord_guild: Some(5),
            ..PlaceInput::default()
        };
        assert_eq!(fields(both), ["telegram_chat"]);
        assert_eq!(fields(PlaceInput::default()), ["telegram_chat"]);
        let bad = PlaceInput {
            discord_guild: Some(7),
            threshold: Some(0),
            movies: Some(-1),
            days: Some(0),
            ..PlaceInput::default()
        };
        assert_eq!(fields(bad), ["threshold", "movies", "days"]);
        let no_days = PlaceInput {
            discord_guild: Some(7),
            seasons: Some(2),
            ..PlaceInput::default()
        };
        assert_eq!(fields(no_days), ["days"]);
    }

    #[test]
    fn keys_round_trip() {
        for key in [PlaceKey::TelegramChat(-1_005), PlaceKey::DiscordGuild(42)] {
            assert_eq!(PlaceKey::parse(&key.stored()), Some(key));
        }
        assert_eq!(PlaceKey::parse("irc:1"), None);
    }
}
