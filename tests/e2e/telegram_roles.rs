//! A role defined in `usher.toml` and granted to a Telegram group chat: a newcomer who asks in
//! that chat holds it at once, so their movie request skips the approval queue and reaches
//! Radarr, while the same request in a private chat (before ever writing in the group) waits
//! for an approver (on both databases). Removed from the chat, a member loses the role again.

use serde_json::Value;
use usher_testkit::FakeRadarr;
use usher_testkit::telegram::{Departure, FakeTelegram, TgUser};

use crate::support::{database_for, drop_database, temp_dir, write_config};
use crate::telegram::{
    ADMIN_CHAT, ASKED_FOR, WAIT, approver_card, asked_for, button, buttons, press, start_with,
    text_of,
};

const FAMILY_CHAT: i64 = -100_777;
const ARR_KEY: &str = "e2e-roles-arr-key";

/// The first card with buttons `user` gets in `chat` after sending `text` there.
async fn card_in(fake: &FakeTelegram, user: &TgUser, chat: i64, text: &str, title: &str) -> Value {
    if chat == user.id {
        fake.send_private(user, text);
    } else {
        fake.send_group(user, chat, text);
    }
    fake.wait_for(WAIT, |f| {
        f.messages_in(chat)
            .into_iter()
            .find(|m| !buttons(m).is_empty() && text_of(m).starts_with(title))
    })
    .await
    .unwrap_or_else(|| panic!("no card in {chat}: {:?}", fake.calls()))
}

#[tokio::test]
async fn a_chat_granted_role_auto_approves_straight_to_radarr_on_sqlite() {
    chat_granted_role_auto_approves(false).await;
}

#[tokio::test]
async fn a_chat_granted_role_auto_approves_straight_to_radarr_on_postgres() {
    chat_granted_role_auto_approves(true).await;
}

async fn chat_granted_role_auto_approves(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let config = write_config(
        &dir,
        &format!(
            r#"
[[role]]
name = "family"
permissions = ["request_movie", "request_tv", "auto_approve_movie"]
radarr = {{ instance = "radarr" }}

[[role_grant]]
role = "family"
telegram_chat = {FAMILY_CHAT}
"#
        ),
    );
    let chat = FAMILY_CHAT.to_string();
    let mut env = vec![
        ("USHER_CONFIG", config.as_str()),
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", chat.as_str()),
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", ARR_KEY),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;

    // Bob, never seen in the family chat, asks privately: an approver must decide.
    let bob = TgUser::new(601, "Bob");
    let card = card_in(&fake, &bob, bob.id, "/movie metropolis", "Metropolis").await;
    let answer = press(&fake, &bob, &card, &button(&card, "Request")).await;
    assert!(!answer.show_alert, "{answer:?}");
    let approver = approver_card(&fake).await;
    assert!(text_of(&approver).contains("Bob"), "{approver}");
    assert!(text_of(&approver).contains("Metropolis"), "{approver}");
    assert_eq!(radarr.adds(), 0, "a pending request is not submitted");

    // Ann asks in the family chat: the grant's role is hers, and the request goes through.
    let ann = TgUser::new(600, "Ann");
    let card = card_in(
        &fake,
        &ann,
        FAMILY_CHAT,
        "/movie@usher_test_bot dune",
        "Dune",
    )
    .await;
    let answer = press(&fake, &ann, &card, &button(&card, "Request")).await;
    assert!(!answer.show_alert, "{answer:?}");
    let deadline = tokio::time::Instant::now() + WAIT;
    while radarr.adds() == 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        answer
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("Approved right away"))
    );
    assert_eq!(
        radarr.adds(),
        1,
        "Ann's request reached Radarr, Bob's did not; admin chat {:?}",
        fake.messages_in(ADMIN_CHAT)
            .iter()
            .map(text_of)
            .collect::<Vec<_>>(),
    );
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}

/// Presses Request on the card `user` gets for `text` in `chat`; returns the answer's text.
async fn request_in(
    fake: &FakeTelegram,
    user: &TgUser,
    chat: i64,
    text: &str,
    title: &str,
) -> String {
    let card = card_in(fake, user, chat, text, title).await;
    let answer = press(fake, user, &card, &button(&card, "Request")).await;
    assert!(!answer.show_alert, "{answer:?}");
    answer.text.unwrap_or_default()
}

/// Removed from the family chat (a `chat_member` update, which the bot as the chat's admin
/// gets), Ann loses the role its grant gave her: her next request waits for an approver. On
/// both databases.
#[tokio::test]
async fn leaving_the_granting_chat_takes_the_role_back_on_sqlite() {
    leaving_takes_the_role_back(false).await;
}

#[tokio::test]
async fn leaving_the_granting_chat_takes_the_role_back_on_postgres() {
    leaving_takes_the_role_back(true).await;
}

async fn leaving_takes_the_role_back(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let config = write_config(
        &dir,
        &format!(
            r#"
[[role]]
name = "family"
permissions = ["request_movie", "auto_approve_movie"]
radarr = {{ instance = "radarr" }}

[[role_grant]]
role = "family"
telegram_chat = {FAMILY_CHAT}
"#
        ),
    );
    let chat = FAMILY_CHAT.to_string();
    let mut env = vec![
        ("USHER_CONFIG", config.as_str()),
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", chat.as_str()),
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", ARR_KEY),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;
    let (ann, bob) = (TgUser::new(610, "Ann"), TgUser::new(611, "Bob"));
    let first = request_in(
        &fake,
        &ann,
        FAMILY_CHAT,
        "/movie@usher_test_bot dune",
        "Dune",
    )
    .await;
    assert!(first.starts_with("Approved right away"), "{first}");
    assert_eq!(asked_for(&fake), ASKED_FOR, "getUpdates' allowed_updates");

    fake.member_leaves(&ann, FAMILY_CHAT, Departure::Kicked);
    assert_eq!(fake.withheld(), 0, "the bot asked for chat_member updates");
    // Updates of one chat are handled in order: once Bob's command there is answered, so is
    // Ann's departure.
    let seen = fake.messages_in(FAMILY_CHAT).len();
    fake.send_group(&bob, FAMILY_CHAT, "/mine@usher_test_bot");
    fake.wait_for(WAIT, |f| f.messages_in(FAMILY_CHAT).into_iter().nth(seen))
        .await
        .expect("Bob's /mine answered");

    let second = request_in(&fake, &ann, ann.id, "/movie inception", "Inception").await;
    assert!(second.starts_with("Requested"), "{second}");
    fake.wait_for(WAIT, |f| {
        f.messages_in(ADMIN_CHAT)
            .into_iter()
            .find(|m| text_of(m).contains("Inception"))
    })
    .await
    .expect("an approver card for Ann's second request");
    assert_eq!(radarr.adds(), 1, "only the first reached Radarr");
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}
