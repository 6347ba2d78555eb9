//! A search result card, platform-neutral: the title as a card shows it ([`TitleView`]), where
//! it sits in its stored search ([`Place`]), and the texts both platforms put on it — the facts
//! line ("⭐ 8.2 · 155 min") and what the library and other people's requests say, from core's
//! [`TitleOffer`]. Telegram turns these into a caption and an inline keyboard, Discord into an
//! embed and components.

use usher_core::domain::{Availability, ListMark, MediaType, Request, Seasons};
use usher_core::i18n::Catalog;
use usher_core::service::TitleOffer;

use crate::callback::{MediaKind, SeasonPick};

/// A title as a card shows it, gathered from TMDB by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleView {
    /// Movie or show.
    pub media_type: MediaType,
    /// TMDB id.
    pub tmdb_id: u32,
    /// Title in the searcher's language.
    pub title: String,
    /// Release or first-air year.
    pub year: Option<u16>,
    /// TMDB's average vote, 0–10; `None` or 0 when nobody voted.
    pub rating: Option<f32>,
    /// Running time in minutes (movies).
    pub runtime: Option<u32>,
    /// Regular seasons (TV), ascending; empty when unknown.
    pub seasons: Vec<u16>,
    /// Synopsis.
    pub overview: String,
    /// Poster URL, when TMDB has one.
    pub poster: Option<url::Url>,
    /// Seasons the library already holds complete (from core's offer): the season picker
    /// leaves them out.
    pub held: Vec<u16>,
}

impl TitleView {
    /// The seasons a picker can offer one by one (TMDB's regular seasons that fit a
    /// [`SeasonPick`]), ascending.
    pub fn pickable(&self) -> impl DoubleEndedIterator<Item = u8> + '_ {
        self.seasons
            .iter()
            .filter_map(|s| u8::try_from(*s).ok())
            .filter(|s| *s >= 1 && *s <= SeasonPick::MAX_SEASON)
            .filter(|s| !self.held.contains(&u16::from(*s)))
    }

    /// The mask with every pickable season ticked.
    #[must_use]
    pub fn all_mask(&self) -> u64 {
        self.pickable().fold(0, |mask, s| mask | 1u64 << s)
    }

    /// Movie or TV as a button id carries it.
    #[must_use]
    pub fn kind(&self) -> MediaKind {
        self.media_type.into()
    }

    /// "Dune (2021)", or the bare title when the year is unknown.
    #[must_use]
    pub fn heading(&self) -> String {
        match self.year {
            Some(year) => format!("{} ({year})", self.title),
            None => self.title.clone(),
        }
    }
}

/// Where a card sits in its stored search: its buttons page and come back here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The stored search.
    pub search_id: u64,
    /// Zero-based index of this card's result.
    pub index: u16,
    /// How many results the search has (at least 1).
    pub total: u16,
}

impl Place {
    /// A card that belongs to no stored search (a title picked by id): nothing to page to.
    pub const ALONE: Self = Self {
        search_id: 0,
        index: 0,
        total: 1,
    };

    /// The indexes ◀ and ▶ lead to (wrapping around), or `None` for a single result.
    #[must_use]
    pub fn neighbours(&self) -> Option<(u16, u16)> {
        if self.total <= 1 {
            return None;
        }
        let index = self.index.min(self.total - 1);
        let previous = if index == 0 {
            self.total - 1
        } else {
            index - 1
        };
        let next = if index + 1 >= self.total {
            0
        } else {
            index + 1
        };
        Some((previous, next))
    }

    /// "2/3": this card's place for people, counting from one.
    #[must_use]
    pub fn counter(&self) -> String {
        let total = self.total.max(1);
        format!("{}/{total}", self.index.min(total - 1) + 1)
    }
}

