//! Inbound webhooks from Radarr, Sonarr, the Jellyfin webhook plugin and Plex, turned into
//! availability changes. The web crate only extracts the token and the body and calls
//! [`Webhooks::receive`]; everything else happens here:
//!
//! 1. the shared secret is checked in constant time ([`HookError::Unauthorized`], nothing read);
//! 2. the body is parsed per source ([`HookError::Malformed`] when it is not what that sender
//!    sends); events that do not concern availability are [`HookOutcome::Ignored`];
//! 3. a delivery key derived from the payload is claimed in `webhook_events`, so a replay is
//!    [`HookOutcome::Replayed`] and notifies no one twice;
//! 4. the open requests for the title get `record_availability` (or a deletion note).
//!
//! Episodes from Jellyfin and Plex carry the episode's ids, not the show's, so they are resolved
//! through the media-server clients (one targeted lookup, never a library scan).

mod arr;
mod jellyfin;
mod plex;
pub mod secret;

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use crate::crypto::constant_time_eq;
use crate::domain::SourceKind;
use crate::domain::availability::MOVIE_PRESENT;
use crate::domain::{
    Actor, Episodes, LibraryItem, MediaType, RequestId, Seasons, Timestamp, TmdbId, TvdbId,
};
use crate::error::CoreError;
use crate::index::job::Nudge;
use crate::index::pass::Passes;
use crate::integrations::mediaserver::MediaServers;
use crate::service::AvailabilityService;
use crate::store::{Db, availability as store, library};

pub use secret::{SECRET_SETTING, webhook_secret, webhook_urls};

/// Largest webhook body read (Plex thumbnails are dropped before this applies).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Who sent a webhook; each has its own path and payload shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookSource {
    /// Radarr's Webhook connection.
    Radarr,
    /// Sonarr's Webhook connection.
    Sonarr,
    /// The Jellyfin webhook plugin (Generic destination).
    Jellyfin,
    /// Plex webhooks (the `payload` part of the multipart body).
    Plex,
}

impl HookSource {
    /// The stored and path name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Radarr => "radarr",
            Self::Sonarr => "sonarr",
            Self::Jellyfin => "jellyfin",
            Self::Plex => "plex",
        }
    }

    /// Every source, for printing URLs.
    pub const ALL: [Self; 4] = [Self::Radarr, Self::Sonarr, Self::Jellyfin, Self::Plex];
}

/// How a delivery was handled; all of these are a success for the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookOutcome {
    /// Handled; these requests changed (possibly none, when the title is not requested).
    Applied {
        /// Requests whose availability changed (or whose deletion was noted).
        changed: Vec<RequestId>,
    },
    /// The same delivery was handled before; nothing was done.
    Replayed,
    /// Not about availability (a Test, a Grab, a playback event…), with why.
    Ignored(String),
}

/// Why a delivery was refused.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// Missing or wrong secret; nothing was read or changed.
    #[error("missing or wrong webhook token")]
    Unauthorized,
    /// The body is not what this sender sends.
    #[error("malformed webhook: {0}")]
    Malformed(String),
    /// Handling failed (database, media server); the delivery may be retried.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// What a parsed delivery asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// A movie is in the library.
    Movie(TmdbId),
    /// These seasons of a show have files; `episodes` names the files' episodes when the
    /// sender said (single-episode requests are decided by those).
    Show {
        tmdb: Option<TmdbId>,
        tvdb: Option<TvdbId>,
        seasons: Seasons,
        episodes: Episodes,
    },
    /// A Jellyfin series (by item id) got something new: ask Jellyfin what it holds.
    /// `episodes`: the episode added, when the delivery was about one.
    JellyfinSeries { series: String, episodes: Episodes },
    /// A Plex movie without ids in the payload: ask Plex.
    PlexMovie(String),
    /// A Plex show (by rating key) got something new: ask Plex what it holds.
    PlexShow(String),
    /// Radarr/Sonarr deleted the title.
    Deleted {
        media_type: MediaType,
        tmdb: Option<TmdbId>,
        tvdb: Option<TvdbId>,
        details: serde_json::Value,
    },
}

/// A parsed delivery: ignore it, or do something once per key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Parsed {
    Ignore(String),
    /// `item`: where the media server keeps the title (movie or show), when it said.
    Act {
        key: String,
        action: Action,
        item: Option<LibraryItem>,
    },
}

/// The webhook receiver: secret, database, and the media servers used to resolve episodes.
#[derive(Clone, Debug)]
pub struct Webhooks {
    db: Db,
    availability: AvailabilityService,
    secret: Arc<SecretString>,
    servers: MediaServers,
    index: Option<(Passes, Nudge)>,
}

