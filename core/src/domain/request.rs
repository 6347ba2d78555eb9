//! A media request and the only ways its status may change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::clock::Timestamp;
use super::episodes::Episodes;
use super::ids::{RequestId, UserId};
use super::media::{Media, Seasons};
use super::user::Platform;
use crate::error::CoreError;

/// Where a request is in its life; see the lifecycle in DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for an approver.
    Pending,
    /// Approved; waiting in the outbox to reach Radarr/Sonarr.
    Approved,
    /// Radarr/Sonarr accepted it.
    Submitted,
    /// Some of the requested seasons are in the library.
    PartiallyAvailable,
    /// Everything requested is in the library.
    Available,
    /// An approver said no, with a reason.
    Declined,
    /// The upstream kept failing; kept, visible and retryable.
    Failed,
    /// Withdrawn by the requester while pending.
    Cancelled,
}

impl RequestStatus {
    /// Every status, for filters and exhaustive tests.
    pub const ALL: [Self; 8] = [
        Self::Pending,
        Self::Approved,
        Self::Submitted,
        Self::PartiallyAvailable,
        Self::Available,
        Self::Declined,
        Self::Failed,
        Self::Cancelled,
    ];

    /// The legal moves of the lifecycle; everything else is refused before anything is written.
    pub fn can_become(self, next: Self) -> bool {
        use RequestStatus::*;
        matches!(
            (self, next),
            (Pending, Approved | Declined | Cancelled)
                | (
                    Approved,
                    Submitted | Failed | PartiallyAvailable | Available
                )
                | (Failed, Approved | Submitted | Declined)
                | (Submitted, PartiallyAvailable | Available)
                | (PartiallyAvailable, PartiallyAvailable | Available)
        )
    }

    /// Whether the request still holds its title: a declined or cancelled one frees it for others.
    pub fn holds_claim(self) -> bool {
        !matches!(self, Self::Declined | Self::Cancelled)
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Submitted => "submitted",
            Self::PartiallyAvailable => "partially_available",
            Self::Available => "available",
            Self::Declined => "declined",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RequestStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| CoreError::Validation(format!("unknown request status {s:?}")))
    }
}

/// A request as stored, with who made it and who decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Stable id.
    pub id: RequestId,
    /// The title snapshot.
    pub media: Media,
    /// Requested seasons (TV only).
    pub seasons: Seasons,
    /// The single episodes asked for (TV); empty when the request is for whole seasons.
    pub episodes: Episodes,
    /// Sonarr should also monitor seasons that do not exist yet (TV only).
    pub future_seasons: bool,
    /// A 4K request is tracked, deduplicated and counted apart.
    pub four_k: bool,
    /// Current status.
    pub status: RequestStatus,
    /// Who asked.
    pub requested_by: UserId,
    /// Where they asked, so they are told there.
    pub source: Platform,
    /// Who approved or declined, once someone did.
    pub decided_by: Option<UserId>,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// The requester's note for the approvers, sanitized ([`super::RequestComment`]).
    pub comment: Option<String>,
    /// The last upstream error, for Failed requests.
    pub last_error: Option<String>,
    /// The last failed attempt as the upstream answered it (status, words, circuit breaker),
    /// while the request is retried or once it failed; cleared when it is sent again.
    pub failure: Option<super::UpstreamFailure>,
    /// Submission attempts that failed so far.
    pub retry_count: u32,
    /// Seasons (TV) the library already holds; for a movie, `[0]` once it is available.
    pub available_seasons: Seasons,
    /// Where it went upstream, once submitted.
    pub upstream: Option<UpstreamRef>,
    /// The Radarr/Sonarr instance an approver sent it to; `None` lets the usual rule pick
    /// (4K, anime, default).
    pub target_instance: Option<String>,
    /// The quality profile (id or name) an approver picked; `None`: the instance's setting.
    pub target_profile: Option<String>,
    /// The root folder (id or path) an approver picked; `None`: the instance's setting.
    pub target_root_folder: Option<String>,
    /// The tag labels an approver picked in place of the instance's configured ones (the
    /// requester's tag is added either way); `None`: the configured tags.
    pub target_tags: Option<Vec<String>>,
    /// Sonarr's series type an override rule gave it (`[[override]]`); `None`: the
    /// instance's usual choice (anime for anime titles and on the anime instance).
    pub target_series_type: Option<super::SeriesType>,
    /// When it was asked.
    pub created_at: Timestamp,
    /// When its status last changed.
    pub updated_at: Timestamp,
}

/// The Radarr/Sonarr instance a request was sent to and the title's id there, so later syncs
/// and deletions find it without a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamRef {
    /// Instance name (e.g. `radarr`, `radarr-4k`, `sonarr-anime`).
    pub instance: String,
    /// Movie or series id in that instance.
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::RequestStatus::{self, *};

    #[test]
    fn lifecycle_allows_exactly_the_designed_moves() {
        let legal = [
            (Pending, Approved),
            (Pending, Declined),
            (Pending, Cancelled),
            (Approved, Submitted),
            (Approved, Failed),
            (Approved, PartiallyAvailable),
            (Approved, Available),
            (Failed, Approved),
            (Failed, Submitted),
            (Failed, Declined),
            (Submitted, PartiallyAvailable),
            (Submitted, Available),
            (PartiallyAvailable, PartiallyAvailable),
            (PartiallyAvailable, Available),
        ];
        for from in RequestStatus::ALL {
            for to in RequestStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    legal.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn terminal_states_release_the_title() {
        assert!(!Declined.holds_claim());
        assert!(!Cancelled.holds_claim());
        assert!(Available.holds_claim());
        assert!(Failed.holds_claim());
    }

    #[test]
    fn status_names_round_trip() {
        for status in RequestStatus::ALL {
            assert_eq!(status.as_str().parse::<RequestStatus>().ok(), Some(status));
        }
        assert!("approved ".parse::<RequestStatus>().is_err());
    }
}
