//! The peer of issue 15's figures: Searcharr 3.2.2, a Python Telegram bot, driven through the
//! same member flow as `member_flow` drives Usher (`/movie` → card → Add → Radarr add), against
//! the same fake Bot API and fake Radarr (Searcharr searches Radarr itself; it has no TMDB).
//!
//! Searcharr is not ours and is not fetched here: `scripts/searcharr-peer.sh` prepares a copy
//! (tag v3.2.2, its requirements in a venv, pointed at a base URL for the Bot API) and runs this
//! bench with `USHER_BENCH_SEARCHARR` (the copy's folder) and `USHER_BENCH_PYTHON` (the venv's
//! python) set. Without them the bench says so and does nothing.
//!
//! Members sign in once (`/start <password>`), then each flow searches `tmdb:<id>` for a film of
//! its own. Printed, per phase (one member at a time; 20 and 100 at once; then 20 at once with
//! Telegram's flood limits on, as `member_flow` runs Usher's): CPU of the Searcharr process per
//! flow, Bot API and Radarr calls, latency percentiles of search → card, press → answer and
//! press → Radarr add, the flows lost (Searcharr logs a 429 and drops the message: no card, or
//! no add, within `LOST_AFTER`), and RSS; then its CPU while idle for `USHER_BENCH_IDLE_SECS`
//! (default 60).

#[path = "chat_flow/mod.rs"]
mod chat_flow;
#[path = "common/mod.rs"]
mod common;
#[path = "process/mod.rs"]
mod process;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use chat_flow::{Card, Steps, press_until_added, print_steps};
use common::env_number;
use process::{cpu_ns, rss, thread_switches};
use serde_json::Value;
use tokio::process::{Child, Command};
use usher_testkit::arr::FakeRadarr;
use usher_testkit::telegram::{FakeTelegram, FloodLimits, TOKEN, TgUser};

const ARR_KEY: &str = "bench-radarr-key";
const PASSWORD: &str = "bench-pass";
const FIRST_MEMBER: i64 = 1_000;
/// Synthetic films the fake Radarr's lookup knows by id, one per flow.
const FIRST_FILM: i64 = 5_000_000;
const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// A step not done within this is a lost flow: Searcharr does not retry what Telegram refused.
const LOST_AFTER: Duration = Duration::from_secs(20);
const QUIET: Duration = Duration::from_millis(50);

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

/// The fakes and the running peer.
struct Rig {
    telegram: FakeTelegram,
    radarr: FakeRadarr,
    child: Child,
    pid: u32,
    next_film: i64,
}

async fn run() -> anyhow::Result<()> {
    let (Ok(source), Ok(python)) = (
        std::env::var("USHER_BENCH_SEARCHARR"),
        std::env::var("USHER_BENCH_PYTHON"),
    ) else {
        println!(
            "searcharr_flow: USHER_BENCH_SEARCHARR and USHER_BENCH_PYTHON are not set; \
             scripts/searcharr-peer.sh prepares Searcharr 3.2.2 and runs this bench"
        );
        return Ok(());
    };
    let flows = env_number("USHER_BENCH_FLOWS", 100)?;
    let idle_secs = env_number("USHER_BENCH_IDLE_SECS", 60)?;
    let dir = tempfile::tempdir()?;
    let mut rig = Rig::start(Path::new(&source), &python, dir.path()).await?;
    println!("searcharr_flow: Searcharr in {source} (pid {})", rig.pid);
    println!("RSS after start-up: {}", rss(rig.pid)?);
    let members = 100;
    rig.sign_in(members).await?;
    rig.phase("warm-up", 1, 1).await?;
    rig.phase("one member at a time", 1, flows).await?;
    rig.phase("20 members at once, no flood limits", 20, 1)
        .await?;
    rig.phase("100 members at once, no flood limits", 100, 1)
        .await?;
    // The members' chats each had messages in the last second, which Telegram's one a second
    // per chat would refuse: the limits start on quiet chats, as for Usher.
    tokio::time::sleep(Duration::from_secs(2)).await;
    rig.telegram.flood_control(FloodLimits::telegram());
    rig.phase("20 members at once, Telegram's flood limits", 20, 1)
        .await?;
    println!("\nRSS after the flows: {}", rss(rig.pid)?);
    let before = cpu_ns(rig.pid)?;
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let spent = cpu_ns(rig.pid)?.saturating_sub(before) as f64 / 1e6;
    println!(
        "idle {idle_secs} s, long polling the fake Bot API: {spent:.1} ms CPU ({:.3} ms per second)",
        spent / idle_secs.max(1) as f64
    );
    rig.child.kill().await.ok();
    Ok(())
}

