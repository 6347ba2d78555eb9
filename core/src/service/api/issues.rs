//! `GET|POST /issue` and `GET /issue/count`: Seerr's issues over Usher's issue reports. Reading
//! is the key's business (a `read` key sees every report, as a dashboard sees every request);
//! a report goes through [`crate::service::IssueService::report`] as the key's machine user, so
//! the rules of every front end apply (the library must hold the title, one open report per
//! person and title).

use super::{ApiService, Page};
use crate::domain::{Issue, IssueKind, IssueStatus, MediaType, RequestId, Scope, TmdbId, UserId};
use crate::error::{CoreError, CoreResult};
use crate::service::{ApiCaller, NewIssue};
use crate::store::issues as store;
use crate::store::requests as requests_store;

/// What `GET /issue` asks for.
#[derive(Debug, Clone, Copy)]
pub struct IssueQuery {
    /// Only open or only resolved reports; `None` for all (as Seerr's server, whatever its
    /// spec's default says).
    pub status: Option<IssueStatus>,
    /// Newest change first instead of newest report first.
    pub by_change: bool,
    /// Only this reporter's.
    pub reported_by: Option<UserId>,
    /// Which rows.
    pub page: Page,
}

/// Reports with their reporters and resolvers.
pub type ApiIssues = super::PeoplePage<Issue>;

/// `GET /issue/count`, in Seerr's buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueCounts {
    /// Every report.
    pub total: u64,
    /// Picture problems.
    pub video: u64,
    /// Sound problems.
    pub audio: u64,
    /// Subtitle problems.
    pub subtitles: u64,
    /// Anything else.
    pub others: u64,
    /// Waiting for an approver.
    pub open: u64,
    /// Resolved.
    pub closed: u64,
}

/// Which title a new report names: Seerr's `mediaId` (for Usher, the id of a request for the
/// title, as `media.id` reads everywhere in this API), or the title itself.
#[derive(Debug, Clone, Copy)]
pub enum IssueMedia {
    /// The title of this request.
    Request(RequestId),
    /// This title.
    Title(MediaType, TmdbId),
}

/// What `POST /issue` asks for.
#[derive(Debug, Clone)]
pub struct ApiNewIssue {
    /// Which title.
    pub media: IssueMedia,
    /// What kind of problem.
    pub kind: IssueKind,
    /// The reporter's description.
    pub message: String,
}

impl ApiService {
    /// `GET /issue`: a page of every report (`read` scope).
    pub async fn issues(&self, caller: &ApiCaller, query: IssueQuery) -> CoreResult<ApiIssues> {
        caller.require(Scope::Read)?;
        let (items, total) = store::page_at(
            &self.db,
            query.status,
            query.reported_by,
            query.by_change,
            (query.page.skip, query.page.take),
        )
        .await?;
        let people = self.people(issue_people(&items)).await?;
        Ok(ApiIssues {
            items,
            total,
            people,
        })
    }

    /// `GET /issue/count` (`read` scope).
    pub async fn issue_counts(&self, caller: &ApiCaller) -> CoreResult<IssueCounts> {
        caller.require(Scope::Read)?;
        let mut counts = IssueCounts::default();
        for (kind, status, n) in store::counts(&self.db).await? {
            counts.total += n;
            match kind {
                IssueKind::Video => counts.video += n,
                IssueKind::Audio => counts.audio += n,
                IssueKind::Subtitles => counts.subtitles += n,
                IssueKind::Other => counts.others += n,
            }
            match status {
                IssueStatus::Open => counts.open += n,
                IssueStatus::Resolved => counts.closed += n,
            }
        }
        Ok(counts)
    }

    /// `POST /issue`: reports a problem as the key's machine user (`request` scope).
    pub async fn report_issue(
        &self,
        caller: &ApiCaller,
        new: ApiNewIssue,
    ) -> CoreResult<ApiIssues> {
        caller.require(Scope::Request)?;
        let (media_type, tmdb_id) = match new.media {
            IssueMedia::Title(media_type, tmdb) => (media_type, tmdb),
            IssueMedia::Request(id) => {
                let request = requests_store::find(&self.db, id)
                    .await?
                    .ok_or_else(|| CoreError::NotFound(format!("mediaId: no media {}", id.0)))?;
                (request.media.media_type, request.media.tmdb_id)
            }
        };
        let report = NewIssue {
            media_type,
            tmdb_id,
            kind: new.kind,
            text: new.message,
        };
        let issue = self.issues.report(&caller.actor(), report).await?;
        let people = self
            .people(issue_people(std::slice::from_ref(&issue)))
            .await?;
        Ok(ApiIssues {
            items: vec![issue],
            total: 1,
            people,
        })
    }
}

/// The people a page of reports names: each reporter and resolver.
fn issue_people(items: &[Issue]) -> impl Iterator<Item = UserId> + '_ {
    items
        .iter()
        .flat_map(|i| std::iter::once(i.reported_by).chain(i.resolved_by))
}
