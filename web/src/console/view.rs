//! Small formatting rules shared by the console pages, so every page writes dates, titles,
//! statuses and quotas the same way. Pure functions over core types; templates get strings.

use usher_core::domain::{QuotaLimit, QuotaScope, Request, RequestStatus, Timestamp};

use super::page::Chrome;

/// `2024-05-13 18:04` in UTC (the console does not know the reader's time zone).
pub fn date_time(at: Timestamp) -> String {
    let text = at.to_rfc3339();
    match (text.get(..10), text.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => text,
    }
}

/// `2024-05-13` in UTC.
pub fn date(at: Timestamp) -> String {
    at.to_rfc3339().chars().take(10).collect()
}

/// The localized name of a status.
pub fn status(chrome: &Chrome, status: RequestStatus) -> String {
    chrome.t(&format!("status-{}", status.as_str()))
}

/// A CSS class per status, so the eye finds what needs attention.
pub fn status_class(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => "st-pending",
        RequestStatus::Failed => "st-failed",
        RequestStatus::Declined | RequestStatus::Cancelled => "st-closed",
        RequestStatus::Available | RequestStatus::PartiallyAvailable => "st-available",
        RequestStatus::Approved | RequestStatus::Submitted => "st-approved",
    }
}

/// The localized media type (`Movie`, `TV`).
pub fn media_type(chrome: &Chrome, request: &Request) -> String {
    chrome.t(&format!(
        "console-type-{}",
        request.media.media_type.as_str()
    ))
}

/// `Dune (2021)`, or the bare title when the year is unknown.
pub fn title(request: &Request) -> String {
    match request.media.year {
        Some(year) => format!("{} ({year})", request.media.title),
        None => request.media.title.clone(),
    }
}

/// `S1, S2` for TV; empty for a movie.
pub fn seasons(request: &Request) -> String {
    request
        .seasons
        .iter()
        .map(|s| format!("S{s}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The localized name of a quota counter (`Movies`, `TV seasons (4K)`).
pub fn scope(chrome: &Chrome, scope: QuotaScope) -> String {
    chrome.t(&format!("console-quota-{}", scope.key()))
}

/// `3 per 7 days`, localized.
pub fn limit(chrome: &Chrome, limit: QuotaLimit) -> String {
    let args = [
        ("max", limit.max.to_string()),
        ("days", limit.days.to_string()),
    ];
    super::page::catalog().text(&chrome.lang, "console-quota-limit", &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_minutes() {
        let at = Timestamp(1_700_000_000_000);
        assert_eq!(date_time(at), "2023-11-14 22:13");
        assert_eq!(date(at), "2023-11-14");
    }

    #[test]
    fn limits_read_naturally() {
        let chrome = Chrome::anonymous("en-US".into(), String::new());
        assert_eq!(
            limit(&chrome, QuotaLimit { max: 3, days: 7 }),
            "3 per 7 days"
        );
        assert_eq!(scope(&chrome, QuotaScope::ALL[3]), "TV seasons (4K)");
    }
}
