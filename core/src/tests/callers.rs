//! A person is resolved once and then answered from the cache; what core changes about them
//! (language, roles, a disabled account, a link) shows on their very next press.

use super::harness::{both_dbs, user_with_role};
use crate::domain::{Actor, Permission, Platform};
use crate::error::CoreError;
use crate::i18n::Catalog;
use crate::service::users::{Admission, Contact, RoleMap};
use crate::service::{Registration, Services};

fn member<'a>(id: &'a str, language: Option<&'a str>) -> Contact<'a> {
    Contact {
        platform: Platform::Telegram,
        external_id: id,
        display: "Mia",
        client_language: language,
        held: None,
    }
}

fn open_door() -> Admission {
    Admission {
        registration: Registration::AutoRegister("member"),
        roles: RoleMap::discord_admins(&[]),
    }
}

both_dbs!(a_caller_is_resolved_once_and_follows_changes, |db| {
    let services = Services::new(db.clone());
    let catalog = Catalog::embedded().expect("catalogue");
    let users = &services.users;

    let first = users
        .caller(&member("501", Some("de")), &open_door(), &catalog)
        .await
        .expect("caller");
    assert_eq!(
        first.language, "de",
        "the client's language when none was chosen"
    );
    assert!(first.may(Permission::RequestMovie));
    assert!(!first.may(Permission::Approve));
    assert_eq!(
        first.actor,
        Actor::user(first.user.id, first.actor.source.clone())
    );

    // The cached caller is the same person.
    let again = users
        .caller(&member("501", Some("de")), &open_door(), &catalog)
        .await
        .expect("caller");
    assert_eq!(again.user.id, first.user.id);

    // Choosing a language shows on the next press.
    users
        .choose_language(&first.actor, Some("fr"))
        .await
        .expect("chosen");
    let french = users
        .caller(&member("501", Some("de")), &open_door(), &catalog)
        .await
        .expect("caller");
    assert_eq!(french.language, "fr");

    // A role granted by an admin shows on the next press.
    let (_, admin) = user_with_role(&services, 900, "admin").await;
    users
        .grant_role(&admin, first.user.id, "approver")
        .await
        .expect("granted");
    let approver = users
        .caller(&member("501", Some("de")), &open_door(), &catalog)
        .await
        .expect("caller");
    assert!(approver.may(Permission::Approve));

    // A disabled account is refused at once, not served from the cache.
    users
        .set_disabled(&admin, first.user.id, true)
        .await
        .expect("disabled");
    let refused = users
        .caller(&member("501", Some("de")), &open_door(), &catalog)
        .await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );
});

both_dbs!(a_refused_newcomer_is_not_remembered, |db| {
    let services = Services::new(db.clone());
    let catalog = Catalog::embedded().expect("catalogue");
    let closed = Admission {
        registration: Registration::Refuse,
        roles: RoleMap::discord_admins(&[]),
    };
    let refused = services
        .users
        .caller(&member("777", None), &closed, &catalog)
        .await;
    assert!(
        matches!(refused, Err(CoreError::Forbidden(_))),
        "{refused:?}"
    );
    // Registration opened (another door): the refusal was not cached.
    let admitted = services
        .users
        .caller(&member("777", None), &open_door(), &catalog)
        .await;
    assert!(admitted.is_ok(), "{admitted:?}");
    assert_eq!(admitted.expect("caller").language, "en-US");
});
