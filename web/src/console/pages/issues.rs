//! `/issues` for approvers: the problems members reported with titles in the library, open
//! ones first by default (`GET /issues?status=open|resolved|all`), one report with its text
//! (`GET /issues/{id}`), and the resolve form with an optional note for the reporter
//! (`POST /issues/{id}/resolve`, CSRF-checked like every console form). Every handler refuses a
//! session without the approve permission before it reads anything; core checks again, and
//! audits the resolution.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Issue, IssueId, IssueStatus, Permission};
use usher_core::service::IssuePage;

use super::outcome::{self, OrRefused, PageError, done};
use super::requests::Choice;
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, catalog, render};
use crate::console::signed_in::SignedIn;
use crate::console::view;
use crate::state::AppState;

/// Reports per page.
pub const PAGE_SIZE: u32 = 50;

/// The routes of the issue pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/issues", get(list))
        .route("/issues/{id}", get(show))
        .route("/issues/{id}/resolve", post(resolve))
}

/// One report as the pages show it.
#[derive(Debug, Clone)]
pub struct IssueView {
    /// Its number.
    pub id: i64,
    /// Its page.
    pub url: String,
    /// The title, with its year.
    pub title: String,
    /// Movie or show, localized.
    pub media: String,
    /// Kind of problem, localized.
    pub kind: String,
    /// The reporter's words.
    pub text: String,
    /// Who reported it.
    pub reporter: String,
    /// Open or resolved, localized.
    pub status: String,
    /// Whether it is still open (offers the resolve form).
    pub open: bool,
    /// When it was reported.
    pub created: String,
    /// "Resolved by … on …", once resolved.
    pub resolved: Option<String>,
    /// The resolver's note.
    pub note: Option<String>,
    /// The request that brought the title in.
    pub request_url: Option<String>,
}

impl IssueView {
    fn new(
        chrome: &Chrome,
        issue: &Issue,
        name: &dyn Fn(usher_core::domain::UserId) -> String,
    ) -> Self {
        let title = match issue.year {
            Some(year) => format!("{} ({year})", issue.title),
            None => issue.title.clone(),
        };
        let resolved = issue.resolved_at.map(|at| {
            let who = issue
                .resolved_by
                .map_or_else(|| chrome.t("console-trail-system"), name);
            let args = [("who", who), ("when", view::date_time(chrome, at))];
            catalog().text(&chrome.lang, "console-issues-resolved-by", &args)
        });
        Self {
            id: issue.id.0,
            url: format!("/issues/{}", issue.id),
            title,
            media: chrome.t(&format!("console-type-{}", issue.media_type.as_str())),
            kind: chrome.t(&format!("issue-kind-{}", issue.kind.as_str())),
            text: issue.text.clone(),
            reporter: name(issue.reported_by),
            status: chrome.t(&format!("console-issue-status-{}", issue.status.as_str())),
            open: issue.status == IssueStatus::Open,
            created: view::date_time(chrome, issue.created_at),
            resolved,
            note: issue.resolution_note.clone(),
            request_url: issue.request_id.map(|r| format!("/requests/{r}")),
        }
    }
}

/// The issue list.
#[derive(Template)]
#[template(path = "console/issues.html")]
pub struct IssuesPage {
    /// Frame.
    pub chrome: Chrome,
    /// Status filter options.
    pub statuses: Vec<Choice>,
    /// The rows.
    pub rows: Vec<IssueView>,
    /// The next page, if there is one.
    pub next_url: Option<String>,
    /// This page, where the resolve forms come back to.
    pub here: String,
    /// What the last action did.
    pub notice: Option<String>,
    /// Always empty here: a refused resolution comes back on the report's own page.
    pub form: FormState,
}

/// One report.
#[derive(Template)]
#[template(path = "console/issue.html")]
pub struct IssueDetailPage {
    /// Frame.
    pub chrome: Chrome,
    /// The report.
    pub row: IssueView,
    /// This page (the resolve form comes back here).
    pub here: String,
    /// What the last action did.
    pub notice: Option<String>,
    /// A refused resolution, shown again beside its note.
    pub form: FormState,
}

