//! Security alerts on both databases: each kind, raised where it happens, reaches the admin
//! chats of every running platform and the agents subscribed to `security` (and only those);
//! the rate limit holds per kind and subject; failures under the threshold raise nothing; and
//! no payload ever carries the key, token or secret the alert is about.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::json;
use usher_testkit::FakeServer;

use super::harness::{both_dbs, user_with_role};
use super::notify::fanout;
use crate::crypto::MasterKeys;
use crate::domain::{Actor, Permissions, Platform, SecurityAlert, SecurityEvent, Timestamp};
use crate::notify::agents::{AgentDelivery, AgentNotifier, TOPIC_AGENT};
use crate::notify::{Delivery, RetryPolicy, topic};
use crate::service::events::{Notification, TOPIC_NOTIFY};
use crate::service::secrets::SecretSettings;
use crate::service::security_alerts::WINDOW;
use crate::service::{AgentService, Caller, NewAgent, SecurityAlerts, Services};
use crate::store::{Db, outbox};

fn keys(current: &str, previous: Option<&str>) -> Arc<MasterKeys> {
    let current = SecretString::from(current.to_owned());
    let previous = previous.map(|p| SecretString::from(p.to_owned()));
    Arc::new(MasterKeys::from_secrets(&current, previous.as_ref()).expect("keys"))
}

const KEY_A: &str = "security-alerts-test-key-a-0123456789abcdef";
const KEY_B: &str = "security-alerts-test-key-b-0123456789abcdef";

fn agent(name: &str, target: &str, events: &str) -> NewAgent {
    NewAgent {
        name: name.into(),
        kind: "webhook".into(),
        target: target.into(),
        events: events.into(),
        token: None,
        options: json!({}),
    }
}

/// The alerts queued and not yet fanned out.
async fn queued(db: &Db) -> Vec<SecurityAlert> {
    outbox::pending(db, TOPIC_NOTIFY)
        .await
        .expect("pending")
        .iter()
        .filter_map(|row| match serde_json::from_str(&row.payload) {
            Ok(Notification::SecurityAlert { alert }) => Some(alert),
            _ => None,
        })
        .collect()
}

/// The kinds of the security alerts waiting for `platform`'s notifier.
async fn chat_kinds(db: &Db, platform: Platform) -> Vec<&'static str> {
    outbox::pending(db, &topic(platform))
        .await
        .expect("pending")
        .iter()
        .filter_map(|row| match serde_json::from_str(&row.payload) {
            Ok(Delivery::SecurityAlert { alert }) => Some(alert.event.kind()),
            _ => None,
        })
        .collect()
}

/// Every payload of every outbox row, done or not, as one text.
async fn all_payloads(db: &Db) -> String {
    let mut all = String::new();
    for t in [
        TOPIC_NOTIFY,
        TOPIC_AGENT,
        "notify.telegram",
        "notify.discord",
    ] {
        for row in outbox::pending(db, t).await.expect("pending") {
            all.push_str(&row.payload);
        }
    }
    all
}

fn failed_sign_in(from: &str) -> SecurityEvent {
    SecurityEvent::FailedSignIn {
        method: "oidc".into(),
        from: from.into(),
    }
}

fn at(minutes: u64) -> Timestamp {
    Timestamp(1_900_000_000_000).plus(Duration::from_secs(minutes * 60))
}

/// Raises every kind where it happens; returns the API key's secret text.
async fn raise_every_kind(db: &Db, services: &Services) -> String {
    let alerts = &services.security;
    for _ in 0..5 {
        alerts
            .raise(failed_sign_in("203.0.113.9"))
            .await
            .expect("raise");
    }
    let (user, actor) = user_with_role(services, 66, "member").await;
    let caller = Caller {
        user,
        actor,
        language: "en-US".into(),
        permissions: Permissions::of(&[]),
        content_limit: Default::default(),
    };
    alerts.forged_button(&caller).await;
    for _ in 0..3 {
        let bad = SecurityEvent::BadSignature {
            endpoint: "radarr".into(),
            from: "198.51.100.7".into(),
        };
        alerts.raise(bad).await.expect("raise");
    }
    let (ann, _) = user_with_role(services, 7, "member").await;
    services
        .users
        .grant_role(&Actor::system(), ann.id, "admin")
        .await
        .expect("grant");
    let key = services
        .api_keys
        .create(&Actor::system(), "homepage", "read")
        .await
        .expect("key");
    services
        .api_keys
        .revoke(&Actor::system(), "homepage")
        .await
        .expect("revoke");
    SecretSettings::new(db.clone(), keys(KEY_A, None))
        .put("tmdb_api_key", "tmdb-secret-value-42")
        .await
        .expect("seal");
    let rotated = SecretSettings::new(db.clone(), keys(KEY_B, Some(KEY_A)));
    assert_eq!(
        rotated.reseal_all_and_alert(alerts).await.expect("reseal"),
        1
    );
    key.secret.expose_secret().to_owned()
}

const EVERY_KIND: [&str; 7] = [
    "failed_sign_in",
    "forged_button",
    "bad_signature",
    "new_admin",
    "api_key_created",
    "api_key_revoked",
    "secret_rotated",
];

