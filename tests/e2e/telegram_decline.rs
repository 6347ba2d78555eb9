//! Declining with a reason of one's own, through the binary: "Other reason…" in the decline
//! picker sends a force-reply prompt, and the approver's reply — after a restart of the binary,
//! so the conversation can only have come from the database — declines the request with that
//! text, which the card shows and the requester's DM carries.

use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::temp_dir;
use crate::telegram::{ADMIN_CHAT, WAIT, admin_card, buttons, press, request_dune, start, text_of};

const REASON: &str = "Only the 1984 cut, please ask again for that one";

async fn open_conversations(dir: &std::path::Path) -> i64 {
    let url = format!("sqlite://{}?mode=ro", dir.join("data/usher.db").display());
    let db = sqlx::SqlitePool::connect(&url).await.expect("database");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM chat_dialogues")
        .fetch_one(&db)
        .await
        .expect("count");
    db.close().await;
    n
}

#[tokio::test]
async fn a_typed_reason_survives_a_restart_and_reaches_the_requester() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(12, "ann");
    let boss = TgUser::new(100, "boss");
    let card = request_dune(&fake, &ann).await;
    let decline = buttons(&card).remove(1);
    press(&fake, &boss, &card, &decline).await;
    let picker = admin_card(&fake, |m| buttons(m).len() > 2).await;
    let labels: Vec<String> = picker["reply_markup"]["inline_keyboard"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row[0]["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(labels[3], "✏️ Other reason…", "{labels:?}");
    let other = buttons(&picker).remove(3);

    // A member pressing it is refused by core at once, and no prompt is posted.
    let refused = press(&fake, &ann, &picker, &other).await;
    assert!(refused.show_alert && refused.text.is_some_and(|t| t.contains("not allowed")));

    let answer = press(&fake, &boss, &picker, &other).await;
    assert!(!answer.show_alert, "{answer:?}");
    assert_eq!(
        answer.text.as_deref(),
        Some("Reply to my message with the reason.")
    );
    let prompt = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ADMIN_CHAT)
                .into_iter()
                .find(|m| m["reply_markup"]["force_reply"] == true)
        })
        .await
        .expect("a force-reply prompt");
    let asks = "boss, reply to this message with the reason for declining #1 (Dune";
    assert!(text_of(&prompt).starts_with(asks), "{prompt}");
    assert_eq!(prompt["reply_markup"]["selective"], true);
    assert_eq!(open_conversations(&dir).await, 1);

    // Someone else's reply to the prompt is not the approver's reason.
    let prompt_id = prompt["message_id"].as_i64().expect("id");
    fake.reply_to(&ann, ADMIN_CHAT, prompt_id, "please don't");
    assert!(server.stop().await.success());

    // A new process: the conversation comes from the database.
    let server = start(&fake, &tmdb.url, &dir).await;
    fake.reply_to(&boss, ADMIN_CHAT, prompt_id, REASON);
    let decided = admin_card(&fake, |m| buttons(m).is_empty()).await;
    assert!(text_of(&decided).contains("declined by boss"), "{decided}");
    assert!(text_of(&decided).contains(REASON), "{decided}");
    fake.wait_for(WAIT, |f| {
        f.messages_in(ADMIN_CHAT)
            .into_iter()
            .find(|m| text_of(m) == "Declined.")
    })
    .await
    .expect("the approver hears back");
    let dm = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ann.id)
                .into_iter()
                .find(|m| text_of(m).contains("is now declined"))
        })
        .await
        .expect("the requester is told");
    assert!(text_of(&dm).contains(REASON), "{dm}");
    assert!(!text_of(&dm).contains("please don't"));
    assert_eq!(open_conversations(&dir).await, 0, "the conversation ended");
    assert!(server.stop().await.success());
}

/// Presses `data` under `message` as `user` and waits until everything that press queued in
/// the admin chat has been tried: `/help` from the same person is answered after it (one chat's
/// updates are handled in order, and its messages leave in order).
async fn press_and_settle(
    fake: &FakeTelegram,
    user: &TgUser,
    message: &serde_json::Value,
    data: &str,
) -> usher_testkit::telegram::Answer {
    let answer = press(fake, user, message, data).await;
    let before = fake.messages_in(ADMIN_CHAT).len();
    fake.send_group(user, ADMIN_CHAT, "/help");
    fake.wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().nth(before))
        .await
        .expect("help in the admin chat");
    answer
}

#[tokio::test]
async fn a_stale_decline_never_reopens_a_decided_card() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let ann = TgUser::new(14, "ann");
    let boss = TgUser::new(100, "boss");
    // A second approver, known to Usher by name.
    let deputy = TgUser::new(101, "deputy");
    let services = crate::support::console_session::services(&dir).await;
    let registration = usher_core::service::Registration::AutoRegister("approver");
    let users = &services.users;
    let made = users.resolve(
        usher_core::domain::Platform::Telegram,
        "101",
        "deputy",
        registration,
    );
    made.await.expect("the deputy");
    services.db.close().await;

    // Two copies of the card: the notifier's, and the boss's from /pending, whose Decline
    // they press while the request still waits.
    let card = request_dune(&fake, &ann).await;
    fake.send_group(&boss, ADMIN_CHAT, "/pending");
    let copy = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().nth(1))
        .await
        .expect("the /pending copy of the card");
    assert_eq!(buttons(&copy).len(), 2, "{copy}");
    let answer = press(&fake, &boss, &copy, &buttons(&copy)[1]).await;
    assert_eq!(answer.text.as_deref(), Some("Pick a reason."));
    let reasons = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ADMIN_CHAT)
                .into_iter()
                .nth(1)
                .filter(|m| buttons(m).len() > 2)
        })
        .await
        .expect("the reasons under the copy");

    // Meanwhile the deputy approves on the notifier's card.
    let answer = press(&fake, &deputy, &card, &buttons(&card)[0]).await;
    assert!(!answer.show_alert, "{answer:?}");
    admin_card(&fake, |m| buttons(m).is_empty()).await;

    // Each stale press is told who decided and opens nothing: not the reasons again, not a
    // prompt for a reason of one's own, not a decline with a preset reason.
    let stale = [
        buttons(&copy)[1].clone(),
        buttons(&reasons)[3].clone(),
        buttons(&reasons)[0].clone(),
    ];
    for data in &stale {
        let answer = press_and_settle(&fake, &boss, &reasons, data).await;
        assert!(answer.show_alert, "{answer:?}");
        assert_eq!(
            answer.text.as_deref(),
            Some("Already approved by deputy."),
            "{data}"
        );
    }
    let now = fake.messages_in(ADMIN_CHAT);
    let shown = &now[1];
    assert!(
        buttons(shown).is_empty(),
        "the copy shows the decision: {shown}"
    );
    assert!(text_of(shown).contains("approved by deputy"), "{shown}");
    assert!(
        now.iter().all(|m| m["reply_markup"]["force_reply"] != true),
        "no prompt for a reason: {now:?}"
    );
    assert_eq!(open_conversations(&dir).await, 0);
    assert!(
        text_of(&now[0]).contains("approved by deputy"),
        "{}",
        now[0]
    );
    assert!(server.stop().await.success());
}
