//! Layered configuration, validated once at start.
//!
//! Values come from six layers, lowest to highest precedence: built-in defaults, the TOML file
//! (`USHER_CONFIG`, else `./usher.toml` when it exists), the values saved in the console (the
//! `settings` table, read at start by [`load_layered`]), `USHER_*` environment variables,
//! `USHER_*_FILE` variables (the named file's content, for container secrets) and CLI flags.
//! One table of known keys (`keys.rs`) drives every layer; the TOML key is the environment name
//! without `USHER_`, lower-cased. An empty value at any layer counts as not set.
//!
//! [`load`] collects the layers, then validates everything into a typed [`Settings`], reporting
//! *every* problem at once in a [`ConfigError`] so an operator fixes their setup in one pass.

mod database_url;
mod debug;
mod keys;
mod saved_servers;
mod settings;
mod sources;
mod suggest;
mod validate;
mod view;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::PathBuf;

pub(crate) use database_url::mask_url_password;
pub use database_url::{DatabaseKind, DatabaseUrl, DatabaseUrlError};
pub use saved_servers::{MEDIA_SERVER_PREFIX, SavedServer};
pub use settings::{
    ArrOptions, ArrSettings, ConsoleSettings, DiscordMode, DiscordRegistration, DiscordSettings,
    HttpServerSettings, JellyfinSettings, LibraryIndexSettings, LibraryLinks, LogFormat,
    MediaServerSettings, MinimumAvailability, OidcSettings, PlexSettings, Settings,
    TelegramRegistration, TelegramSettings, TmdbSettings,
};
pub use view::{Inspection, KeyState, ValueSource, groups, inspect, is_console_key};

/// What [`load`] reads; built by the binary from the process, or by tests from literals so two
/// configurations can live in one test process.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// The TOML file named on the command line; beats `USHER_CONFIG`. A named file must exist.
    pub config_file: Option<PathBuf>,
    /// The environment, as `(name, value)` pairs; only `USHER_*` names are looked at.
    pub env: Vec<(String, String)>,
    /// CLI flag overrides, highest precedence, by lower-case key (e.g. `("listen", "0.0.0.0:80")`).
    pub overrides: Vec<(&'static str, String)>,
}

impl LoadOptions {
    /// Reads the real process environment, for the binary.
    pub fn from_process(config_file: Option<PathBuf>) -> Self {
        Self {
            config_file,
            env: std::env::vars().collect(),
            overrides: Vec::new(),
        }
    }
}

/// Environment values may be secrets, so only names are shown.
impl fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadOptions")
            .field("config_file", &self.config_file)
            .field("env", &self.env.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field(
                "overrides",
                &self.overrides.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A valid configuration plus the non-fatal remarks (unknown `USHER_*` names, ignored values)
/// the caller should log once logging is set up.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated settings.
    pub settings: Settings,
    /// Human-readable warnings; never contain secret values.
    pub warnings: Vec<String>,
}

/// Every problem found in the configuration, so all can be fixed in one pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// One message per problem, each naming the `USHER_*` variable (or file) at fault; never
    /// contains secret values.
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid configuration ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

/// Reads every layer and validates the result into [`Settings`], or returns all problems.
pub fn load(opts: LoadOptions) -> Result<Loaded, ConfigError> {
    load_layered(&opts, &[])
}

/// Like [`load`], with the values saved in the console (`(key, value)`, secrets already
/// unsealed) as a layer between the TOML file and the environment. Startup keys and unknown
/// names among them are ignored with a warning.
pub fn load_layered(
    opts: &LoadOptions,
    database: &[(String, String)],
) -> Result<Loaded, ConfigError> {
    let layers = sources::collect(opts, database);
    let mut problems = layers.problems.clone();
    let mut warnings = layers.warnings.clone();
    match validate::validate(&layers, &mut warnings) {
        Ok(settings) if problems.is_empty() => Ok(Loaded { settings, warnings }),
        Ok(_) => Err(ConfigError { problems }),
        Err(mut more) => {
            problems.append(&mut more);
            Err(ConfigError { problems })
        }
    }
}
