//! `GET /account`: the signed-in user's own account — their passkeys (add, rename, remove),
//! their open sessions (sign out everywhere), and joining a Discord or Telegram account with a
//! `/link` code from the bots. Every form posts back here and redirects with a notice.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use usher_core::CoreError;
use usher_core::domain::{Platform, Timestamp};

use crate::console::form_state::FormState;
use crate::console::page::{Chrome, catalog, render};
use crate::console::signed_in::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// The account page.
#[derive(Template)]
#[template(path = "console/account.html")]
pub struct AccountPage {
    /// Frame.
    pub chrome: Chrome,
    /// The user's passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
    /// Their open sessions, newest first.
    pub sessions: Vec<SessionView>,
    /// Chat and OIDC accounts joined to this one.
    pub identities: Vec<IdentityView>,
    /// What the last form did, in the page's language.
    pub notice: Option<String>,
    /// A refused form, shown again beside its field.
    pub form: FormState,
    /// Why the language picker changed nothing (a code Usher does not ship), in the page's
    /// language.
    pub problem: Option<String>,
    /// Whether the user chose no language, so the console follows their browser.
    pub follows_browser: bool,
    /// Whether "Link Plex account" is offered (sign-in with Plex is on).
    pub plex: bool,
}

/// One passkey as listed.
#[derive(Debug, Clone)]
pub struct PasskeyView {
    /// Credential id (the forms' key).
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was added.
    pub created: String,
    /// When it last signed in.
    pub last_used: Option<String>,
}

/// One open session as listed.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// How it signed in.
    pub via: String,
    /// When.
    pub created: String,
    /// From where.
    pub ip: Option<String>,
    /// With what.
    pub user_agent: Option<String>,
    /// Whether it is the one showing this page.
    pub current: bool,
}

/// One joined account as listed.
#[derive(Debug, Clone)]
pub struct IdentityView {
    /// Platform label key.
    pub platform: &'static str,
    /// Name there.
    pub display: String,
}

/// Query of `/account`: the outcome of the last form.
#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
    error: Option<String>,
}

/// GET /account.
pub async fn account_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<AccountQuery>,
) -> Result<Response, WebError> {
    let mut page = page(&state, &who).await?;
    page.notice = query
        .done
        .as_deref()
        .and_then(notice_key)
        .map(|key| page.chrome.t(key));
    page.problem = query
        .error
        .as_deref()
        .and_then(problem_key)
        .map(|key| page.chrome.t(key));
    Ok(render(&page)?.into_response())
}

/// The account page again with a refused form on it (422).
async fn again(state: &AppState, who: &SignedIn, form: FormState) -> Result<Response, WebError> {
    let mut page = page(state, who).await?;
    let status = StatusCode::from_u16(form.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    page.form = form;
    Ok((status, render(&page)?).into_response())
}

/// A refusal in the reader's language.
fn refusal(who: &SignedIn, key: &str) -> String {
    catalog().text(&who.lang, key, &[])
}

async fn page(state: &AppState, who: &SignedIn) -> Result<AccountPage, WebError> {
    let services = state.services();
    let passkeys = services.passkeys.list(&who.actor, who.user.id).await?;
    let sessions = services.sessions.list_open(who.user.id).await?;
    let (_, identities) = services.users.get(who.user.id).await?;
    let chrome = Chrome::for_user(who);
    Ok(AccountPage {
        passkeys: passkeys
            .into_iter()
            .map(|p| PasskeyView {
                id: p.credential_id,
                name: p.name,
                created: chrome.when(p.created_at),
                last_used: p.last_used_at.map(|at| chrome.when(at)),
            })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                current: s.jti == who.jti,
                via: match s.via.as_str() {
                    "passkey" => chrome.t("console-account-via-passkey"),
                    "oidc" => chrome.t("console-account-via-oidc"),
                    "plex" => chrome.t("console-account-via-plex"),
                    other => other.to_owned(),
                },
                created: chrome.when(Timestamp(s.created_at)),
                ip: s.ip,
                user_agent: s.user_agent,
            })
            .collect(),
        identities: identities
            .into_iter()
            .filter_map(|i| {
                let platform = match i.platform {
                    Platform::Discord => "console-account-platform-discord",
                    Platform::Telegram => "console-account-platform-telegram",
                    Platform::Oidc => "console-account-platform-oidc",
                    Platform::Plex => "console-account-platform-plex",
                    Platform::Passkey | Platform::Web => return None,
                };
                Some(IdentityView {
                    platform,
                    display: i.display,
                })
            })
            .collect(),
        notice: None,
        form: FormState::default(),
        problem: None,
        follows_browser: who.user.locale.is_none(),
        plex: state.console().plex.is_some(),
        chrome,
    })
}

fn notice_key(done: &str) -> Option<&'static str> {
    Some(match done {
        "added" => "console-account-added",
        "renamed" => "console-account-renamed",
        "removed" => "console-account-removed",
        "linked" => "console-account-linked",
        "plex" => "console-plex-linked",
        "language" => "console-account-language-saved",
        _ => return None,
    })
}

/// The language picker's refusal (the other forms show theirs beside the field).
fn problem_key(error: &str) -> Option<&'static str> {
    Some(match error {
        "language" => "console-account-language-invalid",
        _ => return None,
    })
}

/// Form naming a passkey.
#[derive(Debug, Deserialize)]
pub struct PasskeyForm {
    credential_id: String,
    #[serde(default)]
    name: String,
}

