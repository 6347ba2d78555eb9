//! A strict fake Telegram Bot API, so the bot is tested against what Telegram accepts and
//! rejects rather than against a lenient emulator (the npm one does not even parse with
//! teloxide 0.17; see `../shared/PROTOCOLS.md`).
//!
//! It routes `/bot<token>/<method>` case-insensitively, long-polls `getUpdates` honouring
//! `offset` and `timeout`, returns full `Message` objects from send and edit methods, and answers
//! with Telegram's 400s for what Telegram refuses: callback data over 64 bytes, empty or
//! over-long text, no-op edits (`editMessageMedia` included), unknown or twice-answered callback
//! queries, inline-query answers Telegram would refuse (see `inline`), command menus Telegram
//! would not take. [`FakeTelegram::throttle_next`] injects 429s with `retry_after`,
//! [`FakeTelegram::flood_control`] turns on Telegram's flood limits (429 for any message over
//! them; every message's arrival time is logged either way, [`FakeTelegram::sent_log`]),
//! [`FakeTelegram::fail_sends_to`] refusals for one chat and [`FakeTelegram::block`] a user who
//! blocked the bot; [`FakeTelegram::create_topic`] opens a forum topic, and sends into topics
//! are checked and marked as Telegram does (see `topics`). Tests drive it in-process: inject a message, a reply or a button press, then
//! read what the bot sent, edited and answered.

mod api;
mod commands;
mod flood;
mod inline;
mod members;
mod privacy;
mod replies;
#[cfg(test)]
mod tests;
mod topics;

pub use commands::MenuEntry;
pub use flood::{FloodLimits, Sent};
pub use members::Departure;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::FakeServer;

/// The token tests give the bot; any other token gets 401 as from Telegram.
pub const TOKEN: &str = "123456:TEST-token";
/// The bot's own user id (the number before the colon of [`TOKEN`]).
pub const BOT_ID: i64 = 123_456;
/// The bot's username, as `getMe` reports it.
pub const BOT_USERNAME: &str = "usher_test_bot";

/// A Telegram user the harness acts as.
#[derive(Debug, Clone)]
pub struct TgUser {
    /// Telegram user id; also the id of the private chat with the bot.
    pub id: i64,
    /// Shown name.
    pub first_name: String,
    /// Client language (`en`, `de`, …), used by the bot to pick a locale.
    pub language_code: String,
    /// A bot account (Telegram's `is_bot`): bots write in groups too.
    pub is_bot: bool,
    /// The `@username`, when the account has one.
    pub username: Option<String>,
}

/// The user id Telegram shows for an admin who posts anonymously as the group.
pub const GROUP_ANONYMOUS_BOT: i64 = 1_087_968_824;

impl TgUser {
    /// A user with an English client.
    pub fn new(id: i64, first_name: &str) -> Self {
        Self {
            id,
            first_name: first_name.to_owned(),
            language_code: "en".to_owned(),
            is_bot: false,
            username: None,
        }
    }

    /// Another bot, as Telegram describes one (no client language).
    pub fn bot(id: i64, username: &str) -> Self {
        Self {
            id,
            first_name: username.to_owned(),
            language_code: String::new(),
            is_bot: true,
            username: Some(username.to_owned()),
        }
    }

    /// `GroupAnonymousBot`, the sender Telegram shows for an admin posting anonymously (see
    /// [`FakeTelegram::send_group_anonymously`]).
    pub fn group_anonymous_bot() -> Self {
        Self {
            first_name: "Group".to_owned(),
            ..Self::bot(GROUP_ANONYMOUS_BOT, "GroupAnonymousBot")
        }
    }

    fn json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": self.is_bot,
                              "first_name": self.first_name});
        if !self.language_code.is_empty() {
            user["language_code"] = json!(self.language_code);
        }
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        user
    }
}

/// One call the bot made, with the arguments it sent and what the fake answered.
#[derive(Debug, Clone)]
pub struct Call {
    /// Method name in lower case (`sendmessage`).
    pub method: String,
    /// The JSON arguments.
    pub params: Value,
    /// The `result` on success, or the error description.
    pub outcome: Result<Value, String>,
}

