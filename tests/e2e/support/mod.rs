//! Test harness for `usher serve`: start it on port 0 in a temp folder — the app in this process,
//! or the binary in a child — read what it prints, talk to it over HTTP, stop it.

pub mod console_browser;
pub mod console_session;
pub mod discord;
pub mod fake_http;
mod in_process;
pub mod node_browser;
pub mod oidc;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// The compiled binary under test.
pub fn usher_bin() -> &'static str {
    env!("CARGO_BIN_EXE_usher")
}

/// A command for the binary, run in `dir` with a clean `USHER_*` environment.
pub fn usher(dir: &Path) -> Command {
    let mut cmd = Command::new(usher_bin());
    cmd.current_dir(dir).kill_on_drop(true);
    for (name, _) in std::env::vars() {
        if name.starts_with("USHER_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("USHER_LOG", "warn");
    cmd
}

/// `id` (a signed button id, ASCII) with the character at byte `at` changed, so its signature
/// no longer holds: what a forged or edited button sends.
pub fn tampered(id: &str, at: usize) -> String {
    let mut bytes = id.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ascii")
}

/// A running `usher serve`: the app built in this process ([`Server::start`]) or the binary in
/// a child process ([`Server::start_process`], for what only a process shows: exit codes,
/// signals, log lines, several replicas with their own process-wide state).
pub struct Server {
    pub base_url: String,
    pub setup_link: Option<String>,
    pub printed: Vec<String>,
    running: Running,
    /// Where and with what it was started, so [`Server::restart`] can start it again.
    dir: PathBuf,
    env: Vec<(String, String)>,
}

enum Running {
    InProcess(in_process::InProcess),
    Process(Box<ChildServer>),
}

/// The binary as a child process, with its stdout still read (so it never blocks writing).
struct ChildServer {
    child: Child,
    _lines: Lines<BufReader<ChildStdout>>,
}

/// How a server ended.
pub struct Ended {
    /// `None` when it stopped cleanly, else what went wrong.
    failure: Option<String>,
    /// The exit status, for a child process.
    pub status: Option<std::process::ExitStatus>,
}

impl Ended {
    /// Whether it stopped cleanly.
    pub fn success(&self) -> bool {
        self.failure.is_none()
    }
}

impl std::fmt::Debug for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.status, &self.failure) {
            (Some(status), _) => write!(f, "{status}"),
            (None, Some(failure)) => write!(f, "failed: {failure}"),
            (None, None) => write!(f, "stopped cleanly"),
        }
    }
}

/// Reads what a starting server prints until it has said it is ready (and the lines that
/// follow "ready": the setup link, what is not configured yet).
async fn read_start(
    mut next_line: impl AsyncFnMut() -> Option<String>,
) -> (Vec<String>, String, Option<String>) {
    let mut printed = Vec::new();
    let mut base_url = None;
    let mut setup_link = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let line = tokio::time::timeout_at(deadline, next_line())
            .await
            .expect("usher serve printed nothing in time")
            .unwrap_or_else(|| panic!("usher serve exited early; printed {printed:?}"));
        let line = message_of(line);
        if let Some(url) = line.strip_prefix("listening on ") {
            base_url = Some(url.to_owned());
        }
        if let Some((_, link)) = line.split_once("link within an hour: ") {
            setup_link = Some(link.to_owned());
        }
        let done = line.starts_with("not configured yet") || line.starts_with("note:");
        printed.push(line);
        if done
            || (base_url.is_some()
                && printed.iter().any(|l| l.starts_with("ready"))
                && !needs_more(&printed))
        {
            break;
        }
    }
    (printed, base_url.expect("listening line"), setup_link)
}