both_dbs!(
    every_kind_reaches_the_admin_chats_and_security_agents,
    |db| {
        let services = Services::new(db.clone());
        let agents = AgentService::new(db.clone(), keys(KEY_B, Some(KEY_A))).expect("agents");
        let hook = FakeServer::start(Router::new().route("/hook", post(|| async { "ok" }))).await;
        let url = format!("{}/hook", hook.url);
        let admin = Actor::system();
        agents
            .add(&admin, agent("siem", &url, "security"))
            .await
            .expect("siem");
        agents
            .add(&admin, agent("hass", &url, "requested"))
            .await
            .expect("hass");

        let secret = raise_every_kind(&db, &services).await;
        let mut kinds: Vec<_> = queued(&db).await.iter().map(|a| a.event.kind()).collect();
        kinds.sort_unstable();
        let mut every = EVERY_KIND.to_vec();
        every.sort_unstable();
        assert_eq!(kinds, every, "one alert of each kind");

        fanout(&db, &[Platform::Telegram, Platform::Discord])
            .try_run_once()
            .await
            .expect("fan out");
        for platform in [Platform::Telegram, Platform::Discord] {
            let mut told = chat_kinds(&db, platform).await;
            told.sort_unstable();
            assert_eq!(told, every, "{platform}'s admin chat hears each kind");
        }
        let rows: Vec<AgentDelivery> = outbox::pending(&db, TOPIC_AGENT)
            .await
            .expect("pending")
            .iter()
            .map(|r| serde_json::from_str(&r.payload).expect("agent delivery"))
            .collect();
        assert_eq!(
            rows.len(),
            7,
            "only the agent subscribed to security: {rows:?}"
        );
        assert!(rows.iter().all(|d| d.message.event.as_str() == "security"));
        let payloads = all_payloads(&db).await;
        assert!(payloads.contains("homepage"), "the key is named");
        assert!(!payloads.contains(&secret), "the key itself never is");
        assert!(!payloads.contains("tmdb-secret-value-42"));
        assert!(!payloads.contains(KEY_A) && !payloads.contains(KEY_B));

        let policy = RetryPolicy {
            backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            per_lane: 100,
            ..RetryPolicy::default()
        };
        AgentNotifier::new(db.clone(), keys(KEY_B, Some(KEY_A)))
            .expect("notifier")
            .with_policy(policy)
            .try_run_once()
            .await
            .expect("deliver");
        let posts = hook.received_at("POST", "/hook");
        assert_eq!(posts.len(), 7, "the webhook received each alert");
        let bodies: String = posts.iter().map(|p| p.raw.clone()).collect();
        assert!(
            bodies.contains("\"status\":\"api_key_created\""),
            "{bodies}"
        );
        assert!(
            bodies.contains("5 failed sign-ins (oidc) from 203.0.113.9"),
            "{bodies}"
        );
        assert!(!bodies.contains(&secret));
    }
);

both_dbs!(the_limit_holds_within_the_window_and_resets_after, |db| {
    let alerts = SecurityAlerts::new(db.clone());
    for minute in 0..4 {
        let raised = alerts
            .raise_at(failed_sign_in("192.0.2.1"), at(minute))
            .await;
        assert!(!raised.expect("count"), "under the threshold");
    }
    assert!(queued(&db).await.is_empty(), "four failures raise nothing");
    assert!(
        alerts
            .raise_at(failed_sign_in("192.0.2.1"), at(5))
            .await
            .expect("fifth")
    );
    assert!(
        !alerts
            .raise_at(failed_sign_in("192.0.2.1"), at(6))
            .await
            .expect("sixth")
    );
    for _ in 0..10 {
        alerts
            .raise_at(failed_sign_in("192.0.2.1"), at(8))
            .await
            .expect("more");
    }
    let one = queued(&db).await;
    assert_eq!(one.len(), 1, "one alert per window: {one:?}");
    assert_eq!((one[0].seen, one[0].window_minutes), (5, 10));

    // Another address counts on its own.
    for _ in 0..5 {
        alerts
            .raise_at(failed_sign_in("192.0.2.2"), at(8))
            .await
            .expect("other");
    }
    assert_eq!(queued(&db).await.len(), 2);

    // After the window, the count starts again and a fifth failure alerts again.
    let later = 10 + WINDOW.as_secs() / 60;
    for minute in later..later + 5 {
        alerts
            .raise_at(failed_sign_in("192.0.2.1"), at(minute))
            .await
            .expect("later");
    }
    assert_eq!(queued(&db).await.len(), 3, "a new window, a new alert");
});

both_dbs!(a_once_only_kind_alerts_at_once_then_keeps_quiet, |db| {
    let alerts = SecurityAlerts::new(db.clone());
    let created = |name: &str| SecurityEvent::ApiKeyCreated { name: name.into() };
    assert!(alerts.raise_at(created("a"), at(0)).await.expect("first"));
    assert!(!alerts.raise_at(created("a"), at(1)).await.expect("again"));
    assert!(
        alerts
            .raise_at(created("b"), at(1))
            .await
            .expect("another key")
    );
    let later = WINDOW.as_secs() / 60;
    assert!(
        alerts
            .raise_at(created("a"), at(later))
            .await
            .expect("later")
    );
    assert_eq!(queued(&db).await.len(), 3);
});

both_dbs!(a_rolled_back_change_raises_no_alert, |db| {
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 8, "member").await;
    let refused = services.api_keys.create(&member, "sneaky", "admin").await;
    assert!(refused.is_err(), "members make no keys");
    assert!(queued(&db).await.is_empty(), "nothing to alert about");
});
