//! The Telegram bot end to end: the `usher` binary long-polls the strict fake Bot API and
//! searches the fake TMDB. A member requests Dune, the admin chat gets the approver card, a
//! forged button and a member's Approve change nothing, the admin's Approve edits the card and
//! the member is told.

use std::time::Duration;

use serde_json::Value;
use usher_testkit::telegram::{Answer, FakeTelegram, TOKEN, TgUser};

use crate::support::{Server, tampered, temp_dir};

pub(crate) const ADMIN_CHAT: i64 = -100_123;
pub(crate) const WAIT: Duration = Duration::from_secs(20);
/// The update kinds Usher asks Telegram for, polling or by webhook: what it handles, with
/// `chat_member` (who leaves a granting chat), and nothing else.
pub(crate) const ASKED_FOR: [&str; 5] = [
    "callback_query",
    "chat_member",
    "inline_query",
    "message",
    "my_chat_member",
];

/// The update kinds the bot last asked `fake` for, sorted.
pub(crate) fn asked_for(fake: &FakeTelegram) -> Vec<String> {
    let mut kinds = fake
        .allowed_updates()
        .expect("the bot lists the update kinds it wants");
    kinds.sort();
    kinds
}

/// Every button under a message, row by row, as (label, callback data).
pub(crate) fn keyboard(message: &Value) -> Vec<(String, String)> {
    let rows = message["reply_markup"]["inline_keyboard"].as_array();
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| {
            let data = b["callback_data"].as_str()?;
            Some((
                b["text"].as_str().unwrap_or_default().to_owned(),
                data.to_owned(),
            ))
        })
        .collect()
}

/// The callback data of every button under a message, in order.
pub(crate) fn buttons(message: &Value) -> Vec<String> {
    keyboard(message)
        .into_iter()
        .map(|(_, data)| data)
        .collect()
}

/// The callback data of the button labelled `label` under a message, if there is one.
pub(crate) fn find_button(message: &Value, label: &str) -> Option<String> {
    keyboard(message)
        .into_iter()
        .find(|(text, _)| text == label)
        .map(|(_, data)| data)
}

/// The callback data of the button labelled `label` under a message.
pub(crate) fn button(message: &Value, label: &str) -> String {
    find_button(message, label).unwrap_or_else(|| panic!("no {label:?} button under {message}"))
}

pub(crate) fn text_of(message: &Value) -> String {
    let text = message["text"].as_str().or(message["caption"].as_str());
    text.unwrap_or_default().to_owned()
}

pub(crate) async fn press(
    fake: &FakeTelegram,
    user: &TgUser,
    message: &Value,
    data: &str,
) -> Answer {
    let chat = message["chat"]["id"].as_i64().unwrap_or_default();
    let id = message["message_id"].as_i64().unwrap_or_default();
    let query = fake.press(user, chat, id, data);
    fake.wait_answer(&query, WAIT)
        .await
        .expect("the press was answered")
}

/// The first message in the admin chat once `check` holds for it: edits follow the answer to a
/// press (they wait their turn in the send queue; the answer does not).
pub(crate) async fn admin_card(fake: &FakeTelegram, check: impl Fn(&Value) -> bool) -> Value {
    fake.wait_for(WAIT, |f| {
        f.messages_in(ADMIN_CHAT)
            .into_iter()
            .next()
            .filter(|m| check(m))
    })
    .await
    .unwrap_or_else(|| panic!("the card changed: {:?}", fake.messages_in(ADMIN_CHAT)))
}

/// The first message in the admin chat with buttons: an approver card (messages without
/// buttons, such as a forged press reported, are passed over).
pub(crate) async fn approver_card(fake: &FakeTelegram) -> Value {
    first_with_buttons(fake, ADMIN_CHAT).await
}

/// The first message in `chat` with buttons (a card), once it is there.
pub(crate) async fn first_with_buttons(fake: &FakeTelegram, chat: i64) -> Value {
    fake.wait_for(WAIT, |f| {
        f.messages_in(chat)
            .into_iter()
            .find(|m| !buttons(m).is_empty())
    })
    .await
    .unwrap_or_else(|| panic!("no card in chat {chat}; calls: {:?}", fake.calls()))
}

