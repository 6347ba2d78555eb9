//! Places end to end: `[[place]]` in usher.toml gives a Telegram group a voting threshold and a
//! shared budget. A request made in the group is announced with "I want this too"; once the
//! requester and two members want it (threshold 3) it is approved and reaches the fake Radarr.
//! A group whose budget is used up refuses the next request, saying when it renews. On both
//! databases.

use std::time::{Duration, Instant};

use serde_json::Value;
use usher_testkit::FakeRadarr;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::{Server, database_for, drop_database, temp_dir, write_config};
use crate::telegram::{WAIT, keyboard, press, start_with, text_of};

const GROUP: i64 = -100_777;
const KEY: &str = "radarr-key";

/// `usher serve` with the group allowed, Radarr, and `place` as the usher.toml's only entry;
/// on the PostgreSQL `database` when given, else on SQLite in `dir`.
async fn start_in_place(
    fake: &FakeTelegram,
    tmdb: &str,
    radarr: &str,
    dir: &std::path::Path,
    place: &str,
    database: Option<&str>,
) -> Server {
    let config = write_config(
        dir,
        &format!("[[place]]\ntelegram_chat = {GROUP}\n{place}\n"),
    );
    let group = GROUP.to_string();
    let mut extra = vec![
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", group.as_str()),
        ("USHER_CONFIG", config.as_str()),
        ("USHER_RADARR_URL", radarr),
        ("USHER_RADARR_API_KEY", KEY),
    ];
    extra.extend(database.map(|url| ("USHER_DATABASE_URL", url)));
    start_with(fake, tmdb, dir, &extra).await
}

/// Searches `query` in the group as `user` and presses Request on the card; returns the answer.
async fn request_in_group(fake: &FakeTelegram, user: &TgUser, query: &str, title: &str) -> String {
    let seen = fake.messages_in(GROUP).len();
    fake.send_group(user, GROUP, query);
    let card = fake
        .wait_for(WAIT, |f| {
            f.messages_in(GROUP)
                .into_iter()
                .skip(seen)
                .find(|m| text_of(m).starts_with(title) && labelled(m, "Request").is_some())
        })
        .await
        .unwrap_or_else(|| panic!("a {title} card in the group: {:?}", fake.calls()));
    let request = labelled(&card, "Request").expect("Request");
    let answer = press(fake, user, &card, &request).await;
    answer.text.unwrap_or_default()
}

/// The callback data of the button whose label starts with `label`.
fn labelled(message: &Value, label: &str) -> Option<String> {
    keyboard(message)
        .into_iter()
        .find(|(text, _)| text.starts_with(label))
        .map(|(_, data)| data)
}

#[tokio::test]
async fn votes_in_a_group_approve_a_request_at_the_threshold_and_it_reaches_radarr_on_sqlite() {
    votes_at_the_threshold(false).await;
}

#[tokio::test]
async fn votes_in_a_group_approve_a_request_at_the_threshold_and_it_reaches_radarr_on_postgres() {
    votes_at_the_threshold(true).await;
}

async fn votes_at_the_threshold(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr = FakeRadarr::start(KEY).await;
    let (_keep, dir) = temp_dir();
    let place = "voting = { threshold = 3 }";
    let server = start_in_place(
        &fake,
        &tmdb.url,
        radarr.url(),
        &dir,
        place,
        database.as_deref(),
    )
    .await;
    let (ann, bob, cid) = (
        TgUser::new(501, "Ann"),
        TgUser::new(502, "Bob"),
        TgUser::new(503, "Cid"),
    );

    let asked = request_in_group(&fake, &ann, "/movie dune", "Dune").await;
    assert!(asked.starts_with("Requested"), "{asked}");
    let card = fake
        .wait_for(WAIT, |f| {
            let cards = f.messages_in(GROUP);
            cards
                .into_iter()
                .find(|m| text_of(m).starts_with("Ann asked for Dune"))
        })
        .await
        .expect("a vote card in the group");
    let vote = labelled(&card, "🙋 I want this too (1)").expect("the vote button");

    let own = press(&fake, &ann, &card, &vote).await;
    assert!(own.text.is_some_and(|t| t.starts_with("You asked for it")));
    let second = press(&fake, &bob, &card, &vote).await;
    assert_eq!(
        second.text.as_deref(),
        Some("Counted: 2 of the 3 votes that approve it.")
    );
    let twice = press(&fake, &bob, &card, &vote).await;
    assert!(
        twice
            .text
            .is_some_and(|t| t.starts_with("Your vote already counts"))
    );
    assert_eq!(radarr.adds(), 0, "not approved yet");
    let third = press(&fake, &cid, &card, &vote).await;
    assert!(
        third
            .text
            .is_some_and(|t| t.starts_with("That's 3 votes — approved!"))
    );

    let deadline = Instant::now() + WAIT;
    while radarr.adds() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(radarr.adds(), 1, "the approved request reached Radarr");
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn a_groups_budget_refuses_the_request_over_it_with_the_renewal_date_on_sqlite() {
    budget_refuses_over_it(false).await;
}

#[tokio::test]
async fn a_groups_budget_refuses_the_request_over_it_with_the_renewal_date_on_postgres() {
    budget_refuses_over_it(true).await;
}

async fn budget_refuses_over_it(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr = FakeRadarr::start(KEY).await;
    let (_keep, dir) = temp_dir();
    let place = "budget = { movies = 1, days = 30 }";
    let server = start_in_place(
        &fake,
        &tmdb.url,
        radarr.url(),
        &dir,
        place,
        database.as_deref(),
    )
    .await;
    let (ann, bob) = (TgUser::new(511, "Ann"), TgUser::new(512, "Bob"));

    let first = request_in_group(&fake, &ann, "/movie dune", "Dune").await;
    assert!(first.starts_with("Requested"), "{first}");
    let refused = request_in_group(&fake, &bob, "/movie inception", "Inception").await;
    assert!(
        refused
            .starts_with("This chat's shared budget of 1 per 30 days is used up. It renews on 20"),
        "{refused}"
    );
    // In a private chat only the personal quota applies.
    fake.send_private(&bob, "/mine");
    let mine = fake
        .wait_for(WAIT, |f| f.messages_in(bob.id).into_iter().next())
        .await
        .expect("/mine in private");
    assert!(!text_of(&mine).contains("shared budget"), "{mine}");
    fake.send_group(&bob, GROUP, "/mine");
    let budget = fake
        .wait_for(WAIT, |f| {
            let sent = f.messages_in(GROUP);
            sent.into_iter()
                .find(|m| text_of(m).contains("This chat's shared budget:"))
        })
        .await
        .expect("/mine in the group shows the budget");
    assert!(
        text_of(&budget).contains("Movies: 0 of 1 left per 30 days (renews 20"),
        "{budget}"
    );
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}