impl Webhooks {
    /// Builds the receiver. `secret` comes from [`webhook_secret`].
    pub fn new(db: Db, secret: SecretString, servers: MediaServers) -> Self {
        Self {
            availability: AvailabilityService::new(db.clone()),
            db,
            secret: Arc::new(secret),
            servers,
            index: None,
        }
    }

    /// The same receiver, telling the library index: a Radarr/Sonarr deletion leaves the
    /// index at once, anything else wakes an incremental pass.
    #[must_use]
    pub fn with_index(mut self, passes: Passes, nudge: Nudge) -> Self {
        self.index = Some((passes, nudge));
        self
    }

    async fn tell_index(&self, source: HookSource, action: &Action) -> Result<(), CoreError> {
        let Some((passes, nudge)) = &self.index else {
            return Ok(());
        };
        if let Action::Deleted {
            media_type,
            tmdb,
            tvdb,
            ..
        } = action
        {
            let kind = match source {
                HookSource::Radarr => SourceKind::Radarr,
                _ => SourceKind::Sonarr,
            };
            let index = passes.index();
            let tmdb = tmdb.or_else(|| tvdb.and_then(|t| index.tmdb_for_tvdb(t)));
            if let Some(tmdb) = tmdb {
                for (info, _) in index.sources().into_iter().filter(|(i, _)| i.kind == kind) {
                    let held = index
                        .holdings(*media_type, tmdb)
                        .iter()
                        .any(|h| h.source.name == info.name);
                    if held {
                        passes
                            .put_title(&info.name, (*media_type, tmdb), None)
                            .await?;
                    }
                }
            }
        }
        nudge.poke();
        Ok(())
    }

    /// Checks the token from `X-Usher-Token` or `?token=` in constant time.
    pub fn authorize(&self, token: Option<&str>) -> Result<(), HookError> {
        let expected = self.secret.expose_secret().as_bytes();
        match token {
            Some(token) if constant_time_eq(token.as_bytes(), expected) => Ok(()),
            _ => Err(HookError::Unauthorized),
        }
    }

    /// Handles one delivery (see the module docs for the steps).
    pub async fn receive(
        &self,
        source: HookSource,
        token: Option<&str>,
        body: &[u8],
    ) -> Result<HookOutcome, HookError> {
        self.authorize(token)?;
        if body.len() > MAX_BODY_BYTES {
            return Err(HookError::Malformed("body too large".into()));
        }
        let parsed = match source {
            HookSource::Radarr => arr::parse_radarr(body)?,
            HookSource::Sonarr => arr::parse_sonarr(body)?,
            HookSource::Jellyfin => jellyfin::parse(body)?,
            HookSource::Plex => plex::parse(body)?,
        };
        let (key, action) = match parsed {
            Parsed::Ignore(why) => return Ok(HookOutcome::Ignored(why)),
            Parsed::Act { key, action, item } => (key, (action, item)),
        };
        let (action, item) = action;
        if let Some(why) = self.cannot_resolve(&action) {
            return Ok(HookOutcome::Ignored(why));
        }
        let name = source.as_str();
        if !store::claim_event(&self.db, name, &key, Timestamp::now()).await? {
            return Ok(HookOutcome::Replayed);
        }
        let told = action.clone();
        match self.apply(action, item.as_ref()).await {
            Ok(changed) => {
                if let Err(err) = self.tell_index(source, &told).await {
                    tracing::warn!(error = %err, "the library index did not take a webhook");
                }
                Ok(HookOutcome::Applied { changed })
            }
            Err(err) => {
                if let Err(release) = store::release_event(&self.db, name, &key).await {
                    tracing::warn!(error = %release, "could not release a failed webhook delivery");
                }
                Err(err.into())
            }
        }
    }

    fn cannot_resolve(&self, action: &Action) -> Option<String> {
        match action {
            Action::JellyfinSeries { .. } if self.servers.jellyfin.is_none() => Some(
                "an episode was added, but Jellyfin is not configured to look up its series".into(),
            ),
            Action::PlexMovie(_) | Action::PlexShow(_) if self.servers.plex.is_none() => {
                Some("Plex is not configured to look up the item".into())
            }
            _ => None,
        }
    }

