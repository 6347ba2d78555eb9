//! Rotating a webhook agent's signing secret on both databases: the receiver's deliveries
//! verify with the new secret and no longer with the old one, the rotation is audited without
//! the secret, and members, unknown agents and agents without a signing secret change nothing.

use secrecy::ExposeSecret as _;

use super::agents::{agent, keys, receiver};
use super::harness::{both_dbs, count, user_with_role};
use crate::domain::{AuditAction, Timestamp};
use crate::error::CoreError;
use crate::notify::agents::sign;
use crate::service::{AgentService, Services, TestOutcome};
use crate::store::agents;

both_dbs!(
    a_rotated_secret_signs_and_the_old_one_no_longer_verifies,
    |db| {
        let services = Services::new(db.clone());
        let service = AgentService::new(db.clone(), keys()).expect("service");
        let hook = receiver().await;
        let (_, admin) = user_with_role(&services, 810, "admin").await;
        let (_, member) = user_with_role(&services, 811, "member").await;
        let url = format!("{}/hook", hook.url);
        let added = service
            .add(&admin, agent("hass", "webhook", &url, ""))
            .await
            .expect("webhook");
        let old = added.signing_secret.expect("a secret");
        let ntfy = format!("{}/ntfy/usher", hook.url);
        service
            .add(&admin, agent("phone", "ntfy", &ntfy, ""))
            .await
            .expect("ntfy");

        // Refusals change nothing.
        let sealed = |db| async move {
            let row = agents::find(db, "hass").await.expect("find").expect("hass");
            row.sealed_secret
        };
        let before = sealed(&db).await;
        let audit_before = count(&db, "audit_log").await;
        assert!(matches!(
            service.rotate_secret(&member, "hass").await,
            Err(CoreError::Forbidden(_))
        ));
        assert!(matches!(
            service.rotate_secret(&admin, "nobody").await,
            Err(CoreError::NotFound(_))
        ));
        assert!(matches!(
            service.rotate_secret(&admin, "phone").await,
            Err(CoreError::Validation(_))
        ));
        assert!(matches!(
            service.rotate_secret(&admin, "bad name!").await,
            Err(CoreError::Validation(_))
        ));
        assert_eq!(sealed(&db).await, before);
        assert_eq!(count(&db, "audit_log").await, audit_before);

        let new = service.rotate_secret(&admin, "hass").await.expect("rotate");
        assert_ne!(new.expose_secret(), old.expose_secret());
        assert!(new.expose_secret().starts_with("whsec_"));
        assert!(matches!(
            service.test(&admin, "hass").await.expect("test"),
            TestOutcome::Answered(_)
        ));
        let posts = hook.received_at("POST", "/hook");
        let last = posts.last().expect("the test post");
        let header = last.header("x-usher-signature").expect("signed");
        let body = last.raw.as_bytes();
        let now = Timestamp::now().millis() / 1000;
        assert_eq!(sign::verify(new.expose_secret(), header, body, now), Ok(()));
        assert_eq!(
            sign::verify(old.expose_secret(), header, body, now),
            Err(sign::SignatureError::Mismatch)
        );

        let trail = crate::store::audit::for_target(&db, "agent:hass", 10)
            .await
            .expect("trail");
        let rotated = trail
            .iter()
            .find(|e| e.action == AuditAction::AgentSecretRotated.as_str())
            .expect("audited");
        let details = rotated.details.to_string();
        assert!(!details.contains(new.expose_secret()) && !details.contains("whsec_"));
    }
);
