//! The library index against fakes of every source, on both databases: full passes paged the
//! way each API pages, what a lookup says, restarts, deletions, incremental passes, and
//! requests becoming available from it.

use std::sync::Arc;

use usher_testkit::{FakeJellyfin, FakePlex, FakeRadarr, FakeSonarr, Product};

use super::arr_support::{KEY, fast_http, radarr, sonarr};
use super::availability::submitted;
use super::harness::{both_dbs, movie, show, user_with_role};
use crate::domain::{
    Availability, DownloadState, ListMark, MediaType, RequestStatus, Seasons, SourceInfo,
    SourceKind, TmdbId,
};
use crate::index::LibraryIndex;
use crate::index::arr::ArrSource;
use crate::index::context::{IndexSource, PassProgress};
use crate::index::jellyfin::JellyfinSource;
use crate::index::job::{self, FULL_PASS_TOPIC, Nudge, Schedule};
use crate::index::pass::Passes;
use crate::index::plex::PlexSource;
use crate::integrations::arr::ArrClient;
use crate::service::Services;
use crate::store::{Db, outbox};

pub fn tmdb(id: i64) -> TmdbId {
    TmdbId::parse(id).expect("tmdb")
}

pub fn info(name: &str, kind: SourceKind, public_url: Option<&str>) -> SourceInfo {
    SourceInfo {
        name: name.to_owned(),
        kind,
        label: kind.product().to_owned(),
        public_url: public_url.map(str::to_owned),
        server_id: None,
    }
}

/// A Jellyfin source over a fake, paging by 2 so every listing takes several pages.
pub fn jellyfin(name: &str, fake: &FakeJellyfin, kind: SourceKind) -> Arc<dyn IndexSource> {
    let source = JellyfinSource::new(
        info(name, kind, Some(fake.url())),
        fake.url(),
        "jf",
        &fast_http(),
    )
    .expect("jellyfin")
    .with_page_size(2);
    Arc::new(source)
}

pub fn plex(name: &str, fake: &FakePlex) -> Arc<dyn IndexSource> {
    let source = PlexSource::new(
        info(name, SourceKind::Plex, None),
        fake.url(),
        "plex",
        &fast_http(),
    )
    .expect("plex")
    .with_page_size(2);
    Arc::new(source)
}

pub fn radarr_source(fake: &FakeRadarr) -> Arc<dyn IndexSource> {
    let client = ArrClient::Radarr(radarr("radarr", fake));
    Arc::new(ArrSource::new(
        info("radarr", SourceKind::Radarr, None),
        client,
        false,
    ))
}

pub fn sonarr_source(fake: &FakeSonarr) -> Arc<dyn IndexSource> {
    let client = ArrClient::Sonarr(sonarr("sonarr", fake, false));
    Arc::new(ArrSource::new(
        info("sonarr", SourceKind::Sonarr, None),
        client,
        false,
    ))
}

pub async fn passes(db: &Db, sources: Vec<Arc<dyn IndexSource>>) -> Passes {
    let infos = sources.iter().map(|s| s.info().clone()).collect();
    let index = LibraryIndex::load(db, infos).await.expect("load");
    Passes::new(db.clone(), index, sources)
}

