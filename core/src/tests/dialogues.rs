//! Chat conversations in the database: one per platform, chat and person; replaced, removed,
//! and gone once stale.

use super::harness::both_dbs;
use crate::domain::{Platform, Timestamp};
use crate::store::dialogues::{self, DIALOGUE_TTL, DialogueKey};

both_dbs!(conversations_are_kept_per_person_per_chat, |db| {
    let now = Timestamp::now();
    let key = |chat, user| DialogueKey {
        platform: Platform::Telegram,
        chat,
        user,
    };
    let boss = key("-100", "1");
    assert_eq!(dialogues::get(&db, boss, now).await.expect("get"), None);
    dialogues::put(&db, boss, r#"{"n":1}"#, now)
        .await
        .expect("put");
    // Another approver in the same chat, and the same one elsewhere, are other conversations.
    dialogues::put(&db, key("-100", "2"), r#"{"n":2}"#, now)
        .await
        .expect("put");
    dialogues::put(&db, key("1", "1"), r#"{"n":3}"#, now)
        .await
        .expect("put");
    dialogues::put(&db, boss, r#"{"n":4}"#, now)
        .await
        .expect("replace");
    let state = dialogues::get(&db, boss, now).await.expect("get");
    assert_eq!(state.as_deref(), Some(r#"{"n":4}"#));
    assert_eq!(
        dialogues::open(&db, Platform::Telegram, now)
            .await
            .expect("count"),
        3
    );
    assert_eq!(
        dialogues::open(&db, Platform::Discord, now)
            .await
            .expect("count"),
        0
    );
    assert!(dialogues::remove(&db, boss).await.expect("remove"));
    assert!(!dialogues::remove(&db, boss).await.expect("remove again"));
    assert_eq!(dialogues::get(&db, boss, now).await.expect("get"), None);

    // A day later the rest are stale: not read, and pruned by the next write.
    let later = now.plus(DIALOGUE_TTL);
    assert_eq!(
        dialogues::get(&db, key("1", "1"), later)
            .await
            .expect("get"),
        None
    );
    dialogues::put(&db, boss, "{}", later).await.expect("put");
    assert_eq!(
        dialogues::open(&db, Platform::Telegram, now)
            .await
            .expect("count"),
        1
    );
});
