//! The validated, typed configuration handed to the rest of Usher.
//!
//! Built only by [`super::load`]; every field is already checked, so users of `Settings` never
//! re-parse. `Debug` output is written in `debug.rs` and never shows a secret.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use super::DatabaseUrl;

/// Everything Usher reads at start. Integrations are `Some` only when fully configured.
#[derive(Clone)]
pub struct Settings {
    /// Where requests, users and settings are stored (`USHER_DATABASE_URL`).
    pub database_url: DatabaseUrl,
    /// Folder for generated state such as `secret.key` (`USHER_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Address of the console and webhooks (`USHER_LISTEN`).
    pub listen: SocketAddr,
    /// External base URL for links, WebAuthn origin and webhooks; http(s), no trailing slash.
    pub public_url: String,
    /// Master key (`USHER_SECRET_KEY`); `None` means "use or generate `<data_dir>/secret.key`".
    pub secret_key: Option<SecretString>,
    /// The master key being rotated out, still accepted for decryption and signatures.
    pub secret_key_previous: Option<SecretString>,
    /// Log filter directive (`USHER_LOG`), e.g. `info` or `usher=debug,sqlx=warn`.
    pub log: String,
    /// Human or machine log lines (`USHER_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Timeout for every outgoing HTTP call (`USHER_HTTP_TIMEOUT_SECS`).
    pub http_timeout: Duration,
    /// How the web server treats its incoming connections (timeouts, how many at once).
    pub http_server: HttpServerSettings,
    /// TMDB access; search needs it.
    pub tmdb: Option<TmdbSettings>,
    /// TMDB base URL (tests point it at a fake); no trailing slash.
    pub tmdb_api_url: String,
    /// TMDB's image base, sizes go after it (`USHER_TMDB_IMAGE_URL`; tests point it at the
    /// fake's `/t/p`); no trailing slash.
    pub tmdb_image_url: String,
    /// The default Radarr, for movies.
    pub radarr: Option<ArrSettings>,
    /// The default Sonarr, for TV.
    pub sonarr: Option<ArrSettings>,
    /// A Radarr for 4K requests (`USHER_RADARR_4K_*`).
    pub radarr_4k: Option<ArrSettings>,
    /// A Sonarr for 4K requests (`USHER_SONARR_4K_*`).
    pub sonarr_4k: Option<ArrSettings>,
    /// A Sonarr for anime (`USHER_SONARR_ANIME_*`); without it anime goes to the default Sonarr.
    pub sonarr_anime: Option<ArrSettings>,
    /// How titles are added to every Radarr and Sonarr.
    pub arr: ArrOptions,
    /// Jellyfin (or Emby) for availability.
    pub jellyfin: Option<JellyfinSettings>,
    /// Plex for availability.
    pub plex: Option<PlexSettings>,
    /// Where members' browsers open a title in the media server (library link buttons).
    pub library_links: LibraryLinks,
    /// More media servers for the library index (`[[jellyfin]]`, `[[emby]]`, `[[plex]]` in
    /// `usher.toml`), beside the environment's Jellyfin and Plex.
    pub media_servers: Vec<MediaServerSettings>,
    /// How often the library index passes over its sources.
    pub library_index: LibraryIndexSettings,
    /// Shared secret inbound webhooks must carry; `None` means one is generated and stored.
    pub webhook_secret: Option<SecretString>,
    /// The Telegram bot, enabled by its token.
    pub telegram: Option<TelegramSettings>,
    /// The Discord bot, enabled by its token.
    pub discord: Option<DiscordSettings>,
    /// OIDC sign-in for the console.
    pub oidc: Option<OidcSettings>,
    /// Console sessions, proxies, sign-in limits, metrics access.
    pub console: ConsoleSettings,
    /// Roles `usher.toml` defines (`[[role]]`), applied at start-up.
    pub roles: Vec<crate::domain::RoleSpec>,
    /// Grants `usher.toml` defines (`[[role_grant]]`), applied at start-up.
    pub role_grants: Vec<crate::domain::GrantSpec>,
    /// Group chats and servers with a voting threshold and a shared budget (`[[place]]` in
    /// `usher.toml`), stored in the database at start-up.
    pub places: Vec<crate::domain::Place>,
    /// Rules that send requests by genre, keyword and role (`[[override]]` in `usher.toml`),
    /// in file order: the first match places a new request.
    pub overrides: Vec<crate::domain::OverrideRule>,
    /// Lower-case keys (e.g. `"listen"`) whose value came from the environment, a `_FILE` or a
    /// CLI flag; the console shows them read-only because it could not override them.
    pub locked_keys: Vec<&'static str>,
}