both_dbs!(
    a_full_pass_knows_what_every_source_holds_and_survives_a_restart,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        let matrix = jf.add_movie(603, "The Matrix");
        jf.add_movie_with(None, "Home video", 1920);
        let bb = jf.add_series(Some(81189), Some(1396), "Breaking Bad");
        for season in 1..=3 {
            jf.add_episodes(&bb, season, 4);
        }
        jf.add_missing_episodes(&bb, 3, 2);
        let px = FakePlex::start("plex").await;
        px.add_4k_movie(603, "The Matrix");
        let radarr = FakeRadarr::start(KEY).await;
        radarr.insert_movie(438631, true);
        radarr.queue_download(
            438631,
            1000.0,
            575.0,
            Some("2030-01-01T12:00:00Z"),
            "downloading",
        );
        let sources = vec![
            jellyfin("jellyfin", &jf, SourceKind::Jellyfin),
            plex("plex", &px),
            radarr_source(&radarr),
        ];
        let passes = passes(&db, sources.clone()).await;

        let report = passes.full(|_| {}).await.expect("full pass");

        let by_name = |name: &str| {
            report
                .sources
                .iter()
                .find(|s| s.name == name)
                .expect("source")
                .clone()
        };
        assert_eq!(by_name("jellyfin").items, 2, "{report:?}");
        assert_eq!(
            by_name("jellyfin").skipped,
            1,
            "the item without ids is skipped"
        );
        assert_eq!(by_name("plex").items, 1);
        assert!(
            report.sources.iter().all(|s| s.error.is_none()),
            "{report:?}"
        );
        let index = passes.index();
        let matrix_status = index.status(MediaType::Movie, tmdb(603));
        assert!(matrix_status.present && matrix_status.four_k);
        let links: Vec<&str> = matrix_status.watch.iter().map(|w| w.url.as_str()).collect();
        assert_eq!(links.len(), 2, "held by two servers: {links:?}");
        assert!(
            links.contains(&format!("{}/web/#/details?id={matrix}", jf.url()).as_str()),
            "{links:?}"
        );
        assert!(
            links
                .iter()
                .any(|l| l.contains("#!/server/fakeplex0001/details")),
            "{links:?}"
        );
        let show = index.status(MediaType::Tv, tmdb(1396));
        assert_eq!(show.seasons_present, Seasons::new([1, 2, 3]));
        assert_eq!(
            show.seasons_complete,
            Seasons::new([1, 2]),
            "season 3 misses 2 of 6"
        );
        assert_eq!(show.missing(&Seasons::new(1..=5)), Seasons::new([3, 4, 5]));
        let dune = index.status(MediaType::Movie, tmdb(438631));
        assert!(!dune.present && dune.monitored);
        let download = dune.download.expect("downloading");
        assert_eq!(
            (download.percent(), download.state),
            (42, DownloadState::Downloading)
        );
        assert!(download.eta.is_some());

        // A restart answers from the database before any pass.
        let infos = sources.iter().map(|s| s.info().clone()).collect();
        let reloaded = LibraryIndex::load(&db, infos).await.expect("reload");
        assert_eq!(
            reloaded.status(MediaType::Movie, tmdb(603)),
            index.status(MediaType::Movie, tmdb(603))
        );
        assert_eq!(reloaded.status(MediaType::Tv, tmdb(1396)), show);
        assert_eq!(
            reloaded.status(MediaType::Movie, tmdb(438631)).download,
            Some(download)
        );
        let (_, health) = reloaded.source("plex").expect("plex");
        assert!(health.last_success.is_some() && !health.stale && health.items == 1);

        // A second pass over an unchanged library writes no title.
        let again = passes.full(|_| {}).await.expect("second pass");
        assert!(
            again
                .sources
                .iter()
                .all(|s| s.changed == 0 && s.removed == 0),
            "{again:?}"
        );
    }
);

both_dbs!(
    a_full_pass_asked_in_the_console_reaches_the_running_schedule_through_the_database,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        jf.add_movie(603, "The Matrix");
        let passes =
            Arc::new(passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await);
        let index = passes.index().clone();
        let services = Services::new(db.clone()).with_library_index(index.clone());
        let (_, admin) = user_with_role(&services, 1, "admin").await;
        // Asked while no schedule runs: the ask waits in the outbox.
        services.library.run_full_pass(&admin).await.expect("asked");
        let hour = std::time::Duration::from_secs(3600);
        let schedule = Schedule {
            full_every: hour,
            incremental_every: hour,
        };
        let running = passes.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let job = tokio::spawn(async move {
            job::run(&running, schedule, &Nudge::default(), async {
                let _ = stopped.await;
            })
            .await;
        });
        wait_for(|| index.status(MediaType::Movie, tmdb(603)).present).await;
        assert!(
            outbox::pending(&db, FULL_PASS_TOPIC)
                .await
                .expect("read")
                .is_empty(),
            "the first pass answered the waiting ask"
        );

        // The schedule's next full pass is an hour away: only the ask brings Inception in.
        jf.add_movie(27205, "Inception");
        services.library.run_full_pass(&admin).await.expect("asked");
        wait_for(|| index.status(MediaType::Movie, tmdb(27205)).present).await;
        let _ = stop.send(());
        job.await.expect("stopped");
        assert!(
            outbox::pending(&db, FULL_PASS_TOPIC)
                .await
                .expect("read")
                .is_empty()
        );
    }
);

