//! The Bot API methods the fake serves, with Telegram's validation and error shapes.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};

use super::{Answer, BOT_ID, BOT_USERNAME, Call, Shared, TOKEN, now};

/// Telegram's limits (Bot API docs).
pub(super) const MAX_TEXT: usize = 4096;
pub(super) const MAX_CAPTION: usize = 1024;
const MAX_CALLBACK_DATA: usize = 64;
const MAX_ANSWER_TEXT: usize = 200;
/// Buttons one inline keyboard may hold.
const MAX_BUTTONS: usize = 100;
/// Longest long poll the fake grants, whatever `timeout` asks.
const MAX_POLL: u64 = 30;

pub(super) type Failure = (u16, String, Option<u32>);

pub(super) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/{*path}", any(handle))
        .with_state(shared)
}

async fn handle(
    State(shared): State<Shared>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((token, method)) = path.strip_prefix("bot").and_then(|p| p.split_once('/')) else {
        return error((404, "Not Found".into(), None));
    };
    if token != TOKEN {
        return error((401, "Unauthorized".into(), None));
    }
    let method = method.to_ascii_lowercase();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_owned());
    let params: Value = if body.is_empty() {
        json!({})
    } else if let Some(boundary) = boundary {
        match multipart(&body, &boundary) {
            Some(v) => v,
            None => return error((400, "Bad Request: can't parse multipart body".into(), None)),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => return error((400, "Bad Request: can't parse request body".into(), None)),
        }
    };
    let outcome = if method == "getupdates" {
        get_updates(&shared, &params).await
    } else {
        call(&shared, &method, &params)
    };
    if method != "getupdates" {
        let delay = record(&shared, method, params, &outcome);
        tokio::time::sleep(delay).await;
    }
    match outcome {
        Ok(result) => axum::Json(json!({"ok": true, "result": result})).into_response(),
        Err(failure) => error(failure),
    }
}

/// Logs a call and wakes whoever waits on one; says how long to wait before answering it.
fn record(
    shared: &Shared,
    method: String,
    params: Value,
    outcome: &Result<Value, Failure>,
) -> std::time::Duration {
    let recorded = outcome.clone().map_err(|(_, d, _)| d);
    let mut state = shared.lock();
    *state.counts.entry(method.clone()).or_default() += 1;
    state.calls.push(Call {
        method,
        params,
        outcome: recorded,
    });
    let delay = state.answer_delay;
    drop(state);
    shared.changed.notify_waiters();
    delay
}

fn error((code, description, retry_after): Failure) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(seconds) = retry_after {
        body["parameters"] = json!({"retry_after": seconds});
    }
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}

