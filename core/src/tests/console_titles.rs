//! The console's titles: posters through the image proxy (TMDB asked once per image, only its
//! sizes and plain file names, a cache bounded by bytes), the facts of a request's page, asking
//! for a title for yourself or on a member's behalf through the chats' own request call, and
//! the dashboard's cockpit (counts, pending first, recent activity).

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{MediaType, RequestStatus, Seasons, Timestamp, TmdbId, UserId};
use crate::integrations::http::HttpSettings;
use crate::integrations::tmdb::{SeasonChoice, TmdbClient, TmdbConfig};
use crate::service::{Ask, MemberQuery, OutcomeKind, Services};
use usher_testkit::server::FakeServer;

const METROPOLIS_POSTER: &str = "vZIJxGnjcswPCAa52jhbl01FQkV.jpg";

pub(super) fn tmdb_at(fake: &FakeServer, image_cache_bytes: u64) -> TmdbClient {
    let key = secrecy::SecretString::from(usher_testkit::tmdb::API_KEY.to_owned());
    let mut config = TmdbConfig::new(&fake.url, key);
    config.image_base_url = format!("{}/t/p", fake.url);
    config.image_cache_bytes = image_cache_bytes;
    let http = HttpSettings::with_timeout(std::time::Duration::from_secs(5));
    TmdbClient::new(config, &http).expect("tmdb")
}

/// A TMDB client whose TMDB never answers (nothing listens on port 9): every call fails.
pub(super) fn dead_tmdb() -> TmdbClient {
    let key = secrecy::SecretString::from(usher_testkit::tmdb::API_KEY.to_owned());
    let config = TmdbConfig::new("http://127.0.0.1:9", key);
    let http = HttpSettings::with_timeout(std::time::Duration::from_secs(2));
    TmdbClient::new(config, &http).expect("tmdb")
}

pub(super) fn id(n: i64) -> TmdbId {
    TmdbId::parse(n).expect("id")
}

