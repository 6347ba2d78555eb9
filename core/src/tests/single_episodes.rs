//! Single episodes on both databases: `S02E05` asked, approved and submitted reaches the fake
//! Sonarr with exactly that episode monitored and searched; the same episode asked twice is a
//! duplicate (the second asker follows), a season request covers its episodes, an episode
//! request does not block its season; a series already in Sonarr is adopted idempotently; a
//! series whose episodes Sonarr has not listed yet is retried, not failed.

use std::sync::Arc;
use std::time::Duration;

use usher_testkit::FakeSonarr;

use super::arr_support::{Fakes, KEY};
use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::domain::{Actor, Episodes, Request, RequestStatus, TvdbId};
use crate::error::CoreError;
use crate::integrations::arr::ArrInstances;
use crate::jobs::{SubmissionWorker, WorkerOptions};
use crate::service::{NewRequest, OutcomeKind, RequestOutcome, Services};
use crate::store::{Db, requests};

fn worker(db: &Db, fake: &FakeSonarr) -> SubmissionWorker {
    let instances: ArrInstances = Fakes {
        sonarr: Some(fake),
        ..Fakes::default()
    }
    .instances();
    let options = WorkerOptions {
        lease: Duration::from_secs(30),
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        ..WorkerOptions::default()
    };
    SubmissionWorker::new(db.clone(), Arc::new(instances), None, options)
}

/// Breaking Bad (TMDB 1396, TVDB 81189) as a request of no season yet.
fn breaking_bad() -> NewRequest {
    let mut new = show(1396, "Breaking Bad", &[]);
    new.media.tvdb_id = Some(TvdbId::parse(81189).expect("tvdb"));
    new
}

async fn ask(
    services: &Services,
    who: &Actor,
    episodes: &str,
) -> Result<RequestOutcome, CoreError> {
    let episodes = Episodes::parse(episodes).expect("episodes");
    services
        .requests
        .create_episodes(who, breaking_bad(), &episodes)
        .await
}

async fn approve(services: &Services, request: &Request) {
    let (_, approver) = user_with_role(services, 9000, "approver").await;
    services
        .requests
        .approve(&approver, request.id)
        .await
        .expect("approve");
}

async fn reload(db: &Db, request: &Request) -> Request {
    requests::find(db, request.id)
        .await
        .expect("read")
        .expect("exists")
}

/// The paths the fake saw after the first `skip` calls, setup reads (status, profiles,
/// folders, tags) left out: what one submission cost.
fn title_calls(fake: &FakeSonarr, skip: usize) -> Vec<String> {
    let setup = [
        "/api/v3/system/status",
        "/api/v3/qualityprofile",
        "/api/v3/rootfolder",
        "/api/v3/tag",
    ];
    fake.server
        .received()
        .into_iter()
        .skip(skip)
        .filter(|r| !setup.contains(&r.path.as_str()))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

both_dbs!(
    one_episode_reaches_sonarr_with_exactly_that_episode_monitored,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeSonarr::start(KEY).await;
        let (_, ann) = user_with_role(&services, 7, "member").await;
        let asked = ask(&services, &ann, "S02E05").await.expect("asked");
        assert_eq!(asked.kind, OutcomeKind::Created);
        assert_eq!(asked.request.episodes.to_string(), "S02E05");
        assert_eq!(asked.request.seasons.to_csv(), "2");
        approve(&services, &asked.request).await;
        assert_eq!(worker(&db, &fake).try_run_once().await.expect("run"), 1);
        let done = reload(&db, &asked.request).await;
        assert_eq!(
            done.status,
            RequestStatus::Submitted,
            "{:?}",
            done.last_error
        );
        assert_eq!(
            done.episodes, asked.request.episodes,
            "the episodes are kept"
        );
        assert_eq!(fake.monitored_episodes(81189), [(2, 5)]);
        assert!(fake.monitored_seasons(81189).is_empty(), "no whole season");
        let added = fake.server.received_at("POST", "/api/v3/series");
        assert_eq!(
            added[0].body["addOptions"]["searchForMissingEpisodes"],
            false
        );
        assert_eq!(added[0].body["monitorNewItems"], "none");
        let searched: Vec<_> = fake
            .commands()
            .into_iter()
            .filter(|c| c["name"] == "EpisodeSearch")
            .collect();
        assert_eq!(searched.len(), 1);
        assert_eq!(searched[0]["episodeIds"].as_array().map(Vec::len), Some(1));
        // Five calls for a new series: look up, add, list episodes, monitor, search.
        assert_eq!(
            title_calls(&fake, 0),
            [
                "GET /api/v3/series/lookup",
                "POST /api/v3/series",
                "GET /api/v3/episode",
                "PUT /api/v3/episode/monitor",
                "POST /api/v3/command",
            ]
        );
    }
);

