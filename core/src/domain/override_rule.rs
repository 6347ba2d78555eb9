//! Override rules (`[[override]]` in `usher.toml`): a title's TMDB genres and keywords and its
//! requester's roles decide where a request goes — the Radarr/Sonarr instance, quality profile,
//! root folder, tags and, for TV, Sonarr's series type — ahead of the requester's roles' own
//! placement. The typical rule sends anime to the anime Sonarr with the anime series type.
//!
//! Rules are kept in file order and the first that matches wins ([`first_match`]); with none
//! matching, a request is placed as before (its roles' placement, else the instance's rule).
//! Parsing and every check live here, so start-up reports each mistake naming the entry.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::content_limit::TitleFacts;
use super::media::MediaType;
use super::role_spec::Placement;

/// Sonarr's series type (`SeriesTypes` in its API): how it numbers and searches episodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesType {
    /// Season and episode numbers.
    Standard,
    /// Air dates (talk shows, news).
    Daily,
    /// Absolute episode numbers, as anime releases are named.
    Anime,
}

impl SeriesType {
    /// Every type, in Sonarr's order.
    pub const ALL: [SeriesType; 3] = [Self::Standard, Self::Daily, Self::Anime];

    /// Sonarr's (and the stored) name: `standard`, `daily` or `anime`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Daily => "daily",
            Self::Anime => "anime",
        }
    }

    /// Reads a name written in `usher.toml` or stored on a request; `Err` says what is allowed.
    pub fn parse(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == name.trim())
            .ok_or_else(|| format!("series_type `{name}` must be standard, daily or anime"))
    }
}

impl fmt::Display for SeriesType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `[[override]]`: conditions (all that are given must hold; within one, any value does)
/// and the placement it gives a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideRule {
    /// The media type it applies to.
    pub media: MediaType,
    /// TMDB genre names (English), any of which matches; empty: any genre.
    pub genres: Vec<String>,
    /// TMDB keywords, any of which matches; empty: any keyword.
    pub keywords: Vec<String>,
    /// Roles, any of which the requester must hold; empty: anyone.
    pub roles: Vec<String>,
    /// Where a matching request goes.
    pub placement: Placement,
    /// Sonarr's series type for a matching show; `None`: the instance's usual choice.
    pub series_type: Option<SeriesType>,
}

impl OverrideRule {
    /// Whether deciding needs the title's genres or keywords (one cached TMDB call).
    pub fn needs_facts(&self) -> bool {
        !self.genres.is_empty() || !self.keywords.is_empty()
    }

    /// Whether a request of `media` (4K or not) by someone holding `roles` for a title with
    /// these `facts` matches. A rule naming genres or keywords never matches without facts.
    /// Like a role's placement, a rule whose instance ends in `-4k` serves 4K requests only,
    /// and the others everyday ones.
    pub fn matches(
        &self,
        media: MediaType,
        four_k: bool,
        facts: Option<&TitleFacts<'_>>,
        roles: &[String],
    ) -> bool {
        let any = |wanted: &[String], have: &[String]| {
            wanted.is_empty()
                || have
                    .iter()
                    .any(|h| wanted.iter().any(|w| w.eq_ignore_ascii_case(h.trim())))
        };
        let (genres, keywords) = match facts {
            Some(facts) => (facts.genres, facts.keywords),
            None if self.needs_facts() => return false,
            None => (&[][..], &[][..]),
        };
        self.media == media
            && self.placement.instance.ends_with("-4k") == four_k
            && any(&self.genres, genres)
            && any(&self.keywords, keywords)
            && any(&self.roles, roles)
    }

