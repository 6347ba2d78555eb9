//! The open API through the `usher` binary, on SQLite and PostgreSQL: keys made, listed and
//! revoked with `usher admin api-key`, a `read` key listing and counting requests in Seerr's
//! shapes, a `request` key asking for a movie that an `approve` key approves and the server's
//! worker adds to the fake Radarr, and a key revoked from the CLI refused by the running server.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use usher_testkit::{FakeRadarr, Spec};

use crate::support::{Server, drop_database, postgres_database, temp_dir, usher};

const ARR_KEY: &str = "e2e-api-arr-key";
/// Dune, as the fake TMDB knows it.
const DUNE: i64 = 438631;

async fn cli(dir: &Path, db: &str, args: &[&str]) -> (i32, String, String) {
    let out = usher(dir)
        .args(["admin", "api-key"])
        .args(args)
        .env("USHER_DATABASE_URL", db)
        .output()
        .await
        .expect("run usher");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `create`, returning the key from the last line of stdout.
async fn create(dir: &Path, db: &str, name: &str, scopes: &str) -> String {
    let (code, stdout, stderr) = cli(dir, db, &["create", "--name", name, "--scope", scopes]).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let key = stdout
        .lines()
        .last()
        .expect("a last line")
        .trim()
        .to_owned();
    assert!(
        key.starts_with("usher_") && !key.contains(' '),
        "key alone: {stdout}"
    );
    key
}

async fn call(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}/api/v1{path}", server.base_url))
        .header("x-api-key", key);
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = req.send().await.expect("call");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn through_the_binary(db: &str) {
    let (_keep, dir) = temp_dir();
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let tmdb = usher_testkit::tmdb::start().await;
    let read = create(&dir, db, "homepage", "read").await;
    let asker = create(&dir, db, "doplarr", "request").await;
    let approver = create(&dir, db, "lunasea", "approve").await;
    let server = Server::start_process(
        &dir,
        &[
            ("USHER_DATABASE_URL", db),
            ("USHER_RADARR_URL", radarr.url()),
            ("USHER_RADARR_API_KEY", ARR_KEY),
            ("USHER_TMDB_API_URL", &tmdb.url),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ],
    )
    .await;

    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    let (status, made) = call(
        &server,
        post.clone(),
        "/request",
        &asker,
        Some(&format!(r#"{{"mediaType":"movie","mediaId":{DUNE}}}"#)),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["status"], 1, "pending: {made}");
    assert_eq!(made["requestedBy"]["displayName"], "doplarr");
    let id = made["id"].as_i64().expect("id");
    let (status, _) = call(
        &server,
        post.clone(),
        &format!("/request/{id}/approve"),
        &read,
        None,
    )
    .await;
    assert_eq!(status, 403, "a read key does not approve");
    let (status, approved) = call(
        &server,
        post,
        &format!("/request/{id}/approve"),
        &approver,
        None,
    )
    .await;
    assert_eq!(status, 200, "{approved}");

    // The server's worker takes it to Radarr through the outbox, as a chat request.
    let deadline = Instant::now() + Duration::from_secs(10);
    while radarr
        .server
        .received_at("POST", "/api/v3/movie")
        .is_empty()
    {
        assert!(Instant::now() < deadline, "Radarr never got the movie");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let adds = radarr.server.received_at("POST", "/api/v3/movie");
    assert_eq!(adds.len(), 1);
    assert_eq!(adds[0].body["tmdbId"], DUNE);

    let (status, page) = call(
        &server,
        get.clone(),
        "/request?take=5&filter=all",
        &read,
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["pageInfo"]["results"], 1);
    assert_eq!(page["results"][0]["media"]["tmdbId"], DUNE);
    let (status, counts) = call(&server, get.clone(), "/request/count", &read, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        (counts["total"].as_u64(), counts["movie"].as_u64()),
        (Some(1), Some(1))
    );

    // TMDB through core, in Seerr's shapes.
    let spec = Spec::load("overseerr-api.yml");
    let (status, found) = call(&server, get.clone(), "/search?query=dune", &read, None).await;
    assert_eq!(status, 200, "{found}");
    let hits = found["results"].as_array().expect("results");
    assert!(
        hits.iter()
            .any(|h| h["id"] == DUNE && h["mediaType"] == "movie"),
        "{found}"
    );
    assert_eq!(spec.check_response("GET", "/search", 200, &found), Ok(()));
    let (status, movie) = call(&server, get.clone(), &format!("/movie/{DUNE}"), &read, None).await;
    assert_eq!(status, 200, "{movie}");
    assert_eq!(movie["id"], DUNE);
    assert_eq!(
        spec.check_response("GET", &format!("/movie/{DUNE}"), 200, &movie),
        Ok(())
    );

    // Listed without keys; revoked from the CLI while the server runs: refused within 10 s.
    let (code, listed, _) = cli(&dir, db, &["list"]).await;
    assert_eq!(code, 0);
    for name in ["homepage", "doplarr", "lunasea"] {
        assert!(listed.contains(name), "{listed}");
    }
    assert!(
        listed.contains("scopes=read") && listed.contains("last_used=20"),
        "{listed}"
    );
    for key in [&read, &asker, &approver] {
        assert!(!listed.contains(key.as_str()), "list never shows a key");
    }
    let (code, out, err) = cli(&dir, db, &["revoke", "homepage"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let revoked_at = Instant::now();
    loop {
        let (status, body) = call(&server, get.clone(), "/request/count", &read, None).await;
        if status == 403 {
            assert_eq!(body["status"], 403);
            assert!(!body.to_string().contains(&read));
            break;
        }
        assert!(
            revoked_at.elapsed() < Duration::from_secs(10),
            "revoked key still works"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, _) = call(&server, get, "/auth/me", &asker, None).await;
    assert_eq!(status, 200, "other keys keep working");
    let ended = server.stop().await;
    assert!(ended.success(), "{ended:?}");
}

#[tokio::test]
async fn api_keys_work_through_the_binary_on_sqlite() {
    let (_keep, dir) = temp_dir();
    let db = format!("sqlite://{}", dir.join("api.db").display());
    through_the_binary(&db).await;
}

#[tokio::test]
async fn api_keys_work_through_the_binary_on_postgres() {
    let db = postgres_database().await;
    through_the_binary(&db).await;
    drop_database(&db).await;
}

#[tokio::test]
async fn the_cli_refuses_bad_keys_and_names_clearly() {
    let (_keep, dir) = temp_dir();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let (code, _, stderr) = cli(&dir, &db, &["create", "--name", "x", "--scope", "write"]).await;
    assert_eq!(code, 1);
    assert!(stderr.contains("scope"), "{stderr}");
    let (code, _, stderr) = cli(
        &dir,
        &db,
        &["create", "--name", "two words", "--scope", "read"],
    )
    .await;
    assert_eq!(code, 1);
    assert!(stderr.contains("name"), "{stderr}");
    let (code, stdout, _) = cli(&dir, &db, &["list"]).await;
    assert_eq!(code, 0);
    assert!(stdout.contains("no API keys"), "nothing was made: {stdout}");
    create(&dir, &db, "once", "read,request").await;
    let (code, _, stderr) = cli(&dir, &db, &["create", "--name", "once", "--scope", "read"]).await;
    assert_eq!(code, 1, "a live name is taken: {stderr}");
    let (code, _, stderr) = cli(&dir, &db, &["revoke", "nobody"]).await;
    assert_eq!(code, 1);
    assert!(stderr.contains("nobody"), "{stderr}");
    let (code, stdout, _) = cli(&dir, &db, &["list"]).await;
    assert_eq!(code, 0);
    assert!(
        stdout.contains("once\tscopes=read,request") && stdout.contains("last_used=never"),
        "{stdout}"
    );
}
