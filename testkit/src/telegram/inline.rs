//! Inline mode in the fake: inline queries injected as updates, `answerInlineQuery` checked the
//! way Telegram checks it (a known, unanswered query; at most 50 results; result ids of 1–64
//! bytes, unique; photo results with `photo_url` and `thumbnail_url`; articles with a title and
//! a message; keyboards as for messages), a result "chosen" into a chat as an inline message
//! (edited through `inline_message_id`), and button presses on it, which arrive with an
//! `inline_message_id` and no message, as from Telegram.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};

use super::api::{Failure, MAX_CAPTION, MAX_TEXT, bad, markup, text};
use super::{FakeTelegram, State, TgUser, push_update};

/// Results one answer may carry.
const MAX_RESULTS: usize = 50;
/// Longest result id, in bytes.
const MAX_RESULT_ID: usize = 64;
/// Longest `next_offset`, in bytes.
const MAX_OFFSET: usize = 64;

/// `answerInlineQuery`: checked, then recorded as the query's answer.
pub(super) fn answer(state: &mut State, params: &Value) -> Result<Value, Failure> {
    let id = params["inline_query_id"].as_str().unwrap_or_default();
    if !matches!(state.inline_queries.get(id), Some(None)) {
        return Err(bad(
            "query is too old and response timeout expired or query ID is invalid",
        ));
    }
    let results = match &params["results"] {
        Value::String(raw) => serde_json::from_str(raw).unwrap_or(Value::Null),
        other => other.clone(),
    };
    let results = results
        .as_array()
        .ok_or_else(|| bad("can't parse inline query results JSON object"))?;
    if results.len() > MAX_RESULTS {
        return Err(bad("RESULTS_TOO_MUCH"));
    }
    let mut ids = HashSet::new();
    for result in results {
        check_result(result, &mut ids)?;
    }
    let offset = params["next_offset"].as_str().unwrap_or_default();
    if offset.len() > MAX_OFFSET {
        return Err(bad("NEXT_OFFSET_INVALID"));
    }
    let mut recorded = params.clone();
    recorded["results"] = Value::Array(results.clone());
    state.inline_queries.insert(id.to_owned(), Some(recorded));
    Ok(json!(true))
}

fn check_result(result: &Value, ids: &mut HashSet<String>) -> Result<(), Failure> {
    let id = result["id"].as_str().unwrap_or_default();
    if id.is_empty() || id.len() > MAX_RESULT_ID {
        return Err(bad("RESULT_ID_INVALID"));
    }
    if !ids.insert(id.to_owned()) {
        return Err(bad("RESULT_ID_DUPLICATE"));
    }
    match result["type"].as_str() {
        Some("photo") => {
            web_url(result, "photo_url", "PHOTO_URL_INVALID")?;
            web_url(result, "thumbnail_url", "PHOTO_THUMB_URL_INVALID")?;
            if result.get("caption").is_some() {
                text(result, "caption", MAX_CAPTION, false)?;
            }
        }
        Some("article") => {
            if result["title"].as_str().is_none_or(|t| t.trim().is_empty()) {
                return Err(bad("ARTICLE_TITLE_EMPTY"));
            }
            let content = &result["input_message_content"];
            if content.is_null() {
                return Err(bad(
                    "can't parse inline query result: Can't find field \"input_message_content\"",
                ));
            }
            text(content, "message_text", MAX_TEXT, true)?;
        }
        Some(other) => {
            return Err(bad(&format!("the fake does not take {other:?} results")));
        }
        None => {
            return Err(bad(
                "can't parse inline query result: Can't find field \"type\"",
            ));
        }
    }
    markup(result)?;
    Ok(())
}

/// A required http(s) URL field.
fn web_url(result: &Value, field: &str, invalid: &str) -> Result<(), Failure> {
    let Some(url) = result[field].as_str() else {
        return Err(bad(&format!(
            "can't parse inline query result: Can't find field \"{field}\""
        )));
    };
    let ok = ["https://", "http://"]
        .iter()
        .any(|s| url.starts_with(s) && url.len() > s.len());
    if ok { Ok(()) } else { Err(bad(invalid)) }
}

impl FakeTelegram {
    /// `user` types `@bot <query>` in some chat; returns the inline query id.
    pub fn inline_query(&self, user: &TgUser, query: &str, offset: &str) -> String {
        let mut state = self.shared.lock();
        let id = format!("iq-{}", state.next_update);
        state.inline_queries.insert(id.clone(), None);
        let update = json!({"inline_query": {"id": id, "from": user.json(), "query": query,
                                             "offset": offset, "chat_type": "supergroup"}});
        push_update(&mut state, update);
        drop(state);
        self.shared.arrived.notify_waiters();
        id
    }

    /// What `answerInlineQuery` gave for the query `id` (its parameters), once answered.
    pub fn inline_answer(&self, id: &str) -> Option<Value> {
        self.shared.lock().inline_queries.get(id).cloned().flatten()
    }

    /// Waits for the answer to the inline query `id`.
    pub async fn wait_inline_answer(&self, id: &str, within: Duration) -> Option<Value> {
        self.wait_for(within, |fake| fake.inline_answer(id)).await
    }

    /// The user picks result `result_id` of the answered query: Telegram posts it in the chat
    /// as an inline message (a photo with its caption, or the article's text, with the result's
    /// keyboard). Returns the `inline_message_id`, or `None` when there is no such result.
    pub fn choose_inline_result(&self, query_id: &str, result_id: &str) -> Option<String> {
        let mut state = self.shared.lock();
        let answer = state.inline_queries.get(query_id).cloned().flatten()?;
        let results = answer["results"].as_array()?;
        let result = results.iter().find(|r| r["id"] == result_id)?;
        let mut message = match result["type"].as_str()? {
            "photo" => {
                let photo = result["photo_url"].clone();
                let mut message = json!({"photo": [{"file_id": photo, "file_unique_id": photo,
                                                    "width": 500, "height": 750}]});
                if let Some(caption) = result.get("caption") {
                    message["caption"] = caption.clone();
                }
                message
            }
            _ => json!({"text": result["input_message_content"]["message_text"]}),
        };
        if let Some(keyboard) = result.get("reply_markup") {
            message["reply_markup"] = keyboard.clone();
        }
        let id = format!("im-{query_id}-{result_id}");
        state.inline_messages.insert(id.clone(), message);
        Some(id)
    }

    /// The current state of an inline message.
    pub fn inline_message(&self, id: &str) -> Option<Value> {
        self.shared.lock().inline_messages.get(id).cloned()
    }

    /// `user` presses the button with `data` under the inline message `inline_message_id`;
    /// returns the callback query id. The update carries no message, as from Telegram.
    pub fn press_inline(&self, user: &TgUser, inline_message_id: &str, data: &str) -> String {
        let mut state = self.shared.lock();
        let id = format!("cbq-{}", state.next_update);
        state.callbacks.insert(id.clone(), None);
        let query = json!({"id": id, "from": user.json(), "chat_instance": "ci-inline",
                           "inline_message_id": inline_message_id, "data": data});
        push_update(&mut state, json!({"callback_query": query}));
        drop(state);
        self.shared.arrived.notify_waiters();
        id
    }
}

#[cfg(test)]
#[path = "inline_tests.rs"]
mod tests;
