//! DiscoverService: lists to browse without typing a title — what is trending, popular movies
//! and shows, upcoming movies, one genre's titles — as render-ready pages for `/trending` and
//! `/discover` in the chats. Each entry carries its mark (available, partly, downloading,
//! requested: the library index first, then Usher's own requests) and whether the caller may
//! request it, so a front end only lays the page out.
//!
//! Chat pages hold [`PAGE_SIZE`] entries, half a TMDB page: page `p` is the first or second
//! half of TMDB's page `(p + 1) / 2`, so paging costs one cached TMDB call for two chat pages.
//! Titles the caller's content limit hides are left out ([`ContentGate::offerable_by`], the
//! same gate search and cards use), after the page is cut,
//! so pages stay where they were whoever browses.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{ListMark, MediaType, Permission, Request, RequestStatus, TmdbId};
use crate::error::{CoreError, CoreResult};
use crate::index::LibraryIndex;
use crate::integrations::tmdb::{Browse, Genre, SearchHit, TimeWindow, TmdbClient, Trending};
use crate::service::offerable::ContentGate;
use crate::service::users::Caller;
use crate::store::{Db, request_edits};

/// Entries on one chat page.
pub const PAGE_SIZE: usize = 10;
/// TMDB's own page size, which [`PAGE_SIZE`] halves.
const TMDB_PAGE_SIZE: usize = 20;
/// TMDB serves 500 pages of any list: 1,000 chat pages.
pub const MAX_PAGE: u16 = 1000;
/// The service name in errors people see.
const TMDB: &str = "TMDB";

/// Which list a page belongs to; it rides in the page's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscoverList {
    /// What is trending (movies, shows or both) over a day or a week.
    Trending(Trending, TimeWindow),
    /// Popular movies or shows.
    Popular(MediaType),
    /// Movies coming to cinemas.
    Upcoming,
    /// Movies or shows of one TMDB genre.
    Genre(MediaType, u32),
}

/// One title on a page, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoverEntry {
    /// Movie or show.
    pub media_type: MediaType,
    /// Its TMDB id (what a tap on it opens).
    pub tmdb_id: TmdbId,
    /// Title in the caller's language as TMDB has it.
    pub title: String,
    /// Release or first-air year.
    pub year: Option<u16>,
    /// What the library and the requests say of it; `None` says nothing.
    pub mark: Option<ListMark>,
    /// Whether its card would offer the caller a Request button (they may request, and it is
    /// neither in the library whole nor asked for already). Core checks again on the press.
    pub requestable: bool,
}

/// One page of a list, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoverPage {
    /// The list.
    pub list: DiscoverList,
    /// This page, from 1.
    pub page: u16,
    /// Pages the list has (at least 1).
    pub total_pages: u16,
    /// The genre's name, in the caller's language, for a genre's list (for its heading).
    pub genre: Option<String>,
    /// The titles on it, in TMDB's order.
    pub entries: Vec<DiscoverEntry>,
}

impl DiscoverPage {
    /// The page before this one, if any.
    pub fn previous(&self) -> Option<u16> {
        (self.page > 1).then(|| self.page - 1)
    }

    /// The page after this one, if any.
    pub fn next(&self) -> Option<u16> {
        (self.page < self.total_pages).then(|| self.page + 1)
    }
}

/// Builds [`DiscoverPage`]s; see the module docs.
#[derive(Clone, Debug)]
pub struct DiscoverService {
    db: Db,
    tmdb: Option<TmdbClient>,
    index: Option<Arc<LibraryIndex>>,
    /// Leaves out what the caller's content limit hides (certifications, genres, keywords).
    gate: ContentGate,
}

impl DiscoverService {
    /// Builds the service; lists need [`DiscoverService::with_tmdb`].
    pub fn new(db: Db) -> Self {
        Self {
            db,
            tmdb: None,
            index: None,
            gate: ContentGate::new(None),
        }
    }