both_dbs!(
    the_same_episode_twice_is_a_duplicate_and_seasons_cover_their_episodes,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 7, "member").await;
        let (_, bob) = user_with_role(&services, 8, "member").await;
        let (_, cat) = user_with_role(&services, 9, "member").await;
        let first = ask(&services, &ann, "S02E05").await.expect("first");
        assert_eq!(first.kind, OutcomeKind::Created);
        let again = ask(&services, &ann, "s2e5").await.expect_err("own again");
        assert!(matches!(again, CoreError::AlreadyRequested), "{again}");
        let followed = ask(&services, &bob, "S02E05").await.expect("bob");
        assert_eq!(followed.kind, OutcomeKind::Followed);
        assert_eq!(followed.request.id, first.request.id);
        assert_eq!(count(&db, "requests").await, 1);

        // Two episodes, one of them taken: a request of the free one, following the other.
        let partly = ask(&services, &bob, "S02E05-E06").await.expect("partly");
        assert_eq!(partly.kind, OutcomeKind::Created);
        assert_eq!(partly.request.episodes.to_string(), "S02E06");
        assert_eq!(
            partly.following,
            [first.request.id],
            "and follows the taken one"
        );

        // A whole season is not blocked by its episodes, and then covers them.
        let mut season = breaking_bad();
        season.seasons = crate::domain::Seasons::new([3]);
        let whole = services
            .requests
            .create(&cat, season)
            .await
            .expect("season 3");
        assert_eq!(whole.kind, OutcomeKind::Created);
        let covered = ask(&services, &ann, "S03E01").await.expect("covered");
        assert_eq!(covered.kind, OutcomeKind::Followed);
        assert_eq!(covered.request.id, whole.request.id);
        let mut two = breaking_bad();
        two.seasons = crate::domain::Seasons::new([2]);
        let season_two = services.requests.create(&cat, two).await.expect("season 2");
        assert_eq!(
            season_two.kind,
            OutcomeKind::Created,
            "episode claims leave the season free"
        );

        // Cancelling frees the episode for the next asker.
        services
            .requests
            .cancel(&ann, first.request.id)
            .await
            .expect("cancel");
        let (_, dan) = user_with_role(&services, 10, "member").await;
        let freed = ask(&services, &dan, "S02E05").await.expect("freed");
        assert_eq!(
            freed.kind,
            OutcomeKind::Followed,
            "season 2 is asked for now"
        );
        assert_eq!(freed.request.id, season_two.request.id);
    }
);

both_dbs!(bad_episode_requests_save_nothing, |db| {
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 7, "member").await;
    let episodes = Episodes::parse("S01E01").expect("episodes");
    let refused = services
        .requests
        .create_episodes(&ann, movie(438631, "Dune"), &episodes)
        .await
        .expect_err("a movie has no episodes");
    assert!(matches!(refused, CoreError::Validation(_)), "{refused}");
    assert_eq!(count(&db, "requests").await, 0);
    assert_eq!(count(&db, "request_episode_claims").await, 0);
    // An episode request's seasons are its episodes': changing them is refused, nothing saved.
    let asked = ask(&services, &ann, "S02E05").await.expect("asked");
    let (_, approver) = user_with_role(&services, 9000, "approver").await;
    let change = crate::service::requests::RequestChange {
        seasons: Some(crate::domain::Seasons::new([1])),
        ..Default::default()
    };
    let refused = services
        .requests
        .edit(&approver, asked.request.id, &change)
        .await
        .expect_err("seasons of an episode request");
    assert!(matches!(refused, CoreError::Validation(_)), "{refused}");
    let kept = reload(&db, &asked.request).await;
    assert_eq!(
        (kept.seasons.to_csv(), kept.episodes.to_string()),
        ("2".into(), "S02E05".into())
    );
    assert_eq!(count(&db, "request_claims").await, 0);
});

