//! Seerr's webhook settings (`/api/v1/settings/notifications/webhook`) mapped onto one webhook
//! agent, [`SEERR_AGENT`], so a client that registers itself the Seerr way (Home Assistant's
//! Overseerr integration) gets Usher's deliveries, retries and signature. The shapes follow
//! Seerr's server: `jsonPayload` is posted as the template's JSON text, stored base64-encoded,
//! and read back parsed; `types` is echoed as it was saved; `authHeader` is sealed with the
//! master key like the agent's other secrets.

use base64::Engine as _;
use serde_json::{Value, json};

use super::agents::{AgentService, TestOutcome};
use crate::domain::{Actor, AgentKind, AgentSummary, Timestamp};
use crate::error::{CoreError, CoreResult};
use crate::notify::agents::seerr::{decode_template, events_from_types, types_from_events};
use crate::notify::agents::{AgentMessage, SendError, open_auth, send};
use crate::store::agents;

/// The name of the agent Seerr's webhook settings edit.
pub const SEERR_AGENT: &str = "seerr-webhook";

/// Seerr's webhook settings, as stored or posted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeerrWebhook {
    /// Whether it is on.
    pub enabled: bool,
    /// Seerr's notification type bits, as the client saved them.
    pub types: u32,
    /// Where to post.
    pub webhook_url: String,
    /// The `Authorization` header to send, if any.
    pub auth_header: Option<String>,
    /// The JSON template as the client posted it (JSON text), if any.
    pub json_payload: Option<String>,
}

impl SeerrWebhook {
    /// The template as Seerr's GET answers it: the posted text, parsed.
    pub fn json_payload_value(&self) -> Value {
        self.json_payload
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_else(|| Value::String(String::new()))
    }

    /// The template as stored (base64 of the posted text), as Seerr's POST answers it.
    pub fn json_payload_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(self.json_payload.as_deref().unwrap_or_default())
    }

    /// The settings of the stored agent, whose opened `Authorization` header is `auth_header`.
    fn from_agent(agent: &AgentSummary, auth_header: Option<String>) -> Self {
        let text = |key: &str| {
            agent
                .options
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let json_payload = text("json_payload").and_then(|b64| {
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
            String::from_utf8(bytes).ok()
        });
        Self {
            enabled: agent.enabled(),
            types: agent
                .options
                .get("seerr_types")
                .and_then(Value::as_u64)
                .and_then(|t| u32::try_from(t).ok())
                .unwrap_or_else(|| types_from_events(agent.events)),
            webhook_url: agent.target.clone(),
            auth_header: auth_header.filter(|a| !a.is_empty()),
            json_payload,
        }
    }

    /// The agent options these settings are stored as (the `Authorization` header is not
    /// among them: it is sealed apart); the template is checked first, so a bad one is refused
    /// with nothing written.
    fn options(&self) -> CoreResult<Value> {
        let mut options = json!({ "enabled": self.enabled, "seerr_types": self.types });
        if let Some(text) = &self.json_payload {
            let stored = self.json_payload_base64();
            decode_template(&stored).map_err(|_| {
                CoreError::Validation(
                    "options.jsonPayload: must be the JSON text of a template object".into(),
                )
            })?;
            let _ = text;
            options["json_payload"] = Value::String(stored);
        }
        Ok(options)
    }
}

impl AgentService {
    /// The Seerr webhook settings (Seerr's defaults, disabled, when none were saved); admins
    /// only.
    pub async fn seerr_webhook(&self, actor: &Actor) -> CoreResult<SeerrWebhook> {
        self.require_admin(actor).await?;
        let Some(row) = agents::find(&self.db, SEERR_AGENT)
            .await?
            .filter(|row| row.summary.kind == AgentKind::Webhook)
        else {
            return Ok(SeerrWebhook::default());
        };
        let auth =
            open_auth(&self.keys, &row).map_err(|e| CoreError::Unexpected(anyhow::anyhow!(e)))?;
        Ok(SeerrWebhook::from_agent(&row.summary, auth))
    }

    /// Saves Seerr webhook settings onto [`SEERR_AGENT`] (made on first use, with a signing
    /// secret like any webhook); admins only. Returns them as stored.
    pub async fn put_seerr_webhook(
        &self,
        actor: &Actor,
        settings: SeerrWebhook,
    ) -> CoreResult<SeerrWebhook> {
        let options = settings.options()?;
        let events = events_from_types(settings.types);
        let mut options = options;
        // Seerr bits Usher has no event for (only a test, say) hear nothing rather than all.
        if events.is_every() {
            options["enabled"] = Value::Bool(false);
        }
        let url = settings.webhook_url.trim();
        let url = if url.is_empty() {
            return Err(CoreError::Validation(
                "options.webhookUrl: a webhook URL is required".into(),
            ));
        } else {
            url
        };
        let agent = self
            .put_webhook(
                actor,
                SEERR_AGENT,
                url,
                events,
                options,
                settings.auth_header.as_deref(),
            )
            .await
            .map_err(|e| match e {
                CoreError::Validation(text) if text.starts_with("url:") => CoreError::Validation(
                    format!("options.webhookUrl:{}", text.trim_start_matches("url:")),
                ),
                other => other,
            })?;
        let mut stored = SeerrWebhook::from_agent(&agent, settings.auth_header.clone());
        stored.enabled = settings.enabled;
        Ok(stored)
    }

    /// Sends a test notification with the posted settings (not saved), as Seerr's Test does,
    /// signed with the saved agent's secret when there is one; admins only.
    pub async fn test_seerr_webhook(
        &self,
        actor: &Actor,
        settings: SeerrWebhook,
    ) -> CoreResult<TestOutcome> {
        self.require_admin(actor).await?;
        let options = settings.options()?;
        let (target, mut options) =
            super::agents::check_target(AgentKind::Webhook, &settings.webhook_url, options)
                .map_err(|e| CoreError::Validation(format!("options.webhookUrl: {e}")))?;
        // The posted header goes out with the test, in memory only.
        if let Some(auth) = &settings.auth_header {
            options["auth_header"] = Value::String(auth.clone());
        }
        let saved = agents::find(&self.db, SEERR_AGENT).await?;
        let secret = match saved.as_ref().and_then(|row| row.sealed_secret.as_deref()) {
            Some(sealed) => crate::notify::agents::open_secret(&self.keys, sealed)
                .map_err(|e| CoreError::Unexpected(anyhow::anyhow!(e)))?,
            None => format!("whsec_{}", crate::crypto::random_token(32)),
        };
        let now = Timestamp::now();
        let probe = AgentSummary {
            id: 0,
            name: SEERR_AGENT.into(),
            kind: AgentKind::Webhook,
            target,
            events: events_from_types(settings.types),
            options,
            has_secret: true,
            created_at: now,
        };
        let message = AgentMessage::test(now);
        Ok(
            match send(&self.client, &probe, Some(&secret), &message, now).await {
                Ok(answer) => TestOutcome::Answered(answer),
                Err(SendError::Unreachable(why) | SendError::Invalid(why)) => {
                    TestOutcome::Failed(why)
                }
            },
        )
    }
}
