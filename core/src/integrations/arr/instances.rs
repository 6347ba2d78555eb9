//! Several Radarr/Sonarr instances, each marked default, 4K or anime, and the rule that picks one
//! for a request: movies go to `radarr` (or `radarr-4k`), TV to `sonarr`, `sonarr-4k`, or
//! `sonarr-anime` for anime when that instance exists.

use serde_json::Value;

use super::api::{ArrApi, Destination};
use super::error::ArrError;
use super::radarr::{MovieRequest, RadarrClient};
use super::resources::Placed;
use super::sonarr::{SeriesRequest, SeriesShape, SonarrClient};
use crate::config::Settings;
use crate::domain::{Episodes, Media, MediaType, Seasons, UpstreamRef};
use crate::error::CoreResult;
use crate::integrations::http::HttpSettings;

/// What an instance is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Everyday requests.
    Default,
    /// 4K requests.
    FourK,
    /// Anime series.
    Anime,
}

/// Every instance name Usher knows, with the media type it serves. An approver may send a
/// request to any configured one of these in place of the one the rule would pick.
pub const INSTANCE_NAMES: [(&str, MediaType); 5] = [
    ("radarr", MediaType::Movie),
    ("radarr-4k", MediaType::Movie),
    ("sonarr", MediaType::Tv),
    ("sonarr-4k", MediaType::Tv),
    ("sonarr-anime", MediaType::Tv),
];

/// The known instance of that name (as a `'static` name, for errors) and what it serves.
pub fn known_instance(name: &str) -> Option<(&'static str, MediaType)> {
    INSTANCE_NAMES.into_iter().find(|(known, _)| *known == name)
}

/// A client of either kind.
#[derive(Debug, Clone)]
pub enum ArrClient {
    /// Movies.
    Radarr(RadarrClient),
    /// TV.
    Sonarr(SonarrClient),
}

/// One configured instance.
#[derive(Debug, Clone)]
pub struct ArrInstance {
    /// What it is for.
    pub flavor: Flavor,
    /// The client.
    pub client: ArrClient,
}

impl ArrInstance {
    /// Its name (`radarr`, `radarr-4k`, `sonarr`, `sonarr-4k`, `sonarr-anime`).
    pub fn name(&self) -> &'static str {
        match &self.client {
            ArrClient::Radarr(c) => c.api().instance(),
            ArrClient::Sonarr(c) => c.api().instance(),
        }
    }

    /// Whether calls to it are paused after repeated failures (its circuit breaker is open).
    pub fn calls_paused(&self) -> bool {
        match &self.client {
            ArrClient::Radarr(c) => c.api().calls_paused(),
            ArrClient::Sonarr(c) => c.api().calls_paused(),
        }
    }

    /// Its API (profiles, folders, tags), whichever app it is.
    pub fn api(&self) -> &ArrApi {
        match &self.client {
            ArrClient::Radarr(c) => c.api(),
            ArrClient::Sonarr(c) => c.api(),
        }
    }

    /// The tags the configuration puts on every new title of this instance.
    pub fn configured_tags(&self) -> &[String] {
        match &self.client {
            ArrClient::Radarr(c) => c.configured_tags(),
            ArrClient::Sonarr(c) => c.configured_tags(),
        }
    }

    /// Which media type it serves.
    pub fn media_type(&self) -> MediaType {
        match self.client {
            ArrClient::Radarr(_) => MediaType::Movie,
            ArrClient::Sonarr(_) => MediaType::Tv,
        }
    }
}

