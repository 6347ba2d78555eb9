//! Lists to browse (`/trending`, `/discover`), on both databases: entries carry what the library
//! index says (available, some seasons) and what Usher's requests say (requested), and whether
//! the caller may request them; pages are half a TMDB page, two of them from one cached call;
//! a title the caller's content limit blocks is left out.

use usher_testkit::FakeJellyfin;

use super::console_titles::{id, tmdb_at};
use super::harness::{both_dbs, movie, user_with_role};
use super::library_index::{jellyfin, passes};
use crate::domain::{ContentLimitSpec, ListMark, MediaType, Seasons, SourceKind};
use crate::integrations::tmdb::{TimeWindow, Trending};
use crate::service::{Caller, DiscoverList, Services};

/// The member behind `telegram_id` as a chat's edge resolves them.
async fn member(services: &Services, telegram_id: u64) -> Caller {
    let (user, actor) = user_with_role(services, telegram_id, "member").await;
    let (_, permissions) = crate::store::users::read_with_permissions(&services.db, user.id)
        .await
        .expect("read")
        .expect("known");
    Caller {
        user,
        actor,
        language: "en-US".into(),
        permissions,
        content_limit: Default::default(),
    }
}

both_dbs!(trending_entries_carry_library_and_request_marks, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let jf = FakeJellyfin::start("jf").await;
    jf.add_movie(693_134, "Dune: Part Two");
    let show = jf.add_series(None, Some(1396), "Breaking Bad");
    for season in 1..=3 {
        jf.add_episodes(&show, season, 5);
    }
    let passes = passes(&db, vec![jellyfin("jellyfin", &jf, SourceKind::Jellyfin)]).await;
    passes.full(|_| {}).await.expect("pass");
    let services = Services::new(db.clone())
        .with_library_index(passes.index().clone())
        .with_tmdb(tmdb_at(&fake, 1 << 20));
    let ann = member(&services, 9101).await;
    services
        .requests
        .create(&ann.actor, movie(27_205, "Inception"))
        .await
        .expect("request");

    let list = DiscoverList::Trending(Trending::All, TimeWindow::Week);
    let page = services
        .discover
        .page(&ann, list, 1, None)
        .await
        .expect("page");
    assert_eq!((page.page, page.total_pages), (1, 1));
    assert_eq!((page.previous(), page.next()), (None, None));
    let seen: Vec<(&str, Option<ListMark>, bool)> = page
        .entries
        .iter()
        .map(|e| (e.title.as_str(), e.mark.clone(), e.requestable))
        .collect();
    assert_eq!(
        seen,
        [
            ("Dune: Part Two", Some(ListMark::Available), false),
            ("Arcane", None, true),
            ("Inception", Some(ListMark::Requested), false),
            (
                "Breaking Bad",
                Some(ListMark::Seasons(Seasons::new([1, 2, 3]))),
                true
            ),
            ("Spirited Away", None, true),
        ]
    );
    assert_eq!(page.entries[1].media_type, MediaType::Tv);
    assert_eq!(page.entries[1].tmdb_id, id(94_605));

    // A limit blocking Arcane by id leaves it out; the page stays where it was.
    let spec = ContentLimitSpec {
        blocked_titles: vec!["tv/94605".into()],
        ..ContentLimitSpec::default()
    };
    let kid = Caller {
        content_limit: spec.validate().expect("limit"),
        ..ann.clone()
    };
    let limited = services
        .discover
        .page(&kid, list, 1, None)
        .await
        .expect("limited page");
    let titles: Vec<&str> = limited.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Dune: Part Two",
            "Inception",
            "Breaking Bad",
            "Spirited Away"
        ]
    );

    // A PG-13 cap hides the R-rated 1917 from browsing as it does from search: the list
    // goes through the same content gate, certifications from TMDB.
    let popular = DiscoverList::Popular(MediaType::Movie);
    let titles_for = |caller: Caller| {
        let services = services.clone();
        async move {
            let page = services
                .discover
                .page(&caller, popular, 1, None)
                .await
                .expect("popular page");
            page.entries
                .into_iter()
                .map(|e| e.title)
                .collect::<Vec<_>>()
        }
    };
    let everyone = titles_for(ann.clone()).await;
    assert!(everyone.iter().any(|t| t == "1917"), "{everyone:?}");
    let capped = Caller {
        content_limit: ContentLimitSpec {
            movie: Some("PG-13".into()),
            ..ContentLimitSpec::default()
        }
        .validate()
        .expect("limit"),
        ..ann.clone()
    };
    let capped = titles_for(capped).await;
    assert!(!capped.iter().any(|t| t == "1917"), "{capped:?}");
    assert!(capped.iter().any(|t| t == "Inception"), "{capped:?}");

    // Someone who may not request sees the marks but nothing to request.
    let viewer = Caller {
        permissions: crate::domain::Permissions::of(&[]),
        ..ann
    };
    let viewed = services
        .discover
        .page(&viewer, list, 1, None)
        .await
        .expect("viewer page");
    assert!(viewed.entries.iter().all(|e| !e.requestable), "{viewed:?}");
    assert_eq!(viewed.entries[0].mark, Some(ListMark::Available));
});

