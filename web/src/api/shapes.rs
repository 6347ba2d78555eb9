//! Seerr's JSON shapes (`../shared/specs/overseerr-api.yml` and what Seerr's server sends
//! beyond it), built from core's values. A field Seerr's spec does not mark nullable is left
//! out when Usher has no value, never sent as `null`.

use std::collections::HashMap;

use serde::Serialize;
use usher_core::domain::{
    MediaType, Permission, Permissions, Request, RequestStatus, Timestamp, UserId,
};
use usher_core::service::api::{ApiRequests, Page, RequestCounts};
use usher_core::store::directory::UserListing;
use utoipa::ToSchema;

/// Seerr's `User`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeerrUser {
    /// Usher's user id.
    pub id: i64,
    /// Seerr requires it; Usher keeps no e-mail addresses, so it is empty.
    pub email: String,
    /// The display name.
    pub username: String,
    /// Seerr's display name field (its clients show it).
    pub display_name: String,
    /// Seerr's user type: 2, a local user.
    pub user_type: u8,
    /// Seerr's permission bits for what the user may do.
    pub permissions: u64,
    /// No avatar: empty.
    pub avatar: String,
    /// When the user was made.
    pub created_at: String,
    /// When the user last changed.
    pub updated_at: String,
    /// Requests they made.
    pub request_count: u64,
}

impl SeerrUser {
    /// The shape of a listed user.
    pub fn from_listing(listing: &UserListing) -> Self {
        Self {
            id: listing.user.id.0,
            email: String::new(),
            username: listing.user.display_name.clone(),
            display_name: listing.user.display_name.clone(),
            user_type: 2,
            permissions: seerr_permissions(listing.permissions),
            avatar: String::new(),
            created_at: iso(listing.user.created_at),
            updated_at: iso(listing.updated_at),
            request_count: listing.request_count,
        }
    }
}

/// Seerr's permission bits for Usher's permissions.
pub fn seerr_permissions(perms: Permissions) -> u64 {
    const BITS: [(Permission, u64); 9] = [
        (Permission::Admin, 2),
        (Permission::Approve, 16),
        (Permission::AutoApproveMovie, 256),
        (Permission::AutoApproveTv, 512),
        (Permission::Request4k, 1024),
        (Permission::AutoApprove4k, 32768),
        (Permission::RequestMovie, 262_144),
        (Permission::RequestTv, 524_288),
        (Permission::ManageIssues, 1_048_576),
    ];
    if perms.allows(Permission::Admin)
        && perms.bits() == Permissions::of(&[Permission::Admin]).bits()
    {
        return 2;
    }
    // Seerr's plain REQUEST means both kinds.
    let both = Permissions::of(&[Permission::RequestMovie, Permission::RequestTv]).bits();
    let request = if perms.bits() & both == both { 32 } else { 0 };
    request
        + BITS
            .iter()
            .filter(|(p, _)| perms.bits() & Permissions::of(&[*p]).bits() != 0)
            .map(|(_, bit)| bit)
            .sum::<u64>()
}

/// Seerr's `MediaInfo`, as a request embeds it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeerrMedia {
    /// The request's id (Usher keeps no separate media rows).
    pub id: i64,
    /// `movie` or `tv`.
    pub media_type: &'static str,
    /// TMDB id.
    pub tmdb_id: i64,
    /// TVDB id (nullable in Seerr's spec).
    pub tvdb_id: Option<i64>,
    /// 1 unknown, 2 pending, 3 processing, 4 partly available, 5 available.
    pub status: u8,
    /// Seerr's 4K status; Usher tracks 4K as its own request.
    pub status4k: u8,
    /// When the request was made.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// One season of a TV request.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeerrSeason {
    /// The season number, as an id.
    pub id: i64,
    /// The season number.
    pub season_number: u16,
    /// The request's status code.
    pub status: u8,
    /// When the request was made.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

/// Seerr's `MediaRequest`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeerrRequest {
    /// Request id.
    pub id: i64,
    /// 1 pending, 2 approved, 3 declined, 4 failed.
    pub status: u8,
    /// The title; left out inside a title's own `mediaInfo.requests`, as Seerr leaves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<SeerrMedia>,
    /// When it was made.
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// `movie` or `tv`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A 4K request.
    pub is4k: bool,
    /// Made by an automatic rule (never, in Usher).
    pub is_auto_request: bool,
    /// Who asked.
    pub requested_by: SeerrUser,
    /// Who decided, or `null`.
    pub modified_by: Option<SeerrUser>,
    /// The seasons asked for (TV; empty for movies).
    pub seasons: Vec<SeerrSeason>,
    /// How many seasons were asked for.
    pub season_count: usize,
}

/// Seerr's request status code.
fn request_code(status: RequestStatus) -> u8 {
    use RequestStatus as S;
    match status {
        S::Pending => 1,
        S::Approved | S::Submitted | S::PartiallyAvailable | S::Available => 2,
        S::Declined | S::Cancelled => 3,
        S::Failed => 4,
    }
}

