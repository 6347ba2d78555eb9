//! `GET /requests/{id}`: one request with everything around it — its facts, the people
//! following it, its audit trail — and the same decision forms as the list, from one core call
//! (`Services::request_dossier`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use usher_core::domain::{AuditEntry, Permission, RequestId, RequestStatus};
use usher_core::service::{PlacementChoices, RequestDetail, RequestDossier, TitleFacts};

use super::choice::Choice;
use super::picks::Picks;
use super::row::{RequestView, decline_presets};
use super::title_card::TitleCard;
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::pages::outcome::{self, NoticeQuery, OrRefused, PageError};
use crate::console::pages_setup::PagesSetup;
use crate::console::signed_in::SignedIn;
use crate::console::view;
use crate::state::AppState;

/// A label and its value in the facts table.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Localized label.
    pub label: String,
    /// Value.
    pub value: String,
}

/// Someone following the request.
#[derive(Debug, Clone)]
pub struct Follower {
    /// Display name.
    pub name: String,
    /// Their requests.
    pub url: String,
}

/// One audit row.
#[derive(Debug, Clone)]
pub struct TrailRow {
    /// When.
    pub when: String,
    /// Who (a name, or "Usher" for the system).
    pub who: String,
    /// Where from (`telegram`, `web 192.0.2.1`).
    pub source: String,
    /// What, localized.
    pub action: String,
    /// Status move, reason, error or instance.
    pub detail: String,
}

/// The request detail page.
#[derive(Template)]
#[template(path = "console/request.html")]
pub struct RequestPage {
    /// Frame.
    pub chrome: Chrome,
    /// The request as a row (title, status, actions).
    pub row: RequestView,
    /// Everything else worth knowing.
    pub facts: Vec<Fact>,
    /// Who else waits for it.
    pub followers: Vec<Follower>,
    /// What happened, newest first.
    pub trail: Vec<TrailRow>,
    /// Preset decline reasons.
    pub presets: Vec<Choice>,
    /// This page (actions come back here).
    pub here: String,
    /// What the last action did.
    pub notice: Option<String>,
    /// A refused decision, shown again beside its field.
    pub form: FormState,
    /// Poster, year, overview and links of the title (empty until [`RequestPage::with_title`]).
    pub title: TitleCard,
}

impl RequestPage {
    /// The page for a request's detail; `choices` fill the approve or retry form's pick
    /// lists.
    pub fn new(
        chrome: Chrome,
        setup: &PagesSetup,
        detail: &RequestDetail,
        choices: Option<&PlacementChoices>,
    ) -> Self {
        let request = &detail.request;
        let requester = detail.name(request.requested_by);
        let mut row = RequestView::new(&chrome, setup, request, &requester);
        if row.can_approve || row.can_retry {
            row.placement = choices.map(|c| Picks::new(&chrome, c, request));
        }
        let mut facts = vec![
            fact(
                &chrome,
                "console-fact-tmdb",
                request.media.tmdb_id.to_string(),
            ),
            fact(
                &chrome,
                "console-fact-source",
                text_or(
                    &chrome,
                    &format!("console-source-{}", request.source),
                    request.source.as_str(),
                ),
            ),
            fact(
                &chrome,
                "console-fact-updated",
                view::date_time(&chrome, request.updated_at),
            ),
        ];
        if let Some(tvdb) = request.media.tvdb_id {
            facts.push(fact(&chrome, "console-fact-tvdb", tvdb.get().to_string()));
        }
        if let Some(by) = request.decided_by {
            facts.push(fact(&chrome, "console-fact-decided-by", detail.name(by)));
        }
        let chosen = [
            ("console-fact-target", &request.target_instance),
            ("console-fact-profile", &request.target_profile),
            ("console-fact-root-folder", &request.target_root_folder),
        ];
        for (key, value) in chosen {
            if let Some(value) = value {
                facts.push(fact(&chrome, key, value.clone()));
            }
        }
        if let Some(upstream) = &request.upstream {
            let place = format!("{} #{}", upstream.instance, upstream.id);
            facts.push(fact(&chrome, "console-fact-upstream", place));
        }
        if request.retry_count > 0 {
            facts.push(fact(
                &chrome,
                "console-fact-retries",
                chrome.num(request.retry_count),
            ));
        }
        if !request.available_seasons.is_empty() && request.status != RequestStatus::Available {
            let held: Vec<String> = request
                .available_seasons
                .iter()
                .map(|s| format!("S{s}"))
                .collect();
            facts.push(fact(&chrome, "console-fact-available", held.join(", ")));
        }
        let followers = detail
            .followers
            .iter()
            .map(|user| Follower {
                name: detail.name(*user),
                url: format!("/requests?requester={user}"),
            })
            .collect();
        let trail = detail
            .trail
            .iter()
            .map(|e| trail_row(&chrome, detail, e))
            .collect();
        Self {
            presets: decline_presets(&chrome),
            here: row.url.clone(),
            row,
            facts,
            followers,
            trail,
            notice: None,
            form: FormState::default(),
            title: TitleCard::default(),
            chrome,
        }
    }

