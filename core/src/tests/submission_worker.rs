//! The submission worker on both databases against the fakes: exactly one add per approved
//! request whatever fails or crashes, retries with backoff, Failed when it cannot work.

use std::sync::Arc;
use std::time::Duration;

use usher_testkit::{FakeRadarr, FakeSonarr, Spec};

use super::arr_support::{Fakes, KEY, radarr_with, settings};
use super::harness::{both_dbs, movie, show, user_with_role};
use crate::config::ArrOptions;
use crate::domain::{Actor, Circuit, Request, RequestStatus, Seasons, Timestamp, TmdbId, TvdbId};
use crate::integrations::arr::RadarrClient;
use crate::integrations::arr::{ArrClient, ArrInstance, ArrInstances, Flavor, Submission};
use crate::integrations::http::{HttpSettings, RetryPolicy, UpstreamError};
use crate::integrations::{BoxFuture, TvdbIds};
use crate::jobs::{Stopping, SubmissionWorker, WorkerOptions};
use crate::service::{NewRequest, Services, Target, events::TOPIC_SUBMIT};
use crate::store::{Db, outbox, requests};

/// A TMDB stand-in that knows one answer.
struct FixedTvdb(Option<TvdbId>);

impl TvdbIds for FixedTvdb {
    fn tvdb_id(&self, _show: TmdbId) -> BoxFuture<'_, Result<Option<TvdbId>, UpstreamError>> {
        let answer = self.0;
        Box::pin(async move { Ok(answer) })
    }
}

fn options() -> WorkerOptions {
    WorkerOptions {
        lease: Duration::from_secs(30),
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        ..WorkerOptions::default()
    }
}

fn worker(db: &Db, instances: ArrInstances, tvdb: Option<Arc<dyn TvdbIds>>) -> SubmissionWorker {
    SubmissionWorker::new(db.clone(), Arc::new(instances), tvdb, options())
}

fn radarr_only(fake: &FakeRadarr) -> ArrInstances {
    Fakes {
        radarr: Some(fake),
        ..Fakes::default()
    }
    .instances()
}

/// A member's request, approved by an approver; its submission is now queued.
pub(super) async fn approved(services: &Services, member: u64, new: NewRequest) -> Request {
    let (_, requester) = user_with_role(services, member, "member").await;
    let (_, approver) = user_with_role(services, 9000 + member, "approver").await;
    let created = services
        .requests
        .create(&requester, new)
        .await
        .expect("request");
    services
        .requests
        .approve(&approver, created.request.id)
        .await
        .expect("approve")
}

/// `worker` running in the background, and the switch that stops it.
pub(super) fn running(
    worker: SubmissionWorker,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move { worker.run(Stopping::new(stopping)).await });
    (stop, task)
}

async fn reload(db: &Db, request: &Request) -> Request {
    requests::find(db, request.id)
        .await
        .expect("read")
        .expect("exists")
}

async fn queued(db: &Db) -> usize {
    outbox::pending(db, TOPIC_SUBMIT)
        .await
        .expect("outbox")
        .len()
}

both_dbs!(approved_movie_reaches_radarr_exactly_once, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    let request = approved(&services, 1, movie(438631, "Dune")).await;
    let worker = worker(&db, radarr_only(&fake), None);
    assert_eq!(worker.try_run_once().await.expect("run"), 1);
    assert_eq!(fake.adds(), 1);
    let adds = fake.server.received_at("POST", "/api/v3/movie");
    let spec = Spec::load("radarr-v3-openapi.json");
    assert_eq!(
        spec.check_request("POST", "/api/v3/movie", "", Some(&adds[0].body)),
        Ok(())
    );
    assert_eq!(adds[0].body["tmdbId"], 438631);
    let done = reload(&db, &request).await;
    assert_eq!(done.status, RequestStatus::Submitted);
    let upstream = done.upstream.expect("upstream ref");
    assert_eq!(upstream.instance, "radarr");
    assert_eq!(
        Some(upstream.id),
        fake.movie(438631).and_then(|m| m["id"].as_i64())
    );
    assert_eq!(fake.tag_labels(), ["usher-user1"]);
    assert_eq!(queued(&db).await, 0);
    assert_eq!(worker.try_run_once().await.expect("again"), 0);
    assert_eq!(fake.adds(), 1);
});

