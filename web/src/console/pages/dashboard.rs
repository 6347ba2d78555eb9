//! `GET /`: the dashboard — what waits for a decision, what failed, requests per week as an SVG
//! chart, and (for approvers) how each upstream is doing.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use usher_core::domain::Timestamp;
use usher_core::integrations::health::{UpstreamState, UpstreamStatus};
use usher_core::service::dashboard::{LibrarySize, Overview};
use usher_core::store::request_browse::COUNT_CAP;

use super::audit::AuditRowView;

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

/// One status with how many requests are in it.
#[derive(Debug, Clone)]
pub struct StatusCount {
    /// Localized status.
    pub label: String,
    /// How many, as shown ("500+" past what is counted).
    pub figure: String,
    /// The list of them (approvers only).
    pub url: Option<String>,
    /// CSS class of the status.
    pub class: &'static str,
}

/// A pending request waiting for an approver.
#[derive(Debug, Clone)]
pub struct PendingRow {
    /// Its detail page.
    pub url: String,
    /// `Dune (2021)`.
    pub title: String,
    /// Who asked.
    pub requester: String,
    /// When.
    pub when: String,
}

/// The library index in a line.
#[derive(Debug, Clone)]
pub struct LibraryLine {
    /// "12,345 titles over 3 sources".
    pub size: String,
    /// "Last pass: …" or "No pass yet".
    pub last_pass: String,
    /// Sources whose last pass failed, when any did.
    pub stale: Option<String>,
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
    /// Requests per status.
    pub counts: Vec<StatusCount>,
    /// Pending requests, oldest first.
    pub pending_rows: Vec<PendingRow>,
    /// Whether more are pending than listed.
    pub more_pending: bool,
    /// Latest audit rows.
    pub activity: Vec<AuditRowView>,
    /// The library index (approvers, when one is configured).
    pub library: Option<LibraryLine>,
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
        let cockpit = &overview.cockpit;
        let counts = cockpit
            .counts
            .iter()
            .map(|(status, count)| StatusCount {
                label: view::status(&chrome, *status),
                figure: if *count > COUNT_CAP {
                    format!("{}+", chrome.num(COUNT_CAP))
                } else {
                    chrome.num(*count)
                },
                url: overview
                    .everyone
                    .then(|| format!("/requests?status={}", status.as_str())),
                class: view::status_class(*status),
            })
            .collect();
        let pending_rows = cockpit
            .pending
            .iter()
            .map(|r| PendingRow {
                url: format!("/requests/{}", r.id),
                title: view::title(r),
                requester: cockpit
                    .names
                    .get(&r.requested_by)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", r.requested_by)),
                when: view::date_time(&chrome, r.created_at),
            })
            .collect();
        let activity = cockpit
            .activity
            .iter()
            .map(|line| {
                let mut row = AuditRowView::of(line, &chrome);
                if !chrome.is_admin {
                    row.who_link = None;
                }
                row
            })
            .collect();
        let library = cockpit.library.map(|lib| library_line(&chrome, lib));
        Self {
            counts,
            more_pending: overview.pending > cockpit.pending.len() as u64,
            pending_rows,
            activity,
            library,
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

fn library_line(chrome: &Chrome, lib: LibrarySize) -> LibraryLine {
    let catalog = crate::console::page::catalog();
    let size = catalog.text(
        &chrome.lang,
        "console-dashboard-library-size",
        &[
            ("titles", chrome.num(lib.titles as u64)),
            ("sources", chrome.num(lib.sources as u64)),
        ],
    );
    let last_pass = match lib.last_pass {
        Some(at) => chrome.t1(
            "console-dashboard-library-last-pass",
            "when",
            &view::date_time(chrome, at),
        ),
        None => chrome.t("console-dashboard-library-no-pass"),
    };
    let stale = (lib.stale > 0).then(|| {
        catalog.text(
            &chrome.lang,
            "console-dashboard-library-stale",
            &[("count", chrome.num(lib.stale as u64))],
        )
    });
    LibraryLine {
        size,
        last_pass,
        stale,
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
    use usher_core::service::dashboard::{Cockpit, WeekCount};

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
            episodes: Default::default(),
            future_seasons: false,
            four_k: false,
            status: RequestStatus::Failed,
            requested_by: UserId(1),
            source: Platform::Telegram,
            decided_by: None,
            decline_reason: None,
            comment: None,
            last_error: Some("radarr: not reachable".into()),
            failure: None,
            retry_count: 5,
            available_seasons: Seasons::default(),
            upstream: None,
            target_instance: None,
            target_profile: None,
            target_root_folder: None,
            target_tags: None,
            target_series_type: None,
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
            cockpit: Cockpit {
                counts: vec![(RequestStatus::Pending, 4), (RequestStatus::Failed, 1_001)],
                pending: vec![pending()],
                names: [(UserId(1), "<Bob>".to_owned())].into(),
                activity: Vec::new(),
                library: Some(LibrarySize {
                    titles: 12_345,
                    sources: 3,
                    stale: 1,
                    last_pass: Some(Timestamp(1_700_000_000_000)),
                }),
            },
        }
    }

    fn pending() -> Request {
        Request {
            id: RequestId(8),
            status: RequestStatus::Pending,
            last_error: None,
            ..failed()
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
        assert!(
            html.contains("href=\"/requests/8\""),
            "pending approvals are listed"
        );
        assert!(
            html.contains("&#60;Bob&#62;"),
            "requester names are escaped"
        );
        assert!(html.contains("Titles: 12,345"), "{html}");
        assert!(
            html.contains("last pass failed: 1"),
            "a stale source is told"
        );
        assert!(html.contains("500+"), "a count past the cap says so");
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
        assert!(
            !html.contains("href=\"/requests?") && !html.contains("href=\"/requests/8"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/requests/new\""),
            "anyone may ask for a title"
        );
        assert!(!html.contains("Radarr"));
        assert!(html.contains("Deine Anfragen"), "{html}");
    }
}
