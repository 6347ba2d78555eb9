//! The whole path through the `usher` binary: a request approved (through core, on the same
//! database the server uses) → the server's submission worker adds it to the fake Radarr/Sonarr
//! exactly once, with a body the official spec accepts → a Download webhook → Available (or
//! PartiallyAvailable), with a notification in the outbox. Also: Radarr failing for a moment,
//! and the process stopped between approval and submission.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use usher_core::domain::{
    Actor, Media, MediaType, Platform, RequestId, RequestStatus, Seasons, Source, TmdbId,
};
use usher_core::service::{NewRequest, Registration, Services, events};
use usher_core::store::{ConnectOptions, Db, outbox, requests};
use usher_testkit::{FakeRadarr, FakeSonarr, Fault, Spec};

use crate::support::{Server, outbox_settles, temp_dir};

const KEY: &str = "e2e-arr-key";
const TOKEN: &str = "e2e-full-path-webhook-secret";

async fn database(dir: &Path) -> Services {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("open the server's database");
    db.migrate().await.expect("migrate");
    Services::new(db)
}

async fn actor(services: &Services, id: &str, role: &'static str) -> Actor {
    let user = services
        .users
        .resolve(Platform::Telegram, id, id, Registration::AutoRegister(role))
        .await
        .expect("user");
    Actor::user(user.id, Source::Telegram { user: id.into() })
}

async fn approve(services: &Services, member: &str, media: Media, seasons: &[u16]) -> RequestId {
    let requester = actor(services, member, "member").await;
    let approver = actor(services, "9000", "approver").await;
    let new = NewRequest {
        media,
        seasons: Seasons::new(seasons.iter().copied()),
        future_seasons: false,
        four_k: false,
    };
    let created = services
        .requests
        .create(&requester, new)
        .await
        .expect("create");
    services
        .requests
        .approve(&approver, created.request.id)
        .await
        .expect("approve")
        .id
}

fn media(media_type: MediaType, tmdb: i64, title: &str) -> Media {
    Media {
        media_type,
        tmdb_id: TmdbId::parse(tmdb).expect("id"),
        tvdb_id: None,
        title: title.into(),
        year: None,
    }
}

async fn status_becomes(services: &Services, id: RequestId, want: RequestStatus) {
    for _ in 0..200 {
        let request = requests::find(&services.db, id)
            .await
            .expect("find")
            .expect("row");
        if request.status == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let request = requests::find(&services.db, id)
        .await
        .expect("find")
        .expect("row");
    panic!(
        "request {id} stayed {} (last error {:?}), wanted {want}",
        request.status, request.last_error
    );
}

/// The fake Radarr, Sonarr and TMDB every test here runs against.
async fn peers() -> (FakeRadarr, FakeSonarr, usher_testkit::server::FakeServer) {
    (
        FakeRadarr::start(KEY).await,
        FakeSonarr::start(KEY).await,
        usher_testkit::tmdb::start().await,
    )
}

fn env<'a>(radarr: &'a str, sonarr: &'a str, tmdb: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("USHER_RADARR_URL", radarr),
        ("USHER_RADARR_API_KEY", KEY),
        ("USHER_SONARR_URL", sonarr),
        ("USHER_SONARR_API_KEY", KEY),
        ("USHER_TMDB_API_URL", tmdb),
        ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ("USHER_WEBHOOK_SECRET", TOKEN),
    ]
}

fn sample(name: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let path = usher_testkit::specs_dir().join("webhooks").join(name);
    let mut value: Value =
        serde_json::from_slice(&std::fs::read(path).expect("sample")).expect("json");
    edit(&mut value);
    value
}

async fn hook(server: &Server, source: &str, body: &Value) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/hooks/{source}?token={TOKEN}", server.base_url))
        .json(body)
        .send()
        .await
        .expect("post webhook")
        .status()
        .as_u16()
}

async fn notifications_about(services: &Services, id: RequestId, status: &str) -> usize {
    let rows = outbox::pending(&services.db, events::TOPIC_NOTIFY)
        .await
        .expect("outbox");
    rows.iter()
        .filter(|r| {
            r.payload.contains(&format!("\"request_id\":{id}")) && r.payload.contains(status)
        })
        .count()
}