both_dbs!(radarr_down_during_approval_then_back_adds_once, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    fake.server.faults.go_down();
    let request = approved(&services, 2, movie(27205, "Inception")).await;
    let worker = worker(&db, radarr_only(&fake), None);
    assert_eq!(worker.try_run_once().await.expect("run"), 1);
    let waiting = reload(&db, &request).await;
    assert_eq!(waiting.status, RequestStatus::Approved);
    let error = waiting.last_error.expect("the wait is explained");
    assert!(error.starts_with("radarr: HTTP 500"), "{error}");
    assert_eq!(queued(&db).await, 1);
    assert_eq!(fake.adds(), 0);
    fake.server.faults.recover();
    assert_eq!(worker.try_run_once().await.expect("run"), 1);
    assert_eq!(fake.adds(), 1);
    let done = reload(&db, &request).await;
    assert_eq!(done.status, RequestStatus::Submitted);
    assert_eq!(done.last_error, None);
    assert_eq!(worker.try_run_once().await.expect("run"), 0);
    assert_eq!(fake.adds(), 1);
});

both_dbs!(
    a_crashed_workers_row_returns_after_its_lease_and_adds_once,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        let request = approved(&services, 3, movie(603, "The Matrix")).await;
        // A worker claims the row, gets as far as adding the movie, and dies before recording it.
        let lease = Duration::from_millis(400);
        let claimed = outbox::claim(&db, TOPIC_SUBMIT, 10, lease, Timestamp::now())
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        let instances = radarr_only(&fake);
        let media = request.media.clone();
        let none = Seasons::default();
        let input = Submission {
            media: &media,
            seasons: &none,
            future_seasons: false,
            four_k: false,
            anime: None,
            extra_tags: &[],
            instance: None,
            placement: Default::default(),
            shape: Default::default(),
        };
        let (placed, _) = instances.submit(&input).await.expect("first add");
        assert_eq!(fake.adds(), 1);

        let successor = worker(&db, instances, None);
        assert_eq!(successor.try_run_once().await.expect("leased"), 0);
        tokio::time::sleep(lease + Duration::from_millis(100)).await;
        assert_eq!(successor.try_run_once().await.expect("expired"), 1);
        assert_eq!(fake.adds(), 1, "looked up, not added again");
        let done = reload(&db, &request).await;
        assert_eq!(done.status, RequestStatus::Submitted);
        assert_eq!(done.upstream, Some(placed));
        assert_eq!(queued(&db).await, 0);
    }
);

both_dbs!(
    permanent_failure_is_visible_and_an_admin_retry_resubmits,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        let request = approved(&services, 4, movie(438631, "Dune")).await;
        let wrong = settings(fake.url(), "wrong-key", None, None);
        let client = radarr_with("radarr", &wrong, &ArrOptions::default());
        let bad = ArrInstances::new(vec![ArrInstance {
            flavor: Flavor::Default,
            client: ArrClient::Radarr(client),
        }]);
        assert_eq!(worker(&db, bad, None).try_run_once().await.expect("run"), 1);
        let failed = reload(&db, &request).await;
        assert_eq!(failed.status, RequestStatus::Failed);
        assert_eq!(
            failed.last_error.as_deref(),
            Some("radarr: credentials refused (HTTP 401)")
        );
        assert_eq!(failed.retry_count, 1);
        assert_eq!(queued(&db).await, 0);
        assert_eq!(fake.adds(), 0);

        let (_, admin) = user_with_role(&services, 9999, "admin").await;
        services
            .requests
            .retry(&admin, request.id)
            .await
            .expect("retry");
        let fixed = worker(&db, radarr_only(&fake), None);
        assert_eq!(fixed.try_run_once().await.expect("run"), 1);
        assert_eq!(reload(&db, &request).await.status, RequestStatus::Submitted);
        assert_eq!(fake.adds(), 1);
    }
);

