//! `/requests` for approvers: the searchable, sorted, numbered request list with its counts per
//! status (`list`), deciding many at once (`bulk`), one request with its followers and audit
//! trail (`detail`), and the approve / decline / retry forms (`actions`).
//! Every handler refuses (403) a session without the approve permission before it reads
//! anything, and core checks again on every action.

mod actions;
pub mod bulk;
mod choice;
mod detail;
pub mod filter;
mod picks;
#[cfg(test)]
mod picks_tests;
mod row;
#[cfg(test)]
mod tests;
pub mod title_card;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use usher_core::domain::{MediaType, Permission, RequestStatus};
use usher_core::service::BrowsePage;
use usher_core::store::request_browse::{COUNT_CAP, RequestSort};

use super::outcome::{self, OrRefused, PageError};
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::pages_setup::PagesSetup;
use crate::console::signed_in::SignedIn;
use crate::state::AppState;
pub use bulk::BulkReport;
pub use choice::Choice;
use filter::{ListQuery, SOURCES};
pub use row::{DECLINE_PRESETS, RequestView};

/// Rows per page.
pub const PAGE_SIZE: u32 = 50;

/// The routes of the request pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list))
        .route("/requests/bulk", post(bulk::decide))
        .route("/requests/{id}", get(detail::show))
        .route("/requests/{id}/approve", post(actions::approve))
        .route("/requests/{id}/decline", post(actions::decline))
        .route("/requests/{id}/retry", post(actions::retry))
}

/// The request list.
#[derive(Template)]
#[template(path = "console/requests.html")]
pub struct RequestsPage {
    /// Frame.
    pub chrome: Chrome,
    /// Status filter options, each with how many requests it would show.
    pub statuses: Vec<Choice>,
    /// Media type filter options.
    pub kinds: Vec<Choice>,
    /// Source filter options.
    pub sources: Vec<Choice>,
    /// Sort options.
    pub sorts: Vec<Choice>,
    /// Title search as typed.
    pub search: String,
    /// Requester filter as typed.
    pub requester: String,
    /// First day as typed.
    pub from: String,
    /// Last day as typed.
    pub to: String,
    /// Whether a filter is set (offers "clear").
    pub filtered: bool,
    /// The rows.
    pub rows: Vec<RequestView>,
    /// "Page 2 of 5 · 212 requests".
    pub pager: Pager,
    /// This page, where the action forms come back to.
    pub here: String,
    /// Preset decline reasons.
    pub presets: Vec<Choice>,
    /// What the last action did.
    pub notice: Option<String>,
    /// What the last bulk decision did, and which requests it could not decide.
    pub bulk: Option<BulkReport>,
    /// Whether any row can be decided (offers the bulk form).
    pub bulk_possible: bool,
    /// Always empty here: a refused action comes back on the request's own page.
    pub form: FormState,
}

/// The numbered pager under a list.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// "Page 2 of 5 · 212 requests", localized.
    pub summary: String,
    /// The first page, when this is a later one.
    pub first_url: Option<String>,
    /// The previous page.
    pub prev_url: Option<String>,
    /// The next page.
    pub next_url: Option<String>,
    /// The last page, when this is an earlier one.
    pub last_url: Option<String>,
}

impl RequestsPage {
    /// The form's options with the query's values selected (counts come with [`Self::fill`]).
    pub fn form(chrome: &Chrome, query: &ListQuery) -> Self {
        let any = |key: &str| Choice::new("", chrome.t(key), Some(""));
        let kind = query.kind.as_deref();
        let kinds = std::iter::once(any("console-filter-any-type"))
            .chain([MediaType::Movie, MediaType::Tv].iter().map(|t| {
                Choice::new(
                    t.as_str(),
                    chrome.t(&format!("console-type-{}", t.as_str())),
                    kind,
                )
            }))
            .collect();
        let source = query.source.as_deref();
        let sources = std::iter::once(any("console-filter-any-source"))
            .chain(SOURCES.iter().map(|p| {
                Choice::new(
                    p.as_str(),
                    chrome.t(&format!("console-source-{}", p.as_str())),
                    source,
                )
            }))
            .collect();
        let sort = query
            .sort
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("newest");
        let sorts = RequestSort::ALL
            .iter()
            .map(|s| {
                Choice::new(
                    s.as_str(),
                    chrome.t(&format!("console-sort-{}", s.as_str())),
                    Some(sort),
                )
            })
            .collect();
        Self {
            statuses: status_choices(chrome, query, &[]),
            kinds,
            sources,
            sorts,
            search: query.q.clone().unwrap_or_default(),
            requester: query.requester.clone().unwrap_or_default(),
            from: query.from.clone().unwrap_or_default(),
            to: query.to.clone().unwrap_or_default(),
            filtered: query.is_filtered(),
            rows: Vec::new(),
            pager: Pager::default(),
            here: query.here(),
            presets: row::decline_presets(chrome),
            notice: outcome::notice(chrome, query.notice.as_deref()),
            bulk: None,
            bulk_possible: false,
            form: FormState::default(),
            chrome: chrome.clone(),
        }
    }

