//! How `usher check` judges each library source from what the database remembers of its
//! passes (the process that ran them may be another one): fresh, stale since its last success
//! (a warning: the index keeps its last known titles), failing without ever having been listed
//! (a failure: the index knows nothing of it), or not passed over yet.

use crate::domain::{SourceHealth, Timestamp};
use crate::error::CoreResult;
use crate::store::Db;
use crate::store::library_index as store;

/// One source's state as `usher check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its last pass succeeded.
    Fresh {
        /// Titles it holds.
        items: u64,
        /// When that pass ended.
        at: Timestamp,
    },
    /// Its last pass failed; the index holds what it listed at `since`.
    Stale {
        /// When its last successful pass ended.
        since: Timestamp,
        /// Why the last pass failed.
        why: String,
    },
    /// Every pass so far failed: the index holds nothing of it.
    Failing {
        /// Why the last pass failed.
        why: String,
    },
    /// No pass has run over it yet.
    Unlisted,
}

impl Verdict {
    /// The verdict on a stored health (`None`: no pass stored).
    pub fn of(health: Option<&SourceHealth>) -> Self {
        let Some(health) = health else {
            return Self::Unlisted;
        };
        let why = || health.error.clone().unwrap_or_default();
        match (health.stale, health.last_success) {
            (false, Some(at)) => Self::Fresh {
                items: health.items,
                at,
            },
            (true, Some(since)) => Self::Stale { since, why: why() },
            (true, None) => Self::Failing { why: why() },
            (false, None) => Self::Unlisted,
        }
    }

    /// Whether `usher check` counts it as a failure (a warning otherwise).
    pub fn fails(&self) -> bool {
        matches!(self, Self::Failing { .. })
    }
}

/// The verdict on each of `names` (the configured sources), in their order.
pub async fn verdicts(db: &Db, names: &[String]) -> CoreResult<Vec<(String, Verdict)>> {
    let stored = store::sources(db).await?;
    Ok(names
        .iter()
        .map(|name| {
            let health = stored.iter().find(|s| s.name == *name).map(|s| &s.health);
            (name.clone(), Verdict::of(health))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_after_a_success_warns_and_never_listed_fails() {
        let at = Timestamp(1_000);
        let failed = |last_success| SourceHealth {
            stale: true,
            error: Some("401".into()),
            last_success,
            ..SourceHealth::default()
        };
        let stale = Verdict::of(Some(&failed(Some(at))));
        assert_eq!(
            stale,
            Verdict::Stale {
                since: at,
                why: "401".into()
            }
        );
        assert!(!stale.fails());
        let failing = Verdict::of(Some(&failed(None)));
        assert!(failing.fails(), "{failing:?}");
        assert_eq!(Verdict::of(None), Verdict::Unlisted);
        let fresh = SourceHealth {
            items: 7,
            last_success: Some(at),
            ..SourceHealth::default()
        };
        assert_eq!(Verdict::of(Some(&fresh)), Verdict::Fresh { items: 7, at });
    }
}
