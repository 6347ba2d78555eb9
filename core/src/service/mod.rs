//! The services every front end calls. They check permissions, apply the domain rules and write
//! state, audit and outbox together; front ends only translate input and render results.

pub mod agents;
mod agents_secret;
pub mod agents_seerr;
pub mod api;
pub mod api_keys;
pub mod artwork;
pub mod asks;
pub mod audit;
mod authz;
pub mod availability;
pub mod dashboard;
pub mod discover;
pub mod dossier;
pub mod events;
pub mod issue_titles;
pub mod issues;
pub mod library;
pub mod link;
pub mod media_servers;
mod mine;
pub mod offerable;
pub mod passkeys;
pub mod placement;
pub mod places;
pub mod plex_sign_in;
pub mod requests;
pub mod searches;
pub mod secrets;
pub mod security_alerts;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod titles;
pub mod users;

/// Signing in with an OpenID Connect provider (part of [`users`], named here as before).
pub use users::oidc;

pub use agents::{AddedAgent, AgentService, NewAgent, TestOutcome};
pub use agents_seerr::{SEERR_AGENT, SeerrWebhook};
pub use api::ApiService;
pub use api_keys::{ApiCaller, ApiKeyService, NewApiKey};
pub use artwork::{ArtworkService, TitleFacts};
pub use asks::{Ask, AskForm, AskHit, AskService, AskTitle, MemberPage, MemberQuery, SeasonOption};
pub use audit::{AuditCursor, AuditPage, AuditService};
pub use availability::{AvailabilityService, Recorded};
pub use dashboard::DashboardService;
pub use discover::{DiscoverEntry, DiscoverList, DiscoverPage, DiscoverService};
pub use dossier::RequestDossier;
pub use issues::{IssuePage, IssueService, NewIssue};
pub use library::{LibraryOverview, LibraryQuery, LibraryService, LibraryTitle};
pub use link::{LinkCode, LinkService};
pub use media_servers::{MediaServerEntry, MediaServerForm};
pub use mine::MineView;
pub use offerable::ContentGate;
pub use oidc::{OidcRefusal, OidcRoleMap};
pub use passkeys::PasskeyService;
pub use placement::{NotOffered, PickLists, PlacementChoices, PlacementService};
pub use places::{Allowance, AllowanceLine, PlaceSave, PlaceService};
pub use plex_sign_in::{
    PlexOutcome, PlexRefusal, PlexSession, PlexSignIn, PlexStarted, PlexTrouble,
};
pub use requests::{
    BULK_MAX, Browse, BrowsePage, BulkDecision, BulkResult, NewRequest, OutcomeKind, RequestDetail,
    RequestOutcome, RequestPage, RequestService, Target, VoteKind, VoteOutcome,
};
pub use searches::SearchService;
pub use security_alerts::SecurityAlerts;
pub use sessions::{SessionPolicy, SessionService};
pub use settings::{SaveOutcome, SettingChange, SettingsService, SettingsView};
pub use setup::SetupService;
pub use titles::{FourK, IndexedOffer, TitleOffer, TitleService};
pub use users::{
    Admission, Caller, Contact, Registration, RoleSummary, UserPage, UserService, UserSummary,
};

use crate::config::LibraryLinks;
use crate::store::Db;

/// One row of `/mine`: a request and, while it downloads, its progress.
#[derive(Debug, Clone)]
pub struct MineRow {
    /// The request.
    pub request: crate::domain::Request,
    /// Its download in a Radarr/Sonarr, if one is running.
    pub download: Option<crate::domain::Download>,
}

