//! The Library page's listing over the index, on both databases: counts per source, a stale
//! source's reason, filtering by source, searching by name and TMDB id, names from requests,
//! paging, and who may read it or ask for a full pass.

use super::harness::{both_dbs, movie, user_with_role};
use super::library_index::{info, tmdb};
use crate::CoreError;
use crate::domain::{
    Download, DownloadState, IndexedTitle, MediaType, SourceHealth, SourceKind, Timestamp,
};
use crate::index::LibraryIndex;
use crate::index::job::FULL_PASS_TOPIC;
use crate::service::{LibraryQuery, Services};
use crate::store::Db;
use crate::store::library_index::{self as store, StoredSource};

const PASSED_AT: Timestamp = Timestamp(1_760_000_000_000);

fn held_movie(id: i64) -> IndexedTitle {
    let mut title = IndexedTitle::new(MediaType::Movie, tmdb(id));
    title.present = true;
    title.item = Some(format!("item-{id}").into());
    title
}

fn held_show(id: i64, seasons: &[(u16, u16, u16)]) -> IndexedTitle {
    let mut title = IndexedTitle::new(MediaType::Tv, tmdb(id));
    title.set_seasons(seasons.iter().copied());
    title
}

/// Stores one source's health and titles as a pass would have.
async fn stored(
    db: &Db,
    name: &str,
    kind: SourceKind,
    error: Option<&str>,
    titles: &[IndexedTitle],
) {
    let refs: Vec<&IndexedTitle> = titles.iter().collect();
    store::apply(db, name, &refs, &[], PASSED_AT)
        .await
        .expect("titles");
    let health = SourceHealth {
        items: titles.len() as u64,
        last_full: Some(PASSED_AT),
        last_success: Some(PASSED_AT),
        duration_ms: Some(1_250),
        stale: error.is_some(),
        error: error.map(str::to_owned),
        ..SourceHealth::default()
    };
    let source = StoredSource {
        name: name.to_owned(),
        kind,
        server_id: None,
        health,
    };
    store::put_source(db, &source).await.expect("source");
}

/// Jellyfin holds two films and a show (13 episodes), Radarr one of the films (downloading
/// its 4K copy elsewhere does not matter here), Plex is stale after a 401.
async fn library(db: &Db) -> Services {
    let mut downloading = held_movie(603);
    downloading.monitored = true;
    downloading.download = Some(Download {
        permille: 420,
        eta: None,
        state: DownloadState::Downloading,
    });
    let jellyfin = [
        held_movie(603),
        held_movie(438_631),
        held_show(1399, &[(1, 10, 10), (2, 3, 10)]),
    ];
    stored(db, "jellyfin", SourceKind::Jellyfin, None, &jellyfin).await;
    stored(db, "radarr", SourceKind::Radarr, None, &[downloading]).await;
    let why = Some("401 Unauthorized: the token was refused");
    stored(
        db,
        "plex",
        SourceKind::Plex,
        why,
        &[held_show(1399, &[(1, 10, 10)])],
    )
    .await;
    let sources = vec![
        info("jellyfin", SourceKind::Jellyfin, Some("http://jf.local")),
        info("radarr", SourceKind::Radarr, None),
        info("plex", SourceKind::Plex, None),
    ];
    let index = LibraryIndex::load(db, sources).await.expect("index");
    Services::new(db.clone()).with_library_index(index)
}

both_dbs!(counts_health_filters_and_names_come_from_the_index, |db| {
    let services = library(&db).await;
    let (_, member) = user_with_role(&services, 1, "member").await;
    let (_, approver) = user_with_role(&services, 2, "approver").await;
    services
        .requests
        .create(&member, movie(603, "The Matrix"))
        .await
        .expect("request");

    let all = services
        .library
        .overview(&approver, &LibraryQuery::default())
        .await
        .expect("overview");
    assert_eq!(all.total_titles, 3, "603, 438631 and show 1399, each once");
    let counts: Vec<(&str, u64, u64, u64)> = all
        .sources
        .iter()
        .map(|s| (s.info.name.as_str(), s.movies, s.shows, s.episodes))
        .collect();
    assert_eq!(
        counts,
        [
            ("jellyfin", 2, 1, 13),
            ("radarr", 1, 0, 0),
            ("plex", 0, 1, 10)
        ]
    );
    let plex = &all.sources[2].health;
    assert!(plex.stale);
    assert_eq!(
        plex.error.as_deref(),
        Some("401 Unauthorized: the token was refused")
    );
    assert_eq!(plex.last_success, Some(PASSED_AT));
    assert!(!all.sources[0].health.stale);
    let listed: Vec<(MediaType, u32)> = all
        .titles
        .iter()
        .map(|t| (t.media_type, t.tmdb.get()))
        .collect();
    assert_eq!(
        listed,
        [
            (MediaType::Movie, 603),
            (MediaType::Movie, 438_631),
            (MediaType::Tv, 1399)
        ],
        "movies first, then by TMDB id"
    );
    let matrix = &all.titles[0];
    assert_eq!(
        matrix.name.as_ref().map(|n| n.title.as_str()),
        Some("The Matrix")
    );
    let held_by: Vec<&str> = matrix
        .holdings
        .iter()
        .map(|h| h.source.name.as_str())
        .collect();
    assert_eq!(held_by, ["jellyfin", "radarr"]);
    let download = matrix.holdings[1].title.download.expect("downloading");
    assert_eq!(download.percent(), 42);
    assert!(all.titles[1].name.is_none(), "never requested: no name");

    let radarr_only = LibraryQuery {
        source: Some("radarr".into()),
        ..LibraryQuery::default()
    };
    let found = services
        .library
        .overview(&approver, &radarr_only)
        .await
        .expect("filter");
    assert_eq!(found.matched, 1);
    assert_eq!(found.titles[0].tmdb.get(), 603);
    assert_eq!(
        found.titles[0].holdings.len(),
        2,
        "every source's holding is shown"
    );

    let shows = LibraryQuery {
        media_type: Some(MediaType::Tv),
        ..LibraryQuery::default()
    };
    let found = services
        .library
        .overview(&approver, &shows)
        .await
        .expect("shows");
    assert_eq!(
        found
            .titles
            .iter()
            .map(|t| t.tmdb.get())
            .collect::<Vec<_>>(),
        [1399]
    );
});

