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
