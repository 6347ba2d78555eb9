//! Passkeys through PasskeyService: the first admin from the setup link, who may manage whose
//! passkeys, the last-passkey rule, the sign-in lookup, and account linking carrying passkeys.

use super::harness::{both_dbs, count, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, Identity, Permission, Platform, Source, Timestamp};
use crate::service::Services;
use crate::service::passkeys::{FirstAdmin, NewPasskey};
use crate::service::sessions::ClientInfo;
use crate::store::{audit, in_tx, links, users};

fn web() -> Source {
    Source::Web {
        ip: Some("192.0.2.9".into()),
    }
}

fn key(handle: &str, id: &str, name: &str) -> NewPasskey {
    NewPasskey {
        handle: handle.into(),
        credential_id: id.into(),
        name: name.into(),
        credential: format!("{{\"cred\":\"{id}\",\"counter\":0}}"),
    }
}

async fn setup_token(services: &Services) -> String {
    let cli = Actor {
        user: None,
        source: Source::Cli,
    };
    let link = services
        .setup
        .issue_link(&cli, "http://localhost:8080")
        .await
        .expect("link");
    link.rsplit('/').next().expect("token").to_owned()
}

both_dbs!(the_setup_link_makes_one_admin_once, |db| {
    let services = Services::new(db.clone());
    let token = setup_token(&services).await;

    // Bad input refuses before the token is touched.
    let blank = services
        .passkeys
        .first_admin(FirstAdmin {
            setup_token: token.clone(),
            display_name: "   ".into(),
            passkey: key("handle-1", "cred-A", "Laptop"),
            source: web(),
        })
        .await;
    assert!(matches!(blank, Err(CoreError::Validation(_))), "{blank:?}");
    assert!(services.setup.is_valid(&token).await.expect("still valid"));

    let admin = services
        .passkeys
        .first_admin(FirstAdmin {
            setup_token: token.clone(),
            display_name: " Ada ".into(),
            passkey: key("handle-1", "cred-A", "Laptop"),
            source: web(),
        })
        .await
        .expect("first admin");
    assert_eq!(admin.display_name, "Ada");
    assert!(!services.setup.needs_setup().await.expect("needs setup"));
    let (_, identities) = services.users.get(admin.id).await.expect("user");
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].platform, Platform::Passkey);
    assert_eq!(identities[0].external_id, "handle-1");
    let actor = Actor::user(admin.id, web());
    let keys = services
        .passkeys
        .list(&actor, admin.id)
        .await
        .expect("list");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].name, "Laptop");
    let trail = audit::for_target(&db, &format!("user:{}", admin.id), 10)
        .await
        .expect("audit");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"user_created"), "{actions:?}");
    assert!(actions.contains(&"passkey_added"), "{actions:?}");
    let session = services
        .sessions
        .start(admin.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");
    let live = services.sessions.check(&session.jti).await.expect("check");
    assert!(live.expect("open").permissions.allows(Permission::Admin));

    // The token is spent: a second admin is refused and nothing is written.
    let (users_before, passkeys_before, audit_before) = (
        count(&db, "users").await,
        count(&db, "passkeys").await,
        count(&db, "audit_log").await,
    );
    let again = services
        .passkeys
        .first_admin(FirstAdmin {
            setup_token: token.clone(),
            display_name: "Mallory".into(),
            passkey: key("handle-2", "cred-B", "Evil"),
            source: web(),
        })
        .await;
    assert!(matches!(again, Err(CoreError::Forbidden(_))), "{again:?}");
    assert_eq!(count(&db, "users").await, users_before);
    assert_eq!(count(&db, "passkeys").await, passkeys_before);
    assert_eq!(count(&db, "audit_log").await, audit_before);
    assert_eq!(count(&db, "identities").await, 1);

    // An expired token refuses too, and a forged one.
    let expired = "expired-setup-token";
    let past = Timestamp(Timestamp::now().0 - 1000);
    let put: crate::CoreResult<()> = in_tx(&db, |tx| {
        Box::pin(async {
            links::put_setup_token(tx, &crate::crypto::hash_token(expired), past, past).await
        })
    })
    .await;
    put.expect("expired token");
    for token in [expired, "forged", ""] {
        let refused = services
            .passkeys
            .first_admin(FirstAdmin {
                setup_token: token.into(),
                display_name: "Mallory".into(),
                passkey: key("handle-3", "cred-C", "Evil"),
                source: web(),
            })
            .await;
        assert!(
            matches!(refused, Err(CoreError::Forbidden(_))),
            "{token}: {refused:?}"
        );
    }
    assert_eq!(count(&db, "users").await, users_before);
    assert_eq!(count(&db, "passkeys").await, passkeys_before);
});

