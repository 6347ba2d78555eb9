//! Logging: one subscriber, `USHER_LOG` filter (default `info,sqlx=warn`), pretty or JSON, with
//! secrets and client addresses masked on every line.

mod mask;

use tracing_subscriber::EnvFilter;
use usher_core::config::{LogFormat, Settings};

/// Installs the global subscriber; logs go to stderr so stdout stays for what commands print.
pub fn init(settings: &Settings) {
    let filter = if settings.log == "info" {
        "info,sqlx=warn".to_owned()
    } else {
        settings.log.clone()
    };
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(mask::Masking(std::io::stderr));
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
