//! Rendering stays within Telegram's limits and shows what an approver needs.

use usher_core::domain::{Circuit, MediaType, Request, RequestStatus, UpstreamFailure};

use super::*;
use crate::callback::MAX_ENCODED_LEN;
use crate::view::card_fixtures::{catalog, someones_request};

/// Dune, request #42, with the status and decline reason a test needs.
fn request(status: RequestStatus, reason: Option<&str>) -> Request {
    let mut request = someones_request(42, status);
    request.decline_reason = reason.map(str::to_owned);
    request
}

#[test]
fn trimming_counts_characters_and_marks_the_cut() {
    assert_eq!(trim_chars("short", 10), "short");
    let cut = trim_chars(&"ü".repeat(2000), MAX_CAPTION);
    assert_eq!(cut.chars().count(), MAX_CAPTION);
    assert!(cut.ends_with('…'));
}

#[test]
fn a_long_overview_keeps_the_caption_within_the_limit_and_the_title_whole() {
    let caption = card_caption("Dune", Some(2021), &"word ".repeat(1000), MAX_CAPTION);
    assert!(caption.chars().count() <= MAX_CAPTION);
    assert!(caption.starts_with("Dune (2021)\n\n"));
    assert_eq!(card_caption("Dune", None, "  ", MAX_CAPTION), "Dune");
}

#[test]
fn approver_cards_name_the_title_the_requester_and_the_decision() {
    let catalog = catalog();
    let card = approver_card(
        &catalog,
        "en-US",
        &request(RequestStatus::Pending, None),
        "ann",
    );
    assert!(card.contains("#42") && card.contains("Dune (2021)") && card.contains("ann"));
    let declined = request(RequestStatus::Declined, Some("Already in the library"));
    let done = decided_card(&catalog, "en-US", &declined, "ann", "boss");
    assert!(done.contains("declined by boss"), "{done}");
    assert!(done.contains("Already in the library"));
    let dm = status_dm(&catalog, "de", &request(RequestStatus::Approved, None));
    assert!(dm.contains("Dune"), "{dm}");
}

#[test]
fn approver_cards_show_the_requesters_note() {
    let catalog = catalog();
    let mut noted = request(RequestStatus::Pending, None);
    noted.comment = Some("for the kids' weekend".into());
    let card = approver_card(&catalog, "en-US", &noted, "ann");
    assert!(card.ends_with("\n📝 Note: for the kids' weekend"), "{card}");
    let plain = approver_card(
        &catalog,
        "en-US",
        &request(RequestStatus::Pending, None),
        "ann",
    );
    assert!(!plain.contains("📝"), "{plain}");
}

#[test]
fn every_button_id_fits_telegram() {
    let catalog = catalog();
    let codec = CallbackCodec::new([7; 32], None);
    let keyboards = [
        result_keyboard(&catalog, "en-US", &codec, MediaType::Tv, u32::MAX),
        approver_keyboard(&catalog, "en-US", &codec, i64::MAX),
        reasons_keyboard(&catalog, "de", &codec, i64::MAX),
        failed_keyboard(&catalog, "fr", &codec, i64::MAX),
    ];
    for keyboard in keyboards {
        for button in keyboard.inline_keyboard.iter().flatten() {
            let teloxide::types::InlineKeyboardButtonKind::CallbackData(data) = &button.kind else {
                panic!("only callback buttons");
            };
            assert!(!data.is_empty() && data.len() <= MAX_ENCODED_LEN);
            assert!(codec.decode(data).is_ok());
        }
    }
}

/// Request #42, failed after `attempts` with what Radarr last answered.
fn failed(status: Option<u16>, message: &str, circuit: Circuit) -> Request {
    let mut request = someones_request(42, RequestStatus::Failed);
    request.failure = Some(UpstreamFailure {
        service: "radarr".into(),
        status,
        message: message.into(),
        circuit,
        attempts: 5,
    });
    request
}

#[test]
fn a_failed_card_shows_the_upstreams_answer_and_the_breaker_apart() {
    let catalog = catalog();
    let paused = failed(
        Some(500),
        "Unable to add movie: disk is read-only",
        Circuit::Open,
    );
    let card = approver_card(&catalog, "en-US", &paused, "ann");
    let lines: Vec<&str> = card.lines().collect();
    assert_eq!(
        lines,
        [
            "⚠️ Request #42 failed: Dune (2021) (movie) from ann",
            "radarr answered HTTP 500: Unable to add movie: disk is read-only",
            "Circuit breaker: open: calls to radarr are paused after repeated failures",
            "Attempts: 5",
        ]
    );
    let refused = failed(Some(400), "", Circuit::Closed);
    let card = approver_card(&catalog, "de", &refused, "ann");
    assert!(card.contains("radarr antwortete HTTP 400\n"), "{card}");
    assert!(card.contains("Schutzschalter: geschlossen"), "{card}");
    let unreachable = failed(None, "not reachable", Circuit::Closed);
    let card = approver_card(&catalog, "en-US", &unreachable, "ann");
    assert!(card.contains("\nradarr: not reachable\n"), "{card}");
    // Declined from the failed card: the answer stays, the decision follows.
    let mut declined = failed(Some(500), "boom", Circuit::Open);
    declined.status = RequestStatus::Declined;
    let done = decided_card(&catalog, "en-US", &declined, "ann", "boss");
    assert!(
        done.contains("HTTP 500: boom") && done.ends_with("declined by boss"),
        "{done}"
    );
    let again = retried_card(&catalog, "en-US", "the card", "boss");
    assert_eq!(again, "the card\n\nSent again by boss");
}

#[test]
fn a_failed_card_fits_telegram_and_shows_markup_as_plain_text() {
    let catalog = catalog();
    // Sent without a parse mode: tags and entities in Radarr's words are shown, never parsed.
    let html = failed(
        Some(502),
        "<b>Bad</b> gateway & <a href=x>proxy</a>",
        Circuit::Closed,
    );
    let card = approver_card(&catalog, "en-US", &html, "<i>ann</i>");
    assert!(
        card.contains("HTTP 502: <b>Bad</b> gateway & <a href=x>proxy</a>"),
        "{card}"
    );
    // A message longer than a card: cut to its share, marked, the rest of the card kept.
    let long = failed(Some(500), &"é".repeat(5000), Circuit::Open);
    let card = approver_card(&catalog, "en-US", &long, "ann");
    assert!(card.chars().count() <= MAX_TEXT);
    let answer = card.lines().nth(1).expect("the answer line");
    let said = answer.trim_start_matches("radarr answered HTTP 500: ");
    assert_eq!(said.chars().count(), MAX_FAILURE_MESSAGE);
    assert!(said.ends_with('…'));
    assert!(card.ends_with("Attempts: 5"), "{card}");
    // Even a title at Telegram's whole limit leaves a card Telegram takes.
    let mut huge = failed(Some(500), "boom", Circuit::Open);
    huge.media.title = "T".repeat(5000);
    let card = approver_card(&catalog, "en-US", &huge, "ann");
    assert_eq!(card.chars().count(), MAX_TEXT);
}
