//! Roles admins define (usher.toml or the console) and the grant table: permissions and
//! quotas combine as a union, content limits as the strictest; a Telegram chat's grant gives
//! its role to whoever acts there; a role's placement decides where a request goes; bad input
//! is refused whole, and every change is audited.

use super::harness::{both_dbs, movie, user_with_role};
use crate::domain::{
    Actor, ContentLimitSpec, GrantSpec, GrantTarget, Permission, Permissions, Placement, Platform,
    QuotaLimit, RoleQuota, RoleSpec,
};
use crate::error::CoreError;
use crate::i18n::Catalog;
use crate::service::users::{Admission, BUILTIN_KEPT, Contact, RoleMap, SET_BY_FILE};
use crate::service::{Registration, Services};
use crate::store::{audit, role_limits};

fn role(name: &str, permissions: &[Permission]) -> RoleSpec {
    RoleSpec {
        name: name.into(),
        permissions: Permissions::of(permissions),
        ..RoleSpec::default()
    }
}

fn limit(movie: Option<&str>, tv: Option<&str>, blocked: &[&str]) -> ContentLimitSpec {
    ContentLimitSpec {
        movie: movie.map(str::to_owned),
        tv: tv.map(str::to_owned),
        blocked_titles: blocked.iter().map(|t| (*t).to_owned()).collect(),
        ..ContentLimitSpec::default()
    }
}

fn telegram(id: &str) -> Contact<'_> {
    Contact {
        platform: Platform::Telegram,
        external_id: id,
        display: "Kid",
        client_language: None,
        held: None,
    }
}

fn open_door() -> Admission {
    Admission {
        registration: Registration::AutoRegister("member"),
        roles: RoleMap::none(),
    }
}

both_dbs!(
    permissions_unite_and_content_limits_take_the_strictest,
    |db| {
        let services = Services::new(db.clone());
        let users = &services.users;
        let system = Actor::system();
        let mut kids = role("kids", &[Permission::RequestMovie]);
        kids.content_limit = Some(limit(Some("PG-13"), None, &["movie/550"]));
        let mut teens = role("teens", &[Permission::RequestTv, Permission::AutoApproveTv]);
        teens.content_limit = Some(limit(Some("R"), Some("TV-14"), &[]));
        let plain = role("plain", &[Permission::Request4k]);
        for spec in [&kids, &teens, &plain] {
            users.save_role(&system, spec, true).await.expect("saved");
        }
        let (user, _) = user_with_role(&services, 801, "member").await;
        for name in ["kids", "teens", "plain"] {
            users
                .grant_role(&system, user.id, name)
                .await
                .expect("granted");
        }
        let catalog = Catalog::embedded().expect("catalogue");
        let caller = users
            .caller(&telegram("801"), &open_door(), &catalog)
            .await
            .expect("caller");
        for p in [
            Permission::RequestMovie,
            Permission::RequestTv,
            Permission::AutoApproveTv,
            Permission::Request4k,
        ] {
            assert!(caller.may(p), "{p:?} from the union");
        }
        assert!(!caller.may(Permission::AutoApproveMovie));
        let strictest = kids
            .content_limit
            .as_ref()
            .and_then(|l| l.validate().ok())
            .expect("kids")
            .strictest(
                &teens
                    .content_limit
                    .as_ref()
                    .and_then(|l| l.validate().ok())
                    .expect("teens"),
            );
        assert_eq!(
            caller.content_limit, strictest,
            "PG-13, TV-14 and the blocked title"
        );
        assert!(!strictest.is_unlimited());
        let stored = role_limits::content_limit_of(&db, user.id)
            .await
            .expect("limit");
        assert_eq!(stored, strictest);
    }
);

/// A `family` role (ask for movies, auto-approved) that Telegram group `chat` grants, applied
/// as the file would; the role, to apply again.
async fn family_granted_to(users: &crate::service::UserService, chat: i64) -> RoleSpec {
    let family = role(
        "family",
        &[Permission::RequestMovie, Permission::AutoApproveMovie],
    );
    let grant = GrantSpec {
        role: "family".into(),
        target: GrantTarget::TelegramChat(chat),
    };
    users
        .apply_file_roles(std::slice::from_ref(&family), std::slice::from_ref(&grant))
        .await
        .expect("applied");
    family
}

