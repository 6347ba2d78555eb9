//! Members leaving a group, as Telegram reports it: a `chat_member` update (a
//! `ChatMemberUpdated` with the old and new `ChatMember`). Telegram sends these only to a bot
//! that is an administrator of the chat and that listed `chat_member` in `allowed_updates`
//! (`getUpdates` or `setWebhook`; a call without the list keeps the previous one, and the
//! default leaves `chat_member` out). The fake plays the administrator part and keeps the
//! list rule, counting a withheld update like privacy mode does, so a bot that never asks
//! is caught.

use serde_json::{Value, json};

use super::{FakeTelegram, State, TgUser, now, push_update};

/// How a member stopped being one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// They left on their own (`status: "left"`).
    Left,
    /// An admin removed or banned them (`status: "kicked"`).
    Kicked,
}

impl FakeTelegram {
    /// `user` is no longer a member of group `chat_id` (they were a plain member before).
    pub fn member_leaves(&self, user: &TgUser, chat_id: i64, how: Departure) {
        let mut state = self.shared.lock();
        let chat =
            state.chats.get(&chat_id).cloned().unwrap_or_else(
                || json!({"id": chat_id, "type": "supergroup", "title": "A group"}),
            );
        let new = match how {
            Departure::Left => json!({"status": "left", "user": user.json()}),
            Departure::Kicked => {
                json!({"status": "kicked", "user": user.json(), "until_date": 0})
            }
        };
        let update = json!({"chat_member": {
            "chat": chat,
            "from": user.json(),
            "date": now(),
            "old_chat_member": {"status": "member", "user": user.json()},
            "new_chat_member": new,
        }});
        if wants(&state, "chat_member") {
            push_update(&mut state, update);
        } else {
            state.withheld += 1;
        }
        drop(state);
        self.shared.arrived.notify_waiters();
    }
}

/// Remembers the `allowed_updates` a `getUpdates` or `setWebhook` call lists, if it lists any.
pub(super) fn note_allowed_updates(state: &mut State, params: &Value) {
    if let Some(kinds) = params["allowed_updates"].as_array() {
        let kinds = kinds.iter().filter_map(Value::as_str).map(str::to_owned);
        state.allowed_updates = Some(kinds.collect());
    }
}

/// Whether the bot gets updates of `kind`: an empty or absent list means Telegram's default,
/// every kind but `chat_member`, `message_reaction` and `message_reaction_count`.
fn wants(state: &State, kind: &str) -> bool {
    match &state.allowed_updates {
        Some(kinds) if !kinds.is_empty() => kinds.iter().any(|k| k == kind),
        _ => !matches!(
            kind,
            "chat_member" | "message_reaction" | "message_reaction_count"
        ),
    }
}
