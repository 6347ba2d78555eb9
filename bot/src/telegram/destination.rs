//! Where the bot answers: a chat and, in a forum supergroup (or a chat with topics), the topic.
//! Telegram puts a message sent without `message_thread_id` into a forum's General topic, so an
//! answer to something said in a topic must name that topic or it lands somewhere else. Every
//! handler that answers a message or a button press takes its [`Destination`] from that message
//! ([`Destination::of`]) and builds its sends through it.

use teloxide::prelude::*;
use teloxide::types::{InputFile, Message, ThreadId};
use teloxide::{ApiError, RequestError};

use super::SendQueue;

/// How Telegram words its refusal of a `message_thread_id` that names no topic of the chat.
const NO_SUCH_TOPIC: &str = "message thread not found";

/// A chat, and the forum topic in it when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destination {
    /// The chat.
    pub chat: ChatId,
    /// The topic's thread id; `None` for the chat itself (a forum's General topic).
    pub topic: Option<ThreadId>,
}

impl Destination {
    /// Where to answer `message`: its chat, and its topic when it was said in one. Only topic
    /// messages count: a reply in a group without topics also carries a thread id (the replied
    /// message's), which is no place to send to.
    #[must_use]
    pub fn of(message: &Message) -> Self {
        let topic = message.thread_id.filter(|_| message.is_topic_message);
        Self {
            chat: message.chat.id,
            topic,
        }
    }

    /// A text message to this place.
    pub fn message(self, bot: &Bot, text: impl Into<String>) -> <Bot as Requester>::SendMessage {
        let send = bot.send_message(self.chat, text);
        match self.topic {
            Some(topic) => send.message_thread_id(topic),
            None => send,
        }
    }

    /// A photo to this place.
    pub fn photo(self, bot: &Bot, photo: InputFile) -> <Bot as Requester>::SendPhoto {
        let send = bot.send_photo(self.chat, photo);
        match self.topic {
            Some(topic) => send.message_thread_id(topic),
            None => send,
        }
    }
}

/// Sends the message `build` makes for `to`; when Telegram says `to`'s topic does not exist (it
/// was deleted, or `USHER_TELEGRAM_ADMIN_TOPIC_ID` names none), sends it to the chat itself
/// instead, so a card is not lost to a stale topic id. Other errors are returned as they are.
pub(crate) async fn send_or_general(
    out: &SendQueue,
    to: Destination,
    build: impl Fn(Destination) -> <Bot as Requester>::SendMessage,
) -> Result<Message, RequestError> {
    match out.send(build(to)).await {
        Err(RequestError::Api(ApiError::Unknown(text)))
            if to.topic.is_some() && text.contains(NO_SUCH_TOPIC) =>
        {
            tracing::warn!(chat = to.chat.0, topic = ?to.topic, "no such forum topic; posting in the chat itself");
            out.send(build(to.chat.into())).await
        }
        sent => sent,
    }
}

impl From<ChatId> for Destination {
    /// A chat without topics, or a forum's General topic.
    fn from(chat: ChatId) -> Self {
        Self { chat, topic: None }
    }
}

#[cfg(test)]
mod tests {
    use teloxide::requests::HasPayload;
    use teloxide::types::MessageId;

    use super::*;

    fn message(json: serde_json::Value) -> Message {
        serde_json::from_value(json).expect("a message")
    }

    #[test]
    fn only_topic_messages_are_answered_in_their_thread() {
        let chat = serde_json::json!({"id": -1_001_234, "type": "supergroup", "title": "admins"});
        let in_topic = message(serde_json::json!({"message_id": 9, "date": 0, "chat": chat,
            "message_thread_id": 4, "is_topic_message": true, "text": "/pending"}));
        assert_eq!(
            Destination::of(&in_topic),
            Destination {
                chat: ChatId(-1_001_234),
                topic: Some(ThreadId(MessageId(4)))
            }
        );
        let reply_thread = message(serde_json::json!({"message_id": 9, "date": 0, "chat": chat,
            "message_thread_id": 4, "text": "because"}));
        assert_eq!(Destination::of(&reply_thread), ChatId(-1_001_234).into());
        let bot = Bot::new("1:x");
        let sent = Destination::of(&in_topic).message(&bot, "hi");
        assert_eq!(
            sent.payload_ref().message_thread_id,
            Some(ThreadId(MessageId(4)))
        );
        let general = Destination::from(ChatId(-1_001_234)).message(&bot, "hi");
        assert_eq!(general.payload_ref().message_thread_id, None);
    }
}
