//! What handlers share: one plain value, built complete by the app root before the router
//! exists. While the app is still being built the server answers from
//! [`crate::starting_router`] instead, so no handler ever meets a half-built state.

use std::sync::Arc;

use usher_core::service::{AgentService, Services, SettingsService};
use usher_core::webhooks::Webhooks;

use crate::console::Console;
use crate::discord::DiscordEndpoint;
use crate::metrics::MetricsAccess;
use crate::metrics::traffic::HttpMetrics;
use crate::telegram::TelegramWebhook;

/// Everything the HTTP surface serves with, handed over whole by whoever wires the app.
#[derive(Debug)]
pub struct WebParts {
    /// Core's services.
    pub services: Services,
    /// Notification agents (they seal secrets with the master key, so they are built apart
    /// from [`Services`]).
    pub agents: AgentService,
    /// The console-edited configuration (the settings page).
    pub settings: SettingsService,
    /// The console's keys and policies.
    pub console: Console,
    /// The inbound webhook receiver (`/hooks/*`).
    pub webhooks: Webhooks,
    /// Who may read `/metrics`.
    pub metrics_access: MetricsAccess,
    /// This server's HTTP request counters (shown on `/metrics`).
    pub http_metrics: HttpMetrics,
    /// `POST /discord/interactions`, when Discord runs in HTTP mode (404 otherwise).
    pub discord: Option<DiscordEndpoint>,
    /// `POST /hooks/telegram`, when Telegram runs in webhook mode (404 otherwise).
    pub telegram: Option<TelegramWebhook>,
    /// The external URL, for links.
    pub public_url: String,
}

/// Shared, cheap-to-clone handler state.
#[derive(Clone, Debug)]
pub struct AppState {
    parts: Arc<WebParts>,
}

impl AppState {
    /// The state of a fully wired app.
    pub fn new(mut parts: WebParts) -> Self {
        parts.public_url = parts.public_url.trim_end_matches('/').to_owned();
        Self {
            parts: Arc::new(parts),
        }
    }

    /// Core's services.
    pub fn services(&self) -> &Services {
        &self.parts.services
    }

    /// Notification agents.
    pub fn agents(&self) -> &AgentService {
        &self.parts.agents
    }

    /// The webhook receiver.
    pub fn webhooks(&self) -> &Webhooks {
        &self.parts.webhooks
    }

    /// The Discord interactions endpoint, when HTTP mode is on.
    pub fn discord(&self) -> Option<&DiscordEndpoint> {
        self.parts.discord.as_ref()
    }

    /// Telegram's webhook endpoint, when webhook mode is on.
    pub fn telegram(&self) -> Option<&TelegramWebhook> {
        self.parts.telegram.as_ref()
    }

    /// The console's keys and policies.
    pub fn console(&self) -> &Console {
        &self.parts.console
    }

    /// The console-edited configuration.
    pub fn settings(&self) -> &SettingsService {
        &self.parts.settings
    }

    /// Who may read `/metrics`.
    pub fn metrics_access(&self) -> &MetricsAccess {
        &self.parts.metrics_access
    }

    /// This server's HTTP request counters (shown on `/metrics`).
    pub fn http_metrics(&self) -> &HttpMetrics {
        &self.parts.http_metrics
    }

    /// Whether the public URL is https (HSTS, `Secure` cookies).
    pub fn is_https(&self) -> bool {
        is_https(&self.parts.public_url)
    }

    /// The external URL, for links.
    pub fn public_url(&self) -> &str {
        &self.parts.public_url
    }
}

/// Whether `url` is https.
pub(crate) fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

#[cfg(test)]
impl WebParts {
    /// Everything over `db` with test keys on `public_url`, no chat endpoints, `/metrics`
    /// closed; a test replaces the parts it is about.
    pub(crate) fn for_tests(db: &usher_core::store::Db, public_url: &str) -> Self {
        use secrecy::SecretString;
        use usher_core::config::LoadOptions;
        use usher_core::crypto::MasterKeys;
        use usher_core::integrations::mediaserver::MediaServers;

        let secret = SecretString::from("a-master-key-for-the-web-crate-tests-0123");
        let keys = Arc::new(MasterKeys::from_secrets(&secret, None).expect("test keys"));
        Self {
            services: Services::new(db.clone()),
            agents: AgentService::new(db.clone(), keys.clone()).expect("agents"),
            settings: SettingsService::new(db.clone(), keys, LoadOptions::default()),
            console: Console::new(crate::console::ConsoleOptions::for_tests(public_url)),
            webhooks: Webhooks::new(
                db.clone(),
                SecretString::from("web-test-hook-secret"),
                MediaServers::default(),
            ),
            metrics_access: MetricsAccess::new(None, Vec::new()),
            http_metrics: HttpMetrics::new(),
            discord: None,
            telegram: None,
            public_url: public_url.to_owned(),
        }
    }
}
