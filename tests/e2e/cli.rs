//! `usher check`, `usher migrate` and `usher admin setup-link`.

use crate::support::fake_http::FakeHttp;
use crate::support::{drop_database, postgres_database, temp_dir, usher};

async fn run(cmd: &mut tokio::process::Command) -> (i32, String, String) {
    let out = cmd.output().await.expect("run usher");
    let code = out.status.code().expect("exit code");
    (
        code,
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn bad_configuration_lists_every_problem_and_exits_1() {
    let (_keep, dir) = temp_dir();
    let (code, _, stderr) = run(usher(&dir)
        .arg("check")
        .env("USHER_LISTEN", "nope")
        .env("USHER_DATABASE_URL", "mysql://x")
        .env("USHER_RADARR_URL", "http://radarr:7878"))
    .await;
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("USHER_LISTEN"), "{stderr}");
    assert!(stderr.contains("USHER_DATABASE_URL"), "{stderr}");
    assert!(
        stderr.contains("USHER_RADARR_API_KEY"),
        "half-configured Radarr is named: {stderr}"
    );
}

#[tokio::test]
async fn unknown_variable_is_a_warning_not_an_error() {
    let (_keep, dir) = temp_dir();
    let (code, stdout, stderr) =
        run(usher(&dir).arg("check").env("USHER_RADAR_URL", "http://x")).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("USHER_RADAR_URL"), "{stderr}");
    assert!(stdout.contains("database: ok"));
}

#[tokio::test]
async fn check_exit_code_names_the_failed_service() {
    let (_keep, dir) = temp_dir();
    let radarr = FakeHttp::start(200, r#"{"appName":"Radarr","version":"5.26.2.10099"}"#).await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_RADARR_URL", &radarr.url)
        .env("USHER_RADARR_API_KEY", "k3y-radarr")
        .env("USHER_SONARR_URL", "http://127.0.0.1:1")
        .env("USHER_SONARR_API_KEY", "k3y-sonarr"))
    .await;
    assert!(stdout.contains("Radarr: ok (5.26.2.10099)"), "{stdout}");
    assert!(stdout.contains("Sonarr: FAILED"), "{stdout}");
    assert_eq!(code, 5, "Sonarr's code: {stdout}");
    let seen = radarr.seen.lock().expect("log").clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "GET /api/v3/system/status HTTP/1.1");
    assert!(
        seen[0]
            .headers
            .contains(&("x-api-key".into(), "k3y-radarr".into())),
        "key in a header"
    );
    assert!(!stdout.contains("k3y"), "no secret printed");

    let refused = FakeHttp::start(401, r#"{"error":"Unauthorized"}"#).await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_RADARR_URL", &refused.url)
        .env("USHER_RADARR_API_KEY", "wrong"))
    .await;
    assert_eq!(code, 4, "{stdout}");
    assert!(
        stdout.contains("credentials refused (HTTP 401)"),
        "{stdout}"
    );

    // A login page where the API should be: named, with Jellyfin's exit code.
    let html = FakeHttp::start(200, "<html><body>Sign in</body></html>").await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_JELLYFIN_URL", &html.url)
        .env("USHER_JELLYFIN_API_KEY", "jf-key"))
    .await;
    assert_eq!(code, 6, "{stdout}");
    assert!(
        stdout.contains("Jellyfin: FAILED — answered, but not with JSON"),
        "{stdout}"
    );
    let seen = html.seen.lock().expect("log").clone();
    let auth = (
        "authorization".to_owned(),
        "MediaBrowser Token=\"jf-key\"".to_owned(),
    );
    assert!(
        seen[0].headers.contains(&auth),
        "Jellyfin's auth header: {seen:?}"
    );
}

#[tokio::test]
async fn unreachable_database_is_exit_2() {
    let (_keep, dir) = temp_dir();
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"))
    .await;
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("database: FAILED"));
}

#[tokio::test]
async fn migrate_and_setup_link_on_postgres() {
    let (_keep, dir) = temp_dir();
    let url = postgres_database().await;
    let (code, stdout, stderr) = run(usher(&dir).args(["migrate", "--database-url", &url])).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("database is up to date"));
    assert!(!stdout.contains("password"), "URL printed without secrets");
    let (code, stdout, stderr) =
        run(usher(&dir).args(["admin", "setup-link", "--database-url", &url])).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("http://localhost:8080/setup/"), "{stdout}");
    // Running migrate again is a no-op.
    let (code, _, stderr) = run(usher(&dir).args(["migrate", "--database-url", &url])).await;
    assert_eq!(code, 0, "{stderr}");
    drop_database(&url).await;
}
