//! Plex as an index source (`X-Plex-Token`, JSON with `Accept: application/json`).
//!
//! A full pass reads the machine identifier (`/identity`, part of every item link), the
//! sections (`/library/sections`), then each movie and show section
//! (`/library/sections/{key}/all?includeGuids=1`, paged with `X-Plex-Container-Start/Size`) and
//! each show section's seasons (`type=3`: `parentRatingKey`, `index`, `leafCount`), matching
//! items by their `Guid` entries (`tmdb://603`). Plex lists a season only when it holds
//! episodes and knows no missing ones, so a season counts its episodes as both present and
//! known. An incremental pass asks each section for items updated since the last pass
//! (`updatedAt>>=`) and episodes added since (`type=4`, `addedAt>>=`), and re-reads the seasons
//! of the shows they touch.

use std::collections::{HashMap, HashSet};

use super::LibraryIndex;
use super::context::{IdMap, IndexSource, Listing, PassProgress};
use crate::domain::{IndexedTitle, MediaType, SourceInfo, Timestamp};
use crate::error::CoreResult;
use crate::integrations::BoxFuture;
use crate::integrations::http::{HttpSettings, UpstreamError};
use crate::integrations::mediaserver::PlexClient;
use crate::integrations::mediaserver::plex::{Directory, Metadata, valid_key};

/// Items per page: a page (its text and its items, held at once) stays near a megabyte
/// whatever the library's size.
const PAGE: u32 = 2_000;

/// A Plex Media Server the index reads, through the same client (and wire types) the
/// reconcile job uses.
#[derive(Debug)]
pub struct PlexSource {
    info: SourceInfo,
    client: PlexClient,
}

impl PlexSource {
    /// A source for the server at `base_url` with an `X-Plex-Token`.
    pub fn new(
        info: SourceInfo,
        base_url: &str,
        token: &str,
        http: &HttpSettings,
    ) -> CoreResult<Self> {
        Ok(Self {
            client: PlexClient::new(base_url, token, http)?.with_page_size(PAGE),
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

    /// The movie and show sections.
    async fn sections(&self) -> Result<Vec<Directory>, UpstreamError> {
        Ok(self
            .client
            .sections()
            .await?
            .into_iter()
            .filter(|d| (d.kind == "movie" || d.kind == "show") && valid_key(&d.key))
            .collect())
    }

    /// Every item of a section (of a Plex `type` when given), page by page.
    async fn list(
        &self,
        section: &str,
        kind: Option<u8>,
        filter: Option<(&'static str, String)>,
        each: impl FnMut(Metadata),
    ) -> Result<(), UpstreamError> {
        let mut query = Vec::new();
        if let Some(kind) = kind {
            query.push(("type", kind.to_string()));
        }
        query.extend(filter);
        self.client.each_in_section(section, &query, each).await
    }

    fn title_of(
        &self,
        item: &Metadata,
        ids: &IdMap,
        listing: &mut Listing,
    ) -> Option<IndexedTitle> {
        let media_type = match item.kind.as_deref() {
            Some("movie") => MediaType::Movie,
            Some("show") => MediaType::Tv,
            _ => return None,
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
        title.imdb = item.guid("imdb").map(Into::into);
        title.item = Some(item.rating_key.as_str().into());
        title.four_k = item.four_k();
        title.present = media_type == MediaType::Movie;
        Some(title)
    }

    async fn identity(&self, listing: &mut Listing) -> Result<(), UpstreamError> {
        listing.server_id = self.client.machine_identifier().await?;
        Ok(())
    }

    /// Lists each section a page at a time (movies go straight into the listing, shows wait
    /// for their seasons), then each show section's seasons.
    async fn full_listing(
        &self,
        ids: &IdMap,
        progress: &PassProgress,
    ) -> Result<Listing, UpstreamError> {
        let mut listing = Listing::default();
        self.identity(&mut listing).await?;
        let mut shows = Vec::new();
        let mut seasons: HashMap<String, Vec<(u16, u16, u16)>> = HashMap::new();
        for section in self.sections().await? {
            self.list(&section.key, None, None, |item| {
                progress.tick();
                match self.title_of(&item, ids, &mut listing) {
                    Some(title) if title.media_type == MediaType::Tv => shows.push(title),
                    Some(title) => listing.titles.push(title),
                    None => {}
                }
            })
            .await?;
            if section.kind == "show" {
                self.list(&section.key, Some(3), None, |season| {
                    progress.tick();
                    add_season(&mut seasons, &season);
                })
                .await?;
            }
        }
        apply_seasons(&mut shows, &seasons);
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
        let secs = (since.0 / 1000).to_string();
        let mut items = Vec::new();
        let mut touched: HashSet<String> = HashSet::new();
        for section in self.sections().await? {
            self.list(
                &section.key,
                None,
                Some(("updatedAt>>", secs.clone())),
                |item| items.push(item),
            )
            .await?;
            if section.kind == "show" {
                self.list(
                    &section.key,
                    Some(4),
                    Some(("addedAt>>", secs.clone())),
                    |episode| {
                        touched.extend(episode.grandparent_rating_key);
                    },
                )
                .await?;
            }
        }
        let listed: HashSet<String> = items.iter().map(|i| i.rating_key.clone()).collect();
        for key in touched
            .iter()
            .filter(|k| !listed.contains(*k) && valid_key(k))
        {
            items.extend(self.client.metadata(key).await?);
        }
        let mut titles = Vec::new();
        let mut seasons: HashMap<String, Vec<(u16, u16, u16)>> = HashMap::new();
        for item in &items {
            let Some(title) = self.title_of(item, ids, &mut listing) else {
                continue;
            };
            if title.media_type == MediaType::Tv && valid_key(&item.rating_key) {
                for mut season in self.client.children(&item.rating_key).await? {
                    season.parent_rating_key = Some(item.rating_key.clone());
                    add_season(&mut seasons, &season);
                }
            }
            titles.push(title);
        }
        apply_seasons(&mut titles, &seasons);
        for title in titles {
            listing.titles.push(title);
        }
        Ok(listing)
    }
}

fn add_season(seasons: &mut HashMap<String, Vec<(u16, u16, u16)>>, season: &Metadata) {
    if season.kind.as_deref().is_some_and(|k| k != "season") {
        return;
    }
    let (Some(show), Some(index)) = (&season.parent_rating_key, season.index) else {
        return;
    };
    let Ok(number) = u16::try_from(index) else {
        return;
    };
    let episodes = u16::try_from(season.leaf_count.unwrap_or(0).max(0)).unwrap_or(u16::MAX);
    seasons
        .entry(show.clone())
        .or_default()
        .push((number, episodes, episodes));
}

fn apply_seasons(titles: &mut [IndexedTitle], seasons: &HashMap<String, Vec<(u16, u16, u16)>>) {
    for title in titles.iter_mut().filter(|t| t.media_type == MediaType::Tv) {
        if let Some(counts) = title.item.as_deref().and_then(|key| seasons.get(key)) {
            title.set_seasons(counts.iter().copied());
        }
    }
}

impl IndexSource for PlexSource {
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
}
