//! Agent secrets and a master-key rotation, on both databases: every agent secret (a webhook's
//! signing secret, an ntfy token, an SMTP password, a Seerr client's `authHeader`) is sealed,
//! never in clear; start-up's re-seal moves each onto the current key, so once the previous
//! key is dropped the agents still deliver; a header saved in clear before it was sealed is
//! sealed by the same pass.

use std::sync::Arc;

use axum::Router;
use axum::routing::post;
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::json;
use usher_testkit::{FakeServer, FakeSmtp};

use super::agents::{agent_rows, eager};
use super::harness::{both_dbs, movie, user_with_role};
use super::notify::fanout;
use crate::crypto::MasterKeys;
use crate::domain::{Actor, AgentKind, Timestamp};
use crate::notify::agents::{AgentNotifier, sign};
use crate::service::secrets::SecretSettings;
use crate::service::{AgentService, NewAgent, SeerrWebhook, Services};
use crate::store::agents::{self, AgentWrite};
use crate::store::{Db, in_tx};

const OLD: &str = "rotation-test-old-master-key-0123456789";
const NEW: &str = "rotation-test-new-master-key-9876543210";

fn keys(current: &str, previous: Option<&str>) -> Arc<MasterKeys> {
    let current = SecretString::from(current.to_owned());
    let previous = previous.map(|p| SecretString::from(p.to_owned()));
    Arc::new(MasterKeys::from_secrets(&current, previous.as_ref()).expect("keys"))
}

fn new_agent(name: &str, kind: &str, target: &str, token: Option<&str>) -> NewAgent {
    NewAgent {
        name: name.into(),
        kind: kind.into(),
        target: target.into(),
        events: String::new(),
        token: token.map(str::to_owned),
        options: json!({}),
    }
}

/// Every sealed value stored for the agents.
async fn sealed_values(db: &Db) -> Vec<String> {
    agents::list(db)
        .await
        .expect("agents")
        .into_iter()
        .flat_map(|row| row.sealed_secret.into_iter().chain(row.sealed_auth))
        .collect()
}

