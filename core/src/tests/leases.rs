//! Leader leases: one holder at a time, renewals keep it, an expired lease changes hands, and
//! on PostgreSQL a standby [`Leader`] takes the work over when the leader stops renewing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::harness::{TestDb, both_dbs};
use crate::domain::Timestamp;
use crate::jobs::{Leader, LeaseTiming};
use crate::store::lease;

const TTL: Duration = Duration::from_secs(8);

both_dbs!(one_holder_until_the_lease_expires, |db| {
    let t0 = Timestamp(1_000_000);
    assert!(
        lease::take(&db, "telegram", "a", TTL, t0)
            .await
            .expect("take")
    );
    assert!(
        !lease::take(&db, "telegram", "b", TTL, t0.plus(Duration::from_secs(1)))
            .await
            .expect("b")
    );
    assert!(
        lease::take(&db, "discord", "b", TTL, t0)
            .await
            .expect("another name")
    );
    let renewed = t0.plus(Duration::from_secs(5));
    assert!(
        lease::take(&db, "telegram", "a", TTL, renewed)
            .await
            .expect("renew")
    );
    let before_expiry = t0.plus(Duration::from_secs(12));
    assert!(
        !lease::take(&db, "telegram", "b", TTL, before_expiry)
            .await
            .expect("still a's")
    );
    let after_expiry = renewed.plus(TTL);
    assert!(
        lease::take(&db, "telegram", "b", TTL, after_expiry)
            .await
            .expect("expired")
    );
    assert!(
        !lease::take(&db, "telegram", "a", TTL, after_expiry)
            .await
            .expect("a lost it")
    );
    assert_eq!(
        lease::holder(&db, "telegram").await.expect("holder"),
        Some(("b".to_owned(), after_expiry.plus(TTL)))
    );
    lease::release(&db, "telegram", "a").await.expect("not a's");
    assert!(
        !lease::take(&db, "telegram", "a", TTL, after_expiry)
            .await
            .expect("still b's")
    );
    lease::release(&db, "telegram", "b").await.expect("release");
    assert!(
        lease::take(&db, "telegram", "a", TTL, after_expiry)
            .await
            .expect("free again")
    );
});

fn quick() -> LeaseTiming {
    LeaseTiming {
        ttl: Duration::from_millis(1_500),
        renew_every: Duration::from_millis(300),
    }
}

/// Work that counts how often it is running right now and ever started.
fn counting(
    running: Arc<AtomicUsize>,
    started: Arc<AtomicUsize>,
) -> impl FnMut() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    move || {
        let running = running.clone();
        started.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            struct Running(Arc<AtomicUsize>);
            impl Drop for Running {
                fn drop(&mut self) {
                    self.0.fetch_sub(1, Ordering::SeqCst);
                }
            }
            running.fetch_add(1, Ordering::SeqCst);
            let _guard = Running(running);
            std::future::pending::<()>().await;
        })
    }
}

async fn until(what: impl Fn() -> bool) {
    for _ in 0..200 {
        if what() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not reached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_takes_over_when_the_leader_dies_and_never_runs_beside_it() {
    let test_db = TestDb::postgres().await;
    let running = Arc::new(AtomicUsize::new(0));
    let (first_started, second_started) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let first = Leader::new(test_db.db.clone(), "gateway").with_timing(quick());
    let second = Arc::new(Leader::new(test_db.db.clone(), "gateway").with_timing(quick()));
    assert_ne!(first.holder(), second.holder());
    let mut first_leads = first.watch();
    let leader = tokio::spawn({
        let work = counting(running.clone(), first_started.clone());
        async move { first.run(std::future::pending(), work).await }
    });
    first_leads.wait_for(|l| *l).await.expect("the first leads");
    let standby = tokio::spawn({
        let second = second.clone();
        let work = counting(running.clone(), second_started.clone());
        async move { second.run(std::future::pending(), work).await }
    });
    tokio::time::sleep(quick().ttl * 2).await;
    assert_eq!(running.load(Ordering::SeqCst), 1, "only the leader works");
    assert_eq!(second_started.load(Ordering::SeqCst), 0);

    leader.abort(); // a crash: no step-down, the lease just stops being renewed
    let _ = leader.await;
    // The work is counted as started when it is made and as running when first polled: wait
    // for both (a standby running beside a leader would hold `running` at 2 and never get here).
    until(|| second_started.load(Ordering::SeqCst) == 1 && running.load(Ordering::SeqCst) == 1)
        .await;
    assert_eq!(running.load(Ordering::SeqCst), 1);
    assert!(*second.watch().borrow());
    standby.abort();
    let _ = standby.await;
    test_db.cleanup().await;
}

both_dbs!(a_clean_stop_gives_the_lease_up, |db| {
    let leader = Leader::new(db.clone(), "telegram").with_timing(quick());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut leads = leader.watch();
    let started = Arc::new(AtomicUsize::new(0));
    let work = counting(Arc::new(AtomicUsize::new(0)), started.clone());
    let run = async {
        leader
            .run(
                async {
                    let _ = stopped.await;
                },
                work,
            )
            .await
    };
    let check = async {
        leads.wait_for(|l| *l).await.expect("leads");
        let _ = stop.send(());
    };
    tokio::join!(run, check);
    assert_eq!(started.load(Ordering::SeqCst), 1);
    assert!(!*leader.watch().borrow());
    assert!(
        lease::holder(&db, "telegram")
            .await
            .expect("holder")
            .is_none()
    );
});
