//! Discord's limits hold whatever TMDB sends: 25 choices, clipped names, embed sizes, and
//! signed custom_ids under 100 characters.

use serenity::builder::CreateInteractionResponse;
use usher_core::domain::{MediaType, TmdbId};
use usher_core::integrations::tmdb::SearchHit;

use super::*;
use crate::callback::{Action, CallbackCodec, MediaKind, SeasonPick};

fn hit(n: u32, title: &str) -> SearchHit {
    SearchHit {
        media_type: MediaType::Movie,
        tmdb_id: TmdbId::parse(i64::from(n)).expect("id"),
        title: title.to_owned(),
        year: Some(2021),
        overview: String::new(),
        poster_path: None,
        backdrop_path: None,
        vote_average: 0.0,
    }
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serializes")
}

#[test]
fn clip_counts_characters_not_bytes() {
    assert_eq!(clip("Dune", 10), "Dune");
    let long = "é".repeat(300);
    let clipped = clip(&long, 100);
    assert_eq!(clipped.chars().count(), 100);
    assert!(clipped.ends_with('…'));
}

#[test]
fn autocomplete_keeps_at_most_25_choices_with_short_names() {
    let long = "x".repeat(500);
    let hits: Vec<SearchHit> = (1..=40).map(|n| hit(n, &long)).collect();
    let value = json(&CreateInteractionResponse::Autocomplete(choices(
        &hits,
        |_| None,
    )));
    assert_eq!(value["type"], 8);
    let list = value["data"]["choices"].as_array().expect("choices");
    assert_eq!(list.len(), MAX_CHOICES);
    for choice in list {
        let name = choice["name"].as_str().expect("name");
        assert!(name.chars().count() <= MAX_CHOICE_NAME);
        let value = choice["value"].as_str().expect("value is the TMDB id");
        assert!(chosen_id(value).is_some(), "{value}");
    }
}

#[test]
fn only_marked_choices_are_ids_and_typed_numbers_are_titles() {
    let dune = TmdbId::parse(438_631).expect("id");
    assert_eq!(chosen_id(&choice_value(dune)), Some(dune));
    assert_eq!(chosen_id(" tmdb:438631 "), Some(dune));
    for typed in [
        "1917",
        "2012",
        "438631",
        "tmdb:",
        "tmdb:12a",
        "tmdb:-4",
        "TMDB 1917",
    ] {
        assert_eq!(chosen_id(typed), None, "{typed}");
    }
}

#[test]
fn approver_cards_stay_within_discord_limits() {
    let view = TitleView {
        title: "T".repeat(1000),
        year: Some(1999),
        overview: "O".repeat(10_000),
        poster_url: Some("https://image.tmdb.org/t/p/w500/a.jpg".into()),
    };
    let long = "L".repeat(200);
    let (embed, rows) = approver_card(
        &view,
        &"F".repeat(5000),
        ("a".into(), &long),
        ("d".into(), &long),
    );
    let embed = json(&embed);
    let count = |text: &serde_json::Value| text.as_str().map_or(0, |t| t.chars().count());
    let (title, description) = (count(&embed["title"]), count(&embed["description"]));
    let footer = count(&embed["footer"]["text"]);
    assert!(title <= MAX_EMBED_TITLE && description <= MAX_EMBED_DESCRIPTION);
    assert!(footer <= MAX_EMBED_FOOTER);
    assert!(title + description + footer <= 6000);
    assert_eq!(
        embed["thumbnail"]["url"],
        "https://image.tmdb.org/t/p/w500/a.jpg"
    );
    let row = json(&rows[0]);
    let label = row["components"][0]["label"].as_str().expect("label");
    assert!(label.chars().count() <= MAX_BUTTON_LABEL);
}

#[test]
fn decided_card_is_an_update_without_buttons() {
    let base = title_embed(&TitleView {
        title: "Dune".into(),
        year: None,
        overview: String::new(),
        poster_url: None,
    });
    let value = json(&CreateInteractionResponse::UpdateMessage(decided_card(
        base,
        "Approved by Ann",
    )));
    assert_eq!(value["type"], 7);
    assert_eq!(
        value["data"]["embeds"][0]["footer"]["text"],
        "Approved by Ann"
    );
    assert_eq!(value["data"]["components"], serde_json::json!([]));
}

