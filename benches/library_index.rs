//! The library index at scale, the figures issue 16 asks for: a full pass over 3 media servers
//! (Jellyfin, Emby, Plex), each holding 100,000 movies and 10,000 shows (500,000 episodes), and 3
//! *arr instances (Radarr and a 4K Radarr with 100,000 movies each, Sonarr with the 10,000
//! shows), then an incremental pass after 100 changes, then lookups by TMDB id.
//!
//! The fakes run in a child process (this same binary, `USHER_BENCH_ROLE=fakes`), so the peak
//! RSS printed (VmHWM of this process) is the index's and the passes', not the fakes'. SQLite in
//! a temp folder. A benchmark prints figures; it never fails on a time.
//!
//! Run: `cargo bench --bench library_index` (release build). `USHER_BENCH_MOVIES` and
//! `USHER_BENCH_SHOWS` scale the libraries (defaults 100,000 and 10,000; shows get 5 seasons of
//! 10 episodes). The passes run on the runtime `usher serve` uses: one thread, or
//! `TOKIO_WORKER_THREADS` workers when that is set.

#[path = "common/mod.rs"]
mod common;

use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::{env_number, ms, percentile};
use secrecy::SecretString;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use usher_core::config::{ArrOptions, ArrSettings};
use usher_core::domain::{MediaType, SourceInfo, SourceKind, TmdbId};
use usher_core::index::LibraryIndex;
use usher_core::index::arr::ArrSource;
use usher_core::index::context::IndexSource;
use usher_core::index::jellyfin::JellyfinSource;
use usher_core::index::pass::Passes;
use usher_core::index::plex::PlexSource;
use usher_core::integrations::arr::{ArrClient, RadarrClient, SonarrClient};
use usher_core::integrations::http::HttpSettings;
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::{FakeJellyfin, FakePlex, FakeRadarr, FakeSonarr, Product};

const KEY: &str = "bench-key";
const SHOWS_FROM: u32 = 1_000_000;

fn main() -> anyhow::Result<()> {
    // The passes run in this process: hold glibc's mmap threshold as the binary does.
    usher::allocator::hold_malloc_settings();
    if std::env::var("USHER_BENCH_ROLE").as_deref() == Ok("fakes") {
        return common::run_on_runtime(fakes());
    }
    common::run_like_serve(run())
}

/// The child: fills the fakes, prints their URLs, then applies "change" lines from stdin
/// (100 new movies spread over the media servers, a download queued) until stdin closes.
async fn fakes() -> anyhow::Result<()> {
    let movies: u32 = env_number("USHER_BENCH_MOVIES", 100_000)?;
    let shows: u32 = env_number("USHER_BENCH_SHOWS", 10_000)?;
    let jellyfin = FakeJellyfin::start(KEY).await;
    let emby = FakeJellyfin::start_as(KEY, Product::Emby).await;
    let plex = FakePlex::start(KEY).await;
    let radarr = FakeRadarr::start(KEY).await;
    let radarr_4k = FakeRadarr::start(KEY).await;
    let sonarr = FakeSonarr::start(KEY).await;
    for server in [&jellyfin, &emby] {
        server.add_many_movies(1, movies);
        server.add_many_series(SHOWS_FROM, shows, 5, 10);
    }
    plex.add_many_movies(1, movies);
    plex.add_many_shows(SHOWS_FROM, shows, 5, 10);
    radarr.add_many_movies(1, i64::from(movies));
    radarr_4k.add_many_movies(1, i64::from(movies));
    sonarr.add_many_series(i64::from(SHOWS_FROM), i64::from(shows), 5, 10);
    println!(
        "ready {} {} {} {} {} {}",
        jellyfin.url(),
        emby.url(),
        plex.url(),
        radarr.url(),
        radarr_4k.url(),
        sonarr.url()
    );
    // tokio's stdin needs a feature the workspace does not enable: read it on a thread.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut next = movies + 1;
    while let Some(line) = rx.recv().await {
        if line.trim() == "change" {
            for n in 0..99 {
                match n % 3 {
                    0 => drop(jellyfin.add_movie(next, "New")),
                    1 => drop(emby.add_movie(next, "New")),
                    _ => drop(plex.add_movie(next, "New")),
                }
                next += 1;
            }
            radarr.queue_download(5, 1000.0, 400.0, None, "downloading");
            println!("changed");
        }
    }
    Ok(())
}

fn info(name: &str, kind: SourceKind, url: &str) -> SourceInfo {
    SourceInfo {
        name: name.to_owned(),
        kind,
        label: kind.product().to_owned(),
        public_url: Some(url.to_owned()),
        server_id: None,
    }
}

fn arr(url: &str) -> ArrSettings {
    ArrSettings {
        url: url.to_owned(),
        api_key: SecretString::from(KEY.to_owned()),
        quality_profile: None,
        root_folder: None,
    }
}

