//! `/settings/places` (admins): places — a Telegram group chat or a Discord server with a
//! voting threshold and a budget shared by everyone requesting from there. Listed, added,
//! edited (each field's problem shown beside it, nothing saved until all are right) and
//! removed after a confirmation; core validates and audits. `[[place]]` entries of usher.toml
//! are applied at every start, so an edit of one lasts until the next start.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use usher_core::domain::{Permission, Place, PlaceInput, PlaceKey, PlaceProblem};

use super::outcome::{self, NoticeQuery, OrRefused, PageError, done};
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// Where the page lives.
const HERE: &str = "/settings/places";

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(HERE, get(page).post(submit))
        .route("/settings/places/remove", post(remove))
}

/// One place's form (or the add form), as typed.
#[derive(Debug, Clone, Default)]
pub struct PlaceView {
    /// `new`, or the stored key (form ids, anchors).
    pub id: String,
    /// The stored key it edits.
    pub previous: Option<String>,
    /// `telegram` or `discord`.
    pub platform: String,
    /// The chat or server id.
    pub chat: String,
    /// Votes that approve.
    pub threshold: String,
    /// Budget: movies.
    pub movies: String,
    /// Budget: seasons.
    pub seasons: String,
    /// Budget: window in days.
    pub days: String,
    /// Each field's problem, in the reader's language: (field, text).
    pub problems: Vec<(String, String)>,
    /// The number fields as the form shows them (filled by [`PlaceView::labelled`]).
    pub fields: Vec<FieldView>,
}

impl PlaceView {
    fn of(place: &Place) -> Self {
        let input = PlaceInput::from(place);
        let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let (platform, chat) = match place.key {
            PlaceKey::TelegramChat(id) => ("telegram", id.to_string()),
            PlaceKey::DiscordGuild(id) => ("discord", id.to_string()),
        };
        Self {
            id: place.key.stored(),
            previous: Some(place.key.stored()),
            platform: platform.to_owned(),
            chat,
            threshold: text(input.threshold),
            movies: text(input.movies),
            seasons: text(input.seasons),
            days: text(input.days),
            problems: Vec::new(),
            fields: Vec::new(),
        }
    }

    fn blank() -> Self {
        Self {
            id: "new".into(),
            platform: "telegram".into(),
            ..Self::default()
        }
    }

    /// The view with its number fields in form order, each with its label and problem.
    fn labelled(mut self, chrome: &Chrome) -> Self {
        self.fields = [
            ("chat", &self.chat),
            ("threshold", &self.threshold),
            ("movies", &self.movies),
            ("seasons", &self.seasons),
            ("days", &self.days),
        ]
        .into_iter()
        .map(|(name, value)| FieldView {
            name,
            label: chrome.t(&format!("console-places-{name}")),
            value: value.clone(),
            problem: self
                .problems
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, text)| text.clone()),
        })
        .collect();
        self
    }

    /// Whether the platform select has `value` chosen.
    pub fn is(&self, value: &str) -> bool {
        self.platform == value
    }
}

/// One number field of a place's form.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// Its form name.
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// As typed or stored.
    pub value: String,
    /// What is wrong with it.
    pub problem: Option<String>,
}

/// The page.
#[derive(Template)]
#[template(path = "console/places.html")]
pub struct PlacesPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every place, then the add form.
    pub places: Vec<PlaceView>,
    /// What the last action did.
    pub notice: Option<String>,
}

/// GET /settings/places.
pub async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let chrome = Chrome::for_user(&who);
    let notice = outcome::notice(&chrome, query.notice.as_deref());
    let page = build(&state, &who, chrome, None, notice).await?;
    Ok(render(&page)?.into_response())
}