both_dbs!(
    a_telegram_chat_grant_gives_its_role_to_who_acts_there,
    |db| {
        let services = Services::new(db.clone());
        let users = &services.users;
        let family = family_granted_to(users, -100_777).await;
        let catalog = Catalog::embedded().expect("catalogue");
        // In another chat, nothing is given.
        let elsewhere = users
            .caller_in_chat(&telegram("802"), -100_111, &open_door(), &catalog)
            .await
            .expect("caller");
        assert!(!elsewhere.may(Permission::AutoApproveMovie));
        let there = users
            .caller_in_chat(&telegram("802"), -100_777, &open_door(), &catalog)
            .await
            .expect("caller");
        assert!(there.may(Permission::AutoApproveMovie), "held at once");
        // Kept in a private chat afterwards (the documented rule).
        let private = users
            .caller(&telegram("802"), &open_door(), &catalog)
            .await
            .expect("caller");
        assert!(private.may(Permission::AutoApproveMovie));
        // The file's grant cannot be removed in the console; applying a file without it does.
        let rows = users.role_grants(&Actor::system()).await.expect("grants");
        assert_eq!(rows.len(), 1);
        let refused = users.remove_grant(&Actor::system(), rows[0].id).await;
        assert!(matches!(refused, Err(CoreError::Conflict(ref m)) if m == SET_BY_FILE));
        users
            .apply_file_roles(std::slice::from_ref(&family), &[])
            .await
            .expect("applied");
        let after = users
            .caller(&telegram("802"), &open_door(), &catalog)
            .await
            .expect("caller");
        assert!(
            !after.may(Permission::AutoApproveMovie),
            "taken back with the grant"
        );
        let trail = audit::for_target(&db, "role:family", 10)
            .await
            .expect("audit");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["grant_removed", "grant_added", "role_created"]);
        // Applying the same file again writes nothing.
        users
            .apply_file_roles(std::slice::from_ref(&family), &[])
            .await
            .expect("applied");
        let again = audit::for_target(&db, "role:family", 10)
            .await
            .expect("audit");
        assert_eq!(again.len(), 3);
    }
);

both_dbs!(leaving_a_granting_telegram_chat_takes_its_role_back, |db| {
    let services = Services::new(db.clone());
    let users = &services.users;
    family_granted_to(users, -100_777).await;
    let catalog = Catalog::embedded().expect("catalogue");
    let auto = |id: &'static str| {
        let catalog = &catalog;
        async move {
            users
                .caller(&telegram(id), &open_door(), catalog)
                .await
                .expect("caller")
                .may(Permission::AutoApproveMovie)
        }
    };
    for id in ["804", "805"] {
        let there = users
            .caller_in_chat(&telegram(id), -100_777, &open_door(), &catalog)
            .await
            .expect("caller");
        assert!(there.may(Permission::AutoApproveMovie));
    }
    // An admin also gives 805 the role by hand: leaving takes back only what a grant gave.
    let (_, by_hand) = user_with_role(&services, 806, "admin").await;
    let kid = user_id(&db, "805").await;
    users
        .revoke_role(&by_hand, kid, "family")
        .await
        .expect("revoked");
    users
        .grant_role(&by_hand, kid, "family")
        .await
        .expect("granted by hand");

    assert!(users.chat_grants_roles(-100_777).await.expect("granting"));
    assert!(!users.chat_grants_roles(-100_111).await.expect("other"));
    // Leaving another chat, or someone never met leaving, changes nothing.
    assert!(!users.left_chat("804", -100_111).await.expect("other chat"));
    assert!(!users.left_chat("999", -100_777).await.expect("stranger"));
    assert!(auto("804").await, "still held");

    assert!(users.left_chat("804", -100_777).await.expect("left"));
    assert!(!auto("804").await, "taken back at once, caches and all");
    assert!(!users.left_chat("804", -100_777).await.expect("twice"));
    assert!(!users.left_chat("805", -100_777).await.expect("by hand"));
    assert!(auto("805").await, "the admin's grant stays");
    let leaver = user_id(&db, "804").await;
    let trail = audit::for_target(&db, &format!("user:{leaver}"), 10)
        .await
        .expect("audit");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["role_revoked", "role_granted", "user_created"]);

    // Back in the chat, the grant gives it again.
    let back = users
        .caller_in_chat(&telegram("804"), -100_777, &open_door(), &catalog)
        .await
        .expect("caller");
    assert!(back.may(Permission::AutoApproveMovie));
});

