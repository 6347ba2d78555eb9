//! A fake of the Discord REST calls Usher's HTTP-interactions mode makes (posting and editing
//! channel messages), recording every call, plus builders for the interaction payloads Discord
//! POSTs to an interactions endpoint — with every field serenity insists on (`locale`,
//! `entitlements`, `attachment_size_limit`, a full `message` on component presses), so a
//! payload that parses here parses from real Discord too.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::FakeServer;
pub use crate::discord_flood::{Admitted, DiscordLimits, Flood};

/// The application id the fake pretends to be.
pub const APPLICATION_ID: u64 = 900_000_000_000_000_001;
/// The guild interactions come from.
pub const GUILD_ID: u64 = 900_000_000_000_000_002;
/// A channel members use.
pub const CHANNEL_ID: u64 = 900_000_000_000_000_003;
/// A member who does not accept DMs from the server: their DM channel opens, but a message
/// posted in it is refused as Discord refuses it (403, JSON error code 50007).
pub const DMS_CLOSED_USER_ID: u64 = 500_000_000_000_000_099;

/// A message as Discord returns it from a create or edit.
fn message(id: u64, channel: &str, body: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel,
        "author": user(APPLICATION_ID, "usher"),
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
    })
}

/// The DM channel the fake opens with a user: a pure function of the user id, so tests can
/// find the messages a user was sent at `POST /api/v10/channels/{dm_channel(user)}/messages`.
pub fn dm_channel(user_id: u64) -> u64 {
    960_000_000_000_000_000 + user_id % 10_000_000_000_000_000
}

/// Discord's answer to a DM for a user who does not accept DMs from the server.
fn dms_closed() -> axum::response::Response {
    let error = json!({ "message": "Cannot send messages to this user", "code": 50007 });
    (axum::http::StatusCode::FORBIDDEN, Json(error)).into_response()
}

/// `POST /users/@me/channels {recipient_id}`: the DM channel with that user.
async fn open_dm(Json(body): Json<Value>) -> axum::response::Response {
    let Some(user) = body["recipient_id"]
        .as_str()
        .and_then(|id| id.parse::<u64>().ok())
    else {
        let error = json!({ "message": "Invalid Form Body", "code": 50035 });
        return (axum::http::StatusCode::BAD_REQUEST, Json(error)).into_response();
    };
    Json(json!({
        "id": dm_channel(user).to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [crate::discord::user(user, "member")],
    }))
    .into_response()
}

/// The fake's routes: `POST /api/v10/channels/{channel}/messages`,
/// `PATCH /api/v10/channels/{channel}/messages/{message}`, DM channels
/// (`POST /api/v10/users/@me/channels`) and the bulk command overwrites
/// (`PUT /api/v10/applications/{app}[/guilds/{guild}]/commands`), which need
/// `Authorization: Bot …`; and the interaction endpoints, which Discord authorizes by the
/// interaction token in the path instead: `POST /api/v10/interactions/{id}/{token}/callback`
/// (204), `PATCH /api/v10/webhooks/{app}/{token}/messages/@original` and
/// `POST /api/v10/webhooks/{app}/{token}` (a full message).
pub fn router() -> Router {
    routes(None, Flood::default())
}