/// Waits (up to 20 s) until `done` holds.
async fn wait_for(done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "never happened");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

both_dbs!(
    a_watched_pass_counts_every_item_it_reads_source_by_source,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        jf.add_movie(603, "The Matrix");
        jf.add_movie(27205, "Inception");
        let bb = jf.add_series(Some(81189), Some(1396), "Breaking Bad");
        jf.add_episodes(&bb, 1, 3);
        let radarr = FakeRadarr::start(KEY).await;
        radarr.insert_movie(438631, true);
        let sources = vec![
            jellyfin("jellyfin", &jf, SourceKind::Jellyfin),
            radarr_source(&radarr),
        ];
        let passes = passes(&db, sources).await;
        let progress = PassProgress::default();
        let mut seen = Vec::new();
        passes
            .full_watched(&progress, |source| {
                seen.push((
                    source.name.clone(),
                    progress.items_read(),
                    progress.sources_done(),
                ));
            })
            .await
            .expect("full pass");
        // Jellyfin: two movies and a series, then three episodes; Radarr: one movie.
        assert_eq!(
            seen,
            [("jellyfin".to_owned(), 6, 0), ("radarr".to_owned(), 1, 1)]
        );
        assert_eq!((progress.sources_done(), progress.items_read()), (2, 0));
    }
);

both_dbs!(
    a_show_is_whole_or_partly_there_by_the_seasons_its_sonarr_lists,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        let bb = jf.add_series(Some(81189), Some(1396), "Breaking Bad");
        for season in 1..=3 {
            jf.add_episodes(&bb, season, 4);
        }
        let sonarr = FakeSonarr::start(KEY).await;
        sonarr
            .insert_series(81189, &[1, 2, 3, 4, 5])
            .expect("in the catalogue");
        let sources = vec![
            jellyfin("jellyfin", &jf, SourceKind::Jellyfin),
            sonarr_source(&sonarr),
        ];
        let passes = passes(&db, sources).await;
        passes.full(|_| {}).await.expect("full pass");

        let status = passes.index().status(MediaType::Tv, tmdb(1396));
        assert_eq!(status.seasons_listed, Seasons::new(1..=5), "specials aside");
        assert_eq!(
            ListMark::of(MediaType::Tv, &status),
            Some(ListMark::Partly(Seasons::new([1, 2, 3])))
        );

        for season in 4..=5 {
            sonarr.set_season_files(81189, season, 10, 10);
        }
        passes.full(|_| {}).await.expect("second pass");
        let status = passes.index().status(MediaType::Tv, tmdb(1396));
        assert_eq!(
            ListMark::of(MediaType::Tv, &status),
            Some(ListMark::Available),
            "{status:?}"
        );
    }
);

both_dbs!(
    emby_links_open_embys_web_app_and_a_show_known_by_tvdb_only_is_matched,
    |db| {
        let emby = FakeJellyfin::start_as("jf", Product::Emby).await;
        let item = emby.add_movie(27205, "Inception");
        let only_tvdb = emby.add_series(Some(81189), None, "Breaking Bad");
        emby.add_episodes(&only_tvdb, 1, 2);
        let sonarr = FakeSonarr::start(KEY).await;
        sonarr.insert_series(81189, &[1]);
        sonarr.set_season_files(81189, 1, 7, 7);
        // Sonarr first: it knows both ids, so Emby's TVDB-only show finds its TMDB id.
        let passes = passes(
            &db,
            vec![
                sonarr_source(&sonarr),
                jellyfin("den", &emby, SourceKind::Jellyfin),
            ],
        )
        .await;

        let report = passes.full(|_| {}).await.expect("pass");

        assert!(
            report.sources.iter().all(|s| s.error.is_none()),
            "{report:?}"
        );
        let status = passes.index().status(MediaType::Movie, tmdb(27205));
        let link = &status.watch.first().expect("watch link").url;
        assert_eq!(
            link,
            &format!(
                "{}/web/index.html#!/item?id={item}&serverId=0b1c2d3e4f5061728394a5b6c7d8e9f0",
                emby.url()
            )
        );
        let (info, _) = passes.index().source("den").expect("den");
        assert_eq!(info.kind, SourceKind::Emby, "the server said it is Emby");
        let show = passes.index().status(MediaType::Tv, tmdb(1396));
        assert_eq!(show.seasons_present, Seasons::new([1]));
        assert_eq!(passes.index().holdings(MediaType::Tv, tmdb(1396)).len(), 2);
    }
);

