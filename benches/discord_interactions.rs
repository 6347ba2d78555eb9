//! Discord interactions per second through the HTTP interactions endpoint of the real `usher`
//! binary (`POST /discord/interactions`, Ed25519-verified with a key the bench makes up, as the
//! e2e tests do), against the local fakes of TMDB and Discord's REST API. Two workloads:
//!
//! - **autocomplete (cache hit)**: `/request movie title:dune` typed, answered from the warm
//!   TMDB cache — the interaction a member sends on every keystroke;
//! - **full request flow**: one member's autocomplete → `/request movie` → **Request** press,
//!   then the approver's `/pending` → **Decline** press (the modal) → modal submit. Declining
//!   frees the title, so the loop can go on over the fake TMDB's six movies (an approval could
//!   happen once per title; its core cost is measured by `core_requests`).
//!
//! Each runs with 1 and with several concurrent callers (a flow's six interactions run in order;
//! parallel flows use different movies and members). It prints interactions per second, the
//! p50/p99/max latency of one interaction as the client sees it, and the server's resident
//! memory (VmRSS, and VmHWM, its peak) after each run. It prints figures, never fails on time;
//! unexpected answers are counted and the first few printed.
//!
//! Run: `cargo bench --bench discord_interactions` (a release build of `usher`).
//! `USHER_BENCH_OPS` sets the autocomplete interactions per run (default 4000); the flow runs a
//! sixth of that in flows.

#[path = "common/mod.rs"]
mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use ed25519_dalek::{Signer, SigningKey};
use rand::Rng;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;
use usher_testkit::{FakeServer, discord, tmdb};

use common::{ms, percentile};

const DEFAULT_OPS: usize = 4000;
const ADMIN_ID: u64 = 500_000_000_000_000_001;
const FIRST_MEMBER: u64 = 500_000_000_000_001_000;
const AUTOCOMPLETE_CALLERS: [usize; 2] = [1, 8];
const FLOW_CALLERS: [usize; 2] = [1, 4];
/// The fake TMDB's movies (id, title as a card shows it): one per parallel flow.
const MOVIES: [(&str, &str); 4] = [
    ("tmdb:438631", "Dune (2021)"),
    ("tmdb:27205", "Inception (2010)"),
    ("tmdb:530915", "1917 (2019)"),
    ("tmdb:841", "Dune (1984)"),
];

/// Signs and posts interactions as Discord would.
struct Client {
    key: SigningKey,
    url: String,
    http: reqwest::Client,
}

impl Client {
    /// Posts one interaction; returns the answer and how long the round trip took.
    async fn post(&self, body: &Value) -> anyhow::Result<(Value, Duration)> {
        let raw = serde_json::to_vec(body)?;
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)?
            .as_secs()
            .to_string();
        let signature = self.key.sign(&[timestamp.as_bytes(), &raw].concat());
        let hex: String = signature
            .to_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let start = Instant::now();
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("x-signature-ed25519", hex)
            .header("x-signature-timestamp", timestamp)
            .body(raw)
            .send()
            .await?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        let took = start.elapsed();
        if !status.is_success() {
            bail!("HTTP {status}: {answer}");
        }
        Ok((answer, took))
    }
}

/// What one run measured.
#[derive(Default)]
struct Run {
    latencies: Vec<Duration>,
    errors: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run_all())
}

async fn run_all() -> anyhow::Result<()> {
    let ops = match std::env::var("USHER_BENCH_OPS") {
        Ok(raw) => raw.parse().context("USHER_BENCH_OPS must be a number")?,
        Err(_) => DEFAULT_OPS,
    };
    let tmdb = tmdb::start().await;
    let rest = discord::start().await;
    let dir = tempfile::tempdir()?;
    let key = SigningKey::from_bytes(&rand::rng().random::<[u8; 32]>());
    let (mut child, base_url) = spawn_usher(dir.path(), &key, &tmdb, &rest).await?;
    let pid = child.id().context("usher pid")?;
    let client = Arc::new(Client {
        key,
        url: format!("{base_url}/discord/interactions"),
        http: reqwest::Client::new(),
    });
    print_machine(ops, pid);
    // Warm the TMDB cache, the database and the connection pool.
    for (id, _) in MOVIES {
        client.post(&typed("dune", FIRST_MEMBER)).await?;
        client.post(&command(id, FIRST_MEMBER)).await?;
    }
    print_header();
    for callers in AUTOCOMPLETE_CALLERS {
        let (run, elapsed) = autocomplete(&client, ops, callers).await;
        print_run("autocomplete (cache hit)", callers, &run, elapsed, pid);
    }
    let flows = (ops / 6).max(1);
    for callers in FLOW_CALLERS {
        let (run, elapsed) = full_flow(&client, flows, callers).await;
        print_run(
            "full request flow (6 interactions)",
            callers,
            &run,
            elapsed,
            pid,
        );
    }
    child.start_kill()?;
    child.wait().await?;
    drop(rest);
    drop(tmdb);
    Ok(())
}