both_dbs!(transient_failures_give_up_after_the_attempt_limit, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    fake.server.faults.go_down();
    let request = approved(&services, 5, movie(27205, "Inception")).await;
    let options = WorkerOptions {
        max_attempts: 2,
        ..options()
    };
    let worker = SubmissionWorker::new(db.clone(), Arc::new(radarr_only(&fake)), None, options);
    worker.try_run_once().await.expect("first");
    assert_eq!(reload(&db, &request).await.status, RequestStatus::Approved);
    worker.try_run_once().await.expect("second");
    let failed = reload(&db, &request).await;
    assert_eq!(failed.status, RequestStatus::Failed);
    let error = failed.last_error.expect("error");
    assert!(error.ends_with("(gave up after 2 attempts)"), "{error}");
    assert_eq!(queued(&db).await, 0);
    assert_eq!(worker.try_run_once().await.expect("nothing left"), 0);
});

both_dbs!(
    a_request_that_gives_up_tells_radarrs_own_status_and_message,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        fake.server.faults.go_down();
        let request = approved(&services, 6, movie(27205, "Inception")).await;
        let worker = worker(&db, radarr_only(&fake), None);
        worker.try_run_once().await.expect("attempt");
        // While it is retried, Radarr's answer is kept with the request already.
        let waiting = reload(&db, &request).await;
        assert_eq!(waiting.status, RequestStatus::Approved);
        let answer = waiting.failure.expect("the first attempt's answer");
        assert_eq!(
            (
                answer.service.as_str(),
                answer.status,
                answer.message.as_str()
            ),
            ("radarr", Some(500), "injected failure")
        );
        assert_eq!((answer.circuit, answer.attempts), (Circuit::Closed, 1));
        for _ in 1..5 {
            worker.try_run_once().await.expect("attempt");
        }
        let failed = reload(&db, &request).await;
        assert_eq!(failed.status, RequestStatus::Failed);
        // The answer and the breaker, apart: render-ready for the approver cards.
        let answer = failed.failure.clone().expect("the last attempt's answer");
        assert_eq!(answer.status, Some(500), "{answer:?}");
        assert_eq!(answer.message, "injected failure");
        assert_eq!(
            answer.circuit,
            Circuit::Open,
            "five failures in a row paused the calls"
        );
        assert_eq!(answer.attempts, 5);
        // Radarr's status and words of the last real attempt, not only "paused after repeated
        // failures"; the pause is said apart from them.
        let error = failed.last_error.expect("why");
        assert!(
            error.starts_with("radarr: HTTP 500: injected failure"),
            "{error}"
        );
        assert!(error.ends_with("(gave up after 5 attempts)"), "{error}");
        assert!(
            !error.contains('{'),
            "Radarr's message, not its raw body: {error}"
        );
        // Sent again by an approver: the old answer goes with the old error.
        let (_, approver) = user_with_role(&services, 9999, "approver").await;
        let retried = services
            .requests
            .retry(&approver, request.id)
            .await
            .expect("retry");
        assert_eq!((retried.last_error, retried.failure), (None, None));
    }
);

both_dbs!(requests_no_longer_approved_are_skipped, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    let request = approved(&services, 6, movie(438631, "Dune")).await;
    let system = Actor::system();
    services
        .requests
        .mark_failed(&system, request.id, "given up by hand", None)
        .await
        .expect("fail");
    let (_, admin) = user_with_role(&services, 9998, "admin").await;
    services
        .requests
        .decline(&admin, request.id, "not this one")
        .await
        .expect("decline");
    let worker = worker(&db, radarr_only(&fake), None);
    assert_eq!(worker.try_run_once().await.expect("run"), 1);
    assert_eq!(reload(&db, &request).await.status, RequestStatus::Declined);
    assert_eq!(queued(&db).await, 0);
    assert!(
        fake.server.received().is_empty(),
        "Radarr was not even asked"
    );
});