/// The user behind Telegram account `id`.
async fn user_id(db: &crate::store::Db, id: &str) -> crate::domain::UserId {
    crate::store::users::read_by_identity(db, Platform::Telegram, id)
        .await
        .expect("read")
        .expect("known")
        .id
}

both_dbs!(a_roles_placement_and_quota_shape_a_request, |db| {
    let services = Services::new(db.clone());
    let users = services
        .users
        .clone()
        .with_instances(vec!["radarr", "sonarr"]);
    let mut family = role(
        "family",
        &[Permission::RequestMovie, Permission::AutoApproveMovie],
    );
    family.radarr = Some(Placement {
        instance: "radarr".into(),
        quality_profile: Some("HD-1080p".into()),
        root_folder: Some("/movies/family".into()),
        tags: vec!["family".into()],
    });
    family.quota = Some(RoleQuota {
        movies: Some(1),
        seasons: None,
        days: 7,
    });
    users
        .apply_file_roles(std::slice::from_ref(&family), &[])
        .await
        .expect("applied");
    user_with_role(&services, 899, "admin").await;
    let (user, actor) = user_with_role(&services, 803, "member").await;
    // Only the family role, so its quota is the one that counts (a union: any unlimited role
    // would lift it).
    users
        .revoke_role(&Actor::system(), user.id, "member")
        .await
        .expect("revoked");
    users
        .grant_role(&Actor::system(), user.id, "family")
        .await
        .expect("granted");
    let outcome = services
        .requests
        .create(&actor, movie(603, "The Matrix"))
        .await
        .expect("request");
    let request = outcome.request;
    assert_eq!(request.target_instance.as_deref(), Some("radarr"));
    assert_eq!(request.target_profile.as_deref(), Some("HD-1080p"));
    assert_eq!(
        request.target_root_folder.as_deref(),
        Some("/movies/family")
    );
    assert_eq!(request.target_tags, Some(vec!["family".to_owned()]));
    let stored = services
        .requests
        .get(&Actor::system(), request.id)
        .await
        .expect("stored");
    assert_eq!(stored.target_root_folder.as_deref(), Some("/movies/family"));
    let over = services
        .requests
        .create(&actor, movie(604, "Reloaded"))
        .await;
    assert!(matches!(over, Err(CoreError::QuotaExceeded(_))), "{over:?}");
    let details = users.role_details(&Actor::system()).await.expect("roles");
    let row = details
        .iter()
        .find(|d| d.record.spec.name == "family")
        .expect("family");
    assert!(row.record.from_file);
    assert_eq!(row.quotas.len(), 1);
    assert_eq!(row.quotas[0].1, QuotaLimit { max: 1, days: 7 });
});

