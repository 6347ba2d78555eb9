//! Issue reports: a member says something is wrong with a title the library already holds
//! (bad video, wrong audio, missing subtitles…), and an approver resolves it. Overseerr calls
//! these "issues"; here they live beside requests, not inside them, because a title may be in
//! the library without anyone having asked through Usher for that copy.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::clock::Timestamp;
use super::ids::{IssueId, RequestId, TmdbId, UserId};
use super::media::MediaType;
use super::user::Platform;
use crate::error::CoreError;

/// Longest report text, in characters: enough for a clear description, short enough for a
/// chat card (Discord embeds and Telegram captions both have limits).
pub const MAX_TEXT: usize = 1000;
/// Longest resolution note, in characters.
pub const MAX_NOTE: usize = 500;

/// What kind of problem, so approvers see at a glance what to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Picture: wrong file, bad quality, artefacts.
    Video,
    /// Sound: wrong language, out of sync, missing.
    Audio,
    /// Subtitles missing or wrong.
    Subtitles,
    /// Anything else.
    Other,
}

impl IssueKind {
    /// Every kind, in the order pickers show them.
    pub const ALL: [Self; 4] = [Self::Video, Self::Audio, Self::Subtitles, Self::Other];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Subtitles => "subtitles",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IssueKind {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::Validation(format!("unknown issue kind {s:?}")))
    }
}

/// Open until an approver resolves it; resolved is final (a new problem is a new report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    /// Waiting for an approver.
    Open,
    /// An approver dealt with it.
    Resolved,
}

impl IssueStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
        }
    }
}

impl fmt::Display for IssueStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IssueStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(Self::Open),
            "resolved" => Ok(Self::Resolved),
            other => Err(CoreError::Validation(format!(
                "unknown issue status {other:?}"
            ))),
        }
    }
}

/// One report, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable id, shown to people as `#id`.
    pub id: IssueId,
    /// Movie or TV.
    pub media_type: MediaType,
    /// The title's TMDB id.
    pub tmdb_id: TmdbId,
    /// The title as Usher knew it when the report was made.
    pub title: String,
    /// Its year, when known.
    pub year: Option<u16>,
    /// The request that brought the title in, when Usher knows one.
    pub request_id: Option<RequestId>,
    /// What kind of problem.
    pub kind: IssueKind,
    /// The reporter's description (1 to [`MAX_TEXT`] characters).
    pub text: String,
    /// Open or resolved.
    pub status: IssueStatus,
    /// Who reported it.
    pub reported_by: UserId,
    /// Where they reported it from, so they hear of the resolution there.
    pub source: Platform,
    /// Who resolved it.
    pub resolved_by: Option<UserId>,
    /// The resolver's note to the reporter.
    pub resolution_note: Option<String>,
    /// When it was resolved.
    pub resolved_at: Option<Timestamp>,
    /// When it was reported.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Why a report or a resolution was refused, beyond permissions: each has its own message in
/// the front ends, so people know what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRefusal {
    /// The library does not hold the title (as far as Usher knows): request it instead.
    NotInLibrary,
    /// The reporter already has an open report for this title; it is refused rather than
    /// added, so approvers get one card per person and title.
    AlreadyOpen(IssueId),
    /// Someone resolved it already.
    AlreadyResolved(IssueId),
}

impl fmt::Display for IssueRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotInLibrary => f.write_str("the title is not in the library"),
            Self::AlreadyOpen(id) => write!(f, "an open report #{id} exists for this title"),
            Self::AlreadyResolved(id) => write!(f, "report #{id} is already resolved"),
        }
    }
}

/// The report text, trimmed, when it has 1 to [`MAX_TEXT`] characters.
pub fn report_text(raw: &str) -> Result<String, CoreError> {
    bounded(raw, MAX_TEXT, "a problem description")
}

/// The resolution note, trimmed; `None` when blank.
pub fn resolution_note(raw: Option<&str>) -> Result<Option<String>, CoreError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(note) => bounded(note, MAX_NOTE, "a resolution note").map(Some),
        None => Ok(None),
    }
}

fn bounded(raw: &str, max: usize, what: &str) -> Result<String, CoreError> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(CoreError::Validation(format!(
            "{what} must have 1 to {max} characters"
        )));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(report_text("  no sound ").ok().as_deref(), Some("no sound"));
        assert!(report_text("   ").is_err());
        assert!(report_text(&"é".repeat(MAX_TEXT)).is_ok());
        assert!(report_text(&"é".repeat(MAX_TEXT + 1)).is_err());
        assert_eq!(resolution_note(Some("  ")).ok(), Some(None));
        assert!(resolution_note(Some(&"x".repeat(MAX_NOTE + 1))).is_err());
    }

    #[test]
    fn kinds_and_statuses_parse_back() {
        for kind in IssueKind::ALL {
            assert_eq!(kind.as_str().parse::<IssueKind>().ok(), Some(kind));
        }
        assert!("picture".parse::<IssueKind>().is_err());
        assert_eq!(
            "resolved".parse::<IssueStatus>().ok(),
            Some(IssueStatus::Resolved)
        );
        assert!("closed".parse::<IssueStatus>().is_err());
    }
}
