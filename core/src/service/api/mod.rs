//! The use cases of the open API (`/api/v1`, Seerr's shapes): one call per endpoint, each
//! checking the key's scope first. Reading is the key's business (a `read` key sees every
//! request, as Seerr's key does); every change goes through the same [`RequestService`] call
//! the chats and the console make, as the key's machine user, so core's permission checks,
//! quotas, audit and outbox apply unchanged.
//!
//! One file per group of endpoints: [`titles`] (movies, TV, seasons, trending, with what Usher knows of
//! each title), [`edit`] (changing a pending request), [`issues`] (Seerr's issues over Usher's
//! issue reports) and [`admin`] (Usher's own paths: audit log, roles, library sources).

mod admin;
mod edit;
mod issues;
mod titles;

pub use issues::{ApiIssues, ApiNewIssue, IssueCounts, IssueMedia, IssueQuery};
pub use titles::{ApiMovie, ApiShow, ApiTitle, ApiTrending, TitleFacts};

use std::collections::HashMap;
use std::sync::Arc;

use super::api_keys::ApiCaller;
use super::{AuditService, IssueService, RequestService, UserService, requests::OutcomeKind};
use crate::domain::{
    Actor, MediaType, Request, RequestId, RequestStatus, Scope, Seasons, Source, TmdbId, UserId,
};
use crate::error::{CoreError, CoreResult};
use crate::integrations::tmdb::{SearchPage, SearchQuery, SeasonChoice, TmdbClient};
use crate::store::Db;
use crate::store::directory::{self, UserListing, UserOrder};
use crate::store::requests::{self as store, PageOrder, RequestFilter};

/// Largest page the API serves (Seerr's clients ask for 10 to 50).
pub const MAX_TAKE: u32 = 100;

/// Which rows of an offset page: `skip` rows, then `take` (1 to [`MAX_TAKE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows to pass over.
    pub skip: u64,
    /// Rows to return.
    pub take: u32,
}

impl Page {
    /// Checks a page a client asked for; errors name the field.
    pub fn new(skip: u64, take: u64) -> CoreResult<Self> {
        let take = u32::try_from(take)
            .ok()
            .filter(|t| (1..=MAX_TAKE).contains(t))
            .ok_or_else(|| {
                CoreError::Validation(format!("take: must be between 1 and {MAX_TAKE}"))
            })?;
        if i64::try_from(skip).is_err() {
            return Err(CoreError::Validation("skip: too large".into()));
        }
        Ok(Self { skip, take })
    }
}

/// Seerr's request filters (`filter=` on `GET /request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestView {
    /// Everything.
    #[default]
    All,
    /// Approved, whether still on its way or already there.
    Approved,
    /// In the library, wholly or partly.
    Available,
    /// Waiting for a decision.
    Pending,
    /// Approved and on its way.
    Processing,
    /// Not in the library yet and not refused.
    Unavailable,
    /// Radarr/Sonarr refused it.
    Failed,
    /// Declined.
    Declined,
}

impl RequestView {
    /// Parses Seerr's filter name; anything else is a validation error naming `filter`.
    pub fn parse(text: &str) -> CoreResult<Self> {
        Ok(match text {
            "all" => Self::All,
            "approved" => Self::Approved,
            "available" => Self::Available,
            "pending" => Self::Pending,
            "processing" => Self::Processing,
            "unavailable" => Self::Unavailable,
            "failed" => Self::Failed,
            "declined" => Self::Declined,
            _ => {
                return Err(CoreError::Validation(
                    "filter: must be one of all, approved, available, pending, processing, unavailable, failed, declined".into(),
                ));
            }
        })
    }

    fn statuses(self) -> Vec<RequestStatus> {
        use RequestStatus as S;
        match self {
            Self::All => Vec::new(),
            Self::Approved => vec![
                S::Approved,
                S::Submitted,
                S::PartiallyAvailable,
                S::Available,
            ],
            Self::Available => vec![S::PartiallyAvailable, S::Available],
            Self::Pending => vec![S::Pending],
            Self::Processing => vec![S::Approved, S::Submitted],
            Self::Unavailable => vec![S::Pending, S::Approved, S::Submitted, S::PartiallyAvailable],
            Self::Failed => vec![S::Failed],
            Self::Declined => vec![S::Declined],
        }
    }
}

