//! TitleService: what a person may do with a title right now, for the buttons of a search card.
//!
//! A card asks once per title shown: may they request it, in 4K too, is it already in the
//! library, did someone else ask already (so "Notify me too" fits better than "Request"), did
//! they ask themselves. Front ends render the answer and decide nothing; pressing a button still
//! goes through [`super::RequestService`], which checks everything again.

use std::sync::Arc;

use super::offerable::ContentGate;
use crate::config::{LibraryLinks, Settings};
use crate::domain::availability::MOVIE_PRESENT;
use crate::domain::{
    Actor, Availability, ContentLimit, Download, ListMark, MediaType, Permission, Permissions,
    Request, RequestStatus, Seasons, TmdbId, UserId, WatchLink,
};
use crate::error::{CoreError, CoreResult};
use crate::index::LibraryIndex;
use crate::integrations::tmdb::{SearchHit, SearchPage, TmdbClient};
use crate::service::users::Caller;
use crate::store::{Db, availability, library, requests, users};

/// Which media types have a 4K Radarr/Sonarr to send 4K requests to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FourK {
    /// A 4K Radarr is configured (`USHER_RADARR_4K_*`).
    pub movie: bool,
    /// A 4K Sonarr is configured (`USHER_SONARR_4K_*`).
    pub tv: bool,
}

impl FourK {
    /// The 4K instances the settings configure.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            movie: settings.radarr_4k.is_some(),
            tv: settings.sonarr_4k.is_some(),
        }
    }

    /// Whether a 4K instance takes this media type.
    pub fn serves(self, media_type: MediaType) -> bool {
        match media_type {
            MediaType::Movie => self.movie,
            MediaType::Tv => self.tv,
        }
    }
}

/// What one person may do with one title now; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleOffer {
    /// Offer "Request": they may request, the library does not hold all of it, and (for a
    /// movie) nobody has asked yet — otherwise [`TitleOffer::follow`] or
    /// [`TitleOffer::own`] says why not.
    pub request: bool,
    /// Offer "Request 4K": they hold the 4K permission and a 4K instance takes this media type.
    pub request_4k: bool,
    /// Someone else's open request for it that they could follow ("Notify me too").
    pub follow: Option<Request>,
    /// Their own open request for it.
    pub own: Option<Request>,
    /// They already follow someone's open request for it.
    pub following: bool,
    /// What the library holds of it, as far as Usher knows (from requests it saw become
    /// available): nothing, some seasons, or all of it.
    pub library: Availability,
    /// Where members open it in the media server, when Usher saw it arrive there (a webhook
    /// or the reconcile job named the item) and the server's address is known.
    pub library_link: Option<String>,
    /// What the library index adds: where to watch it, its download, complete seasons.
    pub index: IndexedOffer,
}

/// The library index's part of a [`TitleOffer`], ready to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexedOffer {
    /// "Watch on …" links, one per media server holding it.
    pub watch: Vec<WatchLink>,
    /// Its download in a Radarr/Sonarr, if one is running.
    pub download: Option<Download>,
    /// Seasons every episode of which is there: the season picker leaves them out.
    pub complete: Seasons,
    /// A Radarr/Sonarr monitors it (someone asked upstream already).
    pub monitored: bool,
}

/// Answers [`TitleService::offer`].
#[derive(Clone, Debug)]
pub struct TitleService {
    db: Db,
    four_k: FourK,
    links: LibraryLinks,
    index: Option<Arc<LibraryIndex>>,
    gate: ContentGate,
}

impl TitleService {
    /// Builds the service; `four_k` says which media types have a 4K instance. No library
    /// links until [`TitleService::with_links`].
    pub fn new(db: Db, four_k: FourK) -> Self {
        Self {
            db,
            four_k,
            links: LibraryLinks::default(),
            index: None,
            gate: ContentGate::default(),
        }
    }

