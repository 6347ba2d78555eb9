//! Wires the webhook receiver into `usher serve`. The URLs are printed without their secret
//! (stdout often ends up in logs); `usher admin webhook-urls` prints them whole, on request.

use std::sync::Arc;

use usher_core::config::Settings;
use usher_core::crypto::MasterKeys;
use usher_core::index::job::Nudge;
use usher_core::index::pass::Passes;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::mediaserver::MediaServers;
use usher_core::service::secrets::SecretSettings;
use usher_core::store::Db;
use usher_core::webhooks::{Webhooks, webhook_secret, webhook_urls};

use crate::telemetry::say;

/// The receiver behind `/hooks/*` (its secret created on first start), and the configured
/// media servers for the reconcile job; the URLs go to `notes` without their secret.
pub async fn webhooks(
    settings: &Settings,
    db: &Db,
    keys: Arc<MasterKeys>,
    http: &HttpSettings,
    (passes, nudge): &(Passes, Nudge),
    notes: &mut Vec<String>,
) -> anyhow::Result<(Webhooks, MediaServers)> {
    let secrets = SecretSettings::new(db.clone(), keys);
    let secret = webhook_secret(settings.webhook_secret.as_ref(), &secrets).await?;
    let servers = MediaServers::from_settings(settings, http)?;
    notes.push(
        "webhooks (run `usher admin webhook-urls` for the URLs with their token, or send it in an X-Usher-Token header):".to_owned(),
    );
    for (source, url) in webhook_urls(&settings.public_url, &secret) {
        let shown = url
            .split_once("?token=")
            .map_or(url.as_str(), |(base, _)| base);
        notes.push(format!("  {:<8} {shown}", source.as_str()));
    }
    let webhooks = Webhooks::new(db.clone(), secret, servers.clone())
        .with_index(passes.clone(), nudge.clone());
    Ok((webhooks, servers))
}

/// `usher admin webhook-urls`: the ready-to-paste URLs with the secret, for the operator's
/// terminal. Uses (and if needed creates) the same stored secret `usher serve` uses.
pub async fn print_webhook_urls(settings: &Settings) -> anyhow::Result<()> {
    let db = crate::startup::open_database(settings).await?;
    let keys = crate::startup::load_keys(settings, &db).await?;
    let secrets = SecretSettings::new(db.clone(), keys);
    let secret = webhook_secret(settings.webhook_secret.as_ref(), &secrets).await?;
    say!("paste these into Radarr, Sonarr, Jellyfin and Plex (they contain the secret):");
    for (source, url) in webhook_urls(&settings.public_url, &secret) {
        say!("  {:<8} {url}", source.as_str());
    }
    db.close().await;
    Ok(())
}
