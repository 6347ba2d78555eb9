//! Radarr and Sonarr: a client per instance over the one HTTP layer ([`RadarrClient`],
//! [`SonarrClient`], sharing [`ArrApi`]), several instances chosen per request
//! ([`ArrInstances`]: default, 4K, anime), and connection tests ([`ConnectionReport`]).
//!
//! Submitting is idempotent: the library is asked first, an existing title is only updated
//! (monitored, more seasons) and never added twice, and an add refused with "has already been
//! added" counts as done. The submission worker (`crate::jobs::submission`) relies on this to
//! retry freely after crashes and timeouts.
//!
//! What an add needs besides the title (profiles, folders, tags, the version) is cached per
//! instance, so the usual add is two calls: look the title up, add it.

mod api;
mod cache;
mod check;
mod error;
mod instances;
mod radarr;
mod resources;
mod sonarr;

pub use api::{ArrApi, Destination, pick_profile, pick_root_folder, requester_tag, tag_label};
pub use check::ConnectionReport;
pub use error::{ArrError, ArrErrorKind};
pub use instances::{
    ArrClient, ArrInstance, ArrInstances, Flavor, INSTANCE_NAMES, Submission, known_instance,
};
pub use radarr::{MovieRequest, RadarrClient};
pub use resources::{
    LanguageProfile, Placed, Placement, QualityProfile, RootFolder, SystemStatus, Tag,
};
pub use sonarr::{SeriesRequest, SeriesShape, SonarrClient, SonarrEpisode};

use super::BoxFuture;
use super::http::UpstreamError;
use crate::domain::TmdbId;

/// Says whether a show is anime (TMDB keywords and genres), so it goes to the anime Sonarr with
/// the anime series type, and how TMDB sizes its seasons, so TMDB's season numbers can be lined
/// up with Sonarr's (TVDB's). Implemented by the TMDB client; without it, Sonarr's genres decide
/// and seasons Sonarr lacks are left out.
pub trait AnimeCheck: Send + Sync {
    /// Whether the show is anime.
    fn is_anime(&self, show: TmdbId) -> BoxFuture<'_, Result<bool, UpstreamError>>;

    /// TMDB's (season number, episode count) pairs for the show, specials included; read from
    /// the same cached details [`AnimeCheck::is_anime`] reads, so asking costs no call more.
    fn season_sizes(&self, show: TmdbId) -> BoxFuture<'_, Result<Vec<(u16, u32)>, UpstreamError>>;
}
