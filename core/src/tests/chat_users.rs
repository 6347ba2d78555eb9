//! What UserService learns from chat platforms: languages, and admin rights that follow a
//! Discord role (granted and taken back with an audit row, never touching other grants).

use super::harness::{both_dbs, user_with_role};
use crate::domain::{Actor, Permission, Platform, Source, UserId};
use crate::service::users::RoleMap;
use crate::service::{Registration, Services};
use crate::store::{Db, audit, in_tx, users};

async fn is_admin(db: &Db, user: UserId) -> bool {
    let perms: crate::CoreResult<_> =
        async { in_tx!(db, tx => users::permissions_of(tx, user).await) }.await;
    perms.expect("permissions").allows(Permission::Admin)
}

async fn discord(services: &Services, id: &str) -> UserId {
    services
        .users
        .resolve(
            Platform::Discord,
            id,
            id,
            Registration::AutoRegister("member"),
        )
        .await
        .expect("user")
        .id
}

fn from(id: &str) -> Source {
    Source::Discord { user: id.into() }
}

both_dbs!(
    a_discord_admin_role_grants_admin_and_its_loss_takes_it_back,
    |db| {
        let services = Services::new(db.clone());
        let map = RoleMap::discord_admins(&[4242]);
        let user = discord(&services, "600").await;
        let held = vec!["1".to_owned(), "4242".to_owned()];
        services
            .users
            .apply_role_map(user, &map, &held, from("600"))
            .await
            .expect("apply");
        assert!(is_admin(&db, user).await);
        // Seen again with the role: nothing new is written.
        services
            .users
            .apply_role_map(user, &map, &held, from("600"))
            .await
            .expect("apply");
        let trail = audit::for_target(&db, &format!("user:{user}"), 10)
            .await
            .expect("audit");
        let grants: Vec<_> = trail
            .iter()
            .filter(|e| e.action == "role_granted")
            .collect();
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].source, "discord");
        assert_eq!(grants[0].details["platform_role"], "4242");

        services
            .users
            .apply_role_map(user, &map, &["1".to_owned()], from("600"))
            .await
            .expect("apply");
        assert!(!is_admin(&db, user).await);
        let trail = audit::for_target(&db, &format!("user:{user}"), 10)
            .await
            .expect("audit");
        assert!(trail.iter().any(|e| e.action == "role_revoked"));
    }
);

both_dbs!(
    admins_given_by_a_person_or_configuration_keep_it_without_the_role,
    |db| {
        let services = Services::new(db.clone());
        let map = RoleMap::discord_admins(&[4242]);
        services
            .users
            .ensure_admins(Platform::Discord, &["601".to_owned()])
            .await
            .expect("seed");
        let seeded = discord(&services, "601").await;
        services
            .users
            .apply_role_map(seeded, &map, &[], from("601"))
            .await
            .expect("apply");
        assert!(
            is_admin(&db, seeded).await,
            "configured admins are not the map's to revoke"
        );

        // A grant by a person over a role-made grant turns it into theirs.
        let user = discord(&services, "602").await;
        services
            .users
            .apply_role_map(user, &map, &["4242".to_owned()], from("602"))
            .await
            .expect("apply");
        services
            .users
            .grant_role(&Actor::system(), user, "admin")
            .await
            .expect("grant");
        services
            .users
            .apply_role_map(user, &map, &[], from("602"))
            .await
            .expect("apply");
        assert!(is_admin(&db, user).await);
    }
);

both_dbs!(languages_come_from_the_platform_unless_chosen, |db| {
    let services = Services::new(db.clone());
    let (ann, _) = user_with_role(&services, 20, "member").await;
    assert_eq!(
        services
            .users
            .language_on(ann.id, Platform::Telegram)
            .await
            .expect("lang"),
        None
    );
    services
        .users
        .note_locale(Platform::Telegram, "20", "de")
        .await
        .expect("note");
    assert_eq!(
        services
            .users
            .language_on(ann.id, Platform::Telegram)
            .await
            .expect("lang")
            .as_deref(),
        Some("de")
    );
    // Approvers: two say fr, one de, members do not count.
    assert_eq!(
        services
            .users
            .approvers_language(Platform::Telegram)
            .await
            .expect("lang"),
        None
    );
    for (id, lang) in [(30, "fr"), (31, "de"), (32, "fr")] {
        user_with_role(&services, id, "approver").await;
        services
            .users
            .note_locale(Platform::Telegram, &id.to_string(), lang)
            .await
            .expect("note");
    }
    assert_eq!(
        services
            .users
            .approvers_language(Platform::Telegram)
            .await
            .expect("lang")
            .as_deref(),
        Some("fr")
    );
    assert_eq!(
        services
            .users
            .approvers_language(Platform::Discord)
            .await
            .expect("lang"),
        None
    );
});

both_dbs!(a_chosen_language_wins_everywhere_until_cleared, |db| {
    let services = Services::new(db.clone());
    let (ann, actor) = user_with_role(&services, 40, "member").await;
    let users = &services.users;
    assert_eq!(
        users
            .languages(Platform::Telegram, "40")
            .await
            .expect("read"),
        (None, None)
    );
    users
        .note_locale(Platform::Telegram, "40", "de")
        .await
        .expect("note");
    assert_eq!(
        users
            .languages(Platform::Telegram, "40")
            .await
            .expect("read"),
        (None, Some("de".to_owned()))
    );
    users
        .choose_language(&actor, Some("it"))
        .await
        .expect("choose");
    assert_eq!(
        users
            .languages(Platform::Telegram, "40")
            .await
            .expect("read"),
        (Some("it".to_owned()), Some("de".to_owned()))
    );
    // DMs and approver cards follow the choice on every platform.
    let on = |platform| users.language_on(ann.id, platform);
    assert_eq!(
        on(Platform::Telegram).await.expect("lang").as_deref(),
        Some("it")
    );
    assert_eq!(
        on(Platform::Discord).await.expect("lang").as_deref(),
        Some("it")
    );
    users.choose_language(&actor, None).await.expect("clear");
    assert_eq!(
        on(Platform::Telegram).await.expect("lang").as_deref(),
        Some("de")
    );
    // Only a language tag is taken; an unknown account has nothing.
    for bad in ["", "de;DROP", &"x".repeat(36)] {
        assert!(
            users.choose_language(&actor, Some(bad)).await.is_err(),
            "{bad:?}"
        );
    }
    assert!(
        users
            .choose_language(&Actor::system(), Some("de"))
            .await
            .is_err()
    );
    assert_eq!(
        users
            .languages(Platform::Telegram, "999")
            .await
            .expect("read"),
        (None, None)
    );
});
