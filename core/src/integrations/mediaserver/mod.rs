//! Media servers (Jellyfin, Emby, Plex): which requested titles the libraries hold.
//!
//! The reconcile job asks every configured server one question per pass — "of these wanted
//! titles ([`Wanted`]), which do you hold, and which seasons?" — and each client answers it with
//! as few calls as its API allows ([`MediaServer::find`]): Emby filters by provider ids in
//! batches, Jellyfin 10.11 (which has no such filter) and Plex list their movie/show libraries
//! once, page by page, and match in memory. Per-series season lookups are made only for wanted
//! shows that were found. Nothing here is per request, so 10,000 open requests cost a few pages.

pub mod jellyfin;
pub mod plex;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use secrecy::ExposeSecret;

pub use jellyfin::{Flavor, JellyfinClient};
pub use plex::PlexClient;

use super::BoxFuture;
use super::http::{HttpSettings, UpstreamError};
use crate::config::Settings;
use crate::domain::availability::MOVIE_PRESENT;
use crate::domain::{LibraryItem, MediaType, Request, Seasons, TmdbId, TvdbId};
use crate::error::CoreResult;

/// The titles one reconcile pass looks for: movies by TMDB id, shows by TMDB id and, when known,
/// TVDB id (Plex and Jellyfin often know a show by only one of them).
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    movies: BTreeSet<TmdbId>,
    shows: HashMap<TmdbId, Option<TvdbId>>,
    by_tvdb: HashMap<TvdbId, TmdbId>,
}

impl Wanted {
    /// The titles of these requests.
    pub fn from_requests<'a>(requests: impl IntoIterator<Item = &'a Request>) -> Self {
        let mut wanted = Self::default();
        for request in requests {
            match request.media.media_type {
                MediaType::Movie => wanted.add_movie(request.media.tmdb_id),
                MediaType::Tv => wanted.add_show(request.media.tmdb_id, request.media.tvdb_id),
            }
        }
        wanted
    }

    /// Looks for a movie.
    pub fn add_movie(&mut self, tmdb: TmdbId) {
        self.movies.insert(tmdb);
    }

    /// Looks for a show.
    pub fn add_show(&mut self, tmdb: TmdbId, tvdb: Option<TvdbId>) {
        let known = self.shows.entry(tmdb).or_insert(None);
        if let Some(tvdb) = tvdb {
            *known = Some(tvdb);
            self.by_tvdb.insert(tvdb, tmdb);
        }
    }

    /// Wanted movies.
    pub fn movies(&self) -> &BTreeSet<TmdbId> {
        &self.movies
    }

    /// Wanted shows: TMDB id and TVDB id when known.
    pub fn shows(&self) -> impl Iterator<Item = (TmdbId, Option<TvdbId>)> + '_ {
        self.shows.iter().map(|(tmdb, tvdb)| (*tmdb, *tvdb))
    }

    /// Whether a movie is wanted.
    pub fn wants_movie(&self, tmdb: TmdbId) -> bool {
        self.movies.contains(&tmdb)
    }

    /// The wanted show (by its TMDB id) that a library item with these ids is, if any.
    pub fn show_matching(&self, tmdb: Option<TmdbId>, tvdb: Option<TvdbId>) -> Option<TmdbId> {
        tmdb.filter(|id| self.shows.contains_key(id))
            .or_else(|| tvdb.and_then(|id| self.by_tvdb.get(&id).copied()))
    }

    /// Whether any movie is wanted.
    pub fn has_movies(&self) -> bool {
        !self.movies.is_empty()
    }

    /// Whether any show is wanted.
    pub fn has_shows(&self) -> bool {
        !self.shows.is_empty()
    }

    /// Nothing to look for: no upstream call is needed.
    pub fn is_empty(&self) -> bool {
        self.movies.is_empty() && self.shows.is_empty()
    }
}

/// What the libraries hold of a [`Wanted`] set: present movies, and the seasons present of each
/// show (keyed by the show's TMDB id, whichever id matched).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Presence {
    /// Wanted movies found.
    pub movies: HashSet<TmdbId>,
    /// Wanted shows found, with the seasons that have at least one episode.
    pub shows: HashMap<TmdbId, Seasons>,
    /// Where found titles sit on the server, when it names its items in a way members can open
    /// (Jellyfin and Emby item ids), so search cards can link to them.
    pub items: HashMap<(MediaType, TmdbId), LibraryItem>,
}

