//! What a person may be offered: certification caps per country and blocklists of titles,
//! keywords and genres.
//!
//! An operator writes a limit on a role ([`ContentLimitSpec`], the `content_limit` table of a
//! `[[role]]` in `usher.toml` and the role form in the console). A person's effective limit is
//! the strictest of their roles' limits ([`ContentLimit::strictest`]): a child in the family chat
//! stays capped even when another grant makes them a plain member. Core asks
//! [`ContentLimit::admits`] wherever a title reaches a person; a title it refuses is not offered.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::certifications;
use super::ids::TmdbId;
use super::media::MediaType;

/// The country whose certifications a limit reads when it names none (TMDB's best covered).
pub const DEFAULT_COUNTRY: &str = "US";

/// A limit as an operator writes it, in `usher.toml` or the console, and as a role stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentLimitSpec {
    /// ISO 3166-1 country whose certifications `movie` and `tv` name; `US` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The highest movie certification offered, e.g. `PG-13`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movie: Option<String>,
    /// The highest TV certification offered, e.g. `TV-14`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tv: Option<String>,
    /// Whether a title with no certification in that country is still offered under a cap.
    /// Off by default: an unrated title is not known to be within the cap.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_unrated: bool,
    /// Titles never offered, as `movie/550` or `tv/1399` (TMDB's own paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_titles: Vec<String>,
    /// TMDB keywords that hide a title, matched without regard to case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_keywords: Vec<String>,
    /// TMDB genre names that hide a title, matched without regard to case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked_genres: Vec<String>,
}

impl ContentLimitSpec {
    /// Checks every field and returns the limit it describes, or a message naming the wrong
    /// value (an unknown country or certification, a malformed title).
    pub fn validate(&self) -> Result<ContentLimit, String> {
        let country = self
            .country
            .as_deref()
            .map(str::trim)
            .unwrap_or(DEFAULT_COUNTRY)
            .to_ascii_uppercase();
        let mut caps = Vec::new();
        for (media, wanted) in [(MediaType::Movie, &self.movie), (MediaType::Tv, &self.tv)] {
            if let Some(wanted) = wanted {
                caps.push(Cap::named(media, &country, wanted)?);
            }
        }
        let blocked_titles = self
            .blocked_titles
            .iter()
            .map(|entry| parse_title(entry))
            .collect::<Result<_, _>>()?;
        Ok(ContentLimit {
            caps,
            allow_unrated: self.allow_unrated,
            blocked_titles,
            blocked_keywords: words(&self.blocked_keywords, "keyword")?,
            blocked_genres: words(&self.blocked_genres, "genre")?,
        })
    }
}

/// One certification cap: titles rated above `rank` on `country`'s ladder are not offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cap {
    media: MediaType,
    country: String,
    /// Position on the ladder, mildest 0.
    rank: usize,
}

impl Cap {
    fn named(media: MediaType, country: &str, wanted: &str) -> Result<Self, String> {
        let kind = media_word(media);
        let ladder = ladder(media, country).ok_or_else(|| {
            format!("no {kind} certifications are known for the country `{country}`")
        })?;
        let rank = position(ladder, wanted.trim()).ok_or_else(|| {
            format!(
                "`{wanted}` is not a {kind} certification in {country}; known: {}",
                ladder.join(", ")
            )
        })?;
        Ok(Self {
            media,
            country: country.to_owned(),
            rank,
        })
    }
}

/// A person's effective limit: every cap and blocklist of every limited role they hold.
/// The default limits nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentLimit {
    caps: Vec<Cap>,
    allow_unrated: bool,
    blocked_titles: BTreeSet<(MediaType, TmdbId)>,
    blocked_keywords: BTreeSet<String>,
    blocked_genres: BTreeSet<String>,
}

/// What core knows of a title when it decides whether to offer it.
#[derive(Debug, Clone, Default)]
pub struct TitleFacts<'a> {
    /// TMDB's certifications for the title, as (country, certification) pairs.
    pub certifications: &'a [(String, String)],
    /// TMDB genre names.
    pub genres: &'a [String],
    /// TMDB keywords.
    pub keywords: &'a [String],
}

impl ContentLimit {
    /// Whether this limit hides nothing (most people): then no title facts need fetching.
    pub fn is_unlimited(&self) -> bool {
        self.caps.is_empty()
            && self.blocked_titles.is_empty()
            && self.blocked_keywords.is_empty()
            && self.blocked_genres.is_empty()
    }

    /// Whether deciding needs certifications, genres or keywords beyond the title's id.
    pub fn needs_facts(&self) -> bool {
        !self.caps.is_empty()
            || !self.blocked_keywords.is_empty()
            || !self.blocked_genres.is_empty()
    }

