//! The language a user chooses for the console (and every message Usher sends them): stored on
//! the user in the spelling Usher ships, audited once per change, and refused without a write
//! when it is not a language Usher speaks.

use super::harness::{both_dbs, count, user_with_role};
use crate::CoreError;
use crate::domain::AuditEntry;
use crate::domain::{Actor, Source};
use crate::service::Services;
use crate::store::{Db, audit};

/// The language choices recorded about a user, newest first.
async fn choices(db: &Db, target: &str) -> Vec<AuditEntry> {
    let trail = audit::for_target(db, target, 20).await.expect("audit");
    trail
        .into_iter()
        .filter(|e| e.action == "language_chosen")
        .collect()
}

both_dbs!(a_chosen_console_language_is_stored_and_audited_once, |db| {
    let services = Services::new(db.clone());
    let (ann, telegram) = user_with_role(&services, 70, "member").await;
    let web = Actor::user(
        ann.id,
        Source::Web {
            ip: Some("192.0.2.7".into()),
        },
    );
    let target = format!("user:{}", ann.id);
    let users = &services.users;
    // Any case and `_` are read as the shipped tag.
    users
        .choose_language(&web, Some("PT_br"))
        .await
        .expect("choose");
    let (stored, _) = users.get(ann.id).await.expect("user");
    assert_eq!(stored.locale.as_deref(), Some("pt-BR"));
    let trail = choices(&db, &target).await;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0].action, "language_chosen");
    assert_eq!(trail[0].source, "web");
    assert_eq!(trail[0].actor, Some(ann.id));
    assert_eq!(
        trail[0].details,
        serde_json::json!({ "before": null, "after": "pt-BR" })
    );
    // The same choice again changes nothing and records nothing.
    users
        .choose_language(&web, Some("pt-BR"))
        .await
        .expect("same");
    assert_eq!(choices(&db, &target).await.len(), 1);
    // A choice made in a chat is the same setting: the console follows it.
    users
        .choose_language(&telegram, Some("fr"))
        .await
        .expect("from chat");
    let (stored, _) = users.get(ann.id).await.expect("user");
    assert_eq!(stored.locale.as_deref(), Some("fr"));
    // Going back to the browser's language clears it, audited too.
    users.choose_language(&web, None).await.expect("clear");
    let (stored, _) = users.get(ann.id).await.expect("user");
    assert_eq!(stored.locale, None);
    let trail = choices(&db, &target).await;
    assert_eq!(trail.len(), 3);
    assert_eq!(
        trail[0].details,
        serde_json::json!({ "before": "fr", "after": null })
    );
});

both_dbs!(
    an_unknown_language_is_refused_and_nothing_is_written,
    |db| {
        let services = Services::new(db.clone());
        let (ann, web) = user_with_role(&services, 71, "member").await;
        let users = &services.users;
        users.choose_language(&web, Some("de")).await.expect("de");
        let audit_rows = count(&db, "audit_log").await;
        for forged in [
            "xx", "ja", "de-AT", "fr-CA", "pt", "", "de;DROP", "en-US'--",
        ] {
            let refused = users.choose_language(&web, Some(forged)).await;
            match refused {
                Err(CoreError::Validation(text)) => {
                    assert!(text.contains("is not a language Usher speaks"), "{text}");
                }
                other => panic!("{forged:?} gave {other:?}"),
            }
        }
        let long = "x".repeat(10_000);
        let Err(CoreError::Validation(text)) = users.choose_language(&web, Some(&long)).await
        else {
            panic!("a long tag is refused");
        };
        assert!(text.len() < 200, "the error does not echo the whole input");
        let (stored, _) = users.get(ann.id).await.expect("user");
        assert_eq!(stored.locale.as_deref(), Some("de"), "nothing was written");
        assert_eq!(count(&db, "audit_log").await, audit_rows);
    }
);