#[tokio::test]
async fn movie_and_show_go_from_approval_to_available_through_the_binary() {
    let (_keep, dir) = temp_dir();
    let (radarr, sonarr, tmdb) = peers().await;
    let server = Server::start(&dir, &env(radarr.url(), sonarr.url(), &tmdb.url)).await;
    assert!(
        server
            .printed
            .iter()
            .any(|l| l.contains("submission to Radarr/Sonarr: on")),
        "{:?}",
        server.printed
    );
    let services = database(&dir).await;

    // Movie: one add, spec-valid, then Download → Available with one notification.
    let movie = approve(
        &services,
        "100",
        media(MediaType::Movie, 438631, "Dune"),
        &[],
    )
    .await;
    status_becomes(&services, movie, RequestStatus::Submitted).await;
    let adds = radarr.server.received_at("POST", "/api/v3/movie");
    assert_eq!(adds.len(), 1);
    assert_eq!(
        Spec::load("radarr-v3-openapi.json").check_request(
            "POST",
            "/api/v3/movie",
            "",
            Some(&adds[0].body)
        ),
        Ok(())
    );
    let upstream = requests::find(&services.db, movie)
        .await
        .expect("find")
        .expect("row")
        .upstream
        .expect("upstream ref");
    let download = sample("radarr-download.json", |v| {
        v["movie"]["id"] = json!(upstream.id);
        v["movie"]["tmdbId"] = json!(438631);
    });
    assert_eq!(hook(&server, "radarr", &download).await, 200);
    status_becomes(&services, movie, RequestStatus::Available).await;
    assert_eq!(
        notifications_about(&services, movie, "\"available\"").await,
        1
    );
    assert_eq!(
        hook(&server, "radarr", &download).await,
        200,
        "a replay is accepted…"
    );
    assert_eq!(
        notifications_about(&services, movie, "\"available\"").await,
        1,
        "…and changes nothing"
    );

    // TV: two of four seasons imported → PartiallyAvailable, then the rest → Available.
    let show = approve(
        &services,
        "101",
        media(MediaType::Tv, 1396, "Breaking Bad"),
        &[1, 2, 3, 4],
    )
    .await;
    status_becomes(&services, show, RequestStatus::Submitted).await;
    assert_eq!(sonarr.adds(), 1);
    assert_eq!(
        sonarr.monitored_seasons(81189),
        vec![1, 2, 3, 4],
        "TVDB id found through TMDB"
    );
    let import = |files: [i64; 2], seasons: [i64; 2]| {
        sample("sonarr-download-importcomplete.json", |v| {
            v["series"]["tvdbId"] = json!(81189);
            v["series"]["tmdbId"] = json!(1396);
            v["episodes"] = json!([
                { "id": files[0], "episodeNumber": 1, "seasonNumber": seasons[0], "title": "a", "seriesId": 7 },
                { "id": files[1], "episodeNumber": 1, "seasonNumber": seasons[1], "title": "b", "seriesId": 7 },
            ]);
            v["episodeFiles"] = json!([{ "id": files[0] }, { "id": files[1] }]);
        })
    };
    assert_eq!(
        hook(&server, "sonarr", &import([11, 12], [1, 2])).await,
        200
    );
    status_becomes(&services, show, RequestStatus::PartiallyAvailable).await;
    assert_eq!(
        hook(&server, "sonarr", &import([13, 14], [3, 4])).await,
        200
    );
    status_becomes(&services, show, RequestStatus::Available).await;
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn a_failing_radarr_and_a_restart_still_make_exactly_one_add() {
    let (_keep, dir) = temp_dir();
    let (radarr, sonarr, tmdb) = peers().await;
    let vars = env(radarr.url(), sonarr.url(), &tmdb.url);

    // Radarr answers 500 twice while the request is approved; the retries carry it through.
    let server = Server::start(&dir, &vars).await;
    let services = database(&dir).await;
    radarr.server.faults.fail_next(2, Fault::ServerError);
    let first = approve(
        &services,
        "200",
        media(MediaType::Movie, 27205, "Inception"),
        &[],
    )
    .await;
    status_becomes(&services, first, RequestStatus::Submitted).await;
    assert_eq!(radarr.adds(), 1);

    // Stopped between approval and submission: the outbox row waits for the next start.
    assert!(server.stop().await.success());
    let second = approve(
        &services,
        "201",
        media(MediaType::Movie, 438631, "Dune"),
        &[],
    )
    .await;
    assert_eq!(radarr.adds(), 1, "nothing is sent while Usher is down");
    let server = Server::start(&dir, &vars).await;
    status_becomes(&services, second, RequestStatus::Submitted).await;
    assert_eq!(radarr.adds(), 2, "exactly one add for each request");
    outbox_settles(&dir, &["submit"]).await;
    assert_eq!(
        radarr.adds(),
        2,
        "and nothing added twice afterwards: no submission is left to make"
    );
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn a_stop_while_radarr_hangs_ends_in_time_and_the_next_start_adds_once() {
    let (_keep, dir) = temp_dir();
    let (radarr, sonarr, tmdb) = peers().await;
    let mut vars = env(radarr.url(), sonarr.url(), &tmdb.url);
    // Radarr takes the connection and never answers within Usher's patience.
    vars.push(("USHER_HTTP_TIMEOUT_SECS", "120"));
    let server = Server::start(&dir, &vars).await;
    let services = database(&dir).await;
    radarr.server.faults.set_latency(Duration::from_secs(120));
    let asked = radarr.server.received().len();
    let request = approve(
        &services,
        "200",
        media(MediaType::Movie, 27205, "Inception"),
        &[],
    )
    .await;
    for _ in 0..200 {
        if radarr.server.received().len() > asked {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(radarr.server.received().len() > asked, "Radarr was asked");

    // Stopped with the submission under way: the stop keeps its bound (well within systemd's
    // 20 s) instead of waiting out Radarr's silence, and the request is kept.
    let stopping = tokio::time::Instant::now();
    assert!(server.stop().await.success());
    let took = stopping.elapsed();
    assert!(took < Duration::from_secs(12), "stopped in {took:?}");
    assert_eq!(radarr.adds(), 0);

    // Handed back to the queue, so the next start submits it at once, exactly once.
    radarr.server.faults.set_latency(Duration::ZERO);
    let server = Server::start(&dir, &vars).await;
    status_becomes(&services, request, RequestStatus::Submitted).await;
    assert_eq!(radarr.adds(), 1);
    outbox_settles(&dir, &["submit"]).await;
    assert!(server.stop().await.success());
}
