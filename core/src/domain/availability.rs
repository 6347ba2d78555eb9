//! What the library holds of a request, decided in one place so webhooks and the reconcile job
//! agree: nothing yet, some of the requested seasons, or everything.

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
