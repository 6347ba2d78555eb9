//! `usher check`, `usher migrate` and `usher admin setup-link`.

use crate::support::fake_http::FakeHttp;
use usher_testkit::{FakeJellyfin, FakePlex, FakeRadarr, FakeSonarr};

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
async fn a_bad_worker_count_is_named_and_a_good_one_runs() {
    let (_keep, dir) = temp_dir();
    for bad in ["0", "two", ""] {
        let (code, _, stderr) =
            run(usher(&dir).arg("check").env("TOKIO_WORKER_THREADS", bad)).await;
        assert_eq!(code, 1, "TOKIO_WORKER_THREADS={bad:?}: {stderr}");
        assert!(
            stderr.contains("TOKIO_WORKER_THREADS must be a whole number of at least 1"),
            "TOKIO_WORKER_THREADS={bad:?}: {stderr}"
        );
    }
    let (code, stdout, stderr) =
        run(usher(&dir).arg("check").env("TOKIO_WORKER_THREADS", "2")).await;
    assert_eq!(
        code, 0,
        "two workers run as one thread does: {stdout}{stderr}"
    );
    assert!(stdout.contains("database: ok"), "{stdout}");
}

#[tokio::test]
async fn check_exit_code_names_the_failed_service() {
    let (_keep, dir) = temp_dir();
    let radarr = FakeRadarr::start("k3y-radarr").await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_RADARR_URL", radarr.url())
        .env("USHER_RADARR_API_KEY", "k3y-radarr")
        .env("USHER_SONARR_URL", "http://127.0.0.1:1")
        .env("USHER_SONARR_API_KEY", "k3y-sonarr"))
    .await;
    assert!(stdout.contains("Radarr: ok (5.26.2.10099)"), "{stdout}");
    assert!(
        stdout.contains("Sonarr: FAILED — Sonarr at http://127.0.0.1:1: not reachable"),
        "{stdout}"
    );
    assert_eq!(code, 5, "Sonarr's code: {stdout}");
    let seen = radarr.server.received();
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|r| r.header("x-api-key") == Some("k3y-radarr") && r.query.is_empty()),
        "key in a header: {seen:?}"
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
        stdout.contains(&format!(
            "Radarr: FAILED — USHER_RADARR_API_KEY is not accepted by Radarr at {}: copy the key \
             from Radarr → Settings → General",
            refused.url
        )),
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
    assert_eq!(seen[0].request_line, "GET /System/Info HTTP/1.1");
    let auth = (
        "authorization".to_owned(),
        "MediaBrowser Token=\"jf-key\"".to_owned(),
    );
    assert!(
        seen[0].headers.contains(&auth),
        "Jellyfin's auth header: {seen:?}"
    );
}

/// Creates a tag in a fake Radarr/Sonarr, as an operator would in its UI.
async fn create_tag(url: &str, key: &str, label: &str) {
    let status = reqwest::Client::new()
        .post(format!("{url}/api/v3/tag"))
        .header("X-Api-Key", key)
        .json(&serde_json::json!({ "label": label }))
        .send()
        .await
        .expect("create tag")
        .status();
    assert!(status.is_success(), "{status}");
}