async fn build(
    state: &AppState,
    who: &SignedIn,
    chrome: Chrome,
    shown: Option<PlaceView>,
    notice: Option<String>,
) -> Result<PlacesPage, PageError> {
    let stored = state
        .services()
        .places
        .list(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let mut places: Vec<PlaceView> = stored.iter().map(PlaceView::of).collect();
    places.push(PlaceView::blank());
    if let Some(shown) = shown {
        match places.iter_mut().find(|p| p.id == shown.id) {
            Some(slot) => *slot = shown,
            None => places.push(shown),
        }
    }
    let places = places.into_iter().map(|p| p.labelled(&chrome)).collect();
    Ok(PlacesPage {
        chrome,
        places,
        notice,
    })
}

/// The add/edit form as posted; every number as typed.
#[derive(Debug, Default, Deserialize)]
pub struct PlaceFields {
    /// The stored key it edits.
    #[serde(default)]
    pub previous: String,
    /// `telegram` or `discord`.
    pub platform: String,
    /// The chat or server id.
    #[serde(default)]
    pub chat: String,
    /// Votes that approve.
    #[serde(default)]
    pub threshold: String,
    /// Budget: movies.
    #[serde(default)]
    pub movies: String,
    /// Budget: seasons.
    #[serde(default)]
    pub seasons: String,
    /// Budget: days.
    #[serde(default)]
    pub days: String,
}

impl PlaceFields {
    /// The typed numbers, and each field that is not a whole number.
    fn input(&self) -> (PlaceInput, Vec<&'static str>) {
        let mut bad = Vec::new();
        let mut number = |raw: &str, field: &'static str| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = raw.parse::<i64>().ok();
            if parsed.is_none() {
                bad.push(field);
            }
            parsed
        };
        let chat_field = if self.platform == "discord" {
            "discord_guild"
        } else {
            "telegram_chat"
        };
        let chat = number(&self.chat, chat_field);
        let input = PlaceInput {
            telegram_chat: chat.filter(|_| chat_field == "telegram_chat"),
            discord_guild: chat.filter(|_| chat_field == "discord_guild"),
            threshold: number(&self.threshold, "threshold"),
            movies: number(&self.movies, "movies"),
            seasons: number(&self.seasons, "seasons"),
            days: number(&self.days, "days"),
        };
        (input, bad)
    }

    fn echo(&self) -> PlaceView {
        let previous = Some(self.previous.clone()).filter(|p| !p.is_empty());
        PlaceView {
            id: previous.clone().unwrap_or_else(|| "new".into()),
            previous,
            platform: self.platform.clone(),
            chat: self.chat.clone(),
            threshold: self.threshold.clone(),
            movies: self.movies.clone(),
            seasons: self.seasons.clone(),
            days: self.days.clone(),
            problems: Vec::new(),
            fields: Vec::new(),
        }
    }
}

/// The reader's words for a field's problem: one message per field, naming its rule.
fn problem_text(chrome: &Chrome, problem: &PlaceProblem) -> (String, String) {
    let field = match problem.field {
        "discord_guild" | "telegram_chat" => "chat",
        other => other,
    };
    (
        field.to_owned(),
        chrome.t(&format!("console-places-problem-{field}")),
    )
}

/// POST /settings/places: save the form.
pub async fn submit(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<PlaceFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let chrome = Chrome::for_user(&who);
    let mut shown = fields.echo();
    let (input, not_numbers) = fields.input();
    let replacing = shown.previous.as_deref().and_then(PlaceKey::parse);
    let problems = if not_numbers.is_empty() {
        let places = &state.services().places;
        match places.save(&who.actor, &input, replacing).await {
            Ok(Ok(_)) => return Ok(done(None, HERE, "saved")),
            Ok(Err(problems)) => problems,
            Err(err) => {
                let refusal = outcome::form_refusal(&who.lang, err)?.1;
                shown.problems = vec![("chat".into(), refusal)];
                Vec::new()
            }
        }
    } else {
        let not_number = |field| PlaceProblem {
            field,
            message: String::new(),
        };
        not_numbers.into_iter().map(not_number).collect()
    };
    shown
        .problems
        .extend(problems.iter().map(|p| problem_text(&chrome, p)));
    let page = build(&state, &who, chrome, Some(shown), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// The remove form.
#[derive(Debug, Deserialize)]
pub struct RemoveFields {
    /// The stored key.
    pub place: String,
}

/// POST /settings/places/remove.
pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<RemoveFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let unknown = || usher_core::CoreError::NotFound(format!("place {:?}", fields.place));
    let key =
        PlaceKey::parse(&fields.place).ok_or_else(|| outcome::refused(&who.lang, unknown()))?;
    state
        .services()
        .places
        .delete(&who.actor, key)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, HERE, "removed"))
}
