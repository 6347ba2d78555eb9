//! Forum topics through the binary: with `USHER_TELEGRAM_ADMIN_TOPIC_ID` the approver card goes
//! into that topic of the admin chat, and everything said or pressed in a topic is answered in
//! it — the decline prompt, the answer to the reason, `/pending`, a search card in an allowed
//! group. A topic id that names no topic costs no card: it lands in the chat itself.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::temp_dir;
use crate::telegram::{
    ADMIN_CHAT, WAIT, admin_card, buttons, press, request_dune, start_with, text_of,
};

const TOPIC_KEY: &str = "USHER_TELEGRAM_ADMIN_TOPIC_ID";
const MOVIE_GROUP: i64 = -100_777;

/// The first message the bot has in `chat` that `check` accepts.
async fn sent_in(fake: &FakeTelegram, chat: i64, check: impl Fn(&Value) -> bool) -> Value {
    fake.wait_for(WAIT, |f| f.messages_in(chat).into_iter().find(|m| check(m)))
        .await
        .unwrap_or_else(|| panic!("no such message: {:?}", fake.messages_in(chat)))
}

#[tokio::test]
async fn cards_and_answers_stay_in_their_forum_topic() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let topic = fake.create_topic(ADMIN_CHAT, "Requests");
    let movies = fake.create_topic(MOVIE_GROUP, "Movies");
    let (topic_id, group) = (topic.to_string(), MOVIE_GROUP.to_string());
    let env = [
        (TOPIC_KEY, topic_id.as_str()),
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", group.as_str()),
    ];
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;
    let (ann, boss) = (TgUser::new(12, "ann"), TgUser::new(100, "boss"));

    let card = request_dune(&fake, &ann).await;
    assert_eq!(card["message_thread_id"], topic, "{card}");
    assert_eq!(card["is_topic_message"], true);

    // `/pending` typed in the topic: the waiting card comes back there.
    fake.send_in_topic(&boss, ADMIN_CHAT, topic, "/pending");
    let card_id = card["message_id"].clone();
    let listed = sent_in(&fake, ADMIN_CHAT, |m| {
        m["message_id"] != card_id && !buttons(m).is_empty()
    })
    .await;
    assert!(text_of(&listed).contains("Dune"), "{listed}");
    assert_eq!(listed["message_thread_id"], topic, "{listed}");

    // Decline → Other reason… on the card in the topic: the prompt asks there.
    press(&fake, &boss, &card, &buttons(&card).remove(1)).await;
    let picker = admin_card(&fake, |m| buttons(m).len() > 2).await;
    let answer = press(&fake, &boss, &picker, &buttons(&picker).remove(3)).await;
    assert!(!answer.show_alert, "{answer:?}");
    let prompt = sent_in(&fake, ADMIN_CHAT, |m| {
        m["reply_markup"]["force_reply"] == true
    })
    .await;
    assert_eq!(prompt["message_thread_id"], topic, "{prompt}");

    // The reason, replied in the topic, is answered in the topic.
    let prompt_id = prompt["message_id"].as_i64().expect("id");
    fake.reply_to(&boss, ADMIN_CHAT, prompt_id, "Only the 1984 cut");
    let declined = sent_in(&fake, ADMIN_CHAT, |m| text_of(m) == "Declined.").await;
    assert_eq!(declined["message_thread_id"], topic, "{declined}");
    let decided = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&decided).contains("Only the 1984 cut"), "{decided}");

    // Nothing waits now; `/pending` in the topic says so, in the topic.
    fake.send_in_topic(&boss, ADMIN_CHAT, topic, "/pending");
    let empty = sent_in(&fake, ADMIN_CHAT, |m| {
        text_of(m) == "Nothing waits for approval."
    })
    .await;
    assert_eq!(empty["message_thread_id"], topic, "{empty}");
    for message in fake.messages_in(ADMIN_CHAT) {
        assert_eq!(message["message_thread_id"], topic, "{message}");
    }

    // A search in a topic of an allowed group answers there; in General, in the chat itself.
    fake.send_in_topic(&ann, MOVIE_GROUP, movies, "/movie dune");
    let found = sent_in(&fake, MOVIE_GROUP, |m| text_of(m).starts_with("Dune")).await;
    assert_eq!(found["message_thread_id"], movies, "{found}");
    fake.send_group(&ann, MOVIE_GROUP, "/movie nothing-matches-this");
    let general = sent_in(&fake, MOVIE_GROUP, |m| {
        text_of(m).contains("nothing-matches")
    })
    .await;
    assert!(general.get("message_thread_id").is_none(), "{general}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn a_topic_that_does_not_exist_costs_no_card() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_with(&fake, &tmdb.url, &dir, &[(TOPIC_KEY, "999")]).await;
    let card = request_dune(&fake, &TgUser::new(12, "ann")).await;
    assert!(text_of(&card).contains("Dune"), "{card}");
    assert!(card.get("message_thread_id").is_none(), "{card}");
    let refused = fake.calls().into_iter().any(|c| {
        c.params["message_thread_id"] == 999
            && c.outcome == Err("Bad Request: message thread not found".into())
    });
    assert!(refused, "the topic was tried first");
    assert!(server.stop().await.success());
}
