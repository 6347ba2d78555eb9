//! What both fake apps share for the library index: the download queue (`/api/v3/queue`, paged
//! with `page`/`pageSize` and answered with `totalRecords`, as `QueueResourcePagingResource`)
//! and the history (`/api/v3/history/since?date=`), plus the library edits tests make (a file
//! arriving, a title deleted).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{App, Shared, lock, now_iso};

/// Queue entries and history events of one fake app.
#[derive(Debug, Default)]
pub(crate) struct Downloads {
    pub queue: Vec<Value>,
    pub history: Vec<Value>,
    next: i64,
}

impl Downloads {
    /// Queues a download for the title with this app id (`movieId` or `seriesId`).
    pub(crate) fn enqueue(
        &mut self,
        field: &str,
        title_id: i64,
        size: f64,
        left: f64,
        eta: Option<&str>,
        status: &str,
    ) {
        self.next += 1;
        let tracked = if status == "downloading" || status == "queued" {
            "downloading"
        } else {
            "importPending"
        };
        let mut record = json!({
            "id": self.next, field: title_id, "title": format!("Release.{title_id}"),
            "size": size, "sizeleft": left, "status": status,
            "trackedDownloadStatus": "ok", "trackedDownloadState": tracked,
            "statusMessages": [], "downloadId": format!("SABnzbd_nzo_{}", self.next),
            "protocol": "usenet", "downloadClient": "SABnzbd", "indexer": "NZBgeek",
            "added": now_iso(),
        });
        if let Some(eta) = eta {
            record["estimatedCompletionTime"] = json!(eta);
        }
        self.queue.push(record);
    }

    /// Records a history event for the title with this app id.
    pub(crate) fn event(&mut self, field: &str, title_id: i64, event: &str) {
        self.next += 1;
        self.history.push(json!({
            "id": self.next, field: title_id, "sourceTitle": format!("Release.{title_id}"),
            "date": now_iso(), "eventType": event, "data": {},
        }));
    }
}

/// `GET /api/v3/queue`.
pub(crate) async fn queue<S: App>(
    State(state): State<Shared<S>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let number = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.parse::<usize>())
    };
    let (page, size) = match (number("page"), number("pageSize")) {
        (Some(Err(_)), _) | (_, Some(Err(_))) => return StatusCode::BAD_REQUEST.into_response(),
        (page, size) => (
            page.and_then(Result::ok).unwrap_or(1).max(1),
            size.and_then(Result::ok).unwrap_or(10).max(1),
        ),
    };
    let mut guard = lock(&state);
    let all = &guard.downloads().queue;
    let from = ((page - 1) * size).min(all.len());
    let to = (from + size).min(all.len());
    Json(json!({
        "page": page, "pageSize": size, "sortKey": "timeleft", "sortDirection": "ascending",
        "totalRecords": all.len(), "records": all[from..to],
    }))
    .into_response()
}

/// `GET /api/v3/history/since?date=`.
pub(crate) async fn history_since<S: App>(
    State(state): State<Shared<S>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(date) = query
        .iter()
        .find(|(k, _)| k == "date")
        .map(|(_, v)| v.clone())
    else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "date is required" })),
        )
            .into_response();
    };
    let Ok(since) = OffsetDateTime::parse(&date, &Rfc3339) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "invalid date" })),
        )
            .into_response();
    };
    let mut guard = lock(&state);
    let events: Vec<Value> = guard
        .downloads()
        .history
        .iter()
        .filter(|e| {
            e["date"]
                .as_str()
                .and_then(|d| OffsetDateTime::parse(d, &Rfc3339).ok())
                .is_some_and(|d| d >= since)
        })
        .cloned()
        .collect();
    Json(Value::Array(events)).into_response()
}
