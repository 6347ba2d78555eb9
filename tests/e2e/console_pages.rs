//! The console's request and user pages through the binary, with sessions made the way the
//! server makes them: an admin approves a pending request from the list (with the page's CSRF
//! token) and the request moves on with an audit row; a member gets 403 on the pages and on the
//! action; keyset pages cover every row once; filters narrow the list.

use std::collections::BTreeSet;
use std::path::Path;

use usher_core::domain::{
    Actor, Media, MediaType, Platform, RequestId, RequestStatus, Seasons, Source, TmdbId, User,
};
use usher_core::service::{NewRequest, Registration, Services};
use usher_core::store::{ConnectOptions, Db, audit};

use crate::support::console_browser::{Browser, SECRET_KEY, form_token, next_link, request_rows};
use crate::support::{Server, temp_dir};

async fn database(dir: &Path) -> Services {
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("open the server's database");
    Services::new(db)
}

async fn user(services: &Services, telegram_id: &str, role: &'static str) -> User {
    services
        .users
        .resolve(
            Platform::Telegram,
            telegram_id,
            &format!("tg{telegram_id}"),
            Registration::AutoRegister(role),
        )
        .await
        .expect("user")
}

async fn ask(services: &Services, who: &User, media_type: MediaType, tmdb: i64) -> RequestId {
    let actor = Actor::user(
        who.id,
        Source::Telegram {
            user: who.id.to_string(),
        },
    );
    let tv = media_type == MediaType::Tv;
    let new = NewRequest {
        media: Media {
            media_type,
            tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
            tvdb_id: None,
            title: format!("Title {tmdb}"),
            year: Some(2020),
        },
        seasons: if tv {
            Seasons::new([1])
        } else {
            Seasons::default()
        },
        future_seasons: false,
        four_k: false,
    };
    services
        .requests
        .create(&actor, new)
        .await
        .expect("create")
        .request
        .id
}

/// Every row id of a filtered list, following the next-page links.
async fn all_rows(browser: &mut Browser, first: &str) -> (Vec<i64>, usize) {
    let mut rows = Vec::new();
    let mut pages = 0;
    let mut link = Some(first.to_owned());
    while let Some(path) = link {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        rows.extend(request_rows(&page.body));
        pages += 1;
        link = next_link(&page.body);
    }
    (rows, pages)
}

#[tokio::test]
async fn approvers_work_the_request_list_and_members_are_kept_out() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[("USHER_SECRET_KEY", SECRET_KEY)]).await;
    let services = database(&dir).await;
    let admin = user(&services, "1", "admin").await;
    let alice = user(&services, "2", "member").await;
    let bob = user(&services, "3", "member").await;
    let mut movies = Vec::new();
    for i in 0..60 {
        movies.push(ask(&services, &alice, MediaType::Movie, 1000 + i).await);
    }
    let mut shows = Vec::new();
    for i in 0..15 {
        shows.push(ask(&services, &bob, MediaType::Tv, 5000 + i).await);
    }

    let mut admin_browser = Browser::sign_in(&server.base_url, &services, &admin).await;
    let (rows, pages) = all_rows(&mut admin_browser, "/requests?status=pending").await;
    assert_eq!(pages, 2, "75 rows at 50 a page");
    let unique: BTreeSet<i64> = rows.iter().copied().collect();
    assert_eq!((rows.len(), unique.len()), (75, 75), "every row once");
    assert!(
        rows.windows(2).all(|w| w[0] > w[1]),
        "newest first across pages"
    );

    let (tv_rows, _) = all_rows(&mut admin_browser, "/requests?type=tv").await;
    let expected: Vec<i64> = shows.iter().rev().map(|id| id.0).collect();
    assert_eq!(tv_rows, expected);
    let (alices, _) = all_rows(
        &mut admin_browser,
        &format!("/requests?requester={}", alice.id),
    )
    .await;
    assert_eq!(alices.len(), 60);
    let (from_web, _) = all_rows(&mut admin_browser, "/requests?source=web").await;
    assert!(from_web.is_empty());
    let today = usher_core::domain::Timestamp::now().to_rfc3339()[..10].to_owned();
    let (today_rows, _) = all_rows(
        &mut admin_browser,
        &format!("/requests?from={today}&to={today}&type=movie"),
    )
    .await;
    assert_eq!(today_rows.len(), 60);
    let (old_rows, _) = all_rows(&mut admin_browser, "/requests?to=2001-01-01").await;
    assert!(old_rows.is_empty());

    // Approve the newest movie from the filtered list, as the page's form does.
    let list = admin_browser
        .get("/requests?status=pending&type=movie")
        .await;
    let token = form_token(&list.body);
    let target = *movies.last().expect("movies");
    let next = "/requests?status=pending&type=movie";
    let done = admin_browser
        .post(
            &format!("/requests/{target}/approve"),
            &token,
            &[("next", next)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some("/requests?status=pending&type=movie&notice=approved")
    );
    let system = Actor::system();
    let approved = services.requests.get(&system, target).await.expect("get");
    assert_eq!(approved.status, RequestStatus::Approved);
    assert_eq!(approved.decided_by, Some(admin.id));
    let trail = audit::for_target(&services.db, &format!("request:{target}"), 10)
        .await
        .expect("audit");
    let row = trail
        .iter()
        .find(|e| e.action == "request_approved")
        .expect("an audit row for the approval");
    assert_eq!((row.actor, row.source.as_str()), (Some(admin.id), "web"));
    let after = admin_browser
        .get(done.location.as_deref().expect("location"))
        .await;
    assert!(after.body.contains("Approved."));
    assert!(!request_rows(&after.body).contains(&target.0));
    let detail = admin_browser.get(&format!("/requests/{target}")).await;
    assert_eq!(detail.status, 200);
    assert!(
        detail.body.contains("tg1"),
        "the approver in the trail: {}",
        detail.body
    );

    // A POST without the page's token is refused before anything happens.
    let forged = admin_browser
        .post(
            &format!("/requests/{}/approve", movies[0]),
            "not-the-token",
            &[],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        services
            .requests
            .get(&system, movies[0])
            .await
            .expect("get")
            .status,
        RequestStatus::Pending
    );

    // A member: 403 on every page and on the action, and the request does not move.
    let mut member = Browser::sign_in(&server.base_url, &services, &alice).await;
    let home = member.get("/").await;
    assert_eq!(home.status, 200);
    let token = form_token(&home.body);
    for path in [
        "/requests",
        &format!("/requests/{}", movies[1]),
        "/users",
        "/roles",
    ] {
        assert_eq!(member.get(path).await.status, 403, "{path}");
    }
    let refused = member
        .post(&format!("/requests/{}/approve", movies[1]), &token, &[])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        services
            .requests
            .get(&system, movies[1])
            .await
            .expect("get")
            .status,
        RequestStatus::Pending
    );

    // The admin's user pages list the members with their counts.
    let users = admin_browser.get("/users?q=tg2").await;
    assert_eq!(users.status, 200);
    assert!(
        users
            .body
            .contains(&format!("href=\"/requests?requester={}\">60<", alice.id)),
        "{}",
        users.body
    );
    assert!(server.stop().await.success());
}
