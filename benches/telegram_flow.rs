//! The Telegram bot's whole flow against the fake Bot API, with zero-latency upstream fakes
//! (fake TMDB in process, SQLite in a temp folder). Prints figures; never fails on a time.
//!
//! **Throughput.** The bot runs in this process exactly as `usher serve` wires it (dispatcher on
//! long polling, notifier, core's notification fan-out, the send queue) against the fake Bot
//! API over loopback HTTP. Each round, every member searches (`/movie …` or `/tv …`, one of
//! eight titles), presses Request on the card, and the admin presses Approve for that request
//! in the admin chat: three updates a flow. Phases run one after the other (all searches, then
//! all presses, then all approvals), each with every member at once; a phase ends when the fake
//! has every answer. Between rounds the titles' claims are released in the database so the next
//! round makes new requests rather than following. Printed: updates per second over the whole
//! flow and per phase. Twice: with the send queue's limits off (the bot's own capacity), and
//! with Telegram's limits on and the fake in strict flood mode (then a search answer is a
//! message, at most 30 a second, while presses are answered at once).
//!
//! **Memory.** The release `usher` binary (`usher serve`, SQLite, the fake Bot API and TMDB of
//! this process) with 1,001 Telegram admins: RSS idle after start-up, then with 1,000 open
//! conversations — each admin pressed "Other reason…" on a pending request (25 presses a
//! second) and has a force-reply prompt waiting for their reason — and last after 1,000 other
//! chats pressed a button at the same moment. Open conversations live in the database, not in
//! the process; what a burst costs is teloxide's: its dispatcher keeps a worker per chat (with
//! its update queue) for as many chats as were ever busy at once.
//!
//! Run: `cargo bench --bench telegram_flow`. `USHER_BENCH_USERS` sets the members per round
//! (default 300), `USHER_BENCH_ROUNDS` the rounds (default 3).

#[path = "common/mod.rs"]
mod common;

use common::env_number;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use secrecy::SecretString;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use usher_bot::callback::{Action, CallbackCodec};
use usher_bot::telegram::{ChatId, Context, SendLimits, SendQueue, TelegramBot};
use usher_core::crypto::MasterKeys;
use usher_core::domain::Platform;
use usher_core::i18n::Catalog;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::tmdb::{RateLimit, TmdbClient, TmdbConfig};
use usher_core::notify::{Fanout, FanoutOptions};
use usher_core::service::{Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::telegram::{FakeTelegram, FloodLimits, TOKEN, TgUser};

const ADMIN: i64 = 100;
const ADMIN_CHAT: i64 = -100_123;
const FIRST_MEMBER: i64 = 1_000;
const SEARCHES: [&str; 8] = [
    "/movie inception",
    "/movie spirited away",
    "/movie 1917",
    "/movie dune part two",
    "/tv breaking bad",
    "/tv arcane",
    "/tv attack on titan",
    "/tv avatar",
];
const PHASE_TIMEOUT: Duration = Duration::from_secs(300);
const CONVERSATIONS: i64 = 1_000;
const FIRST_APPROVER: i64 = 10_000;
const FIRST_BURST: i64 = 20_000;
/// Callback signing follows `USHER_SECRET_KEY`, as in `usher serve`.
const SECRET: &str = "telegram-flow-benchmark-secret-key-0123456789";

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

async fn run() -> anyhow::Result<()> {
    let users = env_number("USHER_BENCH_USERS", 300)?;
    let rounds = env_number("USHER_BENCH_ROUNDS", 3)?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "telegram_flow: nproc {cpus}, tokio multi-thread with 2 workers; bot, fake Bot API and fake \
         TMDB in one process over loopback HTTP; SQLite"
    );
    println!(
        "\nthroughput, send limits off: {users} members a round, {rounds} rounds, \
         search → Request → Approve"
    );
    throughput(SendLimits::none(), None, users, rounds).await?;
    let limited = users.min(150);
    println!(
        "\nthroughput, Telegram's limits (send queue on, fake in strict flood mode): \
         {limited} members, 1 round"
    );
    throughput(
        SendLimits::telegram(),
        Some(FloodLimits::telegram()),
        limited,
        1,
    )
    .await?;
    println!("\nmemory of the release `usher serve` process");
    memory().await
}