/// Seerr's media status code.
pub(super) fn media_code(status: RequestStatus) -> u8 {
    use RequestStatus as S;
    match status {
        S::Pending => 2,
        S::Approved | S::Submitted => 3,
        S::PartiallyAvailable => 4,
        S::Available => 5,
        S::Declined | S::Cancelled | S::Failed => 1,
    }
}

impl SeerrUser {
    /// A stand-in for a person a page did not find (removed since).
    pub fn unknown(id: UserId) -> Self {
        unknown_user(id)
    }
}

/// A stand-in for a person the page did not find (removed since).
fn unknown_user(id: UserId) -> SeerrUser {
    let epoch = iso(Timestamp(0));
    SeerrUser {
        id: id.0,
        email: String::new(),
        username: String::new(),
        display_name: String::new(),
        user_type: 2,
        permissions: 0,
        avatar: String::new(),
        created_at: epoch.clone(),
        updated_at: epoch,
        request_count: 0,
    }
}

impl SeerrRequest {
    /// The shape of a request, with the people it names.
    pub fn new(request: &Request, people: &HashMap<UserId, UserListing>) -> Self {
        let person = |id: UserId| {
            people
                .get(&id)
                .map_or_else(|| unknown_user(id), SeerrUser::from_listing)
        };
        let created = iso(request.created_at);
        let updated = iso(request.updated_at);
        let code = request_code(request.status);
        let seasons: Vec<SeerrSeason> = request
            .seasons
            .iter()
            .map(|n| SeerrSeason {
                id: i64::from(n),
                season_number: n,
                status: code,
                created_at: created.clone(),
                updated_at: updated.clone(),
            })
            .collect();
        let kind = match request.media.media_type {
            MediaType::Movie => "movie",
            MediaType::Tv => "tv",
        };
        Self {
            id: request.id.0,
            status: code,
            media: Some(SeerrMedia {
                id: request.id.0,
                media_type: kind,
                tmdb_id: i64::from(request.media.tmdb_id.get()),
                tvdb_id: request.media.tvdb_id.map(|t| i64::from(t.get())),
                status: media_code(request.status),
                status4k: 1,
                created_at: created.clone(),
                updated_at: updated.clone(),
            }),
            created_at: created,
            updated_at: updated,
            kind,
            is4k: request.four_k,
            is_auto_request: false,
            requested_by: person(request.requested_by),
            modified_by: request.decided_by.map(person),
            season_count: seasons.len(),
            seasons,
        }
    }
}

/// Seerr's `PageInfo` (with `pageSize`, which Seerr's server sends too).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// Pages in all.
    pub pages: u64,
    /// Rows per page.
    pub page_size: u32,
    /// Rows in all.
    pub results: u64,
    /// This page, from 1.
    pub page: u64,
}

impl PageInfo {
    /// Seerr's arithmetic: pages rounded up, the page from `skip`.
    pub fn new(page: Page, total: u64) -> Self {
        let size = u64::from(page.take);
        Self {
            pages: total.div_ceil(size),
            page_size: page.take,
            results: total,
            page: page.skip.div_ceil(size) + 1,
        }
    }
}

/// A page of requests.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestPageBody {
    /// Where this page is.
    pub page_info: PageInfo,
    /// The requests.
    pub results: Vec<SeerrRequest>,
}

impl RequestPageBody {
    /// The page of these requests.
    pub fn new(page: Page, found: &ApiRequests) -> Self {
        Self {
            page_info: PageInfo::new(page, found.total),
            results: found
                .items
                .iter()
                .map(|r| SeerrRequest::new(r, &found.people))
                .collect(),
        }
    }
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserPageBody {
    /// Where this page is.
    pub page_info: PageInfo,
    /// The users.
    pub results: Vec<SeerrUser>,
}

/// `GET /request/count`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountBody {
    /// Every request.
    pub total: u64,
    /// Movie requests.
    pub movie: u64,
    /// TV requests.
    pub tv: u64,
    /// Waiting for a decision.
    pub pending: u64,
    /// Approved.
    pub approved: u64,
    /// Declined.
    pub declined: u64,
    /// Approved and on the way.
    pub processing: u64,
    /// In the library.
    pub available: u64,
    /// Failed upstream (Jellyseerr sends it too).
    pub failed: u64,
}

impl From<RequestCounts> for CountBody {
    fn from(c: RequestCounts) -> Self {
        Self {
            total: c.total,
            movie: c.movie,
            tv: c.tv,
            pending: c.pending,
            approved: c.approved,
            declined: c.declined,
            processing: c.processing,
            available: c.available,
            failed: c.failed,
        }
    }
}

/// `GET /status`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusBody {
    /// Usher's version.
    pub version: String,
    /// The build's tag.
    pub commit_tag: String,
    /// Usher does not check for updates.
    pub update_available: bool,
    /// Always 0.
    pub commits_behind: u32,
    /// Never.
    pub restart_required: bool,
}

/// ISO 8601 with milliseconds, as Seerr's dates (`2020-09-12T10:00:27.000Z`).
pub fn iso(at: Timestamp) -> String {
    let nanos = i128::from(at.0) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            let format = time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            );
            t.format(&format).ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_owned())
}
