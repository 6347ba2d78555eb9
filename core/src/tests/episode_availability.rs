//! Availability per episode, on both databases: a request for `S02E05` becomes available when
//! exactly that episode is in the library — not because season 2 holds another episode, not
//! while only some of its episodes are there — through the service, Sonarr's and Jellyfin's
//! webhooks and the library index's pass (Sonarr's episode list, asked only when it can help).
//! The requester is notified once.

use std::sync::Arc;

use serde_json::{Value, json};
use usher_testkit::{FakeJellyfin, FakeSonarr};

use super::arr_support::KEY;
use super::availability::{notifications, show_with_tvdb};
use super::harness::{both_dbs, user_with_role};
use super::library_index::{jellyfin, passes, sonarr_source};
use super::webhooks::{TOKEN, edited, hooks, http, status};
use crate::domain::{Actor, Episodes, Request, RequestStatus, Seasons, SourceKind};
use crate::error::CoreError;
use crate::integrations::mediaserver::{JellyfinClient, MediaServers};
use crate::service::Services;
use crate::store::audit;
use crate::webhooks::{HookOutcome, HookSource};

/// Breaking Bad `episodes` asked by a trusted member (auto-approved) and submitted.
async fn asked(services: &Services, telegram_id: u64, episodes: &str) -> Request {
    let (_, who) = user_with_role(services, telegram_id, "trusted").await;
    let episodes = Episodes::parse(episodes).expect("episodes");
    let outcome = services
        .requests
        .create_episodes(&who, show_with_tvdb(1396, 81189, &[]), &episodes)
        .await
        .expect("asked");
    services
        .requests
        .mark_submitted(&Actor::system(), outcome.request.id)
        .await
        .expect("submitted")
}

fn episodes(text: &str) -> Episodes {
    Episodes::parse(text).expect("episodes")
}

/// A Sonarr Download delivery (the one-file shape) for these `(season, episode)`s.
fn sonarr_download(file: i64, numbers: &[(u16, u16)]) -> Vec<u8> {
    edited("sonarr-download.json", |v: &mut Value| {
        v["episodeFile"]["id"] = json!(file);
        v["episodes"] = numbers
            .iter()
            .map(|(s, e)| json!({ "id": file * 10 + i64::from(*e), "seasonNumber": s, "episodeNumber": e, "seriesId": 7 }))
            .collect();
    })
}

both_dbs!(an_episode_request_waits_for_exactly_its_episodes, |db| {
    let services = Services::new(db.clone());
    let request = asked(&services, 500, "S02E05,S02E06").await;
    let system = Actor::system();
    let before = notifications(&db).await;

    // Season 2 holds something: a season count cannot say it is ours.
    let seasons = services
        .availability
        .record_availability(&system, request.id, &Seasons::new([2]))
        .await
        .expect("seasons");
    assert!(!seasons.changed);
    assert_eq!(seasons.request.status, RequestStatus::Submitted);

    // Another episode of the season, then one of ours: still waiting, nobody told.
    for held in ["S02E04", "S02E05", "S02E04,S02E05"] {
        let recorded = services
            .availability
            .record_episodes(&system, request.id, &episodes(held))
            .await
            .expect("record");
        assert!(!recorded.changed, "{held}");
        assert_eq!(recorded.request.status, RequestStatus::Submitted, "{held}");
    }
    assert_eq!(notifications(&db).await, before);

    // The last one, reported alone: the earlier report is remembered.
    let last = services
        .availability
        .record_episodes(&system, request.id, &episodes("S02E06"))
        .await
        .expect("last");
    assert!(last.changed);
    assert_eq!(last.request.status, RequestStatus::Available);
    assert_eq!(last.request.available_seasons, Seasons::new([2]));
    assert_eq!(notifications(&db).await, before + 1);
    let trail = audit::for_target(&db, &format!("request:{}", request.id), 1)
        .await
        .expect("audit");
    assert_eq!(trail[0].action, "request_availability");

    let again = services
        .availability
        .record_episodes(&system, request.id, &episodes("S02E05-E06"))
        .await
        .expect("again");
    assert!(!again.changed);
    assert_eq!(notifications(&db).await, before + 1, "told once");
});

