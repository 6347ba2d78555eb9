//! Console sessions and sign-in ceremonies through SessionService.

use std::time::Duration;

use super::harness::{both_dbs, user_with_role};
use crate::domain::{Actor, Permission, Source};
use crate::service::sessions::ClientInfo;
use crate::service::{Services, SessionPolicy};
use crate::store::audit;

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("192.0.2.7".into()),
        user_agent: Some("test".into()),
    }
}

both_dbs!(a_session_lives_until_signed_out, |db| {
    let services = Services::new(db.clone());
    let (admin, _) = user_with_role(&services, 700, "admin").await;
    let session = services
        .sessions
        .start(admin.id, "passkey", &client())
        .await
        .expect("start");
    let live = services.sessions.check(&session.jti).await.expect("check");
    let live = live.expect("open session");
    assert_eq!(live.user.id, admin.id);
    assert!(live.permissions.allows(Permission::Admin));
    assert_eq!(
        services
            .sessions
            .list_open(admin.id)
            .await
            .expect("list")
            .len(),
        1
    );

    let actor = Actor::user(admin.id, Source::Web { ip: None });
    services
        .sessions
        .end(&actor, &session.jti)
        .await
        .expect("end");
    assert!(
        services
            .sessions
            .check(&session.jti)
            .await
            .expect("check")
            .is_none()
    );
    assert!(
        services
            .sessions
            .check("never-issued")
            .await
            .expect("check")
            .is_none()
    );
    let trail = audit::for_target(&db, &format!("user:{}", admin.id), 10)
        .await
        .expect("audit");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"signed_in"), "{actions:?}");
    assert!(actions.contains(&"signed_out"), "{actions:?}");
});

both_dbs!(sign_out_everywhere_and_role_change_end_sessions, |db| {
    let services = Services::new(db.clone());
    let (admin, admin_actor) = user_with_role(&services, 701, "admin").await;
    let (member, member_actor) = user_with_role(&services, 702, "member").await;
    let a = services
        .sessions
        .start(member.id, "oidc", &client())
        .await
        .expect("a");
    let b = services
        .sessions
        .start(member.id, "oidc", &client())
        .await
        .expect("b");

    // A member may not sign someone else out.
    let err = services.sessions.end_all(&member_actor, admin.id).await;
    assert!(
        matches!(err, Err(crate::CoreError::Forbidden(_))),
        "{err:?}"
    );

    assert_eq!(
        services
            .sessions
            .end_all(&member_actor, member.id)
            .await
            .expect("end"),
        2
    );
    assert!(services.sessions.check(&a.jti).await.expect("a").is_none());
    assert!(services.sessions.check(&b.jti).await.expect("b").is_none());

    let c = services
        .sessions
        .start(member.id, "oidc", &client())
        .await
        .expect("c");
    services
        .users
        .grant_role(&admin_actor, member.id, "approver")
        .await
        .expect("grant");
    assert!(
        services.sessions.check(&c.jti).await.expect("c").is_none(),
        "a role change ends the session"
    );
});

both_dbs!(idle_and_absolute_expiry_end_sessions, |db| {
    let idle = Services::with_session_policy(
        db.clone(),
        SessionPolicy {
            idle: Duration::from_millis(1),
            absolute: Duration::from_secs(3600),
        },
    );
    let (user, _) = user_with_role(&idle, 703, "admin").await;
    let s = idle
        .sessions
        .start(user.id, "passkey", &client())
        .await
        .expect("start");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(idle.sessions.check(&s.jti).await.expect("check").is_none());

    let short = Services::with_session_policy(
        db.clone(),
        SessionPolicy {
            idle: Duration::from_secs(3600),
            absolute: Duration::from_millis(1),
        },
    );
    let s = short
        .sessions
        .start(user.id, "passkey", &client())
        .await
        .expect("start");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(short.sessions.check(&s.jti).await.expect("check").is_none());
});

both_dbs!(flows_are_taken_once_and_by_kind, |db| {
    let services = Services::new(db.clone());
    let id = services
        .sessions
        .begin_flow("webauthn_login", "{\"challenge\":1}")
        .await
        .expect("begin");
    assert_eq!(
        services
            .sessions
            .take_flow("oidc", &id)
            .await
            .expect("wrong kind"),
        None
    );
    assert_eq!(
        services
            .sessions
            .take_flow("webauthn_login", &id)
            .await
            .expect("take")
            .as_deref(),
        Some("{\"challenge\":1}")
    );
    assert_eq!(
        services
            .sessions
            .take_flow("webauthn_login", &id)
            .await
            .expect("again"),
        None
    );
    assert_eq!(
        services
            .sessions
            .take_flow("webauthn_login", "")
            .await
            .expect("empty"),
        None
    );
});
