//! Seerr's webhook settings, for clients that register themselves through
//! `/api/v1/settings/notifications/webhook` (Home Assistant's Overseerr integration): its
//! `types` bit mask, and its `jsonPayload` template (base64 of a JSON *string* holding the JSON
//! template), rendered as Seerr's server renders it — `{{var}}` replaced in string values,
//! `{{media}}`, `{{request}}`, `{{issue}}`, `{{comment}}` and `{{extra}}` keys renamed, or set
//! to `null` (`[]` for extra) when the event has no such part.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::message::AgentMessage;
use crate::domain::{AgentEvent, AgentEvents};
use crate::error::{CoreError, CoreResult};

/// Seerr's notification type bits (its `Notification` enum).
pub mod bits {
    /// A request waits for approval.
    pub const MEDIA_PENDING: u32 = 2;
    /// A request was approved.
    pub const MEDIA_APPROVED: u32 = 4;
    /// A title became available.
    pub const MEDIA_AVAILABLE: u32 = 8;
    /// A request failed upstream.
    pub const MEDIA_FAILED: u32 = 16;
    /// The settings page's Test.
    pub const TEST_NOTIFICATION: u32 = 32;
    /// A request was declined.
    pub const MEDIA_DECLINED: u32 = 64;
    /// A request was approved by a rule.
    pub const MEDIA_AUTO_APPROVED: u32 = 128;
    /// An issue was reported.
    pub const ISSUE_CREATED: u32 = 256;
    /// An issue got a comment.
    pub const ISSUE_COMMENT: u32 = 512;
    /// An issue was resolved.
    pub const ISSUE_RESOLVED: u32 = 1024;
    /// An issue was reopened.
    pub const ISSUE_REOPENED: u32 = 2048;
    /// A request was made by a watchlist sync.
    pub const MEDIA_AUTO_REQUESTED: u32 = 4096;
}

/// The agent events a Seerr `types` mask asks for (`0`: none of them, which Usher stores as
/// "every event" only when the client said nothing).
pub fn events_from_types(types: u32) -> AgentEvents {
    use bits::*;
    let mut events = Vec::new();
    let any = |mask: u32| types & mask != 0;
    if any(MEDIA_PENDING | MEDIA_AUTO_APPROVED | MEDIA_AUTO_REQUESTED) {
        events.push(AgentEvent::Requested);
    }
    if any(MEDIA_APPROVED) {
        events.push(AgentEvent::Approved);
    }
    if any(MEDIA_AVAILABLE) {
        events.push(AgentEvent::Available);
    }
    if any(MEDIA_FAILED) {
        events.push(AgentEvent::Failed);
    }
    if any(MEDIA_DECLINED) {
        events.push(AgentEvent::Declined);
    }
    if any(ISSUE_CREATED | ISSUE_COMMENT | ISSUE_RESOLVED | ISSUE_REOPENED) {
        events.push(AgentEvent::Issue);
    }
    AgentEvents::of(&events)
}

/// The Seerr `types` mask for an agent's events (for an agent Usher made itself).
pub fn types_from_events(events: AgentEvents) -> u32 {
    use bits::*;
    let mut types = 0;
    for (event, mask) in [
        (AgentEvent::Requested, MEDIA_PENDING | MEDIA_AUTO_APPROVED),
        (AgentEvent::Approved, MEDIA_APPROVED),
        (AgentEvent::Available, MEDIA_AVAILABLE),
        (AgentEvent::Failed, MEDIA_FAILED),
        (AgentEvent::Declined, MEDIA_DECLINED),
        (AgentEvent::Issue, ISSUE_CREATED | ISSUE_RESOLVED),
    ] {
        if events.includes(event) {
            types |= mask;
        }
    }
    types
}

