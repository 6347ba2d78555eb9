//! Texts both chat platforms show, built from core results and the one Fluent catalogue; each
//! platform then fits them to its own limits.

pub mod card;
#[cfg(test)]
pub(crate) mod card_fixtures;
pub mod discover;
pub mod note;

use usher_core::domain::{Circuit, Request, SecurityAlert, UpstreamFailure};
use usher_core::i18n::Catalog;

/// A security alert as the admin chats read it, in `lang` (both platforms post the same text).
#[must_use]
pub fn security_text(catalog: &Catalog, lang: &str, alert: &SecurityAlert) -> String {
    catalog.text(lang, &alert.message_id(), &alert.args())
}

/// What a person is told when a request they asked for or follow changes status: the title,
/// the new status, and the approver's reason when it was declined.
#[must_use]
pub fn status_text(catalog: &Catalog, lang: &str, request: &Request) -> String {
    let status = catalog.text(lang, &format!("status-{}", request.status.as_str()), &[]);
    let args = [("title", request.media.title.clone()), ("status", status)];
    let mut text = catalog.text(lang, "bot-dm-status", &args);
    if let Some(reason) = &request.decline_reason {
        text.push('\n');
        let args = [("reason", reason.clone())];
        text.push_str(&catalog.text(lang, "bot-declined-reason", &args));
    }
    text
}

/// What a failed request's card says about the last attempt: the upstream's answer ("radarr
/// answered HTTP 500: …") and, apart, the circuit breaker's state and the attempts — from
/// core's [`UpstreamFailure`], as it is. Each platform passes `fit`, which shortens a value the
/// upstream chose (its name, its message) to the platform's room and escapes it for the
/// platform's markup, before it goes into our own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureText {
    /// The upstream's answer to the last attempt.
    pub answer: String,
    /// "open: calls to radarr are paused after repeated failures", or "closed".
    pub breaker: String,
    /// "Attempts: 5".
    pub attempts: String,
}

/// [`FailureText`] for `failure`; `fit(text, max)` shortens to `max` characters and escapes.
pub fn failure_text(
    catalog: &Catalog,
    lang: &str,
    failure: &UpstreamFailure,
    max_message: usize,
    fit: impl Fn(&str, usize) -> String,
) -> FailureText {
    let service = fit(&failure.service, 100);
    let message = fit(failure.message.trim(), max_message);
    let status = failure.status.map(|s| s.to_string());
    let answer = match (status, message.is_empty()) {
        (Some(status), false) => {
            let args = [
                ("service", service.clone()),
                ("status", status),
                ("message", message),
            ];
            catalog.text(lang, "bot-failure-answer", &args)
        }
        (Some(status), true) => {
            let args = [("service", service.clone()), ("status", status)];
            catalog.text(lang, "bot-failure-answer-bare", &args)
        }
        (None, false) => {
            let args = [("service", service.clone()), ("message", message)];
            catalog.text(lang, "bot-failure-no-answer", &args)
        }
        (None, true) => {
            let args = [("service", service.clone())];
            catalog.text(lang, "bot-failure-paused-no-answer", &args)
        }
    };
    let breaker = match failure.circuit {
        Circuit::Open => catalog.text(lang, "bot-failure-breaker-open", &[("service", service)]),
        Circuit::Closed => catalog.text(lang, "bot-failure-breaker-closed", &[]),
    };
    let attempts = catalog.text(
        lang,
        "bot-failure-attempts",
        &[("count", failure.attempts.to_string())],
    );
    FailureText {
        answer,
        breaker,
        attempts,
    }
}