/// `usher serve` (release build) in HTTP interactions mode on 127.0.0.1:0; returns its URL.
async fn spawn_usher(
    dir: &std::path::Path,
    key: &SigningKey,
    tmdb: &FakeServer,
    rest: &FakeServer,
) -> anyhow::Result<(Child, String)> {
    let public: String = key
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_usher"));
    cmd.current_dir(dir)
        .kill_on_drop(true)
        .stdout(Stdio::piped());
    for (name, _) in std::env::vars() {
        if name.starts_with("USHER_") {
            cmd.env_remove(name);
        }
    }
    let admin = ADMIN_ID.to_string();
    let app_id = discord::APPLICATION_ID.to_string();
    cmd.arg("serve").envs([
        ("USHER_LOG", "warn"),
        ("USHER_LISTEN", "127.0.0.1:0"),
        ("USHER_TMDB_API_KEY", tmdb::API_KEY),
        ("USHER_TMDB_API_URL", tmdb.url.as_str()),
        ("USHER_DISCORD_TOKEN", "bench-bot-token"),
        ("USHER_DISCORD_APPLICATION_ID", app_id.as_str()),
        ("USHER_DISCORD_PUBLIC_KEY", public.as_str()),
        ("USHER_DISCORD_API_URL", rest.url.as_str()),
        ("USHER_DISCORD_MODE", "http"),
        ("USHER_DISCORD_ADMIN_CHANNEL_ID", "777000000000000001"),
        ("USHER_DISCORD_ADMIN_IDS", admin.as_str()),
    ]);
    let mut child = cmd.spawn().context("spawn usher serve")?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut base_url = None;
    while let Some(line) =
        tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await??
    {
        if let Some(url) = line.strip_prefix("listening on ") {
            base_url = Some(url.to_owned());
        }
        if line.starts_with("ready") {
            break;
        }
    }
    // Keep reading so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, base_url.context("usher printed no listening line")?))
}

/// `callers` tasks send `ops` autocomplete interactions between them.
async fn autocomplete(client: &Arc<Client>, ops: usize, callers: usize) -> (Run, Duration) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|caller| {
            let client = client.clone();
            let share = ops / callers;
            tokio::spawn(async move {
                let mut run = Run::default();
                let body = typed("dune", FIRST_MEMBER + caller as u64);
                for _ in 0..share {
                    match client.post(&body).await {
                        Ok((answer, took)) if answer["type"] == 8 => run.latencies.push(took),
                        Ok((answer, _)) => run.errors.push(format!("autocomplete: {answer}")),
                        Err(err) => run.errors.push(err.to_string()),
                    }
                }
                run
            })
        })
        .collect();
    (join(tasks).await, start.elapsed())
}

/// `callers` parallel flows run `flows` flows between them, each on its own movie.
async fn full_flow(client: &Arc<Client>, flows: usize, callers: usize) -> (Run, Duration) {
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|caller| {
            let client = client.clone();
            let share = flows / callers;
            tokio::spawn(async move {
                let mut run = Run::default();
                let member = FIRST_MEMBER + 100 + caller as u64;
                for _ in 0..share {
                    if let Err(err) = one_flow(&client, MOVIES[caller], member, &mut run).await {
                        run.errors.push(err.to_string());
                    }
                }
                run
            })
        })
        .collect();
    (join(tasks).await, start.elapsed())
}