/// A request as the instances need it.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    /// The title; a TV request must carry its TVDB id by now.
    pub media: &'a Media,
    /// Requested seasons (TV).
    pub seasons: &'a Seasons,
    /// Also monitor seasons that do not exist yet (TV).
    pub future_seasons: bool,
    /// A 4K request.
    pub four_k: bool,
    /// Whether the show is anime, when known (from TMDB); otherwise Sonarr's genres decide.
    pub anime: Option<bool>,
    /// Tags beyond the configured ones, e.g. `usher-alice`.
    pub extra_tags: &'a [String],
    /// The instance an approver picked; `None` lets [`ArrInstances::choose`] decide.
    pub instance: Option<&'a str>,
    /// The quality profile and root folder an approver picked.
    pub placement: Destination<'a>,
    /// Sonarr's series type a rule chose and TMDB's season sizes (TV).
    pub shape: SeriesShape<'a>,
}

/// Every configured instance. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct ArrInstances {
    instances: Vec<ArrInstance>,
}

impl ArrInstances {
    /// The given instances (tests, the console).
    pub fn new(instances: Vec<ArrInstance>) -> Self {
        Self { instances }
    }

    /// Every instance the settings configure.
    pub fn from_settings(settings: &Settings, http: &HttpSettings) -> CoreResult<Self> {
        let options = &settings.arr;
        let mut instances = Vec::new();
        for (name, flavor, arr) in [
            ("radarr", Flavor::Default, &settings.radarr),
            ("radarr-4k", Flavor::FourK, &settings.radarr_4k),
        ] {
            if let Some(arr) = arr {
                let client = RadarrClient::new(name, arr, options, http)?;
                instances.push(ArrInstance {
                    flavor,
                    client: ArrClient::Radarr(client),
                });
            }
        }
        for (name, flavor, arr) in [
            ("sonarr", Flavor::Default, &settings.sonarr),
            ("sonarr-4k", Flavor::FourK, &settings.sonarr_4k),
            ("sonarr-anime", Flavor::Anime, &settings.sonarr_anime),
        ] {
            if let Some(arr) = arr {
                let anime_only = flavor == Flavor::Anime;
                let client = SonarrClient::new(name, arr, options, anime_only, http)?;
                instances.push(ArrInstance {
                    flavor,
                    client: ArrClient::Sonarr(client),
                });
            }
        }
        Ok(Self { instances })
    }

    /// Whether none is configured.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// Every instance, movies first.
    pub fn iter(&self) -> impl Iterator<Item = &ArrInstance> {
        self.instances.iter()
    }

    /// The instance with this name.
    pub fn get(&self, name: &str) -> Option<&ArrInstance> {
        self.instances.iter().find(|i| i.name() == name)
    }

    fn find(&self, media_type: MediaType, flavor: Flavor) -> Option<&ArrInstance> {
        self.instances
            .iter()
            .find(|i| i.media_type() == media_type && i.flavor == flavor)
    }

    /// The instance a request goes to. 4K needs a 4K instance (a 4K copy in the everyday
    /// library is not what was approved); anime without an anime instance goes to the default
    /// Sonarr, which then files it as anime.
    pub fn choose(
        &self,
        media_type: MediaType,
        four_k: bool,
        anime: bool,
    ) -> Result<&ArrInstance, ArrError> {
        let (wanted, fallback, name) = match (media_type, four_k, anime) {
            (MediaType::Movie, false, _) => (Flavor::Default, None, "radarr"),
            (MediaType::Movie, true, _) => (Flavor::FourK, None, "radarr-4k"),
            (MediaType::Tv, true, _) => (Flavor::FourK, None, "sonarr-4k"),
            (MediaType::Tv, false, true) => (Flavor::Anime, Some(Flavor::Default), "sonarr"),
            (MediaType::Tv, false, false) => (Flavor::Default, None, "sonarr"),
        };
        self.find(media_type, wanted)
            .or_else(|| fallback.and_then(|f| self.find(media_type, f)))
            .ok_or_else(|| ArrError::setup(name, "is not configured"))
    }

