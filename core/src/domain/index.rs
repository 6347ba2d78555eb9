//! The library index's vocabulary: the sources that hold titles (media servers and
//! Radarr/Sonarr instances), what one source holds of one title, and what all of them together
//! say about a title at search time (available, partly, downloading…).
//!
//! Pure types and rules: the passes that fill the index live in [`crate::index`], the rows in
//! [`crate::store::library_index`].

use std::collections::BTreeMap;

use super::availability::Availability;
use super::clock::Timestamp;
use super::ids::{TmdbId, TvdbId};
use super::media::{MediaType, Seasons};

/// What kind of upstream a source is; decides how it is read and how its items are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// Jellyfin (items open at `/web/#/details?id=`).
    Jellyfin,
    /// Emby (items open in Emby's web app, `/web/index.html#!/item?id=…&serverId=…`).
    Emby,
    /// Plex (items open at `…#!/server/{machine}/details?key=…`).
    Plex,
    /// A Radarr instance (movies; monitored, file, download queue).
    Radarr,
    /// A Sonarr instance (shows; seasons' file counts, download queue).
    Sonarr,
}

impl SourceKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jellyfin => "jellyfin",
            Self::Emby => "emby",
            Self::Plex => "plex",
            Self::Radarr => "radarr",
            Self::Sonarr => "sonarr",
        }
    }

    /// The kind with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Jellyfin,
            Self::Emby,
            Self::Plex,
            Self::Radarr,
            Self::Sonarr,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }

    /// Whether members watch titles there (a media server), as opposed to an *arr that only
    /// downloads them.
    pub fn is_media_server(self) -> bool {
        matches!(self, Self::Jellyfin | Self::Emby | Self::Plex)
    }

    /// The product name shown to people ("Watch on Jellyfin" when a source has no own name).
    pub fn product(self) -> &'static str {
        match self {
            Self::Jellyfin => "Jellyfin",
            Self::Emby => "Emby",
            Self::Plex => "Plex",
            Self::Radarr => "Radarr",
            Self::Sonarr => "Sonarr",
        }
    }
}

/// One season of a show as a source holds it: episodes present of the episodes it knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeasonCount {
    /// The season number (0 = specials).
    pub number: u16,
    /// Episodes with a file.
    pub present: u16,
    /// Episodes the source knows of (at least `present`).
    pub total: u16,
}

impl SeasonCount {
    /// Every known episode is there (a source that knows no missing ones counts what it has).
    pub fn complete(&self) -> bool {
        self.present > 0 && self.present >= self.total
    }
}

/// Where a download stands in an *arr's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadState {
    /// Waiting in the download client.
    Queued,
    /// Bytes are arriving.
    Downloading,
    /// Paused in the download client.
    Paused,
    /// Downloaded, being imported.
    Importing,
    /// Failed or stuck (warning); someone has to look.
    Failed,
}

impl DownloadState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Downloading => "downloading",
            Self::Paused => "paused",
            Self::Importing => "importing",
            Self::Failed => "failed",
        }
    }

    /// The state with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Queued,
            Self::Downloading,
            Self::Paused,
            Self::Importing,
            Self::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Reads Radarr's/Sonarr's queue `status` and `trackedDownloadState`.
    pub fn from_arr(status: &str, tracked: Option<&str>) -> Self {
        match (tracked, status.to_ascii_lowercase().as_str()) {
            (Some("importPending" | "importing" | "imported"), _) => Self::Importing,
            (Some("failed" | "failedPending"), _) | (_, "failed" | "warning") => Self::Failed,
            (_, "paused") => Self::Paused,
            (_, "downloading") => Self::Downloading,
            (_, "completed") => Self::Importing,
            _ => Self::Queued,
        }
    }
}

/// A download of a title in an *arr's queue (several queue records are summed into one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Download {
    /// Completion in per mille (0–1000), so 42.5 % survives a round trip.
    pub permille: u16,
    /// When the download client expects it done.
    pub eta: Option<Timestamp>,
    /// Its state.
    pub state: DownloadState,
}