/// "⭐ 8.2 · 155 min" or "⭐ 8.9 · Seasons: 5"; empty when nothing is known.
#[must_use]
pub fn facts(catalog: &Catalog, lang: &str, view: &TitleView) -> String {
    let mut parts = Vec::new();
    if let Some(rating) = view.rating.filter(|r| *r > 0.0) {
        parts.push(format!("⭐ {rating:.1}"));
    }
    match view.media_type {
        MediaType::Movie => {
            if let Some(minutes) = view.runtime.filter(|m| *m > 0) {
                let args = [("minutes", minutes.to_string())];
                parts.push(catalog.text(lang, "card-runtime", &args));
            }
        }
        MediaType::Tv if !view.seasons.is_empty() => {
            let args = [("count", view.seasons.len().to_string())];
            parts.push(catalog.text(lang, "card-seasons", &args));
        }
        MediaType::Tv => {}
    }
    parts.join(" · ")
}

/// What the library and the requests say: "already in the library", "you asked", "someone
/// asked", "you will be told"; one line each, empty when there is nothing to say.
#[must_use]
pub fn status_lines(catalog: &Catalog, lang: &str, offer: &TitleOffer) -> String {
    let mut lines = Vec::new();
    match &offer.library {
        Availability::Full => lines.push(catalog.text(lang, "card-available", &[])),
        Availability::Partial(seasons) => {
            let args = [("seasons", season_list(seasons))];
            lines.push(catalog.text(lang, "card-available-seasons", &args));
        }
        Availability::None => {}
    }
    if let Some(download) = offer.index.download {
        let percent = ("percent", download.percent().to_string());
        let left = download.minutes_left(usher_core::domain::Timestamp::now());
        lines.push(match left {
            Some(minutes) => {
                let args = [percent, ("minutes", minutes.to_string())];
                catalog.text(lang, "card-downloading-eta", &args)
            }
            None => catalog.text(lang, "card-downloading", &[percent]),
        });
    } else if offer.index.monitored
        && offer.library == Availability::None
        && offer.own.is_none()
        && offer.follow.is_none()
    {
        lines.push(catalog.text(lang, "card-wanted", &[]));
    }
    let about = |key: &str, request: &Request| {
        let status = catalog.text(lang, &format!("status-{}", request.status.as_str()), &[]);
        let args = [("id", request.id.0.to_string()), ("status", status)];
        catalog.text(lang, key, &args)
    };
    if let Some(own) = &offer.own {
        lines.push(about("card-own", own));
    }
    if let Some(other) = &offer.follow {
        lines.push(about("card-requested", other));
    }
    if offer.following {
        lines.push(catalog.text(lang, "card-following", &[]));
    }
    lines.join("\n")
}

/// The link into the media server a card may show, when core built one that a chat client
/// will take: Telegram refuses a whole message over a button URL it finds invalid ("Wrong HTTP
/// URL"), which includes hosts without a dot such as `localhost` or a compose service name
/// (what `USHER_JELLYFIN_URL` often is when no public URL is set), and a member's browser could
/// not open such a link anyway. Both platforms leave those out.
pub fn library_link(offer: &TitleOffer) -> Option<url::Url> {
    let url = url::Url::parse(offer.library_link.as_deref()?).ok()?;
    let public = url.host_str().is_some_and(|host| host.contains('.'));
    (public && matches!(url.scheme(), "http" | "https")).then_some(url)
}

/// "Watch on …" links a chat client takes (same rule as [`library_link`]), one per media
/// server holding the title; falls back to the single library link Usher saw before the index.
pub fn watch_links(offer: &TitleOffer) -> Vec<(String, url::Url)> {
    let usable = |raw: &str| {
        let url = url::Url::parse(raw).ok()?;
        let public = url.host_str().is_some_and(|host| host.contains('.'));
        (public && matches!(url.scheme(), "http" | "https")).then_some(url)
    };
    let links: Vec<(String, url::Url)> = offer
        .index
        .watch
        .iter()
        .filter_map(|w| Some((w.server.clone(), usable(&w.url)?)))
        .collect();
    if links.is_empty() {
        return library_link(offer)
            .map(|url| (String::new(), url))
            .into_iter()
            .collect();
    }
    links
}

