//! What the Telegram bot shows: card captions, approver cards and keyboards, kept within
//! Telegram's limits. Pure functions over core types, so they are unit tested without a chat.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use usher_core::domain::{MediaType, Request};
use usher_core::i18n::Catalog;

use crate::callback::{Action, CallbackCodec, MediaKind, SeasonPick};

pub mod card;
pub mod episode_picker;

/// Longest photo caption Telegram accepts, in characters.
pub const MAX_CAPTION: usize = 1024;
/// Longest message text Telegram accepts, in characters.
pub const MAX_TEXT: usize = 4096;
/// Longest `answerCallbackQuery` text Telegram accepts, in characters.
pub const MAX_ANSWER: usize = 200;
/// How many preset decline reasons the card offers (`bot-decline-reason-0` …).
pub const DECLINE_REASONS: u8 = 3;

/// Cuts `text` to at most `max` characters (not bytes: Telegram counts characters), ending
/// with "…" when something was cut, so a long overview never makes Telegram refuse the card.
#[must_use]
pub fn trim_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The caption of a search result card: "Title (year)", a blank line and the overview,
/// trimmed to `max` characters with the title always kept whole when it fits.
#[must_use]
pub fn card_caption(title: &str, year: Option<u16>, overview: &str, max: usize) -> String {
    let head = match year {
        Some(year) => format!("{title} ({year})"),
        None => title.to_owned(),
    };
    let overview = overview.trim();
    if overview.is_empty() {
        return trim_chars(&head, max);
    }
    let room = max.saturating_sub(head.chars().count() + 2);
    if room < 2 {
        return trim_chars(&head, max);
    }
    format!("{head}\n\n{}", trim_chars(overview, room))
}

/// How much of an upstream's message a failed card shows: Telegram allows 4096 characters in
/// all, and the card is a notice, not a log.
pub const MAX_FAILURE_MESSAGE: usize = 1000;

/// The approver card for a request: what, which kind, and who asked. A request whose last
/// submission failed gets the failed card instead: the upstream's HTTP status and message of
/// the last attempt, the circuit breaker's state apart, and the attempts. The text goes out
/// without a parse mode, so whatever the upstream said is shown as it is and cannot inject
/// markup; nothing needs escaping.
#[must_use]
pub fn approver_card(catalog: &Catalog, lang: &str, request: &Request, who: &str) -> String {
    let kind = match request.media.media_type {
        MediaType::Movie => "bot-kind-movie",
        MediaType::Tv => "bot-kind-tv",
    };
    let title = match request.media.year {
        Some(year) => format!("{} ({year})", request.media.title),
        None => request.media.title.clone(),
    };
    // Single episodes are named after the title, so the approver sees what is asked.
    let title = if request.episodes.is_empty() {
        title
    } else {
        format!("{title} · {}", request.episodes)
    };
    let args = [
        ("id", request.id.0.to_string()),
        ("title", title),
        ("kind", catalog.text(lang, kind, &[])),
        ("who", who.to_owned()),
    ];
    let note = crate::view::note::line(catalog, lang, request.comment.as_deref());
    let Some(failure) = &request.failure else {
        let card = catalog.text(lang, "bot-approver-card", &args);
        let card = note.map_or_else(|| card.clone(), |note| format!("{card}\n{note}"));
        return trim_chars(&card, MAX_TEXT);
    };
    let said = crate::view::failure_text(catalog, lang, failure, MAX_FAILURE_MESSAGE, trim_chars);
    let breaker = catalog.text(lang, "bot-failure-breaker", &[("state", said.breaker)]);
    let mut lines = vec![catalog.text(lang, "bot-failed-card", &args)];
    lines.extend(note);
    lines.extend([said.answer, breaker, said.attempts]);
    trim_chars(&lines.join("\n"), MAX_TEXT)
}

/// A failed card after someone pressed Retry: the card as it was, then who sent it again.
#[must_use]
pub fn retried_card(catalog: &Catalog, lang: &str, card: &str, who: &str) -> String {
    let done = catalog.text(lang, "bot-retried", &[("who", who.to_owned())]);
    trim_chars(&format!("{card}\n\n{done}"), MAX_TEXT)
}