both_dbs!(
    requests_become_available_from_the_index_and_deleted_titles_can_be_requested_again,
    |db| {
        let services = Services::new(db.clone());
        let jf = FakeJellyfin::start("jf").await;
        let film = jf.add_movie(438631, "Dune");
        let bb = jf.add_series(None, Some(1396), "Breaking Bad");
        jf.add_episodes(&bb, 1, 3);
        let dune = submitted(&services, 7001, movie(438631, "Dune")).await;
        let bad = submitted(&services, 7002, show(1396, "Breaking Bad", &[1, 2])).await;
        let passes = passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;

        let report = passes.full(|_| {}).await.expect("pass");

        assert_eq!(report.available.len(), 2, "{report:?}");
        let dune = crate::store::requests::find(&db, dune.id)
            .await
            .expect("find")
            .expect("dune");
        assert_eq!(dune.status, RequestStatus::Available);
        let bad = crate::store::requests::find(&db, bad.id)
            .await
            .expect("find")
            .expect("show");
        assert_eq!(bad.status, RequestStatus::PartiallyAvailable);
        assert_eq!(bad.available_seasons, Seasons::new([1]));

        jf.remove(&film);
        let report = passes.full(|_| {}).await.expect("pass after deletion");
        assert_eq!(report.sources[0].removed, 1);
        assert_eq!(report.released, vec![dune.id], "{report:?}");
        assert!(
            !passes
                .index()
                .status(MediaType::Movie, tmdb(438631))
                .present
        );
        let (_, actor) = user_with_role(&services, 7003, "member").await;
        let again = services
            .requests
            .create(&actor, movie(438631, "Dune"))
            .await
            .expect("request again");
        assert_ne!(again.request.id, dune.id);
        let report = passes.full(|_| {}).await.expect("third pass");
        assert!(report.released.is_empty(), "released once: {report:?}");
    }
);

both_dbs!(
    an_incremental_pass_sees_new_items_and_download_progress,
    |db| {
        let jf = FakeJellyfin::start("jf").await;
        jf.add_movie(603, "The Matrix");
        let radarr = FakeRadarr::start(KEY).await;
        radarr.insert_movie(27205, true);
        let passes = passes(
            &db,
            vec![
                jellyfin("jellyfin", &jf, SourceKind::Jellyfin),
                radarr_source(&radarr),
            ],
        )
        .await;
        passes.full(|_| {}).await.expect("full");
        assert!(
            !passes
                .index()
                .status(MediaType::Movie, tmdb(438631))
                .present
        );

        jf.add_movie(438631, "Dune");
        radarr.queue_download(27205, 200.0, 50.0, None, "downloading");
        let report = passes.incremental().await.expect("incremental");

        assert!(
            report.sources.iter().all(|s| s.error.is_none()),
            "{report:?}"
        );
        assert!(
            passes
                .index()
                .status(MediaType::Movie, tmdb(438631))
                .present
        );
        let inception = passes.index().status(MediaType::Movie, tmdb(27205));
        assert_eq!(inception.download.map(|d| d.percent()), Some(75));

        radarr.clear_queue();
        radarr.set_file(27205, true);
        passes.incremental().await.expect("second incremental");
        let inception = passes.index().status(MediaType::Movie, tmdb(27205));
        assert!(
            inception.present && inception.download.is_none(),
            "{inception:?}"
        );
        assert_eq!(
            inception.availability(MediaType::Movie, &Seasons::default()),
            Availability::Full
        );
    }
);
