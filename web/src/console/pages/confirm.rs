//! `GET /confirm`: the question a destructive form asks when JavaScript is off. Such a form is
//! written as a GET to this page with a hidden `do` naming the real action; the page asks, and
//! its POST (with the CSRF token, the form's other fields as typed) does the action. With
//! script, `static/console.js` asks the same question in a `<dialog>` and posts directly. Only
//! the actions in [`question`] can be confirmed; anything else is refused, so a crafted link
//! cannot make the page post somewhere else.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::console::page::{Chrome, problem_page, render};
use crate::console::pages::outcome::PageError;
use crate::console::signed_in::{SignedIn, safe_next};

/// The confirm page.
#[derive(Template)]
#[template(path = "console/confirm.html")]
pub struct ConfirmPage {
    /// Frame.
    pub chrome: Chrome,
    /// What is about to happen, as a question.
    pub question: String,
    /// Where the POST goes.
    pub action: String,
    /// The form's other fields, sent on unchanged.
    pub fields: Vec<(String, String)>,
    /// Where "cancel" goes back to.
    pub back: String,
}

/// The question for a destructive action and the page it was asked from, or `None` for a path
/// that needs no confirmation here.
pub fn question(action: &str, fields: &[(String, String)]) -> Option<(&'static str, String)> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let parts: Vec<&str> = action.strip_prefix('/')?.split('/').collect();
    let is_id = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    let found = match parts.as_slice() {
        ["requests", id, "decline"] if is_id(id) => {
            ("console-confirm-decline", format!("/requests/{id}"))
        }
        ["requests", "bulk"] if field("decision") == Some("decline") => {
            ("console-confirm-bulk-decline", "/requests".to_owned())
        }
        ["users", id, "disabled"] if is_id(id) && field("disabled") == Some("true") => {
            ("console-confirm-disable", format!("/users/{id}"))
        }
        ["users", id, "roles"] if is_id(id) && field("action") == Some("revoke") => {
            ("console-confirm-revoke-role", format!("/users/{id}"))
        }
        ["account", "passkeys", "remove"] => ("console-confirm-passkey", "/account".to_owned()),
        ["account", "sessions", "end-all"] => ("console-confirm-sessions", "/account".to_owned()),
        ["settings", "media-servers", "remove"] => (
            "console-confirm-server",
            "/settings/media-servers".to_owned(),
        ),
        ["notifications", "remove"] => ("console-confirm-agent", "/notifications".to_owned()),
        ["notifications", "rotate"] => {
            ("console-confirm-agent-rotate", "/notifications".to_owned())
        }
        ["roles", "delete"] => ("console-confirm-role-delete", "/roles".to_owned()),
        ["roles", "grants", "remove"] => ("console-confirm-grant-remove", "/roles".to_owned()),
        ["settings", "api-keys", "revoke"] => {
            ("console-confirm-apikey", "/settings/api-keys".to_owned())
        }
        ["settings", "places", "remove"] => {
            ("console-confirm-place", "/settings/places".to_owned())
        }
        _ => return None,
    };
    Some(found)
}

/// GET /confirm?do=/path&…fields.
pub async fn confirm(
    who: SignedIn,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let action = query
        .iter()
        .find(|(k, _)| k == "do")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let fields: Vec<(String, String)> = query
        .into_iter()
        .filter(|(k, _)| k != "do" && k != "_csrf")
        .collect();
    let Some((key, from)) = question(&action, &fields) else {
        return Ok(problem_page(
            StatusCode::BAD_REQUEST,
            &who.lang,
            "console-confirm-unknown",
            &[],
        ));
    };
    let back = match fields.iter().find(|(k, _)| k == "next") {
        Some((_, next)) if !next.is_empty() => safe_next(Some(next)),
        _ => from,
    };
    let chrome = Chrome::for_user(&who);
    let page = ConfirmPage {
        question: chrome.t(key),
        action,
        fields,
        back,
        chrome,
    };
    Ok(render(&page)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn only_destructive_actions_are_confirmed() {
        let none = fields(&[]);
        assert_eq!(
            question("/requests/12/decline", &none),
            Some(("console-confirm-decline", "/requests/12".to_owned()))
        );
        assert!(question("/account/passkeys/remove", &none).is_some());
        assert!(question("/account/sessions/end-all", &none).is_some());
        assert!(question("/settings/media-servers/remove", &none).is_some());
        assert_eq!(
            question("/notifications/rotate", &fields(&[("name", "hass")])),
            Some(("console-confirm-agent-rotate", "/notifications".to_owned()))
        );
        assert_eq!(
            question("/requests/bulk", &fields(&[("decision", "decline")])),
            Some(("console-confirm-bulk-decline", "/requests".to_owned()))
        );
        assert_eq!(
            question("/requests/bulk", &fields(&[("decision", "approve")])),
            None
        );
        let revoke = fields(&[("action", "revoke"), ("role", "admin")]);
        assert!(question("/users/3/roles", &revoke).is_some());
        let grant = fields(&[("action", "grant")]);
        assert_eq!(question("/users/3/roles", &grant), None);
        assert!(question("/users/3/disabled", &fields(&[("disabled", "true")])).is_some());
        assert_eq!(
            question("/users/3/disabled", &fields(&[("disabled", "false")])),
            None
        );
        for crafted in [
            "",
            "https://evil.example/requests/1/decline",
            "//evil.example/account/passkeys/remove",
            "/requests/x/decline",
            "/requests/1/approve",
            "/logout",
        ] {
            assert_eq!(question(crafted, &none), None, "{crafted}");
        }
    }

    #[test]
    fn the_confirm_page_posts_the_fields_with_the_token() {
        let page = ConfirmPage {
            chrome: Chrome {
                lang: "en-US".into(),
                csrf: "tok-9".into(),
                user: Some("Ada".into()),
                is_approver: true,
                is_admin: true,
                here: "/confirm".into(),
            },
            question: "Remove this passkey?".into(),
            action: "/account/passkeys/remove".into(),
            fields: fields(&[("credential_id", "cred\"<x>")]),
            back: "/account".into(),
        };
        let html = page.render().expect("render");
        assert!(html.contains("method=\"post\" action=\"/account/passkeys/remove\""));
        assert!(html.contains("name=\"_csrf\" value=\"tok-9\""));
        assert!(html.contains("name=\"credential_id\""));
        assert!(!html.contains("cred\"<x>"), "values are escaped");
        assert!(html.contains("href=\"/account\""));
        assert!(html.contains("Remove this passkey?"));
    }
}