both_dbs!(
    bad_role_input_is_refused_whole_and_changes_are_audited,
    |db| {
        let services = Services::new(db.clone());
        let users = services.users.clone().with_instances(vec!["radarr"]);
        let (_, admin) = user_with_role(&services, 804, "admin").await;
        let (_, member) = user_with_role(&services, 805, "member").await;
        let mut bad = role("kids", &[Permission::RequestMovie]);
        bad.radarr = Some(Placement {
            instance: "radarr-9".into(),
            ..Placement::default()
        });
        bad.content_limit = Some(limit(Some("PG-99"), None, &[]));
        let refused = users.save_role(&admin, &bad, true).await;
        let Err(CoreError::Validation(why)) = refused else {
            panic!("{refused:?}");
        };
        assert!(why.contains("radarr.instance `radarr-9`"), "{why}");
        assert!(
            why.contains("`PG-99` is not a movie certification"),
            "{why}"
        );
        let names = |d: Vec<crate::service::users::RoleDetail>| {
            d.into_iter()
                .map(|r| r.record.spec.name)
                .collect::<Vec<_>>()
        };
        let roles = users.role_details(&admin).await.expect("roles");
        assert!(!names(roles).contains(&"kids".to_owned()), "nothing saved");

        let good = role("kids", &[Permission::RequestMovie]);
        assert!(matches!(
            users.save_role(&member, &good, true).await,
            Err(CoreError::Forbidden(_))
        ));
        users.save_role(&admin, &good, true).await.expect("created");
        assert!(matches!(
            users.save_role(&admin, &good, true).await,
            Err(CoreError::Conflict(_))
        ));
        let mut edited = good.clone();
        edited.permissions = Permissions::of(&[Permission::RequestTv]);
        users
            .save_role(&admin, &edited, false)
            .await
            .expect("edited");
        let unknown = users
            .add_grant(&admin, "nobody", &GrantTarget::DiscordRole(5))
            .await;
        assert!(
            matches!(unknown, Err(CoreError::Validation(_))),
            "{unknown:?}"
        );
        users
            .add_grant(&admin, "kids", &GrantTarget::DiscordRole(5))
            .await
            .expect("grant");
        let grant = users.role_grants(&admin).await.expect("grants")[0].id;
        users.remove_grant(&admin, grant).await.expect("removed");
        let builtin = users.delete_role(&admin, "member").await;
        assert!(matches!(builtin, Err(CoreError::Conflict(ref m)) if m == BUILTIN_KEPT));
        // Taking admin away from the only admin role's holders is refused.
        let last = users
            .save_role(&admin, &role("admin", &[Permission::Approve]), false)
            .await;
        assert!(matches!(last, Err(CoreError::Conflict(_))), "{last:?}");
        users.delete_role(&admin, "kids").await.expect("deleted");
        let trail = audit::for_target(&db, "role:kids", 10)
            .await
            .expect("audit");
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "role_deleted",
                "grant_removed",
                "grant_added",
                "role_edited",
                "role_created"
            ]
        );
        assert_eq!(
            trail[3].details["permissions"],
            serde_json::json!(["request_tv"])
        );
    }
);

/// Whether the user may manage issues now (read from the database).
async fn manages(db: &crate::store::Db, id: crate::domain::UserId) -> bool {
    crate::store::users::read_with_permissions(db, id)
        .await
        .expect("read")
        .expect("user")
        .1
        .allows(Permission::ManageIssues)
}

both_dbs!(
    discord_role_and_oidc_group_grants_follow_what_is_held,
    |db| {
        use crate::service::users::GuildMember;
        use crate::service::users::oidc::OidcRoleMap;
        let services = Services::new(db.clone());
        let users = &services.users;
        let system = Actor::system();
        users
            .save_role(&system, &role("crew", &[Permission::ManageIssues]), true)
            .await
            .expect("role");
        for target in [
            GrantTarget::DiscordRole(77),
            GrantTarget::OidcGroup("crew".into()),
        ] {
            users
                .add_grant(&system, "crew", &target)
                .await
                .expect("grant");
        }
        let with = vec!["5".to_owned(), "77".to_owned()];
        let without: Vec<String> = Vec::new();
        let mut dee = None;
        for (held, expected) in [(&with, true), (&without, false)] {
            let member = GuildMember {
                platform: Platform::Discord,
                external_id: "9001",
                display: "Dee",
                held,
            };
            let user = users
                .meet_in_guild(
                    &member,
                    Registration::AutoRegister("member"),
                    &RoleMap::none(),
                )
                .await
                .expect("met");
            assert_eq!(manages(&db, user.id).await, expected, "holding {held:?}");
            dee = Some(user.id);
        }
        assert!(dee.is_some());
        for (groups, expected) in [(vec!["crew".to_owned()], true), (Vec::new(), false)] {
            let signed = users
                .sign_in_oidc(
                    "https://idp",
                    "sub-1",
                    "Olly",
                    &groups,
                    &OidcRoleMap::default(),
                )
                .await
                .expect("sign-in")
                .expect("allowed");
            assert_eq!(manages(&db, signed.id).await, expected, "groups {groups:?}");
        }
    }
);