impl Settings {
    /// Names of the integrations still missing (e.g. `["TMDB", "Radarr"]`), so `usher serve`
    /// can say what is not configured yet instead of failing.
    pub fn not_configured(&self) -> Vec<&'static str> {
        [
            ("TMDB", self.tmdb.is_none()),
            ("Radarr", self.radarr.is_none()),
            ("Sonarr", self.sonarr.is_none()),
            ("Jellyfin", self.jellyfin.is_none()),
            ("Plex", self.plex.is_none()),
            ("Telegram", self.telegram.is_none()),
            ("Discord", self.discord.is_none()),
            ("OIDC", self.oidc.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect()
    }

    /// Whether the public URL is HTTPS, which decides `Secure` cookies.
    pub fn is_https(&self) -> bool {
        self.public_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// Whether a key (lower-case, e.g. `"radarr_url"`) is locked by env, `_FILE` or a flag.
    pub fn is_locked(&self, key: &str) -> bool {
        self.locked_keys.contains(&key)
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Coloured, multi-line, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// How the Discord bot receives interactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiscordMode {
    /// A gateway websocket connection (one process, no public endpoint needed).
    #[default]
    Gateway,
    /// Signed HTTP interactions at `/discord/interactions` (scales behind a load balancer).
    Http,
}

/// TMDB credentials.
#[derive(Clone)]
pub struct TmdbSettings {
    /// A v3 API key or a v4 read access token.
    pub api_key: SecretString,
}

/// One Radarr or Sonarr instance.
#[derive(Clone)]
pub struct ArrSettings {
    /// Base URL, no trailing slash.
    pub url: String,
    /// The instance's API key.
    pub api_key: SecretString,
    /// Quality profile name or id; `None` means the instance's first.
    pub quality_profile: Option<String>,
    /// Root folder path or id; `None` means the instance's first.
    pub root_folder: Option<String>,
}

/// What Usher asks of every Radarr/Sonarr when it adds a title; shared by all instances of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrOptions {
    /// When Radarr should consider a movie available (`USHER_RADARR_MINIMUM_AVAILABILITY`).
    pub radarr_minimum_availability: MinimumAvailability,
    /// Tag labels put on every movie Usher adds (`USHER_RADARR_TAGS`), created when missing.
    pub radarr_tags: Vec<String>,
    /// Tag labels put on every series Usher adds (`USHER_SONARR_TAGS`), created when missing.
    pub sonarr_tags: Vec<String>,
    /// Sonarr sorts episodes into season folders (`USHER_SONARR_SEASON_FOLDER`).
    pub sonarr_season_folder: bool,
    /// Search for the title right after adding it (`USHER_ARR_SEARCH_ON_ADD`).
    pub search_on_add: bool,
    /// Submission attempts before a request becomes Failed (`USHER_ARR_SUBMIT_ATTEMPTS`).
    pub submit_attempts: u32,
    /// How long a worker owns a claimed submission before another replica may take it over
    /// (`USHER_ARR_SUBMIT_LEASE_SECS`): a crashed replica's work resumes after this.
    pub submit_lease_secs: u32,
    /// First wait before retrying a failed submission, doubled each time
    /// (`USHER_ARR_RETRY_BACKOFF_SECS`).
    pub retry_backoff_secs: u32,
}

impl Default for ArrOptions {
    fn default() -> Self {
        Self {
            radarr_minimum_availability: MinimumAvailability::Released,
            radarr_tags: Vec::new(),
            sonarr_tags: Vec::new(),
            sonarr_season_folder: true,
            search_on_add: true,
            submit_attempts: 5,
            submit_lease_secs: 120,
            retry_backoff_secs: 60,
        }
    }
}

/// Radarr's `minimumAvailability`: from when on a movie is searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MinimumAvailability {
    /// As soon as it is announced.
    Announced,
    /// Once it is in cinemas.
    InCinemas,
    /// Once it is released on disc or streaming (Radarr's own default).
    #[default]
    Released,
}

impl MinimumAvailability {
    /// Radarr's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Announced => "announced",
            Self::InCinemas => "inCinemas",
            Self::Released => "released",
        }
    }
}

