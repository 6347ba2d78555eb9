//! Approvals handed straight to the submission worker of the same process at commit
//! (`store::handoff`): leased so nobody else claims them, dropped with a rollback, and back in
//! the outbox for any worker when the lease ends or no worker takes them.

use std::time::Duration;

use usher_testkit::FakeRadarr;

use super::arr_support::{Fakes, KEY};
use super::harness::{both_dbs, movie};
use super::submission_worker::{approved, running};
use crate::domain::{RequestId, RequestStatus, Timestamp};
use crate::jobs::{SubmissionWorker, WorkerOptions};
use crate::service::Services;
use crate::service::events::{self, Submission, TOPIC_SUBMIT};
use crate::store::{Db, outbox, requests};

const LEASE: Duration = Duration::from_secs(30);

async fn claim_now(db: &Db, at: Timestamp) -> Vec<outbox::OutboxRow> {
    outbox::claim(db, TOPIC_SUBMIT, 10, LEASE, at)
        .await
        .expect("claim")
}

/// A worker submitting to `fake`, with this file's lease.
fn radarr_worker(db: &Db, fake: &FakeRadarr) -> SubmissionWorker {
    let instances = Fakes {
        radarr: Some(fake),
        ..Fakes::default()
    }
    .instances();
    let options = WorkerOptions {
        lease: LEASE,
        ..WorkerOptions::default()
    };
    SubmissionWorker::new(db.clone(), std::sync::Arc::new(instances), None, options)
}

/// The request a submission row is for.
fn request_of(row: &outbox::OutboxRow) -> RequestId {
    let Submission::Submit { request_id, .. } =
        serde_json::from_str(&row.payload).expect("payload");
    request_id
}

both_dbs!(
    an_approval_is_handed_over_at_commit_and_leased_to_its_taker,
    |db| {
        let services = Services::new(db.clone());
        let mut handed = db.take_handed(TOPIC_SUBMIT, LEASE);
        let request = approved(&services, 1, movie(438_631, "Dune")).await;

        let row = handed.try_next().expect("handed at the approval's commit");
        assert_eq!(row.topic, TOPIC_SUBMIT);
        let Submission::Submit {
            request_id,
            approved,
            ..
        } = serde_json::from_str(&row.payload).expect("payload");
        assert_eq!(request_id, request.id);
        let snapshot = approved.expect("the approved request rides along");
        assert_eq!(snapshot.status, RequestStatus::Approved);
        assert_eq!(*snapshot, request);

        // Leased to the taker: no claim takes it meanwhile…
        assert!(claim_now(&db, Timestamp::now()).await.is_empty());
        // …until the lease ends (the taker died before finishing): then any worker claims it.
        let later = Timestamp::now().plus(LEASE + Duration::from_secs(1));
        let claimed = claim_now(&db, later).await;
        assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), [row.id]);
    }
);

both_dbs!(a_rolled_back_transaction_hands_nothing, |db| {
    let services = Services::new(db.clone());
    let request = approved(&services, 2, movie(603, "The Matrix")).await;
    let mut handed = db.take_handed(TOPIC_SUBMIT, LEASE);
    let mut tx = db.begin().await.expect("tx");
    events::queue(&mut tx, &[], Some((&request, None)), Timestamp::now())
        .await
        .expect("queue");
    drop(tx);
    assert_eq!(handed.try_next(), None);
    // Only the approval's own row is waiting (no taker then), and nothing more was written.
    assert_eq!(
        outbox::pending(&db, TOPIC_SUBMIT)
            .await
            .expect("rows")
            .len(),
        1
    );
});

both_dbs!(without_a_listening_taker_rows_wait_for_a_claim, |db| {
    let services = Services::new(db.clone());
    drop(db.take_handed(TOPIC_SUBMIT, LEASE));
    let request = approved(&services, 3, movie(27_205, "Inception")).await;
    let claimed = claim_now(&db, Timestamp::now()).await;
    assert_eq!(claimed.len(), 1, "unleased, claimable at once");
    assert_eq!(request_of(&claimed[0]), request.id);
});

