//! The member's account commands through the binary: the command menus registered per
//! language at start-up, `/start` and `/help`, `/language` (the choice is stored and used for
//! every later reply and DM; without one the client's `language_code` decides), and `/link`
//! with its `/start link-<code>` deep link.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::temp_dir;
use crate::telegram::{ADMIN_CHAT, WAIT, admin_card, button, buttons, press, start, text_of};

/// The newest bot message in `chat` that satisfies `check`, once there is one.
async fn newest(fake: &FakeTelegram, chat: i64, check: impl Fn(&Value) -> bool) -> Value {
    fake.wait_for(WAIT, |f| {
        f.messages_in(chat).into_iter().rev().find(|m| check(m))
    })
    .await
    .unwrap_or_else(|| panic!("no such message in {chat}: {:?}", fake.messages_in(chat)))
}

/// Sends `text` as `user` and returns the bot's next message in their chat.
async fn ask(fake: &FakeTelegram, user: &TgUser, text: &str) -> Value {
    let before = fake.messages_in(user.id).len();
    fake.send_private(user, text);
    fake.wait_for(WAIT, |f| f.messages_in(user.id).into_iter().nth(before))
        .await
        .unwrap_or_else(|| panic!("no answer to {text:?}: {:?}", fake.calls()))
}

#[tokio::test]
async fn menus_welcome_language_and_links() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;

    // One menu for everyone, and one per shipped language under its two-letter code.
    let german = fake
        .wait_for(WAIT, |f| f.commands("pt").and(f.commands("de")))
        .await
        .expect("menus registered");
    let names: Vec<&str> = german.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "start", "help", "movie", "tv", "request", "mine", "cancel", "pending", "link",
            "language", "issue", "trending", "discover"
        ]
    );
    assert!(
        german
            .iter()
            .any(|(_, d)| d == "Die Sprache wählen, in der ich schreibe")
    );
    for code in ["", "en", "fr", "es", "it"] {
        assert!(fake.commands(code).is_some(), "menu for {code:?}");
    }

    let ann = TgUser::new(300, "Ann");
    let welcome = ask(&fake, &ann, "/start").await;
    assert!(text_of(&welcome).starts_with("Hello Ann!"), "{welcome}");
    assert!(text_of(&welcome).contains("/language"));
    let help = ask(&fake, &ann, "/help").await;
    assert!(
        text_of(&help).contains("/link — join this account"),
        "{help}"
    );

    // Without a choice the client's language decides.
    let mut zoe = TgUser::new(301, "Zoé");
    zoe.language_code = "fr".into();
    let mine = ask(&fake, &zoe, "/mine").await;
    assert_eq!(text_of(&mine), "Tu n’as encore aucune demande.", "{mine}");

    // Ann picks German: the answer, the picker and every later reply speak it.
    let picker = ask(&fake, &ann, "/language").await;
    let labels: Vec<String> = picker["reply_markup"]["inline_keyboard"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        labels,
        [
            "Deutsch",
            "English",
            "Español",
            "Français",
            "Italiano",
            "Português (Brasil)",
            "✓ Automatic (your app's language)"
        ]
    );
    let deutsch = buttons(&picker).remove(0);
    let answer = press(&fake, &ann, &picker, &deutsch).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Ab jetzt schreibe ich dir auf Deutsch.")
    );
    newest(&fake, ann.id, |m| {
        text_of(m) == "Ab jetzt schreibe ich dir auf Deutsch." && buttons(m).is_empty()
    })
    .await;
    let mine = ask(&fake, &ann, "/mine").await;
    assert_eq!(text_of(&mine), "Du hast noch keine Anfragen.");

    // Her request, its approval and the DM that follows are in German too.
    let card = ask(&fake, &ann, "/movie dune").await;
    let answer = press(&fake, &ann, &card, &button(&card, "Anfragen")).await;
    assert!(answer.text.is_some_and(|t| t.starts_with("Angefragt!")));
    let approver = newest(&fake, ADMIN_CHAT, |m| !buttons(m).is_empty()).await;
    let boss = TgUser::new(100, "boss");
    press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    admin_card(&fake, |m| buttons(m).is_empty()).await;
    let dm = newest(&fake, ann.id, |m| text_of(m).starts_with("Deine Anfrage")).await;
    assert!(text_of(&dm).contains("Dune"), "{dm}");

    // The picker ticks the choice; Automatic goes back to the client's language.
    let picker = ask(&fake, &ann, "/language").await;
    assert!(
        picker.to_string().contains("✓ Deutsch"),
        "the choice is ticked: {picker}"
    );
    let automatic = buttons(&picker).pop().expect("automatic");
    let answer = press(&fake, &ann, &picker, &automatic).await;
    assert_eq!(
        answer.text.as_deref(),
        Some("From now on I follow your app's language.")
    );
    let mine = ask(&fake, &ann, "/mine").await;
    assert!(text_of(&mine).contains("Dune"), "{mine}");
    assert!(!text_of(&mine).contains("genehmigt"), "{mine}");

    // /link: a code in a private chat only.
    fake.send_group(&boss, ADMIN_CHAT, "/link");
    newest(&fake, ADMIN_CHAT, |m| {
        text_of(m).starts_with("Link codes are personal")
    })
    .await;
    let code = ask(&fake, &ann, "/link").await;
    let code = text_of(&code)
        .strip_prefix("Your link code: ")
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("a code: {code}"));
    assert_eq!(code.len(), 8);

    // Ann's other Telegram account opens the deep link: both are one account now, so it sees
    // Ann's request. A wrong or used code says so.
    let other = TgUser::new(302, "ann2");
    let wrong = ask(&fake, &other, "/start link-WRONG234").await;
    assert!(text_of(&wrong).starts_with("That code is wrong or expired"));
    let linked = ask(&fake, &other, &format!("/start link-{code}")).await;
    assert!(text_of(&linked).starts_with("Linked:"), "{linked}");
    let mine = ask(&fake, &other, "/mine").await;
    assert!(text_of(&mine).contains("Dune"), "{mine}");
    let again = ask(&fake, &other, &format!("/link {code}")).await;
    assert!(text_of(&again).starts_with("That code is wrong or expired"));
    assert!(server.stop().await.success());
}
