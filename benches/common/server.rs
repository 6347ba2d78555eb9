//! The real `usher serve` binary for benchmarks that measure through HTTP, and a console
//! session for it made the way the server makes one (a session row plus the JWT cookie signed
//! with the key derived from the master key).

use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use secrecy::SecretString;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use usher_core::crypto::MasterKeys;
use usher_core::domain::UserId;
use usher_core::service::Services;
use usher_core::service::sessions::ClientInfo;
use usher_web::console::session_cookie::SessionCodec;

/// A running `usher serve` over the benchmark's database.
pub struct Server {
    child: Child,
    /// Where it listens, `http://127.0.0.1:<port>`.
    pub base_url: String,
}

impl Server {
    /// Starts the binary on 127.0.0.1:0 with the master key and any further settings, and waits
    /// until it says it is ready.
    pub async fn start(
        database_url: &str,
        secret_key: &str,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_usher"));
        for (name, _) in std::env::vars() {
            if name.starts_with("USHER_") {
                cmd.env_remove(name);
            }
        }
        // USHER_BENCH_LOG (a filter such as `warn,sqlx::query=debug`) turns the binary's log up,
        // on this process's stderr, to see where statements and time go.
        let log = std::env::var("USHER_BENCH_LOG").unwrap_or_else(|_| "warn".into());
        let mut child = cmd
            .arg("serve")
            .env("USHER_LISTEN", "127.0.0.1:0")
            .env("USHER_DATABASE_URL", database_url)
            .env("USHER_SECRET_KEY", secret_key)
            .env("USHER_LOG", log)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("start usher serve")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        // It listens first and answers 503 until it has migrated and says "ready".
        let base_url = tokio::time::timeout(Duration::from_secs(60), async {
            let mut base_url = None;
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("listening on ") {
                    base_url = Some(url.to_owned());
                }
                if line.starts_with("ready") {
                    return base_url.context("ready before listening");
                }
            }
            anyhow::bail!("usher serve exited before it was ready")
        })
        .await
        .context("usher serve was not ready within 60 s")??;
        // Keep reading so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, base_url })
    }

    /// Resident and peak memory of the server process, in MiB, from /proc.
    pub fn memory(&self) -> Option<(f64, f64)> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
                .map(|kb| kb / 1024.0)
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }
}

/// A session for `user`, made as the server makes one, as a `Cookie` header value.
pub async fn session_cookie(
    services: &Services,
    user: UserId,
    secret_key: &str,
) -> anyhow::Result<String> {
    let session = services
        .sessions
        .start(user, "passkey", &ClientInfo::default())
        .await?;
    let keys = MasterKeys::from_secrets(&SecretString::from(secret_key), None)?;
    let cookie = SessionCodec::new(&keys.derive("console-session-jwt"), false).cookie(&session);
    Ok(format!("{}={}", cookie.name(), cookie.value()))
}
