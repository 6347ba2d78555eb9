//! Request quotas: N movies or M seasons per D days, per user and per role, 4K counted apart.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::clock::{DAY, Timestamp};
use super::media::MediaType;

/// Which counter a request uses: movies count one each, TV counts one per season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuotaScope {
    /// Movies or TV seasons.
    pub media_type: MediaType,
    /// 4K requests have their own counter.
    pub four_k: bool,
}

impl QuotaScope {
    /// Every counter, in the order the console lists them.
    pub const ALL: [Self; 4] = [
        Self {
            media_type: MediaType::Movie,
            four_k: false,
        },
        Self {
            media_type: MediaType::Tv,
            four_k: false,
        },
        Self {
            media_type: MediaType::Movie,
            four_k: true,
        },
        Self {
            media_type: MediaType::Tv,
            four_k: true,
        },
    ];

    /// Reads [`QuotaScope::key`]'s name back (stored rows, console forms); anything else is
    /// refused.
    pub fn parse(key: &str) -> Result<Self, crate::error::CoreError> {
        Self::ALL
            .into_iter()
            .find(|scope| scope.key() == key)
            .ok_or_else(|| crate::error::CoreError::Validation(format!("unknown quota {key:?}")))
    }

    /// Stored name of the counter: `movie`, `tv`, `movie_4k`, `tv_4k`.
    pub fn key(self) -> &'static str {
        match (self.media_type, self.four_k) {
            (MediaType::Movie, false) => "movie",
            (MediaType::Tv, false) => "tv",
            (MediaType::Movie, true) => "movie_4k",
            (MediaType::Tv, true) => "tv_4k",
        }
    }
}

/// At most `max` units per rolling window of `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaLimit {
    /// Units allowed in the window.
    pub max: u32,
    /// Window length in days (at least 1).
    pub days: u32,
}

impl QuotaLimit {
    /// The rolling window as a duration.
    pub fn window(self) -> Duration {
        DAY * self.days.max(1)
    }

    /// Whether `self` lets a user request more than `other` over time.
    fn more_generous_than(self, other: Self) -> bool {
        let lhs = u64::from(self.max) * u64::from(other.days.max(1));
        let rhs = u64::from(other.max) * u64::from(self.days.max(1));
        lhs > rhs || (lhs == rhs && self.max > other.max)
    }
}

/// Refusal details: the user is told when they may ask again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaExceeded {
    /// The limit in force.
    pub limit: QuotaLimit,
    /// Units already used in the window.
    pub used: u32,
    /// When enough units free up for this request; `None` if it asks for more than the limit.
    pub next_slot: Option<Timestamp>,
}

/// The limit that applies: the user's own override if set; otherwise the most generous of their
/// roles' limits, where a role without a limit means "unlimited".
pub fn effective_limit(
    user_override: Option<QuotaLimit>,
    role_limits: &[Option<QuotaLimit>],
) -> Option<QuotaLimit> {
    if user_override.is_some() {
        return user_override;
    }
    if role_limits.is_empty() || role_limits.iter().any(Option::is_none) {
        return None;
    }
    role_limits.iter().flatten().copied().reduce(|best, next| {
        if next.more_generous_than(best) {
            next
        } else {
            best
        }
    })
}

/// Decides whether `asking` more units fit, given when each already-used unit was requested.
pub fn check(
    limit: QuotaLimit,
    now: Timestamp,
    used_at: &[Timestamp],
    asking: u32,
) -> Result<(), QuotaExceeded> {
    let since = now.minus(limit.window());
    let mut in_window: Vec<Timestamp> = used_at.iter().copied().filter(|t| *t > since).collect();
    in_window.sort_unstable();
    let used = u32::try_from(in_window.len()).unwrap_or(u32::MAX);
    if used.saturating_add(asking) <= limit.max {
        return Ok(());
    }
    let next_slot = if asking > limit.max {
        None
    } else {
        let must_free = (used + asking - limit.max) as usize;
        in_window.get(must_free - 1).map(|t| t.plus(limit.window()))
    };
    Err(QuotaExceeded {
        limit,
        used,
        next_slot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_000 * 86_400_000);

    fn days_ago(d: i64) -> Timestamp {
        Timestamp(NOW.0 - d * 86_400_000)
    }

    #[test]
    fn scope_names_round_trip() {
        for scope in QuotaScope::ALL {
            assert_eq!(QuotaScope::parse(scope.key()).ok(), Some(scope));
        }
        assert!(QuotaScope::parse("movie_8k").is_err());
    }

    #[test]
    fn within_limit_is_allowed() {
        let limit = QuotaLimit { max: 3, days: 7 };
        assert!(check(limit, NOW, &[days_ago(1), days_ago(2)], 1).is_ok());
        assert!(check(limit, NOW, &[days_ago(8), days_ago(9), days_ago(10)], 3).is_ok());
    }

    #[test]
    fn over_limit_says_when_the_next_slot_frees() {
        let limit = QuotaLimit { max: 2, days: 7 };
        let err = check(limit, NOW, &[days_ago(1), days_ago(5)], 1);
        let err = err.expect_err("over quota");
        assert_eq!(err.used, 2);
        // the oldest (5 days ago) leaves the window in 2 days
        assert_eq!(err.next_slot, Some(Timestamp(NOW.0 + 2 * 86_400_000)));
    }

    #[test]
    fn asking_two_seasons_waits_for_two_to_free() {
        let limit = QuotaLimit { max: 3, days: 10 };
        let used = [days_ago(1), days_ago(6), days_ago(3)];
        let err = check(limit, NOW, &used, 2).expect_err("over quota");
        // must free 2: the 6- and 3-day-old ones; the later of them frees in 7 days
        assert_eq!(err.next_slot, Some(Timestamp(NOW.0 + 7 * 86_400_000)));
    }

    #[test]
    fn asking_more_than_the_limit_never_fits() {
        let limit = QuotaLimit { max: 2, days: 7 };
        let err = check(limit, NOW, &[], 3).expect_err("over quota");
        assert_eq!(err.next_slot, None);
    }

    #[test]
    fn user_override_beats_roles_and_unlimited_role_wins() {
        let tight = QuotaLimit { max: 1, days: 7 };
        let loose = QuotaLimit { max: 10, days: 7 };
        assert_eq!(effective_limit(Some(tight), &[Some(loose)]), Some(tight));
        assert_eq!(
            effective_limit(None, &[Some(tight), Some(loose)]),
            Some(loose)
        );
        assert_eq!(effective_limit(None, &[Some(tight), None]), None);
        assert_eq!(effective_limit(None, &[]), None);
    }
}
