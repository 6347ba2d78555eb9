//! A small circuit breaker: after `threshold` transient failures in a row the upstream is left
//! alone for `cool_down`, then one trial call decides whether it is back.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Per-upstream failure memory.
#[derive(Debug)]
pub struct Breaker {
    threshold: u32,
    cool_down: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    consecutive_failures: u32,
    open_until: Option<Instant>,
}

impl Default for Breaker {
    fn default() -> Self {
        Self::new(5, Duration::from_secs(30))
    }
}

impl Breaker {
    /// A breaker that opens after `threshold` failures for `cool_down`.
    pub fn new(threshold: u32, cool_down: Duration) -> Self {
        Self {
            threshold,
            cool_down,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether a call may go out now (closed, or the cool-down has passed: a trial call).
    pub fn allow(&self) -> bool {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.open_until.is_none_or(|until| Instant::now() >= until)
    }

    /// Records a call's outcome: `Ok` closes the breaker; `Err(true)` (a transient failure)
    /// counts toward opening it; `Err(false)` (e.g. 404) says the upstream is alive.
    pub fn record(&self, outcome: Result<(), bool>) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match outcome {
            Ok(()) | Err(false) => *state = State::default(),
            Err(true) => {
                state.consecutive_failures += 1;
                if state.consecutive_failures >= self.threshold {
                    state.open_until = Some(Instant::now() + self.cool_down);
                }
            }
        }
    }
}
