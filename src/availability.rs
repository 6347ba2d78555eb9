//! Wires the webhook receiver into `usher serve`, with its secret printed as ready-to-paste URLs
//! for the operator.

use std::sync::Arc;

use usher_core::config::Settings;
use usher_core::crypto::MasterKeys;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::service::secrets::SecretSettings;
use usher_core::store::Db;
use usher_core::webhooks::{Webhooks, webhook_secret, webhook_urls};
use usher_web::AppState;

/// Enables `/hooks/*`; returns the configured media servers for the reconcile job.
pub async fn enable_webhooks(
    settings: &Settings,
    db: &Db,
    keys: Arc<MasterKeys>,
    state: &AppState,
    http: &HttpSettings,
) -> anyhow::Result<MediaServers> {
    let secrets = SecretSettings::new(db.clone(), keys);
    let secret = webhook_secret(settings.webhook_secret.as_ref(), &secrets).await?;
    let servers = MediaServers::from_settings(settings, http)?;
    state.set_webhooks(Webhooks::new(db.clone(), secret.clone(), servers.clone()));
    println!("webhooks (or send the token in an X-Usher-Token header instead of ?token=):");
    for (source, url) in webhook_urls(&settings.public_url, &secret) {
        println!("  {:<8} {url}", source.as_str());
    }
    Ok(servers)
}
