//! `/library` for approvers and admins: what the library index holds — each source's counts,
//! passes and health (a stale one with its reason), and a paged list of titles searched by
//! name or TMDB id and filtered by source or type (`GET /library?q=&source=&type=&page=`).
//! Admins may ask for a full pass now (`POST /library/full-pass`, CSRF-checked like every
//! console form). Core lists and checks permissions again; this module only renders.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use usher_core::domain::{MediaType, Permission};
use usher_core::service::{LibraryOverview, LibraryQuery};

use super::library_view::{SourceView, TitleView};
use super::outcome::{self, OrRefused, PageError, done};
use super::requests::Choice;
use crate::console::page::{Chrome, catalog, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// The routes of the Library page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library", get(list))
        .route("/library/full-pass", post(full_pass))
}

/// The Library page.
#[derive(Template)]
#[template(path = "console/library.html")]
pub struct LibraryPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every source, in configuration order.
    pub sources: Vec<SourceView>,
    /// "3 titles in the library".
    pub total: String,
    /// The search as typed.
    pub search: String,
    /// Source filter options.
    pub source_choices: Vec<Choice>,
    /// Type filter options.
    pub type_choices: Vec<Choice>,
    /// Whether any filter is set (offers "Clear filters").
    pub filtered: bool,
    /// The page's titles.
    pub rows: Vec<TitleView>,
    /// "Page 2 of 3 · 120 titles".
    pub position: String,
    /// The previous page.
    pub prev_url: Option<String>,
    /// The next page.
    pub next_url: Option<String>,
    /// Whether the "Run full pass now" button is shown.
    pub full_pass: bool,
    /// What the last action did.
    pub notice: Option<String>,
}

/// Query of the page.
#[derive(Debug, Default, Deserialize)]
pub struct LibraryParams {
    /// A TMDB id or part of a name.
    pub q: Option<String>,
    /// A source's name.
    pub source: Option<String>,
    /// `movie` or `tv`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The page, from 1.
    pub page: Option<usize>,
    /// What the last action did.
    pub notice: Option<String>,
}

impl LibraryParams {
    fn media_type(&self) -> Option<MediaType> {
        self.kind.as_deref().and_then(|k| k.parse().ok())
    }

    fn query(&self) -> LibraryQuery {
        LibraryQuery {
            search: self.q.clone(),
            source: self.source.clone().filter(|s| !s.is_empty()),
            media_type: self.media_type(),
            page: self.page.unwrap_or(1),
        }
    }

    /// This listing's address at another page.
    fn link(&self, page: usize) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", self.q.as_deref()),
            ("source", self.source.as_deref()),
            ("type", self.kind.as_deref()),
        ] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                url.append_pair(name, value);
            }
        }
        url.append_pair("page", &page.to_string());
        format!("/library?{}", url.finish())
    }
}

/// GET /library.
pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(params): Query<LibraryParams>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let library = &state.services().library;
    let found = library
        .overview(&who.actor, &params.query())
        .await
        .or_refused(&who.lang)?;
    let chrome = Chrome::for_user(&who);
    let full_pass = chrome.is_admin && library.can_run_full_pass();
    let page = library_page(chrome, &params, &found, full_pass);
    Ok(render(&page)?.into_response())
}

fn library_page(
    chrome: Chrome,
    params: &LibraryParams,
    found: &LibraryOverview,
    full_pass: bool,
) -> LibraryPage {
    let count =
        |key: &str, n: usize| catalog().text(&chrome.lang, key, &[("count", chrome.num(n))]);
    let source = params.source.as_deref().filter(|s| !s.is_empty());
    let mut source_choices = vec![Choice::new(
        "",
        chrome.t("console-library-any-source"),
        Some(source.unwrap_or("")),
    )];
    source_choices.extend(
        found
            .sources
            .iter()
            .map(|s| Choice::new(&s.info.name, s.info.label.clone(), source)),
    );
    let kind = params.media_type().map(|m| m.as_str());
    let type_choices = [
        ("", "console-filter-any-type"),
        ("movie", "console-type-movie"),
        ("tv", "console-type-tv"),
    ]
    .into_iter()
    .map(|(value, key)| Choice::new(value, chrome.t(key), Some(kind.unwrap_or(""))))
    .collect();
    let position = catalog().text(
        &chrome.lang,
        "console-library-position",
        &[
            ("page", chrome.num(found.page)),
            ("pages", chrome.num(found.pages)),
            ("count", chrome.num(found.matched)),
        ],
    );
    LibraryPage {
        sources: found
            .sources
            .iter()
            .map(|s| SourceView::new(&chrome, s))
            .collect(),
        total: count("console-library-total", found.total_titles),
        search: params.q.clone().unwrap_or_default(),
        source_choices,
        type_choices,
        filtered: params.q.as_deref().is_some_and(|q| !q.trim().is_empty())
            || source.is_some()
            || kind.is_some(),
        rows: found
            .titles
            .iter()
            .map(|t| TitleView::new(&chrome, t))
            .collect(),
        position,
        prev_url: (found.page > 1).then(|| params.link(found.page - 1)),
        next_url: (found.page < found.pages).then(|| params.link(found.page + 1)),
        full_pass,
        notice: outcome::notice(&chrome, params.notice.as_deref()),
        chrome,
    }
}

/// POST /library/full-pass: admins only.
pub async fn full_pass(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    state
        .services()
        .library
        .run_full_pass(&who.actor)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, "/library", "full-pass"))
}