both_dbs!(
    episodes_are_recorded_by_the_system_only_and_seasons_stay_apart,
    |db| {
        let services = Services::new(db.clone());
        let request = asked(&services, 501, "S01E02").await;
        let (_, member) = user_with_role(&services, 502, "member").await;
        let refused = services
            .availability
            .record_episodes(&member, request.id, &episodes("S01E02"))
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);

        // A whole-season request of the same show is not moved by episodes.
        let (_, other) = user_with_role(&services, 503, "trusted").await;
        let season = services
            .requests
            .create(&other, show_with_tvdb(1396, 81189, &[3]))
            .await
            .expect("season");
        let recorded = services
            .availability
            .record_episodes(&Actor::system(), season.request.id, &episodes("S03E01-E20"))
            .await
            .expect("season request");
        assert!(!recorded.changed);

        // A deletion upstream forgets the episodes seen, so they must come back.
        let system = Actor::system();
        services
            .availability
            .record_episodes(&system, request.id, &episodes("S01E01"))
            .await
            .expect("not ours");
        assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);
    }
);

both_dbs!(a_deleted_show_forgets_the_episodes_it_had, |db| {
    let services = Services::new(db.clone());
    let request = asked(&services, 504, "S01E01,S01E02").await;
    let system = Actor::system();
    services
        .availability
        .record_episodes(&system, request.id, &episodes("S01E01"))
        .await
        .expect("one");
    services
        .availability
        .note_deletion(
            &system,
            crate::domain::MediaType::Tv,
            Some(request.media.tmdb_id),
            None,
            &json!({ "event": "SeriesDelete" }),
        )
        .await
        .expect("deleted");
    let after = services
        .availability
        .record_episodes(&system, request.id, &episodes("S01E02"))
        .await
        .expect("the other");
    assert!(!after.changed, "S01E01 left with the show");
    assert_eq!(after.request.status, RequestStatus::Submitted);
});

both_dbs!(sonarr_download_webhooks_settle_episode_requests, |db| {
    let services = Services::new(db.clone());
    let request = asked(&services, 505, "S02E05").await;
    let hooks = hooks(&db, MediaServers::default());
    let before = notifications(&db).await;

    let other = hooks
        .receive(
            HookSource::Sonarr,
            Some(TOKEN),
            &sonarr_download(90, &[(2, 4)]),
        )
        .await
        .expect("S02E04");
    assert_eq!(other, HookOutcome::Applied { changed: vec![] });
    assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);

    let ours = hooks
        .receive(
            HookSource::Sonarr,
            Some(TOKEN),
            &sonarr_download(91, &[(2, 5)]),
        )
        .await
        .expect("S02E05");
    assert_eq!(
        ours,
        HookOutcome::Applied {
            changed: vec![request.id]
        }
    );
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
    assert_eq!(notifications(&db).await, before + 1);

    // A Download naming no episode number leaves episode requests waiting (never available).
    let later = asked(&services, 506, "S03E01").await;
    let bare = edited("sonarr-download.json", |v: &mut Value| {
        v["episodeFile"]["id"] = json!(92);
        v["episodes"] = json!([{ "id": 1, "seasonNumber": 3, "seriesId": 7 }]);
    });
    hooks
        .receive(HookSource::Sonarr, Some(TOKEN), &bare)
        .await
        .expect("bare");
    assert_eq!(status(&db, later.id).await, RequestStatus::Submitted);
});

