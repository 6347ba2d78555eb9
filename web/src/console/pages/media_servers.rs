//! `/settings/media-servers` (admins): the library index's extra Jellyfin, Emby and Plex
//! servers. Those from `usher.toml` are listed locked; the console's own can be added, edited,
//! tested (`usher check`'s media server check, with the form's values) and removed. Core
//! validates, seals the key or token, audits without it, and the change applies at the next
//! start, like every saved setting. A key or token is never shown back.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use usher_core::domain::Permission;
use usher_core::integrations::checkup::ServiceCheck;
use usher_core::service::{MediaServerEntry, MediaServerForm, SaveOutcome};

use super::outcome::{self, NoticeQuery, OrRefused, PageError, done};
use super::requests::Choice;
use crate::console::page::{Chrome, render};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// Where the page lives.
const HERE: &str = "/settings/media-servers";
/// The kinds a server may be.
const KINDS: [&str; 3] = ["jellyfin", "emby", "plex"];

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(HERE, get(page).post(submit))
        .route("/settings/media-servers/remove", post(remove))
}

/// What a Test button found.
#[derive(Debug, Clone)]
pub struct ServerTest {
    /// It works.
    pub ok: bool,
    /// "Connection works." / "Connection failed."
    pub headline: String,
    /// The server's own answer: its version, or what is wrong.
    pub detail: String,
    /// Its libraries.
    pub notes: Vec<String>,
}

/// One server's form (or the add form).
#[derive(Debug, Clone)]
pub struct ServerView {
    /// `new`, or the saved name (form ids, anchors).
    pub id: String,
    /// The saved name it edits.
    pub previous: Option<String>,
    /// Kind options.
    pub kinds: Vec<Choice>,
    /// The kind, shown for a locked server.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// Its public URL.
    pub public_url: String,
    /// From `usher.toml`: read-only.
    pub locked: bool,
    /// What the validator said of this form.
    pub problems: Vec<String>,
    /// What its Test found.
    pub test: Option<ServerTest>,
}

impl ServerView {
    fn new(chrome: &Chrome, entry: &MediaServerEntry) -> Self {
        Self {
            id: entry.name.clone(),
            previous: (!entry.locked).then(|| entry.name.clone()),
            kinds: kinds(chrome, entry.kind.as_str()),
            kind: entry.kind.product().to_owned(),
            name: entry.name.clone(),
            url: entry.url.clone(),
            public_url: entry.public_url.clone().unwrap_or_default(),
            locked: entry.locked,
            problems: Vec::new(),
            test: None,
        }
    }

    fn blank(chrome: &Chrome) -> Self {
        Self {
            id: "new".into(),
            previous: None,
            kinds: kinds(chrome, "jellyfin"),
            kind: String::new(),
            name: String::new(),
            url: String::new(),
            public_url: String::new(),
            locked: false,
            problems: Vec::new(),
            test: None,
        }
    }

    /// The submitted form shown again (without its secret).
    fn echo(chrome: &Chrome, form: &MediaServerForm) -> Self {
        Self {
            id: form.previous.clone().unwrap_or_else(|| "new".into()),
            previous: form.previous.clone(),
            kinds: kinds(chrome, &form.kind),
            kind: form.kind.clone(),
            name: form.name.clone(),
            url: form.url.clone(),
            public_url: form.public_url.clone(),
            locked: false,
            problems: Vec::new(),
            test: None,
        }
    }
}

fn kinds(chrome: &Chrome, current: &str) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|k| {
            Choice::new(
                k,
                chrome.t(&format!("console-servers-kind-{k}")),
                Some(current),
            )
        })
        .collect()
}

/// The page.
#[derive(Template)]
#[template(path = "console/media_servers.html")]
pub struct MediaServersPage {
    /// Frame.
    pub chrome: Chrome,
    /// Every server, then the add form.
    pub servers: Vec<ServerView>,
    /// What the last action did.
    pub notice: Option<String>,
}

/// GET /settings/media-servers.
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

/// The page, with `shown` (a submitted form with its problems or test) in its place.
async fn build(
    state: &AppState,
    who: &SignedIn,
    chrome: Chrome,
    shown: Option<ServerView>,
    notice: Option<String>,
) -> Result<MediaServersPage, PageError> {
    let entries = state
        .settings()
        .media_servers(&who.actor)
        .await
        .or_refused(&who.lang)?;
    let mut servers: Vec<ServerView> = entries
        .iter()
        .map(|e| ServerView::new(&chrome, e))
        .collect();
    servers.push(ServerView::blank(&chrome));
    if let Some(shown) = shown {
        match servers.iter_mut().find(|s| s.id == shown.id) {
            Some(slot) => *slot = shown,
            None => servers.push(shown),
        }
    }
    Ok(MediaServersPage {
        chrome,
        servers,
        notice,
    })
}

/// The add/edit form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ServerFields {
    /// `save` or `test`.
    pub intent: Option<String>,
    /// The saved name it edits.
    pub previous: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// A new key or token; blank keeps.
    #[serde(default)]
    pub secret: String,
    /// Its public URL.
    #[serde(default)]
    pub public_url: String,
}

impl ServerFields {
    fn form(self) -> MediaServerForm {
        MediaServerForm {
            previous: self.previous.filter(|p| !p.is_empty()),
            kind: self.kind,
            name: self.name,
            url: self.url,
            secret: self.secret,
            public_url: self.public_url,
        }
    }
}

/// POST /settings/media-servers: save the form, or test it.
pub async fn submit(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<ServerFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let test = fields.intent.as_deref() == Some("test");
    let form = fields.form();
    let chrome = Chrome::for_user(&who);
    let settings = state.settings();
    let mut shown = ServerView::echo(&chrome, &form);
    if test {
        match settings.test_media_server(&who.actor, &form).await {
            Ok(Ok(check)) => shown.test = Some(tested(&chrome, check)),
            Ok(Err(problems)) => shown.problems = problems,
            Err(err) => shown.problems = vec![outcome::form_refusal(&who.lang, err)?.1],
        }
    } else {
        match settings.save_media_server(&who.actor, &form).await {
            Ok(SaveOutcome::Saved { .. }) => return Ok(done(None, HERE, "saved")),
            Ok(SaveOutcome::Invalid { problems }) => shown.problems = problems,
            // Refused before validation (a locked or unknown server): said in the same form.
            Err(err) => shown.problems = vec![outcome::form_refusal(&who.lang, err)?.1],
        }
    }
    let status = if shown.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = build(&state, &who, chrome, Some(shown), None).await?;
    Ok((status, render(&page)?).into_response())
}

fn tested(chrome: &Chrome, check: ServiceCheck) -> ServerTest {
    let ok = check.ok();
    ServerTest {
        ok,
        headline: chrome.t(if ok {
            "console-settings-test-ok"
        } else {
            "console-settings-test-failed"
        }),
        detail: if ok {
            check.summary
        } else {
            check.problems.join("; ")
        },
        notes: check.details,
    }
}

/// The remove form.
#[derive(Debug, Deserialize)]
pub struct RemoveFields {
    /// The saved server's name.
    pub name: String,
}

/// POST /settings/media-servers/remove.
pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Form(fields): Form<RemoveFields>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    state
        .settings()
        .remove_media_server(&who.actor, &fields.name)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, HERE, "removed"))
}
