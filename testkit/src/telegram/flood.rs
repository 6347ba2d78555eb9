//! Telegram's flood control, for the fake: every message the bot sends or edits is logged with
//! the time it arrived, and in strict flood mode ([`super::FakeTelegram::flood_control`]) one
//! that would break a limit is refused with 429 and a `retry_after`, as Telegram does.
//!
//! The limits are Telegram's (Bot API FAQ): about 30 messages a second overall, one a second to
//! a chat, 20 a minute to a group. They are checked over sliding windows of arrival times: no
//! window of a second may hold more than 30 messages, or more than one to a chat, and no window
//! of a minute more than 20 to a group. Each window is shortened by a small `tolerance`, for the
//! jitter between when the bot decided to send and when the message arrived here. Messages are
//! the `send*` (but not `sendChatAction`), `edit*`, `copy*` and `forward*` methods; answers to
//! button presses and inline queries are not messages.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Telegram's limits as the fake enforces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloodLimits {
    /// Messages in any second, over all chats.
    pub per_second: usize,
    /// Messages to one chat in any second.
    pub per_chat_per_second: usize,
    /// Messages to one group (negative chat id) in any minute.
    pub per_group_per_minute: usize,
    /// How much shorter than a second (a minute) a window is, for network jitter.
    pub tolerance: Duration,
}

impl FloodLimits {
    /// Telegram's published limits, with 100 ms of tolerance.
    pub fn telegram() -> Self {
        Self {
            per_second: 30,
            per_chat_per_second: 1,
            per_group_per_minute: 20,
            tolerance: Duration::from_millis(100),
        }
    }

    fn second(&self) -> Duration {
        Duration::from_secs(1).saturating_sub(self.tolerance)
    }

    fn minute(&self) -> Duration {
        Duration::from_secs(60).saturating_sub(self.tolerance)
    }

    /// Every place where `log` breaks these limits, described; empty when it keeps them.
    pub fn violations(&self, log: &[Sent]) -> Vec<String> {
        let mut found = Vec::new();
        let all: Vec<Instant> = log.iter().map(|s| s.at).collect();
        if let Some(at) = crowded(&all, self.second(), self.per_second) {
            found.push(format!(
                "more than {} messages within a second (from {at:?})",
                self.per_second
            ));
        }
        let mut by_chat: HashMap<i64, Vec<Instant>> = HashMap::new();
        for sent in log {
            if let Some(chat) = sent.chat {
                by_chat.entry(chat).or_default().push(sent.at);
            }
        }
        for (chat, times) in by_chat {
            if let Some(at) = crowded(&times, self.second(), self.per_chat_per_second) {
                found.push(format!(
                    "more than {} messages to chat {chat} within a second (from {at:?})",
                    self.per_chat_per_second
                ));
            }
            if chat < 0
                && let Some(at) = crowded(&times, self.minute(), self.per_group_per_minute)
            {
                found.push(format!(
                    "more than {} messages to group {chat} within a minute (from {at:?})",
                    self.per_group_per_minute
                ));
            }
        }
        found
    }
}

/// The first time from which `times` (ascending) holds more than `limit` within `window`.
fn crowded(times: &[Instant], window: Duration, limit: usize) -> Option<Instant> {
    let mut start = 0;
    for (end, at) in times.iter().enumerate() {
        while at.duration_since(times[start]) >= window {
            start += 1;
        }
        if end + 1 - start > limit {
            return Some(times[start]);
        }
    }
    None
}

/// One message the fake accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// When it arrived.
    pub at: Instant,
    /// The chat it went to, when it named one.
    pub chat: Option<i64>,
    /// The method, in lower case.
    pub method: String,
}

/// The log and, in strict mode, the limits.
#[derive(Debug, Default)]
pub(super) struct Flood {
    pub(super) limits: Option<FloodLimits>,
    pub(super) log: Vec<Sent>,
    /// Arrival times per chat within the last minute, for the checks.
    recent: HashMap<i64, Vec<Instant>>,
    /// How many messages were refused with 429 for breaking a limit.
    pub(super) refused: usize,
}

/// Whether `method` sends or changes a message, which Telegram counts.
pub(super) fn counts(method: &str) -> bool {
    (method.starts_with("send") && method != "sendchataction")
        || method.starts_with("edit")
        || method.starts_with("copy")
        || method.starts_with("forward")
}

