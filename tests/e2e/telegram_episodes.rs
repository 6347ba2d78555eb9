//! Single episodes through the `usher` binary: `/tv Breaking Bad S02E05` posts the show's card
//! with a "Request S02E05" button; pressed and approved, the fake Sonarr has the series with
//! exactly that one episode monitored and searched (on both databases). A typo in the episode is
//! pointed out; an edited button is refused. Then availability per episode: S02E04 arriving leaves the request
//! waiting; S02E05 arriving (Sonarr's Download webhook) tells the requester once.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use usher_core::domain::{RequestId, RequestStatus};
use usher_core::store::{ConnectOptions, Db, requests};
use usher_testkit::FakeSonarr;
use usher_testkit::telegram::{FakeTelegram, TOKEN, TgUser};

use crate::support::{Server, database_for, drop_database, tampered, temp_dir};
use crate::telegram::{
    ADMIN_CHAT, WAIT, approver_card, button, buttons, first_with_buttons, press, text_of,
};
use crate::telegram_cards::{labels, press_label};

const ARR_KEY: &str = "e2e-episodes-arr-key";

#[tokio::test]
async fn one_episode_asked_in_chat_is_the_one_episode_sonarr_monitors_on_sqlite() {
    one_episode_walk(false).await;
}

#[tokio::test]
async fn one_episode_asked_in_chat_is_the_one_episode_sonarr_monitors_on_postgres() {
    one_episode_walk(true).await;
}

async fn one_episode_walk(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let admin_chat = ADMIN_CHAT.to_string();
    let mut env = vec![
        ("USHER_TELEGRAM_TOKEN", TOKEN),
        ("USHER_TELEGRAM_API_URL", fake.url()),
        ("USHER_TELEGRAM_ADMIN_CHAT_ID", admin_chat.as_str()),
        ("USHER_TELEGRAM_ADMIN_IDS", "100"),
        ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ("USHER_TMDB_API_URL", tmdb.url.as_str()),
        ("USHER_SONARR_URL", sonarr.url()),
        ("USHER_SONARR_API_KEY", ARR_KEY),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = Server::start(&dir, &env).await;
    let ann = TgUser::new(22, "ann");
    let boss = TgUser::new(100, "boss");

    // A typo in the episode is said, not searched.
    fake.send_private(&ann, "/tv breaking bad S2E");
    let typo = fake
        .wait_for(WAIT, |f| f.messages_in(ann.id).into_iter().next())
        .await
        .expect("an answer to the typo");
    assert!(text_of(&typo).contains("S2E"), "{typo}");
    assert!(buttons(&typo).is_empty(), "no card for a typo");

    fake.send_private(&ann, "/tv breaking bad S02E05");
    let card = first_with_buttons(&fake, ann.id).await;
    assert!(text_of(&card).starts_with("Breaking Bad (2008)"), "{card}");
    assert_eq!(labels(&card), [vec!["Request S02E05"]]);

    // An edited button is refused before anything is asked.
    let forged = tampered(&button(&card, "Request S02E05"), 5);
    let answer = press(&fake, &ann, &card, &forged).await;
    assert!(answer.show_alert, "{answer:?}");

    let answer = press(&fake, &ann, &card, &button(&card, "Request S02E05")).await;
    assert!(
        answer.text.is_some_and(|t| t.starts_with("Requested")),
        "press answered"
    );
    let approver = approver_card(&fake).await;
    assert!(text_of(&approver).contains("Breaking Bad"), "{approver}");
    let answer = press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    assert!(!answer.show_alert, "{answer:?}");
    for _ in 0..200 {
        if !sonarr.monitored_episodes(81189).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sonarr.adds(), 1);
    assert_eq!(sonarr.monitored_episodes(81189), [(2, 5)]);
    assert!(
        sonarr.monitored_seasons(81189).is_empty(),
        "no whole season"
    );
    let searched: Vec<_> = sonarr
        .commands()
        .into_iter()
        .filter(|c| c["name"] == "EpisodeSearch")
        .collect();
    assert_eq!(searched.len(), 1, "{searched:?}");

    // The picker: season 3 alone, then its episodes, E2 ticked and requested.
    fake.send_private(&ann, "/tv breaking bad");
    let card = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ann.id)
                .into_iter()
                .filter(|m| !buttons(m).is_empty())
                .nth(1)
        })
        .await
        .expect("a second card");
    let picker = press_label(&fake, &ann, &card, "Pick seasons…").await;
    let picker = press_label(&fake, &ann, &picker, "S3").await;
    let episodes = press_label(&fake, &ann, &picker, "Episodes of S3…").await;
    assert_eq!(labels(&episodes)[0], ["E1", "E2", "E3", "E4", "E5"]);
    let episodes = press_label(&fake, &ann, &episodes, "E2").await;
    assert_eq!(labels(&episodes)[0][1], "✅ E2");
    let answer = press(&fake, &ann, &episodes, &button(&episodes, "Request these")).await;
    assert!(
        answer.text.is_some_and(|t| t.starts_with("Requested")),
        "picked episode asked"
    );
    let second = fake
        .wait_for(WAIT, |f| {
            // The first card lost its buttons when it was decided.
            f.messages_in(ADMIN_CHAT)
                .into_iter()
                .find(|m| !buttons(m).is_empty() && text_of(m).contains("S03E02"))
        })
        .await
        .expect("a second approver card naming the episode");
    press(&fake, &boss, &second, &buttons(&second).remove(0)).await;
    for _ in 0..200 {
        if sonarr.monitored_episodes(81189).len() > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sonarr.monitored_episodes(81189), [(2, 5), (3, 2)]);
    assert_eq!(sonarr.adds(), 1, "the series already there is adopted");
    assert!(server.stop().await.success());
    if let Some(url) = database {
        drop_database(&url).await;
    }
}

