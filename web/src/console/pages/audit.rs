//! `GET /audit` (admins): the audit log, filtered by actor, action, target, source and dates,
//! newest first with keyset pages; `GET /audit.csv` exports the same filter. Read-only: the
//! console has no way to change a row.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;
use usher_core::domain::{AuditAction, Permission, Timestamp, UserId, audit::SOURCE_NAMES};
use usher_core::service::AuditCursor;
use usher_core::store::audit::{AuditFilter, AuditLine};

use super::audit_csv;
use crate::console::page::{Chrome, catalog, render};
use crate::console::signed_in::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// Rows per page.
const PAGE_SIZE: u32 = 50;
/// Longest filter text accepted.
const MAX_FILTER_CHARS: usize = 100;

/// The query of `/audit` and `/audit.csv`, as typed into the filter form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQuery {
    /// A user id, or part of a display name.
    #[serde(default)]
    pub actor: String,
    /// A stored action name.
    #[serde(default)]
    pub action: String,
    /// `request:42`, or a kind such as `request`.
    #[serde(default)]
    pub target: String,
    /// `system`, `cli`, `web`, `discord` or `telegram`.
    #[serde(default)]
    pub source: String,
    /// First day, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), included.
    #[serde(default)]
    pub to: String,
    /// Page cursor.
    #[serde(default)]
    pub after: String,
}

impl AuditQuery {
    /// The core filter, or a localized message for a bad date.
    pub fn filter(&self, lang: &str) -> Result<AuditFilter, WebError> {
        let text = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.chars().take(MAX_FILTER_CHARS).collect::<String>())
        };
        let mut filter = AuditFilter {
            action: text(&self.action),
            target: text(&self.target),
            source: text(&self.source),
            ..AuditFilter::default()
        };
        match text(&self.actor) {
            Some(id) if id.chars().all(|c| c.is_ascii_digit()) => {
                filter.actor = id.parse().ok().map(UserId);
            }
            name => filter.actor_name = name,
        }
        let day = |field: &str| -> Result<Option<i64>, WebError> {
            let Some(raw) = text(field) else {
                return Ok(None);
            };
            day_start(&raw).map(Some).ok_or_else(|| {
                WebError::BadRequest(catalog().text(
                    lang,
                    "console-audit-bad-date",
                    &[("value", raw.clone())],
                ))
            })
        };
        filter.from = day(&self.from)?.map(Timestamp);
        filter.before = day(&self.to)?.map(|start| Timestamp(start + DAY_MILLIS));
        Ok(filter)
    }

    /// The cursor, if any.
    fn cursor(&self) -> Result<Option<AuditCursor>, WebError> {
        match self.after.trim() {
            "" => Ok(None),
            raw => Ok(Some(AuditCursor::parse(raw)?)),
        }
    }

    /// The filters as a query string (without the cursor), for the CSV link and the next page.
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
            ("source", &self.source),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.trim().is_empty() {
                out.append_pair(name, value.trim());
            }
        }
        out.finish()
    }
}

const DAY_MILLIS: i64 = 86_400_000;

/// Milliseconds at 00:00 UTC of a `YYYY-MM-DD` day.
fn day_start(raw: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw, &format).ok()?;
    let seconds = date.midnight().assume_utc().unix_timestamp();
    seconds.checked_mul(1000)
}

/// `May 1, 2024, 12:30:00 PM UTC`, in the page's language (the CSV export keeps RFC 3339).
pub fn when(chrome: &Chrome, at: Timestamp) -> String {
    format!("{} UTC", chrome.rules().date_time_seconds(at))
}

/// One option of a filter drop-down.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

/// One audit row as shown.
#[derive(Debug, Clone)]
pub struct AuditRowView {
    /// When, in UTC.
    pub when: String,
    /// Who: the user's name, `#id` for a user merged away, or "System".
    pub who: String,
    /// Link to the user, when there is one.
    pub who_link: Option<String>,
    /// From where: the source's label.
    pub source: String,
    /// Platform user id or IP.
    pub source_detail: Option<String>,
    /// What: the action's label.
    pub action: String,
    /// To what.
    pub target: String,
    /// Link to the request or user page.
    pub target_link: Option<String>,
    /// Before → after, when the row records a change.
    pub change: Option<(String, String)>,
    /// Any other details, as compact JSON.
    pub extra: Option<String>,
}

impl AuditRowView {
    /// Builds the view of a row in a language.
    pub fn of(line: &AuditLine, chrome: &Chrome) -> Self {
        let entry = &line.entry;
        let who = match (&line.actor_name, entry.actor) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => chrome.t("console-audit-system"),
        };
        let (change, extra) = describe_details(&entry.details);
        Self {
            when: when(chrome, entry.at),
            who,
            who_link: entry.actor.map(|id| format!("/users/{id}")),
            source: source_label(chrome, &entry.source),
            source_detail: entry.source_detail.clone(),
            action: action_label(chrome, &entry.action),
            target: entry.target.clone(),
            target_link: target_link(&entry.target),
            change,
            extra,
        }
    }
}

