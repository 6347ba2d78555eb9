//! Keeps a chat bot's connection to its platform alive: waits (with backoff) until the platform
//! answers, runs the connection in its own task, and when that task ends or panics — teloxide's
//! dispatcher panics when Telegram is unreachable at start — logs why and starts it again. Its
//! state goes to [`usher_core::health`], which `/readyz` and `/metrics` show. A panic in any
//! other task of `usher serve` stops the process with an error (see [`first_panic`]), so it is
//! never left half alive.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use usher_core::health::{self, DoorState};
use usher_core::jobs::{Leader, Stopping};

/// First wait after a failure; doubled after each one, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// Longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A connection that lasted this long was healthy: the next failure starts the backoff over.
const HEALTHY_AFTER: Duration = Duration::from_secs(120);

/// Completes when the connection should close: its supervisor was dropped (the lease was lost,
/// the process stops). The connection then closes itself, cleanly, in its own task.
pub type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A connection's task and the switch that asks it to close; dropping it flips the switch.
struct Connection {
    task: JoinHandle<Result<(), String>>,
    _stop: oneshot::Sender<()>,
}

/// Waits, with backoff, until `probe` succeeds, showing `platform` as connecting meanwhile;
/// `backoff` carries the next wait over to the caller's later failures.
pub async fn until_answered<P, PF>(platform: &'static str, backoff: &mut Duration, mut probe: P)
where
    P: FnMut() -> PF,
    PF: Future<Output = Result<(), String>>,
{
    let doors = health::global();
    while let Err(reason) = probe().await {
        tracing::warn!(platform, %reason, retry_in = ?*backoff, "the chat platform does not answer; trying again");
        doors.set(platform, DoorState::Connecting, reason);
        tokio::time::sleep(*backoff).await;
        *backoff = (*backoff * 2).min(MAX_BACKOFF);
    }
    doors.set(platform, DoorState::Up, "");
}

/// The first wait of a backoff.
pub fn first_backoff() -> Duration {
    FIRST_BACKOFF
}

/// Runs `platform`'s connection until dropped: `probe` until it succeeds, then `connect` in a
/// task of its own; whatever ends that task, waits and starts again. `connect` gets a [`Stop`]
/// that completes when this future is dropped.
pub async fn keep_connected<P, PF, C, CF>(platform: &'static str, mut probe: P, mut connect: C)
where
    P: FnMut() -> PF,
    PF: Future<Output = Result<(), String>>,
    C: FnMut(Stop) -> CF,
    CF: Future<Output = Result<(), String>> + Send + 'static,
{
    let doors = health::global();
    let mut backoff = FIRST_BACKOFF;
    loop {
        doors.set(platform, DoorState::Connecting, "");
        until_answered(platform, &mut backoff, &mut probe).await;
        let started = tokio::time::Instant::now();
        let (stop, stopped) = oneshot::channel::<()>();
        let stopped: Stop = Box::pin(async move {
            let _ = stopped.await;
        });
        let mut connection = Connection {
            task: tokio::spawn(connect(stopped)),
            _stop: stop,
        };
        let reason = match (&mut connection.task).await {
            Ok(Ok(())) => "the connection ended".to_owned(),
            Ok(Err(err)) => err,
            Err(err) => match panic_message(err) {
                Some(message) => format!("panicked: {message}"),
                None => "cancelled".to_owned(),
            },
        };
        if started.elapsed() >= HEALTHY_AFTER {
            backoff = FIRST_BACKOFF;
        }
        tracing::error!(platform, %reason, retry_in = ?backoff, "the chat bot stopped; starting it again");
        doors.set(platform, DoorState::Connecting, reason);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Shows `platform` as on standby now and whenever `leading` turns false (another replica
/// holds its connection); while leading, [`keep_connected`] reports the state. The first report
/// is made here, before the leader starts, so it can never overwrite the leader's own.
pub fn report_standby(platform: &'static str, mut leading: watch::Receiver<bool>) {
    const WHY: &str = "another replica leads";
    health::global().set(platform, DoorState::Standby, WHY);
    leading.mark_unchanged();
    tokio::spawn(async move {
        while leading.changed().await.is_ok() {
            if !*leading.borrow_and_update() {
                health::global().set(platform, DoorState::Standby, WHY);
            }
        }
    });
}

/// A future that completes when `stop` flips (or its sender is gone).
pub async fn stopped(stop: watch::Receiver<bool>) {
    Stopping::new(stop).signalled().await;
}

/// Waits for `tasks`, which have seen the stop signal, until `wait` has passed in all; those
/// still running then are aborted. Returns how many were.
pub async fn join_within(tasks: Vec<JoinHandle<()>>, wait: Duration) -> usize {
    let deadline = tokio::time::Instant::now() + wait;
    let mut cut = 0;
    for task in tasks {
        let abort = task.abort_handle();
        if tokio::time::timeout_at(deadline, task).await.is_err() {
            abort.abort();
            cut += 1;
        }
    }
    cut
}

/// The tasks that run work under a leader lease ([`Leader::run`]); on shutdown they give their
/// leases up, so a standby replica takes over at once instead of after the lease expires.
pub struct Leading {
    stop: watch::Receiver<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// How long a stopping process waits for its leaders, all together, to give their leases up.
const STEP_DOWN_WAIT: Duration = Duration::from_secs(3);

impl Leading {
    /// No leaders yet; each will stop when `stop` flips.
    pub fn new(stop: watch::Receiver<bool>) -> Self {
        Self {
            stop,
            tasks: Vec::new(),
        }
    }

    /// Runs `work` under `leader` until the stop signal, showing `platform` on standby while
    /// another replica leads.
    pub fn spawn<F, Fut>(&mut self, platform: &'static str, leader: Leader, work: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        report_standby(platform, leader.watch());
        let stopped = stopped(self.stop.clone());
        self.tasks
            .push(tokio::spawn(async move { leader.run(stopped, work).await }));
    }

    /// The running tasks (for [`first_panic`]).
    pub fn tasks(&mut self) -> &mut Vec<JoinHandle<()>> {
        &mut self.tasks
    }

    /// Waits a little for the leaders, which have seen the stop signal, to give their leases up.
    pub async fn finish(self) {
        let late = join_within(self.tasks, STEP_DOWN_WAIT).await;
        if late > 0 {
            tracing::warn!(
                late,
                "leaders did not stop in time; their leases expire by themselves"
            );
        }
    }
}

/// Completes when one of `tasks` panics, with its message; tasks that end otherwise are
/// dropped from the list. Never completes when none panics.
pub async fn first_panic(tasks: &mut Vec<JoinHandle<()>>) -> String {
    std::future::poll_fn(|cx| {
        let mut i = 0;
        while i < tasks.len() {
            match Pin::new(&mut tasks[i]).poll(cx) {
                Poll::Pending => i += 1,
                Poll::Ready(result) => {
                    tasks.remove(i);
                    if let Err(err) = result
                        && let Some(message) = panic_message(err)
                    {
                        return Poll::Ready(message);
                    }
                }
            }
        }
        Poll::Pending
    })
    .await
}

/// The text a task panicked with, or `None` when it was cancelled instead.
fn panic_message(err: tokio::task::JoinError) -> Option<String> {
    let payload = err.try_into_panic().ok()?;
    Some(if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(no message)".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_reported_and_others_are_not() {
        let mut tasks = vec![
            tokio::spawn(async {}),
            tokio::spawn(std::future::pending()),
            tokio::spawn(async { panic!("dispatching context") }),
        ];
        let message = first_panic(&mut tasks).await;
        assert_eq!(message, "dispatching context");
        assert_eq!(
            tasks.len(),
            1,
            "the finished tasks are gone, the pending one is kept"
        );
    }
}
