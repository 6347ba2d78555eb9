//! Pick lists on both databases against the fake Radarr: what the instance offers (cached),
//! an approver's profile, folder and tags reaching Radarr's add body, a value the instance does
//! not offer refused with nothing written, a retry that changes the placement, and an
//! instance that is down leaving the defaults usable.

use std::sync::Arc;
use std::time::Duration;

use usher_testkit::FakeRadarr;

use super::arr_support::{Fakes, KEY, radarr_with, settings};
use super::harness::{both_dbs, movie, user_with_role};
use crate::config::ArrOptions;
use crate::domain::{Actor, RequestId, RequestStatus};
use crate::integrations::arr::{ArrClient, ArrInstance, ArrInstances, Flavor};
use crate::jobs::{SubmissionWorker, WorkerOptions};
use crate::service::{NotOffered, Services, Target};
use crate::store::{Db, outbox, requests};

fn radarr_only(fake: &FakeRadarr) -> Arc<ArrInstances> {
    Arc::new(
        Fakes {
            radarr: Some(fake),
            ..Fakes::default()
        }
        .instances(),
    )
}

fn worker(db: &Db, arr: Arc<ArrInstances>) -> SubmissionWorker {
    let options = WorkerOptions {
        lease: Duration::from_secs(30),
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        ..WorkerOptions::default()
    };
    SubmissionWorker::new(db.clone(), arr, None, options)
}

/// A fake Radarr with two folders and two tags besides its three profiles.
async fn stocked_radarr() -> FakeRadarr {
    let fake = FakeRadarr::start(KEY).await;
    fake.set_root_folders(&[(1, "/movies"), (2, "/archive")]);
    fake.set_tags(&[(1, "kids"), (2, "hdr")]);
    fake
}

/// A member's pending movie request and an approver to decide it.
async fn pending(services: &Services, n: u64, tmdb: i64) -> (RequestId, Actor) {
    let (_, member) = user_with_role(services, n, "member").await;
    let (_, approver) = user_with_role(services, 9000 + n, "approver").await;
    let created = services
        .requests
        .create(&member, movie(tmdb, "Film"))
        .await
        .expect("request");
    (created.request.id, approver)
}

async fn status(db: &Db, id: RequestId) -> RequestStatus {
    requests::find(db, id)
        .await
        .expect("read")
        .expect("exists")
        .status
}

both_dbs!(
    the_picked_profile_folder_and_tags_reach_radarrs_add_body,
    |db| {
        let fake = stocked_radarr().await;
        let arr = radarr_only(&fake);
        let services = Services::new(db.clone()).with_arr(arr.clone());
        let (id, approver) = pending(&services, 1, 438631).await;

        let choices = services
            .placement
            .choices(&approver, id, None)
            .await
            .expect("choices");
        assert_eq!(choices.instance, Some("radarr"));
        let lists = choices.lists.expect("lists");
        let names: Vec<_> = lists.profiles.iter().map(|p| p.id).collect();
        assert_eq!(names, [1, 4, 5]);
        assert_eq!(lists.folders.len(), 2);
        assert_eq!(lists.folders[1].free_space, Some(4_000_000_000_000));
        assert!(lists.has_tag("HDR") && !lists.has_tag("4k"));
        assert_eq!(lists.default_profile().map(|p| p.id), Some(1));
        // Cached: a second look asks Radarr nothing.
        services
            .placement
            .choices(&approver, id, None)
            .await
            .expect("again");
        assert_eq!(
            fake.server
                .received_at("GET", "/api/v3/qualityprofile")
                .len(),
            1
        );

        let tags = vec!["hdr".to_owned()];
        let target = Target {
            quality_profile: Some("5"),
            root_folder: Some("2"),
            tags: Some(&tags),
            ..Target::default()
        };
        let approved = services
            .placement
            .approve(&approver, id, &target)
            .await
            .expect("approve")
            .expect("offered");
        assert_eq!(approved.target_tags.as_deref(), Some(&tags[..]));
        assert_eq!(worker(&db, arr).try_run_once().await.expect("run"), 1);
        let adds = fake.server.received_at("POST", "/api/v3/movie");
        assert_eq!(adds.len(), 1);
        assert_eq!(adds[0].body["qualityProfileId"], 5);
        assert_eq!(adds[0].body["rootFolderPath"], "/archive");
        let hdr = adds[0].body["tags"].as_array().expect("tags").clone();
        assert!(hdr.contains(&serde_json::json!(2)), "{hdr:?}");
        assert!(!hdr.contains(&serde_json::json!(1)), "{hdr:?}");
        assert_eq!(fake.tag_labels(), ["kids", "hdr", "usher-user1"]);
        assert_eq!(status(&db, id).await, RequestStatus::Submitted);
    }
);

