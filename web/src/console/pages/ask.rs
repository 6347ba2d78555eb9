//! `/requests/new`: asking for a title from the console, for yourself or — admins — on behalf
//! of a member. Search TMDB (`GET /requests/new?q=`), pick a title
//! (`GET /requests/new/{type}/{id}`: poster, overview, seasons, the member), and ask
//! (`POST` to the same address), which core runs through the chats' own request call. A
//! refusal (over quota, no season, TMDB down) comes back on the form beside its field.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{MediaType, Permission, Seasons, TmdbId, UserId};
use usher_core::integrations::tmdb::SeasonChoice;
use usher_core::service::{Ask, AskHit, AskTitle, OutcomeKind};

use super::outcome::{self, OrRefused, PageError, form_refusal};
use super::requests::Choice;
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// A search result or the chosen title, as the pages show it.
#[derive(Debug, Clone)]
pub struct HitView {
    /// `Dune (2021)`.
    pub heading: String,
    /// "Movie" / "TV".
    pub kind: String,
    /// TMDB's synopsis.
    pub overview: String,
    /// The poster through the image proxy.
    pub poster: Option<String>,
    /// The title's ask form.
    pub url: String,
}

impl HitView {
    fn new(chrome: &Chrome, hit: &AskHit, size: &str) -> Self {
        let kind = hit.media_type.as_str();
        Self {
            heading: match hit.year {
                Some(year) => format!("{} ({year})", hit.title),
                None => hit.title.clone(),
            },
            kind: chrome.t(&format!("console-type-{kind}")),
            overview: hit.overview.clone(),
            poster: hit.poster.as_ref().map(|f| format!("/img/tmdb/{size}/{f}")),
            url: format!("/requests/new/{kind}/{}", hit.tmdb),
        }
    }
}

/// The search page.
#[derive(Template)]
#[template(path = "console/ask.html")]
pub struct AskPage {
    /// Frame.
    pub chrome: Chrome,
    /// The search as typed.
    pub search: String,
    /// Movie / TV / either.
    pub kinds: Vec<Choice>,
    /// The results (empty before a search).
    pub hits: Vec<HitView>,
    /// Whether a search ran (so "nothing found" can be told).
    pub searched: bool,
    /// What the last ask did.
    pub notice: Option<String>,
    /// A refused search, beside its field.
    pub form: FormState,
}

/// One season's checkbox.
#[derive(Debug, Clone)]
pub struct SeasonBox {
    /// Season number.
    pub number: u16,
    /// "Season 1 · 8 episodes".
    pub label: String,
    /// Ticked.
    pub checked: bool,
}

/// The ask form for one title.
#[derive(Template)]
#[template(path = "console/ask_title.html")]
pub struct AskTitlePage {
    /// Frame.
    pub chrome: Chrome,
    /// The title.
    pub title: HitView,
    /// Where the form posts.
    pub action: String,
    /// Seasons to pick (shows).
    pub seasons: Vec<SeasonBox>,
    /// Members an admin may ask for (empty: asks for themselves only).
    pub members: Vec<Choice>,
    /// A refused ask, beside its field.
    pub form: FormState,
}

/// Query of `/requests/new`.
#[derive(Debug, Default, Deserialize)]
pub struct AskQuery {
    /// The search.
    pub q: Option<String>,
    /// `movie`, `tv` or empty.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// What the last ask did.
    pub notice: Option<String>,
}

fn kinds(chrome: &Chrome, current: Option<&str>) -> Vec<Choice> {
    let current = Some(current.unwrap_or(""));
    [
        ("", "console-filter-any-type"),
        ("movie", "console-type-movie"),
        ("tv", "console-type-tv"),
    ]
    .iter()
    .map(|(value, key)| Choice::new(value, chrome.t(key), current))
    .collect()
}

/// GET /requests/new.
pub async fn search(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AskQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Request)?;
    let chrome = Chrome::for_user(&who);
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let kind = query.kind.as_deref().filter(|k| !k.is_empty());
    let mut page = AskPage {
        kinds: kinds(&chrome, kind),
        search: text.clone(),
        hits: Vec::new(),
        searched: false,
        notice: outcome::notice(&chrome, query.notice.as_deref()),
        form: FormState::default(),
        chrome,
    };
    if text.is_empty() {
        return Ok(render(&page)?.into_response());
    }
    let media_type = kind
        .map(str::parse::<MediaType>)
        .transpose()
        .or_refused(&who.lang)?;
    let asks = &state.services().asks;
    match asks
        .search(&who.actor, &text, media_type, Some(&who.lang))
        .await
    {
        Ok(hits) => {
            page.searched = true;
            page.hits = hits
                .iter()
                .map(|h| HitView::new(&page.chrome, h, "w92"))
                .collect();
            Ok(render(&page)?.into_response())
        }
        Err(err) => {
            let (status, message) = form_refusal(&who.lang, err)?;
            page.form =
                FormState::invalid("search", "q", message, &[("q", &text)]).with_status(status);
            outcome::again(&page, &page.form)
        }
    }
}

