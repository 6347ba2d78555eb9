//! Replies: a user answering one of the bot's messages (a force-reply prompt), as Telegram
//! delivers it — the update's message carries the replied-to message as `reply_to_message`.
//! Groups in privacy mode still deliver replies to the bot's own messages. A reply to a message
//! in a forum topic is said in that topic.

use serde_json::json;

use super::{FakeTelegram, TgUser, merge, now, push_message_update, topics};

impl FakeTelegram {
    /// `user` replies with `text` to the bot's message `message_id` in `chat_id` (their
    /// private chat when it is their id, else a group).
    pub fn reply_to(&self, user: &TgUser, chat_id: i64, message_id: i64, text: &str) {
        let mut state = self.shared.lock();
        let chat = state.chats.get(&chat_id).cloned().unwrap_or_else(|| {
            if chat_id == user.id {
                json!({"id": chat_id, "type": "private", "first_name": user.first_name})
            } else {
                json!({"id": chat_id, "type": "supergroup", "title": "Usher admins"})
            }
        });
        state.chats.insert(chat_id, chat.clone());
        let replied = state.messages.get(&(chat_id, message_id)).cloned();
        let id = state.next_message;
        state.next_message += 1;
        let mut message = json!({"message_id": id, "from": user.json(), "chat": chat,
                                 "date": now(), "text": text});
        if let Some(replied) = replied {
            merge(&mut message, topics::of_reply(&replied));
            message["reply_to_message"] = replied;
        }
        push_message_update(&mut state, message);
        drop(state);
        self.shared.arrived.notify_waiters();
    }
}