    /// The instance an approver picked, if it is configured and serves this media type.
    fn picked(&self, name: &str, media_type: MediaType) -> Result<&ArrInstance, ArrError> {
        let Some((known, serves)) = known_instance(name) else {
            return Err(ArrError::setup(
                "arr",
                format!("no instance is named {name:?}"),
            ));
        };
        if serves != media_type {
            return Err(ArrError::setup(
                known,
                format!("does not take {media_type} requests"),
            ));
        }
        self.get(known)
            .ok_or_else(|| ArrError::setup(known, "is not configured"))
    }

    /// Sends a request to its instance, idempotently; returns where it now lives.
    pub async fn submit(
        &self,
        submission: &Submission<'_>,
    ) -> Result<(UpstreamRef, Placed), ArrError> {
        self.submit_episodes(submission, &Episodes::default()).await
    }

    /// [`Self::submit`] for a TV request of single episodes: Sonarr monitors and searches
    /// exactly those (see `sonarr::episodes`); empty `episodes` is an ordinary request.
    pub async fn submit_episodes(
        &self,
        submission: &Submission<'_>,
        episodes: &Episodes,
    ) -> Result<(UpstreamRef, Placed), ArrError> {
        let media = submission.media;
        let (anime, looked_up) = match (media.media_type, submission.anime, submission.four_k) {
            (MediaType::Tv, None, false) => self.anime_from_sonarr(submission).await?,
            (_, anime, _) => (anime.unwrap_or(false), None),
        };
        let instance = match submission.instance {
            Some(name) => self.picked(name, media.media_type)?,
            None => self.choose(media.media_type, submission.four_k, anime)?,
        };
        let placed = match &instance.client {
            ArrClient::Radarr(radarr) => {
                let request = MovieRequest {
                    tmdb_id: media.tmdb_id,
                    title: Some(&media.title),
                    year: media.year,
                    extra_tags: submission.extra_tags,
                    placement: submission.placement,
                };
                radarr.submit_to(&request).await?
            }
            ArrClient::Sonarr(sonarr) => {
                let tvdb_id = media.tvdb_id.ok_or_else(|| {
                    ArrError::setup(
                        instance.name(),
                        format!("needs a TVDB id and none is known for {}", media.title),
                    )
                })?;
                let request = SeriesRequest {
                    tvdb_id,
                    seasons: submission.seasons,
                    future_seasons: submission.future_seasons,
                    anime: submission.anime.or(Some(anime).filter(|a| *a)),
                    extra_tags: submission.extra_tags,
                    placement: submission.placement,
                    shape: submission.shape,
                };
                // The anime instance's lookup, made to tell anime, serves its add too.
                let looked_up = looked_up
                    .filter(|(name, _)| *name == instance.name())
                    .map(|(_, found)| found);
                if episodes.is_empty() {
                    sonarr.submit_looked_up(&request, looked_up).await?
                } else {
                    sonarr
                        .submit_episodes_looked_up(&request, episodes, looked_up)
                        .await?
                }
            }
        };
        let upstream = UpstreamRef {
            instance: instance.name().to_owned(),
            id: placed.id,
        };
        Ok((upstream, placed))
    }

    /// Without an answer from TMDB, Sonarr's own genres say whether a show is anime — asked
    /// only when an anime instance exists, since otherwise the default Sonarr decides itself.
    /// Also gives the lookup and the instance that answered it, for the add to reuse.
    async fn anime_from_sonarr(
        &self,
        submission: &Submission<'_>,
    ) -> Result<(bool, Option<(&'static str, Value)>), ArrError> {
        let (Some(instance), Some(tvdb_id)) = (
            self.find(MediaType::Tv, Flavor::Anime),
            submission.media.tvdb_id,
        ) else {
            return Ok((false, None));
        };
        let ArrClient::Sonarr(sonarr) = &instance.client else {
            return Ok((false, None));
        };
        let found = sonarr.lookup(tvdb_id).await?;
        let anime = SonarrClient::looks_like_anime(&found);
        Ok((anime, Some((instance.name(), found))))
    }
}
