//! A burst through the binary against the fake Bot API in strict flood mode (429 with
//! `retry_after` for any message over Telegram's limits): 2,000 updates from 200 users.
//!
//! Each user sends three messages at once — `/movie dune`, `inception` as plain text and
//! `/mine` — so 600 messages arrive together and each needs an answer: at 30 a second overall
//! that alone takes 20 s, and each chat's three answers are a second apart. As each user's two
//! search cards arrive, the test presses buttons for them, seven presses a user (1,400 callback
//! queries): Request on each card three times and one forged button. Presses are answered at
//! once (`answerCallbackQuery` is not a message), so the bot-wide rate stays the bottleneck,
//! and the whole test takes about half a minute.
//!
//! Checked: every message got exactly its answers and every press exactly one answer (nothing
//! lost), no message went over a limit (the fake refused none, and its log of arrival times
//! keeps every window), and the 400 requests for two titles became two requests with one
//! follower row per other user (nothing duplicated).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, FloodLimits, TgUser};

use crate::support::temp_dir;
use crate::telegram::{ADMIN_CHAT, buttons, find_button, start, text_of};

const USERS: i64 = 200;
const FIRST_ID: i64 = 5_000;
const PRESSES_PER_CARD: usize = 3;
const DEADLINE: Duration = Duration::from_secs(150);

#[tokio::test]
async fn two_thousand_updates_from_two_hundred_users_within_telegrams_limits() {
    let fake = FakeTelegram::start().await;
    fake.flood_control(FloodLimits::telegram());
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let users: Vec<TgUser> = (0..USERS)
        .map(|i| TgUser::new(FIRST_ID + i, &format!("user{i}")))
        .collect();
    let started = Instant::now();
    for user in &users {
        fake.send_private(user, "/movie dune");
        fake.send_private(user, "inception");
        fake.send_private(user, "/mine");
    }

    // Press the buttons under each user's cards as soon as both are there.
    let mut pressed: HashSet<i64> = HashSet::new();
    let mut queries: Vec<String> = Vec::new();
    while pressed.len() < users.len() {
        assert!(
            started.elapsed() < DEADLINE,
            "only {} users got both cards",
            pressed.len()
        );
        for user in &users {
            if pressed.contains(&user.id) {
                continue;
            }
            let cards: Vec<Value> = fake
                .messages_in(user.id)
                .into_iter()
                .filter(|m| !buttons(m).is_empty())
                .collect();
            if cards.len() < 2 {
                continue;
            }
            for card in &cards {
                let id = card["message_id"].as_i64().expect("message id");
                let request = ask_button(card);
                for _ in 0..PRESSES_PER_CARD {
                    queries.push(fake.press(user, user.id, id, &request));
                }
            }
            let id = cards[0]["message_id"].as_i64().expect("message id");
            queries.push(fake.press(user, user.id, id, "forged-button-data"));
            pressed.insert(user.id);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(queries.len(), 1_400);

    // Every press answered, and every user's three messages too.
    let answered = fake
        .wait_for(DEADLINE.saturating_sub(started.elapsed()), |f| {
            queries.iter().all(|q| f.answer(q).is_some()).then_some(())
        })
        .await;
    let unanswered = queries.iter().filter(|q| fake.answer(q).is_none()).count();
    assert!(answered.is_some(), "{unanswered} presses not answered");
    let all_there = fake
        .wait_for(DEADLINE.saturating_sub(started.elapsed()), |f| {
            users
                .iter()
                .all(|u| f.messages_in(u.id).len() >= 3)
                .then_some(())
        })
        .await;
    assert!(all_there.is_some(), "some /mine went unanswered");
    let took = started.elapsed();

    for user in &users {
        let messages = fake.messages_in(user.id);
        assert_eq!(messages.len(), 3, "user {}: {messages:?}", user.id);
        assert!(text_of(&messages[0]).starts_with("Dune"), "{}", messages[0]);
        assert!(text_of(&messages[1]).starts_with("Inception"));
        assert!(buttons(&messages[2]).is_empty(), "the /mine answer");
    }
    let calls = fake.calls();
    let answers: Vec<_> = calls
        .iter()
        .filter(|c| c.method == "answercallbackquery")
        .collect();
    assert_eq!(answers.len(), 1_400, "one answer per press, no second ones");
    assert!(answers.iter().all(|c| c.outcome.is_ok()));
    let forged = answers
        .iter()
        .filter(|c| c.params["show_alert"] == true)
        .filter(|c| {
            c.params["text"]
                .as_str()
                .is_some_and(|t| t.contains("no longer valid"))
        })
        .count();
    assert_eq!(forged, 200, "every forged press got the alert");

    // The limits held: the fake refused nothing, and its log keeps every window.
    assert_eq!(fake.flood_refusals(), 0);
    let log = fake.sent_log();
    assert_eq!(
        FloodLimits::telegram().violations(&log),
        Vec::<String>::new()
    );
    let per_chat: HashMap<Option<i64>, usize> = log.iter().fold(HashMap::new(), |mut m, s| {
        *m.entry(s.chat).or_default() += 1;
        m
    });
    assert_eq!(per_chat.get(&Some(users[0].id)), Some(&3));

    // Two titles, two requests: everyone else follows them, once each.
    let cards = fake
        .wait_for(Duration::from_secs(20), |f| {
            let cards = f.messages_in(ADMIN_CHAT);
            (cards.len() >= 2).then_some(cards)
        })
        .await
        .expect("two approver cards");
    assert_eq!(cards.len(), 2, "{cards:?}");
    let url = format!("sqlite://{}?mode=ro", dir.join("data/usher.db").display());
    let db = sqlx::SqlitePool::connect(&url).await.expect("database");
    let (requests,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM requests")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(requests, 2);
    // (A requester pressing Request again lands in the followers of their own request, which
    // the notifier skips; only the others count here.)
    let (followers, distinct): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT f.request_id || '/' || f.user_id)
         FROM request_followers f JOIN requests r ON r.id = f.request_id
         WHERE f.user_id <> r.requested_by",
    )
    .fetch_one(&db)
    .await
    .expect("followers");
    assert_eq!(followers, distinct);
    assert_eq!(followers, 2 * (USERS - 1));
    println!(
        "burst: 2,000 updates, {} messages and edits, answered in {took:.1?}",
        log.len()
    );
    db.close().await;
    assert!(server.stop().await.success());
}

/// The card's Request button, or "Notify me too" on a card drawn after someone asked already.
fn ask_button(card: &Value) -> String {
    find_button(card, "Request")
        .or_else(|| find_button(card, "🔔 Notify me too"))
        .unwrap_or_else(|| panic!("neither Request nor Notify me too under {card}"))
}
