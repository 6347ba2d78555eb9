//! Search cards answered from the library index, on both databases: a film a media server
//! holds (never requested) is available with its Watch links and no Request button; a show with
//! seasons 1–3 of 5 offers the rest; a title deleted from the server is requestable again after
//! the next pass; `/mine` carries download progress.

use usher_testkit::{FakeJellyfin, FakeRadarr};

use super::arr_support::KEY;
use super::harness::{both_dbs, movie, user_with_role};
use super::library_index::{jellyfin, passes, radarr_source, tmdb};
use crate::domain::{Availability, MediaType, Seasons, SourceKind};
use crate::service::Services;

both_dbs!(
    cards_say_what_the_library_holds_and_where_to_watch_it,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        let film = jf.add_movie(603, "The Matrix");
        let show = jf.add_series(None, Some(1396), "Breaking Bad");
        for season in 1..=3 {
            jf.add_episodes(&show, season, 5);
        }
        let passes = passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;
        passes.full(|_| {}).await.expect("pass");
        let services = Services::new(db.clone()).with_library_index(passes.index().clone());
        let (_, member) = user_with_role(&services, 8101, "member").await;

        let matrix = services
            .titles
            .offer(&member, MediaType::Movie, tmdb(603), &Seasons::default())
            .await
            .expect("offer");
        assert_eq!(matrix.library, Availability::Full);
        assert!(
            !matrix.request,
            "a title the library holds offers no Request button"
        );
        let watch: Vec<(&str, &str)> = matrix
            .index
            .watch
            .iter()
            .map(|w| (w.server.as_str(), w.url.as_str()))
            .collect();
        let expected = format!("{}/web/#/details?id={film}", jf.url());
        assert_eq!(watch, [("Jellyfin", expected.as_str())]);

        let bad = services
            .titles
            .offer(&member, MediaType::Tv, tmdb(1396), &Seasons::new(1..=5))
            .await
            .expect("offer");
        assert_eq!(bad.library, Availability::Partial(Seasons::new([1, 2, 3])));
        assert!(bad.request, "seasons 4 and 5 can still be requested");
        assert_eq!(
            bad.index.complete,
            Seasons::new([1, 2, 3]),
            "the picker leaves these out"
        );

        jf.remove(&film);
        passes.full(|_| {}).await.expect("pass after deletion");
        let gone = services
            .titles
            .offer(&member, MediaType::Movie, tmdb(603), &Seasons::default())
            .await
            .expect("offer");
        assert!(gone.request && gone.index.watch.is_empty() && gone.library == Availability::None);
    }
);

both_dbs!(mine_shows_download_progress_from_the_index, |db| {
    let radarr = FakeRadarr::start(KEY).await;
    radarr.insert_movie(438631, true);
    radarr.queue_download(
        438631,
        100.0,
        58.0,
        Some("2099-01-01T00:00:00Z"),
        "downloading",
    );
    let passes = passes(&db, vec![radarr_source(&radarr)]).await;
    let services = Services::new(db.clone()).with_library_index(passes.index().clone());
    let (_, member) = user_with_role(&services, 8102, "member").await;
    services
        .requests
        .create(&member, movie(438631, "Dune"))
        .await
        .expect("request");
    passes.full(|_| {}).await.expect("pass");

    let rows = services.mine(&member, 10).await.expect("mine");

    assert_eq!(rows.len(), 1);
    let download = rows[0].download.expect("downloading");
    assert_eq!(download.percent(), 42);
    assert!(download.eta.is_some());
});
