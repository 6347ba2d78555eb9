//! Issue 18's console over HTTP with real sessions: bulk decisions from the request list (one
//! POST, a confirmation for decline, refusals reported), the list's search, sort and pages, the
//! user list's role filter, the image proxy, asking for a title (for yourself or a member) and
//! the dashboard's pending list.

use usher_core::config::LoadOptions;
use usher_core::domain::{Actor, RequestStatus};
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::tmdb::{TmdbClient, TmdbConfig};
use usher_testkit::server::FakeServer;

use crate::console::test_app::TestApp;

const POSTER: &str = "vZIJxGnjcswPCAa52jhbl01FQkV.jpg";

pub(super) fn tmdb(fake: &FakeServer) -> TmdbClient {
    let key = secrecy::SecretString::from(usher_testkit::tmdb::API_KEY.to_owned());
    let mut config = TmdbConfig::new(&fake.url, key);
    config.image_base_url = format!("{}/t/p", fake.url);
    let http = HttpSettings::with_timeout(std::time::Duration::from_secs(5));
    TmdbClient::new(config, &http).expect("tmdb")
}

async fn status_of(app: &TestApp, id: usher_core::domain::RequestId) -> RequestStatus {
    let request = app.services.requests.get(&Actor::system(), id).await;
    request.expect("get").status
}

