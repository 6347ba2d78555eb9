//! What people are told when something upstream fails, end to end through the binary: a TMDB
//! outage is "search is unavailable, try again in a few minutes" (nothing is kept, so nothing
//! may claim so), and a title TMDB does not know is "not found", on Telegram and Discord alike.
//! And a title longer than any platform shows is still requested, shortened for display only.

use serde_json::Value;
use usher_testkit::discord;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::discord::{MEMBER_ID, Setup, card, custom_id, setup_with};
use crate::support::fake_http::FakeHttp;
use crate::support::temp_dir;
use crate::telegram::{WAIT, start, text_of};

/// TMDB's body for an outage behind its CDN.
const OUTAGE: &str =
    r#"{"status_code":9,"status_message":"Service offline - try again later.","success":false}"#;
/// TMDB's 404 body.
const MISSING: &str = r#"{"status_code":34,"status_message":"The resource you requested could not be found.","success":false}"#;

const UNAVAILABLE: &str =
    "Search is unavailable right now (TMDB isn't answering). Please try again in a few minutes.";

/// The first message the bot sends `user` after they search for `query`.
async fn telegram_reply(tmdb: &str, query: &str) -> String {
    let fake = FakeTelegram::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, tmdb, &dir).await;
    let ann = TgUser::new(7, "ann");
    fake.send_private(&ann, query);
    let reply = fake
        .wait_for(WAIT, |f| f.messages_in(ann.id).into_iter().next())
        .await
        .unwrap_or_else(|| panic!("a reply; calls: {:?}", fake.calls()));
    server.stop().await;
    text_of(&reply)
}

#[tokio::test]
async fn telegram_tmdb_outage_says_search_is_unavailable() {
    let tmdb = FakeHttp::start(503, OUTAGE).await;
    let text = telegram_reply(&tmdb.url, "/movie dune").await;
    assert_eq!(text, UNAVAILABLE);
}

#[tokio::test]
async fn telegram_tmdb_404_says_not_found() {
    let tmdb = FakeHttp::start(404, MISSING).await;
    let text = telegram_reply(&tmdb.url, "/movie dune").await;
    assert_eq!(text, "I couldn't find that.");
}

/// The message of a command's answer, waiting for the deferred follow-up when the bot
/// deferred (it does when TMDB is slow to fail).
async fn discord_answer(setup: &Setup, value: &str) -> String {
    let answer = setup
        .discord
        .post(&discord::request_command(
            "movie", value, false, MEMBER_ID, "en-US",
        ))
        .await;
    if answer["type"] == 4 {
        return content(&answer["data"]);
    }
    assert_eq!(answer["type"], 5, "{answer}");
    let path = format!(
        "/api/v10/webhooks/{}/interaction-token/messages/@original",
        discord::APPLICATION_ID
    );
    for _ in 0..400 {
        if let Some(edit) = setup.rest.received_at("PATCH", &path).into_iter().next() {
            return content(&edit.body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no follow-up at {path}");
}

fn content(data: &Value) -> String {
    data["content"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn discord_tmdb_outage_says_search_is_unavailable() {
    let tmdb = FakeHttp::start(503, OUTAGE).await;
    let setup = setup_with(&[("USHER_TMDB_API_URL", &tmdb.url)]).await;
    assert_eq!(discord_answer(&setup, "dune").await, UNAVAILABLE);
    setup.server.stop().await;
}

#[tokio::test]
async fn discord_unknown_tmdb_id_says_not_found() {
    let setup = setup_with(&[]).await;
    assert_eq!(
        discord_answer(&setup, "tmdb:4999999").await,
        "I couldn't find that."
    );
    setup.server.stop().await;
}

#[tokio::test]
async fn a_400_character_title_is_requested_and_shown_within_discords_limits() {
    let long = &usher_testkit::tmdb::catalogue::LONG_TITLE;
    assert_eq!(long.title.chars().count(), 400);
    let setup = setup_with(&[]).await;
    let id = format!("tmdb:{}", long.id);
    let result = setup
        .discord
        .post(&discord::request_command(
            "movie", &id, false, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(result["type"], 4, "{result}");
    let data = &result["data"];
    let title = data["embeds"][0]["title"].as_str().expect("embed title");
    assert!(title.chars().count() <= 256, "{title}");
    assert!(title.starts_with(&long.title[..100]), "{title}");
    assert!(title.ends_with('…'), "{title}");

    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = setup
        .discord
        .post(&discord::button_press(
            &custom_id(data, 0),
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let text = content(&asked["data"]);
    assert!(text.starts_with("Requested Fantastic Voyage"), "{asked}");
    assert!(text.chars().count() <= 2000, "{text}");
    let posted = card(&setup.rest).await;
    let heading = posted["embeds"][0]["title"].as_str().expect("card title");
    assert!(heading.chars().count() <= 256, "{heading}");
    assert!(heading.contains("Fantastic Voyage"), "{heading}");
    setup.server.stop().await;
}
