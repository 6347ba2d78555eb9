//! Single episodes of a show: what `/tv Show S02E05` asks for, instead of whole seasons.
//!
//! People type `S02E05`, a run `S02E05-E07` (or `S02E05-07`), or a list `S02E05,S02E07`;
//! case does not matter and the leading zeros are optional. [`Episodes`] keeps the pairs sorted
//! and unique, so the same episodes asked twice compare equal (the duplicate rule needs that).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::media::Seasons;
use crate::error::CoreError;

/// Highest season number accepted (TMDB's longest-running shows stay far below).
pub const MAX_SEASON: u16 = 100;
/// Highest episode number accepted (long anime seasons run past 1,000 episodes).
pub const MAX_EPISODE: u16 = 2_000;
/// Most episodes one request may name; more is a season request.
pub const MAX_EPISODES: usize = 100;

/// One episode: its season and its number in that season (TMDB numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EpisodeNumber {
    /// Season (0 holds the specials).
    pub season: u16,
    /// Episode in the season, from 1.
    pub episode: u16,
}

impl EpisodeNumber {
    /// Checks the ranges, so a typo like `S00E00` or `S2E99999` is refused with a clear reason.
    pub fn new(season: u16, episode: u16) -> Result<Self, CoreError> {
        if season > MAX_SEASON {
            return Err(CoreError::Validation(format!(
                "season {season} is out of range (0 to {MAX_SEASON})"
            )));
        }
        if episode == 0 || episode > MAX_EPISODE {
            return Err(CoreError::Validation(format!(
                "episode {episode} is out of range (1 to {MAX_EPISODE})"
            )));
        }
        Ok(Self { season, episode })
    }
}

impl fmt::Display for EpisodeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{:02}E{:02}", self.season, self.episode)
    }
}

/// The episodes of a TV request; empty when the request is for whole seasons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Episodes(BTreeSet<EpisodeNumber>);

impl Episodes {
    /// These episodes, deduplicated and sorted.
    pub fn new(episodes: impl IntoIterator<Item = EpisodeNumber>) -> Self {
        Self(episodes.into_iter().collect())
    }

    /// True for a whole-season (or movie) request.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many episodes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The episodes in order.
    pub fn iter(&self) -> impl Iterator<Item = EpisodeNumber> + '_ {
        self.0.iter().copied()
    }

    /// Whether this episode is named.
    pub fn contains(&self, episode: EpisodeNumber) -> bool {
        self.0.contains(&episode)
    }

    /// The seasons the episodes belong to (what the request's season list shows).
    pub fn seasons(&self) -> Seasons {
        Seasons::new(self.0.iter().map(|e| e.season))
    }

    /// The episodes outside the given seasons and not in `taken`.
    #[must_use]
    pub fn without(&self, seasons: &Seasons, taken: &Self) -> Self {
        Self(
            self.0
                .iter()
                .filter(|e| !seasons.contains(e.season) && !taken.contains(**e))
                .copied()
                .collect(),
        )
    }

    /// The stored form: `2:5,2:7` (empty: whole seasons).
    pub fn to_stored(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}:{}", e.season, e.episode))
            .collect();
        parts.join(",")
    }

    /// Reads the stored form; anything else is a corrupt row, reported as such.
    pub fn from_stored(raw: &str) -> Result<Self, CoreError> {
        if raw.is_empty() {
            return Ok(Self::default());
        }
        let bad = || CoreError::Validation(format!("bad episode list {raw:?}"));
        raw.split(',')
            .map(|part| {
                let (season, episode) = part.split_once(':').ok_or_else(bad)?;
                let season = season.parse::<u16>().map_err(|_| bad())?;
                let episode = episode.parse::<u16>().map_err(|_| bad())?;
                EpisodeNumber::new(season, episode)
            })
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }

    /// Parses what people type: `S02E05`, `S02E05-E07`, `S02E05-07`, `S02E05,S02E07`.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CoreError::Validation("no episode given".into()));
        }
        let mut all = BTreeSet::new();
        for part in text.split(',') {
            for episode in parse_part(part.trim())? {
                all.insert(episode);
                if all.len() > MAX_EPISODES {
                    return Err(CoreError::Validation(format!(
                        "at most {MAX_EPISODES} episodes at once; ask for the season instead"
                    )));
                }
            }
        }
        Ok(Self(all))
    }

    /// Splits a search such as `Breaking Bad S02E05` into the title to search and the
    /// episodes asked for. A last word that looks like an episode (`S2E…`) but is not a valid
    /// one is an error, not part of the title, so a typo is pointed out instead of searched.
    pub fn split_query(query: &str) -> Result<(&str, Option<Self>), CoreError> {
        let query = query.trim();
        let Some((title, last)) = query.rsplit_once(char::is_whitespace) else {
            return Ok((query, None));
        };
        if !looks_like_episode(last) {
            return Ok((query, None));
        }
        let episodes = Self::parse(last)?;
        Ok((title.trim_end(), Some(episodes)))
    }
}

impl fmt::Display for Episodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(", "))
    }
}

