//! Sending one message to one agent, whatever its kind, and reporting the receiver's own
//! answer (the Test button shows it; the notifier decides from it whether to retry).

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde_json::json;

use super::answer::{Answer, BODY_HEAD, SendError};
use super::message::AgentMessage;
use super::{email, sign};
use crate::domain::{AgentKind, AgentSummary, Timestamp};

/// Sends `message` to `agent`, whose secret (opened by the caller) is `secret`.
pub async fn send(
    client: &reqwest::Client,
    agent: &AgentSummary,
    secret: Option<&str>,
    message: &AgentMessage,
    now: Timestamp,
) -> Result<Answer, SendError> {
    let request = match agent.kind {
        AgentKind::Webhook => webhook(client, agent, secret, message, now)?,
        AgentKind::Ntfy => ntfy(client, agent, secret, message),
        AgentKind::Gotify => gotify(client, agent, secret, message)?,
        AgentKind::DiscordWebhook => discord(client, agent, message),
        AgentKind::Email => return email::send(agent, secret, message).await,
    };
    let response = request
        .send()
        .await
        .map_err(|e| SendError::Unreachable(without_url(e)))?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| SendError::Unreachable(without_url(e)))?;
    let head = &bytes[..bytes.len().min(BODY_HEAD)];
    Ok(Answer {
        status,
        body: String::from_utf8_lossy(head).into_owned(),
        smtp: false,
    })
}

/// A reqwest error without its URL (a Gotify URL carries the token in its query).
fn without_url(err: reqwest::Error) -> String {
    err.without_url().to_string()
}

/// The signed JSON body (or, for an agent registered by a Seerr client, its own template).
fn webhook(
    client: &reqwest::Client,
    agent: &AgentSummary,
    secret: Option<&str>,
    message: &AgentMessage,
    now: Timestamp,
) -> Result<reqwest::RequestBuilder, SendError> {
    let secret = secret.ok_or_else(|| SendError::Invalid("the webhook has no secret".into()))?;
    let body = match agent.options.get("json_payload").and_then(|v| v.as_str()) {
        Some(template) => super::seerr::render(template, message).into_bytes(),
        None => serde_json::to_vec(message)
            .map_err(|e| SendError::Invalid(format!("cannot encode the message: {e}")))?,
    };
    let t = now.millis().div_euclid(1000);
    let mut request = client
        .post(&agent.target)
        .header(CONTENT_TYPE, "application/json")
        .header(sign::SIGNATURE_HEADER, sign::signature(secret, t, &body))
        .header("X-Usher-Event", message.event.as_str());
    if let Some(auth) = agent.options.get("auth_header").and_then(|v| v.as_str())
        && !auth.is_empty()
        && let Ok(value) = HeaderValue::from_str(auth)
    {
        request = request.header(AUTHORIZATION, value);
    }
    Ok(request.body(body))
}

/// ntfy: the text as the body, the title and tags as headers (non-ASCII titles as RFC 2047
/// encoded words, which ntfy decodes), the token as a bearer token.
fn ntfy(
    client: &reqwest::Client,
    agent: &AgentSummary,
    token: Option<&str>,
    message: &AgentMessage,
) -> reqwest::RequestBuilder {
    let mut request = client
        .post(&agent.target)
        .header("Title", header_text(&message.title_line()))
        .header("Tags", format!("usher,{}", message.event.as_str()))
        .body(message.subject.clone());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
}

/// A header value for any text: ASCII as is, anything else as an RFC 2047 encoded word.
fn header_text(text: &str) -> String {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        text.to_owned()
    } else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
        format!("=?UTF-8?B?{encoded}?=")
    }
}

/// Gotify: `POST <server>/message?token=` with a JSON title, message and priority.
fn gotify(
    client: &reqwest::Client,
    agent: &AgentSummary,
    token: Option<&str>,
    message: &AgentMessage,
) -> Result<reqwest::RequestBuilder, SendError> {
    let token = token.ok_or_else(|| SendError::Invalid("Gotify needs an app token".into()))?;
    let priority = agent
        .options
        .get("priority")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(5);
    let url = format!("{}/message", agent.target.trim_end_matches('/'));
    Ok(client.post(url).query(&[("token", token)]).json(&json!({
        "title": message.title_line(),
        "message": message.subject,
        "priority": priority,
    })))
}

/// A Discord channel webhook: `{content, embeds}`.
fn discord(
    client: &reqwest::Client,
    agent: &AgentSummary,
    message: &AgentMessage,
) -> reqwest::RequestBuilder {
    let mut fields =
        vec![json!({"name": "Event", "value": message.event.as_str(), "inline": true})];
    if let Some(requester) = &message.requester {
        fields.push(json!({"name": "Requested by", "value": requester, "inline": true}));
    }
    fields.push(json!({"name": "Status", "value": message.status, "inline": true}));
    client.post(&agent.target).json(&json!({
        "content": message.subject,
        "embeds": [{
            "title": message.title_line(),
            "description": message.subject,
            "fields": fields,
            "timestamp": message.time,
        }],
        "allowed_mentions": {"parse": []},
    }))
}
