//! `/issue` and `/issue/count`: Seerr's issues over Usher's issue reports. A report's text is
//! its first comment, as Seerr stores it; a resolution note is a second comment by the resolver.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Extension, Query, State};
use serde::{Deserialize, Serialize};
use usher_core::domain::{Issue, IssueKind, IssueStatus, MediaType, RequestId, TmdbId, UserId};
use usher_core::service::ApiCaller;
use usher_core::service::api::{ApiIssues, ApiNewIssue, IssueCounts, IssueMedia, IssueQuery};
use usher_core::store::directory::UserListing;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult, ErrorBody};
use super::input::{self, StrictJson};
use super::shapes::{PageInfo, SeerrUser, iso};
use crate::state::AppState;

/// Seerr's issue type codes: 1 video, 2 audio, 3 subtitles, 4 other.
fn type_code(kind: IssueKind) -> u8 {
    match kind {
        IssueKind::Video => 1,
        IssueKind::Audio => 2,
        IssueKind::Subtitles => 3,
        IssueKind::Other => 4,
    }
}

/// The kind of a Seerr issue type code.
fn kind_of(code: i64) -> ApiResult<IssueKind> {
    Ok(match code {
        1 => IssueKind::Video,
        2 => IssueKind::Audio,
        3 => IssueKind::Subtitles,
        4 => IssueKind::Other,
        _ => {
            return Err(ApiError::field(
                "issueType",
                "must be 1 (video), 2 (audio), 3 (subtitles) or 4 (other)",
            ));
        }
    })
}

/// The title an issue names, as Seerr's `MediaInfo`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueMediaBody {
    /// The request that brought the title in (`mediaId` elsewhere in this API), when Usher
    /// knows one.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    /// `movie` or `tv`.
    media_type: &'static str,
    /// TMDB id.
    tmdb_id: i64,
    /// 5: a reported title is in the library.
    status: u8,
}

/// Seerr's `IssueComment`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentBody {
    /// 1 for the report, 2 for the resolution note, within the issue.
    id: i64,
    /// Who wrote it.
    user: SeerrUser,
    /// What they wrote.
    message: String,
    /// When.
    created_at: String,
    /// When (comments are not edited).
    updated_at: String,
}

/// Seerr's `Issue`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueBody {
    /// Issue id.
    id: i64,
    /// 1 video, 2 audio, 3 subtitles, 4 other.
    issue_type: u8,
    /// 1 open, 2 resolved.
    status: u8,
    /// Seerr's season of the problem; Usher reports whole titles: 0.
    problem_season: u16,
    /// Seerr's episode of the problem: 0.
    problem_episode: u32,
    /// The title.
    media: IssueMediaBody,
    /// Who reported it.
    created_by: SeerrUser,
    /// Who resolved it; left out while open (the spec does not let it be `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    modified_by: Option<SeerrUser>,
    /// The report, then the resolution note.
    comments: Vec<CommentBody>,
    /// When it was reported.
    created_at: String,
    /// When it last changed.
    updated_at: String,
}

impl IssueBody {
    fn new(issue: &Issue, people: &HashMap<UserId, UserListing>) -> Self {
        let person = |id: UserId| {
            people
                .get(&id)
                .map_or_else(|| SeerrUser::unknown(id), SeerrUser::from_listing)
        };
        let created = iso(issue.created_at);
        let mut comments = vec![CommentBody {
            id: 1,
            user: person(issue.reported_by),
            message: issue.text.clone(),
            created_at: created.clone(),
            updated_at: created.clone(),
        }];
        if let (Some(by), Some(note)) = (issue.resolved_by, &issue.resolution_note) {
            let at = iso(issue.resolved_at.unwrap_or(issue.updated_at));
            comments.push(CommentBody {
                id: 2,
                user: person(by),
                message: note.clone(),
                created_at: at.clone(),
                updated_at: at,
            });
        }
        Self {
            id: issue.id.0,
            issue_type: type_code(issue.kind),
            status: match issue.status {
                IssueStatus::Open => 1,
                IssueStatus::Resolved => 2,
            },
            problem_season: 0,
            problem_episode: 0,
            media: IssueMediaBody {
                id: issue.request_id.map(|r| r.0),
                media_type: match issue.media_type {
                    MediaType::Movie => "movie",
                    MediaType::Tv => "tv",
                },
                tmdb_id: i64::from(issue.tmdb_id.get()),
                status: 5,
            },
            created_by: person(issue.reported_by),
            modified_by: issue.resolved_by.map(person),
            comments,
            created_at: created,
            updated_at: iso(issue.updated_at),
        }
    }
}

/// A page of issues.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuePageBody {
    /// Where this page is.
    page_info: PageInfo,
    /// The issues.
    results: Vec<IssueBody>,
}

/// `GET /issue`'s query (Seerr's names; its server reads `createdBy`, its spec `requestedBy`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct IssueListQuery {
    /// Rows per page, 1 to 100 (default 10).
    take: Option<String>,
    /// Rows to skip (default 0).
    skip: Option<String>,
    /// added (default) or modified.
    sort: Option<String>,
    /// all (default), open or resolved.
    filter: Option<String>,
    /// Only this reporter's.
    created_by: Option<String>,
    /// The same, under the spec's name.
    requested_by: Option<String>,
}

