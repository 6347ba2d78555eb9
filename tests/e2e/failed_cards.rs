//! A request that fails upstream, end to end through the binary on both chat platforms: Radarr
//! answers 500 with its own message until Usher gives up, and the card that lands in the admin
//! chat shows Radarr's HTTP status and message of the last attempt and, apart, the circuit
//! breaker — then Retry sends the request again and the card says who did.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};
use usher_testkit::{FakeRadarr, discord};

use crate::support::discord::{ADMIN_ID, DUNE, MEMBER_ID, custom_id, nth_card, setup_with};
use crate::support::temp_dir;
use crate::telegram::{
    ADMIN_CHAT, WAIT, button, buttons, press, request_dune, start_with, text_of,
};

const KEY: &str = "e2e-failed-cards-radarr-key";

/// A Radarr that answers every call with 500 `{"message":"injected failure"}`, and the settings
/// that make Usher give up on it after two attempts a second apart.
async fn failing_radarr() -> FakeRadarr {
    let radarr = FakeRadarr::start(KEY).await;
    radarr.server.faults.go_down();
    radarr
}

fn arr_env(radarr: &FakeRadarr) -> Vec<(&'static str, &str)> {
    vec![
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", KEY),
        ("USHER_ARR_SUBMIT_ATTEMPTS", "2"),
        ("USHER_ARR_RETRY_BACKOFF_SECS", "1"),
    ]
}

#[tokio::test]
async fn telegram_failed_card_shows_radarrs_answer_and_the_breaker_then_retries() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr = failing_radarr().await;
    let (_keep, dir) = temp_dir();
    let server = start_with(&fake, &tmdb.url, &dir, &arr_env(&radarr)).await;
    let ann = TgUser::new(7, "ann");
    let boss = TgUser::new(100, "boss");
    let approver = request_dune(&fake, &ann).await;
    let answer = press(&fake, &boss, &approver, &buttons(&approver)[0]).await;
    assert!(!answer.show_alert, "{answer:?}");

    let failed = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ADMIN_CHAT)
                .into_iter()
                .find(|m| text_of(m).contains("failed"))
        })
        .await
        .unwrap_or_else(|| panic!("a failed card: {:?}", fake.messages_in(ADMIN_CHAT)));
    let text = text_of(&failed);
    assert!(
        text.contains("radarr answered HTTP 500: injected failure"),
        "Radarr's own status and words: {text}"
    );
    assert!(
        text.contains("\nCircuit breaker: open: calls to radarr are paused"),
        "the breaker on a line of its own: {text}"
    );
    assert!(text.contains("Attempts: 2"), "{text}");
    let sent = fake
        .calls()
        .into_iter()
        .find(|c| c.params["text"].as_str() == Some(text.as_str()))
        .expect("the sendMessage of the card");
    assert!(
        sent.params.get("parse_mode").is_none(),
        "plain text: Radarr's words cannot inject markup"
    );

    // Radarr is back; the admin presses Retry: the card keeps the answer and says who.
    radarr.server.faults.recover();
    let retry = button(&failed, "🔁 Retry");
    let answer = press(&fake, &boss, &failed, &retry).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Sent again by boss"),
        "{answer:?}"
    );
    let edited = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ADMIN_CHAT)
                .into_iter()
                .find(|m| m["message_id"] == failed["message_id"])
                .filter(|m| text_of(m).ends_with("Sent again by boss"))
        })
        .await
        .expect("the card shows the retry");
    assert!(buttons(&edited).is_empty(), "{edited}");
    assert!(text_of(&edited).contains("HTTP 500: injected failure"));
    server.stop().await;
}

/// The `n`th post in the admin channel once there are that many.
async fn admin_post(rest: &usher_testkit::FakeServer, n: usize) -> Value {
    nth_card(rest, n).await
}

#[tokio::test]
async fn discord_failed_card_shows_radarrs_answer_and_the_breaker_then_retries() {
    let radarr = failing_radarr().await;
    let s = setup_with(&arr_env(&radarr)).await;
    let result = s
        .discord
        .post(&discord::request_command(
            "movie", DUNE, false, MEMBER_ID, "en-US",
        ))
        .await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = s
        .discord
        .post(&discord::button_press(
            &custom_id(data, 0),
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    assert_eq!(asked["type"], 4, "{asked}");
    let card = admin_post(&s.rest, 0).await;
    let message = discord::message_with(&card["embeds"], &card["components"]);
    let approved = s
        .discord
        .post(&discord::button_press(
            &custom_id(&card, 0),
            ADMIN_ID,
            "admin",
            &message,
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");

    let failed = admin_post(&s.rest, 1).await;
    let embed = &failed["embeds"][0];
    assert_eq!(embed["fields"][0]["name"], "Last attempt");
    assert_eq!(
        embed["fields"][0]["value"], "radarr answered HTTP 500: injected failure",
        "{failed}"
    );
    assert_eq!(embed["fields"][1]["name"], "Circuit breaker");
    assert_eq!(
        embed["fields"][1]["value"],
        "open: calls to radarr are paused after repeated failures"
    );
    let footer = embed["footer"]["text"].as_str().unwrap_or_default();
    assert!(
        footer.contains("failed") && footer.contains("attempts: 2"),
        "{footer}"
    );

    radarr.server.faults.recover();
    let message = discord::message_with(&failed["embeds"], &failed["components"]);
    let retried = s
        .discord
        .post(&discord::button_press(
            &custom_id(&failed, 0),
            ADMIN_ID,
            "admin",
            &message,
        ))
        .await;
    assert_eq!(retried["type"], 7, "{retried}");
    let embed = &retried["data"]["embeds"][0];
    assert_eq!(embed["footer"]["text"], "Sent again by admin");
    assert_eq!(
        embed["fields"][0]["value"],
        "radarr answered HTTP 500: injected failure"
    );
    s.server.stop().await;
}
