//! Command-line shape. Flags are the highest configuration layer.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Chat-bot-first media requests for Discord and Telegram, over Radarr and Sonarr.
#[derive(Debug, Parser)]
#[command(name = "usher", version, about)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Configuration overrides; each beats `usher.toml` and `USHER_*` variables.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML configuration file (default: ./usher.toml if present, or USHER_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…), like USHER_DATABASE_URL.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Address for the console and webhooks, like USHER_LISTEN.
    #[arg(long, global = true, value_name = "ADDR")]
    pub listen: Option<String>,
    /// External URL, like USHER_PUBLIC_URL.
    #[arg(long, global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// Folder for the generated secret key, like USHER_DATA_DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the console, the enabled bots and the background jobs until SIGINT/SIGTERM.
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Validate the configuration and test every configured connection.
    ///
    /// Exit codes: 0 all good; 1 configuration invalid; 2 database unreachable; 3 TMDB, 4 Radarr,
    /// 5 Sonarr, 6 Jellyfin, 7 Plex, 8 Telegram, 9 Discord, 10 OIDC failed (the first failing
    /// one in this order; every result is printed).
    Check,
    /// Exit 0 if this host's Usher answers `/healthz` (for container HEALTHCHECKs, which have
    /// no curl in a distroless image).
    Healthcheck,
    /// Administration tasks.
    Admin {
        /// Which task.
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// Administration tasks.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print a one-time link (valid one hour) that lets the first administrator in.
    SetupLink,
}
