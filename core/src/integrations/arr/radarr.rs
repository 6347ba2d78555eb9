//! Radarr v3 API client: look a movie up by TMDB id, add it once, or make sure an existing one is
//! monitored. Idempotent: the library is asked first, and a "has already been added" answer
//! (another replica, or a person, was faster) is treated as "it is there".
//!
//! An add is two calls: `GET /api/v3/movie?tmdbId=` (is it there?) and `POST /api/v3/movie` with
//! the TMDB id, the title and year Usher knows, and the cached profile, folder and tags — Radarr
//! fills in the rest from TMDB itself, and refuses an id TMDB does not know.

use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};

use super::api::{ArrApi, Destination, is_already_added, is_unknown_id, may_be_stale};
use super::error::{ArrError, ArrErrorKind};
use super::resources::{Placed, Placement, resource_id};
use crate::config::{ArrOptions, ArrSettings, MinimumAvailability};
use crate::domain::TmdbId;
use crate::error::CoreResult;
use crate::integrations::http::{HttpSettings, UpstreamError};

/// One Radarr instance.
#[derive(Debug, Clone)]
pub struct RadarrClient {
    api: ArrApi,
    minimum_availability: MinimumAvailability,
    tags: Vec<String>,
    search_on_add: bool,
}

/// A movie to submit.
#[derive(Debug, Clone, Copy)]
pub struct MovieRequest<'a> {
    /// Radarr's key.
    pub tmdb_id: TmdbId,
    /// The title Usher knows, sent with an add; `None` asks Radarr's lookup for it first (one
    /// call more).
    pub title: Option<&'a str>,
    /// The release year Usher knows, sent with an add.
    pub year: Option<u16>,
    /// Tags beyond the configured ones (the requester's).
    pub extra_tags: &'a [String],
    /// The quality profile and root folder an approver picked for a new movie.
    pub placement: Destination<'a>,
}

/// `POST /api/v3/movie`: the fields Radarr needs to add a movie (a subset of `MovieResource`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewMovie<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i64>,
    tmdb_id: u32,
    quality_profile_id: i64,
    root_folder_path: &'a str,
    monitored: bool,
    minimum_availability: &'static str,
    tags: &'a [i64],
    add_options: AddMovieOptions,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AddMovieOptions {
    search_for_movie: bool,
    monitor: &'static str,
}

impl RadarrClient {
    /// A client for the instance `instance` (e.g. `radarr-4k`) with the shared add options.
    pub fn new(
        instance: &'static str,
        settings: &ArrSettings,
        options: &ArrOptions,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        Ok(Self {
            api: ArrApi::new(instance, settings, http)?,
            minimum_availability: options.radarr_minimum_availability,
            tags: options.radarr_tags.clone(),
            search_on_add: options.search_on_add,
        })
    }

    /// Status, profiles, root folders, tags and commands.
    pub fn api(&self) -> &ArrApi {
        &self.api
    }

    /// The tags the configuration puts on every new movie (what an approver's pick replaces).
    pub fn configured_tags(&self) -> &[String] {
        &self.tags
    }

    /// What Radarr's metadata source knows of a movie (`GET /api/v3/movie/lookup/tmdb`).
    pub async fn lookup(&self, tmdb_id: TmdbId) -> Result<Value, ArrError> {
        let query = [("tmdbId", tmdb_id.to_string())];
        match self.api.get("/api/v3/movie/lookup/tmdb", &query).await {
            Err(e) if e.upstream() == Some(&UpstreamError::NotFound) => Err(self.unknown(tmdb_id)),
            other => other,
        }
    }

    /// The movie as it is in the library, if it is (`GET /api/v3/movie?tmdbId=`).
    pub async fn find(&self, tmdb_id: TmdbId) -> Result<Option<Value>, ArrError> {
        let query = [("tmdbId", tmdb_id.to_string())];
        let movies: Vec<Value> = self.api.get("/api/v3/movie", &query).await?;
        let wanted = i64::from(tmdb_id.get());
        Ok(movies
            .into_iter()
            .find(|m| m.get("tmdbId").and_then(Value::as_i64) == Some(wanted)))
    }

    /// Makes sure the movie is in the library and monitored, adding it only if it is missing.
    /// `extra_tags` (e.g. the requester's) join the configured tags on a new movie.
    pub async fn submit(&self, tmdb_id: TmdbId, extra_tags: &[String]) -> Result<Placed, ArrError> {
        let request = MovieRequest {
            tmdb_id,
            title: None,
            year: None,
            extra_tags,
            placement: Destination::default(),
        };
        self.submit_to(&request).await
    }

