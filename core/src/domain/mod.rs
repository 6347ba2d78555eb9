//! The vocabulary of Usher: media, requests and their lifecycle, users, roles, quotas, audit.
//! Pure types and rules; nothing here talks to a database or network.

pub mod agent;
pub mod api_key;
pub mod audit;
pub mod availability;
pub mod certifications;
pub mod clock;
pub mod comment;
pub mod content_limit;
pub mod episodes;
pub mod failure;
pub mod ids;
pub mod index;
pub mod issue;
pub mod library;
pub mod mark;
pub mod media;
pub mod override_rule;
pub mod place;
pub mod plain_name;
pub mod quota;
pub mod request;
pub mod role;
pub mod role_spec;
pub mod season_map;
pub mod security;
pub mod user;

pub use agent::{AgentEvent, AgentEvents, AgentKind, AgentName, AgentSummary};
pub use api_key::{ApiKeyName, ApiKeySummary, Scope, Scopes};
pub use audit::{Actor, AuditAction, AuditEntry, Source};
pub use availability::Availability;
pub use clock::Timestamp;
pub use comment::RequestComment;
pub use content_limit::{ContentLimit, ContentLimitSpec, TitleFacts};
pub use episodes::{EpisodeNumber, Episodes};
pub use failure::{Circuit, UpstreamFailure};
pub use ids::{IssueId, RequestId, RoleId, SearchId, TmdbId, TvdbId, UserId};
pub use index::{
    Download, DownloadState, IndexedTitle, SeasonCount, SourceHealth, SourceInfo, SourceKind,
    TitleStatus, WatchLink,
};
pub use issue::{Issue, IssueKind, IssueRefusal, IssueStatus};
pub use library::{LibraryItem, LibraryServer};
pub use mark::ListMark;
pub use media::{Media, MediaType, Seasons};
pub use override_rule::{OverrideRule, SeriesType};
pub use place::{Budget, Place, PlaceInput, PlaceKey, PlaceProblem};
pub use plain_name::PlainName;
pub use quota::{QuotaExceeded, QuotaLimit, QuotaScope};
pub use request::{Request, RequestStatus, UpstreamRef};
pub use role::{Permission, Permissions, Role};
pub use role_spec::{GrantSpec, GrantTarget, Placement, RoleQuota, RoleSpec};
pub use security::{SecurityAlert, SecurityEvent};
pub use user::{Identity, Platform, User};
