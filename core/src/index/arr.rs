//! Radarr and Sonarr instances as index sources (`X-Api-Key`).
//!
//! A full pass reads the whole library (`/api/v3/movie`: monitored, `hasFile`; `/api/v3/series`:
//! each season's `statistics.episodeFileCount` of `episodeCount`), then the download queue
//! (`/api/v3/queue`, paged with `page`/`pageSize`) for progress (`size`, `sizeleft`), ETA
//! (`estimatedCompletionTime`) and state. An incremental pass re-reads the queue and the
//! history since the last pass (`/api/v3/history/since`), and re-reads only the titles those
//! name.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::LibraryIndex;
use super::context::{IdMap, IndexSource, Listing, Pager, PassProgress};
use super::titles::Builder;
use crate::domain::{
    Download, DownloadState, Episodes, IndexedTitle, MediaType, SourceInfo, Timestamp, TmdbId,
    TvdbId,
};
use crate::integrations::BoxFuture;
use crate::integrations::arr::{ArrApi, ArrClient, ArrError, SonarrEpisode};
use crate::integrations::http::UpstreamError;

/// Queue records per page.
const QUEUE_PAGE: u32 = 500;

/// A Radarr or Sonarr instance the index reads.
#[derive(Debug)]
pub struct ArrSource {
    info: SourceInfo,
    client: ArrClient,
    four_k: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Movie {
    id: i64,
    #[serde(default)]
    tmdb_id: Option<i64>,
    #[serde(default)]
    imdb_id: Option<String>,
    #[serde(default)]
    monitored: bool,
    #[serde(default)]
    has_file: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Series {
    id: i64,
    #[serde(default)]
    tvdb_id: Option<i64>,
    #[serde(default)]
    tmdb_id: Option<i64>,
    #[serde(default)]
    imdb_id: Option<String>,
    #[serde(default)]
    monitored: bool,
    #[serde(default)]
    seasons: Vec<Season>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Season {
    season_number: i64,
    #[serde(default)]
    statistics: Option<Statistics>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Statistics {
    #[serde(default)]
    episode_file_count: i64,
    #[serde(default)]
    episode_count: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueuePage {
    #[serde(default)]
    total_records: Option<u64>,
    #[serde(default)]
    records: Vec<QueueRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueueRecord {
    id: i64,
    #[serde(default)]
    movie_id: Option<i64>,
    #[serde(default)]
    series_id: Option<i64>,
    #[serde(default)]
    size: f64,
    #[serde(default)]
    sizeleft: f64,
    #[serde(default)]
    estimated_completion_time: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    tracked_download_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryRecord {
    #[serde(default)]
    movie_id: Option<i64>,
    #[serde(default)]
    series_id: Option<i64>,
}

/// Bytes and the latest ETA per title id, summed over queue records.
#[derive(Debug, Default, Clone)]
struct Queued {
    size: f64,
    left: f64,
    eta: Option<Timestamp>,
    state: Option<DownloadState>,
}

impl Queued {
    fn download(&self) -> Download {
        let done = if self.size > 0.0 {
            ((self.size - self.left.min(self.size)) / self.size * 1000.0).round()
        } else {
            0.0
        };
        Download {
            // `done` is within 0..=1000 by construction.
            permille: done.clamp(0.0, 1000.0) as u16,
            eta: self.eta,
            state: self.state.unwrap_or(DownloadState::Queued),
        }
    }
}

impl ArrSource {
    /// A source over an instance; `four_k` when it is the 4K one.
    pub fn new(info: SourceInfo, client: ArrClient, four_k: bool) -> Self {
        Self {
            info,
            client,
            four_k,
        }
    }

    fn api(&self) -> &ArrApi {
        match &self.client {
            ArrClient::Radarr(c) => c.api(),
            ArrClient::Sonarr(c) => c.api(),
        }
    }

    fn media_type(&self) -> MediaType {
        match self.client {
            ArrClient::Radarr(_) => MediaType::Movie,
            ArrClient::Sonarr(_) => MediaType::Tv,
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, UpstreamError> {
        self.api().get(path, query).await.map_err(upstream)
    }

    /// A whole library, one element at a time.
    async fn each<T: DeserializeOwned>(
        &self,
        path: &str,
        each: impl FnMut(T),
    ) -> Result<(), UpstreamError> {
        self.api().get_each(path, &[], each).await.map_err(upstream)
    }

    /// The queue, summed per title id (Radarr's movie id, Sonarr's series id).
    async fn queue(&self) -> Result<HashMap<i64, Queued>, UpstreamError> {
        let mut queued: HashMap<i64, Queued> = HashMap::new();
        let mut pager = Pager::new(QUEUE_PAGE);
        let unknown = match self.client {
            ArrClient::Radarr(_) => "includeUnknownMovieItems",
            ArrClient::Sonarr(_) => "includeUnknownSeriesItems",
        };
        loop {
            let page_number = pager.start() / u64::from(pager.size()) + 1;
            let query = [
                ("page", page_number.to_string()),
                ("pageSize", pager.size().to_string()),
                (unknown, "false".to_owned()),
            ];
            let page: QueuePage = self.get("/api/v3/queue", &query).await?;
            let got = page.records.len();
            let first = page.records.first().map(|r| r.id.to_string());
            for record in page.records {
                let Some(id) = record.movie_id.or(record.series_id) else {
                    continue;
                };
                let entry = queued.entry(id).or_default();
                entry.size += record.size.max(0.0);
                entry.left += record.sizeleft.max(0.0);
                let eta = record
                    .estimated_completion_time
                    .as_deref()
                    .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
                    .map(|t| {
                        Timestamp(
                            i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX),
                        )
                    });
                entry.eta = entry.eta.max(eta);
                let state = DownloadState::from_arr(
                    record.status.as_deref().unwrap_or_default(),
                    record.tracked_download_state.as_deref(),
                );
                // The least advanced record speaks for the title (failed beats all).
                entry.state = Some(match entry.state {
                    Some(DownloadState::Failed) => DownloadState::Failed,
                    Some(_) if state == DownloadState::Failed => state,
                    Some(known) => known,
                    None => state,
                });
            }
            if !pager.advance(got, page.total_records, first.as_deref())? {
                return Ok(queued);
            }
        }
    }

    /// The title of a movie; `None` when it has no usable TMDB id.
    fn movie_title(&self, movie: Movie) -> Option<IndexedTitle> {
        let tmdb = movie.tmdb_id.and_then(|t| TmdbId::parse(t).ok())?;
        let mut title = IndexedTitle::new(MediaType::Movie, tmdb);
        title.imdb = movie.imdb_id.filter(|i| !i.is_empty()).map(Into::into);
        title.item = Some(movie.id.to_string().into());
        title.four_k = self.four_k;
        title.monitored = movie.monitored;
        title.present = movie.has_file;
        Some(title)
    }

    /// The title of a series; `None` when neither its TMDB id nor its TVDB id gives one.
    fn series_title(&self, series: Series, ids: &IdMap) -> Option<IndexedTitle> {
        let tvdb = series.tvdb_id.and_then(|t| TvdbId::parse(t).ok());
        let tmdb = series
            .tmdb_id
            .and_then(|t| TmdbId::parse(t).ok())
            .or_else(|| tvdb.and_then(|t| ids.tmdb(t)))?;
        let mut title = IndexedTitle::new(MediaType::Tv, tmdb);
        title.tvdb = tvdb;
        title.imdb = series.imdb_id.filter(|i| !i.is_empty()).map(Into::into);
        title.item = Some(series.id.to_string().into());
        title.four_k = self.four_k;
        title.monitored = series.monitored;
        title.set_seasons(series.seasons.iter().filter_map(|season| {
            let stats = season.statistics.as_ref()?;
            let number = u16::try_from(season.season_number).ok()?;
            let files = u16::try_from(stats.episode_file_count.max(0)).unwrap_or(u16::MAX);
            let known = u16::try_from(stats.episode_count.max(0)).unwrap_or(u16::MAX);
            Some((number, files, known))
        }));
        Some(title)
    }

    /// Streams the library (one element at a time), with the queue read first so each title
    /// leaves with its download.
    async fn full_listing(
        &self,
        ids: &IdMap,
        progress: &PassProgress,
    ) -> Result<Listing, UpstreamError> {
        let queue = self.queue().await?;
        let mut listing = Listing::default();
        let mut skipped = 0;
        let mut put = |title: Option<IndexedTitle>, titles: &mut Builder| {
            progress.tick();
            match title {
                Some(mut title) => {
                    title.download = download(&title, &queue);
                    titles.push(title);
                }
                None => skipped += 1,
            }
        };
        let titles = &mut listing.titles;
        match self.media_type() {
            MediaType::Movie => {
                self.each("/api/v3/movie", |m: Movie| put(self.movie_title(m), titles))
                    .await?
            }
            MediaType::Tv => {
                self.each("/api/v3/series", |s: Series| {
                    put(self.series_title(s, ids), titles)
                })
                .await?
            }
        }
        listing.skipped = skipped;
        Ok(listing)
    }

    async fn changed_listing(
        &self,
        ids: &IdMap,
        index: &LibraryIndex,
        since: Timestamp,
    ) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        let queue = self.queue().await?;
        let history: Vec<HistoryRecord> = self
            .get("/api/v3/history/since", &[("date", since.to_rfc3339())])
            .await?;
        let touched: HashSet<i64> = history
            .iter()
            .filter_map(|h| h.movie_id.or(h.series_id))
            .filter(|id| *id > 0)
            .collect();
        let mut titles = Vec::new();
        for id in &touched {
            match self.media_type() {
                MediaType::Movie => {
                    match self.get::<Movie>(&format!("/api/v3/movie/{id}"), &[]).await {
                        Ok(movie) => titles.push(self.movie_title(movie)),
                        Err(UpstreamError::NotFound) => {}
                        Err(err) => return Err(err),
                    }
                }
                MediaType::Tv => match self
                    .get::<Series>(&format!("/api/v3/series/{id}"), &[])
                    .await
                {
                    Ok(series) => titles.push(self.series_title(series, ids)),
                    Err(UpstreamError::NotFound) => {}
                    Err(err) => return Err(err),
                },
            }
        }
        // Titles whose download moved on (or ended) without a history event.
        let moved: Vec<IndexedTitle> = index
            .with_titles(&self.info.name, |held| {
                held.iter()
                    .filter(|t| t.item_number().is_some_and(|id| !touched.contains(&id)))
                    .filter_map(|t| {
                        let now = t
                            .item_number()
                            .and_then(|id| queue.get(&id))
                            .map(Queued::download);
                        (now != t.download()).then(|| IndexedTitle {
                            download: now,
                            ..t.to_title()
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        for title in titles {
            match title {
                Some(mut title) => {
                    title.download = download(&title, &queue);
                    listing.titles.push(title);
                }
                None => listing.skipped += 1,
            }
        }
        for title in moved {
            listing.titles.push(title);
        }
        Ok(listing)
    }
}

/// The *arr's own id of an indexed title.
fn arr_id(title: &IndexedTitle) -> Option<i64> {
    title.item.as_deref().and_then(|i| i.parse().ok())
}

/// A title's download, as the queue says.
fn download(title: &IndexedTitle, queue: &HashMap<i64, Queued>) -> Option<Download> {
    arr_id(title)
        .and_then(|id| queue.get(&id))
        .map(Queued::download)
}

/// The upstream failure behind an *arr error.
fn upstream(error: ArrError) -> UpstreamError {
    match error.upstream() {
        Some(upstream) => upstream.clone(),
        None => UpstreamError::Malformed(error.to_string()),
    }
}

impl IndexSource for ArrSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn full<'a>(
        &'a self,
        ids: &'a IdMap,
        progress: &'a PassProgress,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.full_listing(ids, progress))
    }

    fn changes<'a>(
        &'a self,
        ids: &'a IdMap,
        index: &'a LibraryIndex,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.changed_listing(ids, index, since))
    }

    /// Sonarr's episode list of the series (`GET /api/v3/episode?seriesId=`), those with
    /// `hasFile`; Radarr has no episodes.
    fn episodes_with_files<'a>(
        &'a self,
        item: &'a str,
    ) -> BoxFuture<'a, Result<Option<Episodes>, UpstreamError>> {
        Box::pin(async move {
            let (ArrClient::Sonarr(sonarr), Ok(id)) = (&self.client, item.parse::<i64>()) else {
                return Ok(None);
            };
            let listed = sonarr.episodes(id).await.map_err(upstream)?;
            Ok(Some(Episodes::new(
                listed
                    .iter()
                    .filter(|e| e.has_file)
                    .filter_map(SonarrEpisode::number),
            )))
        })
    }
}