/// The bot as `usher serve` wires it, in this process.
struct Rig {
    fake: FakeTelegram,
    _tmdb: usher_testkit::FakeServer,
    _dir: tempfile::TempDir,
    db: Db,
    codec: CallbackCodec,
    out: SendQueue,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Rig {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn rig(limits: SendLimits, flood: Option<FloodLimits>) -> anyhow::Result<Rig> {
    let fake = FakeTelegram::start().await;
    if let Some(flood) = flood {
        fake.flood_control(flood);
    }
    let tmdb = usher_testkit::tmdb::start().await;
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default()).await?;
    db.migrate().await?;
    let services = Services::new(db.clone());
    services
        .users
        .ensure_admins(Platform::Telegram, &[ADMIN.to_string()])
        .await?;
    let mut config = TmdbConfig::new(&tmdb.url, SecretString::from(usher_testkit::tmdb::API_KEY));
    config.rate_limit = RateLimit {
        per_second: std::num::NonZeroU32::new(10_000).context("rate")?,
        burst: std::num::NonZeroU32::new(10_000).context("burst")?,
    };
    let client = TmdbClient::new(config, &HttpSettings::default())?;
    let codec = CallbackCodec::new([7; 32], None);
    let out = SendQueue::new(limits);
    let context = Context {
        services,
        tmdb: Some(client),
        catalog: Arc::new(Catalog::embedded().map_err(anyhow::Error::msg)?),
        codec: codec.clone(),
        admin_chat: Some(ChatId(ADMIN_CHAT)),
        admin_topic: None,
        allowed_chats: Vec::new(),
        registration: Registration::AutoRegister(usher_core::domain::role::builtin::MEMBER),
        out: out.clone(),
    };
    let bot = TelegramBot::new(TOKEN, fake.url(), context)?;
    let notifier = bot.notifier();
    let fanout = Fanout::new(
        db.clone(),
        vec![Platform::Telegram],
        FanoutOptions::default(),
    );
    let tasks = vec![
        tokio::spawn(bot.run()),
        tokio::spawn(notifier.run()),
        tokio::spawn(async move { fanout.run(std::future::pending()).await }),
    ];
    // Started once the menus are registered and the first long poll is out.
    let started = Instant::now();
    while fake.commands("").is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            bail!("the bot did not start");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(Rig {
        fake,
        _tmdb: tmdb,
        _dir: dir,
        db,
        codec,
        out,
        tasks,
    })
}

/// Waits until the fake has made `count` calls of `method`.
async fn until(fake: &FakeTelegram, method: &str, count: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    while fake.count(method) < count {
        if started.elapsed() > PHASE_TIMEOUT {
            bail!("only {} of {count} {method} calls", fake.count(method));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(())
}

/// Messages with buttons sent to `chat`, newest first.
fn cards(fake: &FakeTelegram, chat: i64) -> Vec<Value> {
    let mut cards: Vec<Value> = fake
        .messages_in(chat)
        .into_iter()
        .filter(|m| m["reply_markup"]["inline_keyboard"].is_array())
        .collect();
    cards.reverse();
    cards
}

fn first_button(message: &Value) -> Option<String> {
    message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .map(str::to_owned)
}

async fn throughput(
    limits: SendLimits,
    flood: Option<FloodLimits>,
    members: usize,
    rounds: usize,
) -> anyhow::Result<()> {
    let rig = rig(limits, flood).await?;
    let users: Vec<TgUser> = (0..members)
        .map(|i| TgUser::new(FIRST_MEMBER + i as i64, &format!("member{i}")))
        .collect();
    let admin = TgUser::new(ADMIN, "boss");
    let mut phases = [Duration::ZERO; 3];
    for round in 0..rounds {
        let [search, request, approve] = flow_round(&rig, &users, &admin).await?;
        phases[0] += search;
        phases[1] += request;
        phases[2] += approve;
        println!(
            "  round {}: searches {search:.2?}, Request presses {request:.2?}, approvals {approve:.2?}",
            round + 1
        );
        release_claims(&rig.db).await?;
    }
    let flows = (members * rounds) as f64;
    let total: Duration = phases.iter().sum();
    let rate = |n: f64, d: Duration| n / d.as_secs_f64().max(f64::EPSILON);
    println!(
        "  whole flow: {:.0} updates/s ({} updates in {total:.2?}; {:.0} flows/s)",
        rate(3.0 * flows, total),
        3 * members * rounds,
        rate(flows, total)
    );
    println!(
        "  by phase: searches {:.0}/s, Request presses {:.0}/s, approvals {:.0}/s",
        rate(flows, phases[0]),
        rate(flows, phases[1]),
        rate(flows, phases[2])
    );
    let stats = rig.out.stats();
    println!(
        "  send queue: {} messages and edits sent, {} waited out a 429; fake refused {} for flood",
        stats.sent,
        stats.retried,
        rig.fake.flood_refusals()
    );
    if let Some(flood) = flood {
        let broken = flood.violations(&rig.fake.sent_log());
        println!("  Telegram's limits broken: {}", broken.len());
    }
    Ok(())
}

/// One round: every member searches, requests, and the admin approves; returns each phase's
/// wall time.
async fn flow_round(rig: &Rig, users: &[TgUser], admin: &TgUser) -> anyhow::Result<[Duration; 3]> {
    let fake = &rig.fake;
    let n = users.len();

    let searched = fake.count("sendphoto");
    let started = Instant::now();
    for (i, user) in users.iter().enumerate() {
        fake.send_private(user, SEARCHES[i % SEARCHES.len()]);
    }
    until(fake, "sendphoto", searched + n).await?;
    let search = started.elapsed();

    let mut requests = Vec::with_capacity(n);
    for user in users {
        let card = cards(fake, user.id).into_iter().next().context("a card")?;
        let data = first_button(&card).context("a Request button")?;
        let Ok(Action::Request { tmdb_id, .. }) = rig.codec.decode(&data) else {
            bail!("not a Request button: {data}");
        };
        let id = card["message_id"].as_i64().context("message id")?;
        requests.push((user, id, data, tmdb_id));
    }
    let answered = fake.count("answercallbackquery");
    let started = Instant::now();
    for (user, id, data, _) in &requests {
        fake.press(user, user.id, *id, data);
    }
    until(fake, "answercallbackquery", answered + n).await?;
    let request = started.elapsed();

    // The admin approves each member's request on its approver card (a follower's request is
    // the first asker's, which the first approval already decided: core refuses it, still a
    // full update). The cards come from the notifier; waiting for them is not timed.
    let pending = pending_by_title(&rig.db).await?;
    let cards = approver_cards(fake, &pending).await?;
    let mut approvals = Vec::with_capacity(n);
    for (_, _, _, tmdb_id) in &requests {
        let (request_id, card) = pending
            .iter()
            .zip(&cards)
            .find(|((t, _), _)| *t == i64::from(*tmdb_id))
            .map(|((_, id), card)| (*id, *card))
            .context("a pending request for the title")?;
        approvals.push((card, rig.codec.encode(&Action::Approve { request_id })));
    }
    let answered = fake.count("answercallbackquery");
    let started = Instant::now();
    for (card, data) in &approvals {
        fake.press(admin, ADMIN_CHAT, *card, data);
    }
    until(fake, "answercallbackquery", answered + n).await?;
    Ok([search, request, started.elapsed()])
}

/// The approver card's message id for each pending request, once the notifier posted them.
async fn approver_cards(fake: &FakeTelegram, pending: &[(i64, i64)]) -> anyhow::Result<Vec<i64>> {
    let started = Instant::now();
    loop {
        let posted = cards(fake, ADMIN_CHAT);
        let found: Option<Vec<i64>> = pending
            .iter()
            .map(|(_, id)| {
                let head = format!("New request #{id}:");
                posted
                    .iter()
                    .find(|c| c["text"].as_str().is_some_and(|t| t.starts_with(&head)))
                    .and_then(|c| c["message_id"].as_i64())
            })
            .collect();
        if let Some(found) = found {
            return Ok(found);
        }
        if started.elapsed() > PHASE_TIMEOUT {
            bail!("approver cards missing");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// (TMDB id, request id) of the requests made this round.
async fn pending_by_title(db: &Db) -> anyhow::Result<Vec<(i64, i64)>> {
    let Db::Sqlite(sqlite) = db else {
        bail!("SQLite only");
    };
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT tmdb_id, id FROM requests WHERE status = 'pending'")
            .fetch_all(&sqlite.pool)
            .await?;
    Ok(rows)
}

/// Frees the titles for the next round, as if they had been taken off the wanted list: the
/// claims are released and the round's requests closed, or the next round's cards would offer
/// no Request to members whose own request is still open.
async fn release_claims(db: &Db) -> anyhow::Result<()> {
    let Db::Sqlite(sqlite) = db else {
        bail!("SQLite only");
    };
    sqlx::query("UPDATE request_claims SET active = FALSE")
        .execute(&sqlite.pool)
        .await?;
    sqlx::query("UPDATE requests SET status = 'declined' WHERE status <> 'declined'")
        .execute(&sqlite.pool)
        .await?;
    Ok(())
}

/// VmRSS and VmHWM of a process, in MiB.
fn rss(pid: u32) -> anyhow::Result<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> anyhow::Result<f64> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .with_context(|| format!("{name} in /proc/{pid}/status"))?;
        let kib: f64 = line
            .split_whitespace()
            .nth(1)
            .context("a number")?
            .parse()?;
        Ok(kib / 1024.0)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

async fn memory() -> anyhow::Result<()> {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let dir = tempfile::tempdir()?;
    let mut admins: Vec<String> = (0..CONVERSATIONS)
        .map(|i| (FIRST_APPROVER + i).to_string())
        .collect();
    admins.push(ADMIN.to_string());
    let mut child = serve(dir.path(), &fake, &tmdb.url, &admins.join(","))?;
    let pid = child.id().context("pid")?;
    let started = Instant::now();
    while fake.commands("").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("usher serve did not start the bot");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = started.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle, _) = rss(pid)?;
    println!(
        "  idle after start-up ({} admins registered, bot polling; ready in {ready:.1?}): RSS {idle:.1} MiB",
        admins.len()
    );

    // One pending request to decline.
    let member = TgUser::new(7, "member");
    fake.send_private(&member, "/movie inception");
    let card = loop {
        if let Some(card) = cards(&fake, member.id).into_iter().next() {
            break card;
        }
        if started.elapsed() > Duration::from_secs(120) {
            bail!("no search card");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let data = first_button(&card).context("Request")?;
    let message = card["message_id"].as_i64().context("id")?;
    fake.press(&member, member.id, message, &data);
    until(&fake, "answercallbackquery", 1).await?;

    // Every approver presses "Other reason…" and is asked for the reason, at a steady 25
    // presses a second (under the 30 prompts a second the send queue lets out, as people
    // would, rather than all at once).
    let keys = MasterKeys::from_secrets(&SecretString::from(SECRET), None)?;
    let codec = CallbackCodec::new(keys.derive("callback-signing"), None);
    let other = codec.encode(&Action::DeclineOther { request_id: 1 });
    let prompts = fake.count("sendmessage");
    let asked = Instant::now();
    let mut pace = tokio::time::interval(Duration::from_millis(40));
    for i in 0..CONVERSATIONS {
        pace.tick().await;
        let approver = TgUser::new(FIRST_APPROVER + i, &format!("approver{i}"));
        fake.press(&approver, approver.id, 1, &other);
    }
    let presses = 1 + CONVERSATIONS as usize;
    until(&fake, "answercallbackquery", presses).await?;
    until(&fake, "sendmessage", prompts + CONVERSATIONS as usize).await?;
    let all_asked = asked.elapsed();
    let open = open_conversations(dir.path()).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (steady, _) = rss(pid)?;
    println!(
        "  with {open} open conversations (opened at 25/s, all prompted in {all_asked:.1?}): \
         RSS {steady:.1} MiB"
    );

    // Then 1,000 other chats press a button at the same moment.
    let noop = codec.encode(&Action::Noop);
    let burst = Instant::now();
    for i in 0..CONVERSATIONS {
        let member = TgUser::new(FIRST_BURST + i, &format!("burst{i}"));
        fake.press(&member, member.id, 1, &noop);
    }
    until(
        &fake,
        "answercallbackquery",
        presses + CONVERSATIONS as usize,
    )
    .await?;
    let answered = burst.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (after, peak) = rss(pid)?;
    println!(
        "  then 1,000 more chats pressing a button at once (all answered in {answered:.1?}): \
         RSS {after:.1} MiB, peak {peak:.1} MiB"
    );
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = tokio::time::timeout(Duration::from_secs(15), child.wait()).await;
    Ok(())
}

/// `usher serve` on the fakes, in `dir`.
fn serve(
    dir: &Path,
    fake: &FakeTelegram,
    tmdb: &str,
    admins: &str,
) -> anyhow::Result<tokio::process::Child> {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_usher"));
    for (name, _) in std::env::vars() {
        if name.starts_with("USHER_") {
            cmd.env_remove(name);
        }
    }
    let admin_chat = ADMIN_CHAT.to_string();
    cmd.arg("serve")
        .current_dir(dir)
        .kill_on_drop(true)
        .stdout(Stdio::piped())
        .env("USHER_LOG", "warn")
        .env("USHER_LISTEN", "127.0.0.1:0")
        .env("USHER_SECRET_KEY", SECRET)
        .env("USHER_TELEGRAM_TOKEN", TOKEN)
        .env("USHER_TELEGRAM_API_URL", fake.url())
        .env("USHER_TELEGRAM_ADMIN_CHAT_ID", &admin_chat)
        .env("USHER_TELEGRAM_ADMIN_IDS", admins)
        .env("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY)
        .env("USHER_TMDB_API_URL", tmdb);
    let mut child = cmd.spawn().context("spawn usher serve")?;
    // Drain what it prints, so it never blocks on a full pipe.
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(_)) = lines.next_line().await {}
        });
    }
    Ok(child)
}

async fn open_conversations(dir: &Path) -> anyhow::Result<i64> {
    let url = format!("sqlite://{}?mode=ro", dir.join("data/usher.db").display());
    let db = sqlx::SqlitePool::connect(&url).await?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM chat_dialogues")
        .fetch_one(&db)
        .await?;
    db.close().await;
    Ok(n)
}