both_dbs!(
    tv_requests_find_their_tvdb_id_and_later_seasons_update,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeSonarr::start(KEY).await;
        let instances = Fakes {
            sonarr: Some(&fake),
            ..Fakes::default()
        }
        .instances();
        let tvdb = TvdbId::parse(81189).expect("tvdb");
        let ids: Arc<dyn TvdbIds> = Arc::new(FixedTvdb(Some(tvdb)));
        let worker = worker(&db, instances, Some(ids));
        let first = approved(&services, 7, show(1396, "Breaking Bad", &[1, 2])).await;
        assert_eq!(worker.try_run_once().await.expect("run"), 1);
        let done = reload(&db, &first).await;
        assert_eq!(done.status, RequestStatus::Submitted);
        assert_eq!(done.media.tvdb_id, Some(tvdb));
        assert_eq!(fake.monitored_seasons(81189), [1, 2]);
        let later = approved(&services, 8, show(1396, "Breaking Bad", &[3])).await;
        assert_eq!(worker.try_run_once().await.expect("run"), 1);
        assert_eq!(reload(&db, &later).await.status, RequestStatus::Submitted);
        assert_eq!((fake.adds(), fake.updates()), (1, 1));
        assert_eq!(fake.monitored_seasons(81189), [1, 2, 3]);
        assert_eq!(
            reload(&db, &later).await.upstream,
            reload(&db, &first).await.upstream
        );
    }
);

both_dbs!(tv_without_a_tvdb_id_fails_visibly, |db| {
    let services = Services::new(db.clone());
    let fake = FakeSonarr::start(KEY).await;
    let instances = Fakes {
        sonarr: Some(&fake),
        ..Fakes::default()
    }
    .instances();
    let request = approved(&services, 10, show(99999, "Obscure Show", &[1])).await;
    let unknown: Arc<dyn TvdbIds> = Arc::new(FixedTvdb(None));
    worker(&db, instances, Some(unknown))
        .try_run_once()
        .await
        .expect("run");
    let failed = reload(&db, &request).await;
    assert_eq!(failed.status, RequestStatus::Failed);
    assert_eq!(
        failed.last_error.as_deref(),
        Some("no TVDB id is known for Obscure Show, which Sonarr needs")
    );
    // Usher's own failure before any upstream answered: no status, its words, breaker closed.
    let answer = failed.failure.expect("kept");
    assert_eq!((answer.status, answer.circuit), (None, Circuit::Closed));
    assert_eq!(answer.message, failed.last_error.unwrap_or_default());
    assert!(fake.server.received().is_empty());
});

both_dbs!(the_loop_submits_until_shut_down, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    let worker = worker(&db, radarr_only(&fake), None);
    let (stop, running) = running(worker);
    let request = approved(&services, 11, movie(693134, "Dune: Part Two")).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while reload(&db, &request).await.status != RequestStatus::Submitted {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not submitted in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("stops")
        .expect("no panic");
    assert_eq!(fake.adds(), 1);
});

both_dbs!(
    the_approvers_profile_and_folder_reach_radarr_and_a_wrong_one_fails_visibly,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        let (_, requester) = user_with_role(&services, 40, "member").await;
        let (_, approver) = user_with_role(&services, 9040, "approver").await;
        let mut ids = Vec::new();
        for (tmdb, profile) in [(438631, "ultra-hd"), (27205, "8K")] {
            let created = services
                .requests
                .create(&requester, movie(tmdb, "Film"))
                .await
                .expect("request");
            let target = Target {
                quality_profile: Some(profile),
                root_folder: Some("1"),
                ..Target::default()
            };
            let approved = services
                .requests
                .approve_to(&approver, created.request.id, &target)
                .await
                .expect("approve");
            assert_eq!(approved.target_profile.as_deref(), Some(profile));
            ids.push(approved);
        }
        let worker = worker(&db, radarr_only(&fake), None);
        assert_eq!(worker.try_run_once().await.expect("run"), 2);

        // By name, case aside: Ultra-HD is profile 5 in the fake; folder 1 by id.
        let adds = fake.server.received_at("POST", "/api/v3/movie");
        assert_eq!(adds.len(), 1, "only the good one was added");
        assert_eq!(adds[0].body["tmdbId"], 438631);
        assert_eq!(adds[0].body["qualityProfileId"], 5);
        assert_eq!(reload(&db, &ids[0]).await.status, RequestStatus::Submitted);

        // A profile Radarr does not have is a setup error: failed at once, with what it has.
        let failed = reload(&db, &ids[1]).await;
        assert_eq!(failed.status, RequestStatus::Failed);
        let error = failed.last_error.expect("why");
        assert!(
            error.contains("no quality profile \"8K\"") && error.contains("Ultra-HD"),
            "{error}"
        );
    }
);

