//! Harness for the Discord e2e tests: `usher serve` in HTTP interactions mode with the fake
//! TMDB and fake Discord REST, and a client that signs interactions with the test's own
//! Ed25519 key, as Discord does.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ed25519_dalek::{Signer, SigningKey};
use rand::Rng;
use serde_json::Value;
use usher_testkit::{FakeServer, discord, tmdb};

use super::{Server, temp_dir};

pub const ADMIN_CHANNEL: &str = "777000000000000001";
pub const ADMIN_ID: u64 = 500_000_000_000_000_001;
pub const MEMBER_ID: u64 = 500_000_000_000_000_002;
/// Dune as an autocomplete choice's value (a marked TMDB id, not text to search).
pub const DUNE: &str = "tmdb:438631";

#[derive(Clone)]
pub struct Discord {
    key: SigningKey,
    url: String,
    http: reqwest::Client,
}

impl Discord {
    /// Posts `body` signed at `timestamp` (or with `signature` instead, when given).
    pub async fn send(
        &self,
        body: &Value,
        timestamp: u64,
        signature: Option<&str>,
    ) -> reqwest::Response {
        let raw = serde_json::to_vec(body).expect("json");
        self.send_raw(raw, timestamp, signature).await
    }

    /// Posts raw bytes signed at `timestamp` (or with `signature` instead, when given); any
    /// integer, so a test can sign a timestamp far before 1970 too.
    pub async fn send_raw(
        &self,
        raw: Vec<u8>,
        timestamp: impl std::fmt::Display,
        signature: Option<&str>,
    ) -> reqwest::Response {
        let timestamp = timestamp.to_string();
        let signed = self.key.sign(&[timestamp.as_bytes(), &raw].concat());
        let hex: String = signed
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-signature-ed25519", signature.unwrap_or(&hex))
            .header("x-signature-timestamp", timestamp)
            .body(raw)
            .send()
            .await
            .expect("post interaction")
    }

