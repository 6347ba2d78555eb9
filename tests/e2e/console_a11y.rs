//! Every console page through the binary in a real browser (tests/browser/console.mjs):
//! Debian's headless Chromium at 390 px and 1280 px, light and dark, axe-core on each page (no
//! serious or critical violation), no sideways scroll on a phone, visible keyboard focus, and the
//! decline confirmation dialog (cancel does nothing, confirm declines), and an approval with a
//! quality profile picked from the fake Radarr's list, which reaches Radarr's add. TMDB is the
//! testkit's fake, so posters come through the console's image proxy. The admin's session is
//! made the way the server makes one and handed to the browser as its cookie. Prints each
//! page's server time. A browser that cannot be started fails the test.

use std::time::Duration;

use secrecy::SecretString;
use usher_core::crypto::MasterKeys;
use usher_core::domain::{
    Actor, IssueKind, Media, MediaType, Platform, RequestId, RequestStatus, Source, TmdbId, User,
};
use usher_core::service::sessions::ClientInfo;
use usher_core::service::{NewIssue, NewRequest, Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_web::console::session_cookie::SessionCodec;

use crate::support::console_browser::SECRET_KEY;
use crate::support::{Server, node_browser, outbox_settles, temp_dir};
use usher_core::service::events::TOPIC_SUBMIT;
use usher_testkit::FakeRadarr;

/// The key the fake Radarr accepts.
const ARR_KEY: &str = "console-arr-key";
/// The fake Radarr's "Ultra-HD" profile, picked in the browser.
const PICKED_PROFILE: i64 = 5;

/// A port that was free a moment ago (the public URL must name the real port).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

async fn person(services: &Services, telegram_id: &str, name: &str, role: &'static str) -> User {
    services
        .users
        .resolve(
            Platform::Telegram,
            telegram_id,
            name,
            Registration::AutoRegister(role),
        )
        .await
        .expect("user")
}

fn movie(tmdb: i64, title: &str, year: u16) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
            tvdb_id: None,
            title: title.into(),
            year: Some(year),
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    }
}

/// What the pages show: a pending request (declined in the browser), a title in the library
/// with an open report on it, a member with a quota. Returns the pending request, the member
/// and the report's page.
async fn seed(services: &Services) -> (RequestId, User, String) {
    let member = person(services, "5300", "Mo Member", "member").await;
    let asker = Actor::user(
        member.id,
        Source::Telegram {
            user: "5300".into(),
        },
    );
    let pending = services
        .requests
        .create(&asker, movie(603, "The Matrix", 1999))
        .await
        .expect("pending request")
        .request
        .id;
    let held = services
        .requests
        .create(&asker, movie(438_631, "Dune", 2021))
        .await
        .expect("held request")
        .request
        .id;
    let system = Actor::system();
    services
        .requests
        .approve(&system, held)
        .await
        .expect("approve");
    services
        .requests
        .mark_available(&system, held, true)
        .await
        .expect("available");
    let issue = services
        .issues
        .report(
            &asker,
            NewIssue {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(438_631).expect("tmdb"),
                kind: IssueKind::Audio,
                text: "The sound is out of sync from minute 40 on.".into(),
            },
        )
        .await
        .expect("report");
    (pending, member, format!("/issues/{}", issue.id))
}