impl Download {
    /// Completion in whole percent.
    pub fn percent(&self) -> u8 {
        u8::try_from(self.permille / 10).unwrap_or(100).min(100)
    }

    /// Whole minutes until the download client expects it done, as of `now` (never negative:
    /// a late download says 0, not "-3 min"); none when the client gives no estimate.
    pub fn minutes_left(&self, now: Timestamp) -> Option<u32> {
        let millis = (self.eta?.0 - now.0).max(0);
        Some(u32::try_from(millis / 60_000).unwrap_or(u32::MAX))
    }
}

/// What one source holds of one title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedTitle {
    /// Movie or show.
    pub media_type: MediaType,
    /// The title's TMDB id (the index's key).
    pub tmdb: TmdbId,
    /// TVDB id, when the source gives one.
    pub tvdb: Option<TvdbId>,
    /// IMDb id (`tt0133093`), when the source gives one.
    pub imdb: Option<Box<str>>,
    /// The source's own id of the item: a Jellyfin/Emby item id, a Plex rating key, an *arr id.
    pub item: Option<Box<str>>,
    /// A 4K copy (a 4K-wide file on a media server, or a 4K *arr instance).
    pub four_k: bool,
    /// A movie's file is there, or a show has at least one episode.
    pub present: bool,
    /// Radarr/Sonarr monitor it (always false for a media server).
    pub monitored: bool,
    /// A show's seasons, ascending (empty for a movie).
    pub seasons: Box<[SeasonCount]>,
    /// The *arr's download of it, if one is queued.
    pub download: Option<Download>,
}

impl IndexedTitle {
    /// A title with only its ids set.
    pub fn new(media_type: MediaType, tmdb: TmdbId) -> Self {
        Self {
            media_type,
            tmdb,
            tvdb: None,
            imdb: None,
            item: None,
            four_k: false,
            present: false,
            monitored: false,
            seasons: Box::new([]),
            download: None,
        }
    }

    /// Seasons with at least one episode.
    pub fn seasons_present(&self) -> Seasons {
        Seasons::new(
            self.seasons
                .iter()
                .filter(|s| s.present > 0)
                .map(|s| s.number),
        )
    }

    /// Sets the seasons from `(number, present, total)` counts, ascending and merged, and
    /// `present` from them.
    pub fn set_seasons(&mut self, counts: impl IntoIterator<Item = (u16, u16, u16)>) {
        let mut merged: BTreeMap<u16, (u16, u16)> = BTreeMap::new();
        for (number, present, total) in counts {
            let entry = merged.entry(number).or_default();
            entry.0 = entry.0.saturating_add(present);
            entry.1 = entry.1.saturating_add(total);
        }
        self.seasons = merged
            .into_iter()
            .map(|(number, (present, total))| SeasonCount {
                number,
                present,
                total: total.max(present),
            })
            .collect();
        self.present = self.seasons.iter().any(|s| s.present > 0);
    }

    /// Of two copies of the same title in one listing (a duplicate item), the one that says
    /// more: present beats absent, more episodes beat fewer.
    pub fn richer(self, other: Self) -> Self {
        let episodes = |t: &Self| t.seasons.iter().map(|s| u32::from(s.present)).sum::<u32>();
        if (other.present, episodes(&other), other.four_k)
            > (self.present, episodes(&self), self.four_k)
        {
            other
        } else {
            self
        }
    }
}

/// A source as the index knows it: name, kind and what its links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// Unique name (`jellyfin`, `emby-den`, `radarr-4k`…), the stored key.
    pub name: String,
    /// What kind of upstream it is.
    pub kind: SourceKind,
    /// Shown to people: "Watch on {label}".
    pub label: String,
    /// Where members' browsers reach it (media servers), no trailing slash.
    pub public_url: Option<String>,
    /// Emby's server id or Plex's machine identifier, learnt by a pass.
    pub server_id: Option<String>,
}