both_dbs!(a_running_worker_places_a_handed_request_once, |db| {
    let services = Services::new(db.clone());
    let fake = FakeRadarr::start(KEY).await;
    let worker = radarr_worker(&db, &fake);
    let (stop, running) = running(worker);
    // The worker takes the topic as it starts running; the approval after that is handed to
    // it (the store tests above pin the handing itself; here, that it ends in one add).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let request = approved(&services, 10, movie(27_205, "Inception")).await;
    let mut placed = None;
    for _ in 0..200 {
        let now = requests::find(&db, request.id)
            .await
            .expect("read")
            .expect("row");
        if now.status == RequestStatus::Submitted {
            placed = Some(now);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let placed = placed.expect("submitted by the running worker");
    assert_eq!(placed.upstream.expect("upstream").instance, "radarr");
    assert_eq!(fake.adds(), 1);
    assert!(
        outbox::pending(&db, TOPIC_SUBMIT)
            .await
            .expect("rows")
            .is_empty()
    );
    let _ = stop.send(true);
    running.await.expect("worker ends");
});

both_dbs!(
    a_stop_waits_for_an_approval_committing_meanwhile_and_gives_its_row_back,
    |db| {
        let fake = FakeRadarr::start(KEY).await;
        let worker = radarr_worker(&db, &fake);
        let services = Services::new(db.clone());
        let request = approved(&services, 11, movie(603, "The Matrix")).await;
        let (stop, running) = running(worker);
        // The worker starts by submitting the approval queued before it ran.
        for _ in 0..200 {
            if fake.adds() == 1
                && outbox::pending(&db, TOPIC_SUBMIT)
                    .await
                    .expect("rows")
                    .is_empty()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(fake.adds(), 1, "the earlier approval is placed");

        // An approval's transaction finds the running worker as its taker, and the stop comes
        // before it commits.
        let mut tx = db.begin().await.expect("tx");
        events::queue(&mut tx, &[], Some((&request, None)), Timestamp::now())
            .await
            .expect("queue");
        let _ = stop.send(true);
        tokio::time::sleep(Duration::from_millis(100)).await;
        tx.commit().await.expect("commit");
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("the worker stops once the transaction ends")
            .expect("no panic");

        // The row was handed to the stopping worker, which gave it back: due at once, not
        // leased to a process that is gone.
        let due = claim_now(&db, Timestamp::now()).await;
        assert_eq!(due.len(), 1, "claimable at once, not after the lease");
        assert_eq!(request_of(&due[0]), request.id);
    }
);

both_dbs!(finishing_waits_for_a_slow_transaction_only_so_long, |db| {
    let services = Services::new(db.clone());
    let request = approved(&services, 12, movie(27_205, "Inception")).await;
    let handed = db.take_handed(TOPIC_SUBMIT, LEASE);
    let mut tx = db.begin().await.expect("tx");
    events::queue(&mut tx, &[], Some((&request, None)), Timestamp::now())
        .await
        .expect("queue");
    let left = tokio::time::timeout(
        Duration::from_secs(10),
        handed.finish(Duration::from_millis(100)),
    )
    .await
    .expect("the taker finishes although the transaction is still open");
    assert!(left.is_empty(), "nothing was committed before it finished");
    // A transaction begun after the finish writes its row for any worker to claim.
    drop(tx);
    let mut later = db.begin().await.expect("tx");
    events::queue(&mut later, &[], Some((&request, None)), Timestamp::now())
        .await
        .expect("queue");
    later.commit().await.expect("commit");
    assert_eq!(claim_now(&db, Timestamp::now()).await.len(), 2);
});

both_dbs!(
    a_finishing_taker_leaves_a_newer_taker_of_its_topic_in_place,
    |db| {
        let services = Services::new(db.clone());
        let older = db.take_handed(TOPIC_SUBMIT, LEASE);
        let mut newer = db.take_handed(TOPIC_SUBMIT, LEASE);
        assert!(older.finish(Duration::ZERO).await.is_empty());
        let request = approved(&services, 13, movie(603, "The Matrix")).await;
        let row = newer.try_next().expect("still handed to the newer taker");
        assert_eq!(request_of(&row.into()), request.id);
    }
);