/// What a callback query got back from `answerCallbackQuery`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The text shown, if any.
    pub text: Option<String>,
    /// Whether it was an alert (modal) rather than a toast.
    pub show_alert: bool,
}

#[derive(Default)]
struct State {
    next_update: i64,
    updates: Vec<(i64, Value)>,
    next_message: i64,
    /// Current state of every message the bot sent, by (chat, message id).
    messages: HashMap<(i64, i64), Value>,
    chats: HashMap<i64, Value>,
    calls: Vec<Call>,
    /// Callback query id → its answer once answered.
    callbacks: HashMap<String, Option<Answer>>,
    /// Pending injected 429s: how many more sends to refuse, and the retry_after to give.
    throttle: Option<(u32, u32)>,
    /// Chats whose next sends are refused, and how many more will be.
    failing: HashMap<i64, u32>,
    /// Users who blocked the bot: every send to them gets Telegram's 403.
    blocked: std::collections::HashSet<i64>,
    /// The webhook set with `setWebhook`: updates are then POSTed there, not long-polled.
    webhook: Option<Webhook>,
    /// HTTP status of every webhook delivery attempt, in order.
    deliveries: Vec<u16>,
    /// Inline query id → the bot's answer (`answerInlineQuery`'s parameters) once answered.
    inline_queries: HashMap<String, Option<Value>>,
    /// Messages posted through inline mode, by `inline_message_id`.
    inline_messages: HashMap<String, Value>,
    /// Every message sent or edited, with when; the limits in strict flood mode.
    flood: flood::Flood,
    /// The command menus set with `setMyCommands`.
    menus: commands::Menus,
    /// How many calls of each method (lower case) were made, answered or refused.
    counts: HashMap<String, usize>,
    /// Group privacy mode turned off at @BotFather: the bot gets every group message.
    read_all_group_messages: bool,
    /// Group messages privacy mode kept from the bot.
    withheld: usize,
    /// Forum topics by (chat, thread id), each with the service message that opened it.
    topics: HashMap<(i64, i64), Value>,
    /// The update kinds the bot last asked for (`allowed_updates`); `None` until it lists any.
    allowed_updates: Option<Vec<String>>,
    /// How long every call but `getUpdates` takes to answer, after it has arrived.
    answer_delay: Duration,
}

/// A webhook registration, as `setWebhook` made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Where updates are POSTed.
    pub url: String,
    /// Sent as `X-Telegram-Bot-Api-Secret-Token` with each update.
    pub secret_token: Option<String>,
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<State>>,
    arrived: Arc<Notify>,
    changed: Arc<Notify>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The running fake: a [`FakeServer`] plus the harness to drive it.
pub struct FakeTelegram {
    /// The server; point the bot's API URL at `server.url`.
    pub server: FakeServer,
    shared: Shared,
}

impl FakeTelegram {
    /// Starts the fake on loopback.
    pub async fn start() -> Self {
        let shared = Shared {
            state: Arc::new(Mutex::new(State {
                next_update: 1,
                next_message: 1,
                ..State::default()
            })),
            arrived: Arc::new(Notify::new()),
            changed: Arc::new(Notify::new()),
        };
        let server = FakeServer::start(api::router(shared.clone())).await;
        tokio::spawn(deliver_to_webhook(shared.clone()));
        Self { server, shared }
    }

    /// The webhook the bot registered, if any.
    pub fn webhook(&self) -> Option<Webhook> {
        self.shared.lock().webhook.clone()
    }

