//! Updates handled in order within a chat, chats side by side, and nothing kept for a chat
//! that has gone quiet.
//!
//! teloxide's `Dispatcher` gives every chat a worker task with its own channel, and drops idle
//! workers only when there are more of them than were ever busy at once: after 100 members
//! pressed together, 100 idle workers stay for good, each channel holding a block of 32
//! `Update`s (about 62 KB). Measured with heaptrack over the member-flow bench, those blocks
//! were 6.2 MB of a 24.7 MB heap peak. Here a chat has a task only while it has updates to
//! handle, and a queue only while one waits behind another.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};

use teloxide::types::{ChatId, Update, UserId};

/// Whose updates must be handled one after the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Lane {
    /// A chat's messages and presses, as Telegram sent them.
    Chat(ChatId),
    /// What a person sends outside any chat (inline queries).
    Sender(UserId),
}

/// The lane an update joins: its chat, else its sender; `None` for one that has neither.
fn lane_of(update: &Update) -> Option<Lane> {
    update
        .chat()
        .map(|chat| Lane::Chat(chat.id))
        .or_else(|| update.from().map(|user| Lane::Sender(user.id)))
}

/// The updates waiting per busy lane. A lane is in the map exactly while a task drains it.
type Busy = Arc<Mutex<HashMap<Lane, VecDeque<Update>>>>;

/// Runs `handle` on each update pushed, one at a time per lane. Cheap to clone.
#[derive(Clone)]
pub(super) struct Lanes<H> {
    busy: Busy,
    handle: H,
}

impl<H, F> Lanes<H>
where
    H: Fn(Update) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    /// Lanes that hand each update to `handle`.
    pub(super) fn new(handle: H) -> Self {
        Self {
            busy: Arc::default(),
            handle,
        }
    }

    /// Hands `update` on: at once when its lane is idle, else after those before it.
    pub(super) fn push(&self, update: Update) {
        let Some(lane) = lane_of(&update) else {
            tokio::spawn((self.handle)(update));
            return;
        };
        {
            let mut busy = self.lock();
            if let Some(waiting) = busy.get_mut(&lane) {
                waiting.push_back(update);
                return;
            }
            busy.insert(lane, VecDeque::new());
        }
        tokio::spawn(self.clone().drain(lane, update));
    }

    /// Handles `first`, then whatever joined the lane meanwhile, and leaves the lane when it
    /// is empty. Each update runs as its own task, so one that panics ends alone and the lane
    /// goes on.
    async fn drain(self, lane: Lane, first: Update) {
        let mut next = first;
        loop {
            if let Err(err) = tokio::spawn((self.handle)(next)).await
                && err.is_panic()
            {
                tracing::error!(
                    ?lane,
                    "handling a Telegram update panicked; the chat goes on"
                );
            }
            let mut busy = self.lock();
            match busy.get_mut(&lane).and_then(VecDeque::pop_front) {
                Some(update) => next = update,
                None => {
                    busy.remove(&lane);
                    return;
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Lane, VecDeque<Update>>> {
        self.busy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many lanes are being drained now (none once every chat has gone quiet).
    #[cfg(test)]
    fn busy_lanes(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc;

    use super::*;

    /// A text message in chat `chat` from user `chat`, numbered `id`.
    fn message(chat: i64, id: i32) -> Update {
        let json = serde_json::json!({
            "update_id": id,
            "message": {
                "message_id": id, "date": 0, "text": format!("{id}"),
                "chat": {"id": chat, "type": "private", "first_name": "A"},
                "from": {"id": chat, "is_bot": false, "first_name": "A"}
            }
        });
        // teloxide reads updates from text (the Bot API's), not from a parsed value.
        serde_json::from_str(&json.to_string()).expect("an update")
    }

    fn number(update: &Update) -> (i64, i32) {
        let chat = update.chat().expect("chat").id.0;
        (chat, update.id.0.try_into().expect("small"))
    }

    #[tokio::test]
    async fn a_chat_is_handled_in_order_chats_side_by_side_and_quiet_chats_keep_nothing() {
        let (done, mut handled) = mpsc::unbounded_channel();
        // Chat 1's first update is slow: chat 2 must not wait for it, chat 1's others must.
        let lanes = Lanes::new(move |update: Update| {
            let done = done.clone();
            async move {
                let (chat, id) = number(&update);
                if (chat, id) == (1, 1) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                if (chat, id) == (2, 5) {
                    panic!("a handler's own bug");
                }
                let _ = done.send((chat, id));
            }
        });
        for (chat, id) in [(1, 1), (1, 2), (2, 3), (1, 4), (2, 5), (2, 6)] {
            lanes.push(message(chat, id));
        }
        let mut order = Vec::new();
        for _ in 0..5 {
            let next = tokio::time::timeout(Duration::from_secs(5), handled.recv());
            order.push(next.await.expect("in time").expect("handled"));
        }
        let of = |chat| {
            order
                .iter()
                .filter(move |(c, _)| *c == chat)
                .map(|(_, id)| *id)
        };
        assert_eq!(of(1).collect::<Vec<_>>(), [1, 2, 4], "chat 1 in order");
        assert_eq!(
            of(2).collect::<Vec<_>>(),
            [3, 6],
            "chat 2 goes on past a panic"
        );
        assert_eq!(
            order[0],
            (2, 3),
            "chat 2 did not wait for chat 1: {order:?}"
        );
        for _ in 0..100 {
            if lanes.busy_lanes() == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(
            lanes.busy_lanes(),
            0,
            "nothing kept once the chats are quiet"
        );
    }
}