/// Jellyfin (or Emby) access.
#[derive(Clone)]
pub struct JellyfinSettings {
    /// Base URL, no trailing slash.
    pub url: String,
    /// An API key created in the Jellyfin dashboard.
    pub api_key: SecretString,
}

/// Limits of the web server's incoming connections, so idle or slow clients cannot use up its
/// file descriptors and lock out `/healthz` and the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpServerSettings {
    /// A request's headers must have arrived this long after the server starts waiting for
    /// them (`USHER_HTTP_HEADER_TIMEOUT_SECS`).
    pub header_timeout: Duration,
    /// A connection with nothing in flight is closed after this long
    /// (`USHER_HTTP_IDLE_TIMEOUT_SECS`).
    pub idle_timeout: Duration,
    /// Open connections at most (`USHER_HTTP_MAX_CONNECTIONS`); beyond it the idlest one makes
    /// room, or the newcomer is closed when every one is busy.
    pub max_connections: usize,
}

impl Default for HttpServerSettings {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
        }
    }
}

/// The media servers' addresses as members' browsers reach them, for "Open in library" links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryLinks {
    /// Jellyfin/Emby web address (`USHER_JELLYFIN_PUBLIC_URL`, else `USHER_JELLYFIN_URL`), no
    /// trailing slash; `None`: no Jellyfin links.
    pub jellyfin: Option<String>,
    /// Plex web address (`USHER_PLEX_PUBLIC_URL`); `None`: links go through app.plex.tv.
    pub plex: Option<String>,
}

/// One more media server of the library index, from a TOML table.
#[derive(Clone)]
pub struct MediaServerSettings {
    /// Unique name (`den`, `emby-4k`): the source's key and shown as "Watch on Plex (den)".
    pub name: String,
    /// Jellyfin, Emby or Plex.
    pub kind: crate::domain::SourceKind,
    /// Base URL, no trailing slash.
    pub url: String,
    /// The API key (Jellyfin, Emby) or token (Plex).
    pub secret: SecretString,
    /// Where members' browsers reach it (`public_url`); Jellyfin and Emby default to `url`.
    pub public_url: Option<String>,
}

impl std::fmt::Debug for MediaServerSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaServerSettings")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("secret", &"[redacted]")
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// The library index's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibraryIndexSettings {
    /// Between full passes (`USHER_LIBRARY_FULL_PASS_HOURS`).
    pub full_every: Duration,
    /// Between incremental passes (`USHER_LIBRARY_INCREMENTAL_MINUTES`).
    pub incremental_every: Duration,
}

/// Plex access.
#[derive(Clone)]
pub struct PlexSettings {
    /// Base URL, no trailing slash.
    pub url: String,
    /// An `X-Plex-Token`.
    pub token: SecretString,
}

/// The Telegram bot.
#[derive(Clone)]
pub struct TelegramSettings {
    /// Bot token from @BotFather.
    pub token: SecretString,
    /// Bot API base URL (tests point it at a fake); no trailing slash.
    pub api_url: String,
    /// Chat where request cards for approvers are posted.
    pub admin_chat_id: Option<i64>,
    /// The forum topic (its thread id) of the admin chat that cards go to; `None` posts them
    /// in the chat itself (a forum's General topic). Only set together with `admin_chat_id`.
    pub admin_topic_id: Option<i32>,
    /// Telegram user ids that are admins from the start.
    pub admin_ids: Vec<i64>,
    /// Chats whose members may use the bot; empty means anyone messaging it privately.
    pub allowed_chat_ids: Vec<i64>,
    /// Public URL for webhook mode; `None` means long polling.
    pub webhook_url: Option<String>,
    /// What happens to a Telegram user Usher has never seen.
    pub registration: TelegramRegistration,
}