    /// The same service, judging titles against content limits with facts from this TMDB
    /// client.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.gate = ContentGate::new(Some(tmdb));
        self
    }

    /// The gate this service judges titles with, for services that list titles themselves.
    pub fn gate(&self) -> &ContentGate {
        &self.gate
    }

    /// The hits of a list (a search, trending, discover) that someone with `limit` may be
    /// offered, in order: the rest is simply not shown. Unlimited people get the list back
    /// without a single TMDB call; otherwise each title costs at most one cached call.
    pub async fn offerable(&self, limit: &ContentLimit, hits: Vec<SearchHit>) -> Vec<SearchHit> {
        self.gate.offerable(limit, hits).await
    }

    /// [`TitleService::offerable`] over a whole page, keeping TMDB's paging figures; the very
    /// same page for unlimited people.
    pub async fn offerable_page(
        &self,
        limit: &ContentLimit,
        page: Arc<SearchPage>,
    ) -> Arc<SearchPage> {
        self.gate.offerable_page(limit, page).await
    }

    /// [`CoreError::NotOffered`] ("not available to you") unless someone with `limit` may be
    /// offered the title: for a title reached by id (an autocomplete pick, a link, the API).
    pub async fn require_offered(
        &self,
        limit: &ContentLimit,
        media_type: MediaType,
        tmdb_id: TmdbId,
    ) -> CoreResult<()> {
        self.gate.require(limit, media_type, tmdb_id).await
    }

    /// The same service, answering from the library index (what every media server and
    /// Radarr/Sonarr holds) rather than only from what requests saw.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// The same service with other 4K instances.
    #[must_use]
    pub fn with_four_k(mut self, four_k: FourK) -> Self {
        self.four_k = four_k;
        self
    }

    /// The same service, building library links with the servers' public addresses.
    #[must_use]
    pub fn with_links(mut self, links: LibraryLinks) -> Self {
        self.links = links;
        self
    }

    /// A title's download in a Radarr/Sonarr queue, as the index last saw it (`/mine`).
    pub fn download(&self, media_type: MediaType, tmdb_id: TmdbId) -> Option<Download> {
        self.index.as_ref()?.status(media_type, tmdb_id).download
    }

    /// A title's mark for a list of search results (Telegram inline results, Discord
    /// autocomplete): what the library index says, from memory only, so a list of 25 hits
    /// costs 25 hash lookups per keystroke. `None` without index sources or when it says
    /// nothing.
    pub fn mark(&self, media_type: MediaType, tmdb_id: TmdbId) -> Option<ListMark> {
        let index = self.index.as_ref().filter(|i| i.has_sources())?;
        ListMark::of(media_type, &index.status(media_type, tmdb_id))
    }

    /// What `actor` may do with a title ([`CoreError::NotOffered`] when it is outside their
    /// content limit). `seasons` are the show's regular seasons as TMDB lists
    /// them (ignored for a movie): the library holds "all of it" when it holds each of them.
    /// Reads only (from the pool); an unknown or disabled user gets [`CoreError::Forbidden`].
    pub async fn offer(
        &self,
        actor: &Actor,
        media_type: MediaType,
        tmdb_id: TmdbId,
        seasons: &Seasons,
    ) -> CoreResult<TitleOffer> {
        let user_id = actor
            .user
            .ok_or_else(|| CoreError::Validation("a title offer is made to a user".into()))?;
        let found = users::read_standing(&self.db, user_id)
            .await?
            .ok_or_else(|| CoreError::Forbidden("unknown user".into()))?;
        if found.user.disabled {
            return Err(CoreError::Forbidden("this account is disabled".into()));
        }
        self.require_offered(&found.content_limit, media_type, tmdb_id)
            .await?;
        self.offer_for(
            (found.user.id, found.permissions),
            media_type,
            tmdb_id,
            seasons,
        )
        .await
    }

    /// [`TitleService::offer`] to the person a chat resolved at its edge: their permissions
    /// and content limit come with them, so a card costs no read of who they are (core re-checks them when they
    /// press).
    pub async fn offer_to(
        &self,
        caller: &Caller,
        media_type: MediaType,
        tmdb_id: TmdbId,
        seasons: &Seasons,
    ) -> CoreResult<TitleOffer> {
        self.require_offered(&caller.content_limit, media_type, tmdb_id)
            .await?;
        let who = (caller.user.id, caller.permissions);
        self.offer_for(who, media_type, tmdb_id, seasons).await
    }

    async fn offer_for(
        &self,
        (user, permissions): (UserId, Permissions),
        media_type: MediaType,
        tmdb_id: TmdbId,
        seasons: &Seasons,
    ) -> CoreResult<TitleOffer> {
        let all = availability::any_for_title(&self.db, media_type, Some(tmdb_id), None).await?;
        // 4K copies are requests of their own; what the card says is about the everyday copy.
        let held: Vec<Request> = all
            .into_iter()
            .filter(|r| !r.four_k && r.status.holds_claim())
            .collect();
        let from_requests = library(media_type, seasons, &held);
        let indexed = self.index.as_ref().filter(|i| i.has_sources());
        let status = indexed.map(|index| index.status(media_type, tmdb_id));
        // With sources configured the index is the truth (a deleted title is requestable
        // again); without, what requests saw arrive is all Usher knows.
        let library = match &status {
            Some(status) => status.availability(media_type, seasons),
            None => from_requests,
        };
        let open = |r: &&Request| r.status != RequestStatus::Available;
        let own = held
            .iter()
            .filter(open)
            .find(|r| r.requested_by == user)
            .cloned();
        let mut follow = None;
        let mut following = false;
        for request in held.iter().filter(open).filter(|r| r.requested_by != user) {
            if requests::followers(&self.db, request.id)
                .await?
                .contains(&user)
            {
                following = true;
            } else if follow.is_none() {
                follow = Some(request.clone());
            }
        }
        let index = status
            .map(|status| IndexedOffer {
                complete: status.seasons_complete.clone(),
                watch: status.watch,
                download: status.download,
                monitored: status.monitored,
            })
            .unwrap_or_default();
        // Where the index is the truth and holds nothing of the title, Usher's older record of
        // where it landed is stale or empty: the usual search's card costs no read for it.
        let index_says_absent = indexed.is_some() && library == Availability::None;
        let library_link = match index.watch.first() {
            Some(watch) => Some(watch.url.clone()),
            None if index_says_absent => None,
            None => library::item(&self.db, media_type, tmdb_id)
                .await?
                .and_then(|item| item.link(&self.links)),
        };
        let may = permissions.allows(Permission::request(media_type));
        let whole = library == Availability::Full;
        let request = may
            && !whole
            && match media_type {
                MediaType::Movie => own.is_none() && follow.is_none() && !following,
                MediaType::Tv => true,
            };
        Ok(TitleOffer {
            request,
            request_4k: may
                && permissions.allows(Permission::Request4k)
                && self.four_k.serves(media_type),
            follow: if may && !whole && !following {
                follow
            } else {
                None
            },
            own,
            following,
            library,
            library_link,
            index,
        })
    }
}

/// What the library holds of a title, from the requests that saw it arrive.
fn library(media_type: MediaType, seasons: &Seasons, held: &[Request]) -> Availability {
    let present = Seasons::new(held.iter().flat_map(|r| {
        let whole_movie = media_type == MediaType::Movie && r.status == RequestStatus::Available;
        let whole_show = media_type == MediaType::Tv && r.status == RequestStatus::Available;
        let marker = whole_movie.then_some(MOVIE_PRESENT);
        let asked = whole_show.then(|| r.seasons.iter().collect::<Vec<_>>());
        r.available_seasons
            .iter()
            .chain(marker)
            .chain(asked.into_iter().flatten())
            .collect::<Vec<_>>()
    }));
    match media_type {
        MediaType::Movie => Availability::decide(media_type, &Seasons::default(), &present),
        MediaType::Tv if seasons.is_empty() && present.is_empty() => Availability::None,
        MediaType::Tv if seasons.is_empty() => Availability::Partial(present),
        MediaType::Tv => Availability::decide(media_type, seasons, &present),
    }
}
