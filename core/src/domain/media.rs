//! What can be requested: a movie, or some seasons of a TV show.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ids::{TmdbId, TvdbId};
use crate::error::CoreError;

/// Movies go to Radarr, TV to Sonarr; the kind also decides which quota and auto-approve rule apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// A single film.
    Movie,
    /// A series, requested season by season.
    Tv,
}

impl MediaType {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movie => "movie",
            Self::Tv => "tv",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MediaType {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "movie" => Ok(Self::Movie),
            "tv" => Ok(Self::Tv),
            other => Err(CoreError::Validation(format!(
                "unknown media type {other:?}"
            ))),
        }
    }
}

/// The seasons of a TV request; empty for a movie. Kept sorted and unique so two
/// requests for the "same" seasons compare equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seasons(BTreeSet<u16>);

impl Seasons {
    /// The seasons picked by a user, deduplicated.
    pub fn new(seasons: impl IntoIterator<Item = u16>) -> Self {
        Self(seasons.into_iter().collect())
    }

    /// True for a movie, or a TV request with nothing picked.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many seasons count against a season quota.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Seasons in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.0.iter().copied()
    }

    /// Whether a given season is part of the request.
    pub fn contains(&self, season: u16) -> bool {
        self.0.contains(&season)
    }

    /// The stored form: `1,2,5`.
    pub fn to_csv(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(u16::to_string).collect();
        parts.join(",")
    }

    /// Reads the stored form; anything else is a corrupt row, reported as such.
    pub fn from_csv(raw: &str) -> Result<Self, CoreError> {
        if raw.is_empty() {
            return Ok(Self::default());
        }
        raw.split(',')
            .map(|part| {
                part.parse::<u16>()
                    .map_err(|_| CoreError::Validation(format!("bad season list {raw:?}")))
            })
            .collect::<Result<BTreeSet<_>, _>>()
            .map(Self)
    }
}

/// A title as the front ends found it (from TMDB), snapshotted into the request so the
/// request stays readable even if TMDB is down later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    /// Movie or TV.
    pub media_type: MediaType,
    /// TMDB id, the dedup key.
    pub tmdb_id: TmdbId,
    /// TVDB id, which Sonarr needs; unknown for movies and sometimes for fresh shows.
    pub tvdb_id: Option<TvdbId>,
    /// Display title.
    pub title: String,
    /// Release or first-air year, when known.
    pub year: Option<u16>,
}

/// The most characters of a title kept with a request. Far above any platform's display limit
/// (each front end shortens titles for display on its own); only a bound on what one request
/// can store, never a reason to refuse one.
pub const STORED_TITLE_CHARS: usize = 2_000;

impl Media {
    /// The media with its title trimmed and, past [`STORED_TITLE_CHARS`], cut at a character
    /// boundary with an ellipsis: a request never depends on how long TMDB's title is (the
    /// request is keyed by its TMDB id; the title is a snapshot for display).
    #[must_use]
    pub fn with_storable_title(mut self) -> Self {
        let trimmed = self.title.trim();
        self.title = match trimmed.char_indices().nth(STORED_TITLE_CHARS) {
            Some((cut, _)) => {
                let kept: String = trimmed[..cut]
                    .chars()
                    .take(STORED_TITLE_CHARS - 1)
                    .collect();
                format!("{kept}…")
            }
            None => trimmed.to_owned(),
        };
        self
    }

    /// Checks what a front end cannot be trusted to have checked: a title that is not blank
    /// (its length is not checked: see [`Media::with_storable_title`]).
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.title.trim().is_empty() {
            return Err(CoreError::Validation("a title must not be empty".into()));
        }
        if self.media_type == MediaType::Movie && self.tvdb_id.is_some() {
            return Err(CoreError::Validation("a movie has no TVDB id".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_round_trip_sorted_and_unique() {
        let seasons = Seasons::new([3, 1, 3, 2]);
        assert_eq!(seasons.to_csv(), "1,2,3");
        assert_eq!(Seasons::from_csv("1,2,3").ok(), Some(seasons));
        assert_eq!(Seasons::from_csv("").ok(), Some(Seasons::default()));
        assert!(Seasons::from_csv("1,x").is_err());
    }

    #[test]
    fn long_titles_are_kept_cut_at_a_character_boundary_never_refused() {
        let media = |title: String| Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(1).expect("id"),
            tvdb_id: None,
            title,
            year: None,
        };
        let long = "é".repeat(400);
        let kept = media(format!("  {long} ")).with_storable_title();
        assert_eq!(kept.title, long);
        assert!(kept.validate().is_ok());
        let huge = media("ß".repeat(STORED_TITLE_CHARS + 5)).with_storable_title();
        assert_eq!(huge.title.chars().count(), STORED_TITLE_CHARS);
        assert!(huge.title.ends_with("ß…"));
        assert!(huge.validate().is_ok());
        assert!(media("  ".into()).validate().is_err());
    }

    #[test]
    fn media_type_parses_only_known_names() {
        assert_eq!("tv".parse::<MediaType>().ok(), Some(MediaType::Tv));
        assert!("show".parse::<MediaType>().is_err());
    }
}
