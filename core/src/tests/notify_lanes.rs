//! Deliveries to different recipients go out side by side: a DM is not held behind a burst of
//! approver cards, each recipient's messages keep their order, a lane gives back what it did
//! not get to (unattempted), and nothing is lost.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::harness::both_dbs;
use crate::domain::{Platform, RequestId, RequestStatus, Timestamp, UserId};
use crate::notify::{Delivery, RetryPolicy, drain_once, topic};
use crate::store::{Db, in_tx, outbox};

async fn queue(db: &Db, deliveries: &[Delivery]) {
    let topic = topic(Platform::Telegram);
    let queued: crate::CoreResult<()> = in_tx(db, |tx| {
        Box::pin(async {
            for delivery in deliveries {
                let payload = serde_json::to_value(delivery).expect("json");
                outbox::enqueue(tx, &topic, &payload, Timestamp::now()).await?;
            }
            Ok(())
        })
    })
    .await;
    queued.expect("queued");
}

fn card(id: i64) -> Delivery {
    Delivery::ApproverCard {
        request_id: RequestId(id),
    }
}

fn dm(id: i64) -> Delivery {
    Delivery::Status {
        request_id: RequestId(id),
        status: RequestStatus::Available,
        user: UserId(1),
        chat: "4242".into(),
    }
}

/// Drains once; cards take a while each (a group's pacing), DMs go at once. Returns what was
/// delivered, in the order deliveries finished.
async fn drain(db: &Db, policy: &RetryPolicy) -> Vec<Delivery> {
    let done = Arc::new(Mutex::new(Vec::new()));
    let sink = done.clone();
    drain_once(db, Platform::Telegram, policy, move |d| {
        let sink = sink.clone();
        async move {
            if matches!(d, Delivery::ApproverCard { .. }) {
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
            sink.lock().expect("lock").push(d);
            Ok(())
        }
    })
    .await
    .expect("drain");
    done.lock().expect("lock").clone()
}

both_dbs!(a_dm_is_not_held_behind_approver_cards, |db| {
    let cards: Vec<Delivery> = (1..=5).map(card).collect();
    queue(&db, &cards).await;
    queue(&db, &[dm(9), dm(10)]).await;
    let policy = RetryPolicy {
        per_lane: 3,
        ..RetryPolicy::default()
    };

    let first = drain(&db, &policy).await;
    // The DMs went out before the cards queued ahead of them were done, in their own order.
    assert_eq!(first[..2], [dm(9), dm(10)], "{first:?}");
    // The approvers' lane took three cards, in order, and handed the other two back untried.
    assert_eq!(first[2..], [card(1), card(2), card(3)], "{first:?}");
    let second = drain(&db, &policy).await;
    assert_eq!(second, [card(4), card(5)]);
    let left = outbox::pending(&db, &topic(Platform::Telegram))
        .await
        .expect("pending");
    assert!(left.is_empty(), "nothing is lost or left: {left:?}");
    assert!(drain(&db, &policy).await.is_empty(), "nothing twice");
});

both_dbs!(handed_back_rows_are_not_counted_as_attempts, |db| {
    queue(&db, &[card(1), card(2)]).await;
    let policy = RetryPolicy {
        per_lane: 1,
        ..RetryPolicy::default()
    };
    assert_eq!(drain(&db, &policy).await, [card(1)]);
    let left = outbox::pending(&db, &topic(Platform::Telegram))
        .await
        .expect("pending");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].attempts, 0);
});