    /// The limit of someone holding both: every cap (the lower one where two cap the same
    /// ladder), every blocklist entry, and unrated titles only if both allow them. Roles
    /// without a limit are not combined in at all, so they never loosen one.
    pub fn strictest(mut self, other: &ContentLimit) -> ContentLimit {
        if self.is_unlimited() {
            return other.clone();
        }
        if other.is_unlimited() {
            return self;
        }
        for cap in &other.caps {
            match self
                .caps
                .iter_mut()
                .find(|mine| mine.media == cap.media && mine.country == cap.country)
            {
                Some(mine) => mine.rank = mine.rank.min(cap.rank),
                None => self.caps.push(cap.clone()),
            }
        }
        self.allow_unrated &= other.allow_unrated;
        self.blocked_titles
            .extend(other.blocked_titles.iter().copied());
        self.blocked_keywords
            .extend(other.blocked_keywords.iter().cloned());
        self.blocked_genres
            .extend(other.blocked_genres.iter().cloned());
        self
    }

    /// Whether a title is offered to someone with this limit.
    pub fn admits(&self, media: MediaType, tmdb_id: TmdbId, facts: &TitleFacts<'_>) -> bool {
        !self.blocked_titles.contains(&(media, tmdb_id))
            && !facts
                .genres
                .iter()
                .any(|genre| self.blocked_genres.contains(&genre.to_lowercase()))
            && !facts
                .keywords
                .iter()
                .any(|keyword| self.blocked_keywords.contains(&keyword.to_lowercase()))
            && self
                .caps
                .iter()
                .filter(|cap| cap.media == media)
                .all(|cap| self.within(cap, facts.certifications))
    }

    /// Whether the title's certification in the cap's country is at or below the cap. A title
    /// with several ratings there is judged by its strictest; one with none by `allow_unrated`.
    fn within(&self, cap: &Cap, certifications: &[(String, String)]) -> bool {
        let Some(ladder) = ladder(cap.media, &cap.country) else {
            return self.allow_unrated;
        };
        let rated = certifications
            .iter()
            .filter(|(country, _)| country.eq_ignore_ascii_case(&cap.country))
            .filter_map(|(_, certification)| position(ladder, certification.trim()))
            .max();
        match rated {
            Some(rank) => rank <= cap.rank,
            None => self.allow_unrated,
        }
    }
}

/// The ladder of a media type in a country, mildest first.
fn ladder(media: MediaType, country: &str) -> Option<&'static [&'static str]> {
    let table = match media {
        MediaType::Movie => certifications::MOVIE,
        MediaType::Tv => certifications::TV,
    };
    table
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(country))
        .map(|(_, ladder)| *ladder)
}

/// Where a certification sits on a ladder, ignoring case and inner spaces (`MA15+` = `MA 15+`).
fn position(ladder: &[&str], certification: &str) -> Option<usize> {
    let squeeze = |text: &str| text.replace(' ', "").to_ascii_uppercase();
    let wanted = squeeze(certification);
    ladder.iter().position(|step| squeeze(step) == wanted)
}

fn media_word(media: MediaType) -> &'static str {
    match media {
        MediaType::Movie => "movie",
        MediaType::Tv => "TV",
    }
}

/// Reads `movie/550` or `tv/1399`.
fn parse_title(entry: &str) -> Result<(MediaType, TmdbId), String> {
    let wrong = || format!("`{entry}` is not a title; write movie/<TMDB id> or tv/<TMDB id>");
    let (kind, id) = entry.trim().split_once('/').ok_or_else(wrong)?;
    let media = match kind {
        "movie" => MediaType::Movie,
        "tv" => MediaType::Tv,
        _ => return Err(wrong()),
    };
    let id = id
        .parse::<i64>()
        .ok()
        .and_then(|id| TmdbId::parse(id).ok())
        .ok_or_else(wrong)?;
    Ok((media, id))
}

