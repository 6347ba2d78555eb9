//! Wires availability into `usher serve`: the webhook receiver (with its secret, printed as
//! ready-to-paste URLs for the operator) and, when a media server is configured, the reconcile
//! job as a backstop for missed webhooks.

use std::sync::Arc;
use std::time::Duration;

use usher_core::config::Settings;
use usher_core::crypto::MasterKeys;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::jobs::reconcile::Reconciler;
use usher_core::service::secrets::SecretSettings;
use usher_core::store::Db;
use usher_core::webhooks::{Webhooks, webhook_secret, webhook_urls};
use usher_web::AppState;

/// How often the reconcile job looks at open requests; webhooks usually get there first.
const RECONCILE_EVERY: Duration = Duration::from_secs(15 * 60);

/// Enables `/hooks/*` and starts the reconcile job; returns the job's task, if one runs.
pub async fn start(
    settings: &Settings,
    db: &Db,
    keys: Arc<MasterKeys>,
    state: &AppState,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let secrets = SecretSettings::new(db.clone(), keys);
    let secret = webhook_secret(settings.webhook_secret.as_ref(), &secrets).await?;
    let http = HttpSettings::with_timeout(settings.http_timeout);
    let servers = MediaServers::from_settings(settings, &http)?;
    state.set_webhooks(Webhooks::new(db.clone(), secret.clone(), servers.clone()));
    println!("webhooks (or send the token in an X-Usher-Token header instead of ?token=):");
    for (source, url) in webhook_urls(&settings.public_url, &secret) {
        println!("  {:<8} {url}", source.as_str());
    }
    if servers.is_empty() {
        return Ok(None);
    }
    let job = Reconciler::new(db.clone(), servers.all());
    Ok(Some(tokio::spawn(async move {
        job.run(RECONCILE_EVERY, std::future::pending()).await;
    })))
}
