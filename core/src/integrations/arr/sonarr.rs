//! Sonarr v3/v4 API client: look a series up by TVDB id, add it once with the requested seasons
//! monitored (and new seasons monitored only when asked for), or monitor more seasons of a
//! series already there. Sonarr v3 needs a language
//! profile on add; v4 dropped them, so the version decides.
//!
//! An add is two calls: `GET /api/v3/series/lookup?term=tvdb:ID`, which Sonarr answers with the
//! library's series when it has it (with its id) and otherwise with the metadata, whose season
//! list the add needs — every season must be listed, monitored or not, or Sonarr fills in the
//! missing ones monitored — and then `POST /api/v3/series` with the cached profile, folder, tags
//! and (v3) language profile.
//!
//! Single episodes ([`episodes`]) add the series with no season monitored and then monitor and
//! search exactly those episodes: two to three calls more.

mod episodes;
mod seasons;

pub use episodes::SonarrEpisode;

use std::collections::BTreeSet;

use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};

use super::api::{ArrApi, Destination, is_already_added, is_unknown_id, may_be_stale};
use super::error::{ArrError, ArrErrorKind};
use super::resources::{LanguageProfile, Placed, Placement, resource_id};
use crate::config::{ArrOptions, ArrSettings};
use crate::domain::{Seasons, SeriesType, TvdbId};
use crate::error::CoreResult;
use crate::integrations::http::{HttpSettings, UpstreamError};

/// One Sonarr instance.
#[derive(Debug, Clone)]
pub struct SonarrClient {
    api: ArrApi,
    tags: Vec<String>,
    season_folder: bool,
    search_on_add: bool,
    anime_only: bool,
}

/// A series to submit.
#[derive(Debug, Clone, Copy)]
pub struct SeriesRequest<'a> {
    /// Sonarr's key.
    pub tvdb_id: TvdbId,
    /// Seasons to monitor (at least one).
    pub seasons: &'a Seasons,
    /// Also monitor seasons that do not exist yet (`monitorNewItems`: `all`, else `none` on
    /// add; a series already there is only ever switched to `all`).
    pub future_seasons: bool,
    /// Whether the show is anime, when the caller knows; otherwise Sonarr's genres decide.
    pub anime: Option<bool>,
    /// Tags beyond the configured ones (the requester's).
    pub extra_tags: &'a [String],
    /// The quality profile and root folder an approver picked for a new series.
    pub placement: Destination<'a>,
    /// The series type an override rule chose and TMDB's season sizes.
    pub shape: SeriesShape<'a>,
}

/// How a series is filed beyond where: Sonarr's series type when a rule chose one, and TMDB's
/// episode count per season, to line TMDB's season numbers up with Sonarr's (TVDB's) when a
/// requested season does not exist there ([`crate::domain::season_map`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeriesShape<'a> {
    /// Sonarr's series type; `None`: anime on the anime instance or for anime, else standard.
    pub series_type: Option<SeriesType>,
    /// TMDB's (season, episode count) pairs; `None`: unknown, so requested seasons Sonarr
    /// lacks are left out as before.
    pub tmdb_seasons: Option<&'a [(u16, u32)]>,
}

/// `POST /api/v3/series`: the fields Sonarr needs to add a series (a subset of `SeriesResource`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewSeries<'a> {
    title: &'a str,
    year: i64,
    tvdb_id: u32,
    quality_profile_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    language_profile_id: Option<i64>,
    root_folder_path: &'a str,
    series_type: &'static str,
    season_folder: bool,
    monitored: bool,
    monitor_new_items: &'static str,
    seasons: Vec<Value>,
    tags: &'a [i64],
    add_options: AddSeriesOptions,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AddSeriesOptions {
    ignore_episodes_with_files: bool,
    search_for_missing_episodes: bool,
}

