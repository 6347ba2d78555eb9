//! Decides what an import would change, reading the target but writing nothing: which users
//! are new, which are already known (imported before, or already in Usher through the same
//! Discord or Telegram account), and how each request maps onto Usher's lifecycle.

use std::collections::HashMap;

use super::source::{Snapshot, SourceRequest, SourceUser};
use crate::domain::{
    Identity, Media, MediaType, Platform, QuotaLimit, QuotaScope, RequestStatus, Seasons,
    Timestamp, TmdbId, TvdbId, UserId, role::builtin,
};
use crate::error::CoreResult;
use crate::store::imports::{self, ImportKind};
use crate::store::{Tx, users};

/// Overseerr's ADMIN permission bit.
const OVERSEERR_ADMIN: i64 = 2;

/// A user the plan refers to: one already in Usher, or the n-th user this import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// An existing Usher user.
    Existing(UserId),
    /// Index into [`Plan::users`] of a user this import creates.
    New(usize),
}

/// What happens to one source user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserStep {
    /// The source's user id.
    pub source_id: i64,
    /// Name to show.
    pub display_name: String,
    /// `None`: create a user; `Some`: the Usher user with the same Discord/Telegram account.
    pub existing: Option<UserId>,
    /// Role to grant (`admin` for Overseerr admins, `member` for new users; matched users only
    /// ever gain `admin`).
    pub role: Option<&'static str>,
    /// Accounts to attach.
    pub identities: Vec<(Platform, String)>,
    /// Quota overrides to set.
    pub quotas: Vec<(QuotaScope, QuotaLimit)>,
    /// When they joined the source.
    pub created_at: Timestamp,
}

/// What happens to one source request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestStep {
    /// The source's request id.
    pub source_id: i64,
    /// The title (named `tmdb:<id>`: Overseerr keeps no titles).
    pub media: Media,
    /// Requested seasons (TV).
    pub seasons: Seasons,
    /// 4K.
    pub four_k: bool,
    /// Mapped status.
    pub status: RequestStatus,
    /// The source's status, for the report and the audit row.
    pub source_status: &'static str,
    /// Who asked.
    pub requested_by: Who,
    /// Who approved or declined.
    pub decided_by: Option<Who>,
    /// Where the requester hears about it: their Discord, else Telegram, else the console.
    pub platform: Platform,
    /// When it was asked.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// Which kind of source row a [`Skip`] is about, so the report can count per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipKind {
    /// A source user.
    User,
    /// A Discord or Telegram account of a source user.
    Identity,
    /// A source request.
    Request,
}

impl SkipKind {
    /// Every kind, in report order.
    pub const ALL: [Self; 3] = [Self::User, Self::Identity, Self::Request];

    /// The plural noun the report uses.
    pub fn plural(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::Identity => "identities",
            Self::Request => "requests",
        }
    }
}

/// Why a source row is not imported; the report counts skips by it, so an operator sees at a
/// glance whether a run skipped rows because they are already in Usher or because they are bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// An earlier import of this instance brought it.
    AlreadyImported,
    /// A Telegram chat id of a group, not of a person.
    NotAPerson,
    /// The account already belongs to another Usher user.
    AccountTaken,
    /// The request's requester is not among the source's users.
    UnknownRequester,
    /// The request is neither for a movie nor for a series.
    UnknownMediaType,
    /// The request's media row is gone or has no usable TMDB id.
    UnknownMedia,
    /// The request's status is none Overseerr defines.
    UnknownStatus,
}

impl SkipReason {
    /// The phrase the report prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlreadyImported => "already imported",
            Self::NotAPerson => "not a user account",
            Self::AccountTaken => "account belongs to another Usher user",
            Self::UnknownRequester => "requester unknown",
            Self::UnknownMediaType => "unknown media type",
            Self::UnknownMedia => "unknown media",
            Self::UnknownStatus => "unknown status",
        }
    }
}

/// One source row left out, and why (rows already imported are only counted, not listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// What kind of row.
    pub kind: SkipKind,
    /// Why.
    pub reason: SkipReason,
    /// Which row, with the detail that explains it (for the report's lines).
    pub detail: String,
}