impl SourceInfo {
    /// The address a member opens `item` at on this media server; `None` for an *arr, or when
    /// the address cannot be built (no public URL for Jellyfin/Emby, no machine id for Plex).
    /// Ids are percent-encoded, so a stored id cannot break out of the URL.
    pub fn link(&self, item: &str) -> Option<String> {
        let id = encode(item);
        let base = self.public_url.as_deref().map(|u| u.trim_end_matches('/'));
        match self.kind {
            SourceKind::Jellyfin => Some(format!("{}/web/#/details?id={id}", base?)),
            SourceKind::Emby => {
                let server = encode(self.server_id.as_deref()?);
                Some(format!(
                    "{}/web/index.html#!/item?id={id}&serverId={server}",
                    base?
                ))
            }
            SourceKind::Plex => {
                let machine = encode(self.server_id.as_deref()?);
                let web = match base {
                    Some(public) => format!("{public}/web/index.html"),
                    None => "https://app.plex.tv/desktop/".to_owned(),
                };
                Some(format!(
                    "{web}#!/server/{machine}/details?key=%2Flibrary%2Fmetadata%2F{id}"
                ))
            }
            SourceKind::Radarr | SourceKind::Sonarr => None,
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// How a source's passes went: what the console's Library page, `usher check` and the
/// metrics show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHealth {
    /// Titles it holds in the index.
    pub items: u64,
    /// When the last full pass ended (successful or not).
    pub last_full: Option<Timestamp>,
    /// When the last incremental pass ended.
    pub last_incremental: Option<Timestamp>,
    /// When the last pass that succeeded ended.
    pub last_success: Option<Timestamp>,
    /// How long the last full pass took, in milliseconds.
    pub duration_ms: Option<u64>,
    /// Why the last pass failed; `None` after a success.
    pub error: Option<String>,
    /// The index holds this source's last known state, not its current one.
    pub stale: bool,
    /// Failed passes since the process started counting (kept across restarts).
    pub errors: u64,
}

/// A "Watch on …" link of one media server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchLink {
    /// The server's label ("Jellyfin", "Plex (den)").
    pub server: String,
    /// Where the member's browser opens the title.
    pub url: String,
}

/// Everything the index says about one title, across sources: what a card shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleStatus {
    /// The title is on at least one media server or an *arr has its file.
    pub present: bool,
    /// Seasons with at least one episode somewhere (shows).
    pub seasons_present: Seasons,
    /// Seasons complete somewhere (every known episode there).
    pub seasons_complete: Seasons,
    /// The show's seasons as a Sonarr lists them (its whole run, specials aside), held or
    /// not: the only count of a show's seasons the index has, so a search list can tell a
    /// whole show from part of one without asking TMDB.
    pub seasons_listed: Seasons,
    /// Where to watch it.
    pub watch: Vec<WatchLink>,
    /// The most advanced download of it, if any *arr is downloading it.
    pub download: Option<Download>,
    /// A Radarr/Sonarr monitors it (someone asked for it upstream).
    pub monitored: bool,
    /// A 4K copy is somewhere.
    pub four_k: bool,
}

impl TitleStatus {
    /// What the index holds of a title, given its seasons as TMDB lists them (ignored for a
    /// movie): a show is whole when each listed season is complete somewhere; without a list,
    /// it is partly there when any season is.
    pub fn availability(&self, media_type: MediaType, seasons: &Seasons) -> Availability {
        match media_type {
            MediaType::Movie if self.present => Availability::Full,
            MediaType::Movie => Availability::None,
            MediaType::Tv if self.seasons_present.is_empty() => Availability::None,
            MediaType::Tv if seasons.is_empty() => {
                Availability::Partial(self.seasons_present.clone())
            }
            MediaType::Tv => {
                if seasons.iter().all(|s| self.seasons_complete.contains(s)) {
                    Availability::Full
                } else {
                    let held = seasons.iter().filter(|s| self.seasons_present.contains(*s));
                    match Seasons::new(held) {
                        some if some.is_empty() => Availability::None,
                        some => Availability::Partial(some),
                    }
                }
            }
        }
    }

    /// The seasons of `seasons` still worth requesting: those not complete anywhere.
    pub fn missing(&self, seasons: &Seasons) -> Seasons {
        Seasons::new(
            seasons
                .iter()
                .filter(|s| !self.seasons_complete.contains(*s)),
        )
    }
}

#[cfg(test)]
mod tests;
