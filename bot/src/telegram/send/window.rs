//! The bot-wide limit as Telegram publishes it: at most N messages in any second.
//!
//! A GCRA limiter ([`governor`]) cannot say that and also allow a burst: with a burst of one it
//! spaces messages evenly (20 members answered at once wait up to two thirds of a second for
//! their turn), and with a burst of N it lets almost 2N through in some second. This keeps the
//! send times of the last N messages instead: a message may go when fewer than N went in the
//! window before it, so a burst goes out at once and no window ever holds more than N.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// The last sends within one window, at most `limit` of them.
#[derive(Debug)]
pub(super) struct SlidingWindow {
    limit: usize,
    window: Duration,
    sent: VecDeque<Instant>,
}

impl SlidingWindow {
    /// At most `limit` sends in any `window`.
    pub(super) fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit: limit.max(1),
            window,
            sent: VecDeque::with_capacity(limit.max(1)),
        }
    }

    /// Takes a slot at `now`, or says when the next one frees up.
    pub(super) fn take(&mut self, now: Instant) -> Result<(), Instant> {
        while self
            .sent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= self.window)
        {
            self.sent.pop_front();
        }
        match self.sent.front() {
            Some(oldest) if self.sent.len() >= self.limit => Err(*oldest + self.window),
            _ => {
                self.sent.push_back(now);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_burst_up_to_the_limit_goes_at_once_and_the_next_waits_for_the_window() {
        let start = Instant::now();
        let mut window = SlidingWindow::new(30, SECOND);
        for _ in 0..30 {
            assert_eq!(window.take(start), Ok(()));
        }
        assert_eq!(window.take(start), Err(start + SECOND));
        let almost = start + SECOND - Duration::from_millis(1);
        assert_eq!(window.take(almost), Err(start + SECOND));
        assert_eq!(window.take(start + SECOND), Ok(()));
    }

    #[test]
    fn no_window_of_a_second_ever_holds_more_than_the_limit() {
        let start = Instant::now();
        let mut window = SlidingWindow::new(5, SECOND);
        let mut sent = Vec::new();
        let mut now = start;
        while sent.len() < 40 {
            match window.take(now) {
                Ok(()) => sent.push(now),
                Err(at) => now = at,
            }
            now += Duration::from_millis(37);
        }
        for (i, first) in sent.iter().enumerate() {
            let inside = sent[i..].iter().filter(|at| **at - *first < SECOND).count();
            assert!(inside <= 5, "{inside} sends within a second of send {i}");
        }
    }
}