/// [`router`] plus `GET /api/v10/gateway` answering `gateway_url` (a [`crate::FakeGateway`]),
/// which serenity asks before connecting; `flood` sees every call first and, in flood mode,
/// keeps Discord's rate limits ([`crate::discord_flood`]).
fn routes(gateway_url: Option<String>, flood: Flood) -> Router {
    let next_id = Arc::new(AtomicU64::new(910_000_000_000_000_000));
    let followups = next_id.clone();
    let webhooks = Router::new()
        .route(
            "/api/v10/interactions/{id}/{token}/callback",
            post(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route(
            "/api/v10/webhooks/{app}/{token}/messages/@original",
            patch(|Json(body): Json<Value>| async move {
                Json(message(
                    930_000_000_000_000_001,
                    &CHANNEL_ID.to_string(),
                    &body,
                ))
            }),
        )
        .route(
            "/api/v10/webhooks/{app}/{token}",
            post(move |Json(body): Json<Value>| async move {
                let id = followups.fetch_add(1, Ordering::Relaxed);
                Json(message(id, &CHANNEL_ID.to_string(), &body))
            }),
        )
        .route(
            "/api/v10/gateway",
            get(move || async move {
                match gateway_url {
                    Some(url) => Json(json!({ "url": url })).into_response(),
                    None => axum::http::StatusCode::NOT_FOUND.into_response(),
                }
            }),
        );
    Router::new()
        .route("/api/v10/users/@me/channels", post(open_dm))
        .route(
            "/api/v10/channels/{channel}/messages",
            post(
                move |Path(channel): Path<String>, Json(body): Json<Value>| async move {
                    if channel == dm_channel(DMS_CLOSED_USER_ID).to_string() {
                        return dms_closed();
                    }
                    let id = next_id.fetch_add(1, Ordering::Relaxed);
                    Json(message(id, &channel, &body)).into_response()
                },
            ),
        )
        .route(
            "/api/v10/channels/{channel}/messages/{message}",
            patch(
                |Path((channel, id)): Path<(String, u64)>, Json(body): Json<Value>| async move {
                    Json(message(id, &channel, &body))
                },
            ),
        )
        .route("/api/v10/applications/{app}/commands", put(echo_commands))
        .route(
            "/api/v10/applications/{app}/guilds/{guild}/commands",
            put(echo_commands),
        )
        .layer(axum::middleware::from_fn(require_bot_token))
        .merge(webhooks)
        .layer(axum::middleware::from_fn_with_state(
            flood,
            crate::discord_flood::enforce,
        ))
}

/// Bulk overwrite of commands: answers with the commands as registered (ids added).
async fn echo_commands(Json(commands): Json<Vec<Value>>) -> Json<Vec<Value>> {
    let registered = commands
        .into_iter()
        .enumerate()
        .map(|(i, mut command)| {
            command["id"] = json!((950_000_000_000_000_000u64 + i as u64).to_string());
            command["application_id"] = json!(APPLICATION_ID.to_string());
            command
        })
        .collect();
    Json(registered)
}

async fn require_bot_token(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let authorized = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bot ") && v.len() > 4);
    if !authorized {
        let body = json!({ "message": "401: Unauthorized", "code": 0 });
        return (axum::http::StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    next.run(request).await
}

/// Starts the fake REST API on 127.0.0.1:0.
pub async fn start() -> FakeServer {
    FakeServer::start(router()).await
}

/// Starts the fake REST API on 127.0.0.1:0, sending the bot to `gateway_url` for the gateway.
pub async fn start_with_gateway(gateway_url: &str) -> FakeServer {
    FakeServer::start(routes(Some(gateway_url.to_owned()), Flood::default())).await
}

/// Starts the fake REST API on 127.0.0.1:0 with `flood` watching (and, once
/// [`Flood::limit`]ed, rate limiting) every call.
pub async fn start_with_flood(flood: &Flood) -> FakeServer {
    FakeServer::start(routes(None, flood.clone())).await
}

/// A Discord user object.
pub fn user(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
    })
}

/// The fields every interaction carries, for `user` in the test guild.
fn base(kind: u8, user_id: u64, name: &str, locale: &str) -> Value {
    json!({
        "id": "920000000000000001",
        "application_id": APPLICATION_ID.to_string(),
        "type": kind,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "member": {
            "user": user(user_id, name),
            "roles": [],
            "joined_at": "2025-01-01T00:00:00.000000+00:00",
            "deaf": false,
            "mute": false,
            "flags": 0,
        },
        "token": "interaction-token",
        "version": 1,
        "app_permissions": "0",
        "locale": locale,
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": 26_214_400,
    })
}

/// PING, which Discord sends to check the endpoint.
pub fn ping() -> Value {
    json!({ "id": "920000000000000000", "application_id": APPLICATION_ID.to_string(), "type": 1, "token": "t", "version": 1 })
}

/// `/request <sub> title:<title>`; `focused` makes it the autocomplete interaction (type 4).
pub fn request_command(sub: &str, title: &str, focused: bool, user_id: u64, locale: &str) -> Value {
    let mut option = json!({ "name": "title", "type": 3, "value": title });
    if focused {
        option["focused"] = json!(true);
    }
    let mut body = base(if focused { 4 } else { 2 }, user_id, "member", locale);
    body["data"] = json!({
        "id": "930000000000000001",
        "name": "request",
        "type": 1,
        "options": [{ "name": sub, "type": 1, "options": [option] }],
    });
    body
}

/// A slash command without subcommands, e.g. `/mine` or `/cancel request:3` (`options` as
/// Discord sends them: `[{"name":"request","type":4,"value":3}]`).
pub fn slash_command(name: &str, options: Value, user_id: u64, locale: &str) -> Value {
    let mut body = base(2, user_id, "member", locale);
    body["data"] = json!({
        "id": "930000000000000002",
        "name": name,
        "type": 1,
        "options": options,
    });
    body
}

/// A button press on `message` (as the fake returned it) with `custom_id`, by `user_id`.
pub fn button_press(custom_id: &str, user_id: u64, name: &str, message: &Value) -> Value {
    let mut body = base(3, user_id, name, "en-US");
    body["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    body["message"] = message.clone();
    body
}

/// A choice in a string select menu on `message` (`values` as chosen), by `user_id`.
pub fn select_menu(
    custom_id: &str,
    values: &[&str],
    user_id: u64,
    name: &str,
    message: &Value,
) -> Value {
    let mut body = base(3, user_id, name, "en-US");
    body["data"] = json!({ "custom_id": custom_id, "component_type": 3, "values": values });
    body["message"] = message.clone();
    body
}

/// The submit of a modal opened from a button on `message`: `custom_id` is the modal's, and
/// the one text input (`input_id`) holds `value` — shaped as Discord sends it (no style or
/// label on the input).
pub fn modal_submit(
    custom_id: &str,
    input_id: &str,
    value: &str,
    user_id: u64,
    name: &str,
    message: &Value,
) -> Value {
    let mut body = base(5, user_id, name, "en-US");
    body["data"] = json!({
        "custom_id": custom_id,
        "components": [{ "type": 1, "components": [
            { "type": 4, "custom_id": input_id, "value": value }
        ] }],
    });
    body["message"] = message.clone();
    body
}

/// A message carrying `embeds` and `components` as an interaction answer or a card had them,
/// in the shape Discord sends back inside a component interaction.
pub fn message_with(embeds: &Value, components: &Value) -> Value {
    message(
        940_000_000_000_000_001,
        &CHANNEL_ID.to_string(),
        &json!({ "embeds": embeds, "components": components }),
    )
}