/// The title's address parts, checked.
fn title_of(kind: &str, id: i64) -> Result<(MediaType, TmdbId), CoreError> {
    Ok((kind.parse::<MediaType>()?, TmdbId::parse(id)?))
}

async fn title_page(
    state: &AppState,
    who: &SignedIn,
    (media_type, id): (MediaType, TmdbId),
    form: FormState,
) -> Result<Response, PageError> {
    let asks = &state.services().asks;
    let title: AskTitle = asks
        .title(&who.actor, media_type, id, Some(&who.lang))
        .await
        .or_refused(&who.lang)?;
    let members = asks.members(&who.actor).await.or_refused(&who.lang)?;
    let chrome = Chrome::for_user(who);
    let came_back = form.came_back("ask");
    let ticked: Vec<String> = form
        .value("ask", "seasons", "")
        .split(',')
        .map(str::to_owned)
        .collect();
    let seasons = title
        .seasons
        .iter()
        .map(|s| SeasonBox {
            number: s.number,
            label: crate::console::page::catalog().text(
                &chrome.lang,
                "console-ask-season",
                &[
                    ("name", s.name.clone()),
                    ("episodes", chrome.num(u64::from(s.episodes))),
                ],
            ),
            checked: !came_back || ticked.contains(&s.number.to_string()),
        })
        .collect();
    let member = form.value("ask", "member", "").to_owned();
    let members = if members.is_empty() {
        Vec::new()
    } else {
        std::iter::once(Choice::new(
            "",
            chrome.t("console-ask-for-me"),
            Some(&member),
        ))
        .chain(members.iter().map(|(id, name)| {
            Choice::new(&id.to_string(), format!("{name} (#{id})"), Some(&member))
        }))
        .collect()
    };
    let page = AskTitlePage {
        title: HitView::new(&chrome, &title.hit, "w185"),
        action: format!("/requests/new/{}/{id}", media_type.as_str()),
        seasons,
        members,
        form,
        chrome,
    };
    outcome::again(&page, &page.form)
}

/// GET /requests/new/{type}/{id}.
pub async fn title(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    who.require(Permission::Request)?;
    let title = title_of(&kind, id).or_refused(&who.lang)?;
    title_page(&state, &who, title, FormState::default()).await
}

/// POST /requests/new/{type}/{id}.
pub async fn ask(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Request)?;
    let (media_type, tmdb) = title_of(&kind, id).or_refused(&who.lang)?;
    let member_raw = fields
        .iter()
        .find(|(k, _)| k == "member")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let picked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "season")
        .map(|(_, v)| v.as_str())
        .collect();
    let kept = picked.join(",");
    let values = [("member", member_raw.as_str()), ("seasons", kept.as_str())];
    let refuse = |field: &str, err: CoreError| -> Result<FormState, PageError> {
        let (status, message) = form_refusal(&who.lang, err)?;
        Ok(FormState::invalid("ask", field, message, &values).with_status(status))
    };
    let on_behalf = match member_raw.trim_start_matches('#') {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) => Some(UserId(id)),
            Err(_) => {
                let err = CoreError::Validation(format!("{member_raw:?} is not a user id"));
                let form = refuse("member", err)?;
                return title_page(&state, &who, (media_type, tmdb), form).await;
            }
        },
    };
    let seasons = match media_type {
        MediaType::Movie => SeasonChoice::All,
        MediaType::Tv => {
            let mut numbers = Vec::new();
            for raw in &picked {
                match raw.parse::<u16>() {
                    Ok(n) if n > 0 => numbers.push(n),
                    _ => {
                        let err = CoreError::Validation(format!("{raw:?} is not a season"));
                        let form = refuse("seasons", err)?;
                        return title_page(&state, &who, (media_type, tmdb), form).await;
                    }
                }
            }
            SeasonChoice::These(Seasons::new(numbers))
        }
    };
    let ask = Ask {
        on_behalf,
        media_type,
        tmdb,
        seasons,
    };
    match state.services().asks.ask(&who.actor, ask).await {
        Ok(done) => {
            let notice = match done.kind {
                OutcomeKind::Created => "requested",
                OutcomeKind::AutoApproved => "auto-approved",
                OutcomeKind::Followed => "followed",
            };
            let to = if who.permissions.allows(Permission::Approve) {
                format!("/requests/{}?notice={notice}", done.request.id)
            } else {
                format!("/requests/new?notice={notice}")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(err) => {
            let field = match &err {
                CoreError::Validation(m) if m.contains("season") => "seasons",
                CoreError::Validation(m) if m.contains("user") => "member",
                _ => "",
            };
            let form = refuse(field, err)?;
            title_page(&state, &who, (media_type, tmdb), form).await
        }
    }
}