    /// The page's rows, status counts and pager from what core found.
    pub fn fill(
        &mut self,
        setup: &PagesSetup,
        query: &ListQuery,
        found: &BrowsePage,
        posters: bool,
    ) {
        let chrome = &self.chrome;
        self.statuses = status_choices(chrome, query, &found.counts);
        self.rows = found
            .items
            .iter()
            .map(|r| {
                let name = found
                    .requesters
                    .get(&r.requested_by)
                    .map_or("?", String::as_str);
                let row = RequestView::new(chrome, setup, r, name);
                if posters { row.with_poster(r) } else { row }
            })
            .collect();
        self.bulk_possible = self.rows.iter().any(|r| r.can_approve || r.can_decline);
        let catalog = crate::console::page::catalog();
        let page = found.page;
        let summary = match (found.total, found.pages) {
            (Some(total), Some(pages)) => {
                let args = [
                    ("page", chrome.num(page)),
                    ("pages", chrome.num(pages)),
                    ("total", chrome.num(total)),
                ];
                catalog.text(&chrome.lang, "console-page-of", &args)
            }
            _ => {
                let args = [("page", chrome.num(page)), ("cap", chrome.num(COUNT_CAP))];
                catalog.text(&chrome.lang, "console-page-many", &args)
            }
        };
        let last = found.pages.filter(|pages| page + 1 < *pages);
        self.pager = Pager {
            summary,
            first_url: (page > 2).then(|| query.link(None)),
            prev_url: (page > 1).then(|| query.link(Some(page - 1))),
            next_url: found.has_next.then(|| query.link(Some(page + 1))),
            last_url: last.map(|pages| query.link(Some(pages))),
        };
    }
}

/// The status options, "Pending (3)" once the counts are known.
fn status_choices(
    chrome: &Chrome,
    query: &ListQuery,
    counts: &[(RequestStatus, u64)],
) -> Vec<Choice> {
    let status = query.status.as_deref();
    let all: u64 = counts.iter().map(|(_, n)| n).sum();
    let capped = counts.iter().any(|(_, n)| *n > COUNT_CAP);
    let label = |key: &str, n: Option<u64>, over: bool| match n {
        Some(_) if over => format!("{} ({}+)", chrome.t(key), chrome.num(COUNT_CAP)),
        Some(n) if !counts.is_empty() => format!("{} ({})", chrome.t(key), chrome.num(n)),
        _ => chrome.t(key),
    };
    let any = label("console-filter-any-status", Some(all), capped);
    std::iter::once(Choice::new("", any, Some(status.unwrap_or(""))))
        .chain(RequestStatus::ALL.iter().map(|s| {
            let n = counts.iter().find(|(c, _)| c == s).map(|(_, n)| *n);
            Choice::new(
                s.as_str(),
                label(
                    &format!("status-{}", s.as_str()),
                    n,
                    n.is_some_and(|n| n > COUNT_CAP),
                ),
                status,
            )
        }))
        .collect()
}

/// GET /requests.
pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
    Query(report): Query<bulk::ReportQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let setup = &state.console().pages;
    let browse = query.parse(PAGE_SIZE).or_refused(&who.lang)?;
    let found = services
        .requests
        .browse(&who.actor, browse)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let mut page = RequestsPage::form(&chrome, &query);
    page.fill(setup, &query, &found, services.artwork.has_posters());
    page.bulk = report.report(&chrome);
    Ok(render(&page)?.into_response())
}