/// Everything an import would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The `imports.source` key of this instance ([`super::source_key`]).
    pub source_key: String,
    /// Rows of an import made before instances were told apart, recognised as this instance's
    /// and re-keyed to it (so upgrading does not import them twice).
    pub adopted: usize,
    /// Rows of such an earlier import that belong to another instance: left as they are.
    pub legacy_other: usize,
    /// Users to create or to complete.
    pub users: Vec<UserStep>,
    /// Requests to create.
    pub requests: Vec<RequestStep>,
    /// Users a previous import already brought.
    pub known_users: usize,
    /// Accounts of those users (already attached then, or skipped then).
    pub known_identities: usize,
    /// Requests a previous import already brought.
    pub known_requests: usize,
    /// What is left out for another reason than being imported already, and why.
    pub skipped: Vec<Skip>,
}

impl Plan {
    /// Whether importing would change nothing.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.requests.is_empty()
    }

    /// How many rows of a kind are skipped, by reason (already imported first), leaving out
    /// reasons with none.
    pub fn skip_counts(&self, kind: SkipKind) -> Vec<(SkipReason, usize)> {
        let known = match kind {
            SkipKind::User => self.known_users,
            SkipKind::Identity => self.known_identities,
            SkipKind::Request => self.known_requests,
        };
        let mut counts: std::collections::BTreeMap<SkipReason, usize> = Default::default();
        if known > 0 {
            counts.insert(SkipReason::AlreadyImported, known);
        }
        for skip in self.skipped.iter().filter(|s| s.kind == kind) {
            *counts.entry(skip.reason).or_default() += 1;
        }
        counts.into_iter().collect()
    }
}

/// Builds the plan inside the caller's transaction (read-only use).
/// Re-keying earlier, instance-less rows is a write; it stays inside the caller's transaction, so
/// a dry run rolls it back with everything else.
pub async fn build(tx: &mut Tx, snapshot: &Snapshot, now: Timestamp) -> CoreResult<Plan> {
    let source = super::source_key(&snapshot.instance);
    let mut plan = Plan::default();
    (plan.adopted, plan.legacy_other) = adopt_legacy(tx, snapshot, &source).await?;
    let mut who: HashMap<i64, (Who, Platform)> = HashMap::new();
    let mut claimed: HashMap<(Platform, String), Who> = HashMap::new();
    for user in &snapshot.users {
        let platform = preferred_platform(user);
        let key = user.id.to_string();
        if let Some(id) = imports::find(tx, &source, ImportKind::User, &key).await?
            && users::get_user(tx, UserId(id)).await?.is_some()
        {
            plan.known_users += 1;
            plan.known_identities += [&user.discord_id, &user.telegram_chat_id]
                .iter()
                .filter(|id| id.is_some())
                .count();
            who.insert(user.id, (Who::Existing(UserId(id)), platform));
            continue;
        }
        let step = plan_user(tx, user, now, &mut claimed, &mut plan.skipped).await?;
        let reference = match step.existing {
            Some(id) => Who::Existing(id),
            None => Who::New(plan.users.len()),
        };
        for identity in &step.identities {
            claimed.insert(identity.clone(), reference);
        }
        who.insert(user.id, (reference, platform));
        plan.users.push(step);
    }
    for request in &snapshot.requests {
        let key = request.id.to_string();
        if imports::find(tx, &source, ImportKind::Request, &key)
            .await?
            .is_some()
        {
            plan.known_requests += 1;
            continue;
        }
        match plan_request(request, &who, now) {
            Ok(step) => plan.requests.push(step),
            Err((reason, why)) => plan.skipped.push(Skip {
                kind: SkipKind::Request,
                reason,
                detail: format!("request #{}: {why}", request.id),
            }),
        }
    }
    plan.source_key = source;
    Ok(plan)
}

