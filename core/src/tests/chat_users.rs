//! What UserService learns from chat platforms: languages, and admin rights that follow a
//! Discord role (granted and taken back with an audit row, never touching other grants).

use super::harness::{both_dbs, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, Permission, Platform, Source, UserId};
use crate::service::users::{
    DISCORD_ADMINISTRATOR, DiscordRoles, GuildMember, NOT_A_MEMBER, NOT_REGISTERED, RoleMap,
};
use crate::service::{Registration, Services};
use crate::store::{Db, audit, in_tx, users};

async fn is_admin(db: &Db, user: UserId) -> bool {
    let perms: crate::CoreResult<_> = in_tx(db, |tx| {
        Box::pin(async { users::permissions_of(tx, user).await })
    })
    .await;
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
    // Only a language Usher ships is taken; an unknown account has nothing.
    for bad in ["", "de;DROP", &"x".repeat(36), "xx"] {
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

/// A guild member with `held` roles, as the Discord front end reports them.
fn in_guild<'a>(id: &'a str, held: &'a [String]) -> GuildMember<'a> {
    GuildMember {
        platform: Platform::Discord,
        external_id: id,
        display: id,
        held,
    }
}

fn roles(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

async fn may_approve(db: &Db, user: UserId) -> bool {
    let perms: crate::CoreResult<_> = in_tx(db, |tx| {
        Box::pin(async { users::permissions_of(tx, user).await })
    })
    .await;
    perms.expect("permissions").allows(Permission::Approve)
}

both_dbs!(
    member_roles_keep_out_others_and_approver_roles_come_and_go,
    |db| {
        let services = Services::new(db.clone());
        let map = RoleMap::discord(&DiscordRoles {
            approver: &[33],
            member: &[44],
            ..DiscordRoles::default()
        });
        let member = Registration::AutoRegister("member");
        let users = &services.users;

        // No member role: refused, and no user is created for them.
        let outsider = roles(&["5"]);
        let refused = users
            .meet_in_guild(&in_guild("700", &outsider), member, &map)
            .await;
        assert!(matches!(refused, Err(CoreError::Forbidden(ref why)) if why == NOT_A_MEMBER));
        let known = users::read_by_identity(&db, Platform::Discord, "700")
            .await
            .expect("read");
        assert!(known.is_none(), "a refused newcomer leaves no record");

        // The member role lets one in as a member; the approver role as an approver.
        let joined = users
            .meet_in_guild(&in_guild("701", &roles(&["44"])), member, &map)
            .await
            .expect("member");
        assert!(!may_approve(&db, joined.id).await);
        let approver = users
            .meet_in_guild(&in_guild("702", &roles(&["33"])), member, &map)
            .await
            .expect("approver");
        assert!(may_approve(&db, approver.id).await);

        // The approver role taken away in Discord: the right goes, and so does the way in.
        let gone = users
            .meet_in_guild(&in_guild("702", &outsider), member, &map)
            .await;
        assert!(matches!(gone, Err(CoreError::Forbidden(_))), "{gone:?}");
        assert!(!may_approve(&db, approver.id).await);

        // A configured admin gets in without any Discord role.
        users
            .ensure_admins(Platform::Discord, &["703".to_owned()])
            .await
            .expect("seed");
        let admin = users
            .meet_in_guild(&in_guild("703", &outsider), member, &map)
            .await
            .expect("configured admin");
        assert!(is_admin(&db, admin.id).await);
    }
);

both_dbs!(guild_administrators_are_admins_only_when_asked, |db| {
    let services = Services::new(db.clone());
    let member = Registration::AutoRegister("member");
    let administrator = roles(&[DISCORD_ADMINISTRATOR]);
    let off = RoleMap::discord(&DiscordRoles::default());
    let user = services
        .users
        .meet_in_guild(&in_guild("710", &administrator), member, &off)
        .await
        .expect("user");
    assert!(!is_admin(&db, user.id).await, "off by default");
    let on = RoleMap::discord(&DiscordRoles {
        administrators_are_admins: true,
        ..DiscordRoles::default()
    });
    services
        .users
        .meet_in_guild(&in_guild("710", &administrator), member, &on)
        .await
        .expect("user");
    assert!(is_admin(&db, user.id).await);
    services
        .users
        .meet_in_guild(&in_guild("710", &[]), member, &on)
        .await
        .expect("user");
    assert!(
        !is_admin(&db, user.id).await,
        "ADMINISTRATOR lost, admin lost"
    );
});

both_dbs!(
    refused_newcomers_link_with_a_code_and_become_that_user,
    |db| {
        let services = Services::new(db.clone());
        let (owner, owner_actor) = user_with_role(&services, 720, "member").await;
        let map = RoleMap::discord(&DiscordRoles::default());
        let newcomer = in_guild("721", &[]);
        let refused = services
            .users
            .meet_in_guild(&newcomer, Registration::Refuse, &map)
            .await;
        assert!(matches!(refused, Err(CoreError::Forbidden(ref why)) if why == NOT_REGISTERED));

        let code = services
            .links
            .create_code(&owner_actor)
            .await
            .expect("code");
        let wrong = services
            .links
            .redeem_as_newcomer(Platform::Discord, "721", "newcomer", "WRONGCODE")
            .await;
        assert!(matches!(wrong, Err(CoreError::NotFound(_))), "{wrong:?}");
        let joined = services
            .links
            .redeem_as_newcomer(Platform::Discord, "721", "newcomer", &code.code)
            .await
            .expect("linked");
        assert_eq!(joined, owner.id);
        let now_known = services
            .users
            .meet_in_guild(&newcomer, Registration::Refuse, &map)
            .await
            .expect("known now");
        assert_eq!(now_known.id, owner.id);
        let trail = audit::for_target(&db, &format!("user:{}", owner.id), 10)
            .await
            .expect("audit");
        assert!(trail.iter().any(|e| e.action == "identity_linked"));

        // A code works once; a known account links the usual way.
        let again = services
            .links
            .redeem_as_newcomer(Platform::Discord, "721", "newcomer", &code.code)
            .await;
        assert!(matches!(again, Err(CoreError::Conflict(_))), "{again:?}");
    }
);