/// `usher serve` with the bot pointed at `fake`, admin 100 and the admin chat, and TMDB.
pub(crate) async fn start(fake: &FakeTelegram, tmdb: &str, dir: &std::path::Path) -> Server {
    start_with(fake, tmdb, dir, &[]).await
}

/// [`start`] with more settings (`USHER_*` name and value).
pub(crate) async fn start_with(
    fake: &FakeTelegram,
    tmdb: &str,
    dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> Server {
    let admin_chat = ADMIN_CHAT.to_string();
    let mut env = vec![
        ("USHER_TELEGRAM_TOKEN", TOKEN),
        ("USHER_TELEGRAM_API_URL", fake.url()),
        ("USHER_TELEGRAM_ADMIN_CHAT_ID", admin_chat.as_str()),
        ("USHER_TELEGRAM_ADMIN_IDS", "100"),
        ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ("USHER_TMDB_API_URL", tmdb),
    ];
    env.extend_from_slice(extra);
    let server = Server::start(dir, &env).await;
    let note = server
        .printed
        .iter()
        .any(|l| l.contains("does not run the chat bots"));
    assert!(!note, "{:?}", server.printed);
    server
}

/// Searches as `user`, presses Request on the card, and returns the approver card.
pub(crate) async fn request_dune(fake: &FakeTelegram, user: &TgUser) -> Value {
    ask_for_dune(fake, user).await;
    fake.wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().next())
        .await
        .expect("an approver card in the admin chat")
}

/// Searches as `user` and presses Request on the card.
async fn ask_for_dune(fake: &FakeTelegram, user: &TgUser) {
    fake.send_private(user, "/movie dune");
    let card = fake
        .wait_for(WAIT, |f| {
            f.messages_in(user.id)
                .into_iter()
                .find(|m| !buttons(m).is_empty())
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "a search card with a Request button; calls: {:?}",
                fake.calls()
            )
        });
    assert!(text_of(&card).starts_with("Dune"), "{card}");
    assert!(
        card.get("photo").is_some(),
        "the card shows the poster: {card}"
    );
    let request = button(&card, "Request");
    let answer = press(fake, user, &card, &request).await;
    assert!(!answer.show_alert, "{answer:?}");
    assert!(answer.text.is_some_and(|t| t.starts_with("Requested")));
}