impl Presence {
    /// Adds another server's answer (a season on any server counts).
    pub fn merge(&mut self, other: Presence) {
        self.movies.extend(other.movies);
        for (title, item) in other.items {
            // The first server that holds a title is the one its link opens.
            self.items.entry(title).or_insert(item);
        }
        for (show, seasons) in other.shows {
            let entry = self.shows.entry(show).or_default();
            *entry = Seasons::new(entry.iter().chain(seasons.iter()));
        }
    }

    /// Adds the seasons of one show.
    pub fn add_show(&mut self, show: TmdbId, seasons: &Seasons) {
        self.merge(Presence {
            shows: HashMap::from([(show, seasons.clone())]),
            ..Presence::default()
        });
    }

    /// What the library holds of one request, in `record_availability`'s terms.
    pub fn seasons_for(&self, request: &Request) -> Seasons {
        match request.media.media_type {
            MediaType::Movie if self.movies.contains(&request.media.tmdb_id) => {
                Seasons::new([MOVIE_PRESENT])
            }
            MediaType::Movie => Seasons::default(),
            MediaType::Tv => self
                .shows
                .get(&request.media.tmdb_id)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// One show as a media server holds it, for webhooks that name a server-side item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowPresence {
    /// TMDB id, if the server knows it.
    pub tmdb: Option<TmdbId>,
    /// TVDB id, if the server knows it.
    pub tvdb: Option<TvdbId>,
    /// Seasons with at least one episode present.
    pub seasons: Seasons,
}

/// One library of a media server, as `usher check` lists them so an operator sees which ones
/// Usher will look in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// Name shown in the server's UI.
    pub name: String,
    /// What it holds as the server says it (`movies`, `tvshows`, `movie`, `show`, `music`…).
    pub kind: String,
}

/// A media server the reconcile job can ask.
pub trait MediaServer: Send + Sync + std::fmt::Debug {
    /// Name for logs and reports (`Jellyfin`, `Emby`, `Plex`).
    fn name(&self) -> &'static str;

    /// Which of the wanted titles this server holds, in as few calls as its API allows.
    fn find<'a>(&'a self, wanted: &'a Wanted) -> BoxFuture<'a, Result<Presence, UpstreamError>>;
}

/// The media servers configured for this instance (several may be at once).
#[derive(Debug, Clone, Default)]
pub struct MediaServers {
    /// Jellyfin or Emby.
    pub jellyfin: Option<Arc<JellyfinClient>>,
    /// Plex.
    pub plex: Option<Arc<PlexClient>>,
}

impl MediaServers {
    /// Clients for every media server in the settings.
    pub fn from_settings(settings: &Settings, http: &HttpSettings) -> CoreResult<Self> {
        let jellyfin = match &settings.jellyfin {
            Some(jf) => Some(Arc::new(JellyfinClient::new(
                &jf.url,
                jf.api_key.expose_secret(),
                http,
            )?)),
            None => None,
        };
        let plex = match &settings.plex {
            Some(plex) => Some(Arc::new(PlexClient::new(
                &plex.url,
                plex.token.expose_secret(),
                http,
            )?)),
            None => None,
        };
        Ok(Self { jellyfin, plex })
    }

    /// All of them, for the reconcile job.
    pub fn all(&self) -> Vec<Arc<dyn MediaServer>> {
        let mut all: Vec<Arc<dyn MediaServer>> = Vec::new();
        if let Some(jf) = &self.jellyfin {
            all.push(jf.clone());
        }
        if let Some(plex) = &self.plex {
            all.push(plex.clone());
        }
        all
    }

    /// Whether none is configured.
    pub fn is_empty(&self) -> bool {
        self.jellyfin.is_none() && self.plex.is_none()
    }
}

/// Reads a provider id value ("438631") as a TMDB id; anything else is no id.
pub(crate) fn parse_tmdb(raw: &str) -> Option<TmdbId> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| TmdbId::parse(id).ok())
}

/// Reads a provider id value as a TVDB id; anything else is no id.
pub(crate) fn parse_tvdb(raw: &str) -> Option<TvdbId> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| TvdbId::parse(id).ok())
}

#[cfg(test)]
mod contract_tests;
#[cfg(test)]
mod tests;