impl SonarrClient {
    /// A client for `instance`; `anime_only` marks the instance kept for anime, where every
    /// series is added with the anime series type.
    pub fn new(
        instance: &'static str,
        settings: &ArrSettings,
        options: &ArrOptions,
        anime_only: bool,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        Ok(Self {
            api: ArrApi::new(instance, settings, http)?,
            tags: options.sonarr_tags.clone(),
            season_folder: options.sonarr_season_folder,
            search_on_add: options.search_on_add,
            anime_only,
        })
    }

    /// Status, profiles, root folders, tags and commands.
    pub fn api(&self) -> &ArrApi {
        &self.api
    }

    /// The tags the configuration puts on every new series (what an approver's pick replaces).
    pub fn configured_tags(&self) -> &[String] {
        &self.tags
    }

    /// Sonarr v3's language profiles (v4 has none to offer).
    pub async fn language_profiles(&self) -> Result<Vec<LanguageProfile>, ArrError> {
        self.api.get("/api/v3/languageprofile", &[]).await
    }

    /// Whether this is Sonarr v3 (which wants a language profile), from its reported version
    /// (cached).
    pub async fn is_v3(&self) -> Result<bool, ArrError> {
        Ok(self.api.cached_status().await?.major_version() == Some(3))
    }

    /// What Sonarr's metadata source knows of a series (`GET /api/v3/series/lookup?term=tvdb:ID`).
    pub async fn lookup(&self, tvdb_id: TvdbId) -> Result<Value, ArrError> {
        let query = [("term", format!("tvdb:{}", tvdb_id.get()))];
        let found: Vec<Value> = self.api.get("/api/v3/series/lookup", &query).await?;
        let wanted = i64::from(tvdb_id.get());
        found
            .into_iter()
            .find(|s| s.get("tvdbId").and_then(Value::as_i64) == Some(wanted))
            .ok_or_else(|| self.unknown(tvdb_id))
    }

    /// The series as it is in the library, if it is (`GET /api/v3/series?tvdbId=`).
    pub async fn find(&self, tvdb_id: TvdbId) -> Result<Option<Value>, ArrError> {
        let query = [("tvdbId", tvdb_id.get().to_string())];
        let series: Vec<Value> = self.api.get("/api/v3/series", &query).await?;
        let wanted = i64::from(tvdb_id.get());
        Ok(series
            .into_iter()
            .find(|s| s.get("tvdbId").and_then(Value::as_i64) == Some(wanted)))
    }

    /// Whether Sonarr files the show under anime (its genres say so).
    pub fn looks_like_anime(series: &Value) -> bool {
        series
            .get("genres")
            .and_then(Value::as_array)
            .is_some_and(|g| {
                g.iter()
                    .any(|g| g.as_str().is_some_and(|g| g.eq_ignore_ascii_case("anime")))
            })
    }

    /// Makes sure the series is in the library with the requested seasons monitored: added if
    /// missing, otherwise updated to monitor the seasons it did not yet.
    pub async fn submit(&self, request: &SeriesRequest<'_>) -> Result<Placed, ArrError> {
        self.submit_looked_up(request, None).await
    }

    /// [`Self::submit`] with this instance's lookup of the series when the caller already
    /// made it (to tell anime), so it is not asked twice.
    pub(crate) async fn submit_looked_up(
        &self,
        request: &SeriesRequest<'_>,
        looked_up: Option<Value>,
    ) -> Result<Placed, ArrError> {
        let found = match looked_up {
            Some(found) => found,
            None => self.lookup(request.tvdb_id).await?,
        };
        if resource_id(&found).is_some() {
            // The lookup answered with the library's series.
            return self.monitor_more(found, request).await;
        }
        match self.add(request, &found, false).await {
            Err(e) if is_already_added(&e) => match self.find(request.tvdb_id).await? {
                Some(series) => self.monitor_more(series, request).await,
                None => Err(e),
            },
            other => other,
        }
    }