    /// [`Self::submit`] with what Usher knows of the movie, adding a missing one with the
    /// quality profile and root folder an approver picked (an existing movie stays where it
    /// is).
    pub async fn submit_to(&self, request: &MovieRequest<'_>) -> Result<Placed, ArrError> {
        if let Some(movie) = self.find(request.tmdb_id).await? {
            return self.ensure_monitored(movie).await;
        }
        match self.add(request).await {
            Err(e) if is_already_added(&e) => match self.find(request.tmdb_id).await? {
                Some(movie) => self.ensure_monitored(movie).await,
                None => Err(e),
            },
            other => other,
        }
    }

    /// Asks Radarr to search for these movies now.
    pub async fn search(&self, movie_ids: &[i64]) -> Result<(), ArrError> {
        self.api
            .command(&json!({ "name": "MoviesSearch", "movieIds": movie_ids }))
            .await
    }

    /// Adds a movie that is not in the library; an add refused in a way stale cached ids could
    /// explain is tried once more with fresh ones.
    async fn add(&self, request: &MovieRequest<'_>) -> Result<Placed, ArrError> {
        let known = request.title.map(str::trim).filter(|t| !t.is_empty());
        let (title, year) = match known {
            Some(title) => (title.to_owned(), request.year.map(i64::from)),
            None => {
                let found = self.lookup(request.tmdb_id).await?;
                let title = found
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if title.is_empty() {
                    return Err(self.unknown(request.tmdb_id));
                }
                (title, found.get("year").and_then(Value::as_i64))
            }
        };
        let added = match self.post(request, &title, year).await {
            Err(e) if may_be_stale(&e) => {
                tracing::info!(
                    instance = self.api.instance(),
                    error = %e,
                    "add refused; trying again with fresh profiles, folders and tags"
                );
                self.api.forget().await;
                self.post(request, &title, year).await
            }
            other => other,
        };
        added.map_err(|e| {
            if is_unknown_id(&e) {
                self.unknown(request.tmdb_id)
            } else {
                e
            }
        })
    }

    /// `POST /api/v3/movie` with the cached profile, folder and tags.
    async fn post(
        &self,
        request: &MovieRequest<'_>,
        title: &str,
        year: Option<i64>,
    ) -> Result<Placed, ArrError> {
        let profile = self.api.quality_profile(&request.placement).await?;
        let folder = self.api.root_folder(&request.placement).await?;
        let path = folder
            .path
            .ok_or_else(|| ArrError::setup(self.api.instance(), "its root folder has no path"))?;
        // An approver's tags replace the configured ones; the requester's are added either way.
        let configured = request.placement.tags.unwrap_or(&self.tags);
        let labels: Vec<String> = configured
            .iter()
            .chain(request.extra_tags)
            .cloned()
            .collect();
        let tags = self.api.ensure_tags(&labels).await?;
        let body = NewMovie {
            title,
            year,
            tmdb_id: request.tmdb_id.get(),
            quality_profile_id: profile.id,
            root_folder_path: &path,
            monitored: true,
            minimum_availability: self.minimum_availability.as_str(),
            tags: &tags,
            add_options: AddMovieOptions {
                search_for_movie: self.search_on_add,
                monitor: "movieOnly",
            },
        };
        let added: Value = self
            .api
            .send(Method::POST, "/api/v3/movie", &body, false)
            .await?;
        let id = resource_id(&added).ok_or_else(|| self.malformed("the added movie has no id"))?;
        Ok(Placed {
            id,
            placement: Placement::Added,
        })
    }

    /// An existing movie: monitor it if it is not, and search if asked to.
    async fn ensure_monitored(&self, mut movie: Value) -> Result<Placed, ArrError> {
        let id = resource_id(&movie).ok_or_else(|| self.malformed("a library movie has no id"))?;
        if movie.get("monitored").and_then(Value::as_bool) == Some(true) {
            return Ok(Placed {
                id,
                placement: Placement::Unchanged,
            });
        }
        movie["monitored"] = Value::Bool(true);
        let _: Value = self
            .api
            .send(Method::PUT, &format!("/api/v3/movie/{id}"), &movie, true)
            .await?;
        let has_file = movie.get("hasFile").and_then(Value::as_bool) == Some(true);
        if self.search_on_add && !has_file {
            self.search(&[id]).await?;
        }
        Ok(Placed {
            id,
            placement: Placement::Updated,
        })
    }

    fn unknown(&self, tmdb_id: TmdbId) -> ArrError {
        ArrError::new(
            self.api.instance(),
            ArrErrorKind::UnknownTitle(format!("TMDB movie {tmdb_id}")),
        )
    }

    fn malformed(&self, what: &str) -> ArrError {
        self.api.fail(UpstreamError::Malformed(what.to_owned()))
    }
}
