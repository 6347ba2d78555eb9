//! A member's whole Telegram flow through the `usher` binary, the figures issue 15 asks for:
//! `/movie <title>` → search card → Request → Radarr add, against the fake Bot API, the fake
//! TMDB and the fake Radarr of `usher-testkit` (all in this process, on loopback), with
//! SQLite in a temp folder. Members are Telegram admins, so their requests are approved at once
//! and every flow ends in a Radarr add; each flow asks for its own film (the fake TMDB's
//! synthetic shelf), so no flow follows another.
//!
//! Printed, per phase (one member at a time; then 20 and 100 members at once with Telegram's
//! flood limits on, as `usher serve` always runs them):
//! - CPU of the `usher` process per flow (every thread's `schedstat`), and one member at a time the
//!   part from the search to the card (flows one at a time are 50 ms apart, so the previous
//!   flow's notices are done; the long poll's share is in it);
//! - where that CPU goes: the part spent on sqlx's SQLite connection threads, and the thread
//!   switches per flow (each hand-off to those threads, or wait on the network, puts a thread to
//!   sleep and wakes it, which costs about as much as the work between);
//! - SQL statements per flow (`usher_db_statements_total` from `/metrics`, counted in the store);
//! - HTTP calls per flow to the fake Bot API (by method, long polls aside) and TMDB (by path);
//! - Radarr calls per add (requests the fake Radarr received, over the adds it made);
//! - latency percentiles of each step: search → card, press → answer, press → Radarr add;
//! - RSS after start-up and after the phases.
//!
//! Then the process is left idle with both bots configured (Telegram long polling the fake Bot
//! API, Discord holding the fake gateway) for `USHER_BENCH_IDLE_SECS` (default 60) and its CPU
//! over that time is printed.
//!
//! Run: `cargo bench --bench member_flow` (builds the release binary). `USHER_BENCH_FLOWS`
//! sets the one-member flows (default 100), `USHER_BENCH_IDLE_SECS` the idle measurement.

#[path = "chat_flow/mod.rs"]
mod chat_flow;
#[path = "common/mod.rs"]
mod common;
#[path = "process/mod.rs"]
mod process;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use chat_flow::{Card, Steps, press_until_added, print_steps};
use common::env_number;
use process::{SQLITE_THREADS, cpu_ns, cpu_of_threads, rss, thread_switches};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use usher_testkit::arr::FakeRadarr;
use usher_testkit::discord_gateway::FakeGateway;
use usher_testkit::server::FakeServer;
use usher_testkit::telegram::{FakeTelegram, FloodLimits, TOKEN, TgUser};
use usher_testkit::tmdb::catalogue::{SHELF_FROM, shelf_query};

const ARR_KEY: &str = "bench-radarr-key";
const FIRST_MEMBER: i64 = 1_000;
const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the last phase's paced messages get to go out before idling is measured.
const SETTLE: Duration = Duration::from_secs(10);
/// Members (all Telegram admins, so auto-approved): flows one at a time each take the next
/// member, so no flow waits for Telegram's one-message-a-second pacing of the chat before it.
const MEMBERS: i64 = 1_000;

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

/// Who makes a phase's flows.
#[derive(Clone, Copy)]
enum Members {
    /// A member Usher has not met yet, each flow (the first contact: the account is resolved
    /// from the database and its language recorded).
    New,
    /// One of the members of the first flows, again (the usual case: known, cached).
    Returning,
}

/// How many members the returning phase cycles through (each made a flow before it).
const RETURNING: i64 = 10;

/// The pause between flows run one at a time, so one flow's CPU does not land in the next.
const QUIET: Duration = Duration::from_millis(50);

/// What one flow took, step by step.
struct Flow {
    steps: Steps,
    /// Usher's CPU from the search to the card (exact only when flows run one at a time).
    search_cpu_ns: u64,
}