    /// The update kinds the bot last asked for, by `getUpdates` or `setWebhook`; `None` until
    /// it lists any (Telegram's default then applies).
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.shared.lock().allowed_updates.clone()
    }

    /// HTTP status of every webhook delivery so far.
    pub fn deliveries(&self) -> Vec<u16> {
        self.shared.lock().deliveries.clone()
    }

    /// The Bot API base URL to configure (`USHER_TELEGRAM_API_URL`).
    pub fn url(&self) -> &str {
        &self.server.url
    }

    /// A private message from `user` to the bot.
    pub fn send_private(&self, user: &TgUser, text: &str) {
        let chat = json!({"id": user.id, "type": "private", "first_name": user.first_name});
        self.push_message(user, chat, text, None);
    }

    /// A message from `user` in the group `chat_id` (negative, as Telegram's are).
    pub fn send_group(&self, user: &TgUser, chat_id: i64, text: &str) {
        let chat = json!({"id": chat_id, "type": "supergroup", "title": "Usher admins"});
        self.push_message(user, chat, text, None);
    }

    /// A message an admin of the group `chat_id` posts anonymously, as the group: Telegram
    /// shows `GroupAnonymousBot` as the sender and the group itself as `sender_chat`.
    pub fn send_group_anonymously(&self, chat_id: i64, text: &str) {
        let chat = json!({"id": chat_id, "type": "supergroup", "title": "Usher admins"});
        let extra = json!({"sender_chat": chat});
        self.push_message(&TgUser::group_anonymous_bot(), chat, text, Some(extra));
    }

    /// Delivers a message from `user` in `chat`; `extra` fields (a topic's) are merged in.
    fn push_message(&self, user: &TgUser, chat: Value, text: &str, extra: Option<Value>) {
        let mut state = self.shared.lock();
        let chat_id = chat["id"].as_i64().unwrap_or_default();
        state.chats.insert(chat_id, chat.clone());
        let message_id = state.next_message;
        state.next_message += 1;
        let mut message = json!({"message_id": message_id, "from": user.json(), "chat": chat,
                                 "date": now(), "text": text});
        if text.starts_with('/') {
            let len = text
                .split_whitespace()
                .next()
                .map_or(0, |c| c.encode_utf16().count());
            message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
        }
        merge(&mut message, extra);
        push_message_update(&mut state, message);
        drop(state);
        self.shared.arrived.notify_waiters();
    }

    /// `user` presses the button with `data` under the bot's message; returns the query id.
    /// The data is sent as given, so tests can forge or edit it.
    pub fn press(&self, user: &TgUser, chat_id: i64, message_id: i64, data: &str) -> String {
        let mut state = self.shared.lock();
        let message = state
            .messages
            .get(&(chat_id, message_id))
            .cloned()
            .unwrap_or_else(|| {
                json!({"message_id": message_id, "date": now(),
                                      "chat": {"id": chat_id, "type": "private"}})
            });
        let id = format!("cbq-{}", state.next_update);
        state.callbacks.insert(id.clone(), None);
        let query = json!({"id": id, "from": user.json(), "chat_instance": format!("ci{chat_id}"),
                           "message": message, "data": data});
        push_update(&mut state, json!({"callback_query": query}));
        drop(state);
        self.shared.arrived.notify_waiters();
        id
    }

    /// The next `count` send or edit calls get 429 with `retry_after` seconds.
    pub fn throttle_next(&self, count: u32, retry_after: u32) {
        self.shared.lock().throttle = Some((count, retry_after));
    }

    /// Every call but `getUpdates` is answered `delay` after it arrived, as a distant or busy
    /// Telegram would; its arrival is logged at once.
    pub fn answer_after(&self, delay: Duration) {
        self.shared.lock().answer_delay = delay;
    }

    /// Strict flood mode: from now on a message that would break `limits` is refused with 429
    /// and a `retry_after`, as Telegram does (see [`FloodLimits`]).
    pub fn flood_control(&self, limits: FloodLimits) {
        self.shared.lock().flood.limits = Some(limits);
    }

    /// The command menu set for `language_code` ("" for the one every language falls back to)
    /// in the default scope, if any.
    pub fn commands(&self, language_code: &str) -> Option<Vec<MenuEntry>> {
        let key = ("default".to_owned(), language_code.to_owned());
        self.shared.lock().menus.get(&key).cloned()
    }

    /// Every message the bot sent or edited so far, with when it arrived, oldest first.
    pub fn sent_log(&self) -> Vec<Sent> {
        self.shared.lock().flood.log.clone()
    }

    /// How many messages strict flood mode refused with 429.
    pub fn flood_refusals(&self) -> usize {
        self.shared.lock().flood.refused
    }

    /// The next `count` sends to `chat_id` are refused with "Forbidden: bot was blocked by the
    /// user" (then they unblock it); sends to other chats go through. A 403 rather than a 500,
    /// because teloxide waits 10 s before reporting any 5xx.
    pub fn fail_sends_to(&self, chat_id: i64, count: u32) {
        self.shared.lock().failing.insert(chat_id, count);
    }

    /// `user_id` blocks the bot: every send to them gets "Forbidden: bot was blocked by the
    /// user", as from Telegram.
    pub fn block(&self, user_id: i64) {
        self.shared.lock().blocked.insert(user_id);
    }

    /// Every call the bot made so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// How many `method` calls (lower case, e.g. `sendphoto`) the bot made so far, answered or
    /// refused; cheap, for benchmarks that poll.
    pub fn count(&self, method: &str) -> usize {
        self.shared.lock().counts.get(method).copied().unwrap_or(0)
    }

    /// The current state of the bot's messages in `chat_id`, oldest first.
    pub fn messages_in(&self, chat_id: i64) -> Vec<Value> {
        let state = self.shared.lock();
        let mut messages: Vec<Value> = state
            .messages
            .iter()
            .filter(|((chat, _), _)| *chat == chat_id)
            .map(|(_, m)| m.clone())
            .collect();
        messages.sort_by_key(|m| m["message_id"].as_i64());
        messages
    }

    /// How the callback query `id` was answered, once it was.
    pub fn answer(&self, id: &str) -> Option<Answer> {
        self.shared.lock().callbacks.get(id).cloned().flatten()
    }

    /// Waits until `check` finds something in the fake's state, up to `within`.
    pub async fn wait_for<T>(
        &self,
        within: Duration,
        check: impl Fn(&Self) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let changed = self.shared.changed.notified();
            if let Some(found) = check(self) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return check(self);
            }
        }
    }

    /// Waits for the answer to callback query `id`.
    pub async fn wait_answer(&self, id: &str, within: Duration) -> Option<Answer> {
        self.wait_for(within, |fake| fake.answer(id)).await
    }
}

