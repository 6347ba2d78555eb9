//! `/trending` and `/discover` through the binary: a member's `/trending` lists TMDB's trending
//! titles with what the library index says of each (Jellyfin holds Dune: Part Two, so it is
//! "Available" and offers no request), a title's number opens its card with its Request
//! button, a forged button is refused, and `/discover`'s popular movies page on with ▶ (on both
//! databases).

use std::time::{Duration, Instant};

use serde_json::Value;
use usher_testkit::FakeJellyfin;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::{Server, database_for, drop_database, temp_dir};
use crate::telegram::{WAIT, button, buttons, press, start_with, text_of};
use crate::telegram_cards::labels;

const JF_KEY: &str = "e2e-discover-jellyfin-key";

/// Waits until the first full pass left `count` titles in Jellyfin's part of the index.
async fn indexed(server: &Server, count: usize) {
    let deadline = Instant::now() + WAIT;
    let prefix = "usher_library_items{source=\"jellyfin\"";
    loop {
        let text = server.get("/metrics").await.text().await.expect("metrics");
        let done = text
            .lines()
            .any(|l| l.starts_with(prefix) && l.ends_with(&format!(" {count}")));
        if done {
            return;
        }
        assert!(Instant::now() < deadline, "no library pass: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sends `text` as `user` and waits for the next message with buttons.
pub(crate) async fn listed(fake: &FakeTelegram, user: &TgUser, text: &str) -> Value {
    let before = fake.messages_in(user.id).len();
    fake.send_private(user, text);
    fake.wait_for(WAIT, |f| {
        f.messages_in(user.id)
            .into_iter()
            .skip(before)
            .find(|m| !buttons(m).is_empty())
    })
    .await
    .unwrap_or_else(|| panic!("no list for {text:?}: {:?}", fake.calls()))
}

/// Presses `label` under `message` and waits until the message reads differently.
pub(crate) async fn turned(
    fake: &FakeTelegram,
    user: &TgUser,
    message: &Value,
    label: &str,
) -> Value {
    let answer = press(fake, user, message, &button(message, label)).await;
    assert!(!answer.show_alert, "{label}: {answer:?}");
    let id = &message["message_id"];
    let before = text_of(message);
    fake.wait_for(WAIT, |f| {
        f.messages_in(user.id)
            .into_iter()
            .find(|m| &m["message_id"] == id && text_of(m) != before)
    })
    .await
    .unwrap_or_else(|| panic!("{label} changed nothing: {:?}", fake.calls()))
}

#[tokio::test]
async fn trending_lists_titles_with_library_marks_and_opens_their_cards_on_sqlite() {
    trending_walk(false).await;
}

#[tokio::test]
async fn trending_lists_titles_with_library_marks_and_opens_their_cards_on_postgres() {
    trending_walk(true).await;
}

async fn trending_walk(postgres: bool) {
    let database = database_for(postgres).await;
    let jellyfin = FakeJellyfin::start(JF_KEY).await;
    jellyfin.add_movie(693_134, "Dune: Part Two");
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let mut env = vec![
        ("USHER_JELLYFIN_URL", jellyfin.url()),
        ("USHER_JELLYFIN_API_KEY", JF_KEY),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;
    indexed(&server, 1).await;
    let ann = TgUser::new(720, "Ann");

    let trending = listed(&fake, &ann, "/trending").await;
    let text = text_of(&trending);
    assert!(text.starts_with("🔥 Trending this week"), "{text}");
    assert!(
        text.contains(
            "1. Dune: Part Two (2024) · ✅ Available\n2. Arcane (2021) 📺\n3. Inception (2010)"
        ),
        "{text}"
    );
    assert_eq!(
        labels(&trending),
        [["1", "2 ➕", "3 ➕", "4 ➕", "5 ➕"]],
        "Dune is there already; the rest can be requested"
    );

    // A number opens the title's card, Request button and all.
    let before = fake.messages_in(ann.id).len();
    let opened = press(&fake, &ann, &trending, &button(&trending, "2 ➕")).await;
    assert!(!opened.show_alert, "{opened:?}");
    let card = fake
        .wait_for(WAIT, |f| f.messages_in(ann.id).into_iter().nth(before))
        .await
        .expect("Arcane's card");
    assert!(text_of(&card).starts_with("Arcane"), "{card}");
    assert!(
        labels(&card)
            .concat()
            .iter()
            .any(|l| l.starts_with("Request")),
        "{card}"
    );

    // An edited button is refused before anything is looked up.
    let mut forged = button(&trending, "3 ➕");
    let last = forged.pop().expect("a character");
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let refused = press(&fake, &ann, &trending, &forged).await;
    assert!(refused.show_alert, "{refused:?}");

    // /discover → popular movies, then the next page.
    let menu = listed(&fake, &ann, "/discover").await;
    assert_eq!(text_of(&menu), "What would you like to browse?");
    let popular = turned(&fake, &ann, &menu, "⭐ Popular movies").await;
    assert!(
        text_of(&popular).starts_with("⭐ Popular movies"),
        "{popular}"
    );
    assert!(
        text_of(&popular).contains("1. Dune: Part Two (2024) · ✅ Available"),
        "{popular}"
    );
    let nav = labels(&popular).pop().expect("a navigation row");
    assert_eq!(nav, ["1/501", "▶"], "{popular}");
    let second = turned(&fake, &ann, &popular, "▶").await;
    let nav = labels(&second).pop().expect("a navigation row");
    assert_eq!(nav, ["◀", "2/501", "▶"], "{second}");
    assert!(!text_of(&second).contains("Dune: Part Two"), "{second}");
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}

/// A note typed with the search (`/movie dune -- …`) goes with the request made from the card,
/// and the approver card in the admin chat shows it; one over 200 characters is refused.
#[tokio::test]
async fn a_note_typed_with_the_search_reaches_the_approver_card() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_with(&fake, &tmdb.url, &dir, &[]).await;
    let ann = TgUser::new(721, "Ann");

    let long = format!("/movie dune -- {}", "x".repeat(201));
    fake.send_private(&ann, &long);
    let refused = fake
        .wait_for(WAIT, |f| f.messages_in(ann.id).into_iter().next())
        .await
        .expect("an answer");
    assert!(text_of(&refused).contains("200"), "{refused}");

    let card = listed(&fake, &ann, "/movie dune -- for the kids'\u{0007} weekend").await;
    assert!(
        fake.messages_in(ann.id)
            .iter()
            .any(|m| text_of(m).contains("“for the kids' weekend”")),
        "the note is acknowledged: {:?}",
        fake.messages_in(ann.id)
    );
    let answer = press(&fake, &ann, &card, &button(&card, "Request")).await;
    assert!(!answer.show_alert, "{answer:?}");
    let approver = fake
        .wait_for(WAIT, |f| {
            f.messages_in(crate::telegram::ADMIN_CHAT)
                .into_iter()
                .next()
        })
        .await
        .expect("an approver card");
    assert!(
        text_of(&approver).contains("📝 Note: for the kids' weekend"),
        "{approver}"
    );
    assert!(server.stop().await.success());
}