/// Decodes a `jsonPayload` as Seerr does (base64 → a JSON string → the JSON template); a value
/// that is not one is a validation error naming the field.
pub fn decode_template(json_payload: &str) -> CoreResult<Value> {
    let bad = |why: &str| CoreError::Validation(format!("options.jsonPayload: {why}"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(json_payload.trim())
        .map_err(|_| bad("not base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("not UTF-8 text"))?;
    let inner: Value = serde_json::from_str(&text).map_err(|_| bad("not JSON"))?;
    let template = match inner {
        Value::String(s) => {
            serde_json::from_str(&s).map_err(|_| bad("the template is not JSON"))?
        }
        other => other,
    };
    if template.is_object() {
        Ok(template)
    } else {
        Err(bad("the template is not a JSON object"))
    }
}

/// The body for `message` from a stored `jsonPayload` (a template that no longer decodes sends
/// Usher's own body instead, so nothing is lost).
pub fn render(json_payload: &str, message: &AgentMessage) -> String {
    match decode_template(json_payload) {
        Ok(Value::Object(template)) => Value::Object(parse_keys(template, message)).to_string(),
        _ => serde_json::to_string(message).unwrap_or_default(),
    }
}

fn parse_keys(template: Map<String, Value>, message: &AgentMessage) -> Map<String, Value> {
    let has_media = message.media_type.is_some();
    let has_request = message.request_id.is_some() && message.issue_id.is_none();
    let has_issue = message.issue_id.is_some();
    let mut out = Map::new();
    for (key, value) in template {
        let (key, value) = match key.as_str() {
            "{{extra}}" => ("extra".to_owned(), Value::Array(Vec::new())),
            "{{media}}" => (
                "media".to_owned(),
                if has_media { value } else { Value::Null },
            ),
            "{{request}}" => (
                "request".to_owned(),
                if has_request { value } else { Value::Null },
            ),
            "{{issue}}" => (
                "issue".to_owned(),
                if has_issue { value } else { Value::Null },
            ),
            "{{comment}}" => ("comment".to_owned(), Value::Null),
            _ => (key, value),
        };
        let value = match value {
            Value::String(text) => Value::String(fill(&text, message)),
            Value::Object(inner) => Value::Object(parse_keys(inner, message)),
            other => other,
        };
        out.insert(key, value);
    }
    out
}

/// Replaces each known `{{var}}` once, as Seerr's `String.replace` does.
fn fill(text: &str, message: &AgentMessage) -> String {
    let mut text = text.to_owned();
    for (var, value) in variables(message) {
        text = text.replacen(&format!("{{{{{var}}}}}"), &value, 1);
    }
    text
}

fn variables(message: &AgentMessage) -> Vec<(&'static str, String)> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let requester = opt(message.requester.clone());
    let is_issue = message.issue_id.is_some();
    vec![
        ("notification_type", notification_type(message).to_owned()),
        ("event", event_name(message)),
        ("subject", message.title_line()),
        ("message", message.subject.clone()),
        ("image", String::new()),
        ("notifyuser_username", String::new()),
        ("notifyuser_email", String::new()),
        ("media_tmdbid", opt(message.tmdb_id.map(|i| i.to_string()))),
        ("media_tvdbid", String::new()),
        ("media_type", opt(message.media_type.clone())),
        ("media_status", media_status(message).to_owned()),
        ("media_status4k", String::new()),
        ("request_id", opt(message.request_id.map(|i| i.to_string()))),
        (
            "requestedBy_username",
            if is_issue {
                String::new()
            } else {
                requester.clone()
            },
        ),
        ("requestedBy_email", String::new()),
        ("requestedBy_avatar", String::new()),
        ("issue_id", opt(message.issue_id.map(|i| i.to_string()))),
        (
            "issue_type",
            opt(message.issue_kind.as_ref().map(|k| k.to_uppercase())),
        ),
        (
            "issue_status",
            if is_issue {
                message.status.to_uppercase()
            } else {
                String::new()
            },
        ),
        (
            "reportedBy_username",
            if is_issue { requester } else { String::new() },
        ),
        ("reportedBy_email", String::new()),
        ("reportedBy_avatar", String::new()),
        ("comment_message", String::new()),
        ("commentedBy_username", String::new()),
    ]
}

fn notification_type(message: &AgentMessage) -> &'static str {
    match (message.event, message.status.as_str()) {
        (_, "test") => "TEST_NOTIFICATION",
        (AgentEvent::Requested, "pending") => "MEDIA_PENDING",
        (AgentEvent::Requested, _) => "MEDIA_AUTO_APPROVED",
        (AgentEvent::Approved, _) => "MEDIA_APPROVED",
        (AgentEvent::Declined, _) => "MEDIA_DECLINED",
        (AgentEvent::Available, _) => "MEDIA_AVAILABLE",
        (AgentEvent::Failed, _) => "MEDIA_FAILED",
        (AgentEvent::Issue, "resolved") => "ISSUE_RESOLVED",
        (AgentEvent::Issue, _) => "ISSUE_CREATED",
        (AgentEvent::Security, _) => "NONE",
    }
}

fn event_name(message: &AgentMessage) -> String {
    let what = match message.media_type.as_deref() {
        Some("tv") => "Series",
        _ => "Movie",
    };
    match notification_type(message) {
        "MEDIA_PENDING" => format!("New {what} Request"),
        "MEDIA_AUTO_APPROVED" => format!("{what} Request Automatically Approved"),
        "MEDIA_APPROVED" => format!("{what} Request Approved"),
        "MEDIA_DECLINED" => format!("{what} Request Declined"),
        "MEDIA_AVAILABLE" => format!("{what} Request Now Available"),
        "MEDIA_FAILED" => format!("{what} Request Failed"),
        "ISSUE_CREATED" => "New Issue Reported".to_owned(),
        "ISSUE_RESOLVED" => "Issue Resolved".to_owned(),
        "TEST_NOTIFICATION" => "Test Notification".to_owned(),
        _ => message.subject.clone(),
    }
}

/// Seerr's `MediaStatus` name for the request's status.
fn media_status(message: &AgentMessage) -> &'static str {
    if message.media_type.is_none() {
        return "";
    }
    match message.status.as_str() {
        "pending" => "PENDING",
        "approved" | "submitted" | "failed" => "PROCESSING",
        "partially_available" => "PARTIALLY_AVAILABLE",
        "available" => "AVAILABLE",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    fn encode(template: &str) -> String {
        let as_string = Value::String(template.to_owned()).to_string();
        base64::engine::general_purpose::STANDARD.encode(as_string)
    }

    #[test]
    fn renders_a_home_assistant_style_template() {
        let template = r#"{"notification_type":"{{notification_type}}","subject":"{{subject}}","{{media}}":{"tmdb_id":"{{media_tmdbid}}","status":"{{media_status}}"},"{{request}}":{"request_id":"{{request_id}}","requested_by_username":"{{requestedBy_username}}"},"{{issue}}":{"issue_id":"{{issue_id}}"}}"#;
        let mut message = AgentMessage::test(Timestamp(0));
        message.request_id = Some(7);
        message.media_type = Some("movie".into());
        message.tmdb_id = Some(438631);
        message.title = "Dune".into();
        message.year = Some(2021);
        message.requester = Some("alice".into());
        message.status = "pending".into();
        let body: Value = serde_json::from_str(&render(&encode(template), &message)).expect("json");
        assert_eq!(body["notification_type"], "MEDIA_PENDING");
        assert_eq!(body["subject"], "Dune (2021)");
        assert_eq!(body["media"]["tmdb_id"], "438631");
        assert_eq!(body["media"]["status"], "PENDING");
        assert_eq!(body["request"]["request_id"], "7");
        assert_eq!(body["request"]["requested_by_username"], "alice");
        assert_eq!(body["issue"], Value::Null);
    }

    #[test]
    fn types_map_both_ways_and_bad_templates_are_named() {
        let events = events_from_types(bits::MEDIA_PENDING | bits::MEDIA_AVAILABLE);
        assert_eq!(events.to_string(), "requested,available");
        assert_eq!(
            types_from_events(events),
            bits::MEDIA_PENDING | bits::MEDIA_AUTO_APPROVED | bits::MEDIA_AVAILABLE
        );
        for bad in ["%%%", "bm90IGpzb24=", &encode("[1]")] {
            let err = decode_template(bad).expect_err(bad);
            assert!(err.to_string().contains("jsonPayload"), "{err}");
        }
    }
}
