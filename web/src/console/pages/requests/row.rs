//! One request as the console shows it in a list row or at the top of its detail page: the
//! words and links, and which actions its status allows (core still decides on each action).

use usher_core::domain::{Request, RequestStatus};

use super::choice::Choice;
use super::picks::Picks;
use crate::console::page::Chrome;
use crate::console::pages_setup::PagesSetup;
use crate::console::view;

/// The words of a request row.
#[derive(Debug, Clone)]
pub struct RequestView {
    /// Request id.
    pub id: i64,
    /// Its detail page.
    pub url: String,
    /// `Dune (2021)`.
    pub title: String,
    /// `Movie` / `TV`.
    pub kind: String,
    /// `S1, S2` (TV).
    pub seasons: String,
    /// 4K copy.
    pub four_k: bool,
    /// Requester's display name.
    pub requester: String,
    /// The list of this requester's requests.
    pub requester_url: String,
    /// Localized status.
    pub status: String,
    /// CSS class of the status.
    pub status_class: &'static str,
    /// When it was made.
    pub created: String,
    /// The upstream's last error (failed, or approved and being retried).
    pub error: Option<String>,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// The requester's note for the approvers (askama escapes it).
    pub comment: Option<String>,
    /// The instance an approver sent it to.
    pub target_instance: Option<String>,
    /// Pending: may be approved.
    pub can_approve: bool,
    /// Pending or failed: may be declined.
    pub can_decline: bool,
    /// Failed: may be retried.
    pub can_retry: bool,
    /// Instances to approve it to (empty: no choice to make).
    pub instances: Vec<Choice>,
    /// The instance's quality profiles, root folders and tags to approve or retry with (the
    /// detail page offers them; the list does not).
    pub placement: Option<Picks>,
    /// A small poster through the console's image proxy (`None` without TMDB).
    pub poster: Option<String>,
}

impl RequestView {
    /// The row for a request made by `requester`.
    pub fn new(chrome: &Chrome, setup: &PagesSetup, request: &Request, requester: &str) -> Self {
        let pending = request.status == RequestStatus::Pending;
        let failed = request.status == RequestStatus::Failed;
        let targets = setup.instances_for(request.media.media_type);
        let instances = if pending && targets.len() > 1 {
            let automatic = Choice::new("", chrome.t("console-requests-instance-auto"), Some(""));
            std::iter::once(automatic)
                .chain(
                    targets
                        .iter()
                        .map(|name| Choice::new(name, (*name).to_owned(), None)),
                )
                .collect()
        } else {
            Vec::new()
        };
        Self {
            id: request.id.0,
            url: format!("/requests/{}", request.id),
            title: view::title(request),
            kind: view::media_type(chrome, request),
            seasons: view::seasons(request),
            four_k: request.four_k,
            requester: requester.to_owned(),
            requester_url: format!("/requests?requester={}", request.requested_by),
            status: view::status(chrome, request.status),
            status_class: view::status_class(request.status),
            created: view::date_time(chrome, request.created_at),
            error: request.last_error.clone().filter(|e| !e.is_empty()),
            decline_reason: request.decline_reason.clone(),
            comment: request.comment.clone(),
            target_instance: request.target_instance.clone(),
            can_approve: pending,
            can_decline: pending || failed,
            can_retry: failed,
            instances,
            placement: None,
            poster: None,
        }
    }

    /// The same row with a small poster, looked up by the proxy when the browser asks.
    #[must_use]
    pub fn with_poster(mut self, request: &Request) -> Self {
        let kind = request.media.media_type.as_str();
        self.poster = Some(format!("/img/poster/{kind}/{}/w92", request.media.tmdb_id));
        self
    }
}

/// Keys of the preset decline reasons, in the order the form offers them.
pub const DECLINE_PRESETS: [&str; 5] =
    ["available", "quality", "unreleased", "policy", "duplicate"];

/// The preset reasons as form options.
pub fn decline_presets(chrome: &Chrome) -> Vec<Choice> {
    std::iter::once(Choice::new(
        "",
        chrome.t("console-decline-preset-none"),
        Some(""),
    ))
    .chain(DECLINE_PRESETS.iter().map(|key| {
        Choice::new(
            key,
            chrome.t(&format!("console-decline-preset-{key}")),
            None,
        )
    }))
    .collect()
}