const HOOK_TOKEN: &str = "e2e-episodes-webhook-secret";

/// A Sonarr Download delivery (one file) of Breaking Bad's `(season, episode)`.
fn download(series_id: i64, file: i64, season: u16, episode: u16) -> Value {
    let path = usher_testkit::specs_dir()
        .join("webhooks")
        .join("sonarr-download.json");
    let mut body: Value =
        serde_json::from_slice(&std::fs::read(path).expect("sample")).expect("json");
    body["series"]["id"] = json!(series_id);
    body["series"]["tvdbId"] = json!(81189);
    body["series"]["tmdbId"] = json!(1396);
    body["episodeFile"]["id"] = json!(file);
    body["episodes"] = json!([{
        "id": file, "seriesId": series_id, "seasonNumber": season, "episodeNumber": episode,
    }]);
    body
}

async fn hook(server: &Server, body: &Value) -> u16 {
    reqwest::Client::new()
        .post(format!(
            "{}/hooks/sonarr?token={HOOK_TOKEN}",
            server.base_url
        ))
        .json(body)
        .send()
        .await
        .expect("post webhook")
        .status()
        .as_u16()
}

/// The server's database: the PostgreSQL one it was given, else its SQLite file.
async fn servers_database(dir: &Path, database: Option<&str>) -> Db {
    let url = database.map_or_else(
        || format!("sqlite://{}", dir.join("data/usher.db").display()),
        str::to_owned,
    );
    Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("open the server's database")
}

/// The status of the first request, read from the server's database.
async fn first_status(db: &Db) -> RequestStatus {
    requests::find(db, RequestId(1))
        .await
        .expect("find")
        .expect("the request")
        .status
}

/// Messages telling `user` their request is available.
fn told_available(fake: &FakeTelegram, user: &TgUser) -> usize {
    fake.messages_in(user.id)
        .iter()
        .filter(|m| {
            let text = text_of(m);
            text.contains("Breaking Bad") && text.contains("now") && text.contains("available")
        })
        .count()
}

#[tokio::test]
async fn an_episode_request_is_available_when_exactly_its_episode_is_on_sqlite() {
    exactly_its_episode(false).await;
}

#[tokio::test]
async fn an_episode_request_is_available_when_exactly_its_episode_is_on_postgres() {
    exactly_its_episode(true).await;
}

async fn exactly_its_episode(postgres: bool) {
    let database = database_for(postgres).await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let (_keep, dir) = temp_dir();
    let admin_chat = ADMIN_CHAT.to_string();
    let mut env = [
        ("USHER_TELEGRAM_TOKEN", TOKEN),
        ("USHER_TELEGRAM_API_URL", fake.url()),
        ("USHER_TELEGRAM_ADMIN_CHAT_ID", admin_chat.as_str()),
        ("USHER_TELEGRAM_ADMIN_IDS", "100"),
        ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ("USHER_TMDB_API_URL", tmdb.url.as_str()),
        ("USHER_SONARR_URL", sonarr.url()),
        ("USHER_SONARR_API_KEY", ARR_KEY),
        ("USHER_WEBHOOK_SECRET", HOOK_TOKEN),
    ]
    .to_vec();
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let server = Server::start(&dir, &env).await;
    let db = servers_database(&dir, database.as_deref()).await;
    let ann = TgUser::new(23, "ann");
    let boss = TgUser::new(100, "boss");

    fake.send_private(&ann, "/tv breaking bad S02E05");
    let card = first_with_buttons(&fake, ann.id).await;
    press(&fake, &ann, &card, &button(&card, "Request S02E05")).await;
    let approver = approver_card(&fake).await;
    press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    for _ in 0..200 {
        if first_status(&db).await == RequestStatus::Submitted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(first_status(&db).await, RequestStatus::Submitted);
    let series_id = sonarr
        .series(81189)
        .and_then(|s| s["id"].as_i64())
        .expect("the series in Sonarr");

    // S02E04 arrives: season 2 has a file now, but not the one asked for.
    let listed = sonarr.server.received_at("GET", "/api/v3/episode").len();
    sonarr.set_episode_file(81189, 2, 4);
    assert_eq!(hook(&server, &download(series_id, 9004, 2, 4)).await, 200);
    // The webhook wakes a pass, which asks Sonarr's episode list and finds E04 only.
    for _ in 0..200 {
        if sonarr.server.received_at("GET", "/api/v3/episode").len() > listed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        sonarr.server.received_at("GET", "/api/v3/episode").len() > listed,
        "the pass asked which episodes have files"
    );
    assert_eq!(first_status(&db).await, RequestStatus::Submitted);
    assert_eq!(told_available(&fake, &ann), 0, "still waiting");

    // S02E05 arrives: ann hears once, a replay changes nothing.
    sonarr.set_episode_file(81189, 2, 5);
    let ours = download(series_id, 9005, 2, 5);
    assert_eq!(hook(&server, &ours).await, 200);
    fake.wait_for(WAIT, |f| (told_available(f, &ann) > 0).then_some(()))
        .await
        .expect("ann told it is available");
    assert_eq!(first_status(&db).await, RequestStatus::Available);
    assert_eq!(hook(&server, &ours).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(told_available(&fake, &ann), 1, "told once");
    assert!(server.stop().await.success());
    db.close().await;
    if let Some(url) = database {
        drop_database(&url).await;
    }
}
