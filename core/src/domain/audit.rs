//! Who did what, from where: the typed actor and audit entry every state change records.

use serde::{Deserialize, Serialize};

use super::clock::Timestamp;
use super::ids::UserId;
use super::user::Platform;

/// Where an action came from, with what that place knows about the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// Usher itself: jobs, webhooks, the outbox worker.
    System,
    /// The command line (`usher admin …`).
    Cli,
    /// The web console, with the client address (already masked by the web layer if configured).
    Web {
        /// Client address.
        ip: Option<String>,
    },
    /// A Discord interaction by this Discord user id.
    Discord {
        /// Discord user id.
        user: String,
    },
    /// A Telegram update from this Telegram user id.
    Telegram {
        /// Telegram user id.
        user: String,
    },
    /// A call to `/api` authenticated by the API key of this name (never the key itself).
    Api {
        /// The key's name.
        key: String,
    },
}

impl Source {
    /// The platform name stored in the audit row's `source` column.
    pub fn name(&self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Cli => "cli",
            Self::Web { .. } => "web",
            Self::Discord { .. } => "discord",
            Self::Telegram { .. } => "telegram",
            Self::Api { .. } => "api",
        }
    }

    /// The platform a request made from here is answered on.
    pub fn platform(&self) -> Platform {
        match self {
            Self::Discord { .. } => Platform::Discord,
            Self::Telegram { .. } => Platform::Telegram,
            Self::System | Self::Cli | Self::Web { .. } | Self::Api { .. } => Platform::Web,
        }
    }

    /// The detail stored beside the name (the platform user id or the IP).
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::System | Self::Cli => None,
            Self::Web { ip } => ip.clone(),
            Self::Discord { user } | Self::Telegram { user } => Some(user.clone()),
            Self::Api { key } => Some(key.clone()),
        }
    }
}

/// The caller of a service: a user acting from somewhere, or the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The acting user; `None` for system work, which bypasses user permissions.
    pub user: Option<UserId>,
    /// Where the action came from.
    pub source: Source,
}

impl Actor {
    /// A user acting from a front end.
    pub fn user(user: UserId, source: Source) -> Self {
        Self {
            user: Some(user),
            source,
        }
    }

    /// Usher itself (jobs, webhooks).
    pub fn system() -> Self {
        Self {
            user: None,
            source: Source::System,
        }
    }
}

/// Every kind of audited action; stored by name, so names never change once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A new request was made.
    RequestCreated,
    /// A request was approved automatically by a rule.
    RequestAutoApproved,
    /// An approver approved.
    RequestApproved,
    /// An approver declined.
    RequestDeclined,
    /// The requester cancelled.
    RequestCancelled,
    /// Someone asked to be notified too.
    RequestFollowed,
    /// Radarr/Sonarr accepted the request.
    RequestSubmitted,
    /// The upstream kept failing.
    RequestFailed,
    /// The title appeared (partly or fully) in a library.
    RequestAvailability,
    /// A failed request was put back in the queue.
    RequestRetried,
    /// Radarr/Sonarr deleted the title; what the library held is forgotten until checked again.
    RequestUpstreamDeleted,
    /// A user was created (first contact or console).
    UserCreated,
    /// Two accounts were joined with a link code.
    IdentityLinked,
    /// A role was granted.
    RoleGranted,
    /// A quota was set or cleared.
    QuotaChanged,
    /// A one-time setup link was issued.
    SetupLinkIssued,
    /// Someone signed in to the console.
    SignedIn,
    /// Someone signed out of the console.
    SignedOut,
    /// Every console session of a user was revoked (sign out everywhere, role change, disable).
    SessionsRevoked,
    /// A passkey was registered.
    PasskeyAdded,
    /// A passkey was removed.
    PasskeyRemoved,
    /// A passkey was given another name.
    PasskeyRenamed,
    /// A user was disabled.
    UserDisabled,
    /// A disabled user was enabled again.
    UserEnabled,
    /// A role was taken away.
    RoleRevoked,
    /// A console setting was changed (secret values are never recorded).
    SettingChanged,
    /// A member reported a problem with a title in the library.
    IssueReported,
    /// An approver resolved a reported problem.
    IssueResolved,
    /// An admin issued a link code for someone else's account (the code is never recorded).
    LinkCodeIssued,
    /// An admin asked for a full pass of the library index (the console's "Run full pass now").
    LibraryPassAsked,
    /// A user chose the language Usher speaks to them in (or went back to their client's).
    LanguageChosen,
    /// An API key was created (its name and scopes; never the key).
    ApiKeyCreated,
    /// An API key was revoked.
    ApiKeyRevoked,
    /// An admin asked for a title in the console on behalf of a member (the request itself
    /// is recorded as the member's, as if they had asked in chat).
    RequestOnBehalf,
    /// A notification agent was added (its kind, host and events; never its secret).
    AgentAdded,
    /// A notification agent was changed (by a Seerr client's webhook settings).
    AgentChanged,
    /// A notification agent was removed.
    AgentRemoved,
    /// A pending request's seasons or target were changed (the API's `PUT /request/{id}`).
    RequestEdited,
    /// A webhook agent's signing secret was replaced (never the secret itself).
    AgentSecretRotated,
    /// A sign-in was refused after the person proved an outside account (a Plex account no
    /// Usher user linked, or a disabled user's); names the account, never a token.
    SignInRefused,
    /// An admin (or `usher.toml` at start) created a role.
    RoleCreated,
    /// A role's permissions, content limit or placements were changed.
    RoleEdited,
    /// A role was deleted, and everyone lost it.
    RoleDeleted,
    /// A grant now hands a role to a Telegram chat, Discord role or OIDC group.
    GrantAdded,
    /// A grant was removed, and the roles it handed out were taken back.
    GrantRemoved,
    /// A place (a Telegram chat's or Discord server's voting and budget) was added or changed,
    /// in the console or from `usher.toml` at start-up.
    PlaceSaved,
    /// A place was removed in the console.
    PlaceRemoved,
    /// A member voted for a pending request ("I want this too").
    RequestVoted,
}

