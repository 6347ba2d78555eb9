//! Clients for the services Usher talks to, all over the one HTTP layer in [`http`]:
//! connection probes for `usher check` and the dashboard's cached upstream [`health`], and the
//! TMDB, Radarr/Sonarr and media-server clients, and plex.tv for "Sign in with Plex".

pub mod arr;
pub mod checkup;
pub mod health;
pub mod http;
pub mod mediaserver;
pub mod pager;
pub mod plex_tv;
pub mod probe;
pub mod tmdb;

use std::future::Future;
use std::pin::Pin;

use crate::domain::{TmdbId, TvdbId};

/// A boxed future, for the few object-safe async seams between integrations.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Finds a show's TVDB id (Sonarr adds series by it) when a request does not carry one.
/// Implemented by the TMDB client; the submission worker depends only on this seam.
pub trait TvdbIds: Send + Sync {
    /// The TVDB id TMDB knows for this show, if any.
    fn tvdb_id(&self, show: TmdbId) -> BoxFuture<'_, Result<Option<TvdbId>, http::UpstreamError>>;
}