#[test]
fn largest_custom_ids_fit_in_100_characters() {
    let codec = CallbackCodec::new([7; 32], None);
    let actions = [
        Action::Request {
            media: MediaKind::Tv,
            tmdb_id: u32::MAX,
            four_k: true,
            seasons: SeasonPick {
                mask: u64::MAX,
                all: true,
                future: true,
            },
        },
        Action::Approve {
            request_id: i64::MAX,
        },
        Action::Decline {
            request_id: i64::MIN,
        },
        Action::Page {
            search_id: u64::MAX,
            index: u16::MAX,
        },
        Action::SeasonMenu {
            tmdb_id: u32::MAX,
            four_k: true,
        },
        Action::Follow {
            request_id: i64::MIN,
        },
    ];
    for action in actions {
        let id = codec.encode(&action);
        assert!(
            !id.is_empty() && id.chars().count() <= MAX_CUSTOM_ID,
            "{id}"
        );
    }
}

fn failure(status: Option<u16>, message: &str) -> usher_core::domain::UpstreamFailure {
    usher_core::domain::UpstreamFailure {
        service: "radarr".into(),
        status,
        message: message.into(),
        circuit: usher_core::domain::Circuit::Open,
        attempts: 5,
    }
}

#[test]
fn a_failed_card_shows_the_answer_and_the_breaker_as_fields_escaped_and_clipped() {
    let catalog = usher_core::i18n::Catalog::embedded().expect("locales");
    let said = crate::view::failure_text(
        &catalog,
        "en-US",
        &failure(Some(500), "**Disk** is `read-only` <@123> [x](http://evil)"),
        MAX_FAILURE_MESSAGE,
        fit_markdown,
    );
    assert_eq!(
        said.answer,
        r"radarr answered HTTP 500: \*\*Disk\*\* is \`read\-only\` \<@123\> \[x\]\(http://evil\)"
    );
    assert_eq!(
        said.breaker,
        "open: calls to radarr are paused after repeated failures"
    );
    let view = TitleView {
        title: "Dune".into(),
        year: Some(2021),
        overview: String::new(),
        poster_url: None,
    };
    let codec = CallbackCodec::new([7; 32], None);
    let retry = codec.encode(&Action::Retry { request_id: 42 });
    let decline = codec.encode(&Action::Decline { request_id: 42 });
    let (embed, rows) = failed_card(
        &view,
        [
            ("Last attempt", &said.answer),
            ("Circuit breaker", &said.breaker),
        ],
        "Request #42 failed · requested by ann · attempts: 5",
        (retry.clone(), "Retry"),
        (decline, "Decline"),
    );
    let embed = json(&embed);
    assert_eq!(embed["fields"][0]["name"], "Last attempt");
    assert_eq!(embed["fields"][0]["value"], said.answer.as_str());
    assert_eq!(embed["fields"][1]["value"], said.breaker.as_str());
    let buttons = json(&rows[0]);
    assert_eq!(buttons["components"][0]["custom_id"], retry.as_str());
    assert_eq!(buttons["components"][0]["label"], "Retry");

    // A message as long as a log stays within a field, even when every character is escaped.
    let long = crate::view::failure_text(
        &catalog,
        "en-US",
        &failure(Some(500), &"*".repeat(5000)),
        MAX_FAILURE_MESSAGE,
        fit_markdown,
    );
    assert!(
        long.answer.chars().count() <= MAX_FIELD_VALUE,
        "{}",
        long.answer.len()
    );
    let (embed, _) = failed_card(
        &view,
        [("a", &"x".repeat(5000)), ("b", "")],
        "f",
        (String::from("r"), "Retry"),
        (String::from("d"), "Decline"),
    );
    let embed = json(&embed);
    let value = embed["fields"][0]["value"].as_str().expect("value");
    assert_eq!(value.chars().count(), MAX_FIELD_VALUE);
    // No answer at all (the breaker paused the calls before any): said plainly.
    let none = crate::view::failure_text(&catalog, "en-US", &failure(None, ""), 400, fit_markdown);
    assert_eq!(
        none.answer,
        "radarr was not called: calls were already paused"
    );
}
