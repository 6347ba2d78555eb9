//! The fake refuses what Telegram refuses, so the bot's tests mean something.

use serde_json::{Value, json};

use super::{FakeTelegram, TOKEN, TgUser};

async fn post(fake: &FakeTelegram, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/bot{TOKEN}/{method}", fake.url());
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("fake answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json body"))
}

#[tokio::test]
async fn methods_are_case_insensitive_and_messages_are_full() {
    let fake = FakeTelegram::start().await;
    let (status, body) = post(&fake, "GetMe", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["is_bot"], true);
    let (status, body) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": "hi"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"]["text"], "hi");
    assert!(
        body["result"]["date"]
            .as_i64()
            .is_some_and(|d| d < 10_000_000_000)
    );
}

#[tokio::test]
async fn refuses_what_telegram_refuses() {
    let fake = FakeTelegram::start().await;
    let (status, _) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": ""})).await;
    assert_eq!(status, 400);
    let long = "x".repeat(4097);
    let (status, _) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": long})).await;
    assert_eq!(status, 400);
    let keyboard = json!({"inline_keyboard": [[{"text": "b", "callback_data": "x".repeat(65)}]]});
    let body = json!({"chat_id": 5, "text": "t", "reply_markup": keyboard});
    let (status, _) = post(&fake, "sendMessage", body).await;
    assert_eq!(status, 400);

    let (_, sent) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": "same"})).await;
    let id = sent["result"]["message_id"].clone();
    let edit = json!({"chat_id": 5, "message_id": id, "text": "same"});
    let (status, body) = post(&fake, "editMessageText", edit).await;
    assert_eq!(status, 400);
    assert!(
        body["description"]
            .as_str()
            .is_some_and(|d| d.contains("not modified"))
    );

    let user = TgUser::new(7, "Ann");
    let query = fake.press(&user, 5, id.as_i64().unwrap_or_default(), "data");
    let answer = json!({"callback_query_id": query});
    assert_eq!(
        post(&fake, "answerCallbackQuery", answer.clone()).await.0,
        200
    );
    assert_eq!(post(&fake, "answerCallbackQuery", answer).await.0, 400);
    let unknown = json!({"callback_query_id": "nope"});
    assert_eq!(post(&fake, "answerCallbackQuery", unknown).await.0, 400);
}

#[tokio::test]
async fn long_poll_honours_offset_and_throttle_gives_retry_after() {
    let fake = FakeTelegram::start().await;
    let (_, empty) = post(&fake, "getUpdates", json!({"timeout": 0})).await;
    assert_eq!(empty["result"], json!([]));
    fake.send_private(&TgUser::new(7, "Ann"), "/start");
    let (_, got) = post(&fake, "getUpdates", json!({"timeout": 1})).await;
    let id = got["result"][0]["update_id"].as_i64().unwrap_or_default();
    assert_eq!(got["result"][0]["message"]["text"], "/start");
    let (_, again) = post(&fake, "getUpdates", json!({"offset": id + 1, "timeout": 0})).await;
    assert_eq!(again["result"], json!([]));

    fake.throttle_next(1, 2);
    let (status, body) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": "t"})).await;
    assert_eq!(status, 429);
    assert_eq!(body["parameters"]["retry_after"], 2);
    let (status, _) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": "t"})).await;
    assert_eq!(status, 200);
}

/// python-telegram-bot sends every number as a string (`"offset":"103"`), as the Bot API
/// allows: the fake reads them as numbers, so an acknowledged update is not sent again.
#[tokio::test]
async fn numbers_sent_as_strings_are_read_as_numbers() {
    let fake = FakeTelegram::start().await;
    fake.send_private(&TgUser::new(7, "Ann"), "/start");
    let (_, got) = post(&fake, "getUpdates", json!({"timeout": "1", "limit": "1"})).await;
    let id = got["result"][0]["update_id"].as_i64().expect("an update");
    let next = (id + 1).to_string();
    let (_, again) = post(&fake, "getUpdates", json!({"offset": next, "timeout": "0"})).await;
    assert_eq!(again["result"], json!([]));
    let (_, sent) = post(&fake, "sendMessage", json!({"chat_id": "7", "text": "t"})).await;
    let message = sent["result"]["message_id"]
        .as_i64()
        .expect("sent")
        .to_string();
    let delete = json!({"chat_id": "7", "message_id": message});
    assert_eq!(post(&fake, "deleteMessage", delete.clone()).await.0, 200);
    assert_eq!(
        post(&fake, "deleteMessage", delete).await.0,
        400,
        "already gone"
    );
}

#[tokio::test]
async fn sends_into_forum_topics_are_checked_and_marked() {
    let fake = FakeTelegram::start().await;
    let forum = -1_001_000;
    let body = json!({"chat_id": forum, "text": "card", "message_thread_id": 77});
    let (status, refused) = post(&fake, "sendMessage", body).await;
    assert_eq!(status, 400);
    assert_eq!(
        refused["description"],
        "Bad Request: message thread not found"
    );

    let topic = fake.create_topic(forum, "Requests");
    let other = fake.create_topic(-1_002_000, "Elsewhere");
    let body = json!({"chat_id": forum, "text": "card", "message_thread_id": other});
    assert_eq!(
        post(&fake, "sendMessage", body).await.0,
        400,
        "not this chat's"
    );
    let body = json!({"chat_id": forum, "text": "card", "message_thread_id": topic});
    let (status, sent) = post(&fake, "sendMessage", body).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["result"]["message_thread_id"], topic);
    assert_eq!(sent["result"]["is_topic_message"], true);
    assert_eq!(sent["result"]["chat"]["is_forum"], true);
    let (_, general) = post(
        &fake,
        "sendMessage",
        json!({"chat_id": forum, "text": "hi"}),
    )
    .await;
    assert!(general["result"].get("message_thread_id").is_none());

    let boss = TgUser::new(100, "boss");
    fake.send_in_topic(&boss, forum, topic, "/pending");
    let card = sent["result"]["message_id"].as_i64().expect("id");
    fake.reply_to(&boss, forum, card, "because");
    let (_, updates) = post(&fake, "getUpdates", json!({})).await;
    let said: Vec<&Value> = updates["result"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| &u["message"])
        .collect();
    assert_eq!(said.len(), 2, "{updates}");
    for message in &said {
        assert_eq!(message["message_thread_id"], topic, "{message}");
        assert_eq!(message["is_topic_message"], true);
    }
    assert!(said[0]["reply_to_message"]["forum_topic_created"].is_object());
    assert_eq!(said[1]["reply_to_message"]["message_id"], card);
}
