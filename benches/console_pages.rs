//! Every console page an admin opens, through the real `usher serve` binary on its default
//! SQLite: the time from sending the request to the last byte of the page, p50/p90/p99/max over
//! sequential samples on one keep-alive connection. The database holds a small community's
//! year (members, requests in every state, issues, audit entries); Radarr and TMDB are the
//! testkit's fakes, so the pages that show pick lists and posters do their real work. After a
//! warm-up the lists and TMDB answers come from the caches, as they do for an admin clicking
//! through. Timing starts once the server's workers have worked off the outbox rows the seeding
//! left (notices and submissions), so no backlog runs beside the pages. The figures include the
//! loopback HTTP round trip (about 0.1 ms). Prints figures,
//! never fails on time; the target is 1–2 ms per page.
//!
//! Run: `cargo bench --bench console_pages`. `USHER_BENCH_REPEATS` sets the samples per page
//! (default 300), `USHER_BENCH_REQUESTS` the seeded requests (default 2,000).

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use anyhow::Context;
use usher_core::domain::{
    Actor, IssueKind, Media, MediaType, Platform, RequestId, Source, TmdbId, User,
};
use usher_core::service::{NewIssue, NewRequest, Registration, Services};
use usher_core::store::{ConnectOptions, Db};
use usher_testkit::FakeRadarr;

use common::server::{Server, session_cookie};
use common::{env_number, ms, percentile};

const SECRET_KEY: &str = "console-pages-bench-master-key-0123456789";
const ARR_KEY: &str = "console-pages-arr-key";
const WARMUP: usize = 20;
/// Members who ask; the admin is one more.
const MEMBERS: usize = 40;
/// Titles the fake TMDB knows, asked for in turn (a request per member and title at most).
const TITLES: [(i64, &str, u16); 6] = [
    (603, "The Matrix", 1999),
    (438_631, "Dune", 2021),
    (27_205, "Inception", 2010),
    (550, "Fight Club", 1999),
    (157_336, "Interstellar", 2014),
    (680, "Pulp Fiction", 1994),
];

fn main() -> anyhow::Result<()> {
    common::run_on_runtime(run())
}

async fn run() -> anyhow::Result<()> {
    let repeats: usize = env_number("USHER_BENCH_REPEATS", 300)?;
    let wanted: usize = env_number("USHER_BENCH_REQUESTS", 2_000)?;
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("usher.db").display());
    let db = Db::connect(&url, &ConnectOptions::default()).await?;
    db.migrate().await?;
    let services = Services::new(db.clone());
    let seeded = seed(&services, wanted).await?;
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let tmdb = usher_testkit::tmdb::start().await;
    let images = format!("{}/t/p", tmdb.url);
    let server = Server::start(
        &url,
        SECRET_KEY,
        &[
            ("USHER_RADARR_URL", radarr.url()),
            ("USHER_RADARR_API_KEY", ARR_KEY),
            ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
            ("USHER_TMDB_API_URL", &tmdb.url),
            ("USHER_TMDB_IMAGE_URL", &images),
        ],
    )
    .await?;
    let drained = outbox_drained(&url).await?;
    let cookie = session_cookie(&services, seeded.admin.id, SECRET_KEY).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    println!(
        "machine: nproc {}; usher serve ({} build) on SQLite with {} requests from {MEMBERS} \
         members; {repeats} sequential samples per page after {WARMUP} warm-up loads; time = \
         request sent to last byte, loopback HTTP included",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        seeded.requests,
    );
    println!("{drained}");
    println!(
        "{:<48} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "page", "p50 ms", "p90 ms", "p99 ms", "max ms", "bytes"
    );
    for path in pages(&seeded) {
        let page = Page {
            client: &client,
            base_url: &server.base_url,
            cookie: &cookie,
            path: &path,
        };
        let (times, bytes) = page.sample(repeats).await?;
        println!(
            "{path:<48} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {bytes:>9}",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.90)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
        );
    }
    if let Some((rss, peak)) = server.memory() {
        println!("server memory after the pages: {rss:.1} MiB RSS, peak {peak:.1} MiB");
    }
    db.close().await;
    Ok(())
}

