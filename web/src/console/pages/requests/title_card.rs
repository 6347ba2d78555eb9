//! The title at the top of a request's page, as core's [`TitleFacts`] describe it: the poster
//! through the console's image proxy, year, overview, and links to TMDB, IMDb and each media
//! server that has it. External links open TMDB's and IMDb's own pages; nothing is loaded from
//! them.

use usher_core::service::TitleFacts;

use crate::console::page::Chrome;

/// The poster size of a request's page (TMDB's `w342`, shown at about 170 px wide).
pub const DETAIL_POSTER: &str = "w342";

/// A link out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleLink {
    /// What it opens ("TMDB", "IMDb", "Watch on Jellyfin").
    pub label: String,
    /// Where.
    pub url: String,
}

/// See the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleCard {
    /// `/img/tmdb/w342/abc.jpg`, when TMDB has a poster.
    pub poster: Option<String>,
    /// The year, when known.
    pub year: Option<String>,
    /// TMDB's synopsis.
    pub overview: String,
    /// TMDB, IMDb and media-server links.
    pub links: Vec<TitleLink>,
    /// Why poster and overview are missing, when TMDB did not answer.
    pub note: Option<String>,
}

impl TitleCard {
    /// The card for a title's facts.
    pub fn new(chrome: &Chrome, facts: &TitleFacts) -> Self {
        let mut links = vec![TitleLink {
            label: "TMDB".to_owned(),
            url: facts.tmdb_url.clone(),
        }];
        if let Some(imdb) = &facts.imdb_url {
            links.push(TitleLink {
                label: "IMDb".to_owned(),
                url: imdb.clone(),
            });
        }
        for watch in &facts.watch {
            links.push(TitleLink {
                label: chrome.t1("console-title-watch-on", "server", &watch.server),
                url: watch.url.clone(),
            });
        }
        Self {
            poster: facts
                .poster
                .as_ref()
                .map(|file| format!("/img/tmdb/{DETAIL_POSTER}/{file}")),
            year: facts.year.map(|y| y.to_string()),
            overview: facts.overview.clone(),
            links,
            note: facts
                .tmdb_error
                .as_ref()
                .map(|_| chrome.t("console-title-no-tmdb")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::pages::test_support::chrome;
    use usher_core::domain::WatchLink;

    #[test]
    fn a_card_links_out_and_shows_the_poster_through_the_proxy() {
        let facts = TitleFacts {
            poster: Some("abc.jpg".into()),
            year: Some(2021),
            overview: "Sand.".into(),
            tmdb_url: "https://www.themoviedb.org/movie/438631".into(),
            imdb_url: Some("https://www.imdb.com/title/tt1160419/".into()),
            watch: vec![WatchLink {
                server: "Jellyfin".into(),
                url: "https://jf.example/web/#/details?id=1".into(),
            }],
            tmdb_error: None,
        };
        let card = TitleCard::new(&chrome("en-US", true, false), &facts);
        assert_eq!(card.poster.as_deref(), Some("/img/tmdb/w342/abc.jpg"));
        let labels: Vec<&str> = card.links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["TMDB", "IMDb", "Watch on Jellyfin"]);
        assert!(card.note.is_none());
        let down = TitleFacts {
            tmdb_url: facts.tmdb_url.clone(),
            tmdb_error: Some("TMDB: timed out".into()),
            ..TitleFacts::default()
        };
        let card = TitleCard::new(&chrome("en-US", true, false), &down);
        assert!(card.poster.is_none() && card.note.is_some());
        assert_eq!(card.links.len(), 1, "TMDB's page needs no answer");
    }
}
