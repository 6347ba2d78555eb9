//! Signing in with an OIDC provider: accounts found or created by issuer and subject, groups
//! mapped to roles with audit rows, outsiders, unknown and disabled users refused.

use super::harness::both_dbs;
use crate::domain::{Permission, Permissions, User};
use crate::service::sessions::ClientInfo;
use crate::service::{OidcRefusal, OidcRoleMap, Services};
use crate::store::{Db, audit};

const ISSUER: &str = "http://127.0.0.1:9000";

fn groups(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

fn role_map(member_groups: &[&str], auto_create: bool) -> OidcRoleMap {
    OidcRoleMap {
        admin_groups: groups(&["usher-admins"]),
        approver_groups: groups(&["mods"]),
        member_groups: groups(member_groups),
        auto_create,
    }
}

/// What the user may do now, read the way every console request reads it.
async fn permissions(services: &Services, user: &User) -> Permissions {
    let session = services
        .sessions
        .start(user.id, "oidc", &ClientInfo::default())
        .await
        .expect("start session");
    services
        .sessions
        .check(&session.jti)
        .await
        .expect("check")
        .expect("open session")
        .permissions
}

async fn actions(db: &Db, user: &User) -> Vec<String> {
    audit::for_target(db, &format!("user:{}", user.id), 50)
        .await
        .expect("audit")
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect()
}

both_dbs!(
    first_sign_in_creates_the_user_and_groups_grant_roles,
    |db| {
        let services = Services::new(db.clone());
        let map = role_map(&[], true);
        let alice = services
            .users
            .sign_in_oidc(ISSUER, "alice", "Alice", &groups(&["usher-admins"]), &map)
            .await
            .expect("sign in")
            .expect("allowed");
        assert_eq!(alice.display_name, "Alice");
        let (_, identities) = services.users.get(alice.id).await.expect("get");
        assert_eq!(identities.len(), 1);
        assert_eq!(identities[0].external_id, "http://127.0.0.1:9000|alice");
        assert!(
            permissions(&services, &alice)
                .await
                .allows(Permission::Admin)
        );
        assert_eq!(
            actions(&db, &alice).await,
            ["user_created", "role_granted", "signed_in"]
        );
        let granted = audit::for_target(&db, &format!("user:{}", alice.id), 50)
            .await
            .expect("audit")
            .into_iter()
            .find(|e| e.action == "role_granted")
            .expect("grant row");
        assert_eq!(granted.details["role"], "admin");
        assert_eq!(granted.details["via"], "oidc");
        assert_eq!(granted.details["groups"][0], "usher-admins");

        // The next sign-in finds the same account and changes nothing.
        let again = services
            .users
            .sign_in_oidc(
                ISSUER,
                "alice",
                "Alice A.",
                &groups(&["usher-admins"]),
                &map,
            )
            .await
            .expect("sign in")
            .expect("allowed");
        assert_eq!(again.id, alice.id);
        assert_eq!(actions(&db, &alice).await.len(), 3);

        // A plain provider user is a member: may request, may not approve.
        let bob = services
            .users
            .sign_in_oidc(ISSUER, "bob", "", &[], &map)
            .await
            .expect("sign in")
            .expect("allowed");
        assert_ne!(bob.id, alice.id);
        assert_eq!(
            bob.display_name, "http://127.0.0.1:9000|bob",
            "no name: the id"
        );
        let perms = permissions(&services, &bob).await;
        assert!(perms.allows(Permission::RequestMovie));
        assert!(!perms.allows(Permission::Approve));

        // Joining the approver group later grants approve at the next sign-in, and ends the
        // sessions opened under the old roles.
        let old = services
            .sessions
            .start(bob.id, "oidc", &ClientInfo::default())
            .await
            .expect("session");
        services
            .users
            .sign_in_oidc(ISSUER, "bob", "", &groups(&["mods"]), &map)
            .await
            .expect("sign in")
            .expect("allowed");
        assert!(
            services
                .sessions
                .check(&old.jti)
                .await
                .expect("check")
                .is_none()
        );
        assert!(
            permissions(&services, &bob)
                .await
                .allows(Permission::Approve)
        );

        // Another issuer with the same subject is another person.
        let other = services
            .users
            .sign_in_oidc("https://other.example", "alice", "Alice", &[], &map)
            .await
            .expect("sign in")
            .expect("allowed");
        assert_ne!(other.id, alice.id);
    }
);

both_dbs!(member_groups_refuse_outsiders_and_create_nothing, |db| {
    let services = Services::new(db.clone());
    let closed = role_map(&["family"], true);
    let refused = services
        .users
        .sign_in_oidc(ISSUER, "carol", "Carol", &groups(&["neighbours"]), &closed)
        .await
        .expect("sign in");
    assert_eq!(refused, Err(OidcRefusal::NotInAllowedGroup));
    // Nothing was created: with auto-create off, carol is still unknown.
    let unknown = services
        .users
        .sign_in_oidc(ISSUER, "carol", "Carol", &[], &role_map(&[], false))
        .await
        .expect("sign in");
    assert_eq!(unknown, Err(OidcRefusal::NotRegistered));

    let dave = services
        .users
        .sign_in_oidc(ISSUER, "dave", "Dave", &groups(&["family"]), &closed)
        .await
        .expect("sign in")
        .expect("family may");
    let approver = services
        .users
        .sign_in_oidc(ISSUER, "erin", "Erin", &groups(&["mods"]), &closed)
        .await
        .expect("sign in")
        .expect("approvers may without the member group");
    assert!(
        permissions(&services, &approver)
            .await
            .allows(Permission::Approve)
    );
    // Removed from the group at the provider: the existing account is refused too.
    let left = services
        .users
        .sign_in_oidc(ISSUER, "dave", "Dave", &[], &closed)
        .await
        .expect("sign in");
    assert_eq!(left, Err(OidcRefusal::NotInAllowedGroup));
    assert!(
        services
            .users
            .sign_in_oidc(ISSUER, "dave", "Dave", &[], &role_map(&[], false))
            .await
            .expect("sign in")
            .is_ok_and(|u| u.id == dave.id),
        "known users sign in with auto-create off"
    );
});

both_dbs!(disabled_users_are_refused, |db| {
    let services = Services::new(db.clone());
    let map = role_map(&[], true);
    let frank = services
        .users
        .sign_in_oidc(ISSUER, "frank", "Frank", &[], &map)
        .await
        .expect("sign in")
        .expect("allowed");
    disable(&db, &frank).await;
    let refused = services
        .users
        .sign_in_oidc(ISSUER, "frank", "Frank", &groups(&["usher-admins"]), &map)
        .await
        .expect("sign in");
    assert_eq!(refused, Err(OidcRefusal::Disabled));
    assert!(
        !actions(&db, &frank)
            .await
            .contains(&"role_granted".to_owned()),
        "a disabled user gains nothing"
    );
});

/// There is no service to disable users yet (the console's users page will add one).
async fn disable(db: &Db, user: &User) {
    const SQL: &str = "UPDATE users SET disabled = TRUE WHERE id = $1";
    match db {
        Db::Sqlite(crate::store::SqliteDb { pool, .. }) => sqlx::query(SQL)
            .bind(user.id.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(crate::store::PgDb { pool, .. }) => sqlx::query(SQL)
            .bind(user.id.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    }
    .expect("disable");
}

both_dbs!(
    leaving_a_group_takes_back_only_the_role_the_group_gave,
    |db| {
        let services = Services::new(db.clone());
        let map = role_map(&[], true);
        let grace = services
            .users
            .sign_in_oidc(ISSUER, "grace", "Grace", &groups(&["usher-admins"]), &map)
            .await
            .expect("sign in")
            .expect("allowed");
        // An admin also makes her an approver by hand in the console.
        let admin = crate::domain::Actor::user(grace.id, crate::domain::Source::Web { ip: None });
        services
            .users
            .grant_role(&admin, grace.id, "approver")
            .await
            .expect("grant by hand");
        let open = services
            .sessions
            .start(grace.id, "oidc", &ClientInfo::default())
            .await
            .expect("session");

        // Removed from the admin group at the provider: admin goes, the hand-made grant stays,
        // and the session opened as an admin ends.
        services
            .users
            .sign_in_oidc(ISSUER, "grace", "Grace", &[], &map)
            .await
            .expect("sign in")
            .expect("still a member");
        let perms = permissions(&services, &grace).await;
        assert!(
            !perms.allows(Permission::Admin),
            "the group's grant is taken back"
        );
        assert!(perms.allows(Permission::Approve), "a person's grant stays");
        assert!(
            services
                .sessions
                .check(&open.jti)
                .await
                .expect("check")
                .is_none()
        );
        let revoked = audit::for_target(&db, &format!("user:{}", grace.id), 50)
            .await
            .expect("audit")
            .into_iter()
            .find(|e| e.action == "role_revoked")
            .expect("revoke row");
        assert_eq!(revoked.details["role"], "admin");
        assert_eq!(revoked.details["via"], "oidc");

        // A role granted by hand is not the provider's to take: admin given in the console
        // survives a sign-in without the admin group.
        services
            .users
            .grant_role(&admin_of(&services).await, grace.id, "admin")
            .await
            .expect("grant admin by hand");
        services
            .users
            .sign_in_oidc(ISSUER, "grace", "Grace", &[], &map)
            .await
            .expect("sign in")
            .expect("allowed");
        assert!(
            permissions(&services, &grace)
                .await
                .allows(Permission::Admin)
        );
    }
);

/// Another admin, for grants after the user under test lost hers.
async fn admin_of(services: &Services) -> crate::domain::Actor {
    let map = role_map(&[], true);
    let heidi = services
        .users
        .sign_in_oidc(ISSUER, "heidi", "Heidi", &groups(&["usher-admins"]), &map)
        .await
        .expect("sign in")
        .expect("allowed");
    crate::domain::Actor::user(heidi.id, crate::domain::Source::Web { ip: None })
}