    /// Reads one `[[override]]` table. `instances` are the configured instance names and
    /// `known_role` says whether a role name exists. `Err` lists every problem, each naming
    /// its field.
    pub fn from_toml(
        table: &toml::Table,
        instances: &[&str],
        known_role: impl Fn(&str) -> bool,
    ) -> Result<Self, Vec<String>> {
        let raw: OverrideTable = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|err: toml::de::Error| vec![err.message().to_owned()])?;
        let mut problems = Vec::new();
        let media = match raw.media.trim() {
            "movie" => Some(MediaType::Movie),
            "tv" => Some(MediaType::Tv),
            other => {
                problems.push(format!("media `{other}` must be movie or tv"));
                None
            }
        };
        let genres = words("genres", &raw.genres, &mut problems);
        let keywords = words("keywords", &raw.keywords, &mut problems);
        let roles = words("roles", &raw.roles, &mut problems);
        for role in roles.iter().filter(|r| !known_role(r)) {
            problems.push(format!(
                "roles: unknown role `{role}`; name a built-in role or a [[role]] of this file"
            ));
        }
        if raw.genres.is_empty() && raw.keywords.is_empty() && raw.roles.is_empty() {
            problems.push("give at least one condition: genres, keywords or roles".into());
        }
        let placed =
            media.and_then(|media| destination(media, raw.radarr, raw.sonarr, &mut problems));
        let Some((media, placement, series_type)) = placed else {
            return Err(problems);
        };
        let key = match media {
            MediaType::Movie => "radarr",
            MediaType::Tv => "sonarr",
        };
        placement.problems(key, media, instances, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            media,
            genres,
            keywords,
            roles,
            placement: placement.tidy(),
            series_type,
        })
    }
}

/// The placement of the table's media type: `radarr` for movies, `sonarr` (with an optional
/// series type) for TV; the other one is a mistake, and so is neither.
fn destination(
    media: MediaType,
    radarr: Option<Placement>,
    sonarr: Option<SonarrTable>,
    problems: &mut Vec<String>,
) -> Option<(MediaType, Placement, Option<SeriesType>)> {
    match (media, radarr, sonarr) {
        (MediaType::Movie, Some(placement), None) => Some((media, placement, None)),
        (MediaType::Tv, None, Some(sonarr)) => {
            let series_type = match sonarr.series_type.as_deref().map(SeriesType::parse) {
                Some(Ok(kind)) => Some(kind),
                Some(Err(why)) => {
                    problems.push(format!("sonarr.{why}"));
                    None
                }
                None => None,
            };
            let placement = Placement {
                instance: sonarr.instance,
                quality_profile: sonarr.quality_profile,
                root_folder: sonarr.root_folder,
                tags: sonarr.tags,
            };
            Some((media, placement, series_type))
        }
        (MediaType::Movie, _, Some(_)) => {
            problems.push("media = \"movie\" takes a `radarr` placement, not `sonarr`".into());
            None
        }
        (MediaType::Tv, Some(_), _) => {
            problems.push("media = \"tv\" takes a `sonarr` placement, not `radarr`".into());
            None
        }
        (MediaType::Movie, None, None) => {
            problems.push("give where it goes: radarr = { instance = ... }".into());
            None
        }
        (MediaType::Tv, None, None) => {
            problems.push("give where it goes: sonarr = { instance = ... }".into());
            None
        }
    }
}

/// A list of names, trimmed; an empty one is a problem naming the field.
fn words(field: &str, values: &[String], problems: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for value in values {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 100 {
            problems.push(format!("{field}: \"{value}\" must be 1 to 100 characters"));
        } else {
            out.push(value.to_owned());
        }
    }
    out
}

/// The first rule matching a request (rules in file order), if any.
pub fn first_match<'a>(
    rules: &'a [OverrideRule],
    media: MediaType,
    four_k: bool,
    facts: Option<&TitleFacts<'_>>,
    roles: &[String],
) -> Option<&'a OverrideRule> {
    rules
        .iter()
        .find(|rule| rule.matches(media, four_k, facts, roles))
}

/// The `[[override]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideTable {
    media: String,
    #[serde(default)]
    genres: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    radarr: Option<Placement>,
    #[serde(default)]
    sonarr: Option<SonarrTable>,
}

/// `sonarr = { ... }`: a placement and Sonarr's series type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SonarrTable {
    instance: String,
    #[serde(default)]
    quality_profile: Option<String>,
    #[serde(default)]
    root_folder: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    series_type: Option<String>,
}

#[cfg(test)]
mod tests;
