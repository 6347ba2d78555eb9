//! Texts both chat platforms show, built from core results and the one Fluent catalogue; each
//! platform then fits them to its own limits.

pub mod card;
#[cfg(test)]
pub(crate) mod card_fixtures;

use usher_core::domain::Request;
use usher_core::i18n::Catalog;

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