/// Every core service over one database, built once and shared (axum `State`, poise `Data`,
/// teloxide dependencies). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    /// The database, for health checks and jobs.
    pub db: Db,
    /// Requests.
    pub requests: RequestService,
    /// Users, roles, quotas.
    pub users: UserService,
    /// Account link codes.
    pub links: LinkService,
    /// First-admin setup links.
    pub setup: SetupService,
    /// What the library holds of each request (webhooks, reconcile job).
    pub availability: AvailabilityService,
    /// Console sessions and sign-in ceremonies.
    pub sessions: SessionService,
    /// Console users' passkeys and the first admin.
    pub passkeys: PasskeyService,
    /// The audit log, for admins.
    pub audit: AuditService,
    /// The console dashboard's figures.
    pub dashboard: DashboardService,
    /// Searches chat cards page through.
    pub searches: SearchService,
    /// What a person may do with a title (the buttons of a search card).
    pub titles: TitleService,
    /// Problems members report with titles the library holds.
    pub issues: IssueService,
    /// The library index as the console's Library page lists it.
    pub library: LibraryService,
    /// Scoped API keys for machines.
    pub api_keys: ApiKeyService,
    /// The open API's use cases.
    pub api: ApiService,
    /// Approvals and retries with pick lists from the request's Radarr/Sonarr instance.
    pub placement: PlacementService,
    /// Posters, overviews and title links for the console.
    pub artwork: ArtworkService,
    /// Asking for a title from the console, for yourself or on behalf of a member.
    pub asks: AskService,
    /// Rate-limited security alerts to the admin chats and agents; the same counts for every
    /// edge of this process (web sign-ins and hooks, bot buttons).
    pub security: SecurityAlerts,
    /// Lists to browse in the chats (`/trending`, `/discover`), marked for the caller.
    pub discover: DiscoverService,
    /// Places: group chats' and servers' voting thresholds and shared budgets.
    pub places: PlaceService,
    /// The TMDB client the services above share, when one is configured: its caches are
    /// reported at `/metrics`.
    pub tmdb: Option<crate::integrations::tmdb::TmdbClient>,
}

impl Services {
    /// Wires the services over a migrated database, with the default session lifetimes.
    pub fn new(db: Db) -> Self {
        Self::with_session_policy(db, SessionPolicy::default())
    }

    /// Wires the services with the session lifetimes the operator configured.
    pub fn with_session_policy(db: Db, policy: SessionPolicy) -> Self {
        let titles = TitleService::new(db.clone(), FourK::default());
        let security = SecurityAlerts::new(db.clone());
        let users = UserService::new(db.clone()).with_alerts(security.clone());
        Self {
            issues: IssueService::new(db.clone()),
            library: LibraryService::new(db.clone()),
            api_keys: ApiKeyService::new(db.clone()).with_alerts(security.clone()),
            sessions: SessionService::new(db.clone(), policy),
            passkeys: PasskeyService::new(db.clone()).with_alerts(security.clone()),
            requests: RequestService::new(db.clone()),
            placement: PlacementService::new(
                db.clone(),
                RequestService::new(db.clone()),
                std::sync::Arc::default(),
            ),
            api: ApiService::new(db.clone(), RequestService::new(db.clone())),
            links: LinkService::new(db.clone(), users.clone()),
            users,
            setup: SetupService::new(db.clone()),
            availability: AvailabilityService::new(db.clone()),
            audit: AuditService::new(db.clone()),
            dashboard: DashboardService::new(db.clone()),
            searches: SearchService::new(db.clone()),
            titles,
            artwork: ArtworkService::new(),
            asks: AskService::new(db.clone(), RequestService::new(db.clone())),
            security,
            discover: DiscoverService::new(db.clone()),
            places: PlaceService::new(db.clone()),
            tmdb: None,
            db,
        }
    }

    /// The same services, knowing which media types have a 4K instance (so search cards offer
    /// "Request 4K" only where a 4K request can go somewhere).
    #[must_use]
    pub fn with_four_k(mut self, four_k: FourK) -> Self {
        self.titles = self.titles.with_four_k(four_k);
        self.asks = self.asks.with_four_k(four_k);
        self
    }

    /// `/mine`: the caller's latest `limit` requests, newest first, each with its download
    /// progress and ETA when a Radarr/Sonarr is fetching it — one call, render-ready.
    pub async fn mine(
        &self,
        actor: &crate::domain::Actor,
        limit: u32,
    ) -> crate::error::CoreResult<Vec<MineRow>> {
        let filter = crate::store::requests::RequestFilter {
            requested_by: actor.user,
            ..Default::default()
        };
        let page = self.requests.list(actor, filter, None, limit).await?;
        Ok(page
            .items
            .into_iter()
            .map(|request| MineRow {
                download: self
                    .titles
                    .download(request.media.media_type, request.media.tmdb_id)
                    .filter(|_| request.status != crate::domain::RequestStatus::Available),
                request,
            })
            .collect())
    }

