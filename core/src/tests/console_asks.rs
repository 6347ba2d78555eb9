//! The console's ask form as one call: the on-behalf member picker searched and paged on the
//! server (name, account, `#id`; disabled members left out), and 4K offered only where a 4K
//! instance takes the media type and the asking person may ask for 4K — a forged 4K ask
//! without the permission writes nothing.

use super::console_titles::{id, tmdb_at};
use super::harness::{both_dbs, count, user_with_role};
use crate::CoreError;
use crate::domain::{MediaType, UserId};
use crate::integrations::tmdb::SeasonChoice;
use crate::service::asks::MEMBERS_SHOWN;
use crate::service::{Ask, FourK, MemberQuery, Services};

fn query(search: &str, after: Option<UserId>) -> MemberQuery {
    MemberQuery {
        search: search.to_owned(),
        after,
    }
}

both_dbs!(the_member_picker_searches_and_pages_on_the_server, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let services = Services::new(db.clone()).with_tmdb(tmdb_at(&fake, 1024 * 1024));
    let (_, admin) = user_with_role(&services, 700, "admin").await;
    for n in 0..MEMBERS_SHOWN + 5 {
        user_with_role(&services, 7000 + u64::from(n), "member").await;
    }
    let (zed, _) = user_with_role(&services, 799, "member").await;
    let (gone, _) = user_with_role(&services, 798, "member").await;
    services
        .users
        .set_disabled(&admin, gone.id, true)
        .await
        .expect("disable");
    let asks = &services.asks;
    let title = (MediaType::Movie, id(19));
    let admin = &admin;
    let members = |q: MemberQuery| async move {
        asks.form(admin, title, None, &q)
            .await
            .map(|f| f.members.expect("an admin picks"))
    };

    let first = members(query("", None)).await.expect("first page");
    assert!(first.next.is_some(), "more than a page match");
    assert!(first.members.len() <= MEMBERS_SHOWN as usize);
    assert!(first.members.iter().all(|(id, _)| *id != gone.id));
    let second = members(query("", first.next)).await.expect("second page");
    assert!(second.next.is_none(), "the last page");
    let mut seen: Vec<UserId> = first.members.iter().map(|m| m.0).collect();
    seen.extend(second.members.iter().map(|m| m.0));
    let total = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "no member on two pages");
    assert_eq!(
        total as u32,
        MEMBERS_SHOWN + 5 + 2,
        "everyone but the disabled"
    );

    // By account id, by `#id`, by name; a disabled member is never offered.
    for search in ["799", &format!("#{}", zed.id), "user799"] {
        let found = members(query(search, None)).await.expect("search");
        assert_eq!(
            found.members,
            [(zed.id, zed.display_name.clone())],
            "{search}"
        );
        assert!(found.next.is_none());
    }
    assert!(
        members(query("user798", None))
            .await
            .expect("gone")
            .members
            .is_empty()
    );
    assert!(matches!(
        members(query(&"x".repeat(101), None)).await,
        Err(CoreError::Validation(_))
    ));
});

both_dbs!(four_k_is_offered_and_asked_only_where_it_may_go, |db| {
    let fake = usher_testkit::tmdb::start().await;
    let tmdb = tmdb_at(&fake, 1024 * 1024);
    let plain = Services::new(db.clone()).with_tmdb(tmdb.clone());
    let services = plain.clone().with_four_k(FourK {
        movie: true,
        tv: false,
    });
    let (_, admin) = user_with_role(&services, 710, "admin").await;
    let (member, member_actor) = user_with_role(&services, 711, "member").await;
    let (_, trusted) = user_with_role(&services, 712, "trusted").await;
    let none = MemberQuery::default();
    let offered = |s: &Services, actor, media_type, tmdb| {
        let asks = s.asks.clone();
        let none = none.clone();
        async move {
            let form = asks.form(actor, (media_type, id(tmdb)), None, &none).await;
            form.expect("form").four_k
        }
    };
    assert!(offered(&services, &trusted, MediaType::Movie, 19).await);
    assert!(offered(&services, &admin, MediaType::Movie, 19).await);
    assert!(!offered(&services, &member_actor, MediaType::Movie, 19).await);
    assert!(
        !offered(&services, &trusted, MediaType::Tv, 1396).await,
        "no 4K Sonarr"
    );
    assert!(
        !offered(&plain, &trusted, MediaType::Movie, 19).await,
        "no 4K Radarr"
    );

    let movie_4k = Ask {
        on_behalf: None,
        media_type: MediaType::Movie,
        tmdb: id(19),
        seasons: SeasonChoice::All,
        four_k: true,
    };
    let before = count(&db, "requests").await;
    let audit_before = count(&db, "audit_log").await;
    assert!(matches!(
        services.asks.ask(&member_actor, movie_4k.clone()).await,
        Err(CoreError::Forbidden(_))
    ));
    let for_member = Ask {
        on_behalf: Some(member.id),
        ..movie_4k.clone()
    };
    assert!(
        matches!(
            services.asks.ask(&admin, for_member).await,
            Err(CoreError::Forbidden(_))
        ),
        "the member asked for must hold the 4K permission"
    );
    assert!(matches!(
        plain.asks.ask(&trusted, movie_4k.clone()).await,
        Err(CoreError::Validation(_))
    ));
    let show_4k = Ask {
        media_type: MediaType::Tv,
        tmdb: id(1396),
        seasons: SeasonChoice::These(crate::domain::Seasons::new([1])),
        ..movie_4k.clone()
    };
    assert!(matches!(
        services.asks.ask(&trusted, show_4k).await,
        Err(CoreError::Validation(_))
    ));
    assert_eq!(count(&db, "requests").await, before, "nothing written");
    assert_eq!(count(&db, "audit_log").await, audit_before);

    let made = services.asks.ask(&trusted, movie_4k).await.expect("4K ask");
    assert!(made.request.four_k, "the chats' call made a 4K request");
});
