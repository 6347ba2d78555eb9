//! Telegram search cards through the `usher` binary and the strict fake Bot API: paging with
//! ◀ n/N ▶ (edited in place, still working after a restart and days later, forgotten once the
//! search is pruned), the season picker reaching Sonarr with exactly the picked seasons, inline
//! mode, "Notify me too" up to the availability DM, and Request 4K only for those core allows.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::Connection;
use usher_testkit::telegram::{FakeTelegram, TOKEN, TgUser};
use usher_testkit::{FakeRadarr, FakeSonarr};

use crate::support::{Server, tampered, temp_dir};
use crate::telegram::{ADMIN_CHAT, WAIT, button, buttons, press, request_dune, text_of};

const ARR_KEY: &str = "e2e-cards-arr-key";
const HOOK_SECRET: &str = "e2e-cards-webhook-secret";

/// `usher serve` with the bot on `fake`, admin 100, the admin chat, TMDB, and `extra`.
async fn start(fake: &FakeTelegram, tmdb: &str, dir: &Path, extra: &[(&str, &str)]) -> Server {
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
    Server::start(dir, &env).await
}

/// The labels of a message's buttons, row by row.
pub(crate) fn labels(message: &Value) -> Vec<Vec<String>> {
    let rows = message["reply_markup"]["inline_keyboard"]
        .as_array()
        .cloned();
    rows.unwrap_or_default()
        .iter()
        .map(|row| {
            row.as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| b["text"].as_str().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn first_line(message: &Value) -> String {
    text_of(message)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The one message in `chat` with this id, as it is now.
fn current(fake: &FakeTelegram, chat: i64, id: &Value) -> Value {
    fake.messages_in(chat)
        .into_iter()
        .find(|m| &m["message_id"] == id)
        .unwrap_or_else(|| panic!("message {id} is gone from chat {chat}"))
}

/// Sends `text` as `user` and waits for the card (a message with buttons) it brings.
async fn search(fake: &FakeTelegram, user: &TgUser, text: &str) -> Value {
    let before = fake.messages_in(user.id).len();
    fake.send_private(user, text);
    fake.wait_for(WAIT, |f| {
        f.messages_in(user.id)
            .into_iter()
            .skip(before)
            .find(|m| !buttons(m).is_empty())
    })
    .await
    .unwrap_or_else(|| panic!("a card for {text:?}; calls: {:?}", fake.calls()))
}

/// Presses the button labelled `label` and returns the message as the press left it.
pub(crate) async fn press_label(
    fake: &FakeTelegram,
    user: &TgUser,
    message: &Value,
    label: &str,
) -> Value {
    let chat = message["chat"]["id"].as_i64().unwrap_or_default();
    let id = &message["message_id"];
    let before = current(fake, chat, id);
    let answer = press(fake, user, message, &button(message, label)).await;
    assert!(!answer.show_alert, "{label}: {answer:?}");
    // The press is answered first; the card's edit follows through the chat's send queue.
    let edited = |f: &FakeTelegram| {
        f.messages_in(chat)
            .into_iter()
            .find(|m| &m["message_id"] == id && *m != before)
    };
    match fake.wait_for(EDIT_WAIT, edited).await {
        Some(after) => after,
        None => current(fake, chat, id),
    }
}

/// How long a press's card edit may take: the chat's send queue spaces messages a second apart.
const EDIT_WAIT: Duration = Duration::from_secs(3);

/// Runs `sql` on the server's SQLite database (the server may be running: WAL).
async fn sql(dir: &Path, sql: &str) {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .expect("sql");
    conn.close().await.expect("close");
}

async fn count_requests(dir: &Path) -> i64 {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM requests")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    conn.close().await.expect("close");
    n
}

#[tokio::test]
async fn a_member_pages_forward_and_back_and_requests_with_days_old_buttons() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir, &[]).await;
    let ann = TgUser::new(21, "ann");

    let card = search(&fake, &ann, "/movie dune").await;
    assert_eq!(labels(&card)[0], ["◀", "1/3", "▶"]);
    assert_eq!(labels(&card)[1], ["Request"]);
    let first = first_line(&card);
    assert_eq!(first, "Dune: Part Two (2024)");
    assert!(
        text_of(&card).contains("⭐") && text_of(&card).contains("min"),
        "{card}"
    );

    // ▶ edits the same message: another poster, caption and counter.
    let second = press_label(&fake, &ann, &card, "▶").await;
    assert_eq!(second["message_id"], card["message_id"]);
    assert_eq!(labels(&second)[0], ["◀", "2/3", "▶"]);
    assert_ne!(first_line(&second), first);
    assert_ne!(second["photo"], card["photo"], "the poster changed too");
    let media_edits = fake
        .calls()
        .into_iter()
        .filter(|c| c.method == "editmessagemedia")
        .collect::<Vec<_>>();
    assert_eq!(media_edits.len(), 1);
    assert!(media_edits[0].outcome.is_ok(), "{:?}", media_edits[0]);

    // The counter does nothing: answered quietly, the card untouched.
    let counter = press(&fake, &ann, &second, &button(&second, "2/3")).await;
    assert_eq!((counter.text, counter.show_alert), (None, false));
    assert_eq!(current(&fake, ann.id, &card["message_id"]), second);

    // ◀ comes back to the first result; ◀ on the first wraps to the last.
    let back = press_label(&fake, &ann, &second, "◀").await;
    assert_eq!(first_line(&back), first);
    let last = press_label(&fake, &ann, &back, "◀").await;
    assert_eq!(labels(&last)[0], ["◀", "3/3", "▶"]);
    assert_eq!(
        fake.messages_in(ann.id).len(),
        1,
        "paging posts nothing new"
    );

    // Days later, after a restart: the buttons carry all they need, the search is in the database.
    assert!(server.stop().await.success());
    sql(
        &dir,
        "UPDATE searches SET created_at = created_at - 5 * 86400000",
    )
    .await;
    let server = start(&fake, &tmdb.url, &dir, &[]).await;
    let again = press_label(&fake, &ann, &last, "▶").await;
    assert_eq!(labels(&again)[0], ["◀", "1/3", "▶"]);
    assert_eq!(first_line(&again), first);

    // Request from the second card: the approver card names that title.
    let second = press_label(&fake, &ann, &again, "▶").await;
    let title = first_line(&second);
    let answer = press(&fake, &ann, &second, &button(&second, "Request")).await;
    assert!(answer.text.is_some_and(|t| t.starts_with("Requested")));
    let approver = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().next())
        .await
        .expect("an approver card");
    assert!(
        text_of(&approver).contains(&title),
        "{approver} for {title}"
    );

    // A month later the housekeeping job has forgotten the search: the card says so.
    assert!(server.stop().await.success());
    sql(
        &dir,
        "UPDATE searches SET created_at = created_at - 40 * 86400000",
    )
    .await;
    let server = start(&fake, &tmdb.url, &dir, &[]).await;
    let page = current(&fake, ann.id, &card["message_id"]);
    let mut expired = None;
    for _ in 0..50 {
        let answer = press(&fake, &ann, &page, &button(&page, "▶")).await;
        if answer
            .text
            .as_deref()
            .is_some_and(|t| t.contains("too old"))
        {
            expired = answer.text;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(expired.is_some(), "the pruned search is reported");
    let refused: Vec<_> = fake
        .calls()
        .into_iter()
        .filter(|c| c.outcome.is_err() && !c.method.starts_with("answer"))
        .collect();
    assert!(refused.is_empty(), "Telegram refused nothing: {refused:?}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn two_of_four_seasons_picked_reach_sonarr_and_nothing_else() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let extra = [
        ("USHER_SONARR_URL", sonarr.url()),
        ("USHER_SONARR_API_KEY", ARR_KEY),
    ];
    let server = start(&fake, &tmdb.url, &dir, &extra).await;
    let ann = TgUser::new(22, "ann");
    let boss = TgUser::new(100, "boss");

    let card = search(&fake, &ann, "/tv attack on titan").await;
    assert_eq!(first_line(&card), "Attack on Titan (2013)");
    assert!(text_of(&card).contains("Seasons: 4"), "{card}");
    assert_eq!(
        labels(&card),
        [vec!["Request all seasons"], vec!["Pick seasons…"]]
    );

    let before = current(&fake, ann.id, &card["message_id"]);
    let answer = press(&fake, &ann, &card, &button(&card, "Pick seasons…")).await;
    assert!(
        answer
            .text
            .is_some_and(|t| t.starts_with("Tick the seasons"))
    );
    // The picker follows the answer through the chat's send queue.
    let picker = fake
        .wait_for(EDIT_WAIT, |f| {
            let now = current(f, ann.id, &card["message_id"]);
            (now != before).then_some(now)
        })
        .await
        .expect("the picker replaces the keyboard");
    assert_eq!(
        text_of(&picker),
        text_of(&card),
        "only the keyboard changed"
    );
    assert_eq!(
        labels(&picker),
        [
            vec!["S1", "S2", "S3", "S4"],
            vec!["All", "Future seasons"],
            vec!["◀ Back"],
        ]
    );
    let picker = press_label(&fake, &ann, &picker, "S2").await;
    let picker = press_label(&fake, &ann, &picker, "S4").await;
    let picker = press_label(&fake, &ann, &picker, "S3").await;
    let picker = press_label(&fake, &ann, &picker, "✅ S3").await;
    assert_eq!(labels(&picker)[0], ["S1", "✅ S2", "S3", "✅ S4"]);
    let answer = press(&fake, &ann, &picker, &button(&picker, "Request these")).await;
    assert!(answer.text.is_some_and(|t| t.starts_with("Requested")));

    // The approver approves; the submission worker adds the show with seasons 2 and 4 only.
    let approver = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().next())
        .await
        .expect("an approver card");
    let answer = press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    assert!(!answer.show_alert, "{answer:?}");
    for _ in 0..200 {
        if sonarr.adds() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sonarr.adds(), 1);
    assert_eq!(sonarr.monitored_seasons(267_440), vec![2, 4]);
    let posted = sonarr.server.received_at("POST", "/api/v3/series");
    let monitored: Vec<(i64, bool)> = posted[0].body["seasons"]
        .as_array()
        .expect("seasons")
        .iter()
        .map(|s| {
            (
                s["seasonNumber"].as_i64().unwrap_or(-1),
                s["monitored"] == true,
            )
        })
        .collect();
    assert_eq!(
        monitored,
        [(0, false), (1, false), (2, true), (3, false), (4, true)],
        "{}",
        posted[0].body
    );
    assert_eq!(
        posted[0].body["monitorNewItems"], "none",
        "no future seasons asked"
    );

    // Back from the picker shows the card again; the title is ann's request now.
    let back = press_label(&fake, &ann, &picker, "◀ Back").await;
    assert!(text_of(&back).contains("You asked for this: #1"), "{back}");

    // Season 1 and the seasons to come: the series already there gets exactly that.
    let picker = press_label(&fake, &ann, &back, "Pick seasons…").await;
    let picker = press_label(&fake, &ann, &picker, "S1").await;
    let picker = press_label(&fake, &ann, &picker, "Future seasons").await;
    assert_eq!(labels(&picker)[1], ["All", "✅ Future seasons"]);
    let answer = press(&fake, &ann, &picker, &button(&picker, "Request these")).await;
    assert!(answer.text.is_some_and(|t| t.starts_with("Requested")));
    let second = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().nth(1))
        .await
        .expect("a second approver card");
    press(&fake, &boss, &second, &buttons(&second).remove(0)).await;
    for _ in 0..200 {
        if sonarr.updates() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!((sonarr.adds(), sonarr.updates()), (1, 1));
    assert_eq!(sonarr.monitored_seasons(267_440), vec![1, 2, 4]);
    let series = sonarr.series(267_440).expect("series");
    assert_eq!(series["monitorNewItems"], "all");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn inline_mode_lists_photos_and_its_request_button_works() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir, &[]).await;
    let ann = TgUser::new(23, "ann");
    let bob = TgUser::new(24, "bob");

    let query = fake.inline_query(&ann, "dune", "");
    let answer = fake
        .wait_inline_answer(&query, WAIT)
        .await
        .unwrap_or_else(|| panic!("an inline answer; calls: {:?}", fake.calls()));
    let results = answer["results"].as_array().cloned().expect("results");
    assert_eq!(results.len(), 3, "three movies, no people: {answer}");
    for result in &results {
        assert_eq!(result["type"], "photo", "{result}");
        assert!(
            result["photo_url"]
                .as_str()
                .is_some_and(|u| u.contains("/w500/"))
        );
        assert!(
            result["thumbnail_url"]
                .as_str()
                .is_some_and(|u| u.contains("/w185/"))
        );
        let data = result["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            .as_str()
            .expect("a Request button");
        assert!(data.len() <= 64);
    }
    assert_eq!(answer["next_offset"], "", "one page of results");
    assert_eq!(answer["is_personal"], true);

    // Choosing the first result posts it; bob presses Request on it (no message, only the
    // inline message id): a request is made and the approvers are told.
    let id = results[0]["id"].as_str().expect("id");
    let posted = fake.choose_inline_result(&query, id).expect("posted");
    let message = fake.inline_message(&posted).expect("inline message");
    assert!(text_of(&message).starts_with("Dune"), "{message}");
    let data = button(&message, "Request");
    let press = fake.press_inline(&bob, &posted, &data);
    let answer = fake.wait_answer(&press, WAIT).await.expect("answered");
    assert!(!answer.show_alert, "{answer:?}");
    assert!(answer.text.is_some_and(|t| t.starts_with("Requested")));
    let approver = fake
        .wait_for(WAIT, |f| f.messages_in(ADMIN_CHAT).into_iter().next())
        .await
        .expect("an approver card");
    assert!(text_of(&approver).contains("from bob"), "{approver}");

    // An empty query answers nothing (but is answered).
    let empty = fake.inline_query(&ann, "  ", "");
    let answer = fake
        .wait_inline_answer(&empty, WAIT)
        .await
        .expect("answered");
    assert_eq!(answer["results"], json!([]));
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn notify_me_too_brings_the_follower_the_availability_dm() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(
        &fake,
        &tmdb.url,
        &dir,
        &[("USHER_WEBHOOK_SECRET", HOOK_SECRET)],
    )
    .await;
    let ann = TgUser::new(25, "ann");
    let bob = TgUser::new(26, "bob");
    let boss = TgUser::new(100, "boss");
    let approver = request_dune(&fake, &ann).await;

    let card = search(&fake, &bob, "/movie dune").await;
    assert!(
        text_of(&card).contains("Someone already asked: #1, pending"),
        "{card}"
    );
    assert!(!labels(&card).concat().contains(&"Request".to_owned()));
    let answer = press(&fake, &bob, &card, &button(&card, "🔔 Notify me too")).await;
    assert!(
        answer
            .text
            .is_some_and(|t| t.starts_with("Someone already asked"))
    );
    let again = search(&fake, &bob, "/movie dune").await;
    assert!(
        text_of(&again).contains("You'll be told when it's there"),
        "{again}"
    );
    assert_eq!(
        labels(&again),
        [vec!["◀", "1/3", "▶"]],
        "nothing left to press"
    );

    let answer = press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    assert!(!answer.show_alert, "{answer:?}");

    // Radarr reports the import: the requester and the follower are both told.
    let path = usher_testkit::specs_dir().join("webhooks/radarr-download.json");
    let mut download: Value =
        serde_json::from_slice(&std::fs::read(path).expect("sample")).expect("json");
    download["movie"]["tmdbId"] = json!(693_134);
    let status = reqwest::Client::new()
        .post(format!(
            "{}/hooks/radarr?token={HOOK_SECRET}",
            server.base_url
        ))
        .json(&download)
        .send()
        .await
        .expect("webhook")
        .status();
    assert_eq!(status, 200);
    let told = |user: &TgUser| {
        let id = user.id;
        move |f: &FakeTelegram| {
            f.messages_in(id)
                .into_iter()
                .find(|m| text_of(m).contains("is now available"))
        }
    };
    assert!(fake.wait_for(WAIT, told(&ann)).await.is_some());
    let dm = fake.wait_for(WAIT, told(&bob)).await;
    assert!(
        dm.is_some(),
        "the follower is told: {:?}",
        fake.messages_in(bob.id)
    );

    // Now the card says it is in the library, and offers nothing to ask.
    let card = search(&fake, &bob, "/movie dune").await;
    assert!(text_of(&card).contains("Already in the library"), "{card}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn request_4k_is_only_for_those_allowed_and_a_replayed_4k_press_is_refused() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let radarr_4k = FakeRadarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let extra = [
        ("USHER_RADARR_4K_URL", radarr_4k.url()),
        ("USHER_RADARR_4K_API_KEY", ARR_KEY),
    ];
    let server = start(&fake, &tmdb.url, &dir, &extra).await;
    let ann = TgUser::new(27, "ann");
    let boss = TgUser::new(100, "boss");

    let members_card = search(&fake, &ann, "/movie dune").await;
    assert_eq!(labels(&members_card)[1], ["Request"], "no 4K for a member");
    let admins_card = search(&fake, &boss, "/movie dune").await;
    assert_eq!(labels(&admins_card)[1], ["Request", "Request 4K"]);
    let four_k = button(&admins_card, "Request 4K");

    // The member presses the admin's 4K button (a forwarded card): core refuses.
    let answer = press(&fake, &ann, &members_card, &four_k).await;
    assert!(answer.show_alert, "{answer:?}");
    assert!(answer.text.is_some_and(|t| t.contains("not allowed")));
    // An edited button (the 4K flag forged into the member's own) fails its signature.
    let original = button(&members_card, "Request");
    let forged = tampered(&original, original.len() / 2);
    let answer = press(&fake, &ann, &members_card, &forged).await;
    assert!(answer.show_alert && answer.text.is_some_and(|t| t.contains("no longer valid")));
    assert_eq!(count_requests(&dir).await, 0, "nothing was requested");

    // The admin's own 4K press goes through.
    let answer = press(&fake, &boss, &admins_card, &four_k).await;
    assert!(!answer.show_alert, "{answer:?}");
    assert_eq!(count_requests(&dir).await, 1);
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn paging_between_a_poster_and_no_poster_replaces_the_card() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let _server = start(&fake, &tmdb.url, &dir, &[]).await;
    let ann = TgUser::new(25, "ann");

    let card = search(&fake, &ann, "/movie metropolis").await;
    assert_eq!(labels(&card)[0], ["◀", "1/2", "▶"]);
    assert!(
        card["photo"].is_array(),
        "the 1927 film has a poster: {card}"
    );

    // Telegram cannot turn a photo into text: the card is posted anew as text, the old one goes.
    let press_and_wait_for_new = |from: Value, label: &'static str| {
        let fake = &fake;
        let ann = &ann;
        async move {
            let before = fake.messages_in(ann.id).len();
            let answer = press(fake, ann, &from, &button(&from, label)).await;
            assert!(!answer.show_alert, "{answer:?}");
            let gone = from["message_id"].clone();
            fake.wait_for(EDIT_WAIT, |f| {
                let now = f.messages_in(ann.id);
                let replaced = now.iter().all(|m| m["message_id"] != gone);
                (replaced && now.len() == before)
                    .then(|| now.last().cloned())
                    .flatten()
            })
            .await
            .expect("the card is replaced")
        }
    };
    let text_card = press_and_wait_for_new(card, "▶").await;
    assert!(text_card["photo"].is_null(), "{text_card}");
    assert_eq!(labels(&text_card)[0], ["◀", "2/2", "▶"]);
    assert!(
        text_of(&text_card).starts_with("Metropolis (2001)"),
        "{text_card}"
    );

    let photo_card = press_and_wait_for_new(text_card, "◀").await;
    assert!(photo_card["photo"].is_array(), "{photo_card}");
    assert_eq!(labels(&photo_card)[0], ["◀", "1/2", "▶"]);
}