/// Rows imported before imports were keyed by instance sit under the bare [`super::SOURCE`].
/// They came from one instance; this one takes them over, while it has no rows of its own, when
/// most of them are its rows: its requests with those ids ask for the same title and were made
/// at the same time (or, with no requests imported then, its users with those ids have the same
/// names or Discord/Telegram accounts). Requests tell instances apart even when two instances
/// share their users. Returns (rows taken over, rows left for another instance).
async fn adopt_legacy(
    tx: &mut Tx,
    snapshot: &Snapshot,
    source: &str,
) -> CoreResult<(usize, usize)> {
    let legacy = imports::count(tx, super::SOURCE).await?;
    if legacy == 0 {
        return Ok((0, 0));
    }
    if imports::count(tx, source).await? > 0 {
        return Ok((0, legacy));
    }
    let requests: HashMap<String, &SourceRequest> = snapshot
        .requests
        .iter()
        .map(|r| (r.id.to_string(), r))
        .collect();
    let marks = imports::request_marks(tx, super::SOURCE).await?;
    let (same, of) = if marks.is_empty() {
        (
            legacy_users_alike(tx, snapshot).await?,
            imports::list(tx, super::SOURCE, ImportKind::User)
                .await?
                .len(),
        )
    } else {
        let same = marks
            .iter()
            .filter(|(id, tmdb, created)| {
                requests.get(id).is_some_and(|r| {
                    r.tmdb_id == Some(*tmdb) && r.created_at.is_none_or(|t| t.0 == *created)
                })
            })
            .count();
        (same, marks.len())
    };
    if of == 0 || same * 2 <= of {
        return Ok((0, legacy));
    }
    Ok((imports::rekey(tx, super::SOURCE, source).await?, 0))
}

/// How many earlier instance-less user rows name a user of this snapshot with the same id and
/// the same name or Discord/Telegram account.
async fn legacy_users_alike(tx: &mut Tx, snapshot: &Snapshot) -> CoreResult<usize> {
    let by_id: HashMap<String, &SourceUser> = snapshot
        .users
        .iter()
        .map(|u| (u.id.to_string(), u))
        .collect();
    let mut same = 0;
    for (external_id, usher_id) in imports::list(tx, super::SOURCE, ImportKind::User).await? {
        let Some(user) = by_id.get(&external_id) else {
            continue;
        };
        let mut alike = users::get_user(tx, UserId(usher_id))
            .await?
            .is_some_and(|u| u.display_name == user.display_name);
        for (platform, id) in [
            (Platform::Discord, &user.discord_id),
            (Platform::Telegram, &user.telegram_chat_id),
        ] {
            if let Some(id) = id
                && let Some(owner) = users::find_by_identity(tx, platform, id).await?
            {
                alike |= owner.id.0 == usher_id;
            }
        }
        same += usize::from(alike);
    }
    Ok(same)
}

fn preferred_platform(user: &SourceUser) -> Platform {
    let valid = |p: Platform, id: &Option<String>| {
        id.as_deref()
            .is_some_and(|id| Identity::validate_external_id(p, id).is_ok())
    };
    if valid(Platform::Discord, &user.discord_id) {
        Platform::Discord
    } else if valid(Platform::Telegram, &user.telegram_chat_id) {
        Platform::Telegram
    } else {
        Platform::Web
    }
}

async fn plan_user(
    tx: &mut Tx,
    user: &SourceUser,
    now: Timestamp,
    claimed: &mut HashMap<(Platform, String), Who>,
    skipped: &mut Vec<Skip>,
) -> CoreResult<UserStep> {
    let label = format!("user #{} ({})", user.id, user.display_name);
    let mut wanted = Vec::new();
    for (platform, id) in [
        (Platform::Discord, &user.discord_id),
        (Platform::Telegram, &user.telegram_chat_id),
    ] {
        let Some(id) = id else { continue };
        if Identity::validate_external_id(platform, id).is_err() {
            // A negative Telegram chat id is a group, not a person.
            skipped.push(Skip {
                kind: SkipKind::Identity,
                reason: SkipReason::NotAPerson,
                detail: format!("{label}: {platform} id {id:?} is not a user account"),
            });
            continue;
        }
        wanted.push((platform, id.clone()));
    }
    let mut existing: Option<UserId> = None;
    let mut owners = Vec::new();
    for (platform, id) in &wanted {
        let owner = match claimed.get(&(*platform, id.clone())) {
            Some(planned) => Some(*planned),
            None => users::find_by_identity(tx, *platform, id)
                .await?
                .map(|u| Who::Existing(u.id)),
        };
        if let (None, Some(Who::Existing(id))) = (existing, owner) {
            existing = Some(id);
        }
        owners.push(owner);
    }
    let mut identities = Vec::new();
    for ((platform, id), owner) in wanted.into_iter().zip(owners) {
        match owner {
            None => identities.push((platform, id)),
            Some(Who::Existing(owner)) if Some(owner) == existing => {}
            Some(_) => skipped.push(Skip {
                kind: SkipKind::Identity,
                reason: SkipReason::AccountTaken,
                detail: format!(
                    "{label}: {platform} account {id} already belongs to another user; not attached"
                ),
            }),
        }
    }
    let admin = user.permissions & OVERSEERR_ADMIN != 0;
    let role = match (admin, existing) {
        (true, _) => Some(builtin::ADMIN),
        (false, None) => Some(builtin::MEMBER),
        (false, Some(_)) => None,
    };
    let mut quotas = Vec::new();
    for (media_type, quota) in [
        (MediaType::Movie, user.movie_quota),
        (MediaType::Tv, user.tv_quota),
    ] {
        if let Some((max, days)) = quota {
            let limit = QuotaLimit {
                max: u32::try_from(max).unwrap_or(u32::MAX).min(100_000),
                days: u32::try_from(days).unwrap_or(3650).clamp(1, 3650),
            };
            quotas.push((
                QuotaScope {
                    media_type,
                    four_k: false,
                },
                limit,
            ));
        }
    }
    Ok(UserStep {
        source_id: user.id,
        display_name: user.display_name.clone(),
        existing,
        role,
        identities,
        quotas,
        created_at: user.created_at.unwrap_or(now),
    })
}