#[tokio::test]
async fn request_approve_and_refusals_through_the_binary() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(7, "ann");
    let boss = TgUser::new(100, "boss");
    let approver = request_dune(&fake, &ann).await;

    // Someone else finds the title already asked for: the card offers "Notify me too".
    let bob = TgUser::new(9, "bob");
    fake.send_private(&bob, "/movie dune");
    let card = fake
        .wait_for(WAIT, |f| f.messages_in(bob.id).into_iter().next())
        .await
        .expect("bob's search card");
    assert!(
        text_of(&card).contains("Someone already asked: #1"),
        "{card}"
    );
    let answer = press(&fake, &bob, &card, &button(&card, "🔔 Notify me too")).await;
    assert!(
        answer
            .text
            .is_some_and(|t| t.starts_with("Someone already asked"))
    );
    assert!(text_of(&approver).contains("Dune"), "{approver}");
    let approve = buttons(&approver).remove(0);

    // A forged (edited) button: short alert, nothing changes.
    let forged = tampered(&approve, approve.len() - 3);
    let answer = press(&fake, &boss, &approver, &forged).await;
    assert!(answer.show_alert && answer.text.is_some_and(|t| t.contains("no longer valid")));

    // A member pressing Approve: refused by core, nothing changes.
    let answer = press(&fake, &ann, &approver, &approve).await;
    assert!(answer.show_alert, "{answer:?}");
    assert!(answer.text.is_some_and(|t| t.contains("not allowed")));
    let unchanged = fake.messages_in(ADMIN_CHAT).remove(0);
    assert_eq!(unchanged, approver, "the card did not change");

    // The admin approves: the card shows the outcome and who decided, buttons gone.
    let answer = press(&fake, &boss, &approver, &approve).await;
    assert!(!answer.show_alert, "{answer:?}");
    let decided = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&decided).contains("approved by boss"), "{decided}");

    // The requester is told.
    let dm = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ann.id)
                .into_iter()
                .find(|m| text_of(m).contains("is now approved"))
        })
        .await;
    assert!(
        dm.is_some(),
        "the requester got a DM: {:?}",
        fake.messages_in(ann.id)
    );

    // Every callback query was answered exactly once (the fake refuses a second answer).
    let answers: Vec<_> = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "answercallbackquery")
        .collect();
    assert_eq!(answers.len(), 5);
    assert!(answers.iter().all(|c| c.outcome.is_ok()));
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn decline_with_a_reason_reaches_the_requester_despite_flood_control() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(8, "ann");
    let boss = TgUser::new(100, "boss");

    // Telegram says "slow down" to the next send: the card still arrives after retry_after.
    fake.throttle_next(1, 1);
    let approver = request_dune(&fake, &ann).await;
    let throttled = fake
        .calls()
        .into_iter()
        .filter(|c| c.outcome.as_ref().is_err_and(|e| e.starts_with("Too Many")));
    assert_eq!(throttled.count(), 1);

    let decline = buttons(&approver).remove(1);
    let answer = press(&fake, &boss, &approver, &decline).await;
    assert!(!answer.show_alert, "{answer:?}");
    let reasons = admin_card(&fake, |m| buttons(m).len() > 2).await;
    assert_eq!(
        text_of(&reasons),
        text_of(&approver),
        "only the buttons changed"
    );
    let already_there = buttons(&reasons).remove(1);
    let answer = press(&fake, &boss, &reasons, &already_there).await;
    assert!(!answer.show_alert, "{answer:?}");
    let decided = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&decided).contains("declined by boss"), "{decided}");
    assert!(
        text_of(&decided).contains("Already in the library"),
        "{decided}"
    );

    let dm = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ann.id)
                .into_iter()
                .find(|m| text_of(m).contains("is now declined"))
        })
        .await
        .expect("the requester got a DM");
    assert!(text_of(&dm).contains("Already in the library"), "{dm}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn an_approver_card_still_works_after_a_restart() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(10, "ann");
    let boss = TgUser::new(100, "boss");
    let approver = request_dune(&fake, &ann).await;
    assert!(server.stop().await.success());

    // A new process (same data folder, so the same signing key) honours the old button.
    let server = start(&fake, &tmdb.url, &dir).await;
    let approve = buttons(&approver).remove(0);
    let answer = press(&fake, &boss, &approver, &approve).await;
    assert!(!answer.show_alert, "{answer:?}");
    let decided = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&decided).contains("approved by boss"), "{decided}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn approver_cards_speak_the_approvers_language() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    // The admin's Telegram is in German; the requester's in English.
    let mut boss = TgUser::new(100, "boss");
    boss.language_code = "de".into();
    fake.send_group(&boss, ADMIN_CHAT, "/help");
    fake.wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().next())
        .await
        .expect("help in the admin chat");
    let ann = TgUser::new(11, "ann");
    ask_for_dune(&fake, &ann).await;
    let card = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().nth(1))
        .await
        .expect("an approver card after the help");
    assert!(text_of(&card).starts_with("Neue Anfrage #1"), "{card}");
    let labels: Vec<_> = card["reply_markup"]["inline_keyboard"][0]
        .as_array()
        .expect("buttons")
        .iter()
        .filter_map(|b| b["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(labels, ["✅ Freigeben", "❌ Ablehnen"]);
    assert!(server.stop().await.success());
}

/// A port free right now, for a server that must know its own URL before it starts.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

#[tokio::test]
async fn webhook_mode_takes_updates_only_with_the_secret() {
    let (_keep, dir) = temp_dir();
    let (fake, tmdb) = (
        FakeTelegram::start().await,
        usher_testkit::tmdb::start().await,
    );
    let port = free_port();
    let hook_url = format!("http://127.0.0.1:{port}/hooks/telegram");
    let listen = format!("127.0.0.1:{port}");
    let admin_chat = ADMIN_CHAT.to_string();
    let _server = Server::start(
        &dir,
        &[
            ("USHER_LISTEN", &listen),
            ("USHER_TELEGRAM_TOKEN", TOKEN),
            ("USHER_TELEGRAM_API_URL", fake.url()),
            ("USHER_TELEGRAM_WEBHOOK_URL", &hook_url),
            ("USHER_TELEGRAM_ADMIN_CHAT_ID", &admin_chat),
            ("USHER_TELEGRAM_ADMIN_IDS", "100"),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
            ("USHER_TMDB_API_URL", &tmdb.url),
        ],
    )
    .await;
    let hook = fake
        .wait_for(WAIT, |f| f.webhook())
        .await
        .expect("usher registered its webhook");
    assert_eq!(hook.url, hook_url);
    let secret = hook.secret_token.clone().expect("a secret token");
    assert!(secret.len() >= 32, "{secret}");
    assert_eq!(asked_for(&fake), ASKED_FOR, "setWebhook's allowed_updates");

    // The whole request flow arrives by webhook: the admin chat gets the approver card.
    let member = TgUser::new(200, "Mia");
    let card = request_dune(&fake, &member).await;
    assert!(text_of(&card).contains("Dune"), "{card}");
    let deliveries = fake.deliveries();
    assert!(
        !deliveries.is_empty() && deliveries.iter().all(|s| *s == 200),
        "{deliveries:?}"
    );

    let post = |token: Option<&str>, body: &'static str| {
        let mut request = reqwest::Client::new()
            .post(&hook_url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.header("x-telegram-bot-api-secret-token", token);
        }
        request.send()
    };
    let update = r#"{"update_id":999,"message":{"message_id":9,"date":0,"chat":{"id":201,"type":"private","first_name":"Eve"},"from":{"id":201,"is_bot":false,"first_name":"Eve"},"text":"/movie alien"}}"#;
    assert_eq!(post(None, update).await.expect("post").status(), 401);
    assert_eq!(
        post(Some("wrong"), update).await.expect("post").status(),
        401
    );
    assert_eq!(
        post(Some(&secret), "{not json")
            .await
            .expect("post")
            .status(),
        400
    );
    // Authentic updates the bot cannot or need not serve are taken (200) and skipped without
    // holding the chat up: an edit (a kind it never asks for) and a message teloxide cannot
    // read (its chat is no chat).
    let edited = r#"{"update_id":997,"edited_message":{"message_id":7,"date":0,"edit_date":1,"chat":{"id":201,"type":"private","first_name":"Eve"},"from":{"id":201,"is_bot":false,"first_name":"Eve"},"text":"/help"}}"#;
    let unreadable = r#"{"update_id":998,"message":{"message_id":8,"date":0,"chat":201,"from":{"id":201,"is_bot":false,"first_name":"Eve"},"text":"/help"}}"#;
    for body in [edited, unreadable] {
        assert_eq!(post(Some(&secret), body).await.expect("post").status(), 200);
    }
    // A good update from the same chat comes after them: the bot handles one chat's updates in
    // the order they came, so once it is answered, a refused or skipped update that had been
    // served would have been answered before it.
    let help = r#"{"update_id":1000,"message":{"message_id":10,"date":0,"chat":{"id":201,"type":"private","first_name":"Eve"},"from":{"id":201,"is_bot":false,"first_name":"Eve"},"text":"/help"}}"#;
    assert_eq!(post(Some(&secret), help).await.expect("post").status(), 200);
    let answered = fake
        .wait_for(WAIT, |f| {
            let sent = f.messages_in(201);
            let helped = sent.iter().any(|m| text_of(m).contains("/movie <title>"));
            helped.then_some(sent)
        })
        .await
        .expect("the good update is answered with the help");
    assert_eq!(
        answered.len(),
        1,
        "refused and skipped updates reach no handler: {answered:?}"
    );
}
