//! `/requests/new`: asking for a title from the console, for yourself or — admins — on behalf
//! of a member. Search TMDB (`GET /requests/new?q=`), pick a title
//! (`GET /requests/new/{type}/{id}`: poster, overview, seasons, 4K, the member — see
//! [`super::ask_form`]), and ask (`POST` to the same address), which core runs through the
//! chats' own request call. A refusal (over quota, no season, 4K not allowed, TMDB down)
//! comes back on the form beside its field.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{MediaType, Permission, Seasons, TmdbId, UserId};
use usher_core::integrations::tmdb::SeasonChoice;
use usher_core::service::{Ask, MemberQuery, OutcomeKind};

use super::ask_form::{AskFields, AskTitlePage, HitView};
use super::outcome::{self, OrRefused, PageError, form_refusal};
use super::requests::Choice;
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

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
    who.require(Permission::RequestMovie)
        .or_else(|_| who.require(Permission::RequestTv))?;
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

/// The title's ask form with the fields as they are and any refusal: one core call, and on a
/// refused member search the form again without it, the refusal beside the search field.
async fn title_page(
    state: &AppState,
    who: &SignedIn,
    (media_type, id): (MediaType, TmdbId),
    fields: AskFields,
    form: FormState,
) -> Result<Response, PageError> {
    let asks = &state.services().asks;
    let lang = Some(who.lang.as_str());
    let title = (media_type, id);
    let (found, form) = match asks
        .form(&who.actor, title, lang, &fields.member_query())
        .await
    {
        Ok(found) => (found, form),
        Err(err @ CoreError::Validation(_)) if !fields.who.is_empty() => {
            let (status, message) = form_refusal(&who.lang, err)?;
            let refused = FormState::invalid("members", "who", message, &[]).with_status(status);
            let everyone = MemberQuery::default();
            let found = asks.form(&who.actor, title, lang, &everyone).await;
            (found.or_refused(&who.lang)?, refused)
        }
        Err(err) => return Err(outcome::refused(&who.lang, err)),
    };
    let action = format!("/requests/new/{}/{id}", media_type.as_str());
    let page = AskTitlePage::new(Chrome::for_user(who), action, &found, fields).refused(form);
    outcome::again(&page, &page.form)
}

/// GET /requests/new/{type}/{id}: the form; its query carries the member search and the
/// seasons and 4K as they were when the search ran.
pub async fn title(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::RequestMovie)
        .or_else(|_| who.require(Permission::RequestTv))?;
    let title = title_of(&kind, id).or_refused(&who.lang)?;
    let fields = AskFields::parse(&pairs);
    title_page(&state, &who, title, fields, FormState::default()).await
}

/// The field a refused ask is about, and its message (a 4K the asking person may not have
/// is told beside the 4K box, not as a bare 403 page).
fn refusal_of(lang: &str, err: CoreError, four_k: bool) -> Result<FormState, PageError> {
    let field = match &err {
        CoreError::Forbidden(m) if four_k && m.contains("Request4k") => {
            let message = crate::console::page::catalog().text(lang, "console-ask-4k-refused", &[]);
            return Ok(FormState::invalid("ask", "four_k", message, &[]).with_status(403));
        }
        CoreError::Validation(m) if m.contains("4K") => "four_k",
        CoreError::Validation(m) if m.contains("season") => "seasons",
        CoreError::Validation(m) if m.starts_with("note") => "note",
        CoreError::Validation(m) if m.contains("user") => "member",
        _ => "",
    };
    let (status, message) = form_refusal(lang, err)?;
    Ok(FormState::invalid("ask", field, message, &[]).with_status(status))
}

/// The ask as core takes it, or the field at fault.
fn ask_of(
    (media_type, tmdb): (MediaType, TmdbId),
    fields: &AskFields,
) -> Result<Ask, (&'static str, CoreError)> {
    let on_behalf = match fields.member.trim_start_matches('#') {
        "" => None,
        raw => Some(UserId(raw.parse::<i64>().map_err(|_| {
            let why = format!("{:?} is not a user id", fields.member);
            ("member", CoreError::Validation(why))
        })?)),
    };
    let seasons = match media_type {
        MediaType::Movie => SeasonChoice::All,
        MediaType::Tv => {
            let mut numbers = Vec::new();
            for raw in fields.seasons.iter().flatten() {
                match raw.parse::<u16>() {
                    Ok(n) if n > 0 => numbers.push(n),
                    _ => {
                        let err = CoreError::Validation(format!("{raw:?} is not a season"));
                        return Err(("seasons", err));
                    }
                }
            }
            SeasonChoice::These(Seasons::new(numbers))
        }
    };
    Ok(Ask {
        on_behalf,
        media_type,
        tmdb,
        seasons,
        four_k: fields.four_k,
    })
}

/// POST /requests/new/{type}/{id}.
pub async fn ask(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::RequestMovie)
        .or_else(|_| who.require(Permission::RequestTv))?;
    let title = title_of(&kind, id).or_refused(&who.lang)?;
    let mut fields = AskFields::parse(&pairs);
    fields.seasons.get_or_insert_with(Vec::new);
    let ask = match ask_of(title, &fields) {
        Ok(ask) => ask,
        Err((field, err)) => {
            let (status, message) = form_refusal(&who.lang, err)?;
            let form = FormState::invalid("ask", field, message, &[]).with_status(status);
            return title_page(&state, &who, title, fields, form).await;
        }
    };
    let note = Some(fields.note.as_str()).filter(|n| !n.is_empty());
    match state.services().asks.ask_noted(&who.actor, ask, note).await {
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
            let form = refusal_of(&who.lang, err, fields.four_k)?;
            title_page(&state, &who, title, fields, form).await
        }
    }
}