both_dbs!(a_target_no_arr_app_could_have_is_refused, |db| {
    let services = Services::new(db.clone());
    let (_, requester) = user_with_role(&services, 41, "member").await;
    let (_, approver) = user_with_role(&services, 9041, "approver").await;
    let created = services
        .requests
        .create(&requester, movie(603, "The Matrix"))
        .await
        .expect("request");
    let long = "x".repeat(300);
    for bad in ["HD\n1080p", "  ", long.as_str()] {
        let target = Target {
            quality_profile: Some(bad),
            ..Target::default()
        };
        let refused = services
            .requests
            .approve_to(&approver, created.request.id, &target)
            .await;
        assert!(
            matches!(refused, Err(crate::CoreError::Validation(_))),
            "{bad:?}: {refused:?}"
        );
        assert_eq!(target.invalid_part(), Some("quality_profile"), "{bad:?}");
        let folder = Target {
            quality_profile: Some("HD-1080p"),
            root_folder: Some(bad),
            ..Target::default()
        };
        assert_eq!(folder.invalid_part(), Some("root_folder"), "{bad:?}");
    }
    let fine = Target {
        instance: Some("radarr"),
        quality_profile: Some("HD-1080p"),
        root_folder: Some("/movies"),
        tags: None,
    };
    assert_eq!(fine.invalid_part(), None);
    let odd = vec!["Not A Tag".to_owned()];
    let tagged = Target {
        tags: Some(&odd),
        ..fine
    };
    assert_eq!(tagged.invalid_part(), Some("tags"));
    let still = reload(&db, &created.request).await;
    assert_eq!(still.status, RequestStatus::Pending, "nothing changed");
});

/// A TMDB stand-in that knows the TVDB ids of a few shows.
struct MappedTvdb(Vec<(i64, i64)>);

impl TvdbIds for MappedTvdb {
    fn tvdb_id(&self, show: TmdbId) -> BoxFuture<'_, Result<Option<TvdbId>, UpstreamError>> {
        let found = self
            .0
            .iter()
            .find(|(tmdb, _)| *tmdb == i64::from(show.get()));
        let answer = found.and_then(|(_, tvdb)| TvdbId::parse(*tvdb).ok());
        Box::pin(async move { Ok(answer) })
    }
}

both_dbs!(once_warm_the_worker_places_a_title_with_two_calls, |db| {
    let services = Services::new(db.clone());
    let (radarr, sonarr) = (FakeRadarr::start(KEY).await, FakeSonarr::start(KEY).await);
    let instances = Fakes {
        radarr: Some(&radarr),
        sonarr: Some(&sonarr),
        ..Fakes::default()
    }
    .instances();
    let ids: Arc<dyn TvdbIds> = Arc::new(MappedTvdb(vec![(1396, 81189), (1399, 121361)]));
    let worker = worker(&db, instances, Some(ids));
    approved(&services, 12, movie(438631, "Dune")).await;
    approved(&services, 12, show(1396, "Breaking Bad", &[1])).await;
    assert_eq!(worker.try_run_once().await.expect("cold"), 2);
    let before = (
        radarr.server.received().len(),
        sonarr.server.received().len(),
    );

    let film = approved(&services, 12, movie(27205, "Inception")).await;
    let series = approved(&services, 12, show(1399, "Game of Thrones", &[1])).await;
    assert_eq!(worker.try_run_once().await.expect("warm"), 2);
    let since = |server: &usher_testkit::FakeServer, from: usize| -> Vec<String> {
        let all = server.received();
        all[from..]
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    };
    assert_eq!(
        since(&radarr.server, before.0),
        ["GET /api/v3/movie", "POST /api/v3/movie"]
    );
    assert_eq!(
        since(&sonarr.server, before.1),
        ["GET /api/v3/series/lookup", "POST /api/v3/series"]
    );
    for request in [&film, &series] {
        assert_eq!(reload(&db, request).await.status, RequestStatus::Submitted);
    }
    assert_eq!((radarr.adds(), sonarr.adds()), (2, 2));
    assert_eq!(
        radarr.movie(27205).expect("added")["tags"],
        serde_json::json!([1])
    );
});

