//! Notification agents on both databases: the fan-out writes one delivery per subscribed agent,
//! the notifier signs webhook bodies so a receiver can verify them, a failing receiver is
//! retried, a removed agent gets nothing, and bad input writes nothing.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::post;
use secrecy::{ExposeSecret as _, SecretString};
use serde_json::json;
use usher_testkit::FakeServer;
use usher_testkit::faults::Fault;

use super::harness::{both_dbs, count, movie, user_with_role};
use super::notify::fanout;
use crate::crypto::MasterKeys;
use crate::domain::{Actor, AuditAction, Timestamp};
use crate::error::CoreError;
use crate::notify::RetryPolicy;
use crate::notify::agents::{AgentDelivery, AgentNotifier, TOPIC_AGENT, sign};
use crate::service::{AgentService, NewAgent, Services, TestOutcome};
use crate::store::{Db, audit, outbox};

pub(super) fn keys() -> Arc<MasterKeys> {
    let secret = SecretString::from("agents-test-master-key-0123456789abcdef");
    Arc::new(MasterKeys::from_secrets(&secret, None).expect("keys"))
}

pub(super) async fn receiver() -> FakeServer {
    FakeServer::start(
        Router::new()
            .route("/hook", post(|| async { "thanks" }))
            .route("/ntfy/usher", post(|| async { "{\"id\":\"x\"}" }))
            .route("/message", post(|| async { "{\"id\":1}" })),
    )
    .await
}

pub(super) fn agent(name: &str, kind: &str, target: &str, events: &str) -> NewAgent {
    NewAgent {
        name: name.into(),
        kind: kind.into(),
        target: target.into(),
        events: events.into(),
        token: (kind == "gotify").then(|| "gotify-app-token".into()),
        options: json!({}),
    }
}

pub(super) fn eager() -> RetryPolicy {
    RetryPolicy {
        backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        ..RetryPolicy::default()
    }
}

pub(super) async fn agent_rows(db: &Db) -> Vec<AgentDelivery> {
    outbox::pending(db, TOPIC_AGENT)
        .await
        .expect("pending")
        .iter()
        .map(|row| serde_json::from_str(&row.payload).expect("agent delivery"))
        .collect()
}

both_dbs!(one_row_per_subscribed_agent_and_a_signed_body, |db| {
    let services = Services::new(db.clone());
    let agents = AgentService::new(db.clone(), keys()).expect("service");
    let hook = receiver().await;
    let admin = Actor::system();
    let added = agents
        .add(
            &admin,
            agent(
                "hass",
                "webhook",
                &format!("{}/hook", hook.url),
                "requested,declined",
            ),
        )
        .await
        .expect("webhook");
    let secret = added.signing_secret.expect("a webhook has a secret");
    agents
        .add(
            &admin,
            agent(
                "phone",
                "ntfy",
                &format!("{}/ntfy/usher", hook.url),
                "available",
            ),
        )
        .await
        .expect("ntfy");
    agents
        .add(&admin, agent("gotify", "gotify", &hook.url, ""))
        .await
        .expect("gotify");

    let (_, ann) = user_with_role(&services, 7, "member").await;
    let made = services
        .requests
        .create(&ann, movie(438631, "Dune"))
        .await
        .expect("request");
    fanout(&db, &[]).try_run_once().await.expect("fan out");
    let rows = agent_rows(&db).await;
    let mut told: Vec<i64> = rows.iter().map(|d| d.agent).collect();
    told.sort_unstable();
    assert_eq!(
        rows.len(),
        2,
        "requested: the webhook and the every-event agent only"
    );
    assert!(!told.contains(&2), "ntfy hears only `available`");
    assert_eq!(rows[0].message.title, "Dune");
    assert_eq!(rows[0].message.request_id, Some(made.request.id.0));
    assert_eq!(rows[0].message.requester.as_deref(), Some("user7"));

    let notifier = AgentNotifier::new(db.clone(), keys())
        .expect("notifier")
        .with_policy(eager());
    notifier.try_run_once().await.expect("deliver");
    assert!(agent_rows(&db).await.is_empty(), "both delivered");
    let posts = hook.received_at("POST", "/hook");
    assert_eq!(posts.len(), 1);
    let header = posts[0].header("x-usher-signature").expect("signed");
    // Recompute the HMAC as a receiver would, over the exact bytes received.
    let (t, v1) = header.split_once(",v1=").expect("t=…,v1=…");
    let t: i64 = t.trim_start_matches("t=").parse().expect("unix seconds");
    let now = Timestamp::now().millis() / 1000;
    assert!((now - t).abs() < 60, "t is now: {t}");
    let expected = sign::signature(secret.expose_secret(), t, posts[0].raw.as_bytes());
    assert_eq!(expected, header);
    assert_eq!(v1.len(), 64);
    assert_eq!(
        sign::verify(secret.expose_secret(), header, posts[0].raw.as_bytes(), now),
        Ok(())
    );
    assert_eq!(posts[0].body["event"], "requested");
    assert_eq!(posts[0].body["title"], "Dune");
    assert_eq!(posts[0].body["year"], 2021);
    assert_eq!(posts[0].body["status"], "pending");
    let gotify = hook.received_at("POST", "/message");
    assert_eq!(gotify.len(), 1);
    assert_eq!(gotify[0].query, "token=gotify-app-token");
    assert_eq!(gotify[0].body["title"], "Dune (2021)");
    assert_eq!(gotify[0].body["priority"], 5);

    // Declined reaches the webhook; nobody subscribed to `approved` but the catch-all.
    let (_, boss) = user_with_role(&services, 100, "admin").await;
    services
        .requests
        .decline(&boss, made.request.id, "no")
        .await
        .expect("decline");
    fanout(&db, &[]).try_run_once().await.expect("fan out");
    let rows = agent_rows(&db).await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|d| d.message.status == "declined"));
});