#[tokio::test]
async fn check_shows_what_each_instance_offers_and_uses_and_the_media_libraries() {
    let (_keep, dir) = temp_dir();
    let radarr = FakeRadarr::start("radarr-key").await;
    create_tag(radarr.url(), "radarr-key", "family").await;
    let radarr_4k = FakeRadarr::start("radarr-4k-key").await;
    let sonarr = FakeSonarr::start("sonarr-key").await;
    let jellyfin = FakeJellyfin::start("jf-key").await;
    let plex = FakePlex::start("plex-token").await;
    let (code, stdout, stderr) = run(usher(&dir)
        .arg("check")
        .env("USHER_RADARR_URL", radarr.url())
        .env("USHER_RADARR_API_KEY", "radarr-key")
        .env("USHER_RADARR_QUALITY_PROFILE", "hd-1080p")
        .env("USHER_RADARR_TAGS", "family,usher")
        .env("USHER_RADARR_4K_URL", radarr_4k.url())
        .env("USHER_RADARR_4K_API_KEY", "radarr-4k-key")
        .env("USHER_RADARR_4K_QUALITY_PROFILE", "5")
        .env("USHER_RADARR_4K_ROOT_FOLDER", "/movies/")
        .env("USHER_SONARR_URL", sonarr.url())
        .env("USHER_SONARR_API_KEY", "sonarr-key")
        .env("USHER_JELLYFIN_URL", jellyfin.url())
        .env("USHER_JELLYFIN_API_KEY", "jf-key")
        .env("USHER_PLEX_URL", plex.url())
        .env("USHER_PLEX_TOKEN", "plex-token"))
    .await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = [
        "Radarr: ok (5.26.2.10099)",
        "  quality profiles: Any, HD-1080p, Ultra-HD — using HD-1080p \
         (USHER_RADARR_QUALITY_PROFILE)",
        "  root folders: /movies (3.6 TiB free) — using /movies \
         (the first; USHER_RADARR_ROOT_FOLDER is not set)",
        "  tags: family — every movie added gets family, usher (USHER_RADARR_TAGS) and \
         usher-<requester>; usher created on the first add",
        "  tags: none yet — every series added gets usher-<requester>",
        "Radarr: ok (radarr-4k, 5.26.2.10099)",
        "  quality profiles: Any, HD-1080p, Ultra-HD — using Ultra-HD \
         (USHER_RADARR_4K_QUALITY_PROFILE)",
        "  root folders: /movies (3.6 TiB free) — using /movies (USHER_RADARR_4K_ROOT_FOLDER)",
        "Sonarr: ok (4.0.14.2939)",
        "  root folders: /tv (3.6 TiB free) — using /tv \
         (the first; USHER_SONARR_ROOT_FOLDER is not set)",
        "Jellyfin: ok (10.11.11)",
        "  libraries: Movies (movies), Shows (tvshows)",
        "Plex: ok (1.41.3.9314)",
        "  libraries: Movies (movie), TV Shows (show)",
    ];
    for line in expected {
        assert!(lines.contains(&line), "missing {line:?} in:\n{stdout}");
    }
    let at = |needle: &str| lines.iter().position(|l| *l == needle).expect(needle);
    assert!(
        at("Radarr: ok (5.26.2.10099)") < at("Radarr: ok (radarr-4k, 5.26.2.10099)")
            && at("Radarr: ok (radarr-4k, 5.26.2.10099)") < at("Sonarr: ok (4.0.14.2939)")
            && at("Sonarr: ok (4.0.14.2939)") < at("Jellyfin: ok (10.11.11)"),
        "in exit-code order: {stdout}"
    );
    assert!(
        !stdout.contains("-key") && !stdout.contains("plex-token"),
        "no secret printed"
    );
}

#[tokio::test]
async fn check_names_a_configured_profile_or_folder_that_does_not_exist() {
    let (_keep, dir) = temp_dir();
    let radarr = FakeRadarr::start("radarr-key").await;
    let anime = FakeSonarr::start("anime-key").await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_RADARR_URL", radarr.url())
        .env("USHER_RADARR_API_KEY", "radarr-key")
        .env("USHER_RADARR_QUALITY_PROFILE", "8K")
        .env("USHER_SONARR_ANIME_URL", anime.url())
        .env("USHER_SONARR_ANIME_API_KEY", "anime-key")
        .env("USHER_SONARR_ANIME_ROOT_FOLDER", "/anime"))
    .await;
    assert_eq!(code, 4, "Radarr's code, the first failing one: {stdout}");
    let radarr_line = format!(
        "Radarr: FAILED — USHER_RADARR_QUALITY_PROFILE is \"8K\", which Radarr at {} does not \
         have; choose one of: Any, HD-1080p, Ultra-HD",
        radarr.url()
    );
    assert!(stdout.lines().any(|l| l == radarr_line), "{stdout}");
    let anime_line = format!(
        "Sonarr: FAILED — USHER_SONARR_ANIME_ROOT_FOLDER is \"/anime\", which Sonarr \
         (sonarr-anime) at {} does not have; choose one of: /tv",
        anime.url()
    );
    assert!(stdout.lines().any(|l| l == anime_line), "{stdout}");
    // What exists is still listed under the failure.
    assert!(
        stdout.contains("  quality profiles: Any, HD-1080p, Ultra-HD\n"),
        "{stdout}"
    );

    // Only the anime instance is wrong: Sonarr's code.
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_SONARR_ANIME_URL", anime.url())
        .env("USHER_SONARR_ANIME_API_KEY", "anime-key")
        .env("USHER_SONARR_ANIME_ROOT_FOLDER", "/anime"))
    .await;
    assert_eq!(code, 5, "{stdout}");
}