    /// Asks Sonarr to search one season of a series now.
    pub async fn search_season(&self, series_id: i64, season: u16) -> Result<(), ArrError> {
        let body = json!({ "name": "SeasonSearch", "seriesId": series_id, "seasonNumber": season });
        self.api.command(&body).await
    }

    /// Adds a series that is not in the library, as the lookup `found` it; an add refused in a
    /// way stale cached ids could explain is tried once more with fresh ones.
    async fn add(
        &self,
        request: &SeriesRequest<'_>,
        found: &Value,
        episodes_only: bool,
    ) -> Result<Placed, ArrError> {
        let added = match self.post(request, found, episodes_only).await {
            Err(e) if may_be_stale(&e) => {
                tracing::info!(
                    instance = self.api.instance(),
                    error = %e,
                    "add refused; trying again with fresh profiles, folders and tags"
                );
                self.api.forget().await;
                self.post(request, found, episodes_only).await
            }
            other => other,
        };
        added.map_err(|e| {
            if is_unknown_id(&e) {
                self.unknown(request.tvdb_id)
            } else {
                e
            }
        })
    }

    /// `POST /api/v3/series` with the cached profile, folder, tags and language profile;
    /// `episodes_only` adds it with no season monitored and no search (single episodes are
    /// monitored and searched after).
    async fn post(
        &self,
        request: &SeriesRequest<'_>,
        found: &Value,
        episodes_only: bool,
    ) -> Result<Placed, ArrError> {
        let title = found
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if title.is_empty() {
            return Err(self.unknown(request.tvdb_id));
        }
        let known = season_numbers(found);
        let mut wanted = self.wanted(request, found, title)?;
        if episodes_only {
            wanted.clear();
        }
        let seasons = known
            .iter()
            .map(|n| json!({ "seasonNumber": n, "monitored": wanted.contains(n) }))
            .collect();
        let anime = self.anime_only
            || request
                .anime
                .unwrap_or_else(|| Self::looks_like_anime(found));
        let series_type = match request.shape.series_type {
            Some(chosen) => chosen,
            None if anime => SeriesType::Anime,
            None => SeriesType::Standard,
        };
        let profile = self.api.quality_profile(&request.placement).await?;
        let folder = self.api.root_folder(&request.placement).await?;
        let path = folder
            .path
            .ok_or_else(|| ArrError::setup(self.api.instance(), "its root folder has no path"))?;
        let language_profile_id =
            if self.is_v3().await? {
                let profiles = self
                    .api
                    .cache()
                    .language_profiles
                    .get_or_load(self.language_profiles());
                let first = profiles.await?.first().map(|p| p.id);
                Some(first.ok_or_else(|| {
                    ArrError::setup(self.api.instance(), "has no language profile")
                })?)
            } else {
                None
            };
        // An approver's tags replace the configured ones; the requester's are added either way.
        let configured = request.placement.tags.unwrap_or(&self.tags);
        let labels: Vec<String> = configured
            .iter()
            .chain(request.extra_tags)
            .cloned()
            .collect();
        let tags = self.api.ensure_tags(&labels).await?;
        let body = NewSeries {
            title,
            year: found
                .get("year")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
            tvdb_id: request.tvdb_id.get(),
            quality_profile_id: profile.id,
            language_profile_id,
            root_folder_path: &path,
            series_type: series_type.as_str(),
            season_folder: self.season_folder,
            monitored: true,
            monitor_new_items: if request.future_seasons {
                "all"
            } else {
                "none"
            },
            seasons,
            tags: &tags,
            add_options: AddSeriesOptions {
                ignore_episodes_with_files: true,
                search_for_missing_episodes: self.search_on_add && !episodes_only,
            },
        };
        let added: Value = self
            .api
            .send(Method::POST, "/api/v3/series", &body, false)
            .await?;
        let id = resource_id(&added).ok_or_else(|| self.malformed("the added series has no id"))?;
        Ok(Placed {
            id,
            placement: Placement::Added,
        })
    }

