//! The library index when sources misbehave: 401, 500, malformed JSON, a listing that never
//! ends, an empty answer, duplicate items. Each keeps the index consistent (the source's last
//! known titles stay) and says why the source is stale.

use usher_testkit::{FakeJellyfin, FakePlex, FakeRadarr, Fault};

use super::arr_support::KEY;
use super::harness::both_dbs;
use super::library_index::{jellyfin, passes, plex, radarr_source, tmdb};
use crate::domain::{MediaType, SourceKind};
use crate::index::LibraryIndex;
use crate::index::pass::Passes;
use crate::store::library_index as store;

/// A pass over one Jellyfin holding The Matrix and Dune, already listed once.
async fn listed(db: &crate::store::Db) -> (FakeJellyfin, Passes) {
    let jf = FakeJellyfin::start("jf").await;
    jf.add_movie(603, "The Matrix");
    jf.add_movie(438631, "Dune");
    let passes = passes(db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;
    let report = passes.full(|_| {}).await.expect("first pass");
    assert_eq!(report.sources[0].items, 2);
    (jf, passes)
}

/// The source is stale with a reason containing `why`, and both titles are still there, in
/// memory and in the database.
async fn kept_and_stale(db: &crate::store::Db, passes: &Passes, why: &str) {
    let (info, health) = passes.index().source("jellyfin").expect("source");
    assert!(health.stale, "{health:?}");
    let error = health.error.clone().unwrap_or_default();
    assert!(error.contains(why), "{error:?} should say {why:?}");
    assert!(health.errors >= 1);
    for id in [603, 438631] {
        assert!(
            passes.index().status(MediaType::Movie, tmdb(id)).present,
            "{id} kept"
        );
    }
    let reloaded = LibraryIndex::load(db, vec![info]).await.expect("reload");
    assert!(reloaded.status(MediaType::Movie, tmdb(438631)).present);
    let (_, stored) = reloaded.source("jellyfin").expect("stored");
    assert!(
        stored.stale && stored.error.is_some(),
        "the console and metrics read this"
    );
}

both_dbs!(a_refused_key_keeps_the_last_state_and_says_why, |db| {
    let (jf, passes) = listed(&db).await;
    jf.server.faults.fail_next(50, Fault::Unauthorized);
    let report = passes.full(|_| {}).await.expect("pass");
    assert!(report.sources[0].error.is_some());
    kept_and_stale(&db, &passes, "credentials refused").await;
    // Back to health: the next pass clears the flag.
    jf.server.faults.recover();
    passes.full(|_| {}).await.expect("pass");
    let (_, health) = passes.index().source("jellyfin").expect("source");
    assert!(!health.stale && health.error.is_none(), "{health:?}");
});

both_dbs!(a_server_error_midway_keeps_the_last_state, |db| {
    let (jf, passes) = listed(&db).await;
    jf.add_movie(27205, "Inception");
    jf.server.faults.go_down();
    passes.full(|_| {}).await.expect("pass");
    kept_and_stale(&db, &passes, "HTTP 500").await;
    assert!(!passes.index().status(MediaType::Movie, tmdb(27205)).present);
});

both_dbs!(malformed_json_keeps_the_last_state, |db| {
    let (jf, passes) = listed(&db).await;
    jf.server.faults.fail_next(50, Fault::MalformedJson);
    passes.full(|_| {}).await.expect("pass");
    kept_and_stale(&db, &passes, "unexpected answer").await;
});

both_dbs!(a_listing_that_never_ends_is_cut_off, |db| {
    let (jf, passes) = listed(&db).await;
    jf.ignore_paging(true);
    let report = passes.full(|_| {}).await.expect("pass");
    let asked = jf.server.received_at("GET", "/Items").len();
    assert!(
        asked < 20,
        "stopped early, not after thousands of pages: {asked}"
    );
    assert!(report.sources[0].error.is_some());
    kept_and_stale(&db, &passes, "same page").await;
});

both_dbs!(an_empty_library_never_wipes_the_index, |db| {
    let (_jf, _first) = listed(&db).await;
    let plex_fake = FakePlex::start("plex").await;
    // Every title gone at once (a library unmounted, a path misconfigured): suspicious.
    let empty = FakeJellyfin::start("jf").await;
    let again = passes(
        &db,
        vec![
            jellyfin("jellyfin", &empty, SourceKind::Jellyfin),
            plex("plex", &plex_fake),
        ],
    )
    .await;
    let report = again.full(|_| {}).await.expect("pass");
    let jellyfin_report = &report.sources[0];
    assert!(
        jellyfin_report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("empty")),
        "{report:?}"
    );
    kept_and_stale(&db, &again, "empty").await;
    // Plex held nothing before and nothing now: that is no error.
    assert!(report.sources[1].error.is_none(), "{report:?}");
});

both_dbs!(
    duplicates_and_items_without_ids_leave_one_consistent_title,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        jf.add_movie(603, "The Matrix");
        jf.add_movie_with(Some(603), "The Matrix (4K)", 3840);
        jf.add_movie_with(None, "Unmatched", 1920);
        let radarr = FakeRadarr::start(KEY).await;
        radarr.insert_movie(603, true);
        radarr.set_file(603, true);
        let passes = passes(
            &db,
            vec![
                jellyfin("jellyfin", &jf, SourceKind::Jellyfin),
                radarr_source(&radarr),
            ],
        )
        .await;

        let report = passes.full(|_| {}).await.expect("pass");

        let jellyfin_report = &report.sources[0];
        assert_eq!(
            (
                jellyfin_report.items,
                jellyfin_report.duplicates,
                jellyfin_report.skipped
            ),
            (1, 1, 1)
        );
        let status = passes.index().status(MediaType::Movie, tmdb(603));
        assert!(
            status.present && status.four_k,
            "the richer copy (4K) is kept"
        );
        assert_eq!(status.watch.len(), 1, "one link per server, not per copy");
        assert_eq!(
            passes.index().holdings(MediaType::Movie, tmdb(603)).len(),
            2,
            "Jellyfin and Radarr"
        );
        let mut rows = 0;
        store::each_title(&db, |_, _| rows += 1)
            .await
            .expect("rows");
        assert_eq!(rows, 2);
    }
);
