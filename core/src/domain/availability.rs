//! What the library holds of a request, decided in one place so webhooks and the reconcile job
//! agree: nothing yet, some of the requested seasons, or everything.

use super::episodes::Episodes;
use super::media::{MediaType, Seasons};
use super::request::RequestStatus;

/// Requests still waiting for the library: webhooks and the reconcile job look only at these.
pub const OPEN_STATUSES: [RequestStatus; 3] = [
    RequestStatus::Approved,
    RequestStatus::Submitted,
    RequestStatus::PartiallyAvailable,
];

/// The per-request availability answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// Nothing requested is in the library yet.
    None,
    /// Some requested seasons are there (TV only); these ones.
    Partial(Seasons),
    /// Everything requested is there.
    Full,
}

/// The stored marker for "this movie is in the library": movies have no seasons, so season 0
/// stands for the film itself in `available_seasons`.
pub const MOVIE_PRESENT: u16 = 0;

impl Availability {
    /// Decides from what was requested and what the library holds. A movie counts as present
    /// when `present` is not empty; a show is full when every requested season is present.
    pub fn decide(media_type: MediaType, requested: &Seasons, present: &Seasons) -> Self {
        match media_type {
            MediaType::Movie if present.is_empty() => Self::None,
            MediaType::Movie => Self::Full,
            MediaType::Tv => {
                let covered = Seasons::new(requested.iter().filter(|s| present.contains(*s)));
                if covered.is_empty() {
                    Self::None
                } else if covered.len() == requested.len() {
                    Self::Full
                } else {
                    Self::Partial(covered)
                }
            }
        }
    }

    /// Decides a request for single episodes from the episodes the library holds: full when
    /// every one is there. Some of them is still nothing: the requester asked for these
    /// episodes and hears once, when the last arrives.
    pub fn decide_episodes(requested: &Episodes, present: &Episodes) -> Self {
        if !requested.is_empty() && requested.iter().all(|e| present.contains(e)) {
            Self::Full
        } else {
            Self::None
        }
    }

    /// The seasons to store in `available_seasons` for this answer.
    pub fn stored_seasons(&self, media_type: MediaType, requested: &Seasons) -> Seasons {
        match (self, media_type) {
            (Self::None, _) => Seasons::default(),
            (Self::Full, MediaType::Movie) => Seasons::new([MOVIE_PRESENT]),
            (Self::Full, MediaType::Tv) => requested.clone(),
            (Self::Partial(seasons), _) => seasons.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movies_are_all_or_nothing() {
        let none = Seasons::default();
        assert_eq!(
            Availability::decide(MediaType::Movie, &none, &none),
            Availability::None
        );
        let here = Seasons::new([MOVIE_PRESENT]);
        assert_eq!(
            Availability::decide(MediaType::Movie, &none, &here),
            Availability::Full
        );
    }

    #[test]
    fn episodes_are_available_only_when_every_one_is_there() {
        let asked = Episodes::parse("S02E05,S02E06").expect("asked");
        let other = Episodes::parse("S02E04").expect("other");
        assert_eq!(
            Availability::decide_episodes(&asked, &other),
            Availability::None
        );
        let half = Episodes::parse("S02E04,S02E05").expect("half");
        assert_eq!(
            Availability::decide_episodes(&asked, &half),
            Availability::None
        );
        let all = Episodes::parse("S02E01-E10").expect("all");
        assert_eq!(
            Availability::decide_episodes(&asked, &all),
            Availability::Full
        );
        assert_eq!(
            Availability::decide_episodes(&Episodes::default(), &all),
            Availability::None
        );
    }

    #[test]
    fn shows_count_only_requested_seasons() {
        let asked = Seasons::new([1, 2, 3, 4]);
        let some = Seasons::new([2, 4, 7]);
        assert_eq!(
            Availability::decide(MediaType::Tv, &asked, &some),
            Availability::Partial(Seasons::new([2, 4]))
        );
        let all = Seasons::new(1..=6);
        assert_eq!(
            Availability::decide(MediaType::Tv, &asked, &all),
            Availability::Full
        );
        assert_eq!(
            Availability::decide(MediaType::Tv, &asked, &Seasons::new([9])),
            Availability::None
        );
        assert_eq!(
            Availability::Full.stored_seasons(MediaType::Tv, &asked),
            asked
        );
    }
}