/// What `GET /request` asks for.
#[derive(Debug, Clone, Copy)]
pub struct RequestQuery {
    /// Seerr's filter.
    pub view: RequestView,
    /// Added or modified, newest first.
    pub order: PageOrder,
    /// Only this requester.
    pub requested_by: Option<UserId>,
    /// Which rows.
    pub page: Page,
}

/// A page of rows with the people they name, render-ready: an API shape shows each person's
/// details beside the row, so the page carries them rather than the client asking again.
#[derive(Debug, Clone)]
pub struct PeoplePage<T> {
    /// The rows.
    pub items: Vec<T>,
    /// How many match in all.
    pub total: u64,
    /// Every person the rows on this page name.
    pub people: HashMap<UserId, UserListing>,
}

/// Requests with their requesters and deciders.
pub type ApiRequests = PeoplePage<Request>;

/// What `GET /request/count` answers, in Seerr's buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// Every request.
    pub total: u64,
    /// Movie requests.
    pub movie: u64,
    /// TV requests.
    pub tv: u64,
    /// Waiting for a decision.
    pub pending: u64,
    /// Approved (on the way or there).
    pub approved: u64,
    /// Declined.
    pub declined: u64,
    /// Approved and on the way.
    pub processing: u64,
    /// In the library, wholly or partly.
    pub available: u64,
    /// Failed upstream.
    pub failed: u64,
}

/// What `POST /request` asks for.
#[derive(Debug, Clone)]
pub struct ApiNewRequest {
    /// Movie or show.
    pub media_type: MediaType,
    /// Its TMDB id.
    pub tmdb_id: TmdbId,
    /// Which seasons (TV).
    pub seasons: SeasonChoice,
    /// A 4K copy.
    pub four_k: bool,
    /// Ask on behalf of this user (needs the `admin` scope).
    pub on_behalf: Option<UserId>,
    /// A note for the approvers (sanitized; at most 200 characters).
    pub comment: Option<String>,
}

/// The open API's use cases.
#[derive(Clone, Debug)]
pub struct ApiService {
    db: Db,
    requests: RequestService,
    tmdb: Option<TmdbClient>,
    issues: IssueService,
    audit: AuditService,
    users: UserService,
    index: Option<Arc<crate::index::LibraryIndex>>,
    gate: super::offerable::ContentGate,
}

impl ApiService {
    /// Builds the service; requests are made through `requests`, as every front end makes them.
    pub fn new(db: Db, requests: RequestService) -> Self {
        Self {
            issues: IssueService::new(db.clone()),
            audit: AuditService::new(db.clone()),
            users: UserService::new(db.clone()),
            db,
            requests,
            tmdb: None,
            index: None,
            gate: super::offerable::ContentGate::default(),
        }
    }

    /// The same service, reporting issues through `issues` (the app's, with its library index
    /// and TMDB client).
    #[must_use]
    pub(crate) fn with_issues(mut self, issues: IssueService) -> Self {
        self.issues = issues;
        self
    }

    /// The same service, telling what the library holds of each title from the index.
    #[must_use]
    pub fn with_index(mut self, index: Arc<crate::index::LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// The same service, making requests through `requests` (the app's announcing one).
    #[must_use]
    pub(crate) fn with_requests(mut self, requests: RequestService) -> Self {
        self.requests = requests;
        self
    }

    /// The same service, showing each key's user only titles within their content limit.
    #[must_use]
    pub(crate) fn with_gate(mut self, gate: super::offerable::ContentGate) -> Self {
        self.gate = gate;
        self
    }

    /// The content limit of the key's user (the user it acts for).
    async fn limit_of(&self, caller: &ApiCaller) -> CoreResult<crate::domain::ContentLimit> {
        crate::store::role_limits::content_limit_of(&self.db, caller.user).await
    }

    /// The same service, looking titles up on TMDB (needed to create requests).
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.tmdb = Some(tmdb);
        self
    }

