//! The Library page's words: one source's counts, passes and health, and one title with what
//! each source holds of it. Pure functions over what core's library service returned.

use usher_core::domain::{IndexedTitle, MediaType, SourceKind, Timestamp};
use usher_core::index::Holding;
use usher_core::index::listing::SourceCounts;
use usher_core::service::LibraryTitle;

use crate::console::page::{Chrome, catalog};
use crate::console::view;

/// One source's row of the sources table.
#[derive(Debug, Clone)]
pub struct SourceView {
    /// Its configured name (the filter's value).
    pub name: String,
    /// Product and name ("Plex (den)").
    pub label: String,
    /// Movies it holds.
    pub movies: u64,
    /// Shows it holds.
    pub shows: u64,
    /// Episodes present, where the source counts them (not for Radarr).
    pub episodes: Option<u64>,
    /// When its last full pass ended.
    pub last_full: String,
    /// When its last incremental pass ended.
    pub last_incremental: String,
    /// How long its last full pass took.
    pub duration: String,
    /// Its passes succeed.
    pub ok: bool,
    /// "OK", or "Stale since …: why".
    pub health: String,
}

impl SourceView {
    /// The row for one source.
    pub fn new(chrome: &Chrome, counts: &SourceCounts) -> Self {
        let health = &counts.health;
        let never = || chrome.t("console-library-never");
        let when = |at: Option<Timestamp>| at.map_or_else(never, |at| view::date_time(chrome, at));
        Self {
            name: counts.info.name.clone(),
            label: counts.info.label.clone(),
            movies: counts.movies,
            shows: counts.shows,
            episodes: (counts.info.kind != SourceKind::Radarr).then_some(counts.episodes),
            last_full: when(health.last_full),
            last_incremental: when(health.last_incremental),
            duration: health.duration_ms.map_or_else(String::new, |ms| {
                format!("{} s", chrome.rules().decimal(ms as f64 / 1000.0, 1))
            }),
            ok: !health.stale,
            health: health_text(chrome, health),
        }
    }
}

/// "OK", or why the source is stale and since when the index holds its last known state.
fn health_text(chrome: &Chrome, health: &usher_core::domain::SourceHealth) -> String {
    if !health.stale {
        return chrome.t("console-library-ok");
    }
    let reason = health.error.clone().unwrap_or_default();
    match health.last_success {
        Some(at) => catalog().text(
            &chrome.lang,
            "console-library-stale-since",
            &[("when", view::date_time(chrome, at)), ("reason", reason)],
        ),
        None => chrome.t1("console-library-stale-never", "reason", &reason),
    }
}

/// One title of the list.
#[derive(Debug, Clone)]
pub struct TitleView {
    /// Its name from a request, else "TMDB 603".
    pub name: String,
    /// The request that named it.
    pub request_url: Option<String>,
    /// Movie or TV, localized.
    pub media: String,
    /// Its TMDB id.
    pub tmdb: u32,
    /// Its page on TMDB.
    pub tmdb_url: String,
    /// What each source holds.
    pub holdings: Vec<HoldingView>,
}

impl TitleView {
    /// The row for one title.
    pub fn new(chrome: &Chrome, title: &LibraryTitle) -> Self {
        let kind = match title.media_type {
            MediaType::Movie => "movie",
            MediaType::Tv => "tv",
        };
        let name = match &title.name {
            Some(named) => match named.year {
                Some(year) => format!("{} ({year})", named.title),
                None => named.title.clone(),
            },
            None => format!("TMDB {}", title.tmdb),
        };
        Self {
            name,
            request_url: title
                .name
                .as_ref()
                .map(|n| format!("/requests/{}", n.request)),
            media: chrome.t(&format!("console-type-{}", title.media_type)),
            tmdb: title.tmdb.get(),
            tmdb_url: format!("https://www.themoviedb.org/{kind}/{}", title.tmdb),
            holdings: title
                .holdings
                .iter()
                .map(|h| HoldingView::new(chrome, h))
                .collect(),
        }
    }
}

/// What one source holds of a title.
#[derive(Debug, Clone)]
pub struct HoldingView {
    /// The source's label.
    pub source: String,
    /// The source's own item id.
    pub item: Option<String>,
    /// Where to open it on a media server.
    pub link: Option<String>,
    /// "S1 10/10 · S2 3/10" for a show.
    pub seasons: String,
    /// A 4K copy.
    pub four_k: bool,
    /// The file is there (or some episodes are).
    pub present: bool,
    /// "Downloading 42 %".
    pub download: Option<String>,
}

impl HoldingView {
    fn new(chrome: &Chrome, holding: &Holding) -> Self {
        let title: &IndexedTitle = &holding.title;
        let item = title.item.as_deref();
        Self {
            source: holding.source.label.clone(),
            item: item.map(str::to_owned),
            link: item.and_then(|id| holding.source.link(id)),
            seasons: title
                .seasons
                .iter()
                .map(|s| format!("S{} {}/{}", s.number, s.present, s.total))
                .collect::<Vec<_>>()
                .join(" · "),
            four_k: title.four_k,
            present: title.present,
            download: title.download.map(|d| {
                let percent = chrome.rules().percent(i128::from(d.percent()));
                let state = chrome.t(&format!("console-library-download-{}", d.state.as_str()));
                catalog().text(
                    &chrome.lang,
                    "console-library-download",
                    &[("state", state), ("percent", percent)],
                )
            }),
        }
    }
}
