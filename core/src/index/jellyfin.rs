//! Jellyfin and Emby as index sources (`Authorization: MediaBrowser Token="…"`).
//!
//! A full pass lists `/Items?Recursive=true&IncludeItemTypes=Movie,Series&Fields=ProviderIds,Width`
//! page by page (`StartIndex`/`Limit`), then every episode the same way
//! (`IncludeItemTypes=Episode`: `SeriesId`, `ParentIndexNumber`, `LocationType`), and counts per
//! series and season the episodes on disk and those the server knows of (virtual "missing"
//! ones included). An incremental pass asks for items saved since the last one
//! (`MinDateLastSaved`) and re-reads only the series they touch (`/Shows/{id}/Episodes`).

use std::collections::{HashMap, HashSet};

use super::LibraryIndex;
use super::context::{IdMap, IndexSource, Listing, PassProgress};
use crate::domain::{Episodes, IndexedTitle, MediaType, SourceInfo, SourceKind, Timestamp};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{HttpSettings, UpstreamError};
use crate::integrations::mediaserver::jellyfin::{Flavor, Item, JellyfinClient};

/// Width from which a file counts as 4K.
const FOUR_K_WIDTH: i64 = 3_800;
/// Items per page: a page (its text and its items, held at once) stays near a megabyte
/// whatever the library's size.
const PAGE: u32 = 2_000;

/// A Jellyfin or Emby server the index reads, through the same client (and wire types) the
/// reconcile job uses.
#[derive(Debug)]
pub struct JellyfinSource {
    info: SourceInfo,
    client: JellyfinClient,
}

/// Episode counts of one series: season → (on disk, known).
type Counts = HashMap<String, HashMap<u16, (u16, u16)>>;

impl JellyfinSource {
    /// A source for the server at `base_url` with an API key.
    pub fn new(
        info: SourceInfo,
        base_url: &str,
        api_key: &str,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        let service = if info.kind == SourceKind::Emby {
            "Emby"
        } else {
            "Jellyfin"
        };
        Ok(Self {
            client: JellyfinClient::named(service, base_url, api_key, http)?.with_page_size(PAGE),
            info,
        })
    }

    /// Changes the page size (tests page small libraries).
    #[must_use]
    pub fn with_page_size(self, page: u32) -> Self {
        Self {
            client: self.client.with_page_size(page),
            ..self
        }
    }

    async fn identity(&self, listing: &mut Listing) -> Result<(), UpstreamError> {
        let info = self.client.public_info().await?;
        listing.kind = Some(match info.flavor() {
            Flavor::Emby => SourceKind::Emby,
            Flavor::Jellyfin => SourceKind::Jellyfin,
        });
        listing.server_id = info.id;
        Ok(())
    }

    /// Every item of these types (and saved since `since`), page by page.
    async fn list(
        &self,
        types: &str,
        fields: &str,
        since: Option<Timestamp>,
        each: impl FnMut(Item),
    ) -> Result<(), UpstreamError> {
        let mut query = vec![
            ("Recursive", "true".to_owned()),
            ("IncludeItemTypes", types.to_owned()),
            ("EnableImages", "false".to_owned()),
            ("EnableUserData", "false".to_owned()),
        ];
        if !fields.is_empty() {
            query.push(("Fields", fields.to_owned()));
        }
        if let Some(since) = since {
            query.push(("MinDateLastSaved", since.to_rfc3339()));
        }
        self.client.each_item(&query, each).await
    }

    fn title_of(&self, item: &Item, ids: &IdMap, listing: &mut Listing) -> Option<IndexedTitle> {
        let media_type = if item.is("Movie") {
            MediaType::Movie
        } else if item.is("Series") {
            MediaType::Tv
        } else {
            return None;
        };
        let tvdb = item.tvdb();
        let tmdb = item.tmdb().or_else(|| {
            tvdb.and_then(|t| ids.tmdb(t))
                .filter(|_| media_type == MediaType::Tv)
        });
        let Some(tmdb) = tmdb else {
            listing.skipped += 1;
            return None;
        };
        let mut title = IndexedTitle::new(media_type, tmdb);
        title.tvdb = tvdb;
        title.imdb = item.provider("Imdb").map(Into::into);
        title.item = Some(item.id.as_str().into());
        title.four_k = item.width.is_some_and(|w| w >= FOUR_K_WIDTH);
        title.present = media_type == MediaType::Movie && item.on_disk();
        Some(title)
    }

