//! A title's mark in a list of search results (Telegram inline results, Discord autocomplete):
//! one short word on what the library index says, so a member sees "Available" before opening a
//! card. Decided from the index alone (in memory), so it costs nothing per keystroke.

use super::index::{Download, TitleStatus};
use super::media::{MediaType, Seasons};

/// What a search list says about one title; `None` from [`ListMark::of`] says nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListMark {
    /// A movie a media server holds or a Radarr has the file of; a show whose every season a
    /// Sonarr lists is complete somewhere.
    Available,
    /// A show with these seasons somewhere while a Sonarr lists more: partly available.
    Partly(Seasons),
    /// A show with these seasons (at least one episode each) somewhere and no Sonarr listing
    /// its run. A list has no season count from TMDB, so it names what is there rather than
    /// guessing what is missing.
    Seasons(Seasons),
    /// Not there yet, but a Radarr/Sonarr is downloading it (percent and ETA).
    Downloading(Download),
    /// Not there yet; a Radarr/Sonarr monitors it (someone asked for it upstream).
    Requested,
}

impl ListMark {
    /// The mark for what the index says of a title; a download outranks a mere request, and
    /// presence outranks both.
    pub fn of(media_type: MediaType, status: &TitleStatus) -> Option<Self> {
        match media_type {
            MediaType::Movie if status.present => return Some(Self::Available),
            MediaType::Tv if !status.seasons_present.is_empty() => return Some(Self::show(status)),
            _ => {}
        }
        if let Some(download) = status.download {
            return Some(Self::Downloading(download));
        }
        status.monitored.then_some(Self::Requested)
    }

    /// A show somewhere in the library: whole, part, or "these seasons" when nothing says how
    /// many it has.
    fn show(status: &TitleStatus) -> Self {
        let listed = &status.seasons_listed;
        let present = status.seasons_present.clone();
        if listed.is_empty() {
            Self::Seasons(present)
        } else if listed.iter().all(|s| status.seasons_complete.contains(s)) {
            Self::Available
        } else {
            Self::Partly(present)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DownloadState;

    fn download(permille: u16) -> Download {
        Download {
            permille,
            eta: None,
            state: DownloadState::Downloading,
        }
    }

    #[test]
    fn presence_outranks_a_download_which_outranks_a_request() {
        let nothing = TitleStatus::default();
        assert_eq!(ListMark::of(MediaType::Movie, &nothing), None);
        let wanted = TitleStatus {
            monitored: true,
            ..TitleStatus::default()
        };
        assert_eq!(
            ListMark::of(MediaType::Movie, &wanted),
            Some(ListMark::Requested)
        );
        let fetching = TitleStatus {
            download: Some(download(425)),
            ..wanted.clone()
        };
        assert_eq!(
            ListMark::of(MediaType::Movie, &fetching),
            Some(ListMark::Downloading(download(425)))
        );
        let there = TitleStatus {
            present: true,
            ..fetching.clone()
        };
        assert_eq!(
            ListMark::of(MediaType::Movie, &there),
            Some(ListMark::Available)
        );
        let show = TitleStatus {
            seasons_present: Seasons::new([1, 2, 3]),
            ..fetching
        };
        assert_eq!(
            ListMark::of(MediaType::Tv, &show),
            Some(ListMark::Seasons(Seasons::new([1, 2, 3])))
        );
    }

    fn show(present: &[u16], complete: &[u16], listed: &[u16]) -> TitleStatus {
        TitleStatus {
            seasons_present: Seasons::new(present.iter().copied()),
            seasons_complete: Seasons::new(complete.iter().copied()),
            seasons_listed: Seasons::new(listed.iter().copied()),
            ..TitleStatus::default()
        }
    }

    #[test]
    fn a_show_whose_listed_seasons_are_all_complete_is_available() {
        let whole = show(&[1, 2, 3], &[1, 2, 3], &[1, 2, 3]);
        assert_eq!(
            ListMark::of(MediaType::Tv, &whole),
            Some(ListMark::Available)
        );
    }

    #[test]
    fn a_show_missing_a_listed_season_is_partly_available_with_what_is_there() {
        let part = show(&[1, 2, 3], &[1, 2, 3], &[1, 2, 3, 4, 5]);
        assert_eq!(
            ListMark::of(MediaType::Tv, &part),
            Some(ListMark::Partly(Seasons::new([1, 2, 3])))
        );
        // Every season present but one of them short of episodes: still only part.
        let short = show(&[1, 2], &[1], &[1, 2]);
        assert_eq!(
            ListMark::of(MediaType::Tv, &short),
            Some(ListMark::Partly(Seasons::new([1, 2])))
        );
    }

    #[test]
    fn a_show_no_sonarr_lists_names_its_seasons_without_judging() {
        let unknown = show(&[1, 2], &[1, 2], &[]);
        assert_eq!(
            ListMark::of(MediaType::Tv, &unknown),
            Some(ListMark::Seasons(Seasons::new([1, 2])))
        );
    }

    #[test]
    fn minutes_left_counts_whole_minutes_and_never_goes_negative() {
        let now = crate::domain::Timestamp(1_000_000);
        let soon = Download {
            eta: Some(crate::domain::Timestamp(1_000_000 + 35 * 60_000 + 59_000)),
            ..download(100)
        };
        assert_eq!(soon.minutes_left(now), Some(35));
        let late = Download {
            eta: Some(crate::domain::Timestamp(1)),
            ..download(100)
        };
        assert_eq!(late.minutes_left(now), Some(0));
        assert_eq!(download(100).minutes_left(now), None);
    }
}
