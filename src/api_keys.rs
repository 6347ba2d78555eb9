//! `usher admin api-key create|list|revoke`: the command line's side of core's
//! [`usher_core::service::ApiKeyService`], acting as the operator (`Source::Cli`).

use secrecy::ExposeSecret as _;
use usher_core::config::Settings;
use usher_core::domain::{Actor, Source};
use usher_core::service::Services;

use crate::startup::open_database;
use crate::telemetry::say;

/// The operator at the command line.
fn operator() -> Actor {
    Actor {
        user: None,
        source: Source::Cli,
    }
}

/// `usher admin api-key create --name NAME --scope SCOPES`: the key alone on the last line.
pub async fn create(settings: &Settings, name: &str, scopes: &str) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    let made = Services::new(db.clone())
        .api_keys
        .create(&operator(), name, scopes)
        .await;
    db.close().await;
    let made = made?;
    say!(
        "API key {} ({}) created; it is shown only now:",
        made.summary.name,
        made.summary.scopes
    );
    // Alone on the last line, even in JSON log mode, so scripts can take it with `tail -1`.
    println!("{}", made.secret.expose_secret());
    Ok(())
}

/// `usher admin api-key list`: one line per live key, never the key.
pub async fn list(settings: &Settings) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    let keys = Services::new(db.clone()).api_keys.list(&operator()).await;
    db.close().await;
    let keys = keys?;
    if keys.is_empty() {
        say!("no API keys");
    }
    for key in keys {
        let used = key
            .last_used_at
            .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
        say!(
            "{}\tscopes={}\tcreated={}\tlast_used={}",
            key.name,
            key.scopes,
            key.created_at.to_rfc3339(),
            used
        );
    }
    Ok(())
}

/// `usher admin api-key revoke NAME`.
pub async fn revoke(settings: &Settings, name: &str) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    let done = Services::new(db.clone())
        .api_keys
        .revoke(&operator(), name)
        .await;
    db.close().await;
    done?;
    say!("API key {name} revoked");
    Ok(())
}