    /// Lists movies and series a page at a time (movies go straight into the listing, series
    /// wait for their episode counts), then the episodes.
    async fn full_listing(
        &self,
        ids: &IdMap,
        progress: &PassProgress,
    ) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        self.identity(&mut listing).await?;
        let mut shows = Vec::new();
        self.list("Movie,Series", "ProviderIds,Width", None, |item| {
            progress.tick();
            match self.title_of(&item, ids, &mut listing) {
                Some(title) if title.media_type == MediaType::Tv => shows.push(title),
                Some(title) => listing.titles.push(title),
                None => {}
            }
        })
        .await?;
        let mut counts: Counts = HashMap::new();
        self.list("Episode", "", None, |episode| {
            progress.tick();
            count(&mut counts, &episode);
        })
        .await?;
        apply_counts(&mut shows, &counts);
        for show in shows {
            listing.titles.push(show);
        }
        Ok(listing)
    }

    async fn changed_listing(
        &self,
        ids: &IdMap,
        since: Timestamp,
    ) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        let mut items = Vec::new();
        let mut touched: HashSet<String> = HashSet::new();
        self.list(
            "Movie,Series,Episode",
            "ProviderIds,Width",
            Some(since),
            |item| {
                if item.is("Episode") {
                    touched.extend(item.series_id.clone());
                } else {
                    items.push(item);
                }
            },
        )
        .await?;
        let known: HashSet<String> = items
            .iter()
            .filter(|i| i.is("Series"))
            .map(|i| i.id.clone())
            .collect();
        let missing: Vec<String> = touched
            .iter()
            .filter(|id| !known.contains(*id))
            .cloned()
            .collect();
        for chunk in missing.chunks(100) {
            let query = [
                ("Ids", chunk.join(",")),
                ("Fields", "ProviderIds,Width".to_owned()),
                ("EnableImages", "false".to_owned()),
                ("EnableUserData", "false".to_owned()),
            ];
            items.extend(self.client.items(&query).await?);
        }
        let mut titles = Vec::new();
        let mut counts: Counts = HashMap::new();
        for item in &items {
            let Some(title) = self.title_of(item, ids, &mut listing) else {
                continue;
            };
            if title.media_type == MediaType::Tv {
                let query = [
                    ("EnableImages", "false".to_owned()),
                    ("EnableUserData", "false".to_owned()),
                ];
                for mut episode in self.client.episodes(&item.id, &query).await? {
                    episode.series_id = Some(item.id.clone());
                    count(&mut counts, &episode);
                }
            }
            titles.push(title);
        }
        apply_counts(&mut titles, &counts);
        for title in titles {
            listing.titles.push(title);
        }
        Ok(listing)
    }
}

fn count(counts: &mut Counts, episode: &Item) {
    let (Some(series), Some(season)) = (&episode.series_id, episode.parent_index_number) else {
        return;
    };
    let Ok(season) = u16::try_from(season) else {
        return;
    };
    let entry = counts
        .entry(series.clone())
        .or_default()
        .entry(season)
        .or_default();
    if episode.on_disk() {
        entry.0 = entry.0.saturating_add(1);
    }
    entry.1 = entry.1.saturating_add(1);
}

fn apply_counts(titles: &mut [IndexedTitle], counts: &Counts) {
    for title in titles.iter_mut().filter(|t| t.media_type == MediaType::Tv) {
        let Some(seasons) = title.item.as_deref().and_then(|id| counts.get(id)) else {
            continue;
        };
        title.set_seasons(
            seasons
                .iter()
                .map(|(n, (on_disk, known))| (*n, *on_disk, *known)),
        );
    }
}

impl IndexSource for JellyfinSource {
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
        _index: &'a LibraryIndex,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.changed_listing(ids, since))
    }

    /// The series' episodes on disk (`/Shows/{id}/Episodes`: `ParentIndexNumber`,
    /// `IndexNumber`; virtual "missing" ones left out).
    fn episodes_with_files<'a>(
        &'a self,
        item: &'a str,
    ) -> BoxFuture<'a, Result<Option<Episodes>, UpstreamError>> {
        Box::pin(async move {
            let query = [
                ("EnableImages", "false".to_owned()),
                ("EnableUserData", "false".to_owned()),
            ];
            let listed = self.client.episodes(item, &query).await?;
            Ok(Some(Episodes::new(
                listed
                    .iter()
                    .filter(|e| e.location_type.as_deref() != Some("Virtual"))
                    .filter_map(Item::episode_number),
            )))
        })
    }
}
