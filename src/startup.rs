//! Steps shared by the commands: configuration, keys, database.

use std::sync::Arc;

use anyhow::Context;
use usher_core::config::{self, ConfigError, LoadOptions, Loaded, Settings};
use usher_core::crypto::MasterKeys;
use usher_core::domain::{Actor, Platform, Source};
use usher_core::service::secrets::SecretSettings;
use usher_core::service::{SecurityAlerts, Services, SettingsService};
use usher_core::store::{ConnectOptions, Db};

use crate::cli::GlobalArgs;
use crate::telemetry::say;

/// Loads every configuration layer with the CLI flags on top (the console's saved settings
/// are added by [`with_saved_settings`] once the database is open).
pub fn load_config(args: &GlobalArgs) -> Result<Loaded, ConfigError> {
    config::load(load_options(args))
}

/// The file, environment and flag layers of this process.
pub fn load_options(args: &GlobalArgs) -> LoadOptions {
    let mut options = LoadOptions::from_process(args.config.clone());
    let flags = [
        ("database_url", args.database_url.clone()),
        ("listen", args.listen.clone()),
        ("public_url", args.public_url.clone()),
        (
            "data_dir",
            args.data_dir.as_ref().map(|d| d.display().to_string()),
        ),
    ];
    options.overrides = flags
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    options
}

/// The configuration to run with: `base` plus the settings saved in the console (applied at
/// start; a saved layer that no longer validates is left out with a warning). Returns the
/// settings service for the console too.
pub async fn with_saved_settings(
    base: &Settings,
    options: LoadOptions,
    db: &Db,
    keys: Arc<MasterKeys>,
) -> anyhow::Result<(Settings, SettingsService)> {
    let service = SettingsService::new(db.clone(), keys, options);
    let started = service
        .startup(base)
        .await
        .context("cannot read the settings saved in the console")?;
    for warning in &started.warnings {
        tracing::warn!("{warning}");
    }
    Ok((started.settings, service))
}

/// Connects and migrates.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let db = Db::connect(settings.database_url.as_str(), &ConnectOptions::default())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    db.migrate().await.context("cannot migrate the database")?;
    Ok(db)
}

/// Loads (or creates) the master keys and re-seals stored secrets after a rotation, telling the
/// admins (security alert `secret_rotated`) when it did.
pub async fn load_keys(settings: &Settings, db: &Db) -> anyhow::Result<Arc<MasterKeys>> {
    let keys =
        Arc::new(MasterKeys::load_or_generate(settings).context("cannot load the secret key")?);
    let resealed = SecretSettings::new(db.clone(), keys.clone())
        .reseal_all_and_alert(&SecurityAlerts::new(db.clone()))
        .await?;
    if resealed > 0 {
        tracing::info!(resealed, "re-sealed stored secrets under the current key");
    }
    Ok(keys)
}

/// Applies usher.toml's roles and grants, then makes the admins named in configuration exist.
pub async fn seed_admins(settings: &Settings, services: &Services) -> anyhow::Result<()> {
    // usher.toml's roles and grants first: they are re-applied at every start.
    services
        .users
        .apply_file_roles(&settings.roles, &settings.role_grants)
        .await?;
    if let Some(tg) = &settings.telegram {
        let ids: Vec<String> = tg.admin_ids.iter().map(i64::to_string).collect();
        services
            .users
            .ensure_admins(Platform::Telegram, &ids)
            .await?;
    }
    if let Some(dc) = &settings.discord {
        let ids: Vec<String> = dc.admin_ids.iter().map(u64::to_string).collect();
        services
            .users
            .ensure_admins(Platform::Discord, &ids)
            .await?;
    }
    Ok(())
}

/// `usher migrate`.
pub async fn migrate_only(settings: &Settings) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    say!("database is up to date ({})", settings.database_url);
    db.close().await;
    Ok(())
}

/// `usher admin setup-link`.
pub async fn print_setup_link(settings: &Settings) -> anyhow::Result<()> {
    let db = open_database(settings).await?;
    let services = Services::new(db.clone());
    let actor = Actor {
        user: None,
        source: Source::Cli,
    };
    let link = services
        .setup
        .issue_link(&actor, &settings.public_url)
        .await?;
    say!("setup link (valid for one hour, works once): {link}");
    db.close().await;
    Ok(())
}