    /// The page of what [`usher_core::service::Services::request_dossier`] answered.
    pub fn of(chrome: Chrome, setup: &PagesSetup, found: &RequestDossier) -> Self {
        Self::new(chrome, setup, &found.detail, found.choices.as_ref()).with_title(&found.title)
    }

    /// The same page with the title's poster, overview and links.
    #[must_use]
    pub fn with_title(mut self, facts: &TitleFacts) -> Self {
        self.title = TitleCard::new(&self.chrome, facts);
        self
    }
}

fn fact(chrome: &Chrome, key: &str, value: String) -> Fact {
    Fact {
        label: chrome.t(key),
        value,
    }
}

/// A localized text, or `fallback` when the catalogue has no such key.
fn text_or(chrome: &Chrome, key: &str, fallback: &str) -> String {
    let text = chrome.t(key);
    if text == key {
        fallback.to_owned()
    } else {
        text
    }
}

fn trail_row(chrome: &Chrome, detail: &RequestDetail, entry: &AuditEntry) -> TrailRow {
    let who = entry.actor.map_or_else(
        || chrome.t("console-trail-system"),
        |user| detail.name(user),
    );
    let source = match &entry.source_detail {
        Some(more) => format!("{} {more}", entry.source),
        None => entry.source.clone(),
    };
    let status = |field: &str| {
        entry.details[field]
            .as_str()
            .map(|s| text_or(chrome, &format!("status-{s}"), s))
    };
    let mut parts = Vec::new();
    if let (Some(from), Some(to)) = (status("from"), status("to")) {
        parts.push(format!("{from} → {to}"));
    }
    for field in [
        "reason",
        "error",
        "instance",
        "quality_profile",
        "root_folder",
        "tags",
    ] {
        if let Some(value) = entry.details[field].as_str() {
            parts.push(value.to_owned());
        }
    }
    TrailRow {
        when: view::date_time(chrome, entry.at),
        who,
        source,
        action: text_or(
            chrome,
            &format!("console-trail-{}", entry.action),
            &entry.action,
        ),
        detail: parts.join(" · "),
    }
}

/// GET /requests/{id}.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Approve)?;
    let mut page = page(&state, &who, RequestId(id), None).await?;
    page.notice = outcome::notice(&page.chrome, query.notice.as_deref());
    Ok(render(&page)?.into_response())
}

/// The page of request `id`, with the pick lists of `instance` (else the request's own) when
/// it may be approved or retried.
async fn page(
    state: &AppState,
    who: &SignedIn,
    id: RequestId,
    instance: Option<&str>,
) -> Result<RequestPage, PageError> {
    let found = state
        .services()
        .request_dossier(&who.actor, id, instance, Some(&who.lang))
        .await
        .or_refused(&who.lang)?;
    Ok(RequestPage::of(
        Chrome::for_user(who),
        &state.console().pages,
        &found,
    ))
}

/// The request's page again with a refused decision on it (422): the message beside the field
/// at fault, the values as typed, the chosen instance, picks and preset still selected.
pub(super) async fn again(
    state: &AppState,
    who: &SignedIn,
    id: RequestId,
    form: FormState,
) -> Result<Response, PageError> {
    let instance = form.value("approve", "instance", "").to_owned();
    let chosen = Some(instance.as_str()).filter(|i| !i.is_empty());
    let mut page = page(state, who, id, chosen).await?;
    if !instance.is_empty() {
        for choice in &mut page.row.instances {
            choice.selected = choice.value == instance;
        }
    }
    if let Some(picks) = &mut page.row.placement {
        picks.keep_typed(&form, "approve");
        picks.keep_typed(&form, "retry");
    }
    let preset = form.value("decline", "preset", "").to_owned();
    for choice in &mut page.presets {
        choice.selected = choice.value == preset;
    }
    page.form = form;
    outcome::again(&page, &page.form)
}