fn action_label(chrome: &Chrome, action: &str) -> String {
    match AuditAction::parse(action) {
        Some(known) => chrome.t(&format!("console-audit-action-{}", known.as_str())),
        None => action.to_owned(),
    }
}

fn source_label(chrome: &Chrome, source: &str) -> String {
    if SOURCE_NAMES.contains(&source) {
        chrome.t(&format!("console-audit-source-{source}"))
    } else {
        source.to_owned()
    }
}

/// `/requests/42` for `request:42`, `/users/7` for `user:7`.
pub fn target_link(target: &str) -> Option<String> {
    let (kind, id) = target.split_once(':')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    match kind {
        "request" => Some(format!("/requests/{id}")),
        "user" => Some(format!("/users/{id}")),
        _ => None,
    }
}

/// Splits details into before → after (`from`/`to` of a status change, `before`/`after` of a
/// setting) and the rest.
pub fn describe_details(details: &Value) -> (Option<(String, String)>, Option<String>) {
    let Some(map) = details.as_object() else {
        return (None, Some(details.to_string()).filter(|s| s != "null"));
    };
    let pair = [("from", "to"), ("before", "after")]
        .into_iter()
        .find(|(a, b)| map.contains_key(*a) || map.contains_key(*b));
    let change = pair.map(|(a, b)| (shown(map.get(a)), shown(map.get(b))));
    let rest: serde_json::Map<String, Value> = map
        .iter()
        .filter(|(k, _)| pair.is_none_or(|(a, b)| k.as_str() != a && k.as_str() != b))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let extra = (!rest.is_empty()).then(|| Value::Object(rest).to_string());
    (change, extra)
}

fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "–".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The audit page.
#[derive(Template)]
#[template(path = "console/audit.html")]
pub struct AuditPage {
    /// Frame.
    pub chrome: Chrome,
    /// The filter as typed.
    pub query: AuditQuery,
    /// Action drop-down.
    pub actions: Vec<Choice>,
    /// Source drop-down.
    pub sources: Vec<Choice>,
    /// Rows, newest first.
    pub rows: Vec<AuditRowView>,
    /// Link to the next (older) page.
    pub next: Option<String>,
    /// Whether this is a later page (offers a link back to the newest).
    pub paged: bool,
    /// Link to the CSV export of this filter.
    pub csv: String,
    /// Link to the first page of this filter.
    pub first: String,
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

impl AuditPage {
    /// Builds the page for a filter and one page of rows.
    pub fn new(
        chrome: Chrome,
        query: AuditQuery,
        lines: &[AuditLine],
        next: Option<AuditCursor>,
    ) -> Self {
        let actions = std::iter::once(Choice {
            value: String::new(),
            label: chrome.t("console-audit-any"),
            selected: query.action.trim().is_empty(),
        })
        .chain(AuditAction::ALL.iter().map(|a| Choice {
            value: a.as_str().to_owned(),
            label: action_label(&chrome, a.as_str()),
            selected: query.action.trim() == a.as_str(),
        }))
        .collect();
        let sources = std::iter::once(Choice {
            value: String::new(),
            label: chrome.t("console-audit-any"),
            selected: query.source.trim().is_empty(),
        })
        .chain(SOURCE_NAMES.iter().map(|s| Choice {
            value: (*s).to_owned(),
            label: source_label(&chrome, s),
            selected: query.source.trim() == *s,
        }))
        .collect();
        let rows = lines.iter().map(|l| AuditRowView::of(l, &chrome)).collect();
        let filters = query.query_string();
        let next = next.map(|cursor| {
            let sep = if filters.is_empty() { "" } else { "&" };
            format!("/audit?{filters}{sep}after={}", cursor.encode())
        });
        Self {
            paged: !query.after.trim().is_empty(),
            csv: with_query("/audit.csv", &filters),
            first: with_query("/audit", &filters),
            chrome,
            query,
            actions,
            sources,
            rows,
            next,
        }
    }
}

/// GET /audit.
pub async fn audit_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let filter = query.filter(&who.lang)?;
    let page = services
        .audit
        .list(&who.actor, &filter, query.cursor()?, PAGE_SIZE)
        .await?;
    let view = AuditPage::new(Chrome::for_user(&who), query, &page.items, page.next);
    Ok(render(&view)?.into_response())
}

/// GET /audit.csv: every row of the filter (up to [`audit_csv::MAX_ROWS`]), as CSV.
pub async fn audit_csv(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    who.require(Permission::Admin)?;
    let services = state.services();
    let filter = query.filter(&who.lang)?;
    let mut out = audit_csv::header();
    let mut cursor = None;
    let mut rows = 0;
    loop {
        let page = services
            .audit
            .list(
                &who.actor,
                &filter,
                cursor,
                usher_core::service::audit::MAX_PAGE,
            )
            .await?;
        for line in &page.items {
            audit_csv::push_row(&mut out, line);
        }
        rows += page.items.len();
        match page.next {
            Some(next) if rows < audit_csv::MAX_ROWS => cursor = Some(next),
            _ => break,
        }
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"usher-audit.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests;
