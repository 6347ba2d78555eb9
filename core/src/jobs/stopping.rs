//! The stop signal as a job sees it in the middle of a step.
//!
//! A job's loop ends between steps when the process is asked to stop, but one step can take
//! long: a submission waiting on a Radarr that accepted the connection and never answers holds
//! the process for the whole HTTP timeout, row after row, past systemd's stop timeout (then it
//! is killed). A job holds a [`Stopping`] instead and gives a step in flight a short grace;
//! what is cut short goes back to the queue, which is safe because every step is idempotent.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// Whether the process is stopping, readable and awaitable from any step. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Stopping(Option<watch::Receiver<bool>>);

impl Stopping {
    /// Follows `stop`: set once it flips to `true`, or once its sender is gone (the process
    /// that owned it is ending).
    pub fn new(stop: watch::Receiver<bool>) -> Self {
        Self(Some(stop))
    }

    /// A signal that never comes (for a job driven step by step, as the tests do).
    pub fn never() -> Self {
        Self(None)
    }

    /// Whether the signal has come.
    pub fn is_set(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|stop| *stop.borrow() || stop.has_changed().is_err())
    }

    /// Completes when the signal comes (never for [`Stopping::never`]).
    pub async fn signalled(&self) {
        let Some(stop) = &self.0 else {
            return std::future::pending().await;
        };
        let mut stop = stop.clone();
        while !*stop.borrow_and_update() {
            if stop.changed().await.is_err() {
                return;
            }
        }
    }

    /// Runs `step` to its end, unless the signal comes and `grace` passes first: then the step
    /// is dropped where it stands and `None` returned.
    pub async fn within_grace<T>(
        &self,
        grace: Duration,
        step: impl Future<Output = T>,
    ) -> Option<T> {
        let cut = async {
            self.signalled().await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            done = step => Some(done),
            () = cut => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_step_runs_to_its_end_without_the_signal_and_is_cut_a_grace_after_it() {
        let (stop, signal) = watch::channel(false);
        let stopping = Stopping::new(signal);
        assert!(!stopping.is_set());
        let never = Stopping::never();
        let slow = tokio::time::sleep(Duration::from_millis(100));
        assert_eq!(never.within_grace(Duration::ZERO, slow).await, Some(()));

        stop.send_replace(true);
        stopping.signalled().await;
        assert!(stopping.is_set());
        let grace = Duration::from_millis(50);
        let started = tokio::time::Instant::now();
        let hung = std::future::pending::<()>();
        assert_eq!(stopping.within_grace(grace, hung).await, None);
        assert!(started.elapsed() >= grace, "the step had its grace");
        let quick = std::future::ready(7);
        assert_eq!(stopping.within_grace(grace, quick).await, Some(7));
    }

    #[tokio::test]
    async fn a_signal_whose_sender_is_gone_counts_as_set() {
        let (stop, signal) = watch::channel(false);
        let stopping = Stopping::new(signal);
        drop(stop);
        assert!(stopping.is_set());
        let waited = tokio::time::timeout(Duration::from_secs(5), stopping.signalled());
        assert!(waited.await.is_ok(), "signalled at once");
    }
}