/// POST /account/passkeys/rename.
pub async fn rename_passkey(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PasskeyForm>,
) -> Result<Response, WebError> {
    let services = state.services();
    let outcome = services
        .passkeys
        .rename(&who.actor, &form.credential_id, &form.name)
        .await;
    match outcome {
        Ok(()) => Ok(back("done=renamed")),
        Err(CoreError::Validation(_)) => {
            let message = refusal(&who, "console-name-invalid");
            let id = format!("passkey-{}", form.credential_id);
            let kept = FormState::invalid(&id, "name", message, &[("name", &form.name)]);
            again(&state, &who, kept).await
        }
        Err(err) => Err(err.into()),
    }
}

/// POST /account/passkeys/remove: refused for the last way to sign in.
pub async fn remove_passkey(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<PasskeyForm>,
) -> Result<Response, WebError> {
    let services = state.services();
    match services
        .passkeys
        .remove(&who.actor, &form.credential_id, Some(&who.jti))
        .await
    {
        Ok(()) => Ok(back("done=removed")),
        Err(CoreError::Conflict(_)) => {
            let message = refusal(&who, "console-account-last-passkey");
            let id = format!("passkey-{}", form.credential_id);
            let kept = FormState::invalid(&id, "", message, &[]).with_status(409);
            again(&state, &who, kept).await
        }
        Err(err) => Err(err.into()),
    }
}

/// POST /account/sessions/end-all: signs the user out everywhere, this browser included.
pub async fn end_all_sessions(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let services = state.services();
    let console = state.console();
    services.sessions.end_all(&who.actor, who.user.id).await?;
    Ok((jar.add(console.sessions.removal()), Redirect::to("/login")).into_response())
}

/// Form with a link code.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    code: String,
}

/// POST /account/link: joins the chat account that asked for the code (`/link` in Discord or
/// Telegram) with this one. Behind the sign-in rate limit, since it tries a secret.
pub async fn redeem_link(
    State(state): State<AppState>,
    who: SignedIn,
    Form(form): Form<LinkForm>,
) -> Result<Response, WebError> {
    let services = state.services();
    let refused = |key: &str| {
        let typed = [("code", form.code.as_str())];
        FormState::invalid("link", "code", refusal(&who, key), &typed)
    };
    if form.code.trim().is_empty() || form.code.len() > 64 {
        let kept = refused("console-account-code-invalid");
        return again(&state, &who, kept).await;
    }
    match services.links.redeem(&who.actor, &form.code).await {
        Ok(_) => Ok(back("done=linked")),
        Err(CoreError::NotFound(_)) => {
            let kept = refused("console-account-code-invalid");
            again(&state, &who, kept).await
        }
        Err(CoreError::Conflict(_)) => {
            let kept = refused("console-account-already-linked").with_status(409);
            again(&state, &who, kept).await
        }
        Err(err) => Err(err.into()),
    }
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("/account?{query}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> AccountPage {
        AccountPage {
            chrome: Chrome {
                lang: "en-US".into(),
                csrf: "tok-123".into(),
                user: Some("Ada".into()),
                is_approver: true,
                is_admin: true,
                here: "/account".into(),
            },
            passkeys: vec![PasskeyView {
                id: "cred-A_1".into(),
                name: "Laptop <b>".into(),
                created: "2026-11-01 14:05 UTC".into(),
                last_used: None,
            }],
            sessions: vec![SessionView {
                via: "passkey".into(),
                created: "2026-11-01 14:05 UTC".into(),
                ip: Some("192.0.2.1".into()),
                user_agent: Some("Firefox".into()),
                current: true,
            }],
            identities: vec![IdentityView {
                platform: "console-account-platform-telegram",
                display: "ada_tg".into(),
            }],
            notice: Some("Passkey added.".into()),
            form: FormState::default(),
            problem: None,
            follows_browser: true,
            plex: true,
        }
    }

    #[test]
    fn the_account_page_lists_and_protects_every_form() {
        let html = page().render().expect("render");
        assert!(html.contains("Laptop &#60;b&#62;") || html.contains("Laptop &lt;b&gt;"));
        assert!(html.contains("value=\"cred-A_1\""), "{html}");
        for action in [
            "/account/language",
            "/account/passkeys/rename",
            "/account/link",
            "/account/plex/link",
        ] {
            assert!(html.contains(&format!("action=\"{action}\"")), "{action}");
        }
        for asked in ["/account/passkeys/remove", "/account/sessions/end-all"] {
            assert!(
                html.contains(&format!("name=\"do\" value=\"{asked}\"")),
                "{asked} is confirmed first"
            );
        }
        let posts = html.matches("method=\"post\"").count();
        let tokens = html.matches("name=\"_csrf\" value=\"tok-123\"").count();
        let confirms = html.matches("action=\"/confirm\" data-confirm=").count();
        assert_eq!(confirms, 2, "remove and sign out everywhere ask first");
        assert_eq!(posts, tokens, "every POST form carries _csrf");
        assert_eq!(
            html.matches("<form").count(),
            posts + confirms + 1,
            "besides them only the script's form"
        );
        assert!(html.contains("id=\"passkey-register\""));
        assert!(html.contains("Telegram") && html.contains("ada_tg"));
        assert!(html.contains("192.0.2.1"));
        assert!(html.contains("Passkey added."));
        assert!(!html.contains("<script>"), "no inline scripts");
    }

    #[test]
    fn the_account_page_speaks_german() {
        let mut de = page();
        de.chrome.lang = "de".into();
        let html = de.render().expect("render");
        assert!(html.contains("Überall abmelden"), "{html}");
    }

    #[test]
    fn outcomes_map_to_texts() {
        assert_eq!(notice_key("added"), Some("console-account-added"));
        assert_eq!(notice_key("<script>"), None);
        assert_eq!(
            problem_key("language"),
            Some("console-account-language-invalid")
        );
        assert_eq!(problem_key("last"), None, "shown beside the field now");
    }
}