both_dbs!(only_the_owner_or_an_admin_manages_passkeys, |db| {
    let services = Services::new(db.clone());
    let (alice, alice_actor) = user_with_role(&services, 801, "member").await;
    let (_bob, bob_actor) = user_with_role(&services, 802, "member").await;
    let (_root, admin_actor) = user_with_role(&services, 803, "admin").await;

    let info = services
        .passkeys
        .registration_info(&alice_actor, alice.id)
        .await
        .expect("own info");
    assert_eq!(info.handle, None);
    assert!(info.credential_ids.is_empty());
    services
        .passkeys
        .add(
            &alice_actor,
            alice.id,
            key("alice-handle", "alice-1", "Phone"),
        )
        .await
        .expect("add own");
    let info = services
        .passkeys
        .registration_info(&alice_actor, alice.id)
        .await
        .expect("own info");
    assert_eq!(info.handle.as_deref(), Some("alice-handle"));
    assert_eq!(info.credential_ids, vec!["alice-1".to_owned()]);

    // Bob, a member, can neither see nor touch Alice's passkeys.
    let list = services.passkeys.list(&bob_actor, alice.id).await;
    assert!(matches!(list, Err(CoreError::Forbidden(_))), "{list:?}");
    let info = services
        .passkeys
        .registration_info(&bob_actor, alice.id)
        .await;
    assert!(matches!(info, Err(CoreError::Forbidden(_))), "{info:?}");
    let add = services
        .passkeys
        .add(&bob_actor, alice.id, key("bob-handle", "bob-1", "Mine now"))
        .await;
    assert!(matches!(add, Err(CoreError::Forbidden(_))), "{add:?}");
    let rename = services
        .passkeys
        .rename(&bob_actor, "alice-1", "pwned")
        .await;
    assert!(matches!(rename, Err(CoreError::NotFound(_))), "{rename:?}");
    let remove = services.passkeys.remove(&bob_actor, "alice-1", None).await;
    assert!(matches!(remove, Err(CoreError::NotFound(_))), "{remove:?}");

    // An admin may.
    services
        .passkeys
        .rename(&admin_actor, "alice-1", "  Work phone ")
        .await
        .expect("admin renames");
    let keys = services
        .passkeys
        .list(&admin_actor, alice.id)
        .await
        .expect("admin lists");
    assert_eq!(keys[0].name, "Work phone");
    let bad = services.passkeys.rename(&alice_actor, "alice-1", "").await;
    assert!(matches!(bad, Err(CoreError::Validation(_))), "{bad:?}");

    // One credential id is registered once, whoever tries.
    let twice = services
        .passkeys
        .add(
            &alice_actor,
            alice.id,
            key("alice-handle", "alice-1", "Again"),
        )
        .await;
    assert!(matches!(twice, Err(CoreError::Conflict(_))), "{twice:?}");
    // Another user's handle cannot be claimed.
    let (carol, carol_actor) = user_with_role(&services, 804, "member").await;
    let stolen = services
        .passkeys
        .add(
            &carol_actor,
            carol.id,
            key("alice-handle", "carol-1", "Mine"),
        )
        .await;
    assert!(matches!(stolen, Err(CoreError::Conflict(_))), "{stolen:?}");
    assert_eq!(count(&db, "passkeys").await, 1);
});

both_dbs!(the_last_way_to_sign_in_cannot_be_removed, |db| {
    let services = Services::new(db.clone());
    let (user, actor) = user_with_role(&services, 811, "member").await;
    services
        .passkeys
        .add(&actor, user.id, key("h-811", "first", "First"))
        .await
        .expect("first");
    let last = services.passkeys.remove(&actor, "first", None).await;
    assert!(matches!(last, Err(CoreError::Conflict(_))), "{last:?}");

    services
        .passkeys
        .add(&actor, user.id, key("h-811", "second", "Second"))
        .await
        .expect("second");
    services
        .passkeys
        .remove(&actor, "first", None)
        .await
        .expect("one of two");
    let last = services.passkeys.remove(&actor, "second", None).await;
    assert!(matches!(last, Err(CoreError::Conflict(_))), "{last:?}");

    // With OIDC as another way in, the last passkey may go.
    let oidc = Identity {
        user_id: user.id,
        platform: Platform::Oidc,
        external_id: "https://idp.example|u811".into(),
        display: "u811".into(),
    };
    let put: crate::CoreResult<()> = in_tx(&db, |tx| {
        Box::pin(async { users::insert_identity(tx, &oidc, Timestamp::now()).await })
    })
    .await;
    put.expect("oidc");
    services
        .passkeys
        .remove(&actor, "second", None)
        .await
        .expect("oidc remains");
    assert_eq!(count(&db, "passkeys").await, 0);
    let trail = audit::for_target(&db, &format!("user:{}", user.id), 20)
        .await
        .expect("audit");
    let removed = trail
        .iter()
        .filter(|e| e.action == "passkey_removed")
        .count();
    assert_eq!(removed, 2);
});

