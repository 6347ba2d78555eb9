//! Seerr's `X-API-User` in core, on both databases: an `admin` key acting for a user makes
//! that user's requests, audited as the key acting for them; other keys, unknown and disabled
//! users are refused.

use secrecy::ExposeSecret as _;

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, Source, UserId};
use crate::service::Services;
use crate::store::audit;

/// The caller a freshly made key of `scopes` authenticates as.
pub(super) async fn caller(
    services: &Services,
    name: &str,
    scopes: &str,
) -> crate::service::ApiCaller {
    let cli = Actor {
        user: None,
        source: Source::Cli,
    };
    let made = services
        .api_keys
        .create(&cli, name, scopes)
        .await
        .expect("key");
    services
        .api_keys
        .authenticate(made.secret.expose_secret())
        .await
        .expect("authenticates")
}

both_dbs!(an_admin_key_acts_for_a_user_and_is_audited_as_such, |db| {
    let services = Services::new(db.clone());
    let (ann, _) = user_with_role(&services, 31, "member").await;
    let admin = caller(&services, "doplarr", "admin").await;
    let machine = admin.user;
    let acting = services
        .api_keys
        .act_for(admin, ann.id)
        .await
        .expect("admin may");
    assert_eq!(acting.user, ann.id);
    assert_eq!(acting.key, "doplarr");
    let made = services
        .requests
        .create(&acting.actor(), movie(550, "Fight Club"))
        .await
        .expect("request");
    assert_eq!(made.request.requested_by, ann.id, "the user's request");
    assert_ne!(made.request.requested_by, machine);
    let trail = audit::for_target(&db, &format!("request:{}", made.request.id), 10)
        .await
        .expect("audit");
    let row = trail.last().expect("audited");
    assert_eq!(row.actor, Some(ann.id));
    assert_eq!(row.source, "api");
    assert_eq!(row.source_detail.as_deref(), Some("doplarr"));
});

both_dbs!(others_unknown_and_disabled_users_are_refused, |db| {
    let services = Services::new(db.clone());
    let (ann, _) = user_with_role(&services, 32, "member").await;
    let (_, boss) = user_with_role(&services, 33, "admin").await;
    for scope in ["read", "request", "approve"] {
        let key = caller(&services, &format!("k-{scope}"), scope).await;
        let err = services
            .api_keys
            .act_for(key, ann.id)
            .await
            .expect_err("not admin");
        assert!(
            matches!(&err, CoreError::Forbidden(m) if m.starts_with("X-API-User")),
            "{err}"
        );
    }
    let admin = caller(&services, "root", "admin").await;
    let err = services
        .api_keys
        .act_for(admin.clone(), UserId(987_654))
        .await
        .expect_err("unknown");
    assert!(
        matches!(&err, CoreError::Forbidden(m) if m.contains("987654")),
        "{err}"
    );
    services
        .users
        .set_disabled(&boss, ann.id, true)
        .await
        .expect("disable");
    let err = services
        .api_keys
        .act_for(admin, ann.id)
        .await
        .expect_err("disabled");
    assert!(matches!(err, CoreError::Forbidden(_)), "{err}");
    assert_eq!(count(&db, "requests").await, 0, "nothing written");
});
