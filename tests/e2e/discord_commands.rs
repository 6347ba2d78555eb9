//! `/mine`, `/cancel`, `/pending` and `/help` over HTTP interactions: ephemeral, localized, and
//! acting through the same core flows as Telegram's commands.

use std::time::Duration;

use serde_json::{Value, json};
use usher_testkit::discord;

use crate::support::discord::{ADMIN_ID, DUNE, MEMBER_ID, Setup, custom_id, nth_card, setup};

/// Asks for `title` (an autocomplete value) as the member; waits for its approver card.
async fn ask(setup: &Setup, title: &str, n: usize) {
    let result = setup
        .discord
        .post(&discord::request_command(
            "movie", title, false, MEMBER_ID, "en-US",
        ))
        .await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &shown);
    setup.discord.post(&press).await;
    nth_card(&setup.rest, n).await;
}

async fn slash(setup: &Setup, name: &str, options: Value, user: u64, locale: &str) -> Value {
    let answer = setup
        .discord
        .post(&discord::slash_command(name, options, user, locale))
        .await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert_eq!(answer["data"]["flags"], 64, "ephemeral: {answer}");
    answer
}

fn content(answer: &Value) -> &str {
    answer["data"]["content"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn mine_cancel_pending_and_help_answer_ephemerally_in_the_members_language() {
    let setup = setup().await;

    // All six commands are registered, named and described in every shipped language.
    let path = format!("/api/v10/applications/{}/commands", discord::APPLICATION_ID);
    let mut registered = json!([]);
    for _ in 0..100 {
        if let Some(put) = setup.rest.received_at("PUT", &path).first() {
            registered = put.body.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let names: Vec<&str> = registered
        .as_array()
        .expect("commands")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "request", "mine", "cancel", "pending", "help", "link", "issue", "trending", "discover"
        ]
    );
    assert_localized(&registered);

    let help = slash(&setup, "help", json!([]), MEMBER_ID, "de").await;
    assert!(content(&help).starts_with("Ich finde Filme"), "{help}");

    let empty = slash(&setup, "mine", json!([]), MEMBER_ID, "en-US").await;
    assert_eq!(content(&empty), "You have no requests yet.");

    ask(&setup, DUNE, 0).await;
    ask(&setup, "tmdb:27205", 1).await;
    let mine = slash(&setup, "mine", json!([]), MEMBER_ID, "en-US").await;
    assert_eq!(content(&mine), "#2 Inception — pending\n#1 Dune — pending");

    let cancel = json!([{ "name": "request", "type": 4, "value": 1 }]);
    let cancelled = slash(&setup, "cancel", cancel.clone(), MEMBER_ID, "en-US").await;
    assert_eq!(content(&cancelled), "Request #1 cancelled.");
    let again = slash(&setup, "cancel", cancel.clone(), MEMBER_ID, "en-US").await;
    assert!(content(&again).contains("cancelled"), "{again}");
    // Nobody cancels someone else's request.
    let other = json!([{ "name": "request", "type": 4, "value": 2 }]);
    let refused = slash(&setup, "cancel", other, ADMIN_ID, "en-US").await;
    assert_eq!(content(&refused), "You're not allowed to do that.");

    // The admin's /pending: the one waiting request as a card with its own buttons.
    let pending = slash(&setup, "pending", json!([]), ADMIN_ID, "de").await;
    let data = &pending["data"];
    assert_eq!(
        data["embeds"].as_array().map(Vec::len),
        Some(1),
        "{pending}"
    );
    assert_eq!(data["embeds"][0]["title"], "Inception (2010)");
    assert_eq!(
        data["embeds"][0]["footer"]["text"],
        "#2 · angefragt von member"
    );
    assert_eq!(
        data["components"][0]["components"][0]["label"],
        "Genehmigen #2"
    );
    let approve = custom_id(data, 0);
    let list = discord::message_with(&data["embeds"], &data["components"]);
    let mut press = discord::button_press(&approve, ADMIN_ID, "admin", &list);
    press["locale"] = json!("de");
    // A list of one is that card: it is edited in place.
    let approved = setup.discord.post(&press).await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Genehmigt von admin"
    );
    let none = slash(&setup, "pending", json!([]), ADMIN_ID, "en-US").await;
    assert_eq!(content(&none), "Nothing waits for approval.");

    setup.server.stop().await;
}

/// The registered commands carry Discord's localizations for de, fr, es-ES, pt-BR and it, from
/// locales/ (shared with the gateway test, which checks its own registration the same way).
pub fn assert_localized(registered: &Value) {
    let request = &registered[0];
    assert_eq!(request["name_localizations"]["de"], "anfragen", "{request}");
    assert_eq!(request["name_localizations"]["fr"], "demander");
    assert_eq!(request["name_localizations"]["es-ES"], "pedir");
    assert_eq!(request["name_localizations"]["pt-BR"], "pedir");
    assert_eq!(request["name_localizations"]["it"], "richiedi");
    assert_eq!(
        request["description_localizations"]["de"],
        "Einen Film oder eine Serie anfragen"
    );
    let movie = &request["options"][0];
    assert_eq!(movie["name"], "movie");
    assert_eq!(movie["name_localizations"]["es-ES"], "película");
    let title = &movie["options"][0];
    assert_eq!(title["description_localizations"]["fr"], "Le titre du film");
    for command in registered.as_array().expect("commands") {
        let locales = command["name_localizations"]
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        assert_eq!(locales.len(), 5, "{command}");
    }
}

#[tokio::test]
async fn link_issues_a_code_that_joins_another_account_once() {
    const OTHER_ID: u64 = 500_000_000_000_000_003;
    let setup = setup().await;
    ask(&setup, DUNE, 0).await;

    let issued = slash(&setup, "link", json!([]), MEMBER_ID, "en-US").await;
    let text = content(&issued);
    let code = text
        .strip_prefix("Your link code: ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a code in {text:?}"))
        .to_owned();
    assert_eq!(code.len(), 8, "{text}");
    assert!(text.contains("10 minutes"), "{text}");

    // A wrong code changes nothing.
    let code_option = |c: &str| json!([{ "name": "code", "type": 3, "value": c }]);
    let wrong = slash(&setup, "link", code_option("ZZZZ-ZZZZ"), OTHER_ID, "en-US").await;
    assert!(content(&wrong).starts_with("That code is wrong"), "{wrong}");

    // Another Discord account enters it (typed in lower case with a dash): joined, and that
    // account now sees the first one's requests.
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let joined = slash(&setup, "link", code_option(&typed), OTHER_ID, "de").await;
    assert!(content(&joined).starts_with("Verknüpft"), "{joined}");
    let mine = slash(&setup, "mine", json!([]), OTHER_ID, "en-US").await;
    assert!(content(&mine).contains("Dune"), "{mine}");

    // A code works once.
    let again = slash(&setup, "link", code_option(&code), OTHER_ID, "en-US").await;
    assert!(content(&again).starts_with("That code is wrong"), "{again}");
}
