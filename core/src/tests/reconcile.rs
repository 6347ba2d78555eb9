//! The reconcile job on both databases against fake Jellyfin and Plex servers, and its
//! single leader on PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use usher_testkit::{FakeJellyfin, FakePlex};

use super::availability::{notifications, show_with_tvdb, submitted};
use super::harness::{both_dbs, movie, show, user_with_role};
use crate::domain::{LibraryServer, MediaType, RequestStatus, Seasons};
use crate::integrations::http::{HttpSettings, RetryPolicy};
use crate::integrations::mediaserver::{Flavor, JellyfinClient, MediaServer, PlexClient};
use crate::jobs::reconcile::Reconciler;
use crate::service::Services;
use crate::store::{Db, library, requests};

fn http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(3),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    }
}

async fn servers() -> (FakeJellyfin, FakePlex, Vec<Arc<dyn MediaServer>>) {
    let jf = FakeJellyfin::start("jf").await;
    let plex = FakePlex::start("plex").await;
    let jellyfin: Arc<dyn MediaServer> = Arc::new(
        JellyfinClient::new(jf.url(), "jf", &http())
            .expect("jellyfin")
            .with_flavor(Flavor::Jellyfin),
    );
    let plex_client: Arc<dyn MediaServer> =
        Arc::new(PlexClient::new(plex.url(), "plex", &http()).expect("plex"));
    (jf, plex, vec![jellyfin, plex_client])
}

/// Where the library keeps a title, as the reconcile job or a webhook remembered it.
async fn item(db: &Db, media_type: MediaType, tmdb: i64) -> Option<crate::domain::LibraryItem> {
    let tmdb = crate::domain::TmdbId::parse(tmdb).expect("id");
    library::item(db, media_type, tmdb).await.expect("read")
}

async fn stored(db: &Db, id: crate::domain::RequestId) -> crate::domain::Request {
    requests::find(db, id).await.expect("find").expect("row")
}

both_dbs!(one_pass_updates_only_open_requests, |db| {
    let services = Services::new(db.clone());
    let in_jellyfin = submitted(&services, 500, movie(10, "In Jellyfin")).await;
    let in_plex = submitted(&services, 501, movie(11, "In Plex")).await;
    let nowhere = submitted(&services, 502, movie(12, "Nowhere")).await;
    let split = submitted(&services, 503, show_with_tvdb(20, 2020, &[1, 2])).await;
    let (_, trusted) = user_with_role(&services, 504, "trusted").await;
    let approved = services
        .requests
        .create(&trusted, show(21, "Approved only", &[1, 2, 3]))
        .await
        .expect("approved")
        .request;
    let (_, member) = user_with_role(&services, 505, "member").await;
    let pending = services
        .requests
        .create(&member, movie(13, "Pending"))
        .await
        .expect("pending")
        .request;

    let (jf, plex, servers) = servers().await;
    let jf_movie = jf.add_movie(10, "In Jellyfin");
    jf.add_movie(13, "Pending");
    let jf_show = jf.add_series(Some(2020), None, "Split");
    jf.add_episodes(&jf_show, 1, 2);
    let jf_other = jf.add_series(None, Some(21), "Approved only");
    jf.add_episodes(&jf_other, 1, 1);
    plex.add_movie(11, "In Plex");
    let plex_show = plex.add_show(None, Some(20), "Split");
    plex.add_season(&plex_show, 2, 5);

    let job = Reconciler::new(db.clone(), servers);
    let before = notifications(&db).await;
    let report = job.try_run_once().await.expect("pass");
    assert!(report.ran);
    assert_eq!(report.open, 5);
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let mut changed = report.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        vec![in_jellyfin.id, in_plex.id, split.id, approved.id]
    );
    assert_eq!(notifications(&db).await, before + 4);
    assert_eq!(
        stored(&db, in_jellyfin.id).await.status,
        RequestStatus::Available
    );
    assert_eq!(
        stored(&db, in_plex.id).await.status,
        RequestStatus::Available
    );
    assert_eq!(
        stored(&db, nowhere.id).await.status,
        RequestStatus::Submitted
    );
    assert_eq!(
        stored(&db, split.id).await.status,
        RequestStatus::Available,
        "seasons from two servers add up"
    );
    let partial = stored(&db, approved.id).await;
    assert_eq!(partial.status, RequestStatus::PartiallyAvailable);
    assert_eq!(partial.available_seasons, Seasons::new([1]));
    assert_eq!(stored(&db, pending.id).await.status, RequestStatus::Pending);
    assert_eq!(
        jf.server.received_at("GET", "/Items").len(),
        2,
        "one movie and one series listing"
    );
    assert_eq!(plex.server.received_at("GET", "/library/sections").len(), 1);
    // Where Jellyfin keeps what it holds is remembered for the cards' library links (Plex's
    // listing does not name its server, so its items come from its webhooks only).
    let held = item(&db, MediaType::Movie, 10)
        .await
        .expect("the movie's item");
    assert_eq!(
        (held.server, held.item_id),
        (LibraryServer::Jellyfin, jf_movie)
    );
    let held = item(&db, MediaType::Tv, 20).await.expect("the show's item");
    assert_eq!(
        held.item_id, jf_show,
        "a show links the series, not an episode"
    );
    assert_eq!(
        item(&db, MediaType::Movie, 11).await,
        None,
        "found in Plex only"
    );
    assert_eq!(item(&db, MediaType::Movie, 12).await, None, "found nowhere");

    let again = job.try_run_once().await.expect("second pass");
    assert!(again.changed.is_empty());
    assert_eq!(again.open, 2, "only what is still open is looked at");
    assert_eq!(
        notifications(&db).await,
        before + 4,
        "nothing new, no notification"
    );
});

both_dbs!(a_failing_server_does_not_stop_the_others, |db| {
    let services = Services::new(db.clone());
    let request = submitted(&services, 510, movie(30, "Here")).await;
    let (jf, plex, servers) = servers().await;
    jf.add_movie(30, "Here");
    plex.server.faults.go_down();
    let report = Reconciler::new(db.clone(), servers)
        .try_run_once()
        .await
        .expect("pass");
    assert_eq!(report.changed, vec![request.id]);
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0].starts_with("Plex"),
        "{:?}",
        report.failures
    );
});

both_dbs!(nothing_open_means_no_upstream_calls, |db| {
    let (jf, plex, servers) = servers().await;
    let report = Reconciler::new(db.clone(), servers)
        .try_run_once()
        .await
        .expect("pass");
    assert!(report.ran);
    assert_eq!(report.open, 0);
    assert!(jf.server.received().is_empty());
    assert!(plex.server.received().is_empty());
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_one_replica_reconciles_at_a_time_on_postgres() {
    let test_db = super::harness::TestDb::postgres().await;
    let db = test_db.db.clone();
    let services = Services::new(db.clone());
    submitted(&services, 520, movie(40, "Slow")).await;
    let (jf, _plex, servers) = servers().await;
    jf.server.faults.set_latency(Duration::from_millis(600));
    let first = Reconciler::new(db.clone(), servers.clone());
    let second = Reconciler::new(db.clone(), servers);

    let running = tokio::spawn(async move { first.try_run_once().await });
    for _ in 0..200 {
        if !jf.server.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        !jf.server.received().is_empty(),
        "the first pass reached the media server"
    );
    let skipped = second.try_run_once().await.expect("second");
    assert!(!skipped.ran, "the lock is held by the first replica");
    let done = running.await.expect("join").expect("first");
    assert!(done.ran);
    let after = second.try_run_once().await.expect("second again");
    assert!(after.ran, "the lock was released");
    test_db.cleanup().await;
}
