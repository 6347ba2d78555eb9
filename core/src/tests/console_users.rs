//! The admin's user and role management: revoke a role, disable and enable, never lose the last
//! admin, and the directory the users page lists.

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{Platform, QuotaLimit, QuotaScope, UserId};
use crate::service::sessions::ClientInfo;
use crate::service::users::LAST_ADMIN;
use crate::service::{Registration, Services};
use crate::store::audit;

async fn actions(services: &Services, user: UserId) -> Vec<String> {
    audit::for_target(&services.db, &format!("user:{user}"), 50)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn session_open(services: &Services, jti: &str) -> bool {
    services.sessions.check(jti).await.expect("check").is_some()
}

both_dbs!(revoking_a_role_ends_sessions_and_keeps_an_admin, |db| {
    let services = Services::new(db.clone());
    let (admin, admin_actor) = user_with_role(&services, 800, "admin").await;
    let (helper, _) = user_with_role(&services, 801, "approver").await;
    let (_, member_actor) = user_with_role(&services, 802, "member").await;
    let session = services
        .sessions
        .start(helper.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");

    let refused = services
        .users
        .revoke_role(&member_actor, helper.id, "approver")
        .await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(session_open(&services, &session.jti).await);

    services
        .users
        .revoke_role(&admin_actor, helper.id, "approver")
        .await
        .expect("revoke");
    assert!(!session_open(&services, &session.jti).await, "sessions end");
    let profile = services
        .users
        .profile(&admin_actor, helper.id)
        .await
        .expect("profile");
    assert!(profile.roles.is_empty(), "{:?}", profile.roles);
    assert_eq!(actions(&services, helper.id).await[0], "role_revoked");
    // Taking a role the user does not hold changes and records nothing.
    let audit_rows = count(&db, "audit_log").await;
    services
        .users
        .revoke_role(&admin_actor, helper.id, "approver")
        .await
        .expect("no-op");
    assert_eq!(count(&db, "audit_log").await, audit_rows);
    assert!(matches!(
        services
            .users
            .revoke_role(&admin_actor, helper.id, "overlord")
            .await,
        Err(CoreError::NotFound(_))
    ));
    assert!(matches!(
        services
            .users
            .revoke_role(&admin_actor, UserId(999_999), "member")
            .await,
        Err(CoreError::NotFound(_))
    ));

    // The only admin cannot lose admin, not even by their own hand.
    let last = services
        .users
        .revoke_role(&admin_actor, admin.id, "admin")
        .await;
    assert!(
        matches!(&last, Err(CoreError::Conflict(m)) if m == LAST_ADMIN),
        "{last:?}"
    );
    let profile = services
        .users
        .profile(&admin_actor, admin.id)
        .await
        .expect("profile");
    assert!(profile.roles.contains(&"admin".to_owned()), "rolled back");
    // With a second admin it can.
    services
        .users
        .grant_role(&admin_actor, helper.id, "admin")
        .await
        .expect("grant");
    services
        .users
        .revoke_role(&admin_actor, admin.id, "admin")
        .await
        .expect("another admin remains");
});

both_dbs!(disabling_a_user_stops_them_everywhere, |db| {
    let services = Services::new(db.clone());
    let (admin, admin_actor) = user_with_role(&services, 810, "admin").await;
    let (member, member_actor) = user_with_role(&services, 811, "member").await;
    let session = services
        .sessions
        .start(member.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");

    assert!(matches!(
        services
            .users
            .set_disabled(&member_actor, admin.id, true)
            .await,
        Err(CoreError::Forbidden(_))
    ));
    services
        .users
        .set_disabled(&admin_actor, member.id, true)
        .await
        .expect("disable");
    assert!(!session_open(&services, &session.jti).await);
    assert!(matches!(
        services
            .requests
            .create(&member_actor, movie(7001, "X"))
            .await,
        Err(CoreError::Forbidden(_))
    ));
    assert!(matches!(
        services
            .sessions
            .start(member.id, "passkey", &ClientInfo::default())
            .await,
        Err(CoreError::Forbidden(_))
    ));
    // Twice is harmless and writes one audit row.
    services
        .users
        .set_disabled(&admin_actor, member.id, true)
        .await
        .expect("again");
    services
        .users
        .set_disabled(&admin_actor, member.id, false)
        .await
        .expect("enable");
    assert_eq!(
        actions(&services, member.id).await[..2],
        ["user_enabled".to_owned(), "user_disabled".to_owned()]
    );
    assert_eq!(
        actions(&services, member.id)
            .await
            .iter()
            .filter(|a| *a == "user_disabled")
            .count(),
        1
    );
    services
        .requests
        .create(&member_actor, movie(7001, "X"))
        .await
        .expect("enabled again");

    let last = services
        .users
        .set_disabled(&admin_actor, admin.id, true)
        .await;
    assert!(
        matches!(&last, Err(CoreError::Conflict(m)) if m == LAST_ADMIN),
        "{last:?}"
    );
    assert!(
        services
            .sessions
            .start(admin.id, "passkey", &ClientInfo::default())
            .await
            .is_ok()
    );
});

both_dbs!(the_directory_lists_searches_and_pages_users, |db| {
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 820, "admin").await;
    let (_, member_actor) = user_with_role(&services, 821, "member").await;
    let mut made = Vec::new();
    for i in 0..7 {
        let user = services
            .users
            .resolve(
                Platform::Discord,
                &format!("9000{i}"),
                &format!("Viewer_{i}"),
                Registration::AutoRegister("member"),
            )
            .await
            .expect("user");
        made.push(user.id);
    }
    let (alice, alice_actor) = user_with_role(&services, 822, "member").await;
    let (_, bob_actor) = user_with_role(&services, 823, "member").await;
    let request = services
        .requests
        .create(&alice_actor, movie(7100, "Arrival"))
        .await
        .expect("request")
        .request;
    services
        .requests
        .create(&bob_actor, movie(7100, "Arrival"))
        .await
        .expect("bob follows");
    let limit = QuotaLimit { max: 3, days: 7 };
    let scope = QuotaScope::ALL[1];
    services
        .users
        .set_user_quota(&admin, alice.id, scope, Some(limit))
        .await
        .expect("quota");

    assert!(matches!(
        services
            .users
            .directory(&member_actor, None, None, 10)
            .await,
        Err(CoreError::Forbidden(_))
    ));
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = services
            .users
            .directory(&admin, None, after, 4)
            .await
            .expect("page");
        assert!(page.items.len() <= 4);
        seen.extend(page.items.iter().map(|u| u.user.id));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 11);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, once each"
    );

    let viewers = services
        .users
        .directory(&admin, Some("viewer_"), None, 100)
        .await
        .expect("search");
    assert_eq!(viewers.items.len(), 7, "the underscore matches itself");
    let by_account = services
        .users
        .directory(&admin, Some("90003"), None, 100)
        .await
        .expect("by account id");
    assert_eq!(by_account.items.len(), 1);
    assert_eq!(by_account.items[0].user.id, made[3]);
    assert_eq!(
        by_account.items[0].identities[0].platform,
        Platform::Discord
    );
    let by_id = services
        .users
        .directory(&admin, Some(&format!("#{}", alice.id)), None, 100)
        .await
        .expect("by id");
    let alice_row = by_id
        .items
        .iter()
        .find(|u| u.user.id == alice.id)
        .expect("alice listed");
    assert_eq!(alice_row.roles, ["member"]);
    assert_eq!(alice_row.quotas, vec![(scope, limit)]);
    assert_eq!((alice_row.requests, alice_row.following), (1, 0));
    let bob_row = services
        .users
        .directory(&admin, Some("user823"), None, 100)
        .await
        .expect("bob");
    assert_eq!(
        (bob_row.items[0].requests, bob_row.items[0].following),
        (0, 1)
    );
    assert!(
        services
            .users
            .directory(&admin, Some("%"), None, 100)
            .await
            .expect("literal percent")
            .items
            .is_empty()
    );
    assert!(matches!(
        services
            .users
            .directory(&admin, Some(&"x".repeat(101)), None, 10)
            .await,
        Err(CoreError::Validation(_))
    ));
    assert!(matches!(
        services.users.profile(&admin, UserId(999_999)).await,
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(request.requested_by, alice.id);
});

both_dbs!(roles_list_members_and_quotas, |db| {
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 830, "admin").await;
    let (_, member) = user_with_role(&services, 831, "member").await;
    user_with_role(&services, 832, "member").await;
    let limit = QuotaLimit { max: 5, days: 30 };
    services
        .users
        .set_role_quota(&admin, "member", QuotaScope::ALL[0], Some(limit))
        .await
        .expect("role quota");
    assert!(matches!(
        services.users.roles(&member).await,
        Err(CoreError::Forbidden(_))
    ));
    let roles = services.users.roles(&admin).await.expect("roles");
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["member", "trusted", "approver", "admin"]);
    assert_eq!((roles[0].members, roles[3].members), (2, 1));
    assert!(roles.iter().all(|r| r.builtin));
    assert_eq!(roles[0].quotas, vec![(QuotaScope::ALL[0], limit)]);
    assert!(roles[1].quotas.is_empty());
});