both_dbs!(jellyfin_episode_webhooks_name_the_episode_added, |db| {
    let jf = FakeJellyfin::start("jf").await;
    let series = jf.add_series(Some(81189), Some(1396), "Breaking Bad");
    jf.add_episodes(&series, 2, 4);
    let client = JellyfinClient::new(jf.url(), "jf", &http()).expect("client");
    let servers = MediaServers {
        jellyfin: Some(Arc::new(client)),
        plex: None,
    };
    let services = Services::new(db.clone());
    let request = asked(&services, 507, "S02E05").await;
    let hooks = hooks(&db, servers);
    let delivery = |item: &str, episode: u16| {
        edited(
            "jellyfin-itemadded-episode.sendallproperties.json",
            |v: &mut Value| {
                v["ItemId"] = json!(item);
                v["SeriesId"] = json!(series);
                v["EpisodeNumber"] = json!(episode);
            },
        )
    };
    hooks
        .receive(
            HookSource::Jellyfin,
            Some(TOKEN),
            &delivery("e9b2dcaa529c426e94335e9981f27f01", 4),
        )
        .await
        .expect("E04");
    assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);
    jf.add_episodes(&series, 2, 1);
    hooks
        .receive(
            HookSource::Jellyfin,
            Some(TOKEN),
            &delivery("e9b2dcaa529c426e94335e9981f27f02", 5),
        )
        .await
        .expect("E05");
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
});

/// Calls the fake Sonarr saw to its episode list.
fn episode_lists(fake: &FakeSonarr) -> usize {
    fake.server.received_at("GET", "/api/v3/episode").len()
}

both_dbs!(a_pass_asks_sonarr_which_episodes_have_files, |db| {
    let sonarr = FakeSonarr::start(KEY).await;
    sonarr.insert_series(81189, &[]).expect("in the catalogue");
    let services = Services::new(db.clone());
    let request = asked(&services, 508, "S02E05").await;
    let passes = passes(&db, vec![sonarr_source(&sonarr)]).await;
    let before = notifications(&db).await;

    // Nothing in season 2 yet: Sonarr's episode list is not asked.
    passes.full(|_| {}).await.expect("empty pass");
    assert_eq!(episode_lists(&sonarr), 0);

    sonarr.set_episode_file(81189, 2, 4);
    let report = passes.full(|_| {}).await.expect("S02E04 pass");
    assert!(report.available.is_empty());
    assert_eq!(episode_lists(&sonarr), 1);
    assert_eq!(status(&db, request.id).await, RequestStatus::Submitted);
    // An incremental pass for another show's news: season 2's files are unchanged, so
    // Sonarr is not asked again; a full pass asks whatever the counts.
    sonarr
        .insert_series(121361, &[1])
        .expect("in the catalogue");
    sonarr.set_season_files(121361, 1, 3, 10);
    let report = passes.incremental().await.expect("incremental pass");
    assert!(report.sources.iter().any(|s| s.changed > 0), "{report:?}");
    assert_eq!(episode_lists(&sonarr), 1);
    passes.full(|_| {}).await.expect("unchanged full pass");
    assert_eq!(episode_lists(&sonarr), 2);

    sonarr.set_episode_file(81189, 2, 5);
    let report = passes.full(|_| {}).await.expect("S02E05 pass");
    assert_eq!(report.available, [request.id]);
    assert_eq!(episode_lists(&sonarr), 3);
    assert_eq!(status(&db, request.id).await, RequestStatus::Available);
    assert_eq!(notifications(&db).await, before + 1);
    passes.full(|_| {}).await.expect("again");
    assert_eq!(notifications(&db).await, before + 1, "told once");
});

both_dbs!(
    a_pass_reads_jellyfins_episodes_and_skips_virtual_ones,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        let series = jf.add_series(Some(81189), Some(1396), "Breaking Bad");
        jf.add_episodes(&series, 2, 4);
        jf.add_missing_episodes(&series, 2, 2);
        let services = Services::new(db.clone());
        let virtual_one = asked(&services, 509, "S02E05").await;
        let on_disk = asked(&services, 510, "S02E04").await;
        let passes = passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;

        let report = passes.full(|_| {}).await.expect("pass");

        assert_eq!(report.available, [on_disk.id]);
        assert_eq!(status(&db, on_disk.id).await, RequestStatus::Available);
        assert_eq!(
            status(&db, virtual_one.id).await,
            RequestStatus::Submitted,
            "E05 is only a virtual episode"
        );
        let path = format!("/Shows/{series}/Episodes");
        assert_eq!(
            jf.server.received_at("GET", &path).len(),
            1,
            "one listing of the show for both requests"
        );
    }
);
