//! The bot in an allowed group, as Telegram delivers to it. In privacy mode (the default;
//! the fake's `getMe` says `can_read_all_group_messages: false`) a group's commands for us or
//! for no bot in particular are answered, and the rest never arrives; with privacy mode off
//! (as BotFather's `/setprivacy` allows) everything arrives, and Usher still answers only its own
//! commands: a command for another bot, a mention and plain text are not searches in a group.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::{Server, temp_dir};
use crate::telegram::{WAIT, start_with, text_of};

const GROUP: i64 = -100_777;

async fn start_in_group(fake: &FakeTelegram, tmdb: &str, dir: &std::path::Path) -> Server {
    let group = GROUP.to_string();
    let allowed = [("USHER_TELEGRAM_ALLOWED_CHAT_IDS", group.as_str())];
    start_with(fake, tmdb, dir, &allowed).await
}

/// Sends `/help` to the group and waits for its answer: everything sent to the group before it
/// has been handled by then (the bot handles one chat's updates in order).
async fn settle(fake: &FakeTelegram, user: &TgUser) -> Vec<Value> {
    fake.send_group(user, GROUP, "/help");
    fake.wait_for(WAIT, |f| {
        let messages = f.messages_in(GROUP);
        let helped = messages.iter().any(|m| text_of(m).contains("/link"));
        helped.then_some(messages)
    })
    .await
    .unwrap_or_else(|| panic!("no help in the group: {:?}", fake.calls()))
}

fn cards(messages: &[Value]) -> Vec<&Value> {
    messages
        .iter()
        .filter(|m| text_of(m).starts_with("Dune"))
        .collect()
}

#[tokio::test]
async fn in_privacy_mode_the_group_gets_answers_to_our_commands_only() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_in_group(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(500, "Ann");

    fake.send_group(&ann, GROUP, "/movie dune");
    fake.send_group(&ann, GROUP, "/movie@usher_test_bot dune");
    fake.send_group(&ann, GROUP, "/movie@other_bot dune");
    fake.send_group(&ann, GROUP, "dune");
    let messages = settle(&fake, &ann).await;
    assert_eq!(cards(&messages).len(), 2, "{messages:?}");
    assert_eq!(
        fake.withheld(),
        2,
        "Telegram keeps the other bot's command and the chatter"
    );
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn with_privacy_mode_off_other_bots_commands_and_chatter_are_ignored() {
    let fake = FakeTelegram::start().await;
    fake.set_privacy_mode(false);
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_in_group(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(500, "Ann");

    fake.send_group(&ann, GROUP, "/movie@other_bot dune");
    fake.send_group(&ann, GROUP, "dune");
    fake.send_group(&ann, GROUP, "@usher_test_bot dune");
    let messages = settle(&fake, &ann).await;
    assert_eq!(fake.withheld(), 0, "everything reached the bot");
    assert_eq!(messages.len(), 1, "only /help was answered: {messages:?}");
    // The same plain text in a private chat is a search.
    fake.send_private(&ann, "dune");
    let card = fake
        .wait_for(WAIT, |f| f.messages_in(ann.id).into_iter().next())
        .await
        .expect("a card in the private chat");
    assert!(text_of(&card).starts_with("Dune"), "{card}");
    assert!(server.stop().await.success());
}

/// The Telegram accounts Usher knows, by id.
async fn telegram_identities(dir: &std::path::Path) -> Vec<String> {
    let url = format!("sqlite://{}?mode=ro", dir.join("data/usher.db").display());
    let db = sqlx::SqlitePool::connect(&url).await.expect("database");
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT external_id FROM identities WHERE platform = 'telegram' ORDER BY external_id",
    )
    .fetch_all(&db)
    .await
    .expect("identities");
    db.close().await;
    ids.into_iter().map(|(id,)| id).collect()
}

#[tokio::test]
async fn bots_never_become_users_and_anonymous_admins_are_asked_to_post_as_themselves() {
    let fake = FakeTelegram::start().await;
    fake.set_privacy_mode(false);
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_in_group(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(500, "Ann");
    let bob = TgUser::new(501, "Bob");
    let robot = TgUser::bot(900, "helper_bot");

    // Another bot's command gets nothing; someone's chatter registers no one.
    fake.send_group(&robot, GROUP, "/movie dune");
    fake.send_group(&bob, GROUP, "anyone seen dune?");
    // An admin posting anonymously as the group is told why nothing happens.
    fake.send_group_anonymously(GROUP, "/pending");
    let messages = settle(&fake, &ann).await;
    assert!(cards(&messages).is_empty(), "{messages:?}");
    let told: Vec<&Value> = messages
        .iter()
        .filter(|m| text_of(m).contains("posting anonymously as the group"))
        .collect();
    assert_eq!(told.len(), 1, "{messages:?}");
    assert_eq!(
        messages.len(),
        2,
        "the answer to anonymity and /help: {messages:?}"
    );

    // Only the configured admin and Ann, who used a command as herself, are known.
    assert_eq!(telegram_identities(&dir).await, ["100", "500"]);
    assert!(server.stop().await.success());
}
