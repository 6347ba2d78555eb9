//! Notes on requests, on both databases: a note given with the request is sanitized and stored
//! with it; one too long is refused and nothing is written; a note typed with a chat search
//! (a draft) is taken by the person's next request only; a request that only follows keeps none.

use super::harness::{both_dbs, count, movie, user_with_role};
use crate::CoreError;
use crate::service::Services;

both_dbs!(
    a_note_is_cleaned_limited_and_stored_with_its_request,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 9201, "member").await;
        let made = services
            .requests
            .create_noted(
                &ann,
                movie(438_631, "Dune"),
                Some("  for the kids'\n\n weekend \u{202E}"),
            )
            .await
            .expect("request");
        assert_eq!(
            made.request.comment.as_deref(),
            Some("for the kids' weekend")
        );
        let stored = services
            .requests
            .get(&ann, made.request.id)
            .await
            .expect("read back");
        assert_eq!(stored.comment.as_deref(), Some("for the kids' weekend"));

        let long = "x".repeat(201);
        let err = services
            .requests
            .create_noted(&ann, movie(27_205, "Inception"), Some(&long))
            .await
            .expect_err("too long");
        assert!(
            matches!(&err, CoreError::Validation(why) if why.contains("200")),
            "{err:?}"
        );
        assert_eq!(count(&db, "requests").await, 1, "nothing written");
        let err = services
            .requests
            .draft_note(&ann, &long)
            .await
            .expect_err("too long a draft");
        assert!(matches!(err, CoreError::Validation(_)), "{err:?}");
        assert_eq!(count(&db, "request_note_drafts").await, 0);
    }
);

both_dbs!(a_draft_note_rides_with_the_next_request_only, |db| {
    let services = Services::new(db.clone());
    let (_, bob) = user_with_role(&services, 9202, "member").await;
    let (_, cid) = user_with_role(&services, 9203, "member").await;
    let kept = services
        .requests
        .draft_note(&bob, "  movie night\tsaturday ")
        .await
        .expect("draft");
    assert_eq!(kept.as_deref(), Some("movie night saturday"));
    assert_eq!(
        services
            .requests
            .draft_note(&cid, " \n ")
            .await
            .expect("blank"),
        None
    );
    assert_eq!(count(&db, "request_note_drafts").await, 1);

    let first = services
        .requests
        .create(&bob, movie(438_631, "Dune"))
        .await
        .expect("request");
    assert_eq!(
        first.request.comment.as_deref(),
        Some("movie night saturday")
    );
    assert_eq!(count(&db, "request_note_drafts").await, 0, "taken");
    let second = services
        .requests
        .create(&bob, movie(27_205, "Inception"))
        .await
        .expect("second request");
    assert_eq!(second.request.comment, None);

    // Someone asking for a title already asked for follows; their draft stays for later.
    services
        .requests
        .draft_note(&cid, "me too")
        .await
        .expect("draft");
    let followed = services
        .requests
        .create(&cid, movie(438_631, "Dune"))
        .await
        .expect("follow");
    assert_eq!(followed.kind, crate::service::OutcomeKind::Followed);
    assert_eq!(count(&db, "request_note_drafts").await, 1);
});