/// A user's message, as Telegram would deliver it: group messages privacy mode keeps from the
/// bot are counted and dropped (see `privacy`).
fn push_message_update(state: &mut State, message: Value) {
    if !state.read_all_group_messages && !privacy::delivered_in_privacy_mode(&message) {
        state.withheld += 1;
        return;
    }
    push_update(state, json!({"message": message}));
}

/// Adds the fields of `extra` (an object) to `message`.
fn merge(message: &mut Value, extra: Option<Value>) {
    if let (Some(message), Some(Value::Object(extra))) = (message.as_object_mut(), extra) {
        message.extend(extra);
    }
}

fn push_update(state: &mut State, mut update: Value) {
    let id = state.next_update;
    state.next_update += 1;
    update["update_id"] = json!(id);
    state.updates.push((id, update));
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Telegram's side of webhook mode: while a webhook is set, POST the oldest update to it with
/// the secret header, drop it on a 2xx, and retry it later otherwise.
async fn deliver_to_webhook(shared: Shared) {
    let client = reqwest::Client::new();
    loop {
        let next = {
            let state = shared.lock();
            state
                .webhook
                .clone()
                .and_then(|hook| state.updates.first().cloned().map(|u| (hook, u)))
        };
        let Some((hook, (id, update))) = next else {
            let _ =
                tokio::time::timeout(Duration::from_millis(50), shared.arrived.notified()).await;
            continue;
        };
        let mut body = update;
        body["update_id"] = json!(id);
        let mut request = client.post(&hook.url).json(&body);
        if let Some(secret) = &hook.secret_token {
            request = request.header("x-telegram-bot-api-secret-token", secret);
        }
        let status = match request.send().await {
            Ok(answer) => answer.status().as_u16(),
            Err(_) => 0,
        };
        {
            let mut state = shared.lock();
            state.deliveries.push(status);
            if (200..300).contains(&status) {
                state.updates.retain(|(queued, _)| *queued != id);
            }
        }
        shared.changed.notify_waiters();
        if !(200..300).contains(&status) {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