/// The approver card after a decision: the card, then the outcome, who decided and the reason.
#[must_use]
pub fn decided_card(
    catalog: &Catalog,
    lang: &str,
    request: &Request,
    requester: &str,
    decider: &str,
) -> String {
    let status = catalog.text(lang, &format!("status-{}", request.status.as_str()), &[]);
    let mut text = approver_card(catalog, lang, request, requester);
    text.push_str("\n\n");
    let args = [("status", status), ("who", decider.to_owned())];
    text.push_str(&catalog.text(lang, "bot-decided", &args));
    if let Some(reason) = &request.decline_reason {
        text.push('\n');
        let args = [("reason", reason.clone())];
        text.push_str(&catalog.text(lang, "bot-declined-reason", &args));
    }
    trim_chars(&text, MAX_TEXT)
}

/// The direct message telling a requester their request changed status.
#[must_use]
pub fn status_dm(catalog: &Catalog, lang: &str, request: &Request) -> String {
    trim_chars(&crate::view::status_text(catalog, lang, request), MAX_TEXT)
}

/// One signed Request button (a show is asked for whole: every season, and the ones to come):
/// what an inline-mode result carries into the chat it is posted in.
#[must_use]
pub fn result_keyboard(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    media: MediaType,
    tmdb_id: u32,
) -> InlineKeyboardMarkup {
    let (media, seasons) = match media {
        MediaType::Movie => (MediaKind::Movie, SeasonPick::default()),
        MediaType::Tv => (
            MediaKind::Tv,
            SeasonPick {
                all: true,
                future: true,
                ..SeasonPick::default()
            },
        ),
    };
    let action = Action::Request {
        media,
        tmdb_id,
        four_k: false,
        seasons,
    };
    let label = catalog.text(lang, "bot-button-request", &[]);
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(label, codec.encode(&action))]])
}

/// Approve / Decline under an approver card.
#[must_use]
pub fn approver_keyboard(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    request_id: i64,
) -> InlineKeyboardMarkup {
    let approve = ("bot-button-approve", Action::Approve { request_id });
    or_decline(catalog, lang, codec, approve, request_id)
}

/// Retry / Decline under the card of a request that failed.
#[must_use]
pub fn failed_keyboard(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    request_id: i64,
) -> InlineKeyboardMarkup {
    let retry = ("bot-button-retry", Action::Retry { request_id });
    or_decline(catalog, lang, codec, retry, request_id)
}

/// One row: the card's own action (its label key and action), then Decline.
fn or_decline(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    (key, action): (&str, Action),
    request_id: i64,
) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(catalog.text(lang, key, &[]), codec.encode(&action)),
        InlineKeyboardButton::callback(
            catalog.text(lang, "bot-button-decline", &[]),
            codec.encode(&Action::Decline { request_id }),
        ),
    ]])
}

/// The preset decline reasons, shown after Decline is pressed, then "Other reason…" (the
/// approver types one, answering a force-reply prompt), with Approve still offered.
#[must_use]
pub fn reasons_keyboard(
    catalog: &Catalog,
    lang: &str,
    codec: &CallbackCodec,
    request_id: i64,
) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = (0..DECLINE_REASONS)
        .map(|reason| {
            let action = Action::DeclineWithReason { request_id, reason };
            vec![InlineKeyboardButton::callback(
                decline_reason(catalog, lang, reason),
                codec.encode(&action),
            )]
        })
        .collect();
    rows.push(vec![InlineKeyboardButton::callback(
        catalog.text(lang, "bot-button-decline-other", &[]),
        codec.encode(&Action::DeclineOther { request_id }),
    )]);
    rows.push(vec![InlineKeyboardButton::callback(
        catalog.text(lang, "bot-button-approve", &[]),
        codec.encode(&Action::Approve { request_id }),
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// The text of preset decline reason `index`, stored on the request as given.
#[must_use]
pub fn decline_reason(catalog: &Catalog, lang: &str, index: u8) -> String {
    catalog.text(lang, &format!("bot-decline-reason-{index}"), &[])
}

#[cfg(test)]
mod tests;
