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
    /// For each Radarr/Sonarr instance it lists the quality profiles, root folders (with free
    /// space) and tags, and which ones Usher will use; a configured profile or folder the
    /// instance lacks fails with the setting's name and the choices there are. For Jellyfin/Emby
    /// and Plex it lists the libraries. A refused key names its setting and where to get one.
    ///
    /// Exit codes: 0 all good; 1 configuration invalid; 2 database unreachable; 3 TMDB, 4 Radarr,
    /// 5 Sonarr, 6 Jellyfin, 7 Plex, 8 Telegram, 9 Discord, 10 OIDC failed, 11 a library
    /// source never listed (every pass failed) (the first failing one in this order; every
    /// result is printed). A library source that is stale after earlier successes is printed
    /// with since when and why, but is a warning: its last known titles are kept.
    Check,
    /// Exit 0 if this host's Usher answers `/healthz` (for container HEALTHCHECKs, which have
    /// no curl in a distroless image).
    Healthcheck,
    /// Write a consistent backup of the database to FILE while Usher keeps serving (SQLite: a
    /// database file; PostgreSQL: a data-only SQL script of Usher's tables).
    Backup {
        /// The file to write; it must not exist yet.
        file: PathBuf,
    },
    /// Load a backup made by `usher backup` into the configured database, which must be empty
    /// (SQLite backups into SQLite, SQL backups into PostgreSQL). Stop Usher first.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace everything the database holds instead of refusing a non-empty one.
        #[arg(long)]
        force: bool,
    },
    /// Bring users and requests over from another request system.
    Import {
        /// Which system.
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The library index (what every media server and Radarr/Sonarr holds).
    Library {
        /// Which task.
        #[command(subcommand)]
        command: LibraryCommand,
    },
    /// Administration tasks.
    Admin {
        /// Which task.
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// Library index tasks.
#[derive(Debug, Subcommand)]
pub enum LibraryCommand {
    /// Run a full pass over every source now, print each source's result and a summary
    /// (exit 1 when a source failed; its last known titles are kept).
    Sync,
}

/// Administration tasks.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print a one-time link (valid one hour) that lets the first administrator in.
    SetupLink,
    /// Print the webhook URLs for Radarr, Sonarr, Jellyfin and Plex, with their secret token.
    WebhookUrls,
    /// Scoped keys for machines using the API (`X-Api-Key` or `Authorization: Bearer`).
    ApiKey {
        /// What to do.
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Notification agents: signed webhooks, ntfy, Gotify, Discord webhooks and e-mail, told of
    /// requests, approvals, declines, availability, failures and issues.
    Agent {
        /// What to do.
        #[command(subcommand)]
        command: AgentCommand,
    },
}

/// `usher admin agent …`.
#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Add an agent. A webhook's signing secret is printed once, alone on the last line.
    Add(Box<AgentAddArgs>),
    /// List the agents: name, kind, where, events (never a secret).
    List,
    /// Remove an agent; its messages not yet sent are dropped.
    Remove {
        /// The agent's name.
        name: String,
    },
    /// Send a test message now and print the receiver's answer (status and first bytes).
    Test {
        /// The agent's name.
        name: String,
    },
    /// Give a webhook agent a new signing secret, printed once, alone on the last line; the
    /// old one stops verifying at once.
    Rotate {
        /// The webhook agent's name.
        name: String,
    },
}

/// `usher admin agent add KIND …`.
#[derive(Debug, Args)]
pub struct AgentAddArgs {
    /// webhook, ntfy, gotify, discord or email.
    pub kind: String,
    /// Its name (letters, digits, `.`, `_`, `-`).
    #[arg(long)]
    pub name: String,
    /// Where to post: the webhook URL, the ntfy topic URL, the Gotify server, the Discord
    /// webhook URL (LAN and loopback addresses are fine).
    #[arg(long, required_unless_present = "to")]
    pub url: Option<String>,
    /// The events it hears (requested, approved, declined, available, failed, issue,
    /// security), comma-separated; without it, every event.
    #[arg(long, default_value = "")]
    pub events: String,
    /// A file holding the ntfy access token, the Gotify application token or the SMTP
    /// password (kept off the command line, where `ps` would show it).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Gotify: the message priority (0 to 10).
    #[arg(long)]
    pub priority: Option<i64>,
    /// E-mail: the recipient.
    #[arg(long)]
    pub to: Option<String>,
    /// E-mail: the SMTP server.
    #[arg(long)]
    pub smtp_host: Option<String>,
    /// E-mail: the SMTP port (default by --tls: 465, 587 or 25).
    #[arg(long)]
    pub smtp_port: Option<u16>,
    /// E-mail: none (a LAN relay), starttls or tls.
    #[arg(long, default_value = "starttls")]
    pub tls: String,
    /// E-mail: the sender address.
    #[arg(long)]
    pub from: Option<String>,
    /// E-mail: the SMTP login (the password comes from --token-file).
    #[arg(long)]
    pub username: Option<String>,
}

/// `usher admin api-key …`.
#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key and print it once (alone, on the last line).
    Create {
        /// Its name (letters, digits, `.`, `_`, `-`); also its machine user's name.
        #[arg(long)]
        name: String,
        /// What it may do: read, request, approve, admin (comma-separated).
        #[arg(long)]
        scope: String,
    },
    /// List the live keys: names, scopes, created, last used (never a key).
    List,
    /// Revoke a key; a running server refuses it within seconds.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// Systems `usher import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Users (with Discord and Telegram accounts), requests and their statuses from Overseerr,
    /// Jellyseerr or Seerr; prints the Radarr/Sonarr settings to set. Safe to run again.
    #[command(visible_aliases = ["jellyseerr", "seerr"])]
    Overseerr {
        /// Its database: the db.sqlite3 file, or a postgres:// URL (read only).
        source: String,
        /// Its settings.json, for Radarr and Sonarr (default: found beside the SQLite file).
        #[arg(long, value_name = "FILE")]
        settings: Option<PathBuf>,
        /// Print what would change and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}