/// Every issue report, newest first, in Seerr's page shape.
#[utoipa::path(get, path = "/issue", params(IssueListQuery), tag = "issue", security(("apiKey" = [])),
    responses((status = 200, body = IssuePageBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Query(query): Query<IssueListQuery>,
) -> ApiResult<Json<IssuePageBody>> {
    let page = input::page(query.take.as_deref(), query.skip.as_deref())?;
    let status = match query.filter.as_deref() {
        None | Some("" | "all") => None,
        Some("open") => Some(IssueStatus::Open),
        Some("resolved") => Some(IssueStatus::Resolved),
        Some(_) => return Err(ApiError::field("filter", "must be all, open or resolved")),
    };
    let by_change = match query.sort.as_deref() {
        None | Some("" | "added") => false,
        Some("modified") => true,
        Some(_) => return Err(ApiError::field("sort", "must be added or modified")),
    };
    let reported_by = match (query.created_by.as_deref(), query.requested_by.as_deref()) {
        (Some(t), _) => Some(input::user_id("createdBy", t)?),
        (None, Some(t)) => Some(input::user_id("requestedBy", t)?),
        (None, None) => None,
    };
    let query = IssueQuery {
        status,
        by_change,
        reported_by,
        page,
    };
    let found = state.services().api.issues(&caller, query).await?;
    Ok(Json(IssuePageBody {
        page_info: PageInfo::new(page, found.total),
        results: bodies(&found),
    }))
}

fn bodies(found: &ApiIssues) -> Vec<IssueBody> {
    found
        .items
        .iter()
        .map(|i| IssueBody::new(i, &found.people))
        .collect()
}

/// `POST /issue`'s body: Seerr's fields, and Usher's `mediaType` + `tmdbId` for a title the
/// library holds without a request (unknown fields are refused).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewIssueBody {
    /// 1 video, 2 audio, 3 subtitles, 4 other.
    issue_type: i64,
    /// What is wrong (1 to 1000 characters).
    message: String,
    /// The `media.id` of a request for the title.
    #[serde(default)]
    media_id: Option<i64>,
    /// Usher: `movie` or `tv`, with `tmdbId`, instead of `mediaId`.
    #[serde(default)]
    media_type: Option<String>,
    /// Usher: the title's TMDB id, with `mediaType`.
    #[serde(default)]
    tmdb_id: Option<i64>,
    /// Accepted for Seerr's clients; Usher reports whole titles.
    #[serde(default)]
    problem_season: Option<i64>,
    /// Accepted for Seerr's clients; Usher reports whole titles.
    #[serde(default)]
    problem_episode: Option<i64>,
}

/// Reports a problem with a title the library holds, as the key's machine user. Answers 200,
/// as Seerr's server does (its spec says 201).
#[utoipa::path(post, path = "/issue", tag = "issue", security(("apiKey" = [])),
    request_body = NewIssueBody,
    responses((status = 200, body = IssueBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    StrictJson(body): StrictJson<NewIssueBody>,
) -> ApiResult<Json<IssueBody>> {
    let kind = kind_of(body.issue_type)?;
    let media = match (body.media_id, body.media_type.as_deref(), body.tmdb_id) {
        (Some(id), None, None) => {
            IssueMedia::Request(RequestId(input::positive_id("mediaId", &id.to_string())?))
        }
        (None, Some(kind), Some(tmdb)) => {
            let media_type = match kind {
                "movie" => MediaType::Movie,
                "tv" => MediaType::Tv,
                _ => return Err(ApiError::field("mediaType", "must be movie or tv")),
            };
            let tmdb = TmdbId::parse(tmdb)
                .ok()
                .filter(|_| tmdb > 0)
                .ok_or_else(|| ApiError::field("tmdbId", "must be a positive TMDB id"))?;
            IssueMedia::Title(media_type, tmdb)
        }
        _ => {
            return Err(ApiError::field(
                "mediaId",
                "send mediaId, or mediaType with tmdbId",
            ));
        }
    };
    if body.message.trim().is_empty() {
        return Err(ApiError::field("message", "must not be empty"));
    }
    let _ = (body.problem_season, body.problem_episode);
    let new = ApiNewIssue {
        media,
        kind,
        message: body.message,
    };
    let made = state.services().api.report_issue(&caller, new).await?;
    let issue = bodies(&made).pop().ok_or_else(ApiError::no_route)?;
    Ok(Json(issue))
}

/// `GET /issue/count`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssueCountBody {
    /// Every report.
    total: u64,
    /// Picture problems.
    video: u64,
    /// Sound problems.
    audio: u64,
    /// Subtitle problems.
    subtitles: u64,
    /// Anything else.
    others: u64,
    /// Open.
    open: u64,
    /// Resolved.
    closed: u64,
}

impl From<IssueCounts> for IssueCountBody {
    fn from(c: IssueCounts) -> Self {
        Self {
            total: c.total,
            video: c.video,
            audio: c.audio,
            subtitles: c.subtitles,
            others: c.others,
            open: c.open,
            closed: c.closed,
        }
    }
}

/// How many issue reports there are, by type and status.
#[utoipa::path(get, path = "/issue/count", tag = "issue", security(("apiKey" = [])),
    responses((status = 200, body = IssueCountBody), (status = 403, body = ErrorBody)))]
pub async fn count(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> ApiResult<Json<IssueCountBody>> {
    Ok(Json(
        state.services().api.issue_counts(&caller).await?.into(),
    ))
}
