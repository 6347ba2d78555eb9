//! Jellyfin and Emby as index sources (`Authorization: MediaBrowser Token="…"`).
//!
//! A full pass lists `/Items?Recursive=true&IncludeItemTypes=Movie,Series&Fields=ProviderIds,Width`
//! page by page (`StartIndex`/`Limit`), then every episode the same way
//! (`IncludeItemTypes=Episode`: `SeriesId`, `ParentIndexNumber`, `LocationType`), and counts per
//! series and season the episodes on disk and those the server knows of (virtual "missing"
//! ones included). An incremental pass asks for items saved since the last one
//! (`MinDateLastSaved`) and re-reads only the series they touch (`/Shows/{id}/Episodes`).

use std::collections::{HashMap, HashSet};

use secrecy::SecretString;
use serde::Deserialize;

use super::LibraryIndex;
use super::context::{IdMap, IndexSource, Listing, Pager};
use crate::domain::{IndexedTitle, MediaType, SourceInfo, SourceKind, Timestamp};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{Auth, HttpSettings, Upstream, UpstreamError};
use crate::integrations::mediaserver::{parse_tmdb, parse_tvdb};

/// Items per page.
const PAGE: u32 = 5_000;
/// Width from which a file counts as 4K.
const FOUR_K_WIDTH: i64 = 3_800;

/// A Jellyfin or Emby server the index reads.
#[derive(Debug)]
pub struct JellyfinSource {
    info: SourceInfo,
    http: Upstream,
    page: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Page {
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    total_record_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Item {
    id: String,
    #[serde(default, rename = "Type")]
    kind: Option<String>,
    #[serde(default)]
    provider_ids: Option<HashMap<String, Option<String>>>,
    #[serde(default)]
    width: Option<i64>,
    #[serde(default)]
    series_id: Option<String>,
    #[serde(default)]
    parent_index_number: Option<i64>,
    #[serde(default)]
    location_type: Option<String>,
}

impl Item {
    fn provider(&self, name: &str) -> Option<&str> {
        self.provider_ids
            .as_ref()?
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_deref())
    }

    fn is(&self, kind: &str) -> bool {
        self.kind.as_deref() == Some(kind)
    }

    fn on_disk(&self) -> bool {
        self.location_type.as_deref() != Some("Virtual")
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublicInfo {
    #[serde(default)]
    product_name: Option<String>,
    #[serde(default)]
    id: Option<String>,
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
        let auth = Auth::MediaBrowser(SecretString::from(api_key.to_owned()));
        let service = if info.kind == SourceKind::Emby {
            "Emby"
        } else {
            "Jellyfin"
        };
        Ok(Self {
            http: Upstream::new(service, base_url, auth, http)?,
            info,
            page: PAGE,
        })
    }

    /// Changes the page size (tests page small libraries).
    #[must_use]
    pub fn with_page_size(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    async fn identity(&self, listing: &mut Listing) -> Result<(), UpstreamError> {
        let info: PublicInfo = self.http.get_json("/System/Info/Public", &[]).await?;
        let emby = info
            .product_name
            .is_some_and(|name| name.to_ascii_lowercase().contains("emby"));
        listing.kind = Some(if emby {
            SourceKind::Emby
        } else {
            SourceKind::Jellyfin
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
        mut each: impl FnMut(Item),
    ) -> Result<(), UpstreamError> {
        let mut pager = Pager::new(self.page);
        loop {
            let mut query = vec![
                ("Recursive", "true".to_owned()),
                ("IncludeItemTypes", types.to_owned()),
                ("EnableImages", "false".to_owned()),
                ("EnableUserData", "false".to_owned()),
                ("StartIndex", pager.start().to_string()),
                ("Limit", pager.size().to_string()),
            ];
            if !fields.is_empty() {
                query.push(("Fields", fields.to_owned()));
            }
            if let Some(since) = since {
                query.push(("MinDateLastSaved", since.to_rfc3339()));
            }
            let page: Page = self.http.get_json("/Items", &query).await?;
            let got = page.items.len();
            let first = page.items.first().map(|i| i.id.clone());
            page.items.into_iter().for_each(&mut each);
            if !pager.advance(got, page.total_record_count, first.as_deref())? {
                return Ok(());
            }
        }
    }

    fn title_of(&self, item: &Item, ids: &IdMap, listing: &mut Listing) -> Option<IndexedTitle> {
        let media_type = if item.is("Movie") {
            MediaType::Movie
        } else if item.is("Series") {
            MediaType::Tv
        } else {
            return None;
        };
        let tvdb = item.provider("Tvdb").and_then(parse_tvdb);
        let tmdb = item.provider("Tmdb").and_then(parse_tmdb).or_else(|| {
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

    async fn full_listing(&self, ids: &IdMap) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        self.identity(&mut listing).await?;
        let mut items = Vec::new();
        self.list("Movie,Series", "ProviderIds,Width", None, |item| {
            items.push(item)
        })
        .await?;
        let mut titles = Vec::with_capacity(items.len());
        for item in &items {
            if let Some(title) = self.title_of(item, ids, &mut listing) {
                titles.push(title);
            }
        }
        drop(items);
        let mut counts: Counts = HashMap::new();
        self.list("Episode", "", None, |episode| count(&mut counts, &episode))
            .await?;
        apply_counts(&mut titles, &counts);
        listing.titles = titles;
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
            let page: Page = self.http.get_json("/Items", &query).await?;
            items.extend(page.items);
        }
        let mut titles = Vec::new();
        let mut counts: Counts = HashMap::new();
        for item in &items {
            let Some(title) = self.title_of(item, ids, &mut listing) else {
                continue;
            };
            if title.media_type == MediaType::Tv {
                let path = format!("/Shows/{}/Episodes", item.id);
                let query = [
                    ("EnableImages", "false".to_owned()),
                    ("EnableUserData", "false".to_owned()),
                ];
                let page: Page = self.http.get_json(&path, &query).await?;
                for mut episode in page.items {
                    episode.series_id = Some(item.id.clone());
                    count(&mut counts, &episode);
                }
            }
            titles.push(title);
        }
        apply_counts(&mut titles, &counts);
        listing.titles = titles;
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

    fn full<'a>(&'a self, ids: &'a IdMap) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.full_listing(ids))
    }

    fn changes<'a>(
        &'a self,
        ids: &'a IdMap,
        _index: &'a LibraryIndex,
        since: Timestamp,
    ) -> BoxFuture<'a, Result<Listing, UpstreamError>> {
        Box::pin(self.changed_listing(ids, since))
    }
}