    /// Posts a correctly signed interaction and returns the JSON answer (expects 200).
    pub async fn post(&self, body: &Value) -> Value {
        let response = self.send(body, now(), None).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json answer")
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// `custom_id` with its last character changed: no longer signed by the server.
pub fn forged(custom_id: &str) -> String {
    super::tampered(custom_id, custom_id.len() - 1)
}

pub fn custom_id(message_data: &Value, index: usize) -> String {
    message_data["components"][0]["components"][index]["custom_id"]
        .as_str()
        .expect("a button with a custom_id")
        .to_owned()
}

/// Waits for the `n`th (0-based) approver card the notifier posts in the admin channel
/// (security alerts posted there too, such as the one the tests' own forged signatures
/// raise, are not cards).
pub async fn nth_card(rest: &FakeServer, n: usize) -> Value {
    let path = format!("/api/v10/channels/{ADMIN_CHANNEL}/messages");
    let is_card = |body: &Value| {
        !body["content"]
            .as_str()
            .is_some_and(|c| c.starts_with('🚨'))
    };
    wait_posts_where(rest, &path, n + 1, is_card)
        .await
        .unwrap_or_else(|| panic!("no approver card #{n} in the admin channel"))
        .remove(n)
}

/// Waits for the approver card the notifier posts in the admin channel.
pub async fn card(rest: &FakeServer) -> Value {
    nth_card(rest, 0).await
}

/// The bodies of the messages posted at `path`, once there are at least `count` (20 s at most).
pub async fn wait_posts(rest: &FakeServer, path: &str, count: usize) -> Option<Vec<Value>> {
    wait_posts_where(rest, path, count, |_| true).await
}

/// [`wait_posts`] counting only the bodies `keep` accepts.
pub async fn wait_posts_where(
    rest: &FakeServer,
    path: &str,
    count: usize,
    keep: impl Fn(&Value) -> bool,
) -> Option<Vec<Value>> {
    for _ in 0..400 {
        let bodies: Vec<Value> = rest
            .received_at("POST", path)
            .into_iter()
            .map(|r| r.body)
            .filter(|body| keep(body))
            .collect();
        if bodies.len() >= count {
            return Some(bodies);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// The DMs the bot sent to a Discord user (through the fake's DM channel for them).
pub fn dms(rest: &FakeServer, user_id: u64) -> Vec<String> {
    let path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(user_id)
    );
    rest.received_at("POST", &path)
        .into_iter()
        .filter_map(|r| r.body["content"].as_str().map(str::to_owned))
        .collect()
}

/// A running `usher serve` in HTTP interactions mode with its fakes; keep it alive.
pub struct Setup {
    pub _tmp: tempfile::TempDir,
    pub _tmdb: FakeServer,
    pub rest: FakeServer,
    pub server: Server,
    pub discord: Discord,
}

impl Setup {
    /// The same installation after the binary restarts (same data folder and signing key, same
    /// fakes): nothing but the database and the signed ids carries over, as after an upgrade.
    pub async fn restart(self) -> Setup {
        let Setup {
            _tmp,
            _tmdb,
            rest,
            server,
            discord,
        } = self;
        let server = server.restart().await;
        let discord = Discord {
            url: format!("{}/discord/interactions", server.base_url),
            ..discord
        };
        Setup {
            _tmp,
            _tmdb,
            rest,
            server,
            discord,
        }
    }
}

pub async fn setup() -> Setup {
    setup_with(&[]).await
}

/// [`setup`] with more environment, e.g. a Telegram bot beside Discord.
pub async fn setup_with(extra: &[(&str, &str)]) -> Setup {
    setup_on(discord::start().await, extra).await
}

/// [`setup`] with `seed` writing to the server's folder before the server starts (rows the
/// server must find, not react to).
pub async fn setup_seeded(seed: impl AsyncFnOnce(&std::path::Path)) -> Setup {
    let (tmp, dir) = temp_dir();
    seed(&dir).await;
    setup_in((tmp, dir), discord::start().await, &[]).await
}

/// [`setup_with`] against a fake Discord REST API the test started itself (e.g. one in flood
/// mode, [`discord::start_with_flood`]).
pub async fn setup_on(rest: FakeServer, extra: &[(&str, &str)]) -> Setup {
    setup_in(temp_dir(), rest, extra).await
}

async fn setup_in(
    (tmp, dir): (tempfile::TempDir, std::path::PathBuf),
    rest: FakeServer,
    extra: &[(&str, &str)],
) -> Setup {
    let key = SigningKey::from_bytes(&rand::rng().random::<[u8; 32]>());
    let public: String = key
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let tmdb = tmdb::start().await;
    let app_id = discord::APPLICATION_ID.to_string();
    let admin = ADMIN_ID.to_string();
    let mut env = vec![
        ("USHER_TMDB_API_KEY", tmdb::API_KEY),
        ("USHER_TMDB_API_URL", &tmdb.url),
        ("USHER_DISCORD_TOKEN", "fake-bot-token"),
        ("USHER_DISCORD_APPLICATION_ID", &app_id),
        ("USHER_DISCORD_PUBLIC_KEY", &public),
        ("USHER_DISCORD_API_URL", &rest.url),
        ("USHER_DISCORD_MODE", "http"),
        ("USHER_DISCORD_ADMIN_CHANNEL_ID", ADMIN_CHANNEL),
        ("USHER_DISCORD_ADMIN_IDS", &admin),
    ];
    env.extend_from_slice(extra);
    let server = Server::start(&dir, &env).await;
    assert!(
        server
            .printed
            .iter()
            .any(|l| l.ends_with("/discord/interactions")),
        "{:?}",
        server.printed
    );
    let discord = Discord {
        key,
        url: format!("{}/discord/interactions", server.base_url),
        http: reqwest::Client::new(),
    };
    Setup {
        _tmp: tmp,
        _tmdb: tmdb,
        rest,
        server,
        discord,
    }
}