    /// `GET /auth/me`: the key's machine user.
    pub async fn me(&self, caller: &ApiCaller) -> CoreResult<UserListing> {
        self.user(caller, caller.user).await
    }

    /// `GET /user/{id}`: one user.
    pub async fn user(&self, caller: &ApiCaller, id: UserId) -> CoreResult<UserListing> {
        caller.require(Scope::Read)?;
        let (mut found, _) =
            directory::users_page(&self.db, Some(&[id]), UserOrder::Created, 0, 1).await?;
        found
            .pop()
            .ok_or_else(|| CoreError::NotFound(format!("user {}", id.0)))
    }

    /// `GET /user`: a page of users.
    pub async fn users(
        &self,
        caller: &ApiCaller,
        order: UserOrder,
        page: Page,
    ) -> CoreResult<(Vec<UserListing>, u64)> {
        caller.require(Scope::Read)?;
        directory::users_page(&self.db, None, order, page.skip, page.take).await
    }

    /// `GET /request` and `GET /user/{id}/requests`: a page of everyone's requests.
    pub async fn requests(
        &self,
        caller: &ApiCaller,
        query: RequestQuery,
    ) -> CoreResult<ApiRequests> {
        caller.require(Scope::Read)?;
        let filter = RequestFilter {
            statuses: query.view.statuses(),
            requested_by: query.requested_by,
            ..RequestFilter::default()
        };
        let (items, total) = store::page_at(
            &self.db,
            &filter,
            query.order,
            query.page.skip,
            query.page.take,
        )
        .await?;
        let people = self.people(request_people(&items)).await?;
        Ok(ApiRequests {
            items,
            total,
            people,
        })
    }

    /// `GET /request/count`.
    pub async fn count(&self, caller: &ApiCaller) -> CoreResult<RequestCounts> {
        caller.require(Scope::Read)?;
        let mut counts = RequestCounts::default();
        for (media_type, status, n) in store::counts_by_kind(&self.db).await? {
            use RequestStatus as S;
            counts.total += n;
            match media_type {
                MediaType::Movie => counts.movie += n,
                MediaType::Tv => counts.tv += n,
            }
            match status {
                S::Pending => counts.pending += n,
                S::Approved | S::Submitted => {
                    counts.approved += n;
                    counts.processing += n;
                }
                S::PartiallyAvailable | S::Available => {
                    counts.approved += n;
                    counts.available += n;
                }
                S::Declined => counts.declined += n,
                S::Failed => counts.failed += n,
                S::Cancelled => {}
            }
        }
        Ok(counts)
    }