impl Rig {
    /// Copies Searcharr into `dir` (its database and logs start empty there), writes its
    /// settings and starts it against fresh fakes.
    async fn start(source: &Path, python: &str, dir: &Path) -> anyhow::Result<Rig> {
        let telegram = FakeTelegram::start().await;
        let radarr = FakeRadarr::start(ARR_KEY).await;
        let home = dir.join("searcharr");
        // Its log (stderr), to see why a flow stalls: USHER_BENCH_LOG_FILE, or the temp folder.
        let log = std::env::var("USHER_BENCH_LOG_FILE")
            .map_or_else(|_| dir.join("searcharr.log"), PathBuf::from);
        copy_sources(source, &home)?;
        std::fs::write(
            home.join("settings.py"),
            include_str!("peer/searcharr_settings.py"),
        )?;
        let mut child = Command::new(python)
            .current_dir(&home)
            .arg("searcharr.py")
            .arg("-c")
            .env("TG_TOKEN", TOKEN)
            .env("TG_BASE_URL", format!("{}/bot", telegram.url()))
            .env("RADARR_URL", radarr.url())
            .env("RADARR_KEY", ARR_KEY)
            .env("SEARCHARR_PASSWORD", PASSWORD)
            .kill_on_drop(true)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .context("start Searcharr")?;
        let pid = child.id().context("Searcharr's pid")?;
        // Polling starts right after deleteWebhook.
        let deadline = Instant::now() + STEP_TIMEOUT;
        while telegram.count("deletewebhook") == 0 {
            if let Ok(Some(status)) = child.try_wait() {
                bail!("Searcharr exited at start: {status}");
            }
            if Instant::now() > deadline {
                bail!("Searcharr never started polling");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(Rig {
            telegram,
            radarr,
            child,
            pid,
            next_film: FIRST_FILM,
        })
    }

    /// Each member signs in with the password once, as Searcharr asks before any search.
    async fn sign_in(&self, members: i64) -> anyhow::Result<()> {
        for id in FIRST_MEMBER..FIRST_MEMBER + members {
            let member = TgUser::new(id, &format!("member{id}"));
            self.telegram
                .send_private(&member, &format!("/start {PASSWORD}"));
            let reply = self
                .telegram
                .wait_for(STEP_TIMEOUT, |f| f.messages_in(id).into_iter().next())
                .await
                .with_context(|| format!("Searcharr never answered member {id}'s /start"))?;
            // Its English text: "Authentication successful. Use /help for commands."
            let text = reply["text"].as_str().unwrap_or_default();
            if !text.contains("successful") {
                bail!("Searcharr refused member {id}'s password: {text:?}");
            }
        }
        Ok(())
    }

    /// `rounds` rounds of `members` flows at once; prints the phase's figures.
    async fn phase(&mut self, name: &str, members: i64, rounds: usize) -> anyhow::Result<()> {
        let cpu = cpu_ns(self.pid)?;
        let switches = thread_switches(self.pid)?;
        let telegram = self.telegram.calls().len();
        let refused = self.telegram.flood_refusals();
        let radarr = self.radarr.server.received().len();
        let adds = self.radarr.adds();
        let started = Instant::now();
        let mut done = Vec::new();
        let mut lost = 0;
        for _ in 0..rounds {
            let flows = (0..members).map(|at| {
                self.next_film += 1;
                let id = FIRST_MEMBER + at;
                let member = TgUser::new(id, &format!("member{id}"));
                flow(&self.telegram, &self.radarr, member, self.next_film)
            });
            let flows: Vec<_> = flows.collect();
            for flow in futures_util::future::join_all(flows).await {
                match flow? {
                    Some(flow) => done.push(flow),
                    None => lost += 1,
                }
            }
            if members == 1 {
                tokio::time::sleep(QUIET).await;
            }
        }
        if done.is_empty() {
            bail!("{name}: every flow was lost");
        }
        let count = done.len() as f64;
        println!(
            "\n{name}: {} flows in {:.2} s, {lost} lost",
            done.len(),
            started.elapsed().as_secs_f64()
        );
        let spent = cpu_ns(self.pid)?.saturating_sub(cpu) as f64 / 1e6;
        println!("  Searcharr CPU per flow:    {:.2} ms", spent / count);
        let switched = thread_switches(self.pid)?.saturating_sub(switches);
        println!(
            "  thread switches per flow:  {:.1}",
            switched as f64 / count
        );
        let sent = self.telegram.calls().len().saturating_sub(telegram);
        println!(
            "  Bot API calls per flow:    {:.1} (long polls not counted)",
            sent as f64 / count
        );
        let refused = self.telegram.flood_refusals().saturating_sub(refused);
        if refused > 0 {
            println!(
                "  refused by flood limits:   {refused} messages (Searcharr does not send them again)"
            );
        }
        let asked = self.radarr.server.received().len().saturating_sub(radarr);
        let added = self.radarr.adds().saturating_sub(adds);
        println!(
            "  Radarr calls per flow:     {:.2} (search included; {asked} calls, {added} adds)",
            asked as f64 / count
        );
        print_steps(done.iter());
        Ok(())
    }
}

/// One member: search their film, press Add on the card (its callback data ends in `^^^add`),
/// wait for Radarr's add. `None` when a step never came (lost).
async fn flow(
    telegram: &FakeTelegram,
    radarr: &FakeRadarr,
    member: TgUser,
    film: i64,
) -> anyhow::Result<Option<Steps>> {
    let before = telegram.messages_in(member.id).len();
    let searched = Instant::now();
    telegram.send_private(&member, &format!("/movie tmdb:{film}"));
    let is_add = |b: &Value| {
        b["callback_data"]
            .as_str()
            .is_some_and(|d| d.ends_with("^^^add"))
    };
    let card = telegram
        .wait_for(LOST_AFTER, |f| {
            f.messages_in(member.id)
                .into_iter()
                .skip(before)
                .find_map(|m| Card::find(&m, is_add))
        })
        .await;
    let Some(card) = card else {
        return Ok(None);
    };
    let search_to_card = searched.elapsed();
    let pressed = press_until_added(telegram, radarr, &member, &card, film, LOST_AFTER).await;
    Ok(pressed.map(|(press_to_answer, press_to_add)| Steps {
        search_to_card,
        press_to_answer,
        press_to_add,
    }))
}

/// Copies Searcharr's sources (its Python files and language folder), not its data or logs.
fn copy_sources(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let path = entry?.path();
        let name = path.file_name().context("a file name")?;
        let target: PathBuf = to.join(name);
        if path.is_dir() {
            if name == "lang" {
                copy_sources(&path, &target)?;
            }
        } else if path.extension().is_some_and(|e| e == "py" || e == "yml") {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}
