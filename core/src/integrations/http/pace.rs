//! A [`governor`] rate limiter whose callers wait their turn on tokio's timer.
//!
//! governor's own `until_ready` sleeps on `futures-timer`, which runs a timer thread beside
//! tokio's (perf put 1.8% of a busy Usher's CPU on it), and lets every waiter wake at the same
//! instant to race for one place: with 100 searches at once, a hundred wake-ups per place.
//! Here waiters queue on a fair lock and only the first sleeps, until its place comes.

use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::Mutex;

/// Calls at most at a quota's rate, first come first served.
#[derive(Debug)]
pub struct Pace {
    limiter: DefaultDirectRateLimiter,
    /// Held by the caller whose turn it is while it waits for its place.
    turn: Mutex<()>,
}

impl Pace {
    /// A pace that allows `quota`.
    #[must_use]
    pub fn new(quota: Quota) -> Self {
        Self {
            limiter: RateLimiter::direct(quota),
            turn: Mutex::new(()),
        }
    }

    /// Returns once one more call may go (its place is taken), after the callers that came
    /// first.
    pub async fn ready(&self) {
        let _turn = self.turn.lock().await;
        while let Err(not_until) = self.limiter.check() {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::*;

    fn per_second(n: u32) -> Quota {
        Quota::per_second(NonZeroU32::new(n).expect("non-zero")).allow_burst(NonZeroU32::MIN)
    }

    // Real time: governor keeps its own clock, which tokio's paused clock would not move.
    #[tokio::test]
    async fn a_full_pace_waits_for_its_next_place_and_takes_it() {
        let pace = Pace::new(per_second(20));
        let started = Instant::now();
        pace.ready().await;
        let first = started.elapsed();
        pace.ready().await;
        let second = started.elapsed();
        assert!(
            second >= first + Duration::from_millis(40),
            "the second call waits for the next place (50 ms at 20 a second): {first:?} then {second:?}"
        );
        assert!(pace.limiter.check().is_err(), "the wait took the place");
    }

    #[tokio::test]
    async fn callers_go_in_the_order_they_came() {
        let pace = Arc::new(Pace::new(per_second(100)));
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for caller in 0..5 {
            let (pace, order) = (pace.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                pace.ready().await;
                order.lock().expect("order").push(caller);
            }));
            tokio::task::yield_now().await; // caller n asks before caller n + 1
        }
        for task in waiting {
            task.await.expect("caller");
        }
        assert_eq!(*order.lock().expect("order"), vec![0, 1, 2, 3, 4]);
    }
}