#[tokio::test]
async fn every_console_page_is_usable_on_phones_and_accessible_in_light_and_dark() {
    node_browser::require(&["playwright-core", "axe-core"]);
    let (_keep, dir) = temp_dir();
    // The browser's origin must be the public URL, or the CSRF guard refuses its posts.
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let public = format!("http://localhost:{port}");
    // Radarr offers the pick lists of the approve form, and receives the approval.
    let radarr = FakeRadarr::start(ARR_KEY).await;
    // TMDB's fake, so the pages show posters (through the console's image proxy) and the ask
    // pages can search.
    let tmdb = usher_testkit::tmdb::start().await;
    let images = format!("{}/t/p", tmdb.url);
    let server = Server::start(
        &dir,
        &[
            ("USHER_SECRET_KEY", SECRET_KEY),
            ("USHER_LISTEN", &listen),
            ("USHER_PUBLIC_URL", &public),
            ("USHER_RADARR_URL", radarr.url()),
            ("USHER_RADARR_API_KEY", ARR_KEY),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
            ("USHER_TMDB_API_URL", &tmdb.url),
            ("USHER_TMDB_IMAGE_URL", &images),
        ],
    )
    .await;
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("the server's database");
    let services = Services::new(db.clone());
    let admin = person(&services, "1", "Ada Admin", "admin").await;
    let (pending, member, issue_page) = seed(&services).await;
    let asker = Actor::user(
        member.id,
        Source::Telegram {
            user: "5300".into(),
        },
    );
    let to_approve = services
        .requests
        .create(&asker, movie(27_205, "Inception", 2010))
        .await
        .expect("a request to approve")
        .request
        .id;
    let session = services
        .sessions
        .start(admin.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");
    let keys = MasterKeys::from_secrets(&SecretString::from(SECRET_KEY), None).expect("keys");
    let cookie = SessionCodec::new(&keys.derive("console-session-jwt"), false).cookie(&session);

    let pages = [
        "/".to_owned(),
        "/requests".to_owned(),
        "/requests?q=a&sort=title&decided=1&refused=9-decided".to_owned(),
        format!("/requests/{pending}"),
        format!("/requests/{to_approve}"),
        "/requests/new".to_owned(),
        "/requests/new?q=metropolis".to_owned(),
        "/requests/new/tv/1396".to_owned(),
        "/requests/new/movie/438631".to_owned(),
        "/requests/new/tv/1396?kept=1&season=2&who=nobody-matches".to_owned(),
        format!("/confirm?do=/requests/bulk&decision=decline&id={pending}&preset=policy"),
        "/issues".to_owned(),
        issue_page,
        "/library".to_owned(),
        "/users".to_owned(),
        "/users?role=member".to_owned(),
        format!("/users/{}", member.id),
        "/roles".to_owned(),
        "/settings".to_owned(),
        "/settings/media-servers".to_owned(),
        "/audit".to_owned(),
        "/account".to_owned(),
        "/confirm?do=/account/sessions/end-all".to_owned(),
        "/notifications".to_owned(),
        "/confirm?do=/notifications/rotate&name=hass".to_owned(),
    ];
    let env = [
        ("USHER_URL", public.clone()),
        (
            "USHER_COOKIE",
            format!("{}={}", cookie.name(), cookie.value()),
        ),
        ("USHER_PAGES", serde_json::to_string(&pages).expect("json")),
        ("USHER_DECLINE_PAGE", format!("/requests/{pending}")),
        ("USHER_APPROVE_PAGE", format!("/requests/{to_approve}")),
        ("USHER_APPROVE_PROFILE", PICKED_PROFILE.to_string()),
    ];
    let limit = Duration::from_secs(300);
    let stdout = node_browser::run("console.mjs", &env, limit, "console: all pages passed").await;
    for line in stdout.lines().filter(|l| l.starts_with("timing: ")) {
        println!("{line}");
    }

    // The dialog's "confirm" really declined, from the web, with the reason typed.
    let request = services
        .requests
        .get(&Actor::system(), pending)
        .await
        .expect("request");
    assert_eq!(request.status, RequestStatus::Declined);
    assert!(
        request
            .decline_reason
            .as_deref()
            .is_some_and(|r| r.contains("Not this year")),
        "{:?}",
        request.decline_reason
    );
    // The approval picked in the browser reached Radarr with the picked profile.
    outbox_settles(&dir, &[TOPIC_SUBMIT]).await;
    let approved = services
        .requests
        .get(&Actor::system(), to_approve)
        .await
        .expect("approved request");
    assert_eq!(
        approved.target_profile.as_deref(),
        Some(PICKED_PROFILE.to_string().as_str())
    );
    let added = radarr
        .movie(27_205)
        .expect("Radarr holds the approved movie");
    assert_eq!(added["qualityProfileId"], PICKED_PROFILE, "{added}");
    db.close().await;
    server.stop().await;
}