#[tokio::test]
async fn bulk_decisions_go_through_one_post_and_report_what_was_not_decided() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("120", "Mia", "member").await;
    let approver = app.sign_in("121", "Abe", "approver").await;
    let a = app.request_movie(&member, 701, "Alpha").await.id;
    let b = app.request_movie(&member, 702, "Beta").await.id;
    let c = app.request_movie(&member, 703, "Gamma").await.id;
    app.services
        .requests
        .decline(&approver_actor(&approver), c, "gone")
        .await
        .expect("decline one");

    let list = app.get(&approver, "/requests").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body.matches("form=\"bulk\" name=\"id\"").count(), 2);

    let (a_s, b_s, c_s) = (a.to_string(), b.to_string(), c.to_string());
    let next = "/requests?sort=title";
    let done = app
        .post(
            &approver,
            "/requests/bulk",
            &[
                ("id", &a_s),
                ("id", &b_s),
                ("id", &c_s),
                ("decision", "approve"),
                ("next", next),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    let location = done.location.expect("redirect");
    assert_eq!(
        location,
        format!("/requests?sort=title&decided=2&refused={c}-decided")
    );
    assert_eq!(status_of(&app, a).await, RequestStatus::Approved);
    assert_eq!(status_of(&app, b).await, RequestStatus::Approved);
    let report = app.get(&approver, &location).await;
    assert!(
        report.body.contains("Requests decided: 2."),
        "{}",
        report.body
    );
    assert!(
        report
            .body
            .contains(&format!("href=\"/requests/{c}\">#{c}</a>: already decided"))
    );

    // Decline asks first: the POST without `confirmed` only leads to the confirm page.
    let d = app.request_movie(&member, 704, "Delta").await.id;
    let d_s = d.to_string();
    let ask = app
        .post(
            &approver,
            "/requests/bulk",
            &[("id", &d_s), ("decision", "decline"), ("preset", "policy")],
        )
        .await;
    assert_eq!(ask.status, 303);
    let confirm = ask.location.expect("confirm");
    assert!(
        confirm.starts_with("/confirm?do=%2Frequests%2Fbulk&"),
        "{confirm}"
    );
    assert!(
        !confirm.contains("_csrf"),
        "the token never goes into a URL"
    );
    assert_eq!(
        status_of(&app, d).await,
        RequestStatus::Pending,
        "nothing yet"
    );
    let page = app.get(&approver, &confirm).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Decline every ticked request?"),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"confirmed\" value=\"1\""));
    let declined = app
        .post(
            &approver,
            "/requests/bulk",
            &[
                ("id", &d_s),
                ("decision", "decline"),
                ("preset", "policy"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(declined.location.as_deref(), Some("/requests?decided=1"));
    assert_eq!(status_of(&app, d).await, RequestStatus::Declined);

    // Nothing ticked, or a decline without a reason: said on the list, nothing decided.
    let none = app
        .post(&approver, "/requests/bulk", &[("decision", "approve")])
        .await;
    assert_eq!(none.location.as_deref(), Some("/requests?bulk_error=none"));
    let shown = app.get(&approver, "/requests?bulk_error=none").await;
    assert!(shown.body.contains("Tick at least one request first."));
    let e = app.request_movie(&member, 705, "Epsilon").await.id;
    let e_s = e.to_string();
    let no_reason = app
        .post(
            &approver,
            "/requests/bulk",
            &[("id", &e_s), ("decision", "decline"), ("confirmed", "1")],
        )
        .await;
    assert_eq!(
        no_reason.location.as_deref(),
        Some("/requests?bulk_error=reason")
    );
    assert_eq!(status_of(&app, e).await, RequestStatus::Pending);

    // A member may not, whatever they post.
    let refused = app
        .post(
            &member,
            "/requests/bulk",
            &[("id", &e_s), ("decision", "approve")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(status_of(&app, e).await, RequestStatus::Pending);
}

fn approver_actor(who: &crate::console::test_app::Browser) -> Actor {
    Actor::user(who.user.id, usher_core::domain::Source::Web { ip: None })
}

#[tokio::test]
async fn the_list_searches_sorts_and_pages_and_users_filter_by_role() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("130", "Mo", "member").await;
    let admin = app.sign_in("131", "Ada", "admin").await;
    for (i, title) in ["Zulu", "alpha", "Mike"].iter().enumerate() {
        app.request_movie(&member, 800 + i as i64, title).await;
    }
    let sorted = app.get(&admin, "/requests?sort=title").await;
    let at = |name: &str| sorted.body.find(name).expect(name);
    assert!(at("alpha (1999)") < at("Mike (1999)") && at("Mike (1999)") < at("Zulu (1999)"));
    assert!(
        sorted.body.contains("Page 1 of 1 · requests: 3"),
        "{}",
        sorted.body
    );
    let found = app.get(&admin, "/requests?q=ik").await;
    assert!(found.body.contains("Mike (1999)") && !found.body.contains("Zulu (1999)"));
    assert!(found.body.contains("Any status (1)"));
    assert_eq!(app.get(&admin, "/requests?sort=random").await.status, 422);
    assert_eq!(app.get(&admin, "/requests?page=0").await.status, 422);

    let approver = app.sign_in("132", "Abe", "approver").await;
    let users = app.get(&admin, "/users?role=approver").await;
    assert_eq!(users.status, 200);
    assert!(
        users
            .body
            .contains(&format!("id=\"user-{}\"", approver.user.id))
    );
    assert!(
        !users
            .body
            .contains(&format!("id=\"user-{}\"", member.user.id))
    );
    assert!(
        users
            .body
            .contains("<option value=\"approver\" selected>approver</option>")
    );
    assert_eq!(app.get(&admin, "/users?role=wizard").await.status, 422);
}

#[tokio::test]
async fn posters_come_through_the_proxy_only_as_tmdb_names_them() {
    let fake = usher_testkit::tmdb::start().await;
    let app = TestApp::start_with_tmdb(LoadOptions::default(), tmdb(&fake)).await;
    let member = app.sign_in("140", "Mo", "member").await;
    let image = app.get(&member, &format!("/img/tmdb/w92/{POSTER}")).await;
    assert_eq!(image.status, 200);
    assert_eq!(image.content_type.as_deref(), Some("image/png"));
    assert_eq!(
        image.cache_control.as_deref(),
        Some("private, max-age=604800, immutable")
    );
    app.get(&member, &format!("/img/tmdb/w92/{POSTER}")).await;
    assert_eq!(
        fake.received_at("GET", &format!("/t/p/w92/{POSTER}")).len(),
        1
    );
    for bad in [
        format!("/img/tmdb/w93/{POSTER}"),
        "/img/tmdb/w92/..%2F..%2F3%2Fmovie%2F19.jpg".to_owned(),
        "/img/tmdb/w92/a.svg".to_owned(),
        "/img/tmdb/w92/missing.jpg".to_owned(),
        "/img/poster/movie/9806/w92".to_owned(),
        "/img/poster/book/19/w92".to_owned(),
        "/img/poster/movie/19/huge".to_owned(),
    ] {
        assert_eq!(app.get(&member, &bad).await.status, 404, "{bad}");
    }
    assert_eq!(
        fake.received()
            .iter()
            .filter(|r| r.path.starts_with("/t/p/"))
            .count(),
        2,
        "only the real and the missing poster reached TMDB"
    );
    let poster = app.get(&member, "/img/poster/movie/19/w92").await;
    assert!(
        matches!(poster.status, 302 | 303 | 307),
        "{}",
        poster.status
    );
    assert_eq!(
        poster.location.as_deref(),
        Some(format!("/img/tmdb/w92/{POSTER}").as_str())
    );

    // The request page shows poster, year, overview and links; the list small posters.
    let approver = app.sign_in("141", "Abe", "approver").await;
    let made = app.request_movie(&member, 19, "Metropolis").await;
    let page = app.get(&approver, &format!("/requests/{}", made.id)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&format!("src=\"/img/tmdb/w342/{POSTER}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("In a futuristic city"));
    assert!(
        page.body
            .contains("href=\"https://www.themoviedb.org/movie/19\"")
    );
    assert!(
        page.body
            .contains("href=\"https://www.imdb.com/title/tt0017136/\"")
    );
    let list = app.get(&approver, "/requests").await;
    assert!(list.body.contains("src=\"/img/poster/movie/19/w92\""));
}

#[tokio::test]
async fn a_member_asks_for_a_show_and_an_admin_for_a_member() {
    let fake = usher_testkit::tmdb::start().await;
    let app = TestApp::start_with_tmdb(LoadOptions::default(), tmdb(&fake)).await;
    let member = app.sign_in("150", "Mo", "member").await;
    let admin = app.sign_in("151", "Ada", "admin").await;

    let search = app.get(&member, "/requests/new?q=breaking&type=tv").await;
    assert_eq!(search.status, 200);
    assert!(
        search.body.contains("href=\"/requests/new/tv/1396\""),
        "{}",
        search.body
    );
    assert!(search.body.contains("Breaking Bad (2008)"));
    let form = app.get(&member, "/requests/new/tv/1396").await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.body.matches("name=\"season\"").count(),
        5,
        "specials left out"
    );
    assert!(
        !form.body.contains("name=\"member\""),
        "members ask for themselves"
    );

    let none = app.post(&member, "/requests/new/tv/1396", &[]).await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("id=\"seasons-error\""), "{}", none.body);
    let asked = app
        .post(
            &member,
            "/requests/new/tv/1396",
            &[("season", "1"), ("season", "2")],
        )
        .await;
    assert_eq!(asked.status, 303);
    assert_eq!(
        asked.location.as_deref(),
        Some("/requests/new?notice=requested")
    );
    let mine = app
        .services
        .mine(&approver_actor(&member), 10)
        .await
        .expect("mine");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].request.seasons.to_csv(), "1,2");

    let form = app.get(&admin, "/requests/new/movie/19").await;
    assert!(
        form.body.contains(&format!(
            "<option value=\"{}\">Mo (#{})</option>",
            member.user.id, member.user.id
        )),
        "{}",
        form.body
    );
    let member_id = member.user.id.to_string();
    let for_member = app
        .post(&admin, "/requests/new/movie/19", &[("member", &member_id)])
        .await;
    assert_eq!(for_member.status, 303);
    let location = for_member.location.expect("to the request");
    assert!(location.ends_with("?notice=requested"), "{location}");
    let mine = app
        .services
        .mine(&approver_actor(&member), 10)
        .await
        .expect("mine");
    assert_eq!(mine.len(), 2, "the request is the member's");
    let page = app.get(&admin, &location).await;
    assert!(page.body.contains("Asked for. It waits for an approver."));
    let bad = app
        .post(&admin, "/requests/new/movie/19", &[("member", "nobody")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"ask-member-error\""));
}

#[tokio::test]
async fn the_dashboard_lists_pending_approvals_first() {
    let app = TestApp::start(LoadOptions::default()).await;
    let member = app.sign_in("160", "Mo", "member").await;
    let approver = app.sign_in("161", "Abe", "approver").await;
    let made = app.request_movie(&member, 901, "Waiting Film").await;
    let page = app.get(&approver, "/").await;
    assert_eq!(page.status, 200);
    let pending = page
        .body
        .find("Waiting for approval")
        .expect("pending list");
    let chart = page.body.find("class=\"chart\"").expect("chart");
    assert!(pending < chart, "pending approvals come first");
    assert!(page.body.contains(&format!(
        "href=\"/requests/{}\">Waiting Film (1999)</a>",
        made.id
    )));
    assert!(page.body.contains("Requests by status"));
    assert!(page.body.contains("Recent activity"));
    let own = app.get(&member, "/").await;
    assert!(!own.body.contains("Waiting for approval"));
}