both_dbs!(discover_pages_halve_tmdb_pages_and_list_genres, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1 << 20));
    let bob = member(&services, 9102).await;
    let popular = DiscoverList::Popular(MediaType::Movie);
    let first = services
        .discover
        .page(&bob, popular, 1, Some("fr-FR"))
        .await
        .expect("page 1");
    let second = services
        .discover
        .page(&bob, popular, 2, Some("fr-FR"))
        .await
        .expect("page 2");
    assert_eq!(first.entries.len(), 10);
    assert_eq!(second.entries.len(), 10);
    assert_eq!(first.entries[0].title, "Dune : Deuxième partie");
    assert!(
        second
            .entries
            .iter()
            .all(|e| first.entries.iter().all(|f| f.tmdb_id != e.tmdb_id))
    );
    // 8 hand-written films and 5,000 on the synthetic shelf.
    assert_eq!(first.total_pages, 501);
    assert_eq!((second.previous(), second.next()), (Some(1), Some(3)));
    assert_eq!(
        fake.received_at("GET", "/3/movie/popular").len(),
        1,
        "two chat pages from one TMDB page"
    );
    let third = services
        .discover
        .page(&bob, popular, 3, None)
        .await
        .expect("page 3");
    assert_eq!(third.entries.len(), 10);
    assert!(
        fake.received_at("GET", "/3/movie/popular")
            .iter()
            .any(|r| r.query.contains("page=2"))
    );
    let past = services
        .discover
        .page(&bob, popular, u16::MAX, None)
        .await
        .expect("clamped");
    assert_eq!(past.page, crate::service::discover::MAX_PAGE);
    assert!(past.entries.is_empty());

    let genres = services
        .discover
        .genres(MediaType::Tv, None)
        .await
        .expect("genres");
    let animation = genres.iter().find(|g| g.name == "Animation").expect("16");
    let animated = services
        .discover
        .page(
            &bob,
            DiscoverList::Genre(MediaType::Tv, animation.id),
            1,
            None,
        )
        .await
        .expect("genre page");
    assert_eq!(animated.genre.as_deref(), Some("Animation"));
    let titles: Vec<&str> = animated.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Attack on Titan", "Arcane", "Avatar: The Last Airbender"]
    );
    let upcoming = services
        .discover
        .page(&bob, DiscoverList::Upcoming, 1, None)
        .await
        .expect("upcoming");
    assert_eq!(upcoming.entries[0].title, "Dune: Part Two");

    let offline = Services::new(db.clone());
    let err = offline
        .discover
        .page(&bob, popular, 1, None)
        .await
        .expect_err("no TMDB");
    assert!(matches!(err, crate::CoreError::Upstream { .. }), "{err:?}");
});
