//! `usher serve` on its defaults (SQLite; the binary itself, for its folder, signals and
//! `usher healthcheck`) and on PostgreSQL (the app in process).

use std::os::unix::fs::PermissionsExt;

use crate::support::{Server, drop_database, postgres_database, temp_dir};

#[tokio::test]
async fn serve_on_defaults_answers_health_prints_setup_link_and_stops_cleanly() {
    let (_keep, dir) = temp_dir();
    let server = Server::start_process(&dir, &[]).await;
    assert_eq!(server.get("/healthz").await.status(), 200);
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("body"), "ready");
    let link = server.setup_link.clone().expect("setup link printed");
    assert!(link.starts_with("http://localhost:8080/setup/"), "{link}");
    let path = link.trim_start_matches("http://localhost:8080");
    assert_eq!(
        server.get(path).await.status(),
        200,
        "the printed link works"
    );
    assert_eq!(server.get("/setup/forged-token").await.status(), 404);
    assert!(
        server
            .printed
            .iter()
            .any(|l| l.starts_with("not configured yet: TMDB, Radarr")),
        "{:?}",
        server.printed
    );
    assert!(
        dir.join("data/usher.db").exists(),
        "SQLite in ./data by default"
    );
    let key_mode = std::fs::metadata(dir.join("data/secret.key"))
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600);
    let pid = server.pid().expect("a process");
    let environ = std::fs::read(format!("/proc/{pid}/environ")).expect("environ");
    for (name, value) in usher::allocator::MALLOC_SETTINGS {
        let setting = format!("{name}={value}");
        assert!(
            environ.split(|b| *b == 0).any(|v| v == setting.as_bytes()),
            "the binary runs with glibc's malloc held: {setting}"
        );
    }
    let port = server.base_url.rsplit(':').next().expect("port").to_owned();
    let health = crate::support::usher(&dir)
        .arg("healthcheck")
        .env("USHER_LISTEN", format!("127.0.0.1:{port}"))
        .status()
        .await
        .expect("healthcheck");
    assert!(
        health.success(),
        "container healthcheck passes while serving"
    );
    let status = server.stop().await;
    assert!(status.success(), "{status:?}");
    let down = crate::support::usher(&dir)
        .arg("healthcheck")
        .env("USHER_LISTEN", format!("127.0.0.1:{port}"))
        .status()
        .await
        .expect("healthcheck");
    assert!(!down.success(), "and fails once stopped");

    // A second start reuses the key and the database; the old link still works once.
    let key_before = std::fs::read(dir.join("data/secret.key")).expect("key");
    let again = Server::start_process(&dir, &[]).await;
    assert_eq!(
        std::fs::read(dir.join("data/secret.key")).expect("key"),
        key_before
    );
    assert_eq!(again.get(path).await.status(), 200);
    assert!(again.stop().await.success());
}

#[tokio::test]
async fn serve_on_postgres_is_ready() {
    let (_keep, dir) = temp_dir();
    let url = postgres_database().await;
    let server = Server::start(
        &dir,
        &[
            ("USHER_DATABASE_URL", &url),
            ("USHER_PUBLIC_URL", "https://usher.example.org/"),
        ],
    )
    .await;
    assert_eq!(server.get("/readyz").await.status(), 200);
    let link = server.setup_link.clone().expect("setup link printed");
    assert!(
        link.starts_with("https://usher.example.org/setup/"),
        "{link}"
    );
    assert!(
        !dir.join("data/usher.db").exists(),
        "no SQLite file when PostgreSQL is configured"
    );
    assert!(server.stop().await.success());
    drop_database(&url).await;
}

/// While [`usher::app::App::build`] waits for the database, the listener already answers:
/// `/healthz` is alive, `/readyz` and the rest say 503 "starting", and "ready" is not printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_app_is_built_healthz_answers_and_the_rest_is_starting() {
    let (_keep, dir) = temp_dir();
    // A "database" that takes connections and never answers, so the build waits on it.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let silent_at = silent.local_addr().expect("addr");
    let _holding = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            held.push(conn);
        }
    });
    let layers = usher_core::config::LoadOptions {
        config_file: None,
        env: vec![
            ("USHER_LISTEN".into(), "127.0.0.1:0".into()),
            (
                "USHER_DATA_DIR".into(),
                dir.join("data").display().to_string(),
            ),
            (
                "USHER_DATABASE_URL".into(),
                format!("postgres://usher@{silent_at}/usher"),
            ),
        ],
        overrides: Vec::new(),
    };
    let base = usher_core::config::load(layers.clone())
        .expect("settings")
        .settings;
    let listener = tokio::net::TcpListener::bind(base.listen)
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (say, mut printed) = tokio::sync::mpsc::unbounded_channel::<String>();
    let serving = usher::serve::serve(
        listener,
        base,
        layers,
        std::future::pending(),
        move |line: &str| {
            let _ = say.send(line.to_owned());
        },
    );
    let checks = async {
        let listening = printed.recv().await.expect("a line");
        assert!(listening.starts_with("listening on "), "{listening}");
        let client = reqwest::Client::new();
        let get = |path: &str| client.get(format!("{url}{path}")).send();
        assert_eq!(get("/healthz").await.expect("healthz").status(), 200);
        let ready = get("/readyz").await.expect("readyz");
        assert_eq!(ready.status(), 503);
        assert_eq!(ready.text().await.expect("body"), "starting");
        for path in ["/", "/metrics", "/hooks/radarr", "/setup/some-token"] {
            assert_eq!(get(path).await.expect("GET").status(), 503, "{path}");
        }
        assert!(printed.try_recv().is_err(), "nothing more said yet");
    };
    tokio::select! {
        ended = serving => panic!("the app did not wait for its database: {ended:?}"),
        () = checks => {}
    }
}