    async fn apply(
        &self,
        action: Action,
        item: Option<&LibraryItem>,
    ) -> Result<Vec<RequestId>, CoreError> {
        let actor = Actor::system();
        match action {
            Action::Movie(tmdb) => {
                self.remember(MediaType::Movie, Some(tmdb), item).await?;
                self.movie_present(&actor, tmdb).await
            }
            Action::Show {
                tmdb,
                tvdb,
                seasons,
                episodes,
            } => {
                let held = Held {
                    seasons: &seasons,
                    episodes: &episodes,
                };
                self.show_present(&actor, tmdb, tvdb, held).await
            }
            Action::JellyfinSeries {
                series: item_id,
                episodes,
            } => {
                let Some(jellyfin) = &self.servers.jellyfin else {
                    return Ok(Vec::new());
                };
                let found = jellyfin
                    .series_by_item_id(&item_id)
                    .await
                    .map_err(|e| e.into_core("Jellyfin"))?;
                match found {
                    Some(show) => {
                        self.remember(MediaType::Tv, show.tmdb, item).await?;
                        let held = Held {
                            seasons: &show.seasons,
                            episodes: &episodes,
                        };
                        self.show_present(&actor, show.tmdb, show.tvdb, held).await
                    }
                    None => Ok(Vec::new()),
                }
            }
            Action::PlexMovie(key) => {
                let Some(plex) = &self.servers.plex else {
                    return Ok(Vec::new());
                };
                match plex
                    .movie_by_rating_key(&key)
                    .await
                    .map_err(|e| e.into_core("Plex"))?
                {
                    Some(tmdb) => {
                        self.remember(MediaType::Movie, Some(tmdb), item).await?;
                        self.movie_present(&actor, tmdb).await
                    }
                    None => Ok(Vec::new()),
                }
            }
            Action::PlexShow(key) => {
                let Some(plex) = &self.servers.plex else {
                    return Ok(Vec::new());
                };
                let found = plex
                    .show_by_rating_key(&key)
                    .await
                    .map_err(|e| e.into_core("Plex"))?;
                match found {
                    Some(show) => {
                        self.remember(MediaType::Tv, show.tmdb, item).await?;
                        let held = Held {
                            seasons: &show.seasons,
                            episodes: &Episodes::default(),
                        };
                        self.show_present(&actor, show.tmdb, show.tvdb, held).await
                    }
                    None => Ok(Vec::new()),
                }
            }
            Action::Deleted {
                media_type,
                tmdb,
                tvdb,
                details,
            } => {
                self.availability
                    .note_deletion(&actor, media_type, tmdb, tvdb, &details)
                    .await
            }
        }
    }

    /// Notes where the media server keeps a title, for "Open in library" links.
    async fn remember(
        &self,
        media_type: MediaType,
        tmdb: Option<TmdbId>,
        item: Option<&LibraryItem>,
    ) -> Result<(), CoreError> {
        let (Some(tmdb), Some(item)) = (tmdb, item) else {
            return Ok(());
        };
        library::put_item(&self.db, media_type, tmdb, item, Timestamp::now()).await
    }

    async fn movie_present(
        &self,
        actor: &Actor,
        tmdb: TmdbId,
    ) -> Result<Vec<RequestId>, CoreError> {
        let present = Seasons::new([MOVIE_PRESENT]);
        let mut changed = Vec::new();
        for request in self.availability.open_movie(tmdb).await? {
            let recorded = self
                .availability
                .record_availability(actor, request.id, &present)
                .await?;
            if recorded.changed {
                changed.push(request.id);
            }
        }
        Ok(changed)
    }

    /// Records what a delivery said of a show: seasons for season requests, the named
    /// episodes for single-episode requests (which a delivery naming none leaves waiting).
    async fn show_present(
        &self,
        actor: &Actor,
        tmdb: Option<TmdbId>,
        tvdb: Option<TvdbId>,
        held: Held<'_>,
    ) -> Result<Vec<RequestId>, CoreError> {
        let mut changed = Vec::new();
        if held.seasons.is_empty() && held.episodes.is_empty() {
            return Ok(changed);
        }
        for request in self.availability.open_show(tmdb, tvdb).await? {
            let recorded = if request.episodes.is_empty() {
                self.availability
                    .record_availability(actor, request.id, held.seasons)
                    .await?
            } else if held.episodes.is_empty() {
                continue;
            } else {
                self.availability
                    .record_episodes(actor, request.id, held.episodes)
                    .await?
            };
            if recorded.changed {
                changed.push(request.id);
            }
        }
        Ok(changed)
    }
}

/// What a delivery says a show holds.
#[derive(Clone, Copy)]
struct Held<'a> {
    seasons: &'a Seasons,
    episodes: &'a Episodes,
}

/// Reads a JSON body; anything else is [`HookError::Malformed`].
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, HookError> {
    serde_json::from_slice(body).map_err(|e| HookError::Malformed(e.to_string()))
}

#[cfg(test)]
mod fuzz_tests;
