//! Account linking with one-time codes, and the first-admin setup link.

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::domain::{Actor, Platform, Source};
use crate::service::{Registration, Services};

both_dbs!(link_code_joins_accounts_once, |db| {
    let services = Services::new(db.clone());
    let (tg_user, tg) = user_with_role(&services, 500, "member").await;
    let discord_user = services
        .users
        .resolve(
            Platform::Discord,
            "81234567890123456",
            "alice#1",
            Registration::AutoRegister("member"),
        )
        .await
        .expect("discord user");
    let discord = Actor::user(
        discord_user.id,
        Source::Discord {
            user: "81234567890123456".into(),
        },
    );
    services
        .requests
        .create(&discord, movie(42, "From Discord"))
        .await
        .expect("request");

    let code = services.links.create_code(&tg).await.expect("code");
    assert!(matches!(
        services.links.redeem(&discord, "WRONG123").await,
        Err(CoreError::NotFound(_))
    ));
    let typed = code.code.to_lowercase();
    let survivor = services
        .links
        .redeem(&discord, &typed)
        .await
        .expect("redeem");
    assert_eq!(survivor, tg_user.id);
    let (_, identities) = services.users.get(tg_user.id).await.expect("user");
    let mut platforms: Vec<Platform> = identities.iter().map(|i| i.platform).collect();
    platforms.sort_by_key(|p| p.as_str());
    assert_eq!(platforms, vec![Platform::Discord, Platform::Telegram]);
    let again = services
        .users
        .resolve(
            Platform::Discord,
            "81234567890123456",
            "x",
            Registration::Refuse,
        )
        .await;
    assert_eq!(again.expect("same user").id, tg_user.id);
    assert_eq!(count(&db, "users").await, 1);
    // the code is spent
    let reused = services.links.redeem(&tg, &code.code).await;
    assert!(matches!(reused, Err(CoreError::NotFound(_))), "{reused:?}");
});

both_dbs!(unknown_users_are_refused_when_registration_is_off, |db| {
    let services = Services::new(db.clone());
    let refused = services
        .users
        .resolve(Platform::Telegram, "77", "stranger", Registration::Refuse)
        .await;
    assert!(matches!(refused, Err(CoreError::Forbidden(_))));
    let bad_id = services
        .users
        .resolve(
            Platform::Telegram,
            "12ab",
            "x",
            Registration::AutoRegister("member"),
        )
        .await;
    assert!(matches!(bad_id, Err(CoreError::Validation(_))));
    assert_eq!(count(&db, "users").await, 0);
    let (a, b) = tokio::join!(
        services.users.resolve(
            Platform::Telegram,
            "78",
            "twice",
            Registration::AutoRegister("member")
        ),
        services.users.resolve(
            Platform::Telegram,
            "78",
            "twice",
            Registration::AutoRegister("member")
        )
    );
    assert_eq!(
        a.expect("a").id,
        b.expect("b").id,
        "two first messages make one user"
    );
});

both_dbs!(
    setup_link_works_once_and_only_console_admins_end_setup,
    |db| {
        let services = Services::new(db.clone());
        assert!(services.setup.needs_setup().await.expect("setup"));
        let link = services
            .setup
            .issue_link(
                &Actor {
                    user: None,
                    source: Source::Cli,
                },
                "http://localhost:8080/",
            )
            .await
            .expect("link");
        let token = link
            .strip_prefix("http://localhost:8080/setup/")
            .expect("link shape");
        assert!(services.setup.is_valid(token).await.expect("valid"));
        assert!(!services.setup.is_valid("forged").await.expect("checked"));
        assert!(services.setup.consume(token).await.expect("first use"));
        assert!(!services.setup.consume(token).await.expect("second use"));
        assert!(!services.setup.is_valid(token).await.expect("spent"));
        services
            .users
            .ensure_admins(Platform::Telegram, &["900".into()])
            .await
            .expect("admins");
        assert!(
            services.setup.needs_setup().await.expect("setup"),
            "a Telegram admin cannot sign in to the console: the setup link is still needed"
        );
        services
            .users
            .resolve(
                Platform::Oidc,
                "https://idp.example|alice",
                "Alice",
                Registration::AutoRegister(crate::domain::role::builtin::ADMIN),
            )
            .await
            .expect("oidc admin");
        assert!(!services.setup.needs_setup().await.expect("setup"));
    }
);

both_dbs!(a_refused_newcomer_joins_with_a_code_an_admin_issued, |db| {
    let services = Services::new(db.clone());
    let (_, admin) = user_with_role(&services, 900, "admin").await;
    let (bob, member) = user_with_role(&services, 901, "member").await;
    // Only admins issue codes for others.
    let denied = services.links.issue_for(&member, bob.id).await;
    assert!(matches!(denied, Err(CoreError::Forbidden(_))), "{denied:?}");
    let denied = services.links.invite(&member, "Carol").await;
    assert!(matches!(denied, Err(CoreError::Forbidden(_))), "{denied:?}");
    let empty = services.links.invite(&admin, "  ").await;
    assert!(matches!(empty, Err(CoreError::Validation(_))), "{empty:?}");

    // An invited person: a member with no chat account, until the code is redeemed.
    let (carol, code) = services
        .links
        .invite(&admin, "Carol")
        .await
        .expect("invite");
    let (_, identities) = services.users.get(carol).await.expect("carol");
    assert!(identities.is_empty());
    let wrong = services
        .links
        .redeem_as_newcomer(Platform::Telegram, "77", "carol_tg", "WRONG123")
        .await;
    assert!(matches!(wrong, Err(CoreError::NotFound(_))), "{wrong:?}");
    let joined = services
        .links
        .redeem_as_newcomer(Platform::Telegram, "77", "carol_tg", &code.code)
        .await
        .expect("redeem");
    assert_eq!(joined, carol);
    // From now on Carol is known, refused registration or not, and may request.
    let found = services
        .users
        .resolve(Platform::Telegram, "77", "carol_tg", Registration::Refuse)
        .await
        .expect("known now");
    assert_eq!(found.id, carol);
    let carol_actor = Actor::user(carol, Source::Telegram { user: "77".into() });
    services
        .requests
        .create(&carol_actor, movie(7, "Carol's film"))
        .await
        .expect("request");
    // The code is spent; a known account redeems with `redeem`, not here.
    let again = services
        .links
        .redeem_as_newcomer(Platform::Telegram, "78", "x", &code.code)
        .await;
    assert!(matches!(again, Err(CoreError::NotFound(_))), "{again:?}");
    let code = services
        .links
        .issue_for(&admin, bob.id)
        .await
        .expect("code");
    let known = services
        .links
        .redeem_as_newcomer(Platform::Telegram, "77", "carol_tg", &code.code)
        .await;
    assert!(matches!(known, Err(CoreError::Conflict(_))), "{known:?}");
    // Bob's code still works for a stranger (the conflict spent nothing).
    let stranger = services
        .links
        .redeem_as_newcomer(Platform::Telegram, "79", "bob_phone", &code.code)
        .await
        .expect("bob's second account");
    assert_eq!(stranger, bob.id);
    assert_eq!(count(&db, "users").await, 3);
    let issued = count(&db, "audit_log WHERE action = 'link_code_issued'").await;
    assert_eq!(issued, 2, "both codes for others are audited");
});