impl AuditAction {
    /// Every action, for the console's audit filter.
    pub const ALL: [Self; 48] = [
        Self::RequestCreated,
        Self::RequestAutoApproved,
        Self::RequestApproved,
        Self::RequestDeclined,
        Self::RequestCancelled,
        Self::RequestFollowed,
        Self::RequestSubmitted,
        Self::RequestFailed,
        Self::RequestAvailability,
        Self::RequestRetried,
        Self::RequestUpstreamDeleted,
        Self::UserCreated,
        Self::IdentityLinked,
        Self::RoleGranted,
        Self::QuotaChanged,
        Self::SetupLinkIssued,
        Self::SignedIn,
        Self::SignedOut,
        Self::SessionsRevoked,
        Self::PasskeyAdded,
        Self::PasskeyRemoved,
        Self::PasskeyRenamed,
        Self::UserDisabled,
        Self::UserEnabled,
        Self::RoleRevoked,
        Self::SettingChanged,
        Self::IssueReported,
        Self::IssueResolved,
        Self::LinkCodeIssued,
        Self::LibraryPassAsked,
        Self::LanguageChosen,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::RequestOnBehalf,
        Self::AgentAdded,
        Self::AgentChanged,
        Self::AgentRemoved,
        Self::RequestEdited,
        Self::AgentSecretRotated,
        Self::SignInRefused,
        Self::RoleCreated,
        Self::RoleEdited,
        Self::RoleDeleted,
        Self::GrantAdded,
        Self::GrantRemoved,
        Self::PlaceSaved,
        Self::PlaceRemoved,
        Self::RequestVoted,
    ];

    /// The action with this stored name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequestCreated => "request_created",
            Self::RequestAutoApproved => "request_auto_approved",
            Self::RequestApproved => "request_approved",
            Self::RequestDeclined => "request_declined",
            Self::RequestCancelled => "request_cancelled",
            Self::RequestFollowed => "request_followed",
            Self::RequestSubmitted => "request_submitted",
            Self::RequestFailed => "request_failed",
            Self::RequestAvailability => "request_availability",
            Self::RequestRetried => "request_retried",
            Self::RequestUpstreamDeleted => "request_upstream_deleted",
            Self::UserCreated => "user_created",
            Self::IdentityLinked => "identity_linked",
            Self::RoleGranted => "role_granted",
            Self::QuotaChanged => "quota_changed",
            Self::SetupLinkIssued => "setup_link_issued",
            Self::SignedIn => "signed_in",
            Self::SignedOut => "signed_out",
            Self::SessionsRevoked => "sessions_revoked",
            Self::PasskeyAdded => "passkey_added",
            Self::PasskeyRemoved => "passkey_removed",
            Self::PasskeyRenamed => "passkey_renamed",
            Self::UserDisabled => "user_disabled",
            Self::UserEnabled => "user_enabled",
            Self::RoleRevoked => "role_revoked",
            Self::SettingChanged => "setting_changed",
            Self::IssueReported => "issue_reported",
            Self::IssueResolved => "issue_resolved",
            Self::LinkCodeIssued => "link_code_issued",
            Self::LibraryPassAsked => "library_pass_asked",
            Self::LanguageChosen => "language_chosen",
            Self::ApiKeyCreated => "api_key_created",
            Self::ApiKeyRevoked => "api_key_revoked",
            Self::RequestOnBehalf => "request_on_behalf",
            Self::AgentAdded => "agent_added",
            Self::AgentChanged => "agent_changed",
            Self::AgentRemoved => "agent_removed",
            Self::RequestEdited => "request_edited",
            Self::AgentSecretRotated => "agent_secret_rotated",
            Self::SignInRefused => "sign_in_refused",
            Self::RoleCreated => "role_created",
            Self::RoleEdited => "role_edited",
            Self::RoleDeleted => "role_deleted",
            Self::GrantAdded => "grant_added",
            Self::GrantRemoved => "grant_removed",
            Self::PlaceSaved => "place_saved",
            Self::PlaceRemoved => "place_removed",
            Self::RequestVoted => "request_voted",
        }
    }
}

/// The stored names of every [`Source`] kind, for the console's audit filter.
pub const SOURCE_NAMES: [&str; 6] = ["system", "cli", "web", "discord", "telegram", "api"];

/// One audit row as read back (for the console and tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Row id; increasing.
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// The acting user, if any.
    pub actor: Option<UserId>,
    /// `system`, `cli`, `web`, `discord`, `telegram`.
    pub source: String,
    /// Platform user id or IP.
    pub source_detail: Option<String>,
    /// Action name.
    pub action: String,
    /// What it was done to, e.g. `request:42`.
    pub target: String,
    /// JSON details: before → after, reason, …
    pub details: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_listed_once_and_parses_back() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            let json = serde_json::to_value(action).expect("serialize");
            assert_eq!(
                json.as_str(),
                Some(action.as_str()),
                "serde name = stored name"
            );
        }
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::parse("nope"), None);
    }
}
