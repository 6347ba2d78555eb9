//! The page handlers over HTTP with real sessions: who may reach what (403 before anything is
//! read), that decisions go through core and come back with a notice, and that refusals are
//! localized pages with the right status.

use usher_core::config::LoadOptions;
use usher_core::domain::Actor;
use usher_core::domain::{Media, MediaType, RequestId, RequestStatus, Source, TmdbId};
use usher_core::service::NewRequest;

use crate::console::test_app::{Browser, TestApp};

/// The shared test console, answering in the shapes these tests read.
struct App(TestApp);

type Person = Browser;

async fn app() -> App {
    App(TestApp::start(LoadOptions::default()).await)
}

impl std::ops::Deref for App {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

impl App {
    /// A Telegram user with a role and a signed-in console session (cookies for it and CSRF).
    async fn person(&self, telegram_id: u64, role: &'static str) -> Person {
        let id = telegram_id.to_string();
        self.0
            .sign_in(&id, &format!("user{telegram_id}"), role)
            .await
    }

    async fn get(&self, who: &Person, path: &str) -> (u16, String) {
        let answer = self.0.get(who, path).await;
        (answer.status, answer.body)
    }

    /// A form post with the CSRF token; returns the status and the redirect target (the body
    /// when there is none).
    async fn post(&self, who: &Person, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let answer = self.0.post(who, path, fields).await;
        (answer.status, answer.location.unwrap_or(answer.body))
    }

    async fn request_by(&self, who: &Person, tmdb: i64) -> RequestId {
        let actor = Actor::user(who.user.id, Source::Telegram { user: "1".into() });
        let new = NewRequest {
            media: Media {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
                tvdb_id: None,
                title: format!("Film {tmdb}"),
                year: Some(2020),
            },
            seasons: Default::default(),
            future_seasons: false,
            four_k: false,
        };
        self.services
            .requests
            .create(&actor, new)
            .await
            .expect("create")
            .request
            .id
    }