/// A title's mark in a list of search results (Telegram inline results, Discord autocomplete),
/// in words: "✅ Available", "⬇️ Downloading 42 %, ~35 min"…
#[must_use]
pub fn list_mark(catalog: &Catalog, lang: &str, mark: &ListMark) -> String {
    let seasons = |seasons: &Seasons| [("seasons", season_list(seasons))];
    match mark {
        ListMark::Available => catalog.text(lang, "list-mark-available", &[]),
        ListMark::Partly(held) => catalog.text(lang, "list-mark-partly", &seasons(held)),
        ListMark::Seasons(held) => catalog.text(lang, "list-mark-seasons", &seasons(held)),
        ListMark::Downloading(download) => {
            let percent = ("percent", download.percent().to_string());
            match download.minutes_left(usher_core::domain::Timestamp::now()) {
                Some(minutes) => catalog.text(
                    lang,
                    "list-mark-downloading-eta",
                    &[percent, ("minutes", minutes.to_string())],
                ),
                None => catalog.text(lang, "list-mark-downloading", &[percent]),
            }
        }
        ListMark::Requested => catalog.text(lang, "list-mark-requested", &[]),
    }
}

/// "1, 2, 4".
fn season_list(seasons: &Seasons) -> String {
    let numbers: Vec<String> = seasons.iter().map(|s| s.to_string()).collect();
    numbers.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(seasons: &[u16]) -> TitleView {
        TitleView {
            media_type: MediaType::Tv,
            tmdb_id: 1,
            title: "Show".into(),
            year: None,
            rating: None,
            runtime: None,
            seasons: seasons.to_vec(),
            overview: String::new(),
            poster: None,
            held: Vec::new(),
        }
    }

    #[test]
    fn paging_wraps_around_and_a_single_result_has_none() {
        let at = |index, total| Place {
            search_id: 1,
            index,
            total,
        };
        assert_eq!(at(0, 3).neighbours(), Some((2, 1)));
        assert_eq!(at(2, 3).neighbours(), Some((1, 0)));
        assert_eq!(at(0, 1).neighbours(), None);
        assert_eq!(Place::ALONE.neighbours(), None);
        assert_eq!(at(1, 3).counter(), "2/3");
        assert_eq!(
            at(9, 3).counter(),
            "3/3",
            "an index past the end shows the last"
        );
    }

    #[test]
    fn only_regular_seasons_that_fit_a_pick_are_pickable() {
        let view = show(&[0, 1, 2, 64, 70]);
        assert_eq!(view.pickable().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(view.all_mask(), 0b110);
        assert_eq!(show(&[]).heading(), "Show");
        let mut partly = show(&[1, 2, 3, 4, 5]);
        partly.held = vec![1, 2, 3];
        assert_eq!(
            partly.pickable().collect::<Vec<_>>(),
            [4, 5],
            "only missing seasons"
        );
    }

    #[test]
    fn list_marks_say_part_from_whole_and_how_long_a_download_has_left() {
        use usher_core::domain::{Download, DownloadState, Timestamp};
        let catalog = crate::view::card_fixtures::catalog();
        let say = |mark: ListMark| list_mark(&catalog, "en-US", &mark);
        assert_eq!(
            say(ListMark::Partly(Seasons::new([1, 2]))),
            "🟡 Partly available: season(s) 1, 2"
        );
        assert_eq!(
            say(ListMark::Seasons(Seasons::new([1, 2]))),
            "✅ In the library: season(s) 1, 2"
        );
        let download = Download {
            permille: 425,
            eta: None,
            state: DownloadState::Downloading,
        };
        assert_eq!(say(ListMark::Downloading(download)), "⬇️ Downloading 42 %");
        // Half a minute of slack so a slow run still reads 35.
        let eta = Timestamp(Timestamp::now().0 + 35 * 60_000 + 30_000);
        let timed = Download {
            eta: Some(eta),
            ..download
        };
        assert_eq!(
            say(ListMark::Downloading(timed)),
            "⬇️ Downloading 42 %, ~35 min"
        );
    }
}
