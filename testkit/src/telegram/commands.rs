//! `setMyCommands`, `getMyCommands` and `deleteMyCommands` as Telegram checks them: at most 100
//! commands of 1–32 lower-case letters, digits and underscores (no leading slash), descriptions
//! of 1–256 characters, a known scope, and a language code that is empty or two lower-case
//! letters (ISO 639-1). Menus are kept per scope and language, for tests to read.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::api::{Failure, bad};

/// One command of a menu: (command, description).
pub type MenuEntry = (String, String);

/// The menus set, by (scope type, language code; "" for every language).
pub(super) type Menus = HashMap<(String, String), Vec<MenuEntry>>;

const SCOPES: &[&str] = &[
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
];

pub(super) fn handle(menus: &mut Menus, method: &str, params: &Value) -> Result<Value, Failure> {
    let key = key(params)?;
    match method {
        "setmycommands" => {
            let commands = params["commands"]
                .as_array()
                .ok_or_else(|| bad("commands must be an array"))?;
            if commands.len() > 100 {
                return Err(bad("BOT_COMMANDS_TOO_MUCH"));
            }
            let mut menu = Vec::new();
            for command in commands {
                let name = command["command"].as_str().unwrap_or_default();
                let valid_name = (1..=32).contains(&name.chars().count())
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !valid_name {
                    return Err(bad("BOT_COMMAND_INVALID"));
                }
                let description = command["description"].as_str().unwrap_or_default();
                if !(1..=256).contains(&description.chars().count()) {
                    return Err(bad("BOT_COMMAND_DESCRIPTION_INVALID"));
                }
                menu.push((name.to_owned(), description.to_owned()));
            }
            menus.insert(key, menu);
            Ok(json!(true))
        }
        "deletemycommands" => {
            menus.remove(&key);
            Ok(json!(true))
        }
        _ => {
            let menu = menus.get(&key).cloned().unwrap_or_default();
            let listed: Vec<Value> = menu
                .into_iter()
                .map(|(command, description)| json!({"command": command, "description": description}))
                .collect();
            Ok(Value::Array(listed))
        }
    }
}

/// The scope type and language code a call names.
fn key(params: &Value) -> Result<(String, String), Failure> {
    let scope = match params.get("scope").filter(|s| !s.is_null()) {
        None => "default".to_owned(),
        Some(scope) => {
            let kind = scope["type"].as_str().unwrap_or_default();
            if !SCOPES.contains(&kind) {
                return Err(bad("BOT_COMMAND_SCOPE_INVALID"));
            }
            kind.to_owned()
        }
    };
    let language = params["language_code"].as_str().unwrap_or_default();
    let valid = language.is_empty()
        || (language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()));
    if !valid {
        return Err(bad("LANG_CODE_INVALID"));
    }
    Ok((scope, language.to_owned()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{FakeTelegram, TOKEN};

    async fn post(fake: &FakeTelegram, method: &str, body: serde_json::Value) -> u16 {
        let url = format!("{}/bot{TOKEN}/{method}", fake.url());
        let client = reqwest::Client::new();
        let answer = client
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("fake answers");
        answer.status().as_u16()
    }

    #[tokio::test]
    async fn menus_are_checked_and_kept_per_language() {
        let fake = FakeTelegram::start().await;
        let menu = json!([{"command": "start", "description": "Welcome"}]);
        assert_eq!(
            post(&fake, "setMyCommands", json!({"commands": menu})).await,
            200
        );
        let german = json!({"commands": [{"command": "start", "description": "Willkommen"}],
                            "language_code": "de", "scope": {"type": "default"}});
        assert_eq!(post(&fake, "setMyCommands", german).await, 200);
        assert_eq!(
            fake.commands("de"),
            Some(vec![("start".to_owned(), "Willkommen".to_owned())])
        );
        assert_eq!(fake.commands("").map(|m| m.len()), Some(1));
        assert_eq!(fake.commands("fr"), None);
        let refused = [
            json!({"commands": [{"command": "/start", "description": "x"}]}),
            json!({"commands": [{"command": "Start", "description": "x"}]}),
            json!({"commands": [{"command": "start", "description": ""}]}),
            json!({"commands": menu, "language_code": "pt-BR"}),
            json!({"commands": menu, "scope": {"type": "everywhere"}}),
        ];
        for body in refused {
            assert_eq!(
                post(&fake, "setMyCommands", body.clone()).await,
                400,
                "{body}"
            );
        }
    }
}
