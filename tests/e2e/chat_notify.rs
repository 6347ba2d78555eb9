//! Both chat platforms in one `usher serve`: a request made in Telegram, followed from Discord
//! and from Telegram, approved on Discord's card. Each person hears once, on their own platform;
//! a DM that fails is retried alone; the approver cards reach both admin chats.

use std::time::Duration;

use serde_json::json;
use usher_core::domain::{Actor, RequestStatus};
use usher_core::service::Services;
use usher_core::store::requests::{self, RequestFilter};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::discord;
use usher_testkit::telegram::{FakeTelegram, TOKEN, TgUser};

use crate::support::discord::{ADMIN_ID, MEMBER_ID, Setup, card, custom_id, dms, setup_with};
use crate::support::{NOTIFY_TOPICS, outbox_settles};
use crate::telegram::{ADMIN_CHAT, WAIT, button, first_with_buttons, press, request_dune, text_of};

/// The DMs Telegram user `id` got whose text contains `needle`.
fn telegram_dms(fake: &FakeTelegram, id: i64, needle: &str) -> usize {
    fake.messages_in(id)
        .iter()
        .filter(|m| text_of(m).contains(needle))
        .count()
}

#[tokio::test]
async fn a_telegram_request_followed_from_discord_tells_everyone_once_where_they_are() {
    let fake = FakeTelegram::start().await;
    let admin_chat = ADMIN_CHAT.to_string();
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup_with(&[
        ("USHER_TELEGRAM_TOKEN", TOKEN),
        ("USHER_TELEGRAM_API_URL", fake.url()),
        ("USHER_TELEGRAM_ADMIN_CHAT_ID", &admin_chat),
        ("USHER_TELEGRAM_ADMIN_IDS", "100"),
    ])
    .await;
    let ann = TgUser::new(7, "ann");
    let bob = TgUser::new(9, "bob");

    // Ann asks in Telegram (the best hit for "dune" is Part Two): a card in Telegram's admin
    // chat and one in Discord's channel.
    request_dune(&fake, &ann).await;
    let discord_card = card(&rest).await;
    assert_eq!(discord_card["embeds"][0]["title"], "Dune: Part Two (2024)");
    assert_eq!(
        discord_card["embeds"][0]["footer"]["text"],
        "Requested by ann"
    );

    // A Discord member asks for the same title: they follow.
    let result = discord
        .post(&discord::request_command(
            "movie",
            "tmdb:693134",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = discord
        .post(&discord::button_press(
            &custom_id(data, 0),
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(text.starts_with("Someone already asked"), "{text}");

    // Bob follows from Telegram; his next message will be refused once.
    fake.send_private(&bob, "/movie dune");
    let bobs_card = first_with_buttons(&fake, bob.id).await;
    let follow = button(&bobs_card, "🔔 Notify me too");
    press(&fake, &bob, &bobs_card, &follow).await;
    fake.fail_sends_to(bob.id, 1);

    // The Discord admin approves on Discord's card: Ann hears on Telegram, once.
    let card_message = discord::message_with(&discord_card["embeds"], &discord_card["components"]);
    let approved = discord
        .post(&discord::button_press(
            &custom_id(&discord_card, 0),
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    fake.wait_for(WAIT, |f| {
        (telegram_dms(f, ann.id, "is now approved") > 0).then_some(())
    })
    .await
    .expect("ann is told of the approval");

    // The library has it: everyone is told once, each on their own platform.
    let url = format!("sqlite://{}", _tmp.path().join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("the server's database");
    let services = Services::new(db.clone());
    let list = requests::list(&db, &RequestFilter::default(), None, 10)
        .await
        .expect("requests");
    assert_eq!(list.len(), 1);
    services
        .requests
        .mark_available(&Actor::system(), list[0].id, true)
        .await
        .expect("available");
    assert_eq!(
        requests::find(&db, list[0].id)
            .await
            .expect("find")
            .map(|r| r.status),
        Some(RequestStatus::Available)
    );
    let everyone = fake
        .wait_for(WAIT, |f| {
            let ann_told = telegram_dms(f, ann.id, "is now available") > 0;
            let bob_told = telegram_dms(f, bob.id, "is now available") > 0;
            (ann_told && bob_told).then_some(())
        })
        .await;
    assert!(everyone.is_some(), "calls: {:?}", fake.calls());
    for _ in 0..200 {
        if !dms(&rest, MEMBER_ID).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Every delivery is done: a duplicate would have been sent by now.
    outbox_settles(_tmp.path(), &NOTIFY_TOPICS).await;
    assert_eq!(
        dms(&rest, MEMBER_ID),
        vec!["Your request for Dune: Part Two is now available."],
        "the Discord follower hears once, on Discord"
    );
    assert_eq!(telegram_dms(&fake, ann.id, "is now approved"), 1);
    assert_eq!(telegram_dms(&fake, ann.id, "is now available"), 1);
    assert_eq!(telegram_dms(&fake, bob.id, "is now available"), 1);
    let sends_to_bob = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "sendmessage" && c.params["chat_id"] == json!(bob.id))
        .filter(|c| {
            c.params["text"]
                .as_str()
                .is_some_and(|t| t.contains("available"))
        })
        .count();
    assert_eq!(
        sends_to_bob, 2,
        "bob's DM was refused once and sent again, alone"
    );
    // Telegram only wrote to Ann, Bob and the admin chat; Discord DMed only its member.
    let chats: std::collections::BTreeSet<i64> = fake
        .calls()
        .into_iter()
        .filter(|c| c.method.starts_with("send"))
        .filter_map(|c| c.params["chat_id"].as_i64())
        .collect();
    assert_eq!(chats, [ADMIN_CHAT, ann.id, bob.id].into_iter().collect());
    let opened: Vec<_> = rest
        .received_at("POST", "/api/v10/users/@me/channels")
        .into_iter()
        .map(|r| r.body["recipient_id"].clone())
        .collect();
    assert_eq!(opened, vec![json!(MEMBER_ID.to_string())]);

    db.close().await;
    server.stop().await;
}