    async fn status_of(&self, id: RequestId) -> RequestStatus {
        let system = Actor::system();
        self.services
            .requests
            .get(&system, id)
            .await
            .expect("get")
            .status
    }
}

#[tokio::test]
async fn a_member_reaches_no_approver_or_admin_page_and_learns_nothing() {
    let app = app().await;
    let member = app.person(100, "member").await;
    let own = app.request_by(&member, 501).await;
    for path in [
        "/requests",
        &format!("/requests/{own}"),
        "/requests/999999",
        "/users",
        "/users/1",
        "/roles",
    ] {
        let (status, body) = app.get(&member, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(
            body.contains("You don&#39;t have access to this page."),
            "{path}: {body}"
        );
        assert!(!body.contains("Film 501"));
    }
    for (path, fields) in [
        (format!("/requests/{own}/approve"), vec![]),
        (format!("/requests/{own}/decline"), vec![("reason", "no")]),
        (format!("/requests/{own}/retry"), vec![]),
        (
            "/users/1/roles".to_owned(),
            vec![("role", "admin"), ("action", "grant")],
        ),
        ("/users/1/disabled".to_owned(), vec![("disabled", "true")]),
        (
            "/roles/member/quota".to_owned(),
            vec![("scope", "movie"), ("action", "clear")],
        ),
    ] {
        let (status, _) = app.post(&member, &path, &fields).await;
        assert_eq!(status, 403, "{path}");
    }
    assert_eq!(
        app.status_of(own).await,
        RequestStatus::Pending,
        "nothing changed"
    );
    let (status, body) = app.get(&member, "/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Your requests."), "{body}");

    let approver = app.person(101, "approver").await;
    assert_eq!(
        app.get(&approver, "/users").await.0,
        403,
        "approvers do not manage users"
    );
    assert_eq!(app.get(&approver, "/requests/999999").await.0, 404);
}

#[tokio::test]
async fn an_approver_decides_from_the_pages() {
    let app = app().await;
    let member = app.person(110, "member").await;
    let approver = app.person(111, "approver").await;
    let first = app.request_by(&member, 601).await;
    let second = app.request_by(&member, 602).await;

    let (status, body) = app.get(&approver, "/requests?status=pending").await;
    assert_eq!(status, 200);
    assert!(body.contains("Film 601") && body.contains("Film 602"));
    assert!(body.contains(&format!("action=\"/requests/{first}/approve\"")));

    let next = "/requests?status=pending";
    let (status, location) = app
        .post(
            &approver,
            &format!("/requests/{first}/approve"),
            &[("next", next)],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/requests?status=pending&notice=approved")
    );
    assert_eq!(app.status_of(first).await, RequestStatus::Approved);
    let (_, body) = app.get(&approver, &location).await;
    assert!(
        body.contains("Approved.") && !body.contains("Film 601"),
        "{body}"
    );

    let (status, location) = app
        .post(
            &approver,
            &format!("/requests/{second}/decline"),
            &[
                ("preset", "unreleased"),
                ("reason", "maybe in May"),
                ("next", "https://evil.example"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/?notice=declined"));
    let detail = app
        .services
        .requests
        .detail(&Actor::system(), second)
        .await
        .expect("detail");
    assert_eq!(
        detail.request.decline_reason.as_deref(),
        Some("Not released yet: maybe in May")
    );

    // Deciding again is a localized conflict page, not a 500.
    let (status, body) = app
        .post(&approver, &format!("/requests/{first}/approve"), &[])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("Already approved by #"), "{body}");
    let (status, body) = app
        .post(&approver, &format!("/requests/{second}/decline"), &[])
        .await;
    assert_eq!(status, 422, "{body}");

    let (status, body) = app.get(&approver, &format!("/requests/{second}")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Declined: Not released yet: maybe in May"),
        "{body}"
    );
    assert!(body.contains("user111"), "the decider in the trail");

    let (status, body) = app.get(&approver, "/requests?page=garbage").await;
    assert_eq!(status, 422);
    assert!(body.contains("That doesn&#39;t look right"), "{body}");
}

#[tokio::test]
async fn the_detail_page_approves_to_a_chosen_profile_and_folder() {
    let app = app().await;
    let member = app.person(130, "member").await;
    let approver = app.person(131, "approver").await;
    let id = app.request_by(&member, 603).await;

    // The list offers the plain approval; the detail page would ask where it should go, but
    // with no Radarr configured it says the lists could not be loaded.
    let (_, list) = app.get(&approver, "/requests?status=pending").await;
    assert!(!list.contains("name=\"quality_profile\""), "{list}");
    let (_, page) = app.get(&approver, &format!("/requests/{id}")).await;
    assert!(!page.contains("name=\"quality_profile\""), "{page}");
    assert!(page.contains("no movie instance is configured"), "{page}");

    // A profile no *arr app could have is refused and changes nothing.
    let (status, _) = app
        .post(
            &approver,
            &format!("/requests/{id}/approve"),
            &[("quality_profile", &"x".repeat(300))],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.status_of(id).await, RequestStatus::Pending);

    let (status, _) = app
        .post(
            &approver,
            &format!("/requests/{id}/approve"),
            &[
                ("quality_profile", " Ultra-HD "),
                ("root_folder", "/movies-4k"),
                ("instance", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let detail = app
        .services
        .requests
        .detail(&Actor::system(), id)
        .await
        .expect("detail");
    assert_eq!(detail.request.target_profile.as_deref(), Some("Ultra-HD"));
    assert_eq!(
        detail.request.target_root_folder.as_deref(),
        Some("/movies-4k")
    );
    assert_eq!(detail.request.target_instance, None);
    let (_, page) = app.get(&approver, &format!("/requests/{id}")).await;
    assert!(
        page.contains("Quality profile (chosen)") && page.contains("/movies-4k"),
        "{page}"
    );
}

#[tokio::test]
async fn an_admin_manages_roles_quotas_and_accounts_but_keeps_an_admin() {
    let app = app().await;
    let admin = app.person(120, "admin").await;
    let member = app.person(121, "member").await;
    let id = member.user.id;

    let (status, body) = app.get(&admin, "/users?q=user121").await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("href=\"/users/{id}\"")), "{body}");

    let (status, location) = app
        .post(
            &admin,
            &format!("/users/{id}/roles"),
            &[("role", "approver"), ("action", "grant")],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/users/{id}?notice=roles"))
    );
    let (status, _) = app.get(&member, "/requests").await;
    assert_eq!(
        status, 303,
        "the role change ended the member's session: sign in again"
    );

    let (status, _) = app
        .post(
            &admin,
            &format!("/users/{id}/quota"),
            &[
                ("scope", "tv"),
                ("max", "4"),
                ("days", "30"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, body) = app.get(&admin, &format!("/users/{id}")).await;
    assert!(body.contains("4 per 30 days"), "{body}");
    let (status, _) = app
        .post(
            &admin,
            &format!("/users/{id}/quota"),
            &[("scope", "tv"), ("max", "x"), ("action", "save")],
        )
        .await;
    assert_eq!(status, 422);

    let (status, location) = app
        .post(
            &admin,
            &format!("/users/{id}/disabled"),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/users/{id}?notice=disabled"))
    );
    assert!(app.services.users.get(id).await.expect("user").0.disabled);

    let (status, body) = app
        .post(
            &admin,
            &format!("/users/{}/roles", admin.user.id),
            &[("role", "admin"), ("action", "revoke")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(
        body.contains("That would leave no administrator."),
        "{body}"
    );
    let (status, _) = app
        .post(
            &admin,
            &format!("/users/{}/disabled", admin.user.id),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(status, 409);

    let (status, _) = app
        .post(
            &admin,
            "/roles/member/quota",
            &[
                ("scope", "movie"),
                ("max", "2"),
                ("days", "7"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, body) = app.get(&admin, "/roles").await;
    assert!(body.contains("2 per 7 days"), "{body}");
    let (status, _) = app.get(&admin, "/users/987654").await;
    assert_eq!(status, 404);
}