both_dbs!(agent_secrets_survive_a_key_rotation, |db| {
    let hook = FakeServer::start(
        Router::new()
            .route("/hook", post(|| async { "ok" }))
            .route("/hass", post(|| async { "ok" }))
            .route("/ntfy", post(|| async { "{}" })),
    )
    .await;
    let smtp = FakeSmtp::start().await;
    smtp.require_login("usher", "smtp-password");
    let admin = Actor::system();
    let old = AgentService::new(db.clone(), keys(OLD, None)).expect("service");
    let signing = old
        .add(
            &admin,
            new_agent("hook", "webhook", &format!("{}/hook", hook.url), None),
        )
        .await
        .expect("webhook")
        .signing_secret
        .expect("secret");
    let ntfy = format!("{}/ntfy", hook.url);
    old.add(
        &admin,
        new_agent("phone", "ntfy", &ntfy, Some("ntfy-token")),
    )
    .await
    .expect("ntfy");
    let mut mail = new_agent("mail", "email", "ops@example.org", Some("smtp-password"));
    mail.options = json!({
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "tls": "none",
        "from": "usher@example.org", "username": "usher",
    });
    old.add(&admin, mail).await.expect("email");
    let seerr = SeerrWebhook {
        enabled: true,
        types: 2,
        webhook_url: format!("{}/hass", hook.url),
        auth_header: Some("Bearer hass-token".into()),
        json_payload: None,
    };
    old.put_seerr_webhook(&admin, seerr).await.expect("seerr");

    // Sealed at rest: no secret in clear, in a column or in the options.
    let rows = agents::list(&db).await.expect("agents");
    let seerr_row = rows
        .iter()
        .find(|r| r.summary.name == "seerr-webhook")
        .expect("row");
    assert!(
        seerr_row.sealed_auth.is_some(),
        "the header is sealed apart"
    );
    assert!(seerr_row.summary.options.get("auth_header").is_none());
    let everything = format!("{rows:?}");
    for secret in [
        "hass-token",
        "ntfy-token",
        "smtp-password",
        signing.expose_secret(),
    ] {
        assert!(!everything.contains(secret), "{secret} is stored in clear");
    }
    assert_eq!(sealed_values(&db).await.len(), 5);

    // Start-up after a rotation: the new key, the old one given as previous.
    let rotated = keys(NEW, Some(OLD));
    let changed = SecretSettings::new(db.clone(), rotated.clone())
        .reseal_all()
        .await
        .expect("reseal");
    assert_eq!(
        changed, 5,
        "two webhook secrets, a token, a password, a header"
    );
    let again = SecretSettings::new(db.clone(), rotated)
        .reseal_all()
        .await
        .expect("reseal again");
    assert_eq!(again, 0, "nothing left on the old key");

    // The old key dropped: every value opens with the new key alone, and the agents deliver.
    let new_only = keys(NEW, None);
    for sealed in sealed_values(&db).await {
        assert!(new_only.is_sealed_with_current(&sealed));
        assert!(new_only.open(&sealed).is_ok());
    }
    let services = Services::new(db.clone());
    let (_, ann) = user_with_role(&services, 61, "member").await;
    services
        .requests
        .create(&ann, movie(438631, "Dune"))
        .await
        .expect("request");
    fanout(&db, &[]).try_run_once().await.expect("fan out");
    assert_eq!(agent_rows(&db).await.len(), 4);
    AgentNotifier::new(db.clone(), new_only.clone())
        .expect("notifier")
        .with_policy(eager())
        .try_run_once()
        .await
        .expect("deliver");
    assert!(agent_rows(&db).await.is_empty(), "all four delivered");
    let post = &hook.received_at("POST", "/hook")[0];
    let header = post.header("x-usher-signature").expect("signed");
    let now = Timestamp::now().millis() / 1000;
    assert_eq!(
        sign::verify(signing.expose_secret(), header, post.raw.as_bytes(), now),
        Ok(()),
        "signed with the secret printed before the rotation"
    );
    let hass = &hook.received_at("POST", "/hass")[0];
    assert_eq!(hass.header("authorization"), Some("Bearer hass-token"));
    let phone = &hook.received_at("POST", "/ntfy")[0];
    assert_eq!(phone.header("authorization"), Some("Bearer ntfy-token"));
    assert_eq!(smtp.mails()[0].login.as_deref(), Some("usher"));
    let settings = AgentService::new(db.clone(), new_only)
        .expect("service")
        .seerr_webhook(&admin)
        .await
        .expect("settings");
    assert_eq!(settings.auth_header.as_deref(), Some("Bearer hass-token"));
});

both_dbs!(a_header_saved_in_clear_is_sealed_at_start_up, |db| {
    let current = keys(OLD, None);
    let admin = Actor::system();
    let service = AgentService::new(db.clone(), current.clone()).expect("service");
    service
        .put_webhook(
            &admin,
            "seerr-webhook",
            "http://127.0.0.1:9/h",
            Default::default(),
            json!({}),
            None,
        )
        .await
        .expect("webhook");
    // As a row saved before the header was sealed: in clear in the options.
    let options = json!({"enabled": true, "seerr_types": 2, "auth_header": "Bearer legacy"});
    let write = AgentWrite {
        name: "seerr-webhook",
        kind: AgentKind::Webhook,
        target: "http://127.0.0.1:9/h",
        sealed_secret: None,
        sealed_auth: None,
        events: Default::default(),
        options: &options,
        now: Timestamp::now(),
    };
    in_tx(&db, |tx| {
        Box::pin(async { agents::update(tx, &write).await })
    })
    .await
    .expect("legacy row");
    let changed = SecretSettings::new(db.clone(), current)
        .reseal_all()
        .await
        .expect("reseal");
    assert_eq!(changed, 1);
    let row = agents::find(&db, "seerr-webhook")
        .await
        .expect("find")
        .expect("row");
    assert!(
        row.summary.options.get("auth_header").is_none(),
        "no longer in clear"
    );
    assert!(!format!("{row:?}").contains("Bearer legacy"));
    let settings = service.seerr_webhook(&admin).await.expect("settings");
    assert_eq!(settings.auth_header.as_deref(), Some("Bearer legacy"));
});
