//! `usher check`: validate configuration (done before we get here), reach the database, check
//! every configured upstream (core's [`checkup`] report: versions, what Radarr/Sonarr offer and
//! whether the configured profiles and folders exist, the media servers' libraries), print it,
//! then what the database remembers of each library source's passes (a stale one with since
//! when and why), and say in the exit code which failed first.

use std::process::ExitCode;
use std::sync::Arc;

use usher_core::config::{LoadOptions, Settings};
use usher_core::crypto::MasterKeys;
use usher_core::index::sources;
use usher_core::index::verdict::{self, Verdict};
use usher_core::integrations::checkup;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::probe::SERVICES;
use usher_core::service::SettingsService;
use usher_core::store::{ConnectOptions, Db};

use crate::telemetry::say;

/// Exit code for an invalid configuration.
pub const EXIT_CONFIG: u8 = 1;
/// Exit code for an unreachable database.
pub const EXIT_DATABASE: u8 = 2;
/// Exit code of the first service in [`SERVICES`]; the others follow in order.
const EXIT_FIRST_SERVICE: u8 = 3;
/// Exit code for a library source whose every pass failed (after the services' codes).
pub const EXIT_LIBRARY: u8 = EXIT_FIRST_SERVICE + SERVICES.len() as u8;

/// Runs every check and prints one line per result. The settings saved in the console are
/// applied on top of `base` when the database and the secret key are there, as `serve` would.
pub async fn run(base: &Settings, options: LoadOptions) -> ExitCode {
    say!("configuration: ok");
    let db = Db::connect(base.database_url.as_str(), &ConnectOptions::default()).await;
    let mut effective = None;
    let mut library = Vec::new();
    let db_ok = match db {
        Ok(db) => {
            let ping = db.ping().await;
            if ping.is_ok() {
                effective = saved_settings(base, options, &db).await;
                library = library_verdicts(effective.as_ref().unwrap_or(base), &db).await;
            }
            db.close().await;
            ping
        }
        Err(err) => Err(err),
    };
    let settings = effective.as_ref().unwrap_or(base);
    let mut code = 0;
    match db_ok {
        Ok(()) => say!("database: ok ({})", settings.database_url),
        Err(err) => {
            say!("database: FAILED ({err})");
            code = EXIT_DATABASE;
        }
    }
    let mut first_failed: Option<usize> = None;
    for check in checkup::check_configured(settings).await {
        if check.ok() {
            say!("{}: {}", check.service, check.summary);
        } else {
            for problem in &check.problems {
                say!("{}: FAILED — {problem}", check.service);
            }
            let index = service_index(check.service);
            first_failed = Some(first_failed.map_or(index, |i| i.min(index)));
        }
        for detail in &check.details {
            say!("  {detail}");
        }
    }
    if code == 0
        && let Some(index) = first_failed
    {
        code = EXIT_FIRST_SERVICE + u8::try_from(index).unwrap_or(u8::MAX - EXIT_FIRST_SERVICE);
    }
    let library_failed = library.iter().any(|(_, v)| v.fails());
    for (name, verdict) in &library {
        say!("library {name}: {}", library_line(verdict));
    }
    if code == 0 && library_failed {
        code = EXIT_LIBRARY;
    }
    for missing in settings.not_configured() {
        say!("{missing}: not configured");
    }
    ExitCode::from(code)
}

/// The configuration with the console's saved settings, if they can be read without creating
/// anything (an unmigrated database or no secret key yet means there are none). `usher library
/// sync` reads them the same way, so it passes over the media servers added in the console.
pub(crate) async fn saved_settings(
    base: &Settings,
    options: LoadOptions,
    db: &Db,
) -> Option<Settings> {
    let keys = MasterKeys::load_existing(base).ok().flatten()?;
    let service = SettingsService::new(db.clone(), Arc::new(keys), options);
    match service.startup(base).await {
        Ok(started) => {
            for warning in &started.warnings {
                say!("note: {warning}");
            }
            Some(started.settings)
        }
        Err(_) => None,
    }
}

/// What the database remembers of each configured library source's passes (written by
/// `usher serve` or `usher library sync`); nothing when the sources cannot be built or read.
async fn library_verdicts(settings: &Settings, db: &Db) -> Vec<(String, Verdict)> {
    let http = HttpSettings::with_timeout(settings.http_timeout);
    let names: Vec<String> = match sources::from_settings(settings, &http) {
        Ok(all) => all.iter().map(|s| s.info().name.clone()).collect(),
        Err(err) => {
            say!("library: FAILED — {err}");
            return Vec::new();
        }
    };
    match verdict::verdicts(db, &names).await {
        Ok(verdicts) => verdicts,
        // An unmigrated database has no passes to report.
        Err(_) => names.into_iter().map(|n| (n, Verdict::Unlisted)).collect(),
    }
}

/// One source's line: fresh, stale since when and why (a warning: its last known titles are
/// kept), or failing (never listed).
fn library_line(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Fresh { items, at } => {
            format!("ok ({items} titles, last pass {})", at.to_rfc3339())
        }
        Verdict::Stale { since, why } => format!(
            "STALE since {} — {why} (its titles as of then are kept)",
            since.to_rfc3339()
        ),
        Verdict::Failing { why } => format!("FAILED — never listed: {why}"),
        Verdict::Unlisted => "not listed yet (run `usher library sync`)".to_owned(),
    }
}

/// Where a service stands in [`SERVICES`], which gives its exit code.
fn service_index(service: &str) -> usize {
    SERVICES
        .iter()
        .position(|s| *s == service)
        .unwrap_or(SERVICES.len())
}

/// GETs `/healthz` on the configured listen port over loopback; exit 0 when it answers 200.
pub async fn healthcheck(settings: &Settings) -> ExitCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let port = settings.listen.port();
    let probe = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await?;
        Ok::<_, std::io::Error>(
            reply.starts_with(b"HTTP/1.1 200") || reply.starts_with(b"HTTP/1.0 200"),
        )
    };
    match tokio::time::timeout(std::time::Duration::from_secs(3), probe).await {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}