async fn run() -> anyhow::Result<()> {
    let movies: u32 = env_number("USHER_BENCH_MOVIES", 100_000)?;
    let shows: u32 = env_number("USHER_BENCH_SHOWS", 10_000)?;
    println!(
        "library index: 3 media servers with {movies} movies + {shows} shows ({} episodes) each; Radarr, Radarr 4K ({movies} movies each), Sonarr ({shows} shows)",
        shows * 50
    );
    let threads = std::env::var("TOKIO_WORKER_THREADS").unwrap_or_else(|_| "one thread".into());
    println!("runtime: {threads} (TOKIO_WORKER_THREADS; unset means one thread, as usher serve)");
    let filling = Instant::now();
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .env("USHER_BENCH_ROLE", "fakes")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("start the fakes")?;
    let mut out = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let mut stdin = child.stdin.take().context("stdin")?;
    let ready = out.next_line().await?.context("the fakes died")?;
    let urls: Vec<String> = ready
        .split_whitespace()
        .skip(1)
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(urls.len() == 6, "unexpected: {ready}");
    println!(
        "fakes filled in {:.1} s (child process)",
        filling.elapsed().as_secs_f64()
    );

    let http = HttpSettings::with_timeout(Duration::from_secs(300));
    let options = ArrOptions::default();
    let sources: Vec<Arc<dyn IndexSource>> = vec![
        Arc::new(JellyfinSource::new(
            info("jellyfin", SourceKind::Jellyfin, &urls[0]),
            &urls[0],
            KEY,
            &http,
        )?),
        Arc::new(JellyfinSource::new(
            info("emby", SourceKind::Emby, &urls[1]),
            &urls[1],
            KEY,
            &http,
        )?),
        Arc::new(PlexSource::new(
            info("plex", SourceKind::Plex, &urls[2]),
            &urls[2],
            KEY,
            &http,
        )?),
        Arc::new(ArrSource::new(
            info("radarr", SourceKind::Radarr, &urls[3]),
            ArrClient::Radarr(RadarrClient::new(
                "radarr",
                &arr(&urls[3]),
                &options,
                &http,
            )?),
            false,
        )),
        Arc::new(ArrSource::new(
            info("radarr-4k", SourceKind::Radarr, &urls[4]),
            ArrClient::Radarr(RadarrClient::new(
                "radarr-4k",
                &arr(&urls[4]),
                &options,
                &http,
            )?),
            true,
        )),
        Arc::new(ArrSource::new(
            info("sonarr", SourceKind::Sonarr, &urls[5]),
            ArrClient::Sonarr(SonarrClient::new(
                "sonarr",
                &arr(&urls[5]),
                &options,
                false,
                &http,
            )?),
            false,
        )),
    ];
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, &ConnectOptions::default()).await?;
    db.migrate().await?;
    println!("before the pass: {}", memory());

    let infos = sources.iter().map(|s| s.info().clone()).collect();
    let index = LibraryIndex::load(&db, infos).await?;
    let passes = Passes::new(db.clone(), index.clone(), sources.clone());
    let started = Instant::now();
    let report = passes
        .full(|s| {
            println!(
                "  {:<10} {:>7} titles in {:>6.1} s{}",
                s.name,
                s.items,
                s.duration.as_secs_f64(),
                s.error
                    .as_deref()
                    .map(|e| format!("  FAILED: {e}"))
                    .unwrap_or_default()
            );
        })
        .await?;
    let full = started.elapsed();
    let titles: usize = report.sources.iter().map(|s| s.items).sum();
    println!(
        "full pass (first, writes every title): {:.1} s for {titles} titles; {}",
        full.as_secs_f64(),
        memory()
    );
    let started = Instant::now();
    passes.full(|_| {}).await?;
    println!(
        "full pass (steady, nothing changed): {:.1} s; {}",
        started.elapsed().as_secs_f64(),
        memory()
    );

    stdin.write_all(b"change\n").await?;
    let answer = out.next_line().await?.context("the fakes died")?;
    anyhow::ensure!(answer == "changed", "unexpected: {answer}");
    let started = Instant::now();
    let report = passes.incremental().await?;
    let changed: usize = report.sources.iter().map(|s| s.changed).sum();
    println!(
        "incremental pass with 100 changes: {:.0} ms ({changed} titles written)",
        ms(started.elapsed())
    );

    println!("after the incremental pass: {}", memory());
    let mut samples = Vec::with_capacity(100_000);
    let mut present = 0usize;
    for n in 0..100_000u32 {
        let (media_type, id) = if n % 10 == 0 {
            (MediaType::Tv, SHOWS_FROM + (n * 7919) % shows.max(1))
        } else {
            (MediaType::Movie, 1 + (n * 7919) % (movies + 200))
        };
        let tmdb = TmdbId::parse(i64::from(id))?;
        let at = Instant::now();
        let status = index.status(media_type, tmdb);
        samples.push(at.elapsed());
        present += usize::from(status.present);
    }
    samples.sort();
    println!(
        "lookup by TMDB id (status across 6 sources, 100,000 lookups, {present} present): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        samples[samples.len() / 2].as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e6
    );
    println!("after the lookups: {}", memory());

    // A restart: the running index is gone before the new process loads its own.
    drop(passes);
    drop(index);
    let reload = Instant::now();
    let infos = sources.iter().map(|s| s.info().clone()).collect();
    let reloaded = LibraryIndex::load(&db, infos).await?;
    println!(
        "restart: index loaded from SQLite in {:.1} s ({} sources); {}",
        reload.elapsed().as_secs_f64(),
        reloaded.sources().len(),
        memory()
    );
    drop(reloaded);
    drop(stdin);
    let _ = child.wait().await;
    db.close().await;
    Ok(())
}

/// This process's RSS now and its peak (VmRSS, VmHWM).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
