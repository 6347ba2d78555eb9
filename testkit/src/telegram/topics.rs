//! Forum topics, as Telegram has them: a forum supergroup (`is_forum`) holds topics, each named
//! by its thread id (the id of the service message that opened it). Messages said in a topic
//! carry `message_thread_id` and `is_topic_message: true`, and — when they reply to nothing
//! else — the topic's opening message as `reply_to_message`. A bot message sent with
//! `message_thread_id` lands in that topic and comes back marked the same way; an id that is not
//! a topic of that chat is refused with "message thread not found". Without one, a message goes
//! to the chat itself (a forum's General topic).

use serde_json::{Value, json};

use super::api::{Failure, bad};
use super::{FakeTelegram, State, TgUser, now};

/// The forum a topic is created in, as Telegram describes the chat.
fn forum(chat_id: i64) -> Value {
    json!({"id": chat_id, "type": "supergroup", "title": "Usher admins", "is_forum": true})
}

impl FakeTelegram {
    /// Opens a topic named `name` in `chat_id`, which becomes (or stays) a forum supergroup;
    /// returns the topic's thread id.
    pub fn create_topic(&self, chat_id: i64, name: &str) -> i64 {
        let mut state = self.shared.lock();
        let chat = forum(chat_id);
        state.chats.insert(chat_id, chat.clone());
        let id = state.next_message;
        state.next_message += 1;
        let creator = json!({"id": 1, "is_bot": false, "first_name": "owner"});
        let opening = json!({"message_id": id, "date": now(), "chat": chat, "from": creator,
            "message_thread_id": id, "is_topic_message": true,
            "forum_topic_created": {"name": name, "icon_color": 7_322_096}});
        state.topics.insert((chat_id, id), opening);
        id
    }

    /// A message from `user` in topic `topic` of the forum `chat_id` (see
    /// [`FakeTelegram::create_topic`]); commands are marked as in any group.
    pub fn send_in_topic(&self, user: &TgUser, chat_id: i64, topic: i64, text: &str) {
        let (chat, opening) = {
            let state = self.shared.lock();
            let chat = state.chats.get(&chat_id).cloned();
            let opening = state.topics.get(&(chat_id, topic)).cloned();
            (chat.unwrap_or_else(|| forum(chat_id)), opening)
        };
        let mut extra = json!({"message_thread_id": topic, "is_topic_message": true});
        if let Some(opening) = opening {
            extra["reply_to_message"] = opening;
        }
        self.push_message(user, chat, text, Some(extra));
    }
}

/// Checks the `message_thread_id` of a send and marks the message as in that topic, as Telegram
/// does; a thread that is not a topic of the chat is refused.
pub(super) fn place(
    state: &State,
    chat_id: i64,
    params: &Value,
    message: &mut Value,
) -> Result<(), Failure> {
    let thread = match &params["message_thread_id"] {
        Value::Null => return Ok(()),
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    let opening = thread.and_then(|t| state.topics.get(&(chat_id, t)).map(|o| (t, o)));
    let (thread, opening) = opening.ok_or_else(|| bad("message thread not found"))?;
    message["message_thread_id"] = json!(thread);
    message["is_topic_message"] = json!(true);
    message["reply_to_message"] = opening.clone();
    Ok(())
}

/// The topic a reply to `replied` is said in: the replied message's, when it is in one.
pub(super) fn of_reply(replied: &Value) -> Option<Value> {
    (replied["is_topic_message"] == true).then(|| {
        json!({"message_thread_id": replied["message_thread_id"].clone(),
               "is_topic_message": true})
    })
}