/// One member's request of `movie`, declined by the approver: six interactions.
async fn one_flow(
    client: &Client,
    (id, title): (&str, &str),
    member: u64,
    run: &mut Run,
) -> anyhow::Result<()> {
    let mut step = async |body: Value, want: &[u64]| -> anyhow::Result<Value> {
        let (answer, took) = client.post(&body).await?;
        if !answer["type"].as_u64().is_some_and(|t| want.contains(&t)) {
            bail!("expected type {want:?}, got {answer}");
        }
        run.latencies.push(took);
        Ok(answer)
    };
    step(typed("dune", member), &[8]).await?;
    let card = step(command(id, member), &[4]).await?;
    let shown = discord::message_with(&card["data"]["embeds"], &card["data"]["components"]);
    let request = custom_id(&card["data"], 0, 0)?;
    let asked = step(
        discord::button_press(&request, member, "member", &shown),
        &[4],
    )
    .await?;
    if !asked["data"]["content"]
        .as_str()
        .is_some_and(|t| t.starts_with("Requested"))
    {
        bail!("the request was not created: {asked}");
    }
    let pending = step(
        discord::slash_command("pending", json!([]), ADMIN_ID, "en-US"),
        &[4],
    )
    .await?;
    let data = &pending["data"];
    let row = data["embeds"]
        .as_array()
        .and_then(|embeds| embeds.iter().position(|e| e["title"] == title))
        .with_context(|| format!("{title} is not pending: {pending}"))?;
    let listed = discord::message_with(&data["embeds"], &data["components"]);
    let decline = custom_id(data, row, 1)?;
    let modal = step(
        discord::button_press(&decline, ADMIN_ID, "admin", &listed),
        &[9],
    )
    .await?;
    let modal_id = modal["data"]["custom_id"]
        .as_str()
        .context("modal custom_id")?;
    let input = modal["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .context("modal input")?;
    let submit = discord::modal_submit(modal_id, input, "bench", ADMIN_ID, "admin", &listed);
    step(submit, &[4, 7]).await?;
    Ok(())
}

/// The `title` autocomplete of `/request movie`, typed by `user`.
fn typed(text: &str, user: u64) -> Value {
    discord::request_command("movie", text, true, user, "en-US")
}

/// `/request movie title:<id>` with a chosen suggestion.
fn command(id: &str, user: u64) -> Value {
    discord::request_command("movie", id, false, user, "en-US")
}

fn custom_id(data: &Value, row: usize, button: usize) -> anyhow::Result<String> {
    data["components"][row]["components"][button]["custom_id"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no button {row}/{button} in {data}"))
}

async fn join(tasks: Vec<tokio::task::JoinHandle<Run>>) -> Run {
    let mut all = Run::default();
    for task in tasks {
        match task.await {
            Ok(run) => {
                all.latencies.extend(run.latencies);
                all.errors.extend(run.errors);
            }
            Err(err) => all.errors.push(format!("task failed: {err}")),
        }
    }
    all
}

fn print_machine(ops: usize, pid: u32) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name\t: "))
        .unwrap_or("unknown CPU");
    println!(
        "machine: nproc {cpus}, {model}; client: tokio multi-thread, 2 workers; server: usher \
         (release) on SQLite; {ops} autocomplete interactions and {} flows per run",
        (ops / 6).max(1)
    );
    println!("server memory after start and warm-up: {}", memory(pid));
}

fn print_header() {
    println!(
        "{:<36} {:>7} {:>7} {:>8} {:>9} {:>8} {:>8} {:>8} {:>6}  server memory",
        "workload",
        "callers",
        "inter.",
        "total s",
        "inter./s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors"
    );
}

fn print_run(name: &str, callers: usize, run: &Run, elapsed: Duration, pid: u32) {
    let mut sorted = run.latencies.clone();
    sorted.sort_unstable();
    let done = sorted.len();
    println!(
        "{name:<36} {callers:>7} {done:>7} {:>8.2} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>6}  {}",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        ms(percentile(&sorted, 0.50)),
        ms(percentile(&sorted, 0.99)),
        ms(sorted.last().copied().unwrap_or_default()),
        run.errors.len(),
        memory(pid),
    );
    for error in run.errors.iter().take(3) {
        println!("  error: {}", error.chars().take(300).collect::<String>());
    }
}

/// The server's VmRSS and VmHWM from /proc.
fn memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