both_dbs!(search_by_name_or_tmdb_id, |db| {
    let services = library(&db).await;
    let (_, member) = user_with_role(&services, 1, "member").await;
    let (_, admin) = user_with_role(&services, 2, "admin").await;
    for (id, name) in [(603, "The Matrix"), (27_205, "Matrix of 100%_wild")] {
        services
            .requests
            .create(&member, movie(id, name))
            .await
            .expect("request");
    }
    let search = |text: &str| LibraryQuery {
        search: Some(text.to_owned()),
        ..LibraryQuery::default()
    };
    let ids = |overview: crate::service::LibraryOverview| {
        overview
            .titles
            .iter()
            .map(|t| t.tmdb.get())
            .collect::<Vec<_>>()
    };
    let by_name = services
        .library
        .overview(&admin, &search("  MATRIX "))
        .await
        .expect("name");
    assert_eq!(
        ids(by_name),
        [603],
        "27205 is requested but not in the library"
    );
    let by_id = services
        .library
        .overview(&admin, &search("1399"))
        .await
        .expect("id");
    assert_eq!(ids(by_id), [1399]);
    let wildcard = services
        .library
        .overview(&admin, &search("%"))
        .await
        .expect("literal");
    assert!(
        ids(wildcard).is_empty(),
        "a % matches itself, and no held title has one"
    );
    let nothing = services
        .library
        .overview(&admin, &search("Dune"))
        .await
        .expect("none");
    assert_eq!(nothing.matched, 0);
    assert_eq!(nothing.pages, 1);
});

both_dbs!(pages_hold_fifty_titles, |db| {
    let titles: Vec<IndexedTitle> = (1..=120).map(held_movie).collect();
    stored(&db, "emby", SourceKind::Emby, None, &titles).await;
    let sources = vec![info("emby", SourceKind::Emby, Some("http://emby.local"))];
    let index = LibraryIndex::load(&db, sources).await.expect("index");
    let services = Services::new(db.clone()).with_library_index(index);
    let (_, admin) = user_with_role(&services, 1, "admin").await;
    let page = |page| LibraryQuery {
        page,
        ..LibraryQuery::default()
    };
    let third = services
        .library
        .overview(&admin, &page(3))
        .await
        .expect("page 3");
    assert_eq!((third.matched, third.pages, third.page), (120, 3, 3));
    let ids: Vec<u32> = third.titles.iter().map(|t| t.tmdb.get()).collect();
    assert_eq!(ids, (101..=120).collect::<Vec<u32>>());
    let second = services
        .library
        .overview(&admin, &page(2))
        .await
        .expect("page 2");
    assert_eq!(second.titles.first().map(|t| t.tmdb.get()), Some(51));
    assert_eq!(second.titles.len(), 50);
    let past = services
        .library
        .overview(&admin, &page(9))
        .await
        .expect("past the end");
    assert!(past.titles.is_empty());
});

both_dbs!(
    members_may_not_read_it_and_only_admins_ask_for_a_pass,
    |db| {
        let services = library(&db).await;
        let (_, member) = user_with_role(&services, 1, "member").await;
        let (_, approver) = user_with_role(&services, 2, "approver").await;
        let (_, admin) = user_with_role(&services, 3, "admin").await;
        let refused = services
            .library
            .overview(&member, &LibraryQuery::default())
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );

        let no_source = Services::new(db.clone())
            .library
            .run_full_pass(&admin)
            .await;
        assert!(
            matches!(no_source, Err(CoreError::Validation(_))),
            "{no_source:?}"
        );
        let refused = services.library.run_full_pass(&approver).await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{refused:?}"
        );
        assert!(
            crate::store::outbox::pending(&db, FULL_PASS_TOPIC)
                .await
                .expect("read")
                .is_empty(),
            "nothing queued by a refusal"
        );
        services.library.run_full_pass(&admin).await.expect("asked");
        let queued = crate::store::outbox::pending(&db, FULL_PASS_TOPIC)
            .await
            .expect("read");
        assert_eq!(queued.len(), 1, "the ask waits for the replica that passes");
        let audited = crate::store::audit::for_target(&db, "library", 10)
            .await
            .expect("audit");
        assert_eq!(
            audited
                .iter()
                .map(|e| e.action.as_str())
                .collect::<Vec<_>>(),
            ["library_pass_asked"]
        );
    }
);