both_dbs!(
    sign_in_finds_the_credential_by_handle_and_records_use,
    |db| {
        let services = Services::new(db.clone());
        let (user, actor) = user_with_role(&services, 821, "member").await;
        let (other, other_actor) = user_with_role(&services, 822, "member").await;
        services
            .passkeys
            .add(&actor, user.id, key("h-821", "cred-821", "Key"))
            .await
            .expect("add");
        services
            .passkeys
            .add(&other_actor, other.id, key("h-822", "cred-822", "Key"))
            .await
            .expect("add other");

        let found = services
            .passkeys
            .for_sign_in("h-821", "cred-821")
            .await
            .expect("lookup")
            .expect("found");
        assert_eq!(found.user, user.id);
        assert_eq!(found.last_used_at, None);
        // A credential presented with someone else's handle (or an unknown one) is not found.
        for (handle, id) in [
            ("h-822", "cred-821"),
            ("nobody", "cred-821"),
            ("h-821", "nope"),
            ("h-821", ""),
        ] {
            let none = services
                .passkeys
                .for_sign_in(handle, id)
                .await
                .expect("lookup");
            assert!(none.is_none(), "{handle} {id}");
        }

        services
            .passkeys
            .record_sign_in("cred-821", Some("{\"counter\":5}"))
            .await
            .expect("record");
        let found = services
            .passkeys
            .for_sign_in("h-821", "cred-821")
            .await
            .expect("lookup")
            .expect("found");
        assert!(found.last_used_at.is_some());
        assert_eq!(found.credential, "{\"counter\":5}");
        services
            .passkeys
            .record_sign_in("cred-821", None)
            .await
            .expect("record without change");
        let kept = services
            .passkeys
            .for_sign_in("h-821", "cred-821")
            .await
            .expect("lookup")
            .expect("found");
        assert_eq!(kept.credential, "{\"counter\":5}");
        let gone = services.passkeys.record_sign_in("nope", None).await;
        assert!(matches!(gone, Err(CoreError::NotFound(_))), "{gone:?}");
    }
);

both_dbs!(linking_a_bot_account_keeps_passkeys_and_the_session, |db| {
    let services = Services::new(db.clone());
    let token = setup_token(&services).await;
    let admin = services
        .passkeys
        .first_admin(FirstAdmin {
            setup_token: token,
            display_name: "Ada".into(),
            passkey: key("ada-handle", "ada-key", "Laptop"),
            source: web(),
        })
        .await
        .expect("admin");
    let session = services
        .sessions
        .start(admin.id, "passkey", &ClientInfo::default())
        .await
        .expect("session");
    // The bot user asks for a code; the console user enters it.
    let (tg_user, tg_actor) = user_with_role(&services, 831, "member").await;
    let code = services.links.create_code(&tg_actor).await.expect("code");
    let console_actor = Actor::user(admin.id, web());
    let survivor = services
        .links
        .redeem(&console_actor, &code.code)
        .await
        .expect("redeem");
    assert_eq!(survivor, tg_user.id);

    let live = services
        .sessions
        .check(&session.jti)
        .await
        .expect("check")
        .expect("still signed in");
    assert_eq!(live.user.id, tg_user.id);
    assert!(live.permissions.allows(Permission::Admin));
    let found = services
        .passkeys
        .for_sign_in("ada-handle", "ada-key")
        .await
        .expect("lookup")
        .expect("passkey moved");
    assert_eq!(found.user, tg_user.id);
});

both_dbs!(removing_a_passkey_ends_the_owners_other_sessions, |db| {
    let services = Services::new(db.clone());
    let (user, actor) = user_with_role(&services, 812, "member").await;
    for (id, name) in [("phone", "Phone"), ("laptop", "Laptop")] {
        services
            .passkeys
            .add(&actor, user.id, key("h-812", id, name))
            .await
            .expect("add");
    }
    let client = ClientInfo::default();
    let open = |via| services.sessions.start(user.id, via, &client);
    let here = open("passkey").await.expect("this browser");
    let lost = open("passkey").await.expect("the lost phone's");
    services
        .passkeys
        .remove(&actor, "phone", Some(&here.jti))
        .await
        .expect("remove");
    let alive = |jti: String| {
        let sessions = &services.sessions;
        async move { sessions.check(&jti).await.expect("check").is_some() }
    };
    assert!(alive(here.jti.clone()).await, "the session asking stays");
    assert!(!alive(lost.jti.clone()).await, "the others end");

    // Removed without a session of the owner's (an admin, say): all of them end.
    let again = open("passkey").await.expect("again");
    let (_, admin) = user_with_role(&services, 813, "admin").await;
    services
        .passkeys
        .add(&actor, user.id, key("h-812", "tablet", "Tablet"))
        .await
        .expect("third");
    services
        .passkeys
        .remove(&admin, "laptop", None)
        .await
        .expect("admin removes");
    assert!(!alive(again.jti.clone()).await);
    assert!(!alive(here.jti).await);
});
