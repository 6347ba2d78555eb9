//! The e-mail agent: one plain-text mail through the agent's SMTP server (`lettre`, rustls).
//!
//! Options (JSON, no secrets): `smtp_host`, `smtp_port`, `tls` (`none` for a LAN relay,
//! `starttls`, or `tls` for implicit TLS), `from`, and `username` when the server wants a
//! login; the password is the agent's sealed secret. The target is the recipient address.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::answer::{Answer, SendError};
use super::message::AgentMessage;
use crate::domain::AgentSummary;
use crate::error::{CoreError, CoreResult};

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// The SMTP settings of an e-mail agent, checked when it is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpOptions {
    /// Server host name or address.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub tls: String,
    /// Sender address.
    pub from: String,
    /// Login, when the server wants one.
    pub username: Option<String>,
}

impl SmtpOptions {
    /// Reads and checks the options stored with an agent.
    pub fn from_json(options: &serde_json::Value) -> CoreResult<Self> {
        let text = |key: &str| options.get(key).and_then(|v| v.as_str()).map(str::trim);
        let host = text("smtp_host").filter(|h| !h.is_empty()).ok_or_else(|| {
            CoreError::Validation("smtp: the SMTP server's host is missing".into())
        })?;
        let tls = text("tls").unwrap_or("starttls");
        if !matches!(tls, "none" | "starttls" | "tls") {
            return Err(CoreError::Validation(format!(
                "smtp: tls `{tls}` is not one of none, starttls, tls"
            )));
        }
        let default_port = match tls {
            "tls" => 465,
            "starttls" => 587,
            _ => 25,
        };
        let port = match options.get("smtp_port") {
            None | Some(serde_json::Value::Null) => default_port,
            Some(v) => v
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .filter(|p| *p > 0)
                .ok_or_else(|| CoreError::Validation("smtp: the port must be 1 to 65535".into()))?,
        };
        let from = text("from").unwrap_or_default();
        check_address("from", from)?;
        Ok(Self {
            host: host.to_owned(),
            port,
            tls: tls.to_owned(),
            from: from.to_owned(),
            username: text("username")
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
        })
    }

    /// The options as stored.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "smtp_host": self.host, "smtp_port": self.port, "tls": self.tls,
            "from": self.from, "username": self.username,
        })
    }
}

/// Refuses what is not a mail address, naming the field.
pub fn check_address(field: &str, address: &str) -> CoreResult<()> {
    address
        .parse::<lettre::Address>()
        .map(|_| ())
        .map_err(|_| CoreError::Validation(format!("{field}: `{address}` is not a mail address")))
}

/// Sends `message` as a mail to the agent's recipient; the answer is the server's final reply.
pub async fn send(
    agent: &AgentSummary,
    password: Option<&str>,
    message: &AgentMessage,
) -> Result<Answer, SendError> {
    let options =
        SmtpOptions::from_json(&agent.options).map_err(|e| SendError::Invalid(e.to_string()))?;
    let invalid = |e: &dyn std::fmt::Display| SendError::Invalid(e.to_string());
    let mail = Message::builder()
        .from(options.from.parse().map_err(|e| invalid(&e))?)
        .to(agent.target.parse().map_err(|e| invalid(&e))?)
        .subject(format!("[Usher] {}", message.subject))
        .header(ContentType::TEXT_PLAIN)
        .body(body_text(message))
        .map_err(|e| invalid(&e))?;
    let builder = match options.tls.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&options.host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&options.host),
        _ => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &options.host,
        )),
    }
    .map_err(|e| invalid(&e))?;
    let mut builder = builder.port(options.port).timeout(Some(SMTP_TIMEOUT));
    if let Some(user) = &options.username {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.unwrap_or_default().to_owned(),
        ));
    }
    match builder.build().send(mail).await {
        Ok(response) => Ok(Answer {
            status: code(&response.code().to_string()),
            body: response.message().collect::<Vec<_>>().join(" "),
            smtp: true,
        }),
        Err(err) => match err.status() {
            Some(status) => Ok(Answer {
                status: code(&status.to_string()),
                body: err.to_string(),
                smtp: true,
            }),
            None => Err(SendError::Unreachable(err.to_string())),
        },
    }
}

fn code(text: &str) -> u16 {
    text.parse().unwrap_or(0)
}

/// The mail's text: the one-line subject, then the facts a receiver would want.
fn body_text(message: &AgentMessage) -> String {
    let mut lines = vec![message.subject.clone(), String::new()];
    lines.push(format!("Event: {}", message.event));
    lines.push(format!("Title: {}", message.title_line()));
    if let Some(requester) = &message.requester {
        lines.push(format!("Requested by: {requester}"));
    }
    lines.push(format!("Status: {}", message.status));
    if let Some(id) = message.request_id {
        lines.push(format!("Request: #{id}"));
    }
    if let Some(id) = message.issue_id {
        lines.push(format!("Issue: #{id}"));
    }
    lines.push(format!("Time: {}", message.time));
    lines.join("\r\n")
}
