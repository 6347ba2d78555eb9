//! Issue reports through the binary: a member reports a problem with a title the library holds
//! (Discord `/issue` over HTTP interactions, Telegram `/issue` by long polling), the approvers'
//! card appears in the admin channel / chat, a member's Resolve and a forged one change nothing,
//! an approver's Resolve updates the card and the reporter gets a DM.

use serde_json::{Value, json};
use usher_core::domain::{Actor, Platform};
use usher_core::service::{NewRequest, Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::discord;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::discord::{
    ADMIN_ID, MEMBER_ID, Setup, custom_id, dms, forged, nth_card, setup_seeded, wait_posts,
};
use crate::support::{tampered, temp_dir};
use crate::telegram::{ADMIN_CHAT, WAIT, admin_card, button, buttons, press, start_with, text_of};

/// Puts Dune in the library as the server's database will know it: someone asked for it, it
/// was approved and it arrived (availability itself is tested elsewhere). Done before the
/// server starts: a running server could post an approver card for the moment the request is
/// pending, and the admin chat would hold a card the test did not expect.
async fn hold_dune(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("data")).expect("data folder");
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("the server's database");
    db.migrate().await.expect("migrated");
    let services = Services::new(db.clone());
    let seed = services
        .users
        .resolve(
            Platform::Telegram,
            "4242",
            "seed",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("seed user");
    let asker = Actor::user(
        seed.id,
        usher_core::domain::Source::Telegram {
            user: "4242".into(),
        },
    );
    let new = NewRequest {
        media: usher_core::domain::Media {
            media_type: usher_core::domain::MediaType::Movie,
            tmdb_id: usher_core::domain::TmdbId::parse(438_631).expect("id"),
            tvdb_id: None,
            title: "Dune".into(),
            year: Some(2021),
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    };
    let made = services
        .requests
        .create(&asker, new)
        .await
        .expect("request");
    let system = Actor::system();
    let id = made.request.id;
    services
        .requests
        .approve(&system, id)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&system, id, true)
        .await
        .expect("available");
    db.close().await;
}

/// `/issue` with `title` and `text`; `typing` makes it the title's autocomplete.
fn issue_command(title: &str, text: &str, user: u64, typing: bool) -> Value {
    let mut title_option = json!({ "name": "title", "type": 3, "value": title });
    if typing {
        title_option["focused"] = json!(true);
    }
    let options = json!([title_option, { "name": "text", "type": 3, "value": text }]);
    command_with(options, user, typing)
}

fn command_with(options: Value, user: u64, typing: bool) -> Value {
    let mut body = discord::slash_command("issue", options, user, "en-US");
    if typing {
        body["type"] = json!(4);
    }
    body
}

fn content(answer: &Value) -> String {
    answer["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn discord_issue_reaches_the_admin_channel_and_its_resolution_the_reporter() {
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup_seeded(hold_dune).await;

    // Autocomplete lists the titles the library holds, nothing else.
    let typed = discord
        .post(&issue_command("dun", "", MEMBER_ID, true))
        .await;
    assert_eq!(typed["type"], 8, "{typed}");
    assert_eq!(
        typed["data"]["choices"],
        json!([{ "name": "Dune (2021)", "value": "issue:movie:438631" }])
    );
    let nothing = discord
        .post(&issue_command("metro", "", MEMBER_ID, true))
        .await;
    let none = nothing["data"]["choices"].as_array();
    assert!(none.is_none_or(Vec::is_empty), "{nothing}");

    // A title the library does not hold, chosen or typed: refused, nothing posted.
    let chosen_elsewhere = issue_command("issue:movie:19", "no sound", MEMBER_ID, false);
    let refused = discord.post(&chosen_elsewhere).await;
    assert!(
        content(&refused).starts_with("That title is not in the library yet"),
        "{refused}"
    );
    let typed_elsewhere = discord
        .post(&issue_command("Metropolis", "no sound", MEMBER_ID, false))
        .await;
    assert!(
        content(&typed_elsewhere).starts_with("I can't find “Metropolis”"),
        "{typed_elsewhere}"
    );

    // The report: an ephemeral thank-you, and a card in the admin channel.
    let text = "The audio is out of sync after the first hour";
    let options = json!([
        { "name": "title", "type": 3, "value": "issue:movie:438631" },
        { "name": "text", "type": 3, "value": text },
        { "name": "kind", "type": 3, "value": "audio" },
    ]);
    let reported = discord.post(&command_with(options, MEMBER_ID, false)).await;
    assert_eq!(reported["type"], 4, "{reported}");
    assert_eq!(reported["data"]["flags"], 64);
    assert!(
        content(&reported).starts_with("Thanks! Your report #1 about Dune"),
        "{reported}"
    );
    let posted = nth_card(&rest, 0).await;
    let embed = &posted["embeds"][0];
    assert_eq!(embed["title"], "Problem reported: Dune (2021)");
    assert_eq!(embed["description"], text);
    assert_eq!(
        embed["footer"]["text"],
        "Report #1 · Audio · reported by member"
    );
    assert_eq!(posted["components"][0]["components"][0]["label"], "Resolve");
    let resolve = custom_id(&posted, 0);
    let card_message = discord::message_with(&posted["embeds"], &posted["components"]);

    // Typed by name this time: the same title, and the member already has an open report.
    let again = discord
        .post(&issue_command("dune", "still broken", MEMBER_ID, false))
        .await;
    assert!(
        content(&again).starts_with("You already reported a problem with this title (#1)"),
        "{again}"
    );

    // A member pressing Resolve, and a forged id: refused, nothing changes.
    let by_member = discord
        .post(&discord::button_press(
            &resolve,
            MEMBER_ID,
            "member",
            &card_message,
        ))
        .await;
    assert_eq!(content(&by_member), "You're not allowed to do that.");
    let forged = forged(&resolve);
    let notice = discord
        .post(&discord::button_press(
            &forged,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert!(content(&notice).contains("not valid"), "{notice}");
    assert!(dms(&rest, MEMBER_ID).is_empty());

    // The admin resolves: the card loses its button and says who; the member gets a DM.
    let resolved = discord
        .post(&discord::button_press(
            &resolve,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(resolved["type"], 7, "{resolved}");
    assert_eq!(
        resolved["data"]["embeds"][0]["footer"]["text"],
        "Resolved by admin"
    );
    assert_eq!(resolved["data"]["components"], json!([]));
    let path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(MEMBER_ID)
    );
    wait_posts(&rest, &path, 1).await.expect("a DM");
    assert_eq!(
        dms(&rest, MEMBER_ID),
        vec!["Your report #1 about Dune was resolved."]
    );

    // A stale card pressed again is told it is resolved already.
    let late = discord
        .post(&discord::button_press(
            &resolve,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(content(&late), "Report #1 is already resolved.");

    server.stop().await;
}

#[tokio::test]
async fn telegram_issue_reaches_the_admin_chat_and_its_resolution_the_reporter() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    // The admin chat is a forum: the card goes to the configured topic.
    let topic = fake.create_topic(ADMIN_CHAT, "Problems");
    let topic_id = topic.to_string();
    let env = [("USHER_TELEGRAM_ADMIN_TOPIC_ID", topic_id.as_str())];
    hold_dune(&dir).await;
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;
    let ann = TgUser::new(12, "ann");
    let boss = TgUser::new(100, "boss");
    let ann_id = ann.id;
    let reply = |needle: &'static str| {
        let fake = &fake;
        async move {
            fake.wait_for(WAIT, |f| {
                f.messages_in(ann_id)
                    .into_iter()
                    .find(|m| text_of(m).contains(needle))
            })
            .await
            .unwrap_or_else(|| panic!("no {needle:?} in {:?}", fake.messages_in(ann_id)))
        }
    };

    fake.send_private(&ann, "/issue Dune");
    reply("Tell me the title and what is wrong").await;
    fake.send_private(&ann, "/issue Metropolis — the picture is green");
    reply("I can't find “Metropolis”").await;

    fake.send_private(&ann, "/issue dune — the subtitles are two seconds late");
    reply("Thanks! Your report #1 about Dune").await;
    let card = admin_card(&fake, |m| !buttons(m).is_empty()).await;
    let shown = text_of(&card);
    assert!(
        shown.starts_with("Problem reported: Dune (2021)"),
        "{shown}"
    );
    assert!(
        shown.contains("the subtitles are two seconds late"),
        "{shown}"
    );
    assert!(shown.contains("reported by ann"), "{shown}");
    assert_eq!(card["message_thread_id"], topic, "{card}");
    let resolve = button(&card, "Resolve");

    let answer = press(&fake, &ann, &card, &resolve).await;
    assert!(answer.show_alert && answer.text.is_some_and(|t| t.contains("not allowed")));
    let forged = tampered(&resolve, resolve.len() - 3);
    let answer = press(&fake, &boss, &card, &forged).await;
    assert!(answer.show_alert && answer.text.is_some_and(|t| t.contains("no longer valid")));
    assert_eq!(fake.messages_in(ADMIN_CHAT).remove(0), card, "unchanged");

    let answer = press(&fake, &boss, &card, &resolve).await;
    assert!(!answer.show_alert, "{answer:?}");
    assert_eq!(answer.text.as_deref(), Some("Resolved."));
    let edited = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&edited).contains("Resolved by boss"), "{edited}");
    reply("Your report #1 about Dune was resolved.").await;

    assert!(server.stop().await.success());
}
