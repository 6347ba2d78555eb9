//! The fake checks inline answers and media edits as Telegram does.

use serde_json::{Value, json};

use crate::telegram::{FakeTelegram, TOKEN, TgUser};

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

fn photo(id: &str) -> Value {
    json!({"type": "photo", "id": id, "photo_url": "https://image.example/w500/a.jpg",
           "thumbnail_url": "https://image.example/w185/a.jpg", "caption": "Dune (2021)",
           "reply_markup": {"inline_keyboard": [[{"text": "Request", "callback_data": "abc"}]]}})
}

fn description(body: &Value) -> String {
    body["description"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn inline_answers_are_checked_like_telegram_does() {
    let fake = FakeTelegram::start().await;
    let user = TgUser::new(7, "Ann");
    let query = fake.inline_query(&user, "dune", "");
    let answer = |results: Value| json!({"inline_query_id": query, "results": results});

    let unknown = json!({"inline_query_id": "nope", "results": []});
    assert_eq!(post(&fake, "answerInlineQuery", unknown).await.0, 400);
    let refusals = [
        (json!([photo("m1"), photo("m1")]), "RESULT_ID_DUPLICATE"),
        (json!([photo(&"x".repeat(65))]), "RESULT_ID_INVALID"),
        (json!([photo("")]), "RESULT_ID_INVALID"),
        (
            json!((0..51).map(|i| photo(&format!("m{i}"))).collect::<Vec<_>>()),
            "RESULTS_TOO_MUCH",
        ),
        (
            json!([{"type": "photo", "id": "a", "photo_url": "https://i.example/a.jpg"}]),
            "thumbnail_url",
        ),
        (
            json!([{"type": "photo", "id": "a", "thumbnail_url": "https://i.example/a.jpg"}]),
            "photo_url",
        ),
        (
            json!([{"type": "photo", "id": "a", "photo_url": "ftp://x", "thumbnail_url": "https://i.example/a.jpg"}]),
            "PHOTO_URL_INVALID",
        ),
        (
            json!([{"type": "article", "id": "a", "title": "Dune"}]),
            "input_message_content",
        ),
        (
            json!([{"type": "article", "id": "a", "title": "",
                 "input_message_content": {"message_text": "x"}}]),
            "ARTICLE_TITLE_EMPTY",
        ),
    ];
    for (results, expected) in refusals {
        let (status, body) = post(&fake, "answerInlineQuery", answer(results)).await;
        assert_eq!(status, 400, "{expected}");
        assert!(description(&body).contains(expected), "{expected}: {body}");
    }
    let mut long_data = photo("m1");
    long_data["reply_markup"]["inline_keyboard"][0][0]["callback_data"] = json!("x".repeat(65));
    let (status, body) = post(&fake, "answerInlineQuery", answer(json!([long_data]))).await;
    assert_eq!(
        (status, description(&body)),
        (400, "Bad Request: BUTTON_DATA_INVALID".into())
    );
    assert_eq!(
        fake.inline_answer(&query),
        None,
        "refused answers are not kept"
    );

    let article = json!({"type": "article", "id": "t9", "title": "Dark",
                         "input_message_content": {"message_text": "Dark (2017)"}});
    let good = answer(json!([photo("m1"), article]));
    assert_eq!(post(&fake, "answerInlineQuery", good.clone()).await.0, 200);
    assert_eq!(
        post(&fake, "answerInlineQuery", good).await.0,
        400,
        "answered once"
    );
    let recorded = fake.inline_answer(&query).expect("recorded");
    assert_eq!(recorded["results"].as_array().map(Vec::len), Some(2));

    // The chosen result becomes an inline message; its button press carries no message.
    let posted = fake.choose_inline_result(&query, "m1").expect("a result");
    let message = fake.inline_message(&posted).expect("posted");
    assert_eq!(message["caption"], "Dune (2021)");
    assert_eq!(
        message["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "abc"
    );
    assert!(fake.choose_inline_result(&query, "zz").is_none());
    let press = fake.press_inline(&user, &posted, "abc");
    assert!(fake.answer(&press).is_none());

    // Edits through inline_message_id answer `true`; a no-op edit is refused.
    let edit = json!({"inline_message_id": posted, "caption": "Dune (2021)\nrequested"});
    let (status, body) = post(&fake, "editMessageCaption", edit.clone()).await;
    assert_eq!((status, body["result"].clone()), (200, json!(true)));
    let (status, body) = post(&fake, "editMessageCaption", edit).await;
    assert_eq!(status, 400);
    assert!(description(&body).contains("not modified"), "{body}");
}

#[tokio::test]
async fn media_edits_change_the_photo_and_refuse_no_ops() {
    let fake = FakeTelegram::start().await;
    let body = json!({"chat_id": 5, "photo": "https://i.example/a.jpg", "caption": "A"});
    let (_, sent) = post(&fake, "sendPhoto", body).await;
    let id = sent["result"]["message_id"].clone();
    let media = |url: &str, caption: &str| {
        json!({"chat_id": 5, "message_id": id,
               "media": {"type": "photo", "media": url, "caption": caption}})
    };
    let (status, body) = post(
        &fake,
        "editMessageMedia",
        media("https://i.example/a.jpg", "A"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(description(&body).contains("not modified"), "{body}");
    let (status, body) = post(
        &fake,
        "editMessageMedia",
        media("https://i.example/b.jpg", "B"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["photo"][0]["file_id"],
        "https://i.example/b.jpg"
    );
    assert_eq!(body["result"]["caption"], "B");
    let long = "x".repeat(1025);
    let (status, _) = post(
        &fake,
        "editMessageMedia",
        media("https://i.example/c.jpg", &long),
    )
    .await;
    assert_eq!(status, 400);

    let (_, text) = post(&fake, "sendMessage", json!({"chat_id": 5, "text": "t"})).await;
    let on_text = json!({"chat_id": 5, "message_id": text["result"]["message_id"],
                         "media": {"type": "photo", "media": "https://i.example/a.jpg"}});
    let (status, body) = post(&fake, "editMessageMedia", on_text).await;
    assert_eq!(status, 400);
    assert!(description(&body).contains("no media"), "{body}");

    let url_button = json!({"inline_keyboard": [[{"text": "Open", "url": "javascript:x"}]]});
    let (status, body) = post(
        &fake,
        "sendMessage",
        json!({"chat_id": 5, "text": "t", "reply_markup": url_button}),
    )
    .await;
    assert_eq!(
        (status, description(&body)),
        (400, "Bad Request: BUTTON_URL_INVALID".into())
    );
}