both_dbs!(
    an_auto_approved_request_carries_its_requesters_name_to_the_worker,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        let (user, trusted) = user_with_role(&services, 50, "trusted").await;
        let created = services
            .requests
            .create(&trusted, movie(603, "The Matrix"))
            .await
            .expect("request");
        assert_eq!(created.request.status, RequestStatus::Approved);
        // Renamed after asking: the tag still says who asked, as the submission recorded it,
        // and the worker did not have to read the name back.
        let renamed = "UPDATE users SET display_name = 'someone else' WHERE id = $1";
        match &db {
            Db::Sqlite(s) => sqlx::query(renamed)
                .bind(user.id.0)
                .execute(&s.pool)
                .await
                .map(drop),
            Db::Postgres(p) => sqlx::query(renamed)
                .bind(user.id.0)
                .execute(&p.pool)
                .await
                .map(drop),
        }
        .expect("rename");
        let worker = worker(&db, radarr_only(&fake), None);
        assert_eq!(worker.try_run_once().await.expect("run"), 1);
        assert_eq!(fake.tag_labels(), ["usher-user50"]);
        let done = reload(&db, &created.request).await;
        assert_eq!(done.status, RequestStatus::Submitted);
        let upstream = done
            .upstream
            .expect("recorded with the status, in one statement");
        assert_eq!(
            Some(upstream.id),
            fake.movie(603).and_then(|m| m["id"].as_i64())
        );
    }
);

#[test]
fn a_submission_queued_before_names_were_carried_still_reads() {
    let old = r#"{"event":"submit","request_id":7}"#;
    let read: crate::service::events::Submission = serde_json::from_str(old).expect("old row");
    assert_eq!(
        read,
        crate::service::events::Submission::Submit {
            request_id: crate::domain::RequestId(7),
            requester: None,
            approved: None,
        }
    );
}

both_dbs!(
    a_stop_cuts_a_hung_submission_short_and_hands_every_row_back,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeRadarr::start(KEY).await;
        fake.server.faults.set_latency(Duration::from_secs(60));
        let options = WorkerOptions {
            stop_grace: Duration::from_millis(200),
            ..options()
        };
        // A client patient enough that only the stop can end the call.
        let patient = HttpSettings {
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::none(),
            ..HttpSettings::default()
        };
        let arr = settings(fake.url(), KEY, None, None);
        let client =
            RadarrClient::new("radarr", &arr, &ArrOptions::default(), &patient).expect("client");
        let instances = ArrInstances::new(vec![ArrInstance {
            flavor: Flavor::Default,
            client: ArrClient::Radarr(client),
        }]);
        let worker = SubmissionWorker::new(db.clone(), Arc::new(instances), None, options);
        let (stop, running) = running(worker.clone());
        // The worker takes the topic as it starts running; both approvals are handed to it, and
        // the second waits behind the first, whose Radarr never answers.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let first = approved(&services, 12, movie(438631, "Dune")).await;
        let second = approved(&services, 13, movie(27205, "Inception")).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while fake.server.received().is_empty() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "Radarr was never asked"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }

        let _ = stop.send(true);
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("the worker stops after the grace, not after Radarr's silence")
            .expect("no panic");
        assert_eq!(fake.adds(), 0);
        for request in [&first, &second] {
            let kept = reload(&db, request).await;
            assert_eq!(kept.status, RequestStatus::Approved);
            assert_eq!(kept.last_error, None, "cut short, not failed");
        }
        assert_eq!(queued(&db).await, 2, "both submissions are kept");

        // Handed back, not left leased: a worker takes both at once (the lease is 30 s).
        fake.server.faults.set_latency(Duration::ZERO);
        assert_eq!(worker.try_run_once().await.expect("round"), 2);
        for request in [&first, &second] {
            assert_eq!(reload(&db, request).await.status, RequestStatus::Submitted);
        }
        assert_eq!(fake.adds(), 2);
    }
);
