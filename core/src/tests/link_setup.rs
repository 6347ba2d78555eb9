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

both_dbs!(setup_link_works_once_and_admins_end_setup, |db| {
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
    assert!(!services.setup.needs_setup().await.expect("setup"));
});