impl Flood {
    /// In strict mode, refuses a message to `chat` arriving `now` that would break a limit:
    /// `Err(retry_after)` in whole seconds, as Telegram gives it.
    pub(super) fn admit(&mut self, chat: Option<i64>, now: Instant) -> Result<(), u32> {
        let Some(limits) = self.limits else {
            return Ok(());
        };
        let mut wait = Duration::ZERO;
        let global = self.log.iter().rev().map(|s| s.at);
        wait = wait.max(overflow(global, now, limits.second(), limits.per_second));
        if let Some(chat) = chat {
            let times = self.recent.get(&chat).map_or(&[][..], Vec::as_slice);
            let per_chat = times.iter().rev().copied();
            wait = wait.max(overflow(
                per_chat,
                now,
                limits.second(),
                limits.per_chat_per_second,
            ));
            if chat < 0 {
                let per_group = times.iter().rev().copied();
                wait = wait.max(overflow(
                    per_group,
                    now,
                    limits.minute(),
                    limits.per_group_per_minute,
                ));
            }
        }
        if wait.is_zero() {
            return Ok(());
        }
        self.refused += 1;
        let seconds = wait.as_secs_f64().ceil().max(1.0);
        Err(seconds as u32)
    }

    /// Logs an accepted message.
    pub(super) fn record(&mut self, chat: Option<i64>, method: &str, now: Instant) {
        self.log.push(Sent {
            at: now,
            chat,
            method: method.to_owned(),
        });
        if let Some(chat) = chat {
            let times = self.recent.entry(chat).or_default();
            times.retain(|t| now.duration_since(*t) < Duration::from_secs(60));
            times.push(now);
        }
    }
}

/// How long until one more message fits: zero when fewer than `limit` of `newest_first` arrived
/// within `window` before `now`, else until the oldest that must leave has left.
fn overflow(
    newest_first: impl Iterator<Item = Instant>,
    now: Instant,
    window: Duration,
    limit: usize,
) -> Duration {
    let inside: Vec<Instant> = newest_first
        .take_while(|at| now.duration_since(*at) < window)
        .take(limit.saturating_add(1))
        .collect();
    if inside.len() < limit {
        return Duration::ZERO;
    }
    // `inside` is newest first: the limit-th newest must leave the window first.
    let leaves = inside.get(limit.saturating_sub(1)).copied().unwrap_or(now) + window;
    leaves.saturating_duration_since(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_arrivals() {
        let limits = FloodLimits {
            tolerance: Duration::ZERO,
            ..FloodLimits::telegram()
        };
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let sent = |ms: u64, chat: i64| Sent {
            at: at(ms),
            chat: Some(chat),
            method: "sendmessage".into(),
        };
        let mut flood = Flood {
            limits: Some(limits),
            ..Flood::default()
        };
        assert_eq!(flood.admit(Some(5), at(0)), Ok(()));
        flood.record(Some(5), "sendmessage", at(0));
        // A second message to the same chat within the second: refused for what is left of it.
        assert_eq!(flood.admit(Some(5), at(400)), Err(1));
        assert_eq!(flood.admit(Some(6), at(400)), Ok(()));
        assert_eq!(flood.admit(Some(5), at(1000)), Ok(()));
        // A group: the 21st message within a minute waits for the first to leave.
        let mut group = Flood {
            limits: Some(limits),
            ..Flood::default()
        };
        for i in 0..20 {
            group.record(Some(-1), "sendmessage", at(i * 1000));
        }
        assert_eq!(group.admit(Some(-1), at(20_500)), Err(40));
        assert_eq!(group.admit(Some(-1), at(60_000)), Ok(()));

        let log = [sent(0, 5), sent(1500, 5), sent(2000, 5)];
        assert_eq!(limits.violations(&log[..2]), Vec::<String>::new());
        assert_eq!(limits.violations(&log).len(), 1);
    }
}

#[cfg(test)]
mod over_http {
    use serde_json::{Value, json};

    use super::super::{FakeTelegram, TOKEN};
    use super::FloodLimits;

    #[tokio::test]
    async fn strict_mode_answers_429_with_retry_after() {
        let fake = FakeTelegram::start().await;
        fake.flood_control(FloodLimits::telegram());
        let client = reqwest::Client::new();
        let url = format!("{}/bot{TOKEN}/sendMessage", fake.url());
        let send = |chat: i64| {
            client
                .post(&url)
                .json(&json!({"chat_id": chat, "text": "hi"}))
                .send()
        };
        assert_eq!(send(5).await.expect("answer").status(), 200);
        let refused = send(5).await.expect("answer");
        assert_eq!(refused.status(), 429);
        let body: Value = refused.json().await.expect("json");
        assert_eq!(body["parameters"]["retry_after"], 1);
        assert_eq!(send(6).await.expect("answer").status(), 200);
        assert_eq!(fake.flood_refusals(), 1);
        let chats: Vec<_> = fake.sent_log().iter().map(|s| s.chat).collect();
        assert_eq!(chats, [Some(5), Some(6)]);
    }
}
