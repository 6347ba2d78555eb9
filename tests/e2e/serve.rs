//! `usher serve` on its defaults (SQLite) and on PostgreSQL.

use std::os::unix::fs::PermissionsExt;

use crate::support::{Server, drop_database, postgres_database, temp_dir};

#[tokio::test]
async fn serve_on_defaults_answers_health_prints_setup_link_and_stops_cleanly() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
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
    let again = Server::start(&dir, &[]).await;
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