/// The fakes and the running binary.
struct Rig {
    telegram: FakeTelegram,
    radarr: FakeRadarr,
    tmdb: FakeServer,
    _gateway: FakeGateway,
    _discord: FakeServer,
    child: Child,
    pid: u32,
    base_url: String,
    http: reqwest::Client,
    next_film: u32,
}

async fn run() -> anyhow::Result<()> {
    let flows = env_number("USHER_BENCH_FLOWS", 100)?;
    let idle_secs = env_number("USHER_BENCH_IDLE_SECS", 60)?;
    let dir = tempfile::tempdir()?;
    let mut rig = Rig::start(dir.path(), MEMBERS).await?;
    println!(
        "member_flow: usher {} (pid {}), {} CPUs",
        usher_bin(),
        rig.pid,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!("RSS after start-up: {}", rss(rig.pid)?);

    // Warm-up: the first flow pays for connections and caches that every later one reuses.
    rig.phase("warm-up", 1, 1, Members::New).await?;
    rig.phase("one member at a time", 1, flows, Members::New)
        .await?;
    rig.phase(
        "one member at a time, members seen before",
        1,
        flows,
        Members::Returning,
    )
    .await?;
    rig.telegram.flood_control(FloodLimits::telegram());
    rig.phase("20 members at once", 20, 1, Members::New).await?;
    rig.phase("100 members at once", 100, 1, Members::New)
        .await?;
    println!("RSS after the flows: {}", rss(rig.pid)?);
    // Usher paces its messages within the limits, so Telegram should have refused none.
    println!(
        "messages refused by Telegram's flood limits: {}",
        rig.telegram.flood_refusals()
    );
    // Every flow asked for a film of its own, so TMDB's answers are part of that memory.
    let entries = rig.metric(r#"usher_cache_entries{cache="tmdb"}"#).await?;
    let bytes = rig.metric(r#"usher_cache_bytes{cache="tmdb"}"#).await?;
    println!(
        "  of which TMDB's cached answers, as its budget counts them: {:.1} MB in {entries} entries",
        bytes as f64 / (1024.0 * 1024.0),
    );

    // Let the last phase's paced messages go out before idling is measured.
    tokio::time::sleep(SETTLE).await;
    let statements = rig.statements().await?;
    let before = cpu_ns(rig.pid)?;
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let spent = ns_to_ms(cpu_ns(rig.pid)?.saturating_sub(before));
    let secs = started.elapsed().as_secs_f64();
    // The statement count is read over HTTP, which is not idle work: it comes after the CPU.
    let statements = rig.statements().await?.saturating_sub(statements);
    println!(
        "idle {secs:.0} s with Telegram long polling and the Discord gateway: {spent:.1} ms CPU ({:.3} ms per second), {statements} SQL statements (the outbox backstop)",
        spent / secs,
    );
    println!("RSS idle after the flows: {}", rss(rig.pid)?);
    rig.child.kill().await.ok();
    Ok(())
}

impl Rig {
    async fn start(dir: &Path, members: i64) -> anyhow::Result<Rig> {
        let telegram = FakeTelegram::start().await;
        let tmdb = usher_testkit::tmdb::start().await;
        let radarr = FakeRadarr::start(ARR_KEY).await;
        let gateway = FakeGateway::start().await;
        let discord = usher_testkit::discord::start_with_gateway(&gateway.url).await;
        let admins: Vec<String> = (0..members)
            .map(|i| (FIRST_MEMBER + i).to_string())
            .collect();
        let mut cmd = Command::new(usher_bin());
        cmd.current_dir(dir)
            .kill_on_drop(true)
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, _) in std::env::vars() {
            if name.starts_with("USHER_") {
                cmd.env_remove(name);
            }
        }
        // USHER_BENCH_LOG (a filter such as `warn,sqlx::query=debug`) turns on the binary's log,
        // written to USHER_BENCH_LOG_FILE (default usher-bench.log in the temp folder), to see
        // where statements and time go.
        let log = std::env::var("USHER_BENCH_LOG").unwrap_or_else(|_| "warn".into());
        let env = [
            ("USHER_LOG", log.as_str()),
            ("USHER_LISTEN", "127.0.0.1:0"),
            ("USHER_TELEGRAM_TOKEN", TOKEN),
            ("USHER_TELEGRAM_API_URL", telegram.url()),
            ("USHER_TELEGRAM_ADMIN_IDS", &admins.join(",")),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
            ("USHER_TMDB_API_URL", &tmdb.url),
            ("USHER_RADARR_URL", radarr.url()),
            ("USHER_RADARR_API_KEY", ARR_KEY),
            ("USHER_DISCORD_TOKEN", "fake-bot-token"),
            ("USHER_DISCORD_APPLICATION_ID", "4242"),
            ("USHER_DISCORD_API_URL", &discord.url),
            ("USHER_DISCORD_ADMIN_IDS", "7"),
        ];
        for (name, value) in env {
            cmd.env(name, value);
        }
        let mut child = cmd.spawn().context("spawn usher serve")?;
        let pid = child.id().context("usher's pid")?;
        let stdout = child.stdout.take().context("stdout")?;
        let stderr = child.stderr.take().context("stderr")?;
        // The log is drained from the start: a verbose USHER_BENCH_LOG fills the pipe before
        // "ready", and a child blocked on a full stderr never gets there.
        let log_file = std::env::var("USHER_BENCH_LOG_FILE")
            .map_or_else(|_| dir.join("usher-bench.log"), std::path::PathBuf::from);
        let mut sink = std::fs::File::create(&log_file)?;
        let mut log_lines = BufReader::new(stderr).lines();
        tokio::spawn(async move {
            use std::io::Write as _;
            while let Ok(Some(line)) = log_lines.next_line().await {
                let _ = writeln!(sink, "{line}");
            }
        });
        let mut lines = BufReader::new(stdout).lines();
        let mut base_url = None;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while let Some(line) = tokio::time::timeout_at(deadline, lines.next_line()).await?? {
            if let Some(url) = line.strip_prefix("listening on ") {
                base_url = Some(url.to_owned());
            }
            if line.starts_with("ready") {
                break;
            }
        }
        // Keep reading what it prints, so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        if gateway.wait_ready().await.is_none() {
            bail!("the Discord gateway never became ready");
        }
        Ok(Rig {
            telegram,
            radarr,
            tmdb,
            _gateway: gateway,
            _discord: discord,
            child,
            pid,
            base_url: base_url.context("no 'listening on' line")?,
            // A fresh connection per scrape: one kept idle through the settle and idle phases
            // may be closed by the server as the next scrape reuses it (a reset, not a figure).
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .context("HTTP client")?,
            next_film: 0,
        })
    }

    /// `rounds` rounds of `members` flows at once; prints the phase's figures.
    async fn phase(
        &mut self,
        name: &str,
        members: i64,
        rounds: usize,
        who: Members,
    ) -> anyhow::Result<()> {
        let before = self.tally().await?;
        let started = Instant::now();
        let mut done = Vec::new();
        for _ in 0..rounds {
            done.extend(self.round(members, who).await?);
            if members == 1 {
                // Let the flow's tail (its notices, the outbox) finish, so the next search's
                // CPU is the search's own.
                tokio::time::sleep(QUIET).await;
            }
        }
        let spent = self.tally().await?.since(&before);
        println!(
            "\n{name}: {} flows in {:.2} s",
            done.len(),
            started.elapsed().as_secs_f64()
        );
        report(&spent, &done, who, members == 1);
        Ok(())
    }

    /// `members` flows at once, each for a film of its own.
    async fn round(&mut self, members: i64, who: Members) -> anyhow::Result<Vec<Flow>> {
        let films: Vec<u32> = (0..members)
            .map(|_| {
                self.next_film += 1;
                self.next_film
            })
            .collect();
        let flows = films.into_iter().map(|film| {
            let id = match who {
                Members::New => FIRST_MEMBER + i64::from(film) % MEMBERS,
                Members::Returning => FIRST_MEMBER + 1 + i64::from(film) % RETURNING,
            };
            let member = TgUser::new(id, &format!("member{id}"));
            flow(&self.telegram, &self.radarr, self.pid, member, film)
        });
        futures_util::future::join_all(flows)
            .await
            .into_iter()
            .collect()
    }

    /// Every counter a phase's figures come from, as it stands now.
    async fn tally(&self) -> anyhow::Result<Tally> {
        Ok(Tally {
            cpu_ns: cpu_ns(self.pid)?,
            sqlite_ns: cpu_of_threads(self.pid, SQLITE_THREADS)?,
            switches: thread_switches(self.pid)?,
            statements: self.statements().await?,
            radarr_calls: self.radarr_calls(),
            adds: self.radarr.adds(),
            telegram: self.telegram_calls(),
            tmdb: self.tmdb_calls(),
        })
    }

    /// The process's statement counter, from `/metrics`.
    async fn statements(&self) -> anyhow::Result<u64> {
        self.metric("usher_db_statements_total").await
    }

    /// One whole-number figure from `/metrics`, by its name and labels as printed.
    async fn metric(&self, name: &str) -> anyhow::Result<u64> {
        let text = self
            .http
            .get(format!("{}/metrics", self.base_url))
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .with_context(|| format!("no {name} in /metrics"))?
            .trim()
            .parse()
            .with_context(|| format!("{name} is not a whole number"))
    }

    /// The Bot API calls the fake Telegram answered so far, by method.
    fn telegram_calls(&self) -> BTreeMap<String, usize> {
        count_by(self.telegram.calls().into_iter().map(|call| call.method))
    }

    /// The requests the fake TMDB received so far, by path (ids as `{id}`).
    fn tmdb_calls(&self) -> BTreeMap<String, usize> {
        count_by(self.tmdb.received().into_iter().map(|call| {
            let path: Vec<&str> = call
                .path
                .split('/')
                .enumerate()
                .map(|(at, part)| match part.parse::<u64>() {
                    // "/3/movie/603": the API version stays, the title's id goes.
                    Ok(_) if at > 1 => "{id}",
                    _ => part,
                })
                .collect();
            path.join("/")
        }))
    }

    /// Every request the fake Radarr received so far.
    fn radarr_calls(&self) -> usize {
        self.radarr.server.received().len()
    }
}

/// The counters behind a phase's figures: taken before and after it, the difference is what
/// the phase cost.
struct Tally {
    cpu_ns: u64,
    sqlite_ns: u64,
    switches: u64,
    statements: u64,
    radarr_calls: usize,
    adds: usize,
    telegram: BTreeMap<String, usize>,
    tmdb: BTreeMap<String, usize>,
}

impl Tally {
    /// What was counted since `earlier`.
    fn since(self, earlier: &Tally) -> Tally {
        Tally {
            cpu_ns: self.cpu_ns.saturating_sub(earlier.cpu_ns),
            sqlite_ns: self.sqlite_ns.saturating_sub(earlier.sqlite_ns),
            switches: self.switches.saturating_sub(earlier.switches),
            statements: self.statements.saturating_sub(earlier.statements),
            radarr_calls: self.radarr_calls.saturating_sub(earlier.radarr_calls),
            adds: self.adds.saturating_sub(earlier.adds),
            telegram: since(&earlier.telegram, self.telegram),
            tmdb: since(&earlier.tmdb, self.tmdb),
        }
    }
}

/// Prints a phase's figures: what `spent` cost per flow, and the latencies of `done`; with
/// flows run `alone` (one at a time), also the CPU from each search to its card.
fn report(spent: &Tally, done: &[Flow], who: Members, alone: bool) {
    let count = done.len().max(1) as f64;
    let per_flow = |n: f64| n / count;
    println!(
        "  usher CPU per flow:        {:.2} ms",
        per_flow(ns_to_ms(spent.cpu_ns))
    );
    println!(
        "  of which SQLite threads:   {:.2} ms",
        per_flow(ns_to_ms(spent.sqlite_ns))
    );
    if alone {
        let search: u64 = done.iter().map(|f| f.search_cpu_ns).sum();
        println!(
            "  of which search → card:    {:.2} ms",
            per_flow(ns_to_ms(search))
        );
    }
    println!(
        "  thread switches per flow:  {:.1}",
        per_flow(spent.switches as f64)
    );
    println!(
        "  SQL statements per flow:   {:.1}",
        per_flow(spent.statements as f64)
    );
    let named = |calls: &BTreeMap<String, usize>| {
        let each: Vec<String> = calls
            .iter()
            .map(|(name, n)| format!("{name} {:.1}", per_flow(*n as f64)))
            .collect();
        let total: usize = calls.values().sum();
        format!("{:.1} ({})", per_flow(total as f64), each.join(", "))
    };
    println!(
        "  HTTP calls per flow:       Telegram {} (long polls not counted), TMDB {}",
        named(&spent.telegram),
        named(&spent.tmdb),
    );
    let why = match who {
        Members::New => {
            "; every flow here is a new requester, whose usher-<name> tag is created once"
        }
        Members::Returning => "",
    };
    println!(
        "  Radarr calls per add:      {:.2} ({} calls, {} adds{why})",
        spent.radarr_calls as f64 / spent.adds.max(1) as f64,
        spent.radarr_calls,
        spent.adds,
    );
    print_steps(done.iter().map(|f| &f.steps));
}

/// One member: search their film, press Request on the card, wait for Radarr's add.
async fn flow(
    telegram: &FakeTelegram,
    radarr: &FakeRadarr,
    pid: u32,
    member: TgUser,
    film: u32,
) -> anyhow::Result<Flow> {
    let before = telegram.messages_in(member.id).len();
    let cpu_before = cpu_ns(pid)?;
    let searched = Instant::now();
    telegram.send_private(&member, &format!("/movie {}", shelf_query(film)));
    let card = telegram
        .wait_for(STEP_TIMEOUT, |f| {
            f.messages_in(member.id)
                .into_iter()
                .skip(before)
                .find_map(|m| Card::find(&m, |b| b["text"] == "Request"))
        })
        .await
        .context("no search card with a Request button")?;
    let search_to_card = searched.elapsed();
    let search_cpu_ns = cpu_ns(pid)?.saturating_sub(cpu_before);
    let tmdb_id = i64::from(SHELF_FROM + film);
    let (press_to_answer, press_to_add) =
        press_until_added(telegram, radarr, &member, &card, tmdb_id, STEP_TIMEOUT)
            .await
            .with_context(|| {
                format!("the press was not answered, or film {tmdb_id} never reached Radarr")
            })?;
    Ok(Flow {
        steps: Steps {
            search_to_card,
            press_to_answer,
            press_to_add,
        },
        search_cpu_ns,
    })
}

/// How many times each name occurs.
fn count_by(names: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    counts
}

/// The calls per name made between two counts (of [`Rig::telegram_calls`] or
/// [`Rig::tmdb_calls`]); names with none left out.
fn since(
    before: &BTreeMap<String, usize>,
    now: BTreeMap<String, usize>,
) -> BTreeMap<String, usize> {
    now.into_iter()
        .map(|(method, n)| {
            let earlier = before.get(&method).copied().unwrap_or(0);
            (method, n.saturating_sub(earlier))
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn usher_bin() -> &'static str {
    env!("CARGO_BIN_EXE_usher")
}

fn ns_to_ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}