/// Whether unknown Telegram users are let in (`USHER_TELEGRAM_REGISTRATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TelegramRegistration {
    /// Registered as members on first contact.
    #[default]
    Member,
    /// Refused until they redeem a link code an admin gave them.
    Refuse,
}

/// What the Discord bot does with an account it has never seen (`USHER_DISCORD_REGISTRATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscordRegistration {
    /// Newcomers become members on first contact.
    Member,
    /// Newcomers are refused and told to link an existing account with a code.
    Refuse,
}

/// The Discord bot.
#[derive(Clone)]
pub struct DiscordSettings {
    /// Bot token.
    pub token: SecretString,
    /// Application id; required in HTTP mode.
    pub application_id: Option<u64>,
    /// Hex Ed25519 key verifying HTTP interactions; required in HTTP mode.
    pub public_key: Option<String>,
    /// REST base URL (tests point it at a fake); no trailing slash.
    pub api_url: String,
    /// Guilds the bot serves; commands are registered there.
    pub guild_ids: Vec<u64>,
    /// Channel where request cards for approvers are posted.
    pub admin_channel_id: Option<u64>,
    /// Discord users that are admins from the start.
    pub admin_ids: Vec<u64>,
    /// Discord roles whose members are admins from the start.
    pub admin_role_ids: Vec<u64>,
    /// Discord roles whose members are approvers while they hold them.
    pub approver_role_ids: Vec<u64>,
    /// When not empty, only members holding one of these roles (or an approver or admin role)
    /// may use the bot in a guild.
    pub member_role_ids: Vec<u64>,
    /// Whether the guild owner and members with the ADMINISTRATOR permission are admins.
    pub administrators_are_admins: bool,
    /// What happens to a Discord account Usher has never seen.
    pub registration: DiscordRegistration,
    /// Channel where each new request is announced publicly ("X requested Y").
    pub announce_channel_id: Option<u64>,
    /// Channel where a member who does not accept DMs is mentioned with the notice instead
    /// (it may be the admin channel); unset, such a notice is logged and dropped.
    pub dm_fallback_channel_id: Option<u64>,
    /// Gateway or HTTP interactions.
    pub mode: DiscordMode,
}

/// OIDC sign-in.
#[derive(Clone)]
pub struct OidcSettings {
    /// Issuer URL exactly as the provider publishes it (it must match the `iss` claim, so a
    /// trailing slash is kept).
    pub issuer: String,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret; `None` for a public client (PKCE only).
    pub client_secret: Option<SecretString>,
    /// Provider groups whose members are admins.
    pub admin_groups: Vec<String>,
    /// Provider groups whose members are approvers.
    pub approver_groups: Vec<String>,
    /// Provider groups whose members may use Usher; empty: anyone the provider signs in.
    pub member_groups: Vec<String>,
    /// Whether someone the provider signs in for the first time gets an account at once.
    pub auto_create: bool,
    /// Name of the claim that lists the user's groups (`groups`; Keycloak mappers may differ).
    pub groups_claim: String,
}

/// The console's own settings.
#[derive(Clone)]
pub struct ConsoleSettings {
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A session unused this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in.
    pub session_max: Duration,
    /// Sign-in attempts per client address and minute.
    pub sign_in_per_minute: u32,
    /// `Contact:` line of `/.well-known/security.txt`.
    pub security_contact: Option<String>,
    /// Bearer token that opens `/metrics` from anywhere.
    pub metrics_token: Option<SecretString>,
    /// Networks that may read `/metrics` without the token.
    pub metrics_allow: Vec<ipnet::IpNet>,
    /// Whether the sign-in page offers "Sign in with Plex" (and the account page "Link Plex
    /// account"): off unless the operator turns it on.
    pub plex_login: bool,
    /// plex.tv's API base (PIN and account calls); a local fake in tests.
    pub plex_tv_url: String,
    /// The Plex web app where people approve Usher's PIN.
    pub plex_app_url: String,
}
