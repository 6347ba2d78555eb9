//! The `/requests` query string: what the filter form sends, parsed into core's
//! [`Browse`] (filter, sort, page), and written back into links (pages, "requests by").

use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{MediaType, Platform, RequestStatus, Timestamp, UserId};
use usher_core::service::Browse;
use usher_core::store::request_browse::RequestSort;
use usher_core::store::requests::RequestFilter;

/// The query of `/requests`; every field may be absent or empty (an empty form field).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    /// A status name (`pending`, `failed`, …).
    pub status: Option<String>,
    /// `movie` or `tv`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// A user id (`12` or `#12`).
    pub requester: Option<String>,
    /// Where the request was made: `telegram`, `discord`, `web`.
    pub source: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC), inclusive.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive.
    pub to: Option<String>,
    /// Part of the title.
    pub q: Option<String>,
    /// `newest` (default), `oldest`, `title` or `status`.
    pub sort: Option<String>,
    /// The page, from 1.
    pub page: Option<String>,
    /// A notice to show after an action.
    pub notice: Option<String>,
}

/// Platforms a request can come from, in the order the form lists them.
pub const SOURCES: [Platform; 3] = [Platform::Telegram, Platform::Discord, Platform::Web];

fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

const DAY_MS: i64 = 86_400_000;

fn day(raw: &str) -> Result<Timestamp, CoreError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw, format)
        .map_err(|_| CoreError::Validation(format!("{raw:?} is not a date (YYYY-MM-DD)")))?;
    let seconds = date.midnight().assume_utc().unix_timestamp();
    Ok(Timestamp(seconds * 1000))
}

impl ListQuery {
    /// The page this query asks for, `per_page` rows long; a malformed field is a validation
    /// error.
    pub fn parse(&self, per_page: u32) -> Result<Browse, CoreError> {
        let mut filter = RequestFilter::default();
        if let Some(status) = given(&self.status) {
            filter.statuses = vec![status.parse::<RequestStatus>()?];
        }
        if let Some(kind) = given(&self.kind) {
            filter.media_type = Some(kind.parse::<MediaType>()?);
        }
        if let Some(requester) = given(&self.requester) {
            let id = requester
                .trim_start_matches('#')
                .parse::<i64>()
                .map_err(|_| CoreError::Validation(format!("{requester:?} is not a user id")))?;
            filter.requested_by = Some(UserId(id));
        }
        if let Some(source) = given(&self.source) {
            let platform = source.parse::<Platform>()?;
            if !SOURCES.contains(&platform) {
                return Err(CoreError::Validation(format!(
                    "no request comes from {source}"
                )));
            }
            filter.source = Some(platform);
        }
        if let Some(from) = given(&self.from) {
            filter.created_from = Some(day(from)?);
        }
        if let Some(to) = given(&self.to) {
            filter.created_before = Some(Timestamp(day(to)?.0 + DAY_MS));
        }
        filter.title = given(&self.q).map(str::to_owned);
        let sort = given(&self.sort)
            .map(RequestSort::parse)
            .transpose()?
            .unwrap_or_default();
        let page =
            match given(&self.page) {
                Some(raw) => raw.parse::<u64>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                    CoreError::Validation(format!("{raw:?} is not a page number"))
                })?,
                None => 1,
            };
        Ok(Browse {
            filter,
            sort,
            page,
            per_page,
        })
    }

    /// Whether any filter is set (not counting the page).
    pub fn is_filtered(&self) -> bool {
        [
            &self.status,
            &self.kind,
            &self.requester,
            &self.source,
            &self.from,
            &self.to,
            &self.q,
        ]
        .into_iter()
        .any(|f| given(f).is_some())
    }

    /// `/requests?…` with these filters and sort and, if given, the page (never the notice).
    pub fn link(&self, page: Option<u64>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let fields = [
            ("status", &self.status),
            ("type", &self.kind),
            ("requester", &self.requester),
            ("source", &self.source),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
            ("sort", &self.sort),
        ];
        for (name, value) in fields {
            if let Some(value) = given(value) {
                query.append_pair(name, value);
            }
        }
        if let Some(page) = page.filter(|p| *p > 1) {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/requests".to_owned()
        } else {
            format!("/requests?{query}")
        }
    }

    /// The same filters with another status (the status filter's links carry their counts).
    pub fn with_status(&self, status: Option<&str>) -> Self {
        Self {
            status: status.map(str::to_owned),
            page: None,
            notice: None,
            ..self.clone()
        }
    }

    /// The link to this very page (filters, sort and page), where actions come back to.
    pub fn here(&self) -> String {
        self.link(given(&self.page).and_then(|p| p.parse().ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query as axum's `Query` extractor reads it.
    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        let text = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let uri: axum::http::Uri = format!("/requests?{text}").parse().expect("uri");
        axum::extract::Query::<ListQuery>::try_from_uri(&uri)
            .expect("query")
            .0
    }

    #[test]
    fn a_full_form_becomes_a_filter() {
        let q = query(&[
            ("status", "pending"),
            ("type", "tv"),
            ("requester", "#12"),
            ("source", "discord"),
            ("from", "2024-05-01"),
            ("to", "2024-05-31"),
            ("q", " dune "),
            ("sort", "title"),
            ("page", "3"),
        ]);
        let browse = q.parse(20).expect("valid");
        let filter = &browse.filter;
        assert_eq!(filter.statuses, [RequestStatus::Pending]);
        assert_eq!(filter.media_type, Some(MediaType::Tv));
        assert_eq!(filter.requested_by, Some(UserId(12)));
        assert_eq!(filter.source, Some(Platform::Discord));
        assert_eq!(
            filter.created_from.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-05-01T00:00:00Z")
        );
        assert_eq!(
            filter.created_before.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-06-01T00:00:00Z")
        );
        assert_eq!(filter.title.as_deref(), Some("dune"));
        assert_eq!(
            (browse.sort, browse.page, browse.per_page),
            (RequestSort::Title, 3, 20)
        );
        assert!(q.is_filtered());
        assert_eq!(
            q.link(Some(5)),
            "/requests?status=pending&type=tv&requester=%2312&source=discord&from=2024-05-01&to=2024-05-31&q=dune&sort=title&page=5"
        );
        assert_eq!(q.link(Some(1)), q.link(None), "page 1 is the plain link");
        assert!(q.here().ends_with("&page=3"));
        assert!(!q.with_status(None).link(None).contains("status="));
    }

    #[test]
    fn empty_fields_mean_no_filter_and_bad_ones_are_refused() {
        let empty = query(&[("status", ""), ("type", " "), ("page", ""), ("q", " ")]);
        let browse = empty.parse(50).expect("valid");
        let filter = &browse.filter;
        assert!(
            filter.statuses.is_empty() && filter.media_type.is_none() && filter.title.is_none()
        );
        assert_eq!((browse.page, browse.sort), (1, RequestSort::Newest));
        assert!(!empty.is_filtered());
        assert_eq!(empty.link(None), "/requests");
        for bad in [
            ("status", "lost"),
            ("type", "book"),
            ("requester", "alice"),
            ("source", "oidc"),
            ("from", "2024-13-01"),
            ("to", "yesterday"),
            ("page", "0"),
            ("page", "two"),
            ("sort", "random"),
        ] {
            assert!(query(&[bad]).parse(50).is_err(), "{bad:?}");
        }
    }
}