both_dbs!(
    a_failing_receiver_is_retried_and_a_removed_agent_gets_nothing,
    |db| {
        let services = Services::new(db.clone());
        let agents = AgentService::new(db.clone(), keys()).expect("service");
        let hook = receiver().await;
        let admin = Actor::system();
        for name in ["flaky", "gone"] {
            agents
                .add(
                    &admin,
                    agent(name, "webhook", &format!("{}/hook", hook.url), ""),
                )
                .await
                .expect("add");
        }
        let (_, ann) = user_with_role(&services, 8, "member").await;
        services
            .requests
            .create(&ann, movie(2, "Heat"))
            .await
            .expect("request");
        fanout(&db, &[]).try_run_once().await.expect("fan out");
        assert_eq!(agent_rows(&db).await.len(), 2);
        agents.remove(&admin, "gone").await.expect("remove");

        hook.faults.fail_next(1, Fault::ServerError);
        let notifier = AgentNotifier::new(db.clone(), keys())
            .expect("notifier")
            .with_policy(eager());
        notifier.try_run_once().await.expect("first round");
        assert_eq!(
            hook.received_at("POST", "/hook").len(),
            1,
            "tried once, 500"
        );
        let left = agent_rows(&db).await;
        assert_eq!(
            left.len(),
            1,
            "the removed agent's row is done, the failed one waits"
        );
        notifier.try_run_once().await.expect("second round");
        assert_eq!(hook.received_at("POST", "/hook").len(), 2, "retried");
        assert!(agent_rows(&db).await.is_empty());
        let trail = audit::for_target(&db, "agent:gone", 10)
            .await
            .expect("audit");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&AuditAction::AgentAdded.as_str()),
            "{actions:?}"
        );
        assert!(
            actions.contains(&AuditAction::AgentRemoved.as_str()),
            "{actions:?}"
        );
        assert!(
            trail
                .iter()
                .all(|e| !e.details.to_string().contains("whsec_")),
            "never a secret in the audit log"
        );
    }
);

both_dbs!(bad_input_is_refused_with_nothing_written, |db| {
    let agents = AgentService::new(db.clone(), keys()).expect("service");
    let admin = Actor::system();
    let bad = [
        agent("a", "webhook", "not a url", ""),
        agent("a", "webhook", "ftp://example.org/x", ""),
        agent("a", "webhook", "http://example.org/x", "requested,nope"),
        agent("a", "slack", "http://example.org/x", ""),
        agent("has space", "webhook", "http://example.org/x", ""),
        NewAgent {
            token: None,
            ..agent("a", "gotify", "http://example.org", "")
        },
        agent("a", "email", "not-an-address", ""),
    ];
    for new in bad {
        let err = agents.add(&admin, new.clone()).await.expect_err("refused");
        assert!(matches!(err, CoreError::Validation(_)), "{new:?}: {err}");
    }
    assert_eq!(count(&db, "notification_agents").await, 0);
    agents
        .add(&admin, agent("dup", "ntfy", "http://127.0.0.1:9/t", ""))
        .await
        .expect("first");
    let err = agents
        .add(&admin, agent("dup", "ntfy", "http://127.0.0.1:9/u", ""))
        .await
        .expect_err("duplicate");
    assert!(matches!(err, CoreError::Conflict(_)), "{err}");
    assert_eq!(count(&db, "notification_agents").await, 1);

    // A member may not configure agents.
    let services = Services::new(db.clone());
    let (_, member) = user_with_role(&services, 9, "member").await;
    let err = agents
        .add(&member, agent("m", "ntfy", "http://127.0.0.1:9/t", ""))
        .await
        .expect_err("members cannot");
    assert!(matches!(err, CoreError::Forbidden(_)), "{err}");
    assert!(agents.list(&member).await.is_err());
    assert_eq!(count(&db, "notification_agents").await, 1);

    // The Test of an agent nobody listens at says why, without a panic or a secret.
    match agents.test(&admin, "dup").await.expect("test") {
        TestOutcome::Failed(why) => assert!(!why.is_empty()),
        TestOutcome::Answered(answer) => panic!("nothing listens there: {answer:?}"),
    }
});

both_dbs!(the_test_button_shows_the_receivers_own_answer, |db| {
    let agents = AgentService::new(db.clone(), keys()).expect("service");
    let hook = receiver().await;
    let admin = Actor::system();
    agents
        .add(
            &admin,
            agent("hass", "webhook", &format!("{}/hook", hook.url), ""),
        )
        .await
        .expect("add");
    match agents.test(&admin, "hass").await.expect("test") {
        TestOutcome::Answered(answer) => {
            assert_eq!(answer.status, 200);
            assert_eq!(answer.body, "thanks");
        }
        TestOutcome::Failed(why) => panic!("{why}"),
    }
    assert_eq!(hook.received_at("POST", "/hook").len(), 1);
    hook.faults.fail_next(1, Fault::Unauthorized);
    match agents.test(&admin, "hass").await.expect("test") {
        TestOutcome::Answered(answer) => assert_eq!(answer.status, 401),
        TestOutcome::Failed(why) => panic!("{why}"),
    }
});
