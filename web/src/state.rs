//! What handlers share. The server starts before the database is migrated, so `/healthz`
//! answers at once and `/readyz` says "not yet" until the services are in place.

use std::sync::{Arc, OnceLock};

use usher_core::service::{Services, SettingsService};

use crate::console::Console;
use crate::discord::DiscordEndpoint;
use crate::metrics::MetricsAccess;
use crate::metrics::traffic::HttpMetrics;
use crate::telegram::TelegramWebhook;
use usher_core::webhooks::Webhooks;

/// Shared, cheap-to-clone handler state.
#[derive(Clone, Debug)]
pub struct AppState {
    services: Arc<OnceLock<Services>>,
    webhooks: Arc<OnceLock<Webhooks>>,
    discord: Arc<OnceLock<DiscordEndpoint>>,
    console: Arc<OnceLock<Console>>,
    telegram: Arc<OnceLock<TelegramWebhook>>,
    settings: Arc<OnceLock<SettingsService>>,
    metrics: Arc<OnceLock<MetricsAccess>>,
    http_metrics: HttpMetrics,
    public_url: Arc<str>,
}

impl AppState {
    /// State for a server that is still starting (no services yet).
    pub fn starting(public_url: &str) -> Self {
        Self {
            services: Arc::new(OnceLock::new()),
            webhooks: Arc::new(OnceLock::new()),
            discord: Arc::new(OnceLock::new()),
            console: Arc::new(OnceLock::new()),
            telegram: Arc::new(OnceLock::new()),
            settings: Arc::new(OnceLock::new()),
            metrics: Arc::new(OnceLock::new()),
            http_metrics: HttpMetrics::new(),
            public_url: public_url.trim_end_matches('/').into(),
        }
    }

    /// Marks the server ready with its services; later calls are ignored.
    pub fn set_ready(&self, services: Services) {
        let _ = self.services.set(services);
    }

    /// The services, once ready.
    pub fn services(&self) -> Option<&Services> {
        self.services.get()
    }

    /// Enables the inbound webhooks (`/hooks/*` answer 503 until then); later calls are ignored.
    pub fn set_webhooks(&self, webhooks: Webhooks) {
        let _ = self.webhooks.set(webhooks);
    }

    /// The webhook receiver, once enabled.
    pub fn webhooks(&self) -> Option<&Webhooks> {
        self.webhooks.get()
    }

    /// Enables `POST /discord/interactions` (404 until then); later calls are ignored.
    pub fn set_discord(&self, endpoint: DiscordEndpoint) {
        let _ = self.discord.set(endpoint);
    }

    /// The Discord interactions endpoint, when HTTP mode is on.
    pub fn discord(&self) -> Option<&DiscordEndpoint> {
        self.discord.get()
    }

    /// Enables `POST /hooks/telegram` (404 until then); later calls are ignored.
    pub fn set_telegram(&self, webhook: TelegramWebhook) {
        let _ = self.telegram.set(webhook);
    }

    /// Telegram's webhook endpoint, when webhook mode is on.
    pub fn telegram(&self) -> Option<&TelegramWebhook> {
        self.telegram.get()
    }

    /// Enables the console (its pages answer 503 until then); later calls are ignored.
    pub fn set_console(&self, console: Console) {
        let _ = self.console.set(console);
    }

    /// The console's keys and policies, once set.
    pub fn console(&self) -> Option<&Console> {
        self.console.get()
    }

    /// Enables the console's settings page (503 until then); later calls are ignored.
    pub fn set_settings(&self, settings: SettingsService) {
        let _ = self.settings.set(settings);
    }

    /// The console-edited configuration, once set.
    pub fn settings(&self) -> Option<&SettingsService> {
        self.settings.get()
    }

    /// Opens `/metrics` to these networks and token (503 until then); later calls are ignored.
    pub fn set_metrics_access(&self, access: MetricsAccess) {
        let _ = self.metrics.set(access);
    }

    /// Who may read `/metrics`, once set.
    pub fn metrics_access(&self) -> Option<&MetricsAccess> {
        self.metrics.get()
    }

    /// This server's HTTP request counters (counted from the start, shown on `/metrics`).
    pub fn http_metrics(&self) -> &HttpMetrics {
        &self.http_metrics
    }

    /// Whether the public URL is https (HSTS, `Secure` cookies).
    pub fn is_https(&self) -> bool {
        self.public_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// The external URL, for links.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
}
