//! Single episodes in Sonarr: the series is added with no season monitored (or adopted as it
//! is when already there), then exactly the asked episodes are monitored and searched:
//!
//! 1. `GET /api/v3/series/lookup?term=tvdb:ID` (as for seasons),
//! 2. `POST /api/v3/series` with every season unmonitored and no search — skipped when the
//!    series is already in the library,
//! 3. `GET /api/v3/episode?seriesId=ID`, to find the episodes' ids,
//! 4. `PUT /api/v3/episode/monitor` `{episodeIds, monitored: true}` — skipped when they are all
//!    monitored already (idempotent),
//! 5. `POST /api/v3/command` `{name: "EpisodeSearch", episodeIds}` when searching on add.
//!
//! So five calls for a new series, four for one already there, two when nothing changes. Sonarr
//! fetches a new series' episodes after answering the add; when it has not listed them yet the
//! attempt ends as not ready (transient), and the retry finds the series in the library.
//! Numbers are TVDB's, as Sonarr knows them; an episode Sonarr does not list is left out, and
//! when it lists none of them the request cannot be placed.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::super::api::is_already_added;
use super::super::error::{ArrError, ArrErrorKind};
use super::super::resources::{Placed, Placement, resource_id};
use super::{SeriesRequest, SonarrClient};
use crate::domain::{EpisodeNumber, Episodes};

/// An episode as `GET /api/v3/episode?seriesId=` lists it (a subset of `EpisodeResource`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SonarrEpisode {
    /// Sonarr's id, what monitoring and searching take.
    pub id: i64,
    /// Season number (TVDB's).
    pub season_number: i64,
    /// Episode number in the season.
    pub episode_number: i64,
    /// Whether Sonarr watches for it.
    #[serde(default)]
    pub monitored: bool,
    /// Whether a file of it is on disk.
    #[serde(default)]
    pub has_file: bool,
}

impl SonarrEpisode {
    /// Its season and number, when they are in range.
    pub fn number(&self) -> Option<EpisodeNumber> {
        let season = u16::try_from(self.season_number).ok()?;
        let episode = u16::try_from(self.episode_number).ok()?;
        EpisodeNumber::new(season, episode).ok()
    }
}

impl SonarrClient {
    /// Every episode of a library series (`GET /api/v3/episode?seriesId=`).
    pub async fn episodes(&self, series_id: i64) -> Result<Vec<SonarrEpisode>, ArrError> {
        let query = [("seriesId", series_id.to_string())];
        self.api.get("/api/v3/episode", &query).await
    }

    /// Makes sure the series is in the library with `episodes` monitored and searched; the
    /// series' other episodes and seasons are left as they are.
    pub async fn submit_episodes(
        &self,
        request: &SeriesRequest<'_>,
        episodes: &Episodes,
    ) -> Result<Placed, ArrError> {
        self.submit_episodes_looked_up(request, episodes, None)
            .await
    }

    /// [`Self::submit_episodes`] with this instance's lookup when the caller already made it.
    pub(crate) async fn submit_episodes_looked_up(
        &self,
        request: &SeriesRequest<'_>,
        episodes: &Episodes,
        looked_up: Option<Value>,
    ) -> Result<Placed, ArrError> {
        let found = match looked_up {
            Some(found) => found,
            None => self.lookup(request.tvdb_id).await?,
        };
        let (series, added) = if resource_id(&found).is_some() {
            (found, false)
        } else {
            match self.add(request, &found, true).await {
                Ok(placed) => {
                    let title = found.get("title").cloned().unwrap_or(Value::Null);
                    let added = json!({ "id": placed.id, "monitored": true, "title": title });
                    (added, true)
                }
                Err(e) if is_already_added(&e) => match self.find(request.tvdb_id).await? {
                    Some(series) => (series, false),
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        };
        let id =
            resource_id(&series).ok_or_else(|| self.malformed("a library series has no id"))?;
        let listed = self.episodes(id).await?;
        let wanted: Vec<&SonarrEpisode> = listed
            .iter()
            .filter(|e| e.number().is_some_and(|n| episodes.contains(n)))
            .collect();
        if wanted.is_empty() {
            return Err(self.not_listed(&series, episodes, added || listed.is_empty()));
        }
        let series_was_monitored = series.get("monitored").and_then(Value::as_bool) == Some(true);
        if !series_was_monitored {
            let mut series = series;
            series["monitored"] = Value::Bool(true);
            let _: Value = self
                .api
                .send(Method::PUT, &format!("/api/v3/series/{id}"), &series, true)
                .await?;
        }
        let newly: Vec<i64> = wanted
            .iter()
            .filter(|e| !e.monitored)
            .map(|e| e.id)
            .collect();
        if !newly.is_empty() {
            let body = json!({ "episodeIds": newly, "monitored": true });
            self.api
                .send_discarding(Method::PUT, "/api/v3/episode/monitor", &body, true)
                .await?;
        }
        // An unmonitored series searched nothing, whatever its episodes said.
        let to_search: Vec<i64> = if series_was_monitored {
            newly.clone()
        } else {
            wanted.iter().map(|e| e.id).collect()
        };
        if self.search_on_add && !to_search.is_empty() {
            let body = json!({ "name": "EpisodeSearch", "episodeIds": to_search });
            self.api.command(&body).await?;
        }
        let placement = match (added, newly.is_empty() && series_was_monitored) {
            (true, _) => Placement::Added,
            (false, true) => Placement::Unchanged,
            (false, false) => Placement::Updated,
        };
        Ok(Placed { id, placement })
    }

    /// None of the asked episodes is listed: not yet (a series just added, or none listed at
    /// all), which a retry may fix, or not at all (the numbering differs), which needs a person.
    fn not_listed(&self, series: &Value, episodes: &Episodes, not_yet: bool) -> ArrError {
        let title = series
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("the series");
        if not_yet {
            return ArrError::new(
                self.api.instance(),
                ArrErrorKind::NotReady(format!(
                    "the episodes of {title} are not listed yet; trying again"
                )),
            );
        }
        ArrError::new(
            self.api.instance(),
            ArrErrorKind::UnknownTitle(format!("episode {episodes} of {title}")),
        )
    }
}