    /// An existing series: monitor the requested seasons it does not yet, then search them.
    async fn monitor_more(
        &self,
        mut series: Value,
        request: &SeriesRequest<'_>,
    ) -> Result<Placed, ArrError> {
        let id =
            resource_id(&series).ok_or_else(|| self.malformed("a library series has no id"))?;
        let title = series
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("the series")
            .to_owned();
        let wanted = self.wanted(request, &series, &title)?;
        let mut newly = Vec::new();
        if let Some(seasons) = series.get_mut("seasons").and_then(Value::as_array_mut) {
            for season in seasons {
                let number = season_number(season);
                let monitored = season.get("monitored").and_then(Value::as_bool) == Some(true);
                if let Some(number) = number.filter(|n| wanted.contains(n) && !monitored) {
                    season["monitored"] = Value::Bool(true);
                    newly.push(number);
                }
            }
        }
        let series_was_monitored = series.get("monitored").and_then(Value::as_bool) == Some(true);
        let future_now = request.future_seasons
            && series.get("monitorNewItems").and_then(Value::as_str) != Some("all");
        if future_now {
            series["monitorNewItems"] = Value::String("all".into());
        }
        if newly.is_empty() && series_was_monitored && !future_now {
            return Ok(Placed {
                id,
                placement: Placement::Unchanged,
            });
        }
        series["monitored"] = Value::Bool(true);
        let _: Value = self
            .api
            .send(Method::PUT, &format!("/api/v3/series/{id}"), &series, true)
            .await?;
        if self.search_on_add {
            // An unmonitored series searched nothing, whatever its seasons said.
            let to_search: Vec<u16> = if series_was_monitored {
                newly
            } else {
                wanted.into_iter().collect()
            };
            for season in to_search {
                self.search_season(id, season).await?;
            }
        }
        Ok(Placed {
            id,
            placement: Placement::Updated,
        })
    }

    /// The seasons of `series` (as Sonarr numbers them) to monitor for the request. When a
    /// requested season does not exist in Sonarr and TMDB's season sizes are known, the TVDB
    /// seasons holding the requested episodes ([`seasons::lined_up`]), or every season when that
    /// cannot be told. Otherwise the requested seasons Sonarr knows; when it knows none, the
    /// request cannot be placed.
    fn wanted(
        &self,
        request: &SeriesRequest<'_>,
        series: &Value,
        title: &str,
    ) -> Result<BTreeSet<u16>, ArrError> {
        if let Some(seasons) = seasons::lined_up(self.api.instance(), request, series, title) {
            return Ok(seasons);
        }
        let known = season_numbers(series);
        let wanted: BTreeSet<u16> = request
            .seasons
            .iter()
            .filter(|s| known.contains(s))
            .collect();
        if wanted.is_empty() {
            let asked = request.seasons.to_csv();
            let have: Vec<String> = known.iter().map(u16::to_string).collect();
            return Err(ArrError::new(
                self.api.instance(),
                ArrErrorKind::UnknownTitle(format!(
                    "season {asked} of {title} (it has {})",
                    have.join(", ")
                )),
            ));
        }
        Ok(wanted)
    }

    fn unknown(&self, tvdb_id: TvdbId) -> ArrError {
        ArrError::new(
            self.api.instance(),
            ArrErrorKind::UnknownTitle(format!("TVDB series {}", tvdb_id.get())),
        )
    }

    fn malformed(&self, what: &str) -> ArrError {
        self.api.fail(UpstreamError::Malformed(what.to_owned()))
    }
}

fn season_number(season: &Value) -> Option<u16> {
    season
        .get("seasonNumber")
        .and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
}

fn season_numbers(series: &Value) -> BTreeSet<u16> {
    series
        .get("seasons")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(season_number).collect())
        .unwrap_or_default()
}