/// `setWebhook`'s checks: Telegram wants HTTPS (the fake also takes plain HTTP on loopback, since
/// tests cannot get a certificate) and a secret of 1–256 `A-Z a-z 0-9 _ -` characters.
fn webhook(params: &Value) -> Result<super::Webhook, Failure> {
    let url = params["url"].as_str().unwrap_or_default();
    let loopback = ["http://127.0.0.1:", "http://localhost:"]
        .iter()
        .any(|p| url.starts_with(p));
    if !url.starts_with("https://") && !loopback {
        return Err(bad(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    }
    let secret_token = params["secret_token"].as_str().map(str::to_owned);
    if let Some(secret) = &secret_token {
        let allowed = secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if secret.is_empty() || secret.len() > 256 || !allowed {
            return Err(bad("secret token contains unallowed characters"));
        }
    }
    Ok(super::Webhook {
        url: url.to_owned(),
        secret_token,
    })
}

pub(super) fn bad(description: &str) -> Failure {
    (400, format!("Bad Request: {description}"), None)
}

async fn get_updates(shared: &Shared, params: &Value) -> Result<Value, Failure> {
    if shared.lock().webhook.is_some() {
        return Err((
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first".into(),
            None,
        ));
    }
    let offset = number(params, "offset").unwrap_or(0);
    let timeout = number(params, "timeout")
        .unwrap_or(0)
        .clamp(0, MAX_POLL as i64) as u64;
    let limit = number(params, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    super::members::note_allowed_updates(&mut shared.lock(), params);
    loop {
        let arrived = shared.arrived.notified();
        {
            let mut state = shared.lock();
            if offset > 0 {
                // Acknowledged updates are gone for good, as on Telegram.
                state.updates.retain(|(id, _)| *id >= offset);
            }
            let ready: Vec<Value> = state
                .updates
                .iter()
                .filter(|(id, _)| *id >= offset)
                .take(limit)
                .map(|(_, u)| u.clone())
                .collect();
            if !ready.is_empty() {
                return Ok(Value::Array(ready));
            }
        }
        if tokio::time::timeout_at(deadline, arrived).await.is_err() {
            return Ok(json!([]));
        }
    }
}

fn call(shared: &Shared, method: &str, params: &Value) -> Result<Value, Failure> {
    let mut state = shared.lock();
    if !super::flood::counts(method) {
        return perform(&mut state, method, params);
    }
    let chat = chat_id(params).ok();
    let now = std::time::Instant::now();
    if let Err(retry_after) = state.flood.admit(chat, now) {
        let text = format!("Too Many Requests: retry after {retry_after}");
        return Err((429, text, Some(retry_after)));
    }
    let outcome = perform(&mut state, method, params);
    if outcome.is_ok() {
        state.flood.record(chat, method, now);
    }
    outcome
}

fn perform(state: &mut super::State, method: &str, params: &Value) -> Result<Value, Failure> {
    let sends = method.starts_with("send") || method.starts_with("edit");
    if sends && let Some((left, retry_after)) = state.throttle {
        state.throttle = (left > 1).then_some((left - 1, retry_after));
        let text = format!("Too Many Requests: retry after {retry_after}");
        return Err((429, text, Some(retry_after)));
    }
    if method.starts_with("send")
        && let Ok(chat) = chat_id(params)
        && let Some(left) = state.failing.get_mut(&chat)
        && *left > 0
    {
        *left -= 1;
        if *left == 0 {
            state.failing.remove(&chat);
        }
        return Err((403, "Forbidden: bot was blocked by the user".into(), None));
    }
    if method.starts_with("send")
        && let Ok(chat) = chat_id(params)
        && state.blocked.contains(&chat)
    {
        return Err((403, "Forbidden: bot was blocked by the user".into(), None));
    }
    match method {
        "getme" => Ok(json!({"id": BOT_ID, "is_bot": true, "first_name": "Usher",
            "username": BOT_USERNAME, "can_join_groups": true,
            "can_read_all_group_messages": state.read_all_group_messages,
            "supports_inline_queries": true, "has_main_web_app": false})),
        "getwebhookinfo" => {
            let url = state
                .webhook
                .as_ref()
                .map_or("", |w| w.url.as_str())
                .to_owned();
            Ok(json!({"url": url, "has_custom_certificate": false,
                "pending_update_count": state.updates.len()}))
        }
        "setwebhook" => {
            state.webhook = Some(webhook(params)?);
            super::members::note_allowed_updates(state, params);
            Ok(json!(true))
        }
        "deletewebhook" => {
            state.webhook = None;
            Ok(json!(true))
        }
        "setmycommands" | "deletemycommands" | "getmycommands" => {
            super::commands::handle(&mut state.menus, method, params)
        }
        "sendmessage" | "sendphoto" => {
            let chat_id = chat_id(params)?;
            let mut message = json!({"from": bot_user(), "date": now()});
            if method == "sendmessage" {
                message["text"] = json!(text(params, "text", MAX_TEXT, true)?);
            } else {
                let photo = params["photo"].as_str().filter(|p| !p.is_empty());
                let photo = photo.ok_or_else(|| bad("there is no photo in the request"))?;
                message["photo"] = json!([{"file_id": photo, "file_unique_id": photo,
                                           "width": 500, "height": 750}]);
                if params.get("caption").is_some() {
                    message["caption"] = json!(text(params, "caption", MAX_CAPTION, false)?);
                }
            }
            if let Some(markup) = markup(params)? {
                message["reply_markup"] = markup;
            }
            super::topics::place(state, chat_id, params, &mut message)?;
            let message_id = state.next_message;
            state.next_message += 1;
            message["message_id"] = json!(message_id);
            let chat = state.chats.get(&chat_id).cloned().unwrap_or_else(|| {
                json!({"id": chat_id, "type": if chat_id < 0 { "supergroup" } else { "private" },
                       "first_name": "chat"})
            });
            message["chat"] = chat;
            state
                .messages
                .insert((chat_id, message_id), message.clone());
            Ok(message)
        }
        "editmessagetext"
        | "editmessagecaption"
        | "editmessagereplymarkup"
        | "editmessagemedia" => edit(state, method, params),
        "answerinlinequery" => super::inline::answer(state, params),
        "answercallbackquery" => {
            let id = params["callback_query_id"].as_str().unwrap_or_default();
            let answer_text = params["text"].as_str().map(str::to_owned);
            if answer_text
                .as_ref()
                .is_some_and(|t| t.chars().count() > MAX_ANSWER_TEXT)
            {
                return Err(bad("MESSAGE_TOO_LONG"));
            }
            match state.callbacks.get_mut(id) {
                Some(slot @ None) => {
                    *slot = Some(Answer {
                        text: answer_text,
                        show_alert: params["show_alert"].as_bool().unwrap_or(false),
                    });
                    Ok(json!(true))
                }
                _ => Err(bad(
                    "query is too old and response timeout expired or query ID is invalid",
                )),
            }
        }
        "deletemessage" => {
            let key = (
                chat_id(params)?,
                number(params, "message_id").unwrap_or_default(),
            );
            state
                .messages
                .remove(&key)
                .map(|_| json!(true))
                .ok_or_else(|| bad("message to delete not found"))
        }
        _ => Err((404, "Not Found: method not found".into(), None)),
    }
}

/// Where an edit goes: a message the bot sent, or a message posted through inline mode.
enum Target {
    Sent((i64, i64)),
    Inline(String),
}

/// The edit methods, on a sent message (returns the edited `Message`) or an inline one
/// (`inline_message_id`; returns `true`, as Telegram does). A no-op edit is refused with
/// Telegram's "message is not modified".
fn edit(state: &mut super::State, method: &str, params: &Value) -> Result<Value, Failure> {
    let target = match params["inline_message_id"].as_str() {
        Some(id) => Target::Inline(id.to_owned()),
        None => Target::Sent((
            chat_id(params)?,
            number(params, "message_id").unwrap_or_default(),
        )),
    };
    let current = match &target {
        Target::Sent(key) => state.messages.get(key).cloned(),
        Target::Inline(id) => state.inline_messages.get(id).cloned(),
    };
    let mut message = current.ok_or_else(|| bad("message to edit not found"))?;
    let before = message.clone();
    match method {
        "editmessagetext" => {
            if message.get("text").is_none() {
                return Err(bad("there is no text in the message to edit"));
            }
            message["text"] = json!(text(params, "text", MAX_TEXT, true)?);
        }
        "editmessagecaption" => {
            if message.get("photo").is_none() {
                return Err(bad("there is no caption in the message to edit"));
            }
            message["caption"] = json!(text(params, "caption", MAX_CAPTION, false)?);
        }
        "editmessagemedia" => {
            if message.get("photo").is_none() {
                return Err(bad("there is no media in the message to edit"));
            }
            let media = match &params["media"] {
                Value::String(raw) => serde_json::from_str(raw).unwrap_or(Value::Null),
                other => other.clone(),
            };
            if media["type"] != "photo" {
                return Err(bad("can't parse InputMedia: unsupported media type"));
            }
            let photo = media["media"].as_str().filter(|p| !p.is_empty());
            let photo = photo.ok_or_else(|| bad("there is no photo in the request"))?;
            if photo.starts_with("attach://") {
                return Err(bad("the fake only takes photos by URL or file_id"));
            }
            message["photo"] = json!([{"file_id": photo, "file_unique_id": photo,
                                       "width": 500, "height": 750}]);
            match media.get("caption") {
                Some(_) => message["caption"] = json!(text(&media, "caption", MAX_CAPTION, false)?),
                None => {
                    if let Some(object) = message.as_object_mut() {
                        object.remove("caption");
                    }
                }
            }
        }
        _ => {}
    }
    match markup(params)? {
        Some(markup) => message["reply_markup"] = markup,
        None => {
            if let Some(object) = message.as_object_mut() {
                object.remove("reply_markup");
            }
        }
    }
    if message == before {
        return Err(bad(
            "message is not modified: specified new message content and reply markup are \
             exactly the same as a current content and reply markup of the message",
        ));
    }
    match target {
        Target::Sent(key) => {
            message["edit_date"] = json!(now());
            state.messages.insert(key, message.clone());
            Ok(message)
        }
        Target::Inline(id) => {
            state.inline_messages.insert(id, message);
            Ok(json!(true))
        }
    }
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Usher", "username": BOT_USERNAME})
}

/// A whole-number parameter, sent as a JSON number or as a string of digits: the Bot API takes
/// both, and python-telegram-bot sends every number as a string.
fn number(params: &Value, field: &str) -> Option<i64> {
    match &params[field] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn chat_id(params: &Value) -> Result<i64, Failure> {
    match &params["chat_id"] {
        Value::Number(n) => n.as_i64().ok_or_else(|| bad("chat not found")),
        Value::String(s) => s.parse().map_err(|_| bad("chat not found")),
        _ => Err(bad("chat_id is empty")),
    }
}

pub(super) fn text(
    params: &Value,
    field: &str,
    max: usize,
    required: bool,
) -> Result<String, Failure> {
    let text = params[field].as_str().unwrap_or_default();
    if required && text.trim().is_empty() {
        return Err(bad("message text is empty"));
    }
    if text.chars().count() > max {
        return Err(bad(if field == "caption" {
            "message caption is too long"
        } else {
            "message is too long"
        }));
    }
    Ok(text.to_owned())
}

/// Validates an inline keyboard as Telegram does and returns it for storage.
pub(super) fn markup(params: &Value) -> Result<Option<Value>, Failure> {
    let Some(markup) = params.get("reply_markup").filter(|m| !m.is_null()) else {
        return Ok(None);
    };
    let markup = match markup {
        Value::String(s) => serde_json::from_str(s)
            .map_err(|_| bad("can't parse reply keyboard markup JSON object"))?,
        other => other.clone(),
    };
    if markup["force_reply"] == true
        && let Some(placeholder) = markup
            .get("input_field_placeholder")
            .and_then(Value::as_str)
        && !(1..=64).contains(&placeholder.chars().count())
    {
        return Err(bad("REPLY_MARKUP_INVALID"));
    }
    let rows = markup["inline_keyboard"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let count: usize = rows.iter().filter_map(Value::as_array).map(Vec::len).sum();
    if count > MAX_BUTTONS {
        return Err(bad("reply markup is too long"));
    }
    for button in rows.iter().filter_map(Value::as_array).flatten() {
        if button["text"].as_str().is_none_or(str::is_empty) {
            return Err(bad("text buttons are unallowed in the inline keyboard"));
        }
        if let Some(url) = button.get("url") {
            let url = url.as_str().unwrap_or_default();
            let scheme_ok = ["https://", "http://", "tg://"]
                .iter()
                .any(|s| url.starts_with(s) && url.len() > s.len());
            if !scheme_ok {
                return Err(bad("BUTTON_URL_INVALID"));
            }
        }
        if let Some(data) = button.get("callback_data") {
            let len = data.as_str().map_or(0, str::len);
            if len == 0 || len > MAX_CALLBACK_DATA {
                return Err(bad("BUTTON_DATA_INVALID"));
            }
        }
    }
    Ok(Some(markup))
}

/// Reads `multipart/form-data` fields (teloxide sends `sendPhoto` this way even for a URL):
/// JSON-looking values (numbers, objects) are parsed, the rest kept as strings.
fn multipart(body: &[u8], boundary: &str) -> Option<Value> {
    let body = std::str::from_utf8(body).ok()?;
    let mut fields = serde_json::Map::new();
    for part in body.split(&format!("--{boundary}")) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())?;
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let parsed = match serde_json::from_str::<Value>(value) {
            Ok(v @ (Value::Number(_) | Value::Object(_) | Value::Array(_) | Value::Bool(_))) => v,
            _ => Value::String(value.to_owned()),
        };
        fields.insert(name.to_owned(), parsed);
    }
    Some(Value::Object(fields))
}