    /// The same services, queueing new requests for announcing only when `announce` (some
    /// chat that runs has an announce channel; see [`RequestService::announcing`]).
    #[must_use]
    pub fn with_announcements(mut self, announce: bool) -> Self {
        self.requests = self.requests.announcing(announce);
        self.placement = self.placement.with_requests(self.requests.clone());
        self.api = self.api.with_requests(self.requests.clone());
        self.asks = self.asks.with_requests(self.requests.clone());
        self
    }

    /// The same services, placing new requests by the operator's override rules
    /// (`[[override]]`; see [`RequestService::with_overrides`]).
    #[must_use]
    pub fn with_overrides(mut self, rules: Vec<crate::domain::OverrideRule>) -> Self {
        self.requests = self.requests.with_overrides(rules.into());
        self.placement = self.placement.with_requests(self.requests.clone());
        self.api = self.api.with_requests(self.requests.clone());
        self.asks = self.asks.with_requests(self.requests.clone());
        self
    }

    /// The same services, answering cards from the library index.
    #[must_use]
    pub fn with_library_index(mut self, index: std::sync::Arc<crate::index::LibraryIndex>) -> Self {
        self.issues = self.issues.with_index(index.clone());
        self.artwork = self.artwork.with_index(index.clone());
        self.dashboard = self.dashboard.with_index(index.clone());
        self.api = self
            .api
            .with_index(index.clone())
            .with_issues(self.issues.clone());
        self.titles = self.titles.with_index(index.clone());
        self.discover = self.discover.clone().with_index(index.clone());
        self.library = self.library.with_index(index);
        self
    }

    /// The same services, offering the pick lists of these Radarr/Sonarr instances when an
    /// approver approves or retries a request.
    #[must_use]
    pub fn with_arr(mut self, arr: std::sync::Arc<crate::integrations::arr::ArrInstances>) -> Self {
        let names = arr.iter().map(|i| i.name()).collect();
        self.users = self.users.with_instances(names);
        self.placement = self.placement.with_instances(arr);
        self
    }

    /// The same services, naming titles only the library index holds (for `/issue`) through
    /// this TMDB client, and judging titles against content limits with its facts.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: crate::integrations::tmdb::TmdbClient) -> Self {
        let gate = ContentGate::new(Some(tmdb.clone()));
        self.titles = self.titles.with_tmdb(tmdb.clone());
        self.requests = self.requests.with_gate(gate.clone());
        self.placement = self.placement.with_requests(self.requests.clone());
        self.asks = self
            .asks
            .with_requests(self.requests.clone())
            .with_gate(gate.clone());
        self.api = self
            .api
            .with_requests(self.requests.clone())
            .with_gate(gate);
        self.issues = self.issues.with_tmdb(tmdb.clone());
        self.artwork = self.artwork.with_tmdb(tmdb.clone());
        self.asks = self.asks.with_tmdb(tmdb.clone());
        self.discover = self.discover.clone().with_tmdb(tmdb.clone());
        self.api = self
            .api
            .with_tmdb(tmdb.clone())
            .with_issues(self.issues.clone());
        self.tmdb = Some(tmdb);
        self
    }

    /// What this process's budgeted caches hold (none without TMDB), for `/metrics`.
    pub async fn cache_figures(&self) -> Vec<crate::metrics::CacheFigure> {
        match &self.tmdb {
            Some(tmdb) => tmdb.cache_figures().await.to_vec(),
            None => Vec::new(),
        }
    }

    /// The same services, knowing where members' browsers reach the media servers (so search
    /// cards can open a title in the library).
    #[must_use]
    pub fn with_library_links(mut self, links: LibraryLinks) -> Self {
        self.titles = self.titles.with_links(links);
        self
    }
}
