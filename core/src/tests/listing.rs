//! Keyset pagination and visibility of request lists.

use super::harness::{both_dbs, movie, user_with_role};
use crate::CoreError;
use crate::domain::RequestStatus;
use crate::service::Services;
use crate::store::requests::{Cursor, RequestFilter};

both_dbs!(
    pages_cover_everything_once_and_members_see_their_own,
    |db| {
        let services = Services::new(db.clone());
        let (alice_user, alice) = user_with_role(&services, 400, "member").await;
        let (_, bob) = user_with_role(&services, 401, "member").await;
        let (_, approver) = user_with_role(&services, 402, "approver").await;
        for id in 0..15 {
            services
                .requests
                .create(&alice, movie(1000 + id, "A"))
                .await
                .expect("a");
            services
                .requests
                .create(&bob, movie(2000 + id, "B"))
                .await
                .expect("b");
        }
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = services
                .requests
                .list(&approver, RequestFilter::default(), cursor, 7)
                .await
                .expect("page");
            assert!(page.items.len() <= 7);
            seen.extend(page.items.iter().map(|r| r.id));
            match page.next {
                Some(next) => {
                    cursor = Some(Cursor::parse(&next.encode()).expect("cursor round-trips"))
                }
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (30, 30));
        assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");

        let own = services
            .requests
            .list(&alice, RequestFilter::default(), None, 100)
            .await
            .expect("own");
        assert_eq!(own.items.len(), 15);
        assert!(own.items.iter().all(|r| r.requested_by == alice_user.id));

        let first = own.items[0].id;
        services
            .requests
            .decline(&approver, first, "no")
            .await
            .expect("decline");
        let filter = RequestFilter {
            statuses: vec![RequestStatus::Declined],
            ..RequestFilter::default()
        };
        let declined = services
            .requests
            .list(&approver, filter, None, 100)
            .await
            .expect("filtered");
        assert_eq!(
            declined.items.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![first]
        );
        assert!(matches!(
            services.requests.get(&bob, first).await,
            Err(CoreError::NotFound(_))
        ));
        assert_eq!(
            services.requests.get(&alice, first).await.expect("own").id,
            first
        );
    }
);

#[test]
fn cursor_text_is_validated() {
    assert!(Cursor::parse("12.34").is_ok());
    for bad in ["", "12", "a.b", "12.", ".3", "1.2.3"] {
        assert!(Cursor::parse(bad).is_err(), "{bad}");
    }
}