    /// The same service, browsing TMDB through this (cached) client, whose title facts also
    /// decide what a content limit hides.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.gate = ContentGate::new(Some(tmdb.clone()));
        self.tmdb = Some(tmdb);
        self
    }

    /// The same service, marking entries from the library index.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    fn tmdb(&self) -> CoreResult<&TmdbClient> {
        self.tmdb.as_ref().ok_or_else(|| CoreError::Upstream {
            service: TMDB,
            message: "not configured".into(),
        })
    }

    /// Page `page` (clamped to 1…[`MAX_PAGE`]) of `list` as `caller` sees it, titles in
    /// `language` (a TMDB tag such as `fr-FR`; TMDB's default when `None`). A page past the
    /// end has no entries.
    ///
    /// # Errors
    ///
    /// [`CoreError::Upstream`] when TMDB fails or is not configured; the database's errors.
    pub async fn page(
        &self,
        caller: &Caller,
        list: DiscoverList,
        page: u16,
        language: Option<&str>,
    ) -> CoreResult<DiscoverPage> {
        let page = page.clamp(1, MAX_PAGE);
        let tmdb_page = u32::from(page).div_ceil(2);
        let tmdb = self.tmdb()?;
        let found = match list {
            DiscoverList::Trending(kind, window) => {
                tmdb.trending_page(kind, window, language, tmdb_page).await
            }
            DiscoverList::Popular(media) => {
                tmdb.browse(Browse::Popular(media), language, tmdb_page)
                    .await
            }
            DiscoverList::Upcoming => tmdb.browse(Browse::Upcoming, language, tmdb_page).await,
            DiscoverList::Genre(media, genre) => {
                tmdb.browse(Browse::Genre(media, genre), language, tmdb_page)
                    .await
            }
        }
        .map_err(|error| error.into_core(TMDB))?;
        let half = if page % 2 == 1 { 0 } else { PAGE_SIZE };
        let cut: Vec<&SearchHit> = found.hits.iter().skip(half).take(PAGE_SIZE).collect();
        // Content limits: the one place a browsed title reaches a person.
        let shown = self
            .gate
            .offerable_by(&caller.content_limit, cut, |hit| {
                (hit.media_type, hit.tmdb_id)
            })
            .await;
        let entries = self.entries(caller, &shown).await?;
        let genre = match list {
            DiscoverList::Genre(media, id) => self.genre_name(media, id, language).await,
            _ => None,
        };
        Ok(DiscoverPage {
            list,
            page,
            total_pages: total_pages(found.total_results, found.total_pages),
            genre,
            entries,
        })
    }

    /// TMDB's genres of movies or shows, named in `language`, for the genre picker.
    ///
    /// # Errors
    ///
    /// [`CoreError::Upstream`] when TMDB fails or is not configured.
    pub async fn genres(&self, media: MediaType, language: Option<&str>) -> CoreResult<Vec<Genre>> {
        let genres = self
            .tmdb()?
            .genres(media, language)
            .await
            .map_err(|error| error.into_core(TMDB))?;
        Ok(genres.as_ref().clone())
    }

    /// A genre's name from the (cached) genre list; a heading without it is still a page, so
    /// TMDB failing here only loses the name.
    async fn genre_name(
        &self,
        media: MediaType,
        id: u32,
        language: Option<&str>,
    ) -> Option<String> {
        match self.genres(media, language).await {
            Ok(genres) => genres.into_iter().find(|g| g.id == id).map(|g| g.name),
            Err(error) => {
                tracing::debug!(%error, "no genre names for a list's heading");
                None
            }
        }
    }

    /// The entries for `hits`: one query for Usher's requests, memory for the index.
    async fn entries(
        &self,
        caller: &Caller,
        hits: &[&SearchHit],
    ) -> CoreResult<Vec<DiscoverEntry>> {
        let keys: Vec<(MediaType, TmdbId)> =
            hits.iter().map(|h| (h.media_type, h.tmdb_id)).collect();
        let requests = request_edits::newest_of(&self.db, &keys).await?;
        let permissions = caller.permissions;
        Ok(hits
            .iter()
            .map(|hit| {
                let mark = self.mark(hit.media_type, hit.tmdb_id, &requests);
                DiscoverEntry {
                    media_type: hit.media_type,
                    tmdb_id: hit.tmdb_id,
                    title: hit.title.clone(),
                    year: hit.year,
                    requestable: permissions.allows(Permission::request(hit.media_type))
                        && still_wanted(mark.as_ref()),
                    mark,
                }
            })
            .collect())
    }

    /// The index's mark when it says something, else what Usher's newest request for the
    /// title says.
    fn mark(
        &self,
        media_type: MediaType,
        tmdb_id: TmdbId,
        requests: &HashMap<(MediaType, TmdbId), Request>,
    ) -> Option<ListMark> {
        let indexed = self
            .index
            .as_ref()
            .filter(|index| index.has_sources())
            .and_then(|index| ListMark::of(media_type, &index.status(media_type, tmdb_id)));
        indexed.or_else(|| requests.get(&(media_type, tmdb_id)).and_then(request_mark))
    }
}

/// What a request says of its title in a list.
fn request_mark(request: &Request) -> Option<ListMark> {
    match request.status {
        RequestStatus::Available => Some(ListMark::Available),
        RequestStatus::Declined | RequestStatus::Cancelled => None,
        _ => Some(ListMark::Requested),
    }
}

/// Whether a title with this mark still wants a request: nothing there, or only some seasons.
fn still_wanted(mark: Option<&ListMark>) -> bool {
    matches!(
        mark,
        None | Some(ListMark::Partly(_)) | Some(ListMark::Seasons(_))
    )
}

/// Chat pages of a TMDB list with `total_results` titles over `tmdb_pages` pages (people in
/// trending lists count in TMDB's totals, so the smaller bound wins), at least 1.
fn total_pages(total_results: u32, tmdb_pages: u32) -> u16 {
    let by_results = usize::try_from(total_results)
        .unwrap_or(usize::MAX)
        .div_ceil(PAGE_SIZE);
    let by_pages = usize::try_from(tmdb_pages)
        .unwrap_or(usize::MAX)
        .saturating_mul(TMDB_PAGE_SIZE / PAGE_SIZE);
    let pages = by_results.min(by_pages).clamp(1, usize::from(MAX_PAGE));
    u16::try_from(pages).unwrap_or(MAX_PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_pages_halve_tmdb_pages_within_tmdb_limits() {
        assert_eq!(total_pages(0, 0), 1);
        assert_eq!(total_pages(5, 1), 1);
        assert_eq!(total_pages(21, 2), 3);
        assert_eq!(total_pages(5008, 251), 501);
        // Trending counts people TMDB then leaves out of its pages.
        assert_eq!(total_pages(100, 1), 2);
        assert_eq!(total_pages(u32::MAX, 500), MAX_PAGE);
    }

    #[test]
    fn titles_there_whole_or_asked_for_want_no_request() {
        assert!(still_wanted(None));
        assert!(still_wanted(Some(&ListMark::Partly(Default::default()))));
        assert!(!still_wanted(Some(&ListMark::Available)));
        assert!(!still_wanted(Some(&ListMark::Requested)));
    }
}
