//! Small formatting rules shared by the console pages, so every page writes dates, titles,
//! statuses and quotas the same way. Pure functions over core types; templates get strings.

use usher_core::domain::{QuotaLimit, QuotaScope, Request, RequestStatus, Timestamp};

use super::page::Chrome;

/// `May 13, 2024, 6:04 PM` in the page's language, UTC (the console does not know the reader's
/// time zone).
pub fn date_time(chrome: &Chrome, at: Timestamp) -> String {
    chrome.when(at)
}

/// `May 13, 2024` in the page's language, UTC.
pub fn date(chrome: &Chrome, at: Timestamp) -> String {
    chrome.day(at)
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

/// `S1, S2` for TV (`S02E05, S02E07` for single episodes); empty for a movie.
pub fn seasons(request: &Request) -> String {
    if !request.episodes.is_empty() {
        return request.episodes.to_string();
    }
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
        ("max", chrome.num(limit.max)),
        ("days", chrome.num(limit.days)),
    ];
    super::page::catalog().text(&chrome.lang, "console-quota-limit", &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_minutes_in_the_page_language() {
        let at = Timestamp(1_700_000_000_000);
        let en = Chrome::anonymous("en-US".into(), String::new());
        assert_eq!(date_time(&en, at), "Nov 14, 2023, 10:13 PM");
        assert_eq!(date(&en, at), "Nov 14, 2023");
        let de = Chrome::anonymous("de".into(), String::new());
        assert_eq!(date_time(&de, at), "14.11.2023, 22:13");
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
