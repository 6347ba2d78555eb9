//! Group privacy mode, as Telegram applies it (on for every bot unless turned off at
//! @BotFather): in a group the bot gets only commands not addressed to another bot
//! (`/movie`, `/movie@usher_test_bot`), replies to its own messages, and messages that mention
//! it. Anything else in a group never reaches the bot; the fake counts it as withheld so tests
//! can tell "not delivered" from "delivered and ignored". Private chats get everything.

use serde_json::Value;

use super::{BOT_ID, BOT_USERNAME, FakeTelegram};

impl FakeTelegram {
    /// Turns group privacy mode on (the default) or off, as `/setprivacy` at @BotFather does;
    /// `getMe` reports it as `can_read_all_group_messages`.
    pub fn set_privacy_mode(&self, on: bool) {
        self.shared.lock().read_all_group_messages = !on;
    }

    /// How many group messages privacy mode kept from the bot.
    pub fn withheld(&self) -> usize {
        self.shared.lock().withheld
    }
}

/// Whether Telegram delivers `message` to a bot in privacy mode.
pub(super) fn delivered_in_privacy_mode(message: &Value) -> bool {
    if message["chat"]["type"] == "private" {
        return true;
    }
    let text = message["text"].as_str().unwrap_or_default();
    let replies_to_bot = message["reply_to_message"]["from"]["id"].as_i64() == Some(BOT_ID);
    replies_to_bot || command_for_us(text) || mentions_us(text)
}

/// A command with no bot name, or with ours.
fn command_for_us(text: &str) -> bool {
    let Some(command) = text
        .split_whitespace()
        .next()
        .and_then(|w| w.strip_prefix('/'))
    else {
        return false;
    };
    match command.split_once('@') {
        Some((_, bot)) => bot.eq_ignore_ascii_case(BOT_USERNAME),
        None => !command.is_empty(),
    }
}

fn mentions_us(text: &str) -> bool {
    let mention = format!("@{BOT_USERNAME}").to_ascii_lowercase();
    text.to_ascii_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
        .any(|word| word == mention)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn group(text: &str) -> Value {
        json!({"chat": {"id": -5, "type": "supergroup"}, "text": text})
    }

    #[test]
    fn privacy_mode_lets_through_what_telegram_does() {
        assert!(delivered_in_privacy_mode(&group("/movie dune")));
        assert!(delivered_in_privacy_mode(&group(
            "/movie@usher_test_bot dune"
        )));
        assert!(delivered_in_privacy_mode(&group(
            "hey @usher_test_bot, dune?"
        )));
        assert!(!delivered_in_privacy_mode(&group("/movie@other_bot dune")));
        assert!(!delivered_in_privacy_mode(&group("dune")));
        assert!(!delivered_in_privacy_mode(&group(
            "mail me@usher_test_bot.org"
        )));
        let mut reply = group("because");
        reply["reply_to_message"] = json!({"from": {"id": BOT_ID}});
        assert!(delivered_in_privacy_mode(&reply));
        reply["reply_to_message"] = json!({"from": {"id": 42}});
        assert!(!delivered_in_privacy_mode(&reply));
        let private = json!({"chat": {"id": 5, "type": "private"}, "text": "dune"});
        assert!(delivered_in_privacy_mode(&private));
    }
}
