//! `GET /`: the dashboard — what waits for a decision, what failed, requests per week as an SVG
//! chart, and (for approvers) how each upstream is doing.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use usher_core::domain::Timestamp;
use usher_core::integrations::health::{UpstreamState, UpstreamStatus};
use usher_core::service::dashboard::Overview;

use crate::console::chart::WeekChart;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::console::view;
use crate::error::WebError;
use crate::state::AppState;

/// A failed request on the dashboard.
#[derive(Debug, Clone)]
pub struct FailedRow {
    /// Its detail page.
    pub url: String,
    /// `Dune (2021)`.
    pub title: String,
    /// The upstream's last error.
    pub error: String,
    /// When it last changed.
    pub when: String,
}

/// One upstream's line.
#[derive(Debug, Clone)]
pub struct UpstreamRow {
    /// Service name.
    pub service: String,
    /// Localized state.
    pub state: String,
    /// CSS class for the state.
    pub class: &'static str,
    /// Version or failure reason.
    pub detail: String,
    /// When it was checked, if it was.
    pub checked: String,
}

/// The dashboard.
#[derive(Template)]
#[template(path = "console/dashboard.html")]
pub struct DashboardPage {
    /// Frame.
    pub chrome: Chrome,
    /// Whether the figures cover everyone (approvers) or the reader's own requests.
    pub everyone: bool,
    /// Requests waiting for a decision.
    pub pending: u64,
    /// Failed requests.
    pub failed: u64,
    /// The newest failed ones.
    pub failed_rows: Vec<FailedRow>,
    /// Requests per week.
    pub chart: WeekChart,
    /// Requests in the whole chart.
    pub chart_total: u64,
    /// Upstream health (approvers only; empty otherwise).
    pub upstreams: Vec<UpstreamRow>,
    /// Open issue reports, for approvers (`None`: not shown).
    pub open_issues: Option<i64>,
}

impl DashboardPage {
    /// The page for an overview and the upstream lines.
    pub fn new(chrome: Chrome, overview: &Overview, upstreams: &[UpstreamStatus]) -> Self {
        let failed_rows = overview
            .failed_recent
            .iter()
            .map(|r| FailedRow {
                url: format!("/requests/{}", r.id),
                title: view::title(r),
                error: r.last_error.clone().unwrap_or_default(),
                when: view::date_time(&chrome, r.updated_at),
            })
            .collect();
        let chart = WeekChart::new(&overview.weeks, chrome.rules(), |day, count| {
            let args = [("week", day.to_owned()), ("count", chrome.num(count))];
            crate::console::page::catalog().text(&chrome.lang, "console-dashboard-week", &args)
        });
        let upstreams = upstreams
            .iter()
            .map(|line| upstream_row(&chrome, line))
            .collect();
        Self {
            everyone: overview.everyone,
            pending: overview.pending,
            failed: overview.failed,
            failed_rows,
            chart_total: overview.weeks.iter().map(|w| w.requests).sum(),
            chart,
            upstreams,
            open_issues: None,
            chrome,
        }
    }
}

fn upstream_row(chrome: &Chrome, line: &UpstreamStatus) -> UpstreamRow {
    let (key, class) = match line.state {
        UpstreamState::Up => ("console-upstream-up", "ok"),
        UpstreamState::Down => ("console-upstream-down", "error"),
        UpstreamState::Unknown => ("console-upstream-unknown", "muted"),
        UpstreamState::NotConfigured => ("console-upstream-not-configured", "muted"),
    };
    UpstreamRow {
        service: line.service.to_owned(),
        state: chrome.t(key),
        class,
        detail: line.detail.clone(),
        checked: line
            .checked_at
            .map(|at| view::date_time(chrome, at))
            .unwrap_or_default(),
    }
}

