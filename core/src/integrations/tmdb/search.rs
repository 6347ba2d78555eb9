//! Searching and trending: lists of movies and shows, cached per normalized question.

use std::sync::Arc;

use super::cache::{Key, Scope};
use super::types::{SearchPage, SearchQuery, TimeWindow, Trending};
use super::wire::RawPage;
use super::{TmdbClient, language_param};
use crate::domain::MediaType;
use crate::integrations::http::UpstreamError;

/// TMDB serves at most this many pages of any list.
const MAX_PAGE: u32 = 500;
/// Longer queries are cut: nobody types more, and keys stay small.
const MAX_QUERY_CHARS: usize = 200;

/// Lower-cased, trimmed, single-spaced: "Dune " and "dune" are one cache entry and one call.
fn normalize(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .to_lowercase()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect()
}

impl TmdbClient {
    /// Movies matching the query (`/3/search/movie`, filtered by release year if given).
    pub async fn search_movies(
        &self,
        query: &SearchQuery,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        self.search(Scope::Movie, query).await
    }

    /// Shows matching the query (`/3/search/tv`, filtered by first-air year if given).
    pub async fn search_tv(&self, query: &SearchQuery) -> Result<Arc<SearchPage>, UpstreamError> {
        self.search(Scope::Tv, query).await
    }

    /// Movies and shows together (`/3/search/multi`), people left out. TMDB's multi search takes
    /// no year, so a year keeps only this page's hits from that year.
    pub async fn search_multi(
        &self,
        query: &SearchQuery,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        self.search(Scope::Multi, query).await
    }

    async fn search(
        &self,
        scope: Scope,
        query: &SearchQuery,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        let text = normalize(&query.text);
        let page = query.page.clamp(1, MAX_PAGE);
        if text.is_empty() {
            return Ok(Arc::new(SearchPage {
                page,
                ..SearchPage::default()
            }));
        }
        let language = query.language.clone().filter(|l| !l.is_empty());
        let key = Key::Search {
            scope,
            text: text.clone(),
            language: language.clone(),
            year: query.year,
            page,
        };
        let year = query.year;
        self.cached(key, async move {
            let (path, year_param, kind) = match scope {
                Scope::Movie => ("/3/search/movie", Some("year"), Some(MediaType::Movie)),
                Scope::Tv => (
                    "/3/search/tv",
                    Some("first_air_date_year"),
                    Some(MediaType::Tv),
                ),
                Scope::Multi => ("/3/search/multi", None, None),
            };
            let mut params = vec![("query", text)];
            params.extend(language_param(language.as_deref()));
            if let (Some(name), Some(year)) = (year_param, year) {
                params.push((name, year.to_string()));
            }
            params.push(("page", page.to_string()));
            let raw: RawPage = self.get(path, &params).await?;
            let mut found = raw.into_page(kind);
            if let (Scope::Multi, Some(year)) = (scope, year) {
                found.hits.retain(|hit| hit.year == Some(year));
            }
            Ok(Arc::new(found))
        })
        .await
    }

    /// What is trending (`/3/trending/{all,movie,tv}/{day,week}`), people left out.
    pub async fn trending(
        &self,
        kind: Trending,
        window: TimeWindow,
        language: Option<&str>,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        self.trending_page(kind, window, language, 1).await
    }

    /// One page (1 to 500) of what is trending, people left out.
    pub async fn trending_page(
        &self,
        kind: Trending,
        window: TimeWindow,
        language: Option<&str>,
        page: u32,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Trending {
            kind,
            window,
            language: language.clone(),
            page,
        };
        self.cached(key, async move {
            let path = format!("/3/trending/{}/{}", kind.segment(), window.segment());
            let mut params = language_param(language.as_deref());
            if page != 1 {
                params.push(("page", page.to_string()));
            }
            let raw: RawPage = self.get(&path, &params).await?;
            let media = match kind {
                Trending::All => None,
                Trending::Movie => Some(MediaType::Movie),
                Trending::Tv => Some(MediaType::Tv),
            };
            Ok(Arc::new(raw.into_page(media)))
        })
        .await
    }
}
