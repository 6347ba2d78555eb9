//! `/requests` for approvers: the filtered, keyset-paged request list (`list`), one request with
//! its followers and audit trail (`detail`), and the approve / decline / retry forms (`actions`).
//! Every handler refuses (403) a session without the approve permission before it reads
//! anything, and core checks again on every action.

mod actions;
mod detail;
pub mod filter;
mod picks;
#[cfg(test)]
mod picks_tests;
mod row;
#[cfg(test)]
mod tests;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use usher_core::domain::{MediaType, Permission, RequestStatus};

use super::outcome::{self, OrRefused, PageError};
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;
use filter::{ListQuery, SOURCES};
pub use row::{Choice, DECLINE_PRESETS, RequestView};

/// Rows per page.
pub const PAGE_SIZE: u32 = 50;

/// The routes of the request pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list))
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
    /// Status filter options.
    pub statuses: Vec<Choice>,
    /// Media type filter options.
    pub kinds: Vec<Choice>,
    /// Source filter options.
    pub sources: Vec<Choice>,
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
    /// The next page, if there is one.
    pub next_url: Option<String>,
    /// The first page, when this is a later one.
    pub first_url: Option<String>,
    /// This page, where the action forms come back to.
    pub here: String,
    /// Preset decline reasons.
    pub presets: Vec<Choice>,
    /// What the last action did.
    pub notice: Option<String>,
    /// Always empty here: a refused action comes back on the request's own page.
    pub form: FormState,
}

impl RequestsPage {
    /// The form's options with the query's values selected.
    pub fn form(chrome: &Chrome, query: &ListQuery) -> Self {
        let any = |key: &str| Choice::new("", chrome.t(key), Some(""));
        let status = query.status.as_deref();
        let statuses = std::iter::once(any("console-filter-any-status"))
            .chain(RequestStatus::ALL.iter().map(|s| {
                Choice::new(
                    s.as_str(),
                    chrome.t(&format!("status-{}", s.as_str())),
                    status,
                )
            }))
            .collect();
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
        Self {
            statuses,
            kinds,
            sources,
            requester: query.requester.clone().unwrap_or_default(),
            from: query.from.clone().unwrap_or_default(),
            to: query.to.clone().unwrap_or_default(),
            filtered: query.is_filtered(),
            rows: Vec::new(),
            next_url: None,
            first_url: query
                .after
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|_| query.link(None)),
            here: query.here(),
            presets: row::decline_presets(chrome),
            notice: outcome::notice(chrome, query.notice.as_deref()),
            form: FormState::default(),
            chrome: chrome.clone(),
        }
    }
}

/// GET /requests.
pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let services = state.services();
    let setup = &state.console().pages;
    let (filter, after) = query.parse().or_refused(&who.lang)?;
    let found = services
        .requests
        .list(&who.actor, filter, after, PAGE_SIZE)
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let mut page = RequestsPage::form(&chrome, &query);
    page.rows = found
        .items
        .iter()
        .map(|r| {
            let name = found
                .requesters
                .get(&r.requested_by)
                .map_or("?", String::as_str);
            RequestView::new(&chrome, setup, r, name)
        })
        .collect();
    page.next_url = found.next.map(|c| query.link(Some(&c.encode())));
    Ok(render(&page)?.into_response())
}