/// GET /.
pub async fn dashboard(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    let services = state.services();
    let overview = services
        .dashboard
        .overview(&who.actor, Timestamp::now())
        .await?;
    let chrome = Chrome::for_user(&who);
    let health = state.console().pages.health.as_ref();
    let upstreams = match health {
        Some(health) if chrome.is_approver => health.snapshot().await,
        _ => Vec::new(),
    };
    let open_issues = if chrome.is_approver {
        Some(services.issues.count_open().await?)
    } else {
        None
    };
    let mut page = DashboardPage::new(chrome, &overview, &upstreams);
    page.open_issues = open_issues;
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::domain::{
        Media, MediaType, Platform, Request, RequestId, RequestStatus, Seasons, TmdbId, UserId,
    };
    use usher_core::service::dashboard::WeekCount;

    fn failed() -> Request {
        Request {
            id: RequestId(7),
            media: Media {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(1).expect("id"),
                tvdb_id: None,
                title: "<Dune>".into(),
                year: Some(2021),
            },
            seasons: Seasons::default(),
            future_seasons: false,
            four_k: false,
            status: RequestStatus::Failed,
            requested_by: UserId(1),
            source: Platform::Telegram,
            decided_by: None,
            decline_reason: None,
            last_error: Some("radarr: not reachable".into()),
            failure: None,
            retry_count: 5,
            available_seasons: Seasons::default(),
            upstream: None,
            target_instance: None,
            target_profile: None,
            target_root_folder: None,
            target_tags: None,
            created_at: Timestamp(1_700_000_000_000),
            updated_at: Timestamp(1_700_000_000_000),
        }
    }

    fn chrome(lang: &str, approver: bool) -> Chrome {
        Chrome {
            lang: lang.into(),
            csrf: "tok".into(),
            user: Some("Ada".into()),
            is_approver: approver,
            is_admin: false,
            here: String::new(),
        }
    }

    fn overview(everyone: bool) -> Overview {
        Overview {
            everyone,
            pending: 4,
            failed: 1,
            failed_recent: vec![failed()],
            weeks: (0..12)
                .map(|i| WeekCount {
                    starts: Timestamp(1_699_833_600_000 + i * 7 * 86_400_000),
                    requests: u64::try_from(i).expect("small"),
                })
                .collect(),
        }
    }

    #[test]
    fn an_approver_sees_links_the_chart_and_upstreams() {
        let upstreams = [
            UpstreamStatus {
                service: "Radarr",
                state: UpstreamState::Down,
                detail: "not reachable".into(),
                checked_at: Some(Timestamp(1_700_000_000_000)),
            },
            UpstreamStatus {
                service: "Plex",
                state: UpstreamState::NotConfigured,
                detail: String::new(),
                checked_at: None,
            },
        ];
        let page = DashboardPage::new(chrome("en-US", true), &overview(true), &upstreams);
        let html = page.render().expect("render");
        assert!(html.contains("href=\"/requests?status=pending\""), "{html}");
        assert!(html.contains("href=\"/requests?status=failed\""));
        assert!(html.contains("href=\"/requests/7\""));
        assert!(html.contains("&#60;Dune&#62; (2021)"), "titles are escaped");
        assert!(html.contains("radarr: not reachable"));
        assert_eq!(
            html.matches("<rect").count(),
            11,
            "one bar per non-empty week"
        );
        assert!(html.contains("<svg"));
        assert!(html.contains("Not configured"));
        assert!(html.contains("Down"));
        assert!(!html.contains("style="), "the CSP forbids inline styles");
        assert!(!crate::console::page::has_inline_script(&html));
    }

    #[test]
    fn a_member_sees_their_own_figures_without_links_or_upstreams() {
        let page = DashboardPage::new(chrome("de", false), &overview(false), &[]);
        let html = page.render().expect("render");
        assert!(!html.contains("href=\"/requests"), "{html}");
        assert!(!html.contains("Radarr"));
        assert!(html.contains("Deine Anfragen"), "{html}");
    }
}