    /// `GET /request/{id}`.
    pub async fn request(&self, caller: &ApiCaller, id: RequestId) -> CoreResult<ApiRequests> {
        caller.require(Scope::Read)?;
        let request = store::find(&self.db, id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("request {id}")))?;
        self.one(request).await
    }

    /// `GET /search`: movies and shows on TMDB matching the words (people left out, and titles
    /// outside the user's content limit).
    pub async fn search(
        &self,
        caller: &ApiCaller,
        query: &SearchQuery,
    ) -> CoreResult<std::sync::Arc<SearchPage>> {
        caller.require(Scope::Read)?;
        if query.text.trim().is_empty() {
            return Err(CoreError::Validation("query: must not be empty".into()));
        }
        if !(1..=500).contains(&query.page) {
            return Err(CoreError::Validation(
                "page: must be between 1 and 500".into(),
            ));
        }
        let page = self
            .tmdb()?
            .search_multi(query)
            .await
            .map_err(|e| e.into_core("tmdb"))?;
        let limit = self.limit_of(caller).await?;
        Ok(self.gate.offerable_page(&limit, page).await)
    }

    fn tmdb(&self) -> CoreResult<&TmdbClient> {
        self.tmdb.as_ref().ok_or_else(|| CoreError::Upstream {
            service: "tmdb",
            message: "TMDB is not configured".into(),
        })
    }

    /// `POST /request`: looks the title up on TMDB and asks for it through
    /// [`RequestService::create`], as the key's machine user (or, with `admin`, as the user
    /// named). A title someone already asked for makes the asker a follower, as in chat.
    pub async fn create(&self, caller: &ApiCaller, new: ApiNewRequest) -> CoreResult<ApiRequests> {
        caller.require(Scope::Request)?;
        let actor = match new.on_behalf {
            Some(user) if user != caller.user => {
                caller.require(Scope::Admin)?;
                Actor::user(
                    user,
                    Source::Api {
                        key: caller.key.clone(),
                    },
                )
            }
            _ => caller.actor(),
        };
        if let Some(comment) = &new.comment
            && let Err(CoreError::Validation(why)) = crate::domain::RequestComment::parse(comment)
        {
            return Err(CoreError::Validation(format!("comment: {why}")));
        }
        let tmdb = self.tmdb()?;
        if new.media_type == MediaType::Movie
            && matches!(&new.seasons, SeasonChoice::These(s) if !s.is_empty())
        {
            return Err(CoreError::Validation(
                "seasons: a movie has no seasons".into(),
            ));
        }
        let request = tmdb
            .new_request(new.media_type, new.tmdb_id, new.seasons, new.four_k)
            .await?;
        let outcome = self
            .requests
            .create_noted(&actor, request, new.comment.as_deref())
            .await?;
        debug_assert!(matches!(
            outcome.kind,
            OutcomeKind::Created | OutcomeKind::AutoApproved | OutcomeKind::Followed
        ));
        self.one(outcome.request).await
    }

    /// `POST /request/{id}/approve`.
    pub async fn approve(&self, caller: &ApiCaller, id: RequestId) -> CoreResult<ApiRequests> {
        caller.require(Scope::Approve)?;
        let request = self.requests.approve(&caller.actor(), id).await?;
        self.one(request).await
    }

    /// `POST /request/{id}/decline`, with the reason the requester is told.
    pub async fn decline(
        &self,
        caller: &ApiCaller,
        id: RequestId,
        reason: &str,
    ) -> CoreResult<ApiRequests> {
        caller.require(Scope::Approve)?;
        let request = self.requests.decline(&caller.actor(), id, reason).await?;
        self.one(request).await
    }

    /// `DELETE /request/{id}`: withdraws a pending request the key's machine user made.
    pub async fn delete(&self, caller: &ApiCaller, id: RequestId) -> CoreResult<()> {
        caller.require(Scope::Request)?;
        self.requests.cancel(&caller.actor(), id).await?;
        Ok(())
    }

    async fn one(&self, request: Request) -> CoreResult<ApiRequests> {
        let people = self
            .people(request_people(std::slice::from_ref(&request)))
            .await?;
        Ok(ApiRequests {
            items: vec![request],
            total: 1,
            people,
        })
    }

    /// Every person `ids` name (requesters, deciders, reporters), read in one query.
    async fn people(
        &self,
        ids: impl IntoIterator<Item = UserId>,
    ) -> CoreResult<HashMap<UserId, UserListing>> {
        let mut ids: Vec<UserId> = ids.into_iter().collect();
        ids.sort_unstable_by_key(|id| id.0);
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let take = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        let (found, _) =
            directory::users_page(&self.db, Some(&ids), UserOrder::Created, 0, take).await?;
        Ok(found.into_iter().map(|l| (l.user.id, l)).collect())
    }
}

/// The people a page of requests names: each requester and decider.
fn request_people(items: &[Request]) -> impl Iterator<Item = UserId> + '_ {
    items
        .iter()
        .flat_map(|r| std::iter::once(r.requested_by).chain(r.decided_by))
}

/// The seasons a client named, checked (`seasons: [1, 2]` or `"all"`).
pub fn season_choice(numbers: Option<Vec<u16>>) -> SeasonChoice {
    match numbers {
        None => SeasonChoice::All,
        Some(numbers) => SeasonChoice::These(Seasons::new(numbers)),
    }
}
