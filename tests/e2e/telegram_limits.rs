//! A content limit through the binary: a role in `usher.toml` with `content_limit = { movie =
//! "PG-13" }`, granted by a Telegram group chat. Once Kim has written there, the R-rated 1917
//! (TMDB's US release certification "R") is missing from her `/movie` search, her inline
//! results, `/trending` and `/discover`, while the PG-13 Dune still shows; the Request button of
//! a 1917 card she was shown before the grant answers "not available to you". Bob, without the
//! role, still sees 1917 everywhere, so each absence is the limit's doing. On both databases.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::{database_for, drop_database, temp_dir, write_config};
use crate::telegram::{ADMIN_CHAT, WAIT, button, buttons, find_button, press, start_with, text_of};
use crate::telegram_discover::{listed, turned};

const KIDS_CHAT: i64 = -100_888;
const NINETEEN_SEVENTEEN: &str = "m530915";
const DUNE: &str = "m438631";

/// The text of the next message `user` gets in `chat` after sending `text` there.
async fn next_in(fake: &FakeTelegram, user: &TgUser, chat: i64, text: &str) -> Value {
    let before = fake.messages_in(chat).len();
    if chat == user.id {
        fake.send_private(user, text);
    } else {
        fake.send_group(user, chat, text);
    }
    fake.wait_for(WAIT, |f| f.messages_in(chat).into_iter().nth(before))
        .await
        .unwrap_or_else(|| panic!("no answer to {text:?} in {chat}: {:?}", fake.calls()))
}

/// The ids of the inline results `user` gets for `query`.
async fn inline_ids(fake: &FakeTelegram, user: &TgUser, query: &str) -> Vec<String> {
    let query_id = fake.inline_query(user, query, "");
    let answer = fake
        .wait_inline_answer(&query_id, WAIT)
        .await
        .unwrap_or_else(|| panic!("no inline answer to {query:?}"));
    let results = answer["results"].as_array().cloned().unwrap_or_default();
    results
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}

/// The text of the first page of `/discover` → ⭐ Popular movies as `user` sees it.
async fn popular_movies(fake: &FakeTelegram, user: &TgUser) -> String {
    let menu = listed(fake, user, "/discover").await;
    text_of(&turned(fake, user, &menu, "⭐ Popular movies").await)
}

#[tokio::test]
async fn a_pg13_cap_hides_an_r_rated_film_on_sqlite() {
    pg13_walk(false).await;
}

#[tokio::test]
async fn a_pg13_cap_hides_an_r_rated_film_on_postgres() {
    pg13_walk(true).await;
}

async fn pg13_walk(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let config = write_config(
        &dir,
        &format!(
            r#"
[[role]]
name = "kids"
permissions = ["request_movie", "request_tv"]
content_limit = {{ movie = "PG-13" }}

[[role_grant]]
role = "kids"
telegram_chat = {KIDS_CHAT}
"#
        ),
    );
    let chat = KIDS_CHAT.to_string();
    let mut env = vec![
        ("USHER_CONFIG", config.as_str()),
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", chat.as_str()),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = start_with(&fake, &tmdb.url, &dir, &env).await;
    let (kim, bob) = (TgUser::new(731, "Kim"), TgUser::new(732, "Bob"));

    // Before Kim ever writes in the kids' chat nothing limits her: 1917 has a card.
    let old = next_in(&fake, &kim, kim.id, "/movie 1917").await;
    assert!(text_of(&old).starts_with("1917"), "{old}");
    let request = button(&old, "Request");

    // A word in the kids' chat gives her the role, and the search there finds nothing.
    let there = next_in(&fake, &kim, KIDS_CHAT, "/movie@usher_test_bot 1917").await;
    assert_eq!(text_of(&there), "Nothing found for “1917”.", "{there}");
    assert!(buttons(&there).is_empty(), "{there}");

    // The card from before: its Request button is refused, and nothing is requested.
    let refused = press(&fake, &kim, &old, &request).await;
    assert_eq!(
        refused.text.as_deref(),
        Some("This title isn't available to you."),
        "{refused:?}"
    );

    // In private too: 1917 is gone, Dune (PG-13) is there with its Request button.
    let none = next_in(&fake, &kim, kim.id, "/movie 1917").await;
    assert_eq!(text_of(&none), "Nothing found for “1917”.", "{none}");
    let dune = next_in(&fake, &kim, kim.id, "/movie dune").await;
    assert!(text_of(&dune).starts_with("Dune"), "{dune}");
    assert!(find_button(&dune, "Request").is_some(), "{dune}");

    // Inline mode.
    assert!(
        !inline_ids(&fake, &kim, "1917")
            .await
            .contains(&NINETEEN_SEVENTEEN.to_owned())
    );
    assert!(
        inline_ids(&fake, &kim, "dune")
            .await
            .contains(&DUNE.to_owned())
    );
    assert!(
        inline_ids(&fake, &bob, "1917")
            .await
            .contains(&NINETEEN_SEVENTEEN.to_owned()),
        "Bob holds no limit"
    );

    // /trending (today's list has 1917) and /discover's popular movies.
    let kims = text_of(&listed(&fake, &kim, "/trending movie day").await);
    let bobs = text_of(&listed(&fake, &bob, "/trending movie day").await);
    assert!(bobs.contains("1917 (2019)"), "{bobs}");
    assert!(!kims.contains("1917"), "{kims}");
    assert!(kims.contains("Dune (2021)"), "{kims}");
    let kims = popular_movies(&fake, &kim).await;
    let bobs = popular_movies(&fake, &bob).await;
    assert!(bobs.contains("1917 (2019)"), "{bobs}");
    assert!(!kims.contains("1917"), "{kims}");
    assert!(kims.contains("Dune: Part Two (2024)"), "{kims}");
    // The refused press requested nothing: no approver card for 1917 ever reached the admins.
    let cards = fake.messages_in(ADMIN_CHAT);
    assert!(
        !cards.iter().any(|card| text_of(card).contains("1917")),
        "{cards:?}"
    );
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}