#[tokio::test]
async fn check_names_the_setting_and_the_fix_for_refused_media_server_keys() {
    let (_keep, dir) = temp_dir();
    let jellyfin = FakeJellyfin::start("jf-key").await;
    let plex = FakePlex::start("plex-token").await;
    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_JELLYFIN_URL", jellyfin.url())
        .env("USHER_JELLYFIN_API_KEY", "wrong")
        .env("USHER_PLEX_URL", plex.url())
        .env("USHER_PLEX_TOKEN", "wrong"))
    .await;
    assert_eq!(code, 6, "Jellyfin's code: {stdout}");
    let jellyfin_line = format!(
        "Jellyfin: FAILED — USHER_JELLYFIN_API_KEY is not accepted by Jellyfin at {} (HTTP 401): \
         create a key in Jellyfin → Dashboard → API Keys (Emby: Settings → API Keys)",
        jellyfin.url()
    );
    assert!(stdout.lines().any(|l| l == jellyfin_line), "{stdout}");
    // Plex answers /identity without a token; the library listing is what refuses it.
    let plex_line = format!(
        "Plex: FAILED — USHER_PLEX_TOKEN is not accepted by Plex at {} (HTTP 401): use the \
         X-Plex-Token of the server owner's account",
        plex.url()
    );
    assert!(stdout.contains(&plex_line), "{stdout}");
    assert!(!stdout.contains("libraries:"), "{stdout}");

    let (code, stdout, _) = run(usher(&dir)
        .arg("check")
        .env("USHER_PLEX_URL", plex.url())
        .env("USHER_PLEX_TOKEN", "wrong"))
    .await;
    assert_eq!(code, 7, "Plex's code: {stdout}");
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

/// `usher library sync` against a Jellyfin with `key`, then `usher check` with the right key.
async fn sync_then_check(
    dir: &std::path::Path,
    jellyfin: &FakeJellyfin,
    key: &str,
) -> (i32, String) {
    let jf = |cmd: &mut tokio::process::Command, key: &str| {
        cmd.env("USHER_JELLYFIN_URL", jellyfin.url())
            .env("USHER_JELLYFIN_API_KEY", key);
    };
    let mut sync = usher(dir);
    sync.args(["library", "sync"]);
    jf(&mut sync, key);
    run(&mut sync).await;
    let mut check = usher(dir);
    check.arg("check");
    jf(&mut check, "jf-key");
    let (code, stdout, _) = run(&mut check).await;
    (code, stdout)
}

#[tokio::test]
async fn check_names_a_stale_library_source_with_since_when_and_why() {
    let jellyfin = FakeJellyfin::start("jf-key").await;
    jellyfin.add_movie(603, "The Matrix");

    // Listed once, then refused: stale, its titles kept — a warning, exit 0.
    let (_keep, dir) = temp_dir();
    let (code, stdout) = sync_then_check(&dir, &jellyfin, "jf-key").await;
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("library jellyfin: ok (1 titles, last pass "),
        "{stdout}"
    );
    let (code, stdout) = sync_then_check(&dir, &jellyfin, "wrong-key").await;
    assert_eq!(code, 0, "a stale source is a warning: {stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("library jellyfin: STALE since "))
        .unwrap_or_else(|| panic!("no stale line: {stdout}"));
    assert!(line.contains("401"), "why: {line}");
    assert!(line.contains("(its titles as of then are kept)"), "{line}");
    assert!(!stdout.contains("wrong-key"), "no secret printed");

    // Refused from the first pass on: the index knows nothing of it — a failure, exit 11.
    let (_keep, fresh) = temp_dir();
    let (code, stdout) = sync_then_check(&fresh, &jellyfin, "wrong-key").await;
    assert!(
        stdout.contains("Jellyfin: ok"),
        "the key works now: {stdout}"
    );
    assert!(
        stdout.contains("library jellyfin: FAILED — never listed: ") && stdout.contains("401"),
        "{stdout}"
    );
    assert_eq!(code, 11, "{stdout}");
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