impl Server {
    /// Builds the app in this process ([`usher::app::App::build`]) as `usher serve` in `dir`
    /// with only `env` set would, serves it on 127.0.0.1:0 and waits until it says it is ready.
    pub async fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let (app, mut lines) = in_process::InProcess::start(dir, &env);
        let (printed, base_url, setup_link) = read_start(async || lines.recv().await).await;
        Server {
            base_url,
            setup_link,
            printed,
            running: Running::InProcess(app),
            dir: dir.to_owned(),
            env,
        }
    }

    /// Starts the `usher serve` binary on 127.0.0.1:0 and waits until it says it is ready.
    pub async fn start_process(dir: &Path, env: &[(&str, &str)]) -> Server {
        let mut cmd = usher(dir);
        cmd.arg("serve")
            .env("USHER_LISTEN", "127.0.0.1:0")
            .stdout(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn usher serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (printed, base_url, setup_link) =
            read_start(async || lines.next_line().await.expect("read stdout")).await;
        Server {
            base_url,
            setup_link,
            printed,
            running: Running::Process(Box::new(ChildServer {
                child,
                _lines: lines,
            })),
            dir: dir.to_owned(),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// Stops it cleanly and starts it again the same way on the same data folder (so the same
    /// signing key and database) and environment, as an upgrade or a reboot would; it listens
    /// on a new port.
    pub async fn restart(self) -> Server {
        let (dir, env) = (self.dir.clone(), self.env.clone());
        let in_process = matches!(self.running, Running::InProcess(_));
        let ended = self.stop().await;
        assert!(ended.success(), "usher stopped cleanly: {ended:?}");
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if in_process {
            Server::start(&dir, &env).await
        } else {
            Server::start_process(&dir, &env).await
        }
    }

    /// GET a path on the server.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        reqwest::get(format!("{}{path}", self.base_url))
            .await
            .expect("GET")
    }

    /// The process id of a server run as the binary (none in process).
    pub fn pid(&self) -> Option<u32> {
        match &self.running {
            Running::InProcess(_) => None,
            Running::Process(process) => process.child.id(),
        }
    }

    /// Ends it outright, as a crash (SIGKILL) would.
    pub async fn kill(mut self) {
        match &mut self.running {
            Running::InProcess(app) => app.kill().await,
            Running::Process(process) => {
                process.child.start_kill().expect("kill");
                let _ = process.child.wait().await;
            }
        }
    }

    /// Stops it as SIGTERM does and waits until it has.
    pub async fn stop(mut self) -> Ended {
        match &mut self.running {
            Running::InProcess(app) => Ended {
                failure: app.stop().await,
                status: None,
            },
            Running::Process(process) => {
                let child = &mut process.child;
                let pid = child.id().expect("pid");
                let status = std::process::Command::new("kill")
                    .args(["-TERM", &pid.to_string()])
                    .status();
                assert!(status.expect("kill").success());
                let status = tokio::time::timeout(Duration::from_secs(15), child.wait())
                    .await
                    .expect("usher stopped in time")
                    .expect("wait");
                Ended {
                    failure: (!status.success()).then(|| status.to_string()),
                    status: Some(status),
                }
            }
        }
    }
}

/// What a printed line says: the line itself, or with `USHER_LOG_FORMAT=json` the message of
/// the JSON object it is.
pub fn message_of(line: String) -> String {
    if !line.starts_with('{') {
        return line;
    }
    let parsed: serde_json::Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("a JSON line that does not parse ({e}): {line}"));
    parsed["fields"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("a JSON line without fields.message: {line}"))
        .to_owned()
}

/// After "ready", the server still prints the setup link and the unconfigured list.
fn needs_more(printed: &[String]) -> bool {
    !printed
        .iter()
        .any(|l| l.starts_with("not configured yet") || l.starts_with("note:"))
}

/// A temp folder that lives as long as the test.
pub fn temp_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// The outbox topics of chat notifications: events, and each platform's deliveries.
pub const NOTIFY_TOPICS: [&str; 3] = ["notify", "notify.telegram", "notify.discord"];

/// Waits until the server whose data folder is under `dir` has no work left on `topics`:
/// every row done, none claimed, none waiting for a retry. Everything the server sends or
/// submits goes through the outbox, so after this a test that counts what was sent knows
/// nothing more is on its way — instead of sleeping a while and hoping.
pub async fn outbox_settles(dir: &Path, topics: &[&str]) {
    use usher_core::store::{ConnectOptions, Db, outbox};
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default())
        .await
        .expect("the server's database");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mut left = Vec::new();
        for topic in topics {
            left.extend(outbox::pending(&db, topic).await.expect("outbox"));
        }
        if left.is_empty() {
            break;
        }
        let payloads: Vec<&str> = left.iter().map(|row| row.payload.as_str()).collect();
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox work left on {topics:?}: {payloads:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    db.close().await;
}

/// A fresh PostgreSQL database for one test, from `USHER_TEST_POSTGRES_URL`.
pub async fn postgres_database() -> String {
    use rand::Rng;
    use sqlx::Connection;
    let url = std::env::var("USHER_TEST_POSTGRES_URL")
        .expect("USHER_TEST_POSTGRES_URL must be set (the README's test command sets it)");
    let name = format!("usher_e2e_{:016x}", rand::rng().random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("postgres");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (base, _) = url.rsplit_once('/').expect("url has a database part");
    format!("{base}/{name}")
}

/// Writes `toml` as `usher.toml` in `dir` and returns its path, for `USHER_CONFIG`.
pub fn write_config(dir: &Path, toml: &str) -> String {
    let path = dir.join("usher.toml");
    std::fs::write(&path, toml).expect("usher.toml");
    path.display().to_string()
}

/// A fresh PostgreSQL database when a test walks on PostgreSQL, else `None` (its SQLite file).
pub async fn database_for(postgres: bool) -> Option<String> {
    if postgres {
        Some(postgres_database().await)
    } else {
        None
    }
}

/// Drops a database made by [`postgres_database`] (connections are closed by then).
pub async fn drop_database(url: &str) {
    use sqlx::Connection;
    let admin = std::env::var("USHER_TEST_POSTGRES_URL").expect("USHER_TEST_POSTGRES_URL");
    let name = url
        .rsplit_once('/')
        .map(|(_, n)| n.to_owned())
        .expect("database name");
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("postgres");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    .expect("drop database");
}
