//! Three `usher serve` replicas on one PostgreSQL database: approved requests are submitted to
//! Radarr exactly once even when a replica is killed mid-way, and webhooks may land on any
//! replica without a request being announced twice.

use std::time::Duration;

use serde_json::{Value, json};
use usher_core::domain::{
    Actor, Media, MediaType, Platform, RequestId, RequestStatus, Source, TmdbId,
};
use usher_core::service::{NewRequest, Registration, Services, events};
use usher_core::store::{ConnectOptions, Db, outbox, requests};
use usher_testkit::FakeRadarr;

use crate::support::{Server, drop_database, postgres_database, temp_dir};

const KEY: &str = "replica-arr-key";
const TOKEN: &str = "replica-webhook-secret-0123";
const REQUESTS: i64 = 24;

async fn approve_batch(services: &Services, from: i64, count: i64) -> Vec<RequestId> {
    let approver = actor(services, "9999", "approver").await;
    let mut ids = Vec::new();
    for n in from..from + count {
        let member = actor(services, &(1000 + n % 4).to_string(), "member").await;
        let media = Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(5_000_000 + n).expect("id"),
            tvdb_id: None,
            title: format!("Synthetic {n}"),
            year: None,
        };
        let new = NewRequest {
            media,
            seasons: Default::default(),
            future_seasons: false,
            four_k: false,
        };
        let created = services
            .requests
            .create(&member, new)
            .await
            .expect("create");
        ids.push(
            services
                .requests
                .approve(&approver, created.request.id)
                .await
                .expect("approve")
                .id,
        );
    }
    ids
}

async fn actor(services: &Services, id: &str, role: &'static str) -> Actor {
    let user = services
        .users
        .resolve(Platform::Telegram, id, id, Registration::AutoRegister(role))
        .await
        .expect("user");
    Actor::user(user.id, Source::Telegram { user: id.into() })
}

async fn all_reach(services: &Services, ids: &[RequestId], want: RequestStatus) {
    for _ in 0..600 {
        let mut done = 0;
        for id in ids {
            let request = requests::find(&services.db, *id)
                .await
                .expect("find")
                .expect("row");
            done += usize::from(request.status == want);
        }
        if done == ids.len() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not every request reached {want}");
}

fn download(upstream_id: i64, tmdb: i64) -> Value {
    let path = usher_testkit::specs_dir().join("webhooks/radarr-download.json");
    let mut value: Value =
        serde_json::from_slice(&std::fs::read(path).expect("sample")).expect("json");
    value["movie"]["id"] = json!(upstream_id);
    value["movie"]["tmdbId"] = json!(tmdb);
    value
}

#[tokio::test]
async fn three_replicas_submit_once_and_survive_a_crash() {
    let url = postgres_database().await;
    let radarr = FakeRadarr::start(KEY).await;
    let env = [
        ("USHER_DATABASE_URL", url.as_str()),
        (
            "USHER_SECRET_KEY",
            "one-secret-key-shared-by-all-three-replicas",
        ),
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", KEY),
        ("USHER_WEBHOOK_SECRET", TOKEN),
        ("USHER_ARR_SUBMIT_LEASE_SECS", "5"),
        ("USHER_ARR_RETRY_BACKOFF_SECS", "1"),
    ];
    let dirs = [temp_dir(), temp_dir(), temp_dir()];
    let first = Server::start_process(&dirs[0].1, &env).await;
    let second = Server::start_process(&dirs[1].1, &env).await;
    let third = Server::start_process(&dirs[2].1, &env).await;
    for server in [&first, &second, &third] {
        assert_eq!(server.get("/readyz").await.status(), 200);
    }
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("db");
    let services = Services::new(db);

    let mut ids = approve_batch(&services, 0, REQUESTS / 2).await;
    first.kill().await; // mid-way: it may hold claimed rows; their lease runs out and others finish them
    ids.extend(approve_batch(&services, REQUESTS / 2, REQUESTS / 2).await);
    all_reach(&services, &ids, RequestStatus::Submitted).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        radarr.adds(),
        REQUESTS as usize,
        "every request added exactly once"
    );
    let mut in_library: Vec<i64> = radarr
        .library()
        .iter()
        .filter_map(|m| m["tmdbId"].as_i64())
        .collect();
    in_library.sort_unstable();
    in_library.dedup();
    assert_eq!(in_library.len(), REQUESTS as usize);

    // Each Download webhook goes to one surviving replica, then is replayed to the other.
    let client = reqwest::Client::new();
    for (n, id) in ids.iter().enumerate() {
        let request = requests::find(&services.db, *id)
            .await
            .expect("find")
            .expect("row");
        let body = download(
            request.upstream.expect("upstream").id,
            i64::from(request.media.tmdb_id.get()),
        );
        let (a, b) = if n % 2 == 0 {
            (&second, &third)
        } else {
            (&third, &second)
        };
        for server in [a, b] {
            let status = client
                .post(format!("{}/hooks/radarr?token={TOKEN}", server.base_url))
                .json(&body)
                .send()
                .await
                .expect("webhook")
                .status();
            assert_eq!(status, 200);
        }
    }
    all_reach(&services, &ids, RequestStatus::Available).await;
    let notes = outbox::pending(&services.db, events::TOPIC_NOTIFY)
        .await
        .expect("outbox");
    let available = notes
        .iter()
        .filter(|r| r.payload.contains("\"available\""))
        .count();
    assert_eq!(
        available, REQUESTS as usize,
        "one availability notice per request, replays included"
    );

    assert!(second.stop().await.success());
    assert!(third.stop().await.success());
    services.db.close().await;
    drop_database(&url).await;
}