both_dbs!(
    a_series_already_there_is_adopted_and_a_repeat_changes_nothing,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeSonarr::start(KEY).await;
        fake.insert_series(81189, &[1]).expect("seeded");
        let (_, ann) = user_with_role(&services, 7, "member").await;
        let asked = ask(&services, &ann, "S02E05,S02E07").await.expect("asked");
        approve(&services, &asked.request).await;
        let worker = worker(&db, &fake);
        assert_eq!(worker.try_run_once().await.expect("run"), 1);
        assert_eq!(
            reload(&db, &asked.request).await.status,
            RequestStatus::Submitted
        );
        assert_eq!(fake.adds(), 0, "adopted, not added");
        let monitored = fake.monitored_episodes(81189);
        assert!(
            monitored.contains(&(2, 5)) && monitored.contains(&(2, 7)),
            "{monitored:?}"
        );
        assert!(!monitored.contains(&(2, 6)), "{monitored:?}");
        assert_eq!(
            fake.monitored_seasons(81189),
            [1],
            "the seasons are left as they were"
        );
        assert_eq!(fake.episode_updates(), 1);

        // The same episodes placed again (a retried row): nothing to monitor, nothing to search.
        let before = fake.server.received().len();
        let request = reload(&db, &asked.request).await;
        let seasons = request.seasons.clone();
        let series = crate::integrations::arr::SeriesRequest {
            tvdb_id: TvdbId::parse(81189).expect("tvdb"),
            seasons: &seasons,
            future_seasons: false,
            anime: None,
            extra_tags: &[],
            placement: Default::default(),
            shape: Default::default(),
        };
        let client = crate::tests::arr_support::sonarr("sonarr", &fake, false);
        let placed = client
            .submit_episodes(&series, &request.episodes)
            .await
            .expect("again");
        assert_eq!(
            placed.placement,
            crate::integrations::arr::Placement::Unchanged
        );
        assert_eq!(fake.episode_updates(), 1);
        assert_eq!(
            title_calls(&fake, before),
            ["GET /api/v3/series/lookup", "GET /api/v3/episode"]
        );
    }
);

both_dbs!(
    episodes_sonarr_has_not_listed_yet_are_retried_not_failed,
    |db| {
        let services = Services::new(db.clone());
        let fake = FakeSonarr::start(KEY).await;
        let (_, ann) = user_with_role(&services, 7, "member").await;
        let asked = ask(&services, &ann, "S01E01").await.expect("asked");
        approve(&services, &asked.request).await;
        fake.hide_episodes_once();
        let worker = worker(&db, &fake);
        assert_eq!(worker.try_run_once().await.expect("run"), 1);
        let waiting = reload(&db, &asked.request).await;
        assert_eq!(waiting.status, RequestStatus::Approved, "kept for a retry");
        assert!(
            waiting
                .last_error
                .as_deref()
                .is_some_and(|e| e.contains("not listed yet")),
            "{:?}",
            waiting.last_error
        );
        assert_eq!(worker.try_run_once().await.expect("retry"), 1);
        assert_eq!(
            reload(&db, &asked.request).await.status,
            RequestStatus::Submitted
        );
        assert_eq!(fake.adds(), 1, "added once, adopted on the retry");
        assert_eq!(fake.monitored_episodes(81189), [(1, 1)]);
    }
);