/// Waits until the server's workers have done what they can of the outbox rows the seeding
/// left (the notices of 2,000 requests' decisions and their submissions): until the rows due
/// stop going down for two seconds (rows for a platform this server does not run, Telegram or
/// Discord, stay). The pages are then timed on an otherwise idle server, not beside that
/// backlog. Says how long it took and what stayed, per topic.
async fn outbox_drained(url: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    const STILL: Duration = Duration::from_secs(2);
    let started = Instant::now();
    let mut conn = sqlx::SqliteConnection::connect(url).await?;
    let due_query =
        "SELECT topic, COUNT(*) FROM outbox WHERE done_at IS NULL GROUP BY topic ORDER BY topic";
    let mut last: Vec<(String, i64)> = Vec::new();
    let mut since = Instant::now();
    loop {
        let due: Vec<(String, i64)> = sqlx::query_as(due_query).fetch_all(&mut conn).await?;
        if due != last {
            (last, since) = (due, Instant::now());
        } else if since.elapsed() >= STILL || started.elapsed() > Duration::from_secs(300) {
            let stayed: Vec<String> = last.iter().map(|(t, n)| format!("{t} {n}")).collect();
            return Ok(format!(
                "outbox backlog of the seeding worked off in {:.1} s before timing (left: {})",
                started.elapsed().saturating_sub(STILL).as_secs_f64(),
                if stayed.is_empty() {
                    "none".into()
                } else {
                    stayed.join(", ")
                }
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The pages an admin opens, as `console_a11y` walks them.
fn pages(seeded: &Seeded) -> Vec<String> {
    vec![
        "/".to_owned(),
        "/requests".to_owned(),
        "/requests?status=pending".to_owned(),
        "/requests?q=dune&sort=title".to_owned(),
        format!("/requests/{}", seeded.pending),
        format!("/requests/{}", seeded.available),
        "/requests/new".to_owned(),
        "/requests/new?q=matrix".to_owned(),
        "/requests/new/movie/438631".to_owned(),
        "/issues".to_owned(),
        format!("/issues/{}", seeded.issue),
        "/library".to_owned(),
        "/users".to_owned(),
        "/users?role=member".to_owned(),
        format!("/users/{}", seeded.member.id),
        "/roles".to_owned(),
        "/settings".to_owned(),
        "/settings/media-servers".to_owned(),
        "/audit".to_owned(),
        "/account".to_owned(),
        "/notifications".to_owned(),
    ]
}

/// What the pages show, by id.
struct Seeded {
    admin: User,
    member: User,
    requests: usize,
    pending: RequestId,
    available: RequestId,
    issue: String,
}

/// Members, then requests in turn over the titles: most pending, every third approved, every
/// fifth available, every seventh declined; one issue report.
async fn seed(services: &Services, wanted: usize) -> anyhow::Result<Seeded> {
    let admin = person(services, "1", "Ada Admin", "admin").await?;
    let mut members = Vec::with_capacity(MEMBERS);
    for n in 0..MEMBERS {
        let id = (5_000 + n).to_string();
        members.push(person(services, &id, &format!("Member {n}"), "member").await?);
    }
    let system = Actor::system();
    let mut made = Vec::with_capacity(wanted);
    for n in 0..wanted {
        let member = &members[n % MEMBERS];
        let round = n / MEMBERS;
        // The first member's first requests are titles the fake TMDB knows (the pages opened
        // by id show their posters); the rest are distinct made-up ids.
        let (tmdb, title, year) = match TITLES.get(round) {
            Some(known) if n % MEMBERS == 0 => *known,
            _ => (20_000_000 + n as i64, "Made-up Title", 2000),
        };
        let request = services
            .requests
            .create(&asker(member), movie(tmdb, title, year))
            .await?
            .request
            .id;
        match n % 15 {
            3 | 6 | 9 | 12 => {
                services.requests.approve(&system, request).await?;
            }
            5 | 10 => {
                services.requests.approve(&system, request).await?;
                services
                    .requests
                    .mark_available(&system, request, true)
                    .await?;
            }
            7 => {
                services
                    .requests
                    .decline(&system, request, "Not this year")
                    .await?;
            }
            _ => {}
        }
        made.push(request);
    }
    // Request 0 is The Matrix, pending; request 40 (40 % 15 = 10) is Dune, available.
    let pending = made[0];
    let available = made[MEMBERS];
    let issue = services
        .issues
        .report(
            &asker(&members[0]),
            NewIssue {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(TITLES[1].0)?,
                kind: IssueKind::Audio,
                text: "The sound is out of sync from minute 40 on.".into(),
            },
        )
        .await?;
    Ok(Seeded {
        admin,
        member: members[0].clone(),
        requests: made.len(),
        pending,
        available,
        issue: issue.id.to_string(),
    })
}

async fn person(
    services: &Services,
    id: &str,
    name: &str,
    role: &'static str,
) -> anyhow::Result<User> {
    Ok(services
        .users
        .resolve(
            Platform::Telegram,
            id,
            name,
            Registration::AutoRegister(role),
        )
        .await?)
}

fn asker(member: &User) -> Actor {
    Actor::user(
        member.id,
        Source::Telegram {
            user: member.id.to_string(),
        },
    )
}

fn movie(tmdb: i64, title: &str, year: u16) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(tmdb).expect("a TMDB id"),
            tvdb_id: None,
            title: title.into(),
            year: Some(year),
        },
        seasons: Default::default(),
        future_seasons: false,
        four_k: false,
    }
}

/// One page on the shared connection.
struct Page<'a> {
    client: &'a reqwest::Client,
    base_url: &'a str,
    cookie: &'a str,
    path: &'a str,
}

impl Page<'_> {
    /// Warm-up loads, then `repeats` timed ones; every answer must be a 200 page. The sorted
    /// times and the page's size.
    async fn sample(&self, repeats: usize) -> anyhow::Result<(Vec<Duration>, usize)> {
        let mut bytes = 0;
        for _ in 0..WARMUP {
            bytes = self.load().await?;
        }
        let mut times = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let started = Instant::now();
            self.load().await?;
            times.push(started.elapsed());
        }
        times.sort_unstable();
        Ok((times, bytes))
    }

    async fn load(&self) -> anyhow::Result<usize> {
        let response = self
            .client
            .get(format!("{}{}", self.base_url, self.path))
            .header("cookie", self.cookie)
            .send()
            .await
            .with_context(|| format!("GET {}", self.path))?;
        let status = response.status();
        let body = response.bytes().await?;
        anyhow::ensure!(
            status == 200 && !body.is_empty(),
            "GET {} answered {status}",
            self.path
        );
        Ok(body.len())
    }
}