both_dbs!(posters_come_once_from_tmdb_and_only_as_asked, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    let artwork = &services.artwork;
    assert!(artwork.has_posters());
    let (first, second) = tokio::join!(
        artwork.image("w92", METROPOLIS_POSTER),
        artwork.image("w92", METROPOLIS_POSTER)
    );
    let first = first.expect("image");
    assert_eq!(first, second.expect("same image"));
    assert_eq!(first.content_type, "image/png");
    assert_eq!(&*first.bytes, usher_testkit::tmdb::POSTER_PNG);
    artwork
        .image("w92", METROPOLIS_POSTER)
        .await
        .expect("cached");
    let path = format!("/t/p/w92/{METROPOLIS_POSTER}");
    assert_eq!(
        fake.received_at("GET", &path).len(),
        1,
        "one TMDB call however many ask"
    );
    for (size, file) in [
        ("w100", METROPOLIS_POSTER),
        ("w92", "../3/movie/19.jpg"),
        ("w92", "x.svg"),
        ("w92", ""),
    ] {
        assert!(
            matches!(
                artwork.image(size, file).await,
                Err(CoreError::Validation(_))
            ),
            "{size}/{file}"
        );
    }
    assert!(matches!(
        artwork.image("w92", "unknown.jpg").await,
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(
        fake.received()
            .iter()
            .filter(|r| r.path.starts_with("/t/p/"))
            .count(),
        2,
        "refused names never reach TMDB"
    );

    assert_eq!(
        artwork
            .poster_file(MediaType::Movie, id(19))
            .await
            .expect("poster"),
        Some(METROPOLIS_POSTER.to_owned())
    );
    assert_eq!(
        artwork
            .poster_file(MediaType::Movie, id(9806))
            .await
            .expect("none"),
        None,
        "a title without a poster has none"
    );
    let facts = artwork.facts(MediaType::Tv, id(1396), None).await;
    assert_eq!(facts.year, Some(2008));
    assert!(facts.overview.starts_with("A chemistry teacher"));
    assert_eq!(facts.tmdb_url, "https://www.themoviedb.org/tv/1396");
    assert_eq!(
        facts.imdb_url.as_deref(),
        Some("https://www.imdb.com/title/tt0903747/")
    );
    assert!(facts.tmdb_error.is_none());

    // Without TMDB: no posters, and the page still gets its TMDB link.
    let bare = Services::new(db.clone());
    assert!(!bare.artwork.has_posters());
    assert!(matches!(
        bare.artwork.image("w92", METROPOLIS_POSTER).await,
        Err(CoreError::NotFound(_))
    ));
    let facts = bare.artwork.facts(MediaType::Movie, id(19), None).await;
    assert!(facts.tmdb_error.is_some() && facts.poster.is_none());
    assert_eq!(facts.tmdb_url, "https://www.themoviedb.org/movie/19");
});

#[tokio::test]
async fn the_image_cache_stays_within_its_bytes() {
    let fake = usher_testkit::tmdb::start().await;
    let png = usher_testkit::tmdb::POSTER_PNG.len() as u64;
    // Room for about two images with their keys.
    let tmdb = tmdb_at(&fake, 2 * (png + 100));
    let posters = [
        METROPOLIS_POSTER,
        "ggFHVNu6YYI5L9pCfOacjizRGt.jpg",
        "d5NXSklXo0qyIYkgV94XAgMIckC.jpg",
        "1pdfLvkbY9ohJlCjQH2CZjjYVvJ.jpg",
    ];
    for size in ["w92", "w154", "original"] {
        for file in posters {
            tmdb.images().image(size, file).await.expect("image");
        }
    }
    let held = tmdb.images().cached_bytes().await;
    assert!(held <= 2 * (png + 100), "{held} bytes held");
}

both_dbs!(asking_from_the_console_goes_through_the_chats_call, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    let (admin_user, admin) = user_with_role(&services, 600, "admin").await;
    let (member, member_actor) = user_with_role(&services, 601, "member").await;
    let (other, _) = user_with_role(&services, 602, "member").await;
    let asks = &services.asks;

    let hits = asks
        .search(&member_actor, "metropolis", Some(MediaType::Movie), None)
        .await
        .expect("search");
    assert!(
        hits.iter()
            .any(|h| h.tmdb == id(19) && h.poster.as_deref() == Some(METROPOLIS_POSTER))
    );
    assert!(matches!(
        asks.search(&member_actor, " ", None, None).await,
        Err(CoreError::Validation(_))
    ));
    let none = MemberQuery::default();
    let show = asks
        .form(&member_actor, (MediaType::Tv, id(1396)), None, &none)
        .await
        .expect("show");
    let numbers: Vec<u16> = show.title.seasons.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5], "specials left out");
    assert!(show.members.is_none(), "members ask for themselves");
    assert!(!show.four_k, "no 4K instance");

    // For yourself: the member's own request.
    let own = asks
        .ask(
            &member_actor,
            Ask {
                on_behalf: None,
                media_type: MediaType::Tv,
                tmdb: id(1396),
                seasons: SeasonChoice::These(Seasons::new([1, 2])),
                four_k: false,
            },
        )
        .await
        .expect("ask");
    assert_eq!(own.kind, OutcomeKind::Created);
    assert_eq!(own.request.requested_by, member.id);
    assert_eq!(own.request.seasons, Seasons::new([1, 2]));

    // A member may not ask for someone else; nothing is written.
    let before = count(&db, "requests").await;
    let for_other = Ask {
        on_behalf: Some(other.id),
        media_type: MediaType::Movie,
        tmdb: id(19),
        seasons: SeasonChoice::All,
        four_k: false,
    };
    assert!(matches!(
        asks.ask(&member_actor, for_other.clone()).await,
        Err(CoreError::Forbidden(_))
    ));
    for bad in [
        Ask {
            on_behalf: Some(UserId(999_999)),
            ..for_other.clone()
        },
        Ask {
            seasons: SeasonChoice::These(Seasons::new([1])),
            ..for_other.clone()
        },
        Ask {
            media_type: MediaType::Tv,
            tmdb: id(1396),
            seasons: SeasonChoice::These(Seasons::default()),
            ..for_other.clone()
        },
    ] {
        assert!(
            matches!(
                asks.ask(&admin, bad.clone()).await,
                Err(CoreError::Validation(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(count(&db, "requests").await, before);

    // An admin asks on Other's behalf: Other's request, and the admin's audit row says so.
    let made = asks.ask(&admin, for_other).await.expect("on behalf");
    assert_eq!(made.request.requested_by, other.id);
    assert_eq!(
        made.request.status,
        RequestStatus::Pending,
        "a member's rules apply"
    );
    let form = asks
        .form(&admin, (MediaType::Movie, id(19)), None, &none)
        .await
        .expect("form");
    let members = form.members.expect("an admin picks members").members;
    assert!(members.iter().any(|(id, _)| *id == member.id));
    let trail = services
        .requests
        .detail(&admin, made.request.id)
        .await
        .expect("detail")
        .trail;
    let on_behalf = trail
        .iter()
        .find(|e| e.action == "request_on_behalf")
        .expect("audited");
    assert_eq!(on_behalf.actor, Some(admin_user.id));
    assert_eq!(on_behalf.details["member"], serde_json::json!(other.id.0));
});

both_dbs!(
    the_dashboard_puts_pending_first_with_counts_and_activity,
    |db| {
        let services = Services::new(db.clone());
        let (_, admin) = user_with_role(&services, 610, "admin").await;
        let (_, approver) = user_with_role(&services, 611, "approver").await;
        let (_, member) = user_with_role(&services, 612, "member").await;
        let mut ids = Vec::new();
        for i in 0..3 {
            let made = services
                .requests
                .create(&member, movie(6100 + i, &format!("Film {i}")))
                .await
                .expect("create");
            ids.push(made.request.id);
        }
        services
            .requests
            .decline(&approver, ids[1], "no")
            .await
            .expect("decline");
        let all = services
            .dashboard
            .overview(&approver, Timestamp::now())
            .await
            .expect("overview");
        let cockpit = &all.cockpit;
        assert_eq!(cockpit.counts.len(), RequestStatus::ALL.len());
        let of = |s: RequestStatus| {
            cockpit
                .counts
                .iter()
                .find(|(c, _)| *c == s)
                .map(|(_, n)| *n)
        };
        assert_eq!(of(RequestStatus::Pending), Some(2));
        assert_eq!(of(RequestStatus::Declined), Some(1));
        assert_eq!(of(RequestStatus::Available), Some(0));
        let pending: Vec<_> = cockpit.pending.iter().map(|r| r.id).collect();
        assert_eq!(pending, [ids[0], ids[2]], "oldest first");
        assert_eq!(cockpit.names.len(), 1);
        assert!(
            cockpit
                .activity
                .iter()
                .all(|l| l.entry.target.starts_with("request:")),
            "an approver sees request activity"
        );
        assert_eq!(
            cockpit.activity[0].entry.action, "request_declined",
            "newest first"
        );
        assert!(cockpit.library.is_none(), "no index configured");

        let admin_view = services
            .dashboard
            .overview(&admin, Timestamp::now())
            .await
            .expect("admin");
        assert!(
            admin_view
                .cockpit
                .activity
                .iter()
                .any(|l| !l.entry.target.starts_with("request:")),
            "an admin sees everything (users created, too)"
        );
        let own = services
            .dashboard
            .overview(&member, Timestamp::now())
            .await
            .expect("own");
        assert!(own.cockpit.activity.is_empty(), "members see no audit rows");
        assert_eq!(own.cockpit.pending.len(), 2, "their own pending requests");
    }
);