both_dbs!(
    a_value_the_instance_does_not_offer_is_refused_and_nothing_is_written,
    |db| {
        let fake = stocked_radarr().await;
        let services = Services::new(db.clone()).with_arr(radarr_only(&fake));
        let (id, approver) = pending(&services, 2, 603).await;
        let nope = vec!["nope".to_owned()];
        let cases = [
            (
                Target {
                    quality_profile: Some("99"),
                    ..Target::default()
                },
                "quality_profile",
            ),
            (
                Target {
                    root_folder: Some("/elsewhere"),
                    ..Target::default()
                },
                "root_folder",
            ),
            (
                Target {
                    tags: Some(&nope),
                    ..Target::default()
                },
                "tags",
            ),
        ];
        for (target, field) in cases {
            let refused = services
                .placement
                .approve(&approver, id, &target)
                .await
                .expect("no error of ours");
            let Err(NotOffered {
                field: got,
                message,
            }) = refused
            else {
                panic!("{field}: accepted");
            };
            assert_eq!(got, field);
            assert!(message.contains("radarr"), "{message}");
        }
        assert_eq!(status(&db, id).await, RequestStatus::Pending);
        assert!(
            outbox::pending(&db, crate::service::events::TOPIC_SUBMIT)
                .await
                .expect("outbox")
                .is_empty()
        );
        // A member may not look at the lists.
        let (_, member) = user_with_role(&services, 3, "member").await;
        let denied = services.placement.choices(&member, id, None).await;
        assert!(
            matches!(denied, Err(crate::CoreError::Forbidden(_))),
            "{denied:?}"
        );
    }
);

both_dbs!(
    a_retry_may_send_a_failed_request_with_another_profile,
    |db| {
        let fake = stocked_radarr().await;
        let arr = radarr_only(&fake);
        let services = Services::new(db.clone()).with_arr(arr.clone());
        let (id, approver) = pending(&services, 4, 27205).await;
        // A profile deleted upstream since (the unchecked core call lets it through).
        let gone = Target {
            quality_profile: Some("Remux"),
            ..Target::default()
        };
        services
            .requests
            .approve_to(&approver, id, &gone)
            .await
            .expect("approve");
        let worker = worker(&db, arr);
        worker.try_run_once().await.expect("run");
        assert_eq!(status(&db, id).await, RequestStatus::Failed);

        let offered = Target {
            quality_profile: Some("4"),
            ..Target::default()
        };
        let retried = services
            .placement
            .retry(&approver, id, &offered)
            .await
            .expect("retry")
            .expect("offered");
        assert_eq!(retried.target_profile.as_deref(), Some("4"));
        worker.try_run_once().await.expect("run again");
        let adds = fake.server.received_at("POST", "/api/v3/movie");
        assert_eq!(adds.len(), 1);
        assert_eq!(adds[0].body["qualityProfileId"], 4);
        assert_eq!(status(&db, id).await, RequestStatus::Submitted);
    }
);

both_dbs!(
    with_the_instance_down_the_lists_say_why_and_defaults_still_approve,
    |db| {
        // A port nobody listens on any more: connections are refused.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", closed.local_addr().expect("addr"));
        drop(closed);
        let client = radarr_with(
            "radarr",
            &settings(&url, KEY, Some("HD-1080p"), None),
            &ArrOptions::default(),
        );
        let arr = ArrInstances::new(vec![ArrInstance {
            flavor: Flavor::Default,
            client: ArrClient::Radarr(client),
        }]);
        let services = Services::new(db.clone()).with_arr(Arc::new(arr));
        let (id, approver) = pending(&services, 5, 603).await;
        let choices = services
            .placement
            .choices(&approver, id, None)
            .await
            .expect("choices");
        assert_eq!(choices.instance, Some("radarr"));
        let why = choices.lists.expect_err("down");
        assert!(why.contains("radarr"), "{why}");
        let approved = services
            .placement
            .approve(&approver, id, &Target::default())
            .await
            .expect("approve")
            .expect("defaults need no lists");
        assert_eq!(approved.status, RequestStatus::Approved);
        assert_eq!(approved.target_profile, None);
    }
);
