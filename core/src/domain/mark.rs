//! A title's mark in a list of search results (Telegram inline results, Discord autocomplete):
//! one short word on what the library index says, so a member sees "Available" before opening a
//! card. Decided from the index alone (in memory), so it costs nothing per keystroke.

use super::index::TitleStatus;
use super::media::{MediaType, Seasons};

/// What a search list says about one title; `None` from [`ListMark::of`] says nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListMark {
    /// A movie a media server holds or a Radarr has the file of.
    Available,
    /// A show with these seasons (at least one episode each) somewhere. A list has no season
    /// count from TMDB, so it names what is there rather than guessing what is missing.
    Seasons(Seasons),
    /// Not there yet, but a Radarr/Sonarr is downloading it: this far, in whole percent.
    Downloading(u8),
    /// Not there yet; a Radarr/Sonarr monitors it (someone asked for it upstream).
    Requested,
}

impl ListMark {
    /// The mark for what the index says of a title; a download outranks a mere request, and
    /// presence outranks both.
    pub fn of(media_type: MediaType, status: &TitleStatus) -> Option<Self> {
        match media_type {
            MediaType::Movie if status.present => return Some(Self::Available),
            MediaType::Tv if !status.seasons_present.is_empty() => {
                return Some(Self::Seasons(status.seasons_present.clone()));
            }
            _ => {}
        }
        if let Some(download) = status.download {
            return Some(Self::Downloading(download.percent()));
        }
        status.monitored.then_some(Self::Requested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Download, DownloadState};

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
            Some(ListMark::Downloading(42))
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
}