/// Query of the list: which reports, from where, and a notice after an action.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `open` (the default), `resolved` or `all`.
    pub status: Option<String>,
    /// Show reports older than this one.
    pub before: Option<i64>,
    /// What the last action did.
    pub notice: Option<String>,
}

impl ListQuery {
    /// The status filter; `None` for all. Anything unknown falls back to open.
    fn filter(&self) -> Option<IssueStatus> {
        match self.status.as_deref() {
            Some("all") => None,
            Some("resolved") => Some(IssueStatus::Resolved),
            _ => Some(IssueStatus::Open),
        }
    }

    fn status_value(&self) -> &'static str {
        self.filter().map_or("all", IssueStatus::as_str)
    }

    fn link(&self, before: Option<IssueId>) -> String {
        let mut url = format!("/issues?status={}", self.status_value());
        if let Some(before) = before {
            url.push_str(&format!("&before={before}"));
        }
        url
    }
}

fn rows(chrome: &Chrome, page: &IssuePage) -> Vec<IssueView> {
    let name = |user| {
        page.names
            .get(&user)
            .cloned()
            .unwrap_or_else(|| format!("#{user}"))
    };
    page.items
        .iter()
        .map(|i| IssueView::new(chrome, i, &name))
        .collect()
}

/// GET /issues.
pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let before = query.before.map(IssueId);
    let found = services
        .issues
        .list(&who.actor, query.filter(), before, PAGE_SIZE)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let selected = Some(query.status_value());
    let statuses = ["open", "resolved", "all"]
        .into_iter()
        .map(|s| Choice::new(s, chrome.t(&format!("console-issue-status-{s}")), selected))
        .collect();
    let page = IssuesPage {
        statuses,
        rows: rows(&chrome, &found),
        next_url: found.next.map(|id| query.link(Some(id))),
        here: query.link(before),
        notice: outcome::notice(&chrome, query.notice.as_deref()),
        form: FormState::default(),
        chrome,
    };
    Ok(render(&page)?.into_response())
}

/// Query of the detail page.
#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    notice: Option<String>,
}

/// GET /issues/{id}.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let mut page = detail_page(&state, &who, IssueId(id)).await?;
    page.notice = outcome::notice(&page.chrome, query.notice.as_deref());
    Ok(render(&page)?.into_response())
}

/// One report's page as `who` may see it.
async fn detail_page(
    state: &AppState,
    who: &SignedIn,
    id: IssueId,
) -> Result<IssueDetailPage, PageError> {
    let services = state.services();
    let issue = services
        .issues
        .get(&who.actor, id)
        .await
        .or_refused(&who.lang)?;
    let mut names = std::collections::HashMap::new();
    for user in std::iter::once(issue.reported_by).chain(issue.resolved_by) {
        let name = services.issues.name_of(user).await.or_refused(&who.lang)?;
        names.insert(user, name);
    }
    let chrome = Chrome::for_user(who);
    let page = IssuePage {
        items: vec![issue],
        next: None,
        names,
    };
    let row = rows(&chrome, &page).remove(0);
    Ok(IssueDetailPage {
        here: row.url.clone(),
        row,
        notice: None,
        form: FormState::default(),
        chrome,
    })
}

/// The resolve form.
#[derive(Debug, Deserialize)]
pub struct ResolveForm {
    /// Where to go back to.
    pub next: Option<String>,
    /// A note for the reporter, or empty.
    pub note: Option<String>,
}

/// POST /issues/{id}/resolve.
pub async fn resolve(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ResolveForm>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let Err(err) = services
        .issues
        .resolve(&who.actor, IssueId(id), form.note.as_deref())
        .await
    else {
        return Ok(done(
            form.next.as_deref(),
            &format!("/issues/{id}"),
            "resolved",
        ));
    };
    let field = if matches!(err, CoreError::Validation(_)) {
        "note"
    } else {
        ""
    };
    let (status, message) = outcome::form_refusal(&who.lang, err)?;
    let note = form.note.unwrap_or_default();
    let mut page = detail_page(&state, &who, IssueId(id)).await?;
    page.form =
        FormState::invalid("resolve", field, message, &[("note", &note)]).with_status(status);
    outcome::again(&page, &page.form)
}
