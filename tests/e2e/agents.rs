//! Notification agents through the `usher` binary, on SQLite and PostgreSQL: a webhook added
//! with `usher admin agent add webhook` prints its signing secret once, a request made through
//! the API reaches a local receiver as a signed JSON body whose HMAC the test recomputes, `list`
//! never shows the secret, `test` prints the receiver's answer, `rotate` prints a new secret
//! that signs from then on (the old one no longer verifies), and bad input is refused with
//! nothing written.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use usher_testkit::FakeServer;

use crate::support::{Server, drop_database, postgres_database, temp_dir, usher};

/// Dune, as the fake TMDB knows it.
const DUNE: i64 = 438631;

async fn admin(dir: &Path, db: &str, args: &[&str]) -> (i32, String, String) {
    let out = usher(dir)
        .arg("admin")
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

/// Hex HMAC-SHA256 of `"<t>.<body>"` keyed by the secret's text, as the README tells receivers.
fn expected_v1(secret: &str, t: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn through_the_binary(db: &str) {
    let (_keep, dir) = temp_dir();
    let receiver = FakeServer::start(Router::new().route("/hook", post(|| async { "ok" }))).await;
    let tmdb = usher_testkit::tmdb::start().await;
    let url = format!("{}/hook", receiver.url);
    let (code, stdout, stderr) = admin(
        &dir,
        db,
        &[
            "agent",
            "add",
            "webhook",
            "--name",
            "hass",
            "--url",
            &url,
            "--events",
            "requested,available",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let secret = stdout
        .lines()
        .last()
        .expect("a last line")
        .trim()
        .to_owned();
    assert!(
        secret.starts_with("whsec_") && !secret.contains(' '),
        "secret alone: {stdout}"
    );
    let (code, stdout, _) = admin(
        &dir,
        db,
        &[
            "api-key", "create", "--name", "doplarr", "--scope", "request",
        ],
    )
    .await;
    assert_eq!(code, 0);
    let key = stdout.lines().last().expect("key").trim().to_owned();

    let (code, listed, _) = admin(&dir, db, &["agent", "list"]).await;
    assert_eq!(code, 0);
    assert!(
        listed.contains("hass\tkind=webhook") && listed.contains("events=requested,available"),
        "{listed}"
    );
    assert!(!listed.contains(&secret), "list never shows the secret");
    let (code, tested, err) = admin(&dir, db, &["agent", "test", "hass"]).await;
    assert_eq!(code, 0, "{tested}{err}");
    assert!(tested.contains("hass answered 200: ok"), "{tested}");

    // Rotated: the new secret alone on the last line; deliveries from now on verify with it.
    let old = secret;
    let (code, stdout, stderr) = admin(&dir, db, &["agent", "rotate", "hass"]).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let secret = stdout
        .lines()
        .last()
        .expect("a last line")
        .trim()
        .to_owned();
    assert!(secret.starts_with("whsec_") && secret != old, "{stdout}");
    let (code, _, stderr) = admin(&dir, db, &["agent", "rotate", "nobody"]).await;
    assert_ne!(code, 0, "an unknown agent is refused: {stderr}");

    let server = Server::start_process(
        &dir,
        &[
            ("USHER_DATABASE_URL", db),
            ("USHER_TMDB_API_URL", &tmdb.url),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
        ],
    )
    .await;
    let made = reqwest::Client::new()
        .post(format!("{}/api/v1/request", server.base_url))
        .header("x-api-key", &key)
        .json(&serde_json::json!({"mediaType": "movie", "mediaId": DUNE}))
        .send()
        .await
        .expect("request");
    assert_eq!(made.status().as_u16(), 201);
    let made: serde_json::Value = made.json().await.expect("json");

    let deadline = Instant::now() + Duration::from_secs(10);
    let hit = loop {
        let posts = receiver.received_at("POST", "/hook");
        // The first post is `agent test`'s message (status `test`); wait for the request's.
        if let Some(hit) = posts
            .into_iter()
            .find(|p| p.body["event"] == "requested" && p.body["status"] != "test")
        {
            break hit;
        }
        assert!(
            Instant::now() < deadline,
            "the webhook never got the request"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(hit.body["request_id"], made["id"]);
    assert_eq!(hit.body["tmdb_id"], DUNE);
    assert_eq!(hit.body["requester"], "doplarr");
    assert_eq!(hit.body["status"], "pending");
    assert_eq!(hit.header("x-usher-event"), Some("requested"));
    let header = hit.header("x-usher-signature").expect("signed");
    let (t, v1) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .expect("t=<unix seconds>,v1=<hex>");
    let sent: u64 = t.parse().expect("unix seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    assert!(now.abs_diff(sent) < 300, "fresh: {sent} vs {now}");
    assert_eq!(
        v1,
        expected_v1(&secret, t, &hit.raw),
        "HMAC over the raw body"
    );
    assert_ne!(v1, expected_v1("whsec_wrong", t, &hit.raw));
    assert_ne!(v1, expected_v1(&old, t, &hit.raw), "the rotated-out secret");

    let ended = server.stop().await;
    assert!(ended.success(), "{ended:?}");
}

#[tokio::test]
async fn a_signed_webhook_reaches_a_local_receiver_on_sqlite() {
    let (_keep, dir) = temp_dir();
    let db = format!("sqlite://{}", dir.join("agents.db").display());
    through_the_binary(&db).await;
}

#[tokio::test]
async fn a_signed_webhook_reaches_a_local_receiver_on_postgres() {
    let db = postgres_database().await;
    through_the_binary(&db).await;
    drop_database(&db).await;
}

#[tokio::test]
async fn the_cli_refuses_bad_agents_with_nothing_written() {
    let (_keep, dir) = temp_dir();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "agent",
                "add",
                "webhook",
                "--name",
                "x",
                "--url",
                "not a url",
            ],
            "url",
        ),
        (
            &[
                "agent",
                "add",
                "webhook",
                "--name",
                "x",
                "--url",
                "http://127.0.0.1:9/h",
                "--events",
                "requested,bogus",
            ],
            "events",
        ),
        (
            &[
                "agent",
                "add",
                "pager",
                "--name",
                "x",
                "--url",
                "http://127.0.0.1:9/h",
            ],
            "kind",
        ),
        (
            &[
                "agent",
                "add",
                "gotify",
                "--name",
                "x",
                "--url",
                "http://127.0.0.1:9",
            ],
            "token",
        ),
    ];
    for (args, word) in cases {
        let (code, stdout, stderr) = admin(&dir, &db, args).await;
        assert_eq!(code, 1, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(word), "{args:?} names {word}: {stderr}");
    }
    let (code, stdout, _) = admin(&dir, &db, &["agent", "list"]).await;
    assert_eq!(code, 0);
    assert!(
        stdout.contains("no notification agents"),
        "nothing written: {stdout}"
    );
    let args = [
        "agent",
        "add",
        "ntfy",
        "--name",
        "phone",
        "--url",
        "http://127.0.0.1:9/usher",
    ];
    assert_eq!(admin(&dir, &db, &args).await.0, 0);
    let (code, _, stderr) = admin(&dir, &db, &args).await;
    assert_eq!(code, 1, "a taken name: {stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    let (code, _, stderr) = admin(&dir, &db, &["agent", "remove", "nobody"]).await;
    assert_eq!(code, 1);
    assert!(stderr.contains("nobody"), "{stderr}");
    let (code, _, stderr) = admin(&dir, &db, &["agent", "test", "phone"]).await;
    assert_eq!(code, 1, "nothing listens there: {stderr}");
    assert_eq!(admin(&dir, &db, &["agent", "remove", "phone"]).await.0, 0);
    let (_, stdout, _) = admin(&dir, &db, &["agent", "list"]).await;
    assert!(stdout.contains("no notification agents"), "{stdout}");
}

/// `usher admin agent add email` with its password from a file, then `agent test`: the
/// testkit's SMTP server gets the test mail after a login, and the CLI prints its reply.
async fn email_test_through_the_cli(db: &str) {
    let (_keep, dir) = temp_dir();
    let smtp = usher_testkit::FakeSmtp::start().await;
    smtp.require_login("usher", "smtp-password");
    let password = dir.join("smtp-password");
    std::fs::write(&password, "smtp-password\n").expect("password file");
    let port = smtp.port.to_string();
    let password = password.display().to_string();
    let add = [
        "agent",
        "add",
        "email",
        "--name",
        "mail",
        "--to",
        "ops@example.org",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--tls",
        "none",
        "--from",
        "usher@example.org",
        "--username",
        "usher",
        "--token-file",
        &password,
    ];
    let (code, stdout, stderr) = admin(&dir, db, &add).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("smtp-password"), "{stdout}");
    let (code, tested, err) = admin(&dir, db, &["agent", "test", "mail"]).await;
    assert_eq!(code, 0, "{tested}{err}");
    assert!(tested.contains("mail answered 250"), "{tested}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].login.as_deref(), Some("usher"));
    assert_eq!(mails[0].to, vec!["ops@example.org".to_owned()]);
    assert!(
        mails[0]
            .header("Subject")
            .is_some_and(|s| s.starts_with("[Usher] Usher test notification")),
        "{:?}",
        mails[0].header("Subject")
    );
    smtp.refuse_recipient("ops@example.org");
    let (code, tested, err) = admin(&dir, db, &["agent", "test", "mail"]).await;
    assert_eq!(code, 1, "a refused test fails: {tested}{err}");
    assert!(tested.contains("mail answered 550"), "{tested}");
}

#[tokio::test]
async fn agent_test_mails_through_smtp_on_sqlite() {
    let (_keep, dir) = temp_dir();
    let db = format!("sqlite://{}", dir.join("mail.db").display());
    email_test_through_the_cli(&db).await;
}

#[tokio::test]
async fn agent_test_mails_through_smtp_on_postgres() {
    let db = postgres_database().await;
    email_test_through_the_cli(&db).await;
    drop_database(&db).await;
}