/// Overseerr's request status and the media's status (for the request's quality) → Usher's.
/// Approved requests were sent to Radarr/Sonarr when approved, so they are at least submitted.
pub fn map_status(request: i64, media: Option<i64>) -> Option<(RequestStatus, &'static str)> {
    const AVAILABLE: i64 = 5;
    const PARTIALLY_AVAILABLE: i64 = 4;
    Some(match (request, media) {
        (1, _) => (RequestStatus::Pending, "pending"),
        (3, _) => (RequestStatus::Declined, "declined"),
        (4, _) => (RequestStatus::Failed, "failed"),
        (2 | 5, Some(AVAILABLE)) => (RequestStatus::Available, "approved, available"),
        (2 | 5, Some(PARTIALLY_AVAILABLE)) => (
            RequestStatus::PartiallyAvailable,
            "approved, partially available",
        ),
        (5, _) => (RequestStatus::Available, "completed"),
        (2, _) => (RequestStatus::Submitted, "approved"),
        _ => return None,
    })
}

fn plan_request(
    request: &SourceRequest,
    who: &HashMap<i64, (Who, Platform)>,
    now: Timestamp,
) -> Result<RequestStep, (SkipReason, String)> {
    let (requested_by, platform) = request
        .requested_by
        .and_then(|id| who.get(&id).copied())
        .ok_or_else(|| {
            let why = format!(
                "its requester ({:?}) is not among the users",
                request.requested_by
            );
            (SkipReason::UnknownRequester, why)
        })?;
    let media_type: MediaType = request.media_type.parse().map_err(|_| {
        let why = format!("unknown media type {:?}", request.media_type);
        (SkipReason::UnknownMediaType, why)
    })?;
    let tmdb = request.tmdb_id.ok_or((
        SkipReason::UnknownMedia,
        "its media row is missing".to_owned(),
    ))?;
    let tmdb_id = TmdbId::parse(tmdb).map_err(|e| (SkipReason::UnknownMedia, e.to_string()))?;
    let (status, source_status) =
        map_status(request.status, request.media_status).ok_or_else(|| {
            let why = format!("unknown status {}", request.status);
            (SkipReason::UnknownStatus, why)
        })?;
    let seasons = match media_type {
        MediaType::Movie => Seasons::default(),
        MediaType::Tv => Seasons::new(
            request
                .seasons
                .iter()
                .filter_map(|s| u16::try_from(*s).ok()),
        ),
    };
    let decided_by = match status {
        RequestStatus::Pending => None,
        _ => request
            .modified_by
            .and_then(|id| who.get(&id))
            .map(|(w, _)| *w),
    };
    Ok(RequestStep {
        source_id: request.id,
        media: Media {
            media_type,
            tmdb_id,
            tvdb_id: request.tvdb_id.and_then(|id| TvdbId::parse(id).ok()),
            title: format!("tmdb:{tmdb_id}"),
            year: None,
        },
        seasons,
        four_k: request.four_k,
        status,
        source_status,
        requested_by,
        decided_by,
        platform,
        created_at: request.created_at.unwrap_or(now),
        updated_at: request.updated_at.or(request.created_at).unwrap_or(now),
    })
}