/// `S` and a digit: the word is meant as an episode (so `S2E` is a typo, not a title word).
fn looks_like_episode(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(chars.next(), Some('s' | 'S')) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// One comma-separated part: `S02E05`, `S02E05-E07` or `S02E05-07`.
fn parse_part(part: &str) -> Result<Vec<EpisodeNumber>, CoreError> {
    let bad = || {
        CoreError::Validation(format!(
            "{part:?} is not an episode; write it like S02E05, S02E05-E07 or S02E05,S02E07"
        ))
    };
    let rest = part.strip_prefix(['s', 'S']).ok_or_else(bad)?;
    let (season, rest) = rest.split_once(['e', 'E']).ok_or_else(bad)?;
    let (first, last) = match rest.split_once('-') {
        Some((first, last)) => (first, Some(last.strip_prefix(['e', 'E']).unwrap_or(last))),
        None => (rest, None),
    };
    let season = number(season).ok_or_else(bad)?;
    let first = number(first).ok_or_else(bad)?;
    let last = match last {
        Some(last) => number(last).ok_or_else(bad)?,
        None => first,
    };
    if last < first {
        return Err(CoreError::Validation(format!(
            "{part:?} runs backwards; write the lower episode first"
        )));
    }
    if usize::from(last - first) >= MAX_EPISODES {
        return Err(CoreError::Validation(format!(
            "at most {MAX_EPISODES} episodes at once; ask for the season instead"
        )));
    }
    (first..=last)
        .map(|episode| EpisodeNumber::new(season, episode))
        .collect()
}

/// A number of at most four digits (more is refused as out of range by the caller's check).
fn number(digits: &str) -> Option<u16> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Past four digits the value is out of range whatever it is: report it as such.
    if digits.trim_start_matches('0').len() > 4 {
        return Some(u16::MAX);
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(season: u16, episode: u16) -> EpisodeNumber {
        EpisodeNumber { season, episode }
    }

    #[test]
    fn people_write_episodes_in_several_ways() {
        let one = Episodes::parse("S02E05").expect("one");
        assert_eq!(one, Episodes::new([ep(2, 5)]));
        assert_eq!(Episodes::parse("s2e5").expect("lower"), one);
        let run = Episodes::new([ep(2, 5), ep(2, 6), ep(2, 7)]);
        assert_eq!(Episodes::parse("S02E05-E07").expect("run"), run);
        assert_eq!(Episodes::parse("S02E05-07").expect("short run"), run);
        let list = Episodes::parse("S02E05,S02E07, S03E01").expect("list");
        assert_eq!(list, Episodes::new([ep(2, 5), ep(2, 7), ep(3, 1)]));
        assert_eq!(list.seasons(), Seasons::new([2, 3]));
        assert_eq!(list.to_string(), "S02E05, S02E07, S03E01");
        assert_eq!(Episodes::parse("S00E03").expect("special").len(), 1);
    }

    #[test]
    fn typos_and_huge_numbers_are_refused_with_a_reason() {
        for bad in [
            "S00E00",
            "S2E",
            "S02",
            "E05",
            "S02E05-E03",
            "S02E0",
            "S101E01",
            "S02E99999",
            "S99999999999E01",
            "S02E01-E200",
            "SxE1",
            "",
        ] {
            let err = Episodes::parse(bad).expect_err(bad);
            assert!(matches!(err, CoreError::Validation(_)), "{bad}: {err}");
        }
        let huge = Episodes::parse("S02E99999").expect_err("huge").to_string();
        assert!(huge.contains("out of range"), "{huge}");
    }

    #[test]
    fn a_search_gives_up_its_last_word_when_that_is_an_episode() {
        let (title, episodes) = Episodes::split_query("Breaking Bad S02E05").expect("split");
        assert_eq!(title, "Breaking Bad");
        assert_eq!(episodes, Some(Episodes::new([ep(2, 5)])));
        assert_eq!(
            Episodes::split_query("Breaking Bad").expect("plain"),
            ("Breaking Bad", None)
        );
        assert_eq!(
            Episodes::split_query("Seven Samurai").expect("word with s"),
            ("Seven Samurai", None)
        );
        assert!(Episodes::split_query("Breaking Bad S2E").is_err());
        assert_eq!(Episodes::split_query("S02E05").expect("alone").1, None);
    }

    #[test]
    fn stored_form_round_trips() {
        let episodes = Episodes::new([ep(3, 1), ep(2, 7), ep(2, 5)]);
        assert_eq!(episodes.to_stored(), "2:5,2:7,3:1");
        assert_eq!(Episodes::from_stored("2:5,2:7,3:1").ok(), Some(episodes));
        assert_eq!(Episodes::from_stored("").ok(), Some(Episodes::default()));
        assert!(Episodes::from_stored("2-5").is_err());
        let taken = Episodes::new([ep(2, 7)]);
        let left = Episodes::parse("S02E05,S02E07,S03E01")
            .expect("list")
            .without(&Seasons::new([3]), &taken);
        assert_eq!(left, Episodes::new([ep(2, 5)]));
    }
}
