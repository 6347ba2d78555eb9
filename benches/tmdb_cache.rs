//! TMDB search through the cache: 10,000 repeated queries over a handful of titles from 100
//! concurrent callers, against the fake TMDB (with 20 ms of latency, so concurrent misses really
//! overlap). Prints the latency of cache hits (p50/p99) and how many calls reached TMDB — the
//! design target is one per distinct query, however many callers ask at once.
//! A benchmark, not a test: it prints figures and never fails on a time.
//!
//! Run: `cargo bench --bench tmdb_cache`

use std::time::{Duration, Instant};

use secrecy::SecretString;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::tmdb::{SearchQuery, TmdbClient, TmdbConfig};
use usher_testkit::tmdb;

const CALLERS: usize = 100;
const QUERIES_PER_CALLER: usize = 100;
const TITLES: [&str; 5] = [
    "Dune",
    "Inception",
    "Spirited Away",
    "Breaking Bad",
    "Arcane",
];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let fake = tmdb::start().await;
    fake.faults.set_latency(Duration::from_millis(20));
    let config = TmdbConfig::new(&fake.url, SecretString::from(tmdb::API_KEY));
    let client = TmdbClient::new(config, &HttpSettings::default())?;

    let started = Instant::now();
    let mut cold = round(&client).await?;
    let cold_elapsed = started.elapsed();
    let cold_calls = fake.received().len();

    let started = Instant::now();
    let mut warm = round(&client).await?;
    let warm_elapsed = started.elapsed();
    let total_calls = fake.received().len();

    let queries = CALLERS * QUERIES_PER_CALLER;
    println!(
        "tmdb_cache: {queries} searches per round, {CALLERS} concurrent callers, {} distinct queries, fake TMDB latency 20 ms",
        TITLES.len()
    );
    println!(
        "  round 1 (cache empty): upstream calls {cold_calls}, wall {cold_elapsed:?}, per search {}",
        summary(&mut cold)
    );
    println!(
        "  round 2 (all hits):    upstream calls {}, wall {warm_elapsed:?}, hit latency {}",
        total_calls - cold_calls,
        summary(&mut warm)
    );
    println!(
        "  upstream calls for {} searches: {total_calls} (target: {} = one per distinct query)",
        2 * queries,
        TITLES.len()
    );
    Ok(())
}

/// Every caller runs its queries back to back; returns each search's latency.
async fn round(client: &TmdbClient) -> anyhow::Result<Vec<Duration>> {
    let callers: Vec<_> = (0..CALLERS)
        .map(|caller| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(QUERIES_PER_CALLER);
                for n in 0..QUERIES_PER_CALLER {
                    let query = SearchQuery::new(TITLES[(caller + n) % TITLES.len()]);
                    let started = Instant::now();
                    client.search_multi(&query).await?;
                    latencies.push(started.elapsed());
                }
                Ok::<_, anyhow::Error>(latencies)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(CALLERS * QUERIES_PER_CALLER);
    for caller in callers {
        all.extend(caller.await??);
    }
    Ok(all)
}

fn summary(latencies: &mut [Duration]) -> String {
    latencies.sort_unstable();
    let at = |q: f64| {
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies.get(index).copied().unwrap_or_default()
    };
    format!("p50 {:?}, p99 {:?}, max {:?}", at(0.50), at(0.99), at(1.0))
}
