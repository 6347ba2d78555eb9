//! The open connections and what each is doing, for the limits in [`super::serve`]: a
//! [`Slot`] per connection knows whether a request is in flight, whether the next one's
//! headers have started to arrive, and when it was last active; [`Slots`] caps how many are
//! open and picks the one to close when a newcomer needs room.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;
use usher_core::config::HttpServerSettings;

/// The open connections, at most `limit` of them.
pub(super) struct Slots {
    limit: usize,
    open: Mutex<Vec<Arc<Slot>>>,
    next_id: AtomicU64,
    started: Instant,
}

impl Slots {
    /// No connections yet; room for `limit`.
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            open: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// A slot for a new connection, or `None` when all are taken by busy connections. At the
    /// limit, the connection idle the longest (nothing in flight) is told to close and leaves
    /// the count at once.
    pub(super) fn admit(self: &Arc<Self>) -> Option<Arc<Slot>> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= self.limit {
            let idlest = open
                .iter()
                .enumerate()
                .filter(|(_, slot)| slot.in_flight.load(Ordering::Acquire) == 0)
                .min_by_key(|(_, slot)| slot.last_active.load(Ordering::Acquire))
                .map(|(index, _)| index)?;
            open.swap_remove(idlest).close();
        }
        let slot = Arc::new(Slot {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            slots: Arc::downgrade(self),
            started: self.started,
            in_flight: AtomicUsize::new(0),
            reading: AtomicBool::new(false),
            reading_since: AtomicU64::new(0),
            last_active: AtomicU64::new(millis_since(self.started)),
            changed: Notify::new(),
            closed: AtomicBool::new(false),
        });
        open.push(Arc::clone(&slot));
        Some(slot)
    }

    /// Tells every connection to close (after the response in flight).
    pub(super) fn close_all(&self) {
        let open = std::mem::take(&mut *self.open.lock().unwrap_or_else(PoisonError::into_inner));
        for slot in open {
            slot.close();
        }
    }

    /// How many connections hold a slot.
    #[cfg(test)]
    pub(super) fn count(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|slot| slot.id != id);
    }
}

/// One connection's state. Times are milliseconds since the server started.
pub(super) struct Slot {
    id: u64,
    slots: std::sync::Weak<Slots>,
    started: Instant,
    in_flight: AtomicUsize,
    /// The next request's first bytes have come, its headers not all yet.
    reading: AtomicBool,
    reading_since: AtomicU64,
    /// When it was opened or last finished a request.
    last_active: AtomicU64,
    /// Wakes [`Slot::until_closed`] to look again.
    changed: Notify,
    closed: AtomicBool,
}

impl Slot {
    /// Bytes came in: if nothing was in flight, a request's headers have started.
    pub(super) fn bytes_read(&self) {
        if self.in_flight.load(Ordering::Acquire) == 0 && !self.reading.swap(true, Ordering::AcqRel)
        {
            self.reading_since
                .store(millis_since(self.started), Ordering::Release);
            self.changed.notify_one();
        }
    }

    /// A request's headers are in and it is being answered; the guard marks its end.
    pub(super) fn request_started(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.reading.store(false, Ordering::Release);
        self.changed.notify_one();
        Busy(Arc::clone(self))
    }

    /// Whether a request is being answered.
    pub(super) fn is_busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// Completes when the connection should close: told to, or a timeout passed.
    pub(super) async fn until_closed(&self, limits: HttpServerSettings) {
        loop {
            if self.closed.load(Ordering::Acquire) {
                return;
            }
            let wait = match self.deadline(limits) {
                Some(deadline) if deadline <= Instant::now() => return,
                Some(deadline) => deadline,
                // Busy: any change (the answer is done) wakes us; look again now and then.
                None => Instant::now() + limits.idle_timeout,
            };
            tokio::select! {
                () = tokio::time::sleep_until(wait) => {}
                () = self.changed.notified() => {}
            }
        }
    }

    /// When this connection times out as things stand; `None` while a request is in flight.
    fn deadline(&self, limits: HttpServerSettings) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let (since, allowed) = if self.reading.load(Ordering::Acquire) {
            (&self.reading_since, limits.header_timeout)
        } else {
            (&self.last_active, limits.idle_timeout)
        };
        let since = Duration::from_millis(since.load(Ordering::Acquire));
        Some(self.started + since + allowed)
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.changed.notify_one();
    }

    /// The connection is gone: its slot is free.
    pub(super) fn release(&self) {
        if let Some(slots) = self.slots.upgrade() {
            slots.remove(self.id);
        }
    }
}

/// A request in flight on a connection.
pub(super) struct Busy(Arc<Slot>);

impl Drop for Busy {
    fn drop(&mut self) {
        let slot = &self.0;
        slot.last_active
            .store(millis_since(slot.started), Ordering::Release);
        slot.in_flight.fetch_sub(1, Ordering::AcqRel);
        slot.changed.notify_one();
    }
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within a second of `secs` (the slot keeps whole milliseconds).
    fn about(left: Option<Duration>, secs: u64) -> bool {
        left.is_some_and(|left| left.abs_diff(Duration::from_secs(secs)) < Duration::from_secs(1))
    }

    #[test]
    fn at_the_limit_the_idlest_makes_room_unless_all_are_busy() {
        let slots = Arc::new(Slots::new(2));
        let first = slots.admit().expect("room");
        let second = slots.admit().expect("room");
        let busy = second.request_started();
        let third = slots.admit().expect("the idle one makes room");
        assert!(
            first.closed.load(Ordering::Acquire),
            "the idle one is told to close"
        );
        assert!(!second.closed.load(Ordering::Acquire));
        assert_eq!(slots.count(), 2);
        let _also_busy = third.request_started();
        assert!(
            slots.admit().is_none(),
            "everyone is busy: the newcomer is refused"
        );
        drop(busy);
        assert!(slots.admit().is_some(), "finished: idle again");
        first.release();
        slots.close_all();
        assert_eq!(slots.count(), 0);
    }

    #[tokio::test]
    async fn idle_connections_time_out_and_headers_are_timed_from_their_first_byte() {
        let limits = HttpServerSettings {
            header_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(60),
            max_connections: 4,
        };
        let slots = Arc::new(Slots::new(4));
        let slot = slots.admit().expect("room");
        let left = |slot: &Slot| {
            slot.deadline(limits)
                .map(|at| at.saturating_duration_since(Instant::now()))
        };
        assert!(about(left(&slot), 60), "idle: the idle timeout");
        slot.bytes_read();
        assert!(about(left(&slot), 5), "headers coming: the header timeout");
        let busy = slot.request_started();
        slot.bytes_read();
        assert_eq!(left(&slot), None, "a request in flight never times out");
        drop(busy);
        assert!(about(left(&slot), 60), "answered: idle again");
        slots.close_all();
        slot.until_closed(limits).await;
    }
}
