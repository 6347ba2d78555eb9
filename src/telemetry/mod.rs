//! Logging: one subscriber, `USHER_LOG` filter (default `info,sqlx=warn`), pretty or JSON, with
//! secrets and client addresses masked on every line. What commands print for the operator
//! (`listening on …`, `ready …`, the setup link) goes through [`say!`], and errors at exit
//! through [`shout`], so with `USHER_LOG_FORMAT=json` every line the process writes, on stdout
//! and stderr alike, is one JSON object (a panic's message too).

mod mask;

use std::io::Write;
use std::sync::OnceLock;

use tracing_subscriber::EnvFilter;
use usher_core::config::{LogFormat, Settings};
use usher_core::domain::Timestamp;

/// The output format, once [`init`] has read it.
static FORMAT: OnceLock<LogFormat> = OnceLock::new();

/// Installs the global subscriber; logs go to stderr so stdout stays for what commands print.
pub fn init(settings: &Settings) {
    let _ = FORMAT.set(settings.log_format);
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
    if settings.log_format == LogFormat::Json {
        std::panic::set_hook(Box::new(|panic| {
            let line = json_line("ERROR", &format!("panic: {panic}"));
            let _ = writeln!(std::io::stderr().lock(), "{}", mask::mask_line(&line));
        }));
    }
}

/// Prints a line for the operator on stdout, as it is or, in JSON mode, as the message of a
/// JSON object shaped like the log lines (`timestamp`, `level`, `fields.message`, `target`).
/// Not masked: these lines are meant to be read (the one-time setup link is one).
pub fn say_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = if is_json() {
        writeln!(out, "{}", json_line("INFO", line))
    } else {
        writeln!(out, "{line}")
    };
}

/// Prints an error on stderr, as it is or as a JSON object. Before [`init`] (the configuration
/// did not load) JSON is chosen by `USHER_LOG_FORMAT` in the environment alone.
pub fn shout(line: &str) {
    let json = FORMAT.get().map_or_else(
        || std::env::var("USHER_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json")),
        |format| *format == LogFormat::Json,
    );
    let mut err = std::io::stderr().lock();
    let _ = if json {
        writeln!(err, "{}", mask::mask_line(&json_line("ERROR", line)))
    } else {
        writeln!(err, "{line}")
    };
}

fn is_json() -> bool {
    FORMAT.get() == Some(&LogFormat::Json)
}

/// One line in the shape of tracing-subscriber's JSON events.
fn json_line(level: &str, message: &str) -> String {
    serde_json::json!({
        "timestamp": Timestamp::now().to_rfc3339(),
        "level": level,
        "fields": { "message": message },
        "target": "usher",
    })
    .to_string()
}

/// `println!` for what a command tells the operator: JSON in JSON mode (see [`say_line`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::telemetry::say_line(&format!($($arg)*))
    };
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::json_line;

    #[test]
    fn json_lines_parse_and_carry_the_message() {
        let line = json_line("INFO", "listening on http://127.0.0.1:8080 \"quoted\"\n");
        assert!(!line.contains('\n'), "one line: {line}");
        let parsed: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(
            parsed["fields"]["message"],
            "listening on http://127.0.0.1:8080 \"quoted\"\n"
        );
        assert_eq!(parsed["level"], "INFO");
        assert!(
            parsed["timestamp"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z'))
        );
    }
}
