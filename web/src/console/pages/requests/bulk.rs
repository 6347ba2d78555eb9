//! `POST /requests/bulk`: approve or decline the requests ticked in the list, in one core call
//! that decides each through the same approve/decline as a single press. A decline asks first
//! (the confirm page, which posts back with `confirmed=1`). The answer is a 303 back to the
//! list, whose query says how many were decided and which were not, and why, in a form a
//! crafted link cannot put words into (numbers and fixed reason keys only).

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Permission, RequestId};
use usher_core::service::{BulkDecision, BulkResult};

use super::actions::decline_reason;
use crate::console::page::Chrome;
use crate::console::pages::outcome::{OrRefused, PageError};
use crate::console::signed_in::{SignedIn, safe_next};
use crate::state::AppState;

/// Why a request was not decided, as the report names it.
const REASONS: [&str; 3] = ["decided", "missing", "other"];

/// POST /requests/bulk.
pub async fn decide(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let next = match field("next") {
        Some(next) if !next.is_empty() => safe_next(Some(next)),
        _ => "/requests".to_owned(),
    };
    let mut ids = Vec::new();
    for (_, raw) in fields.iter().filter(|(k, _)| k == "id") {
        let id = raw
            .trim()
            .parse::<i64>()
            .map_err(|_| CoreError::Validation(format!("{raw:?} is not a request id")));
        ids.push(RequestId(id.or_refused(&who.lang)?));
    }
    if ids.is_empty() {
        return Ok(back(&next, "bulk_error=none"));
    }
    let reason;
    let decision = match field("decision") {
        Some("approve") => BulkDecision::Approve,
        Some("decline") => {
            reason = decline_reason(&who.lang, field("preset"), field("reason"));
            if reason.is_empty() {
                return Ok(back(&next, "bulk_error=reason"));
            }
            if field("confirmed") != Some("1") {
                return Ok(confirm_first(&fields));
            }
            BulkDecision::Decline { reason: &reason }
        }
        other => {
            let err = CoreError::Validation(format!("no decision {other:?}"));
            return Err(err).or_refused(&who.lang);
        }
    };
    let results = state
        .services()
        .requests
        .decide_many(&who.actor, &ids, decision)
        .await
        .or_refused(&who.lang)?;
    Ok(back(&next, &report_query(&results)))
}

/// 303 to the list with the report's query appended.
fn back(next: &str, query: &str) -> Response {
    let joiner = if next.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{next}{joiner}{query}")).into_response()
}

/// 303 to the confirm page with the form's fields (never the CSRF token), marked confirmed.
fn confirm_first(fields: &[(String, String)]) -> Response {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("do", "/requests/bulk");
    for (name, value) in fields {
        if name != "_csrf" && name != "confirmed" {
            query.append_pair(name, value);
        }
    }
    query.append_pair("confirmed", "1");
    Redirect::to(&format!("/confirm?{}", query.finish())).into_response()
}

/// `decided=2&refused=12-decided.15-missing`: what the list shows after a bulk decision.
pub fn report_query(results: &[BulkResult]) -> String {
    let decided = results.iter().filter(|r| r.outcome.is_ok()).count();
    let refused: Vec<String> = results
        .iter()
        .filter_map(|r| {
            let err = r.outcome.as_ref().err()?;
            let why = match err {
                CoreError::AlreadyDecided { .. } | CoreError::IllegalTransition { .. } => "decided",
                CoreError::NotFound(_) => "missing",
                _ => "other",
            };
            Some(format!("{}-{why}", r.id))
        })
        .collect();
    let mut query = format!("decided={decided}");
    if !refused.is_empty() {
        query.push_str("&refused=");
        query.push_str(&refused.join("."));
    }
    query
}

/// The report's part of the list's query.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// Requests decided.
    pub decided: Option<String>,
    /// `id-reason` pairs joined by `.`.
    pub refused: Option<String>,
    /// `none` (nothing ticked) or `reason` (a decline without a reason).
    pub bulk_error: Option<String>,
}

/// One request a bulk decision could not decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Its page.
    pub url: String,
    /// `#12`.
    pub label: String,
    /// Why, localized.
    pub why: String,
}

/// What the list says after a bulk decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkReport {
    /// "3 requests decided." (empty when the whole call was refused).
    pub decided: String,
    /// The ones not decided.
    pub refused: Vec<Refused>,
    /// Why nothing was done, when the form itself was refused.
    pub error: Option<String>,
}

impl ReportQuery {
    /// The report, if the query carries one; malformed parts are ignored.
    pub fn report(&self, chrome: &Chrome) -> Option<BulkReport> {
        if let Some(kind) = self.bulk_error.as_deref() {
            let key = match kind {
                "none" => "console-bulk-none",
                "reason" => "console-bulk-no-reason",
                _ => return None,
            };
            return Some(BulkReport {
                decided: String::new(),
                refused: Vec::new(),
                error: Some(chrome.t(key)),
            });
        }
        let decided: u64 = self.decided.as_deref()?.parse().ok()?;
        let refused = self
            .refused
            .as_deref()
            .unwrap_or_default()
            .split('.')
            .filter_map(|pair| {
                let (id, why) = pair.split_once('-')?;
                let id: i64 = id.parse().ok()?;
                REASONS.contains(&why).then(|| Refused {
                    url: format!("/requests/{id}"),
                    label: format!("#{id}"),
                    why: chrome.t(&format!("console-bulk-refused-{why}")),
                })
            })
            .collect();
        let args = [("count", chrome.num(decided))];
        let text =
            crate::console::page::catalog().text(&chrome.lang, "console-bulk-decided", &args);
        Some(BulkReport {
            decided: text,
            refused,
            error: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::pages::test_support::chrome;

    #[test]
    fn the_report_round_trips_and_ignores_crafted_words() {
        let results = vec![
            BulkResult {
                id: RequestId(4),
                outcome: Err(CoreError::NotFound("request 4".into())),
            },
            BulkResult {
                id: RequestId(7),
                outcome: Err(CoreError::AlreadyDecided {
                    status: usher_core::domain::RequestStatus::Declined,
                    by: None,
                }),
            },
        ];
        let query = report_query(&results);
        assert_eq!(query, "decided=0&refused=4-missing.7-decided");
        let parsed = ReportQuery {
            decided: Some("0".into()),
            refused: Some("4-missing.7-decided.9-<script>.x-other".into()),
            bulk_error: None,
        };
        let report = parsed
            .report(&chrome("en-US", true, false))
            .expect("report");
        let labels: Vec<&str> = report.refused.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["#4", "#7"],
            "unknown reasons and bad ids are dropped"
        );
        assert_eq!(report.refused[1].url, "/requests/7");
        assert!(!report.refused[0].why.is_empty());
        let crafted = ReportQuery {
            bulk_error: Some("<b>hi</b>".into()),
            ..ReportQuery::default()
        };
        assert!(crafted.report(&chrome("en-US", true, false)).is_none());
        assert!(
            ReportQuery::default()
                .report(&chrome("en-US", true, false))
                .is_none()
        );
    }
}
