//! Rendering stays within Telegram's limits and shows what an approver needs.

use usher_core::domain::{MediaType, Request, RequestStatus};

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
fn every_button_id_fits_telegram() {
    let catalog = catalog();
    let codec = CallbackCodec::new([7; 32], None);
    let keyboards = [
        result_keyboard(&catalog, "en-US", &codec, MediaType::Tv, u32::MAX),
        approver_keyboard(&catalog, "en-US", &codec, i64::MAX),
        reasons_keyboard(&catalog, "de", &codec, i64::MAX),
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