/// Lower-cased, trimmed blocklist words; an empty one is a mistake worth naming.
fn words(list: &[String], what: &str) -> Result<BTreeSet<String>, String> {
    list.iter()
        .map(|word| {
            let word = word.trim().to_lowercase();
            if word.is_empty() {
                Err(format!("a blocked {what} is empty"))
            } else {
                Ok(word)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(movie: Option<&str>, tv: Option<&str>) -> ContentLimitSpec {
        ContentLimitSpec {
            movie: movie.map(str::to_owned),
            tv: tv.map(str::to_owned),
            ..ContentLimitSpec::default()
        }
    }

    fn tmdb(id: i64) -> TmdbId {
        TmdbId::parse(id).expect("id")
    }

    fn rated(certification: &str) -> Vec<(String, String)> {
        vec![("US".to_owned(), certification.to_owned())]
    }

    fn admits(limit: &ContentLimit, media: MediaType, certifications: &[(String, String)]) -> bool {
        let facts = TitleFacts {
            certifications,
            ..TitleFacts::default()
        };
        limit.admits(media, tmdb(1), &facts)
    }

    #[test]
    fn a_pg13_cap_admits_pg13_and_below_and_hides_r_and_unrated() {
        let limit = spec(Some("PG-13"), None).validate().expect("valid");
        assert!(admits(&limit, MediaType::Movie, &rated("PG")));
        assert!(admits(&limit, MediaType::Movie, &rated("PG-13")));
        assert!(!admits(&limit, MediaType::Movie, &rated("R")));
        assert!(!admits(&limit, MediaType::Movie, &[]));
        assert!(admits(&limit, MediaType::Tv, &rated("TV-MA")), "no TV cap");
    }

    #[test]
    fn unknown_certifications_and_countries_are_named() {
        let wrong = spec(Some("PG-15"), None).validate().expect_err("refused");
        assert!(
            wrong.contains("`PG-15`") && wrong.contains("PG-13"),
            "{wrong}"
        );
        let tv = spec(None, Some("PG-13")).validate().expect_err("refused");
        assert!(tv.contains("TV certification"), "{tv}");
        let country = ContentLimitSpec {
            country: Some("XX".into()),
            movie: Some("PG".into()),
            ..ContentLimitSpec::default()
        };
        assert!(country.validate().expect_err("refused").contains("`XX`"));
        let title = ContentLimitSpec {
            blocked_titles: vec!["film/1".into()],
            ..ContentLimitSpec::default()
        };
        assert!(
            title
                .validate()
                .expect_err("refused")
                .contains("movie/<TMDB id>")
        );
    }

    #[test]
    fn strictest_takes_the_lower_cap_and_every_blocklist() {
        let teen = spec(Some("PG-13"), Some("TV-14"))
            .validate()
            .expect("valid");
        let mut child = spec(Some("PG"), None);
        child.blocked_keywords = vec!["Gore".into()];
        let child = child.validate().expect("valid");
        let both = teen.clone().strictest(&child);
        assert!(!admits(&both, MediaType::Movie, &rated("PG-13")));
        assert!(admits(&both, MediaType::Movie, &rated("PG")));
        assert!(!admits(&both, MediaType::Tv, &rated("TV-MA")));
        let gore = TitleFacts {
            certifications: &rated("G"),
            keywords: &["gore".to_owned()],
            genres: &[],
        };
        assert!(!both.admits(MediaType::Movie, tmdb(1), &gore));
        assert_eq!(ContentLimit::default().strictest(&teen), teen);
        assert_eq!(teen.clone().strictest(&ContentLimit::default()), teen);
    }

    #[test]
    fn blocked_titles_and_genres_hide_whatever_the_rating() {
        let limit = ContentLimitSpec {
            blocked_titles: vec!["movie/550".into()],
            blocked_genres: vec!["Horror".into()],
            ..ContentLimitSpec::default()
        }
        .validate()
        .expect("parses");
        // Genres need TMDB's facts; titles blocked by id alone do not.
        assert!(limit.needs_facts() && !limit.is_unlimited());
        let by_id = ContentLimitSpec {
            blocked_titles: vec!["movie/550".into()],
            ..ContentLimitSpec::default()
        }
        .validate()
        .expect("valid");
        assert!(!by_id.needs_facts() && !by_id.is_unlimited());
        let none = TitleFacts::default();
        assert!(!limit.admits(MediaType::Movie, tmdb(550), &none));
        assert!(limit.admits(MediaType::Tv, tmdb(550), &none));
        let horror = TitleFacts {
            genres: &["horror".to_owned()],
            ..TitleFacts::default()
        };
        assert!(!limit.admits(MediaType::Movie, tmdb(2), &horror));
    }

    #[test]
    fn ladders_match_spaces_and_case_loosely() {
        let limit = ContentLimitSpec {
            country: Some("au".into()),
            movie: Some("MA15+".into()),
            ..ContentLimitSpec::default()
        }
        .validate()
        .expect("parses");
        let au = |c: &str| vec![("AU".to_owned(), c.to_owned())];
        assert!(admits(&limit, MediaType::Movie, &au("M")));
        assert!(!admits(&limit, MediaType::Movie, &au("R 18+")));
    }

    #[test]
    fn the_spec_reads_the_toml_names() {
        let spec: ContentLimitSpec =
            toml::from_str("movie = \"PG-13\"\ntv = \"TV-14\"\nblocked_keywords = [\"gore\"]")
                .expect("parses");
        assert_eq!(spec.movie.as_deref(), Some("PG-13"));
        assert!(toml::from_str::<ContentLimitSpec>("films = \"PG\"").is_err());
    }
}
