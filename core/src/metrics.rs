//! Process metrics for `/metrics`: bot interactions (counted by the bot adapters), upstream call
//! latency and errors (counted in the one HTTP layer), and figures read from the database at
//! scrape time (requests by status, outbox queue depth by topic), so every replica reports the
//! same shared numbers.
//!
//! The counters live in one process-wide [`Metrics`] ([`global`]) instead of being threaded
//! through every client constructor: a metrics registry describes the process, the HTTP layer is
//! built in several places, and a counter shared by two apps in one test process is harmless.
//! [`Metrics::new`] still gives tests a private one.

use std::sync::OnceLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::domain::RequestStatus;
use crate::error::CoreResult;
use crate::store::{Db, figures};

/// The `Content-Type` of [`Metrics::encode`]'s text (OpenMetrics, which Prometheus reads).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InteractionLabels {
    platform: &'static str,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    upstream: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamErrorLabels {
    upstream: &'static str,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PlatformLabels {
    platform: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    cache: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TopicLabels {
    topic: String,
}

type LatencyFamily = Family<UpstreamLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 5 ms … ~10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// The counters and histograms of one process.
pub struct Metrics {
    registry: Registry,
    bot_interactions: Family<InteractionLabels, Counter>,
    upstream_latency: LatencyFamily,
    upstream_errors: Family<UpstreamErrorLabels, Counter>,
    chat_bots: Family<PlatformLabels, Gauge>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh set of metrics, all zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("usher");
        let bot_interactions = Family::<InteractionLabels, Counter>::default();
        registry.register(
            "bot_interactions",
            "Interactions received by the chat bots, by platform and kind",
            bot_interactions.clone(),
        );
        let upstream_latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "upstream_request_duration_seconds",
            "Duration of each HTTP attempt to an upstream (TMDB, Radarr, Sonarr, Jellyfin, Plex)",
            upstream_latency.clone(),
        );
        let upstream_errors = Family::<UpstreamErrorLabels, Counter>::default();
        registry.register(
            "upstream_errors",
            "Failed HTTP attempts to an upstream, by kind of failure",
            upstream_errors.clone(),
        );
        registry.register(
            "db_statements",
            "SQL statements this process sent to the database (each query, BEGIN and COMMIT)",
            crate::store::STATEMENTS.clone(),
        );
        let chat_bots = Family::<PlatformLabels, Gauge>::default();
        registry.register(
            "chat_bot_up",
            "1 while a chat bot receives updates, 0 while it tries to reach its platform, -1 on standby (another replica leads)",
            chat_bots.clone(),
        );
        Self {
            registry,
            bot_interactions,
            upstream_latency,
            upstream_errors,
            chat_bots,
        }
    }

    /// Counts one interaction a bot received (`platform`: `telegram`, `discord`; `kind`:
    /// `command`, `message`, `button`, `autocomplete`, …).
    pub fn bot_interaction(&self, platform: &'static str, kind: &'static str) {
        self.bot_interactions
            .get_or_create(&InteractionLabels { platform, kind })
            .inc();
    }

    /// Records one HTTP attempt to an upstream: how long it took and, if it failed, how.
    pub fn upstream_call(
        &self,
        upstream: &'static str,
        took: Duration,
        error: Option<&'static str>,
    ) {
        self.upstream_latency
            .get_or_create(&UpstreamLabels { upstream })
            .observe(took.as_secs_f64());
        if let Some(kind) = error {
            self.upstream_error(upstream, kind);
        }
    }

    /// Records what a chat bot is doing (see [`crate::health`]).
    pub fn chat_bot_state(&self, platform: &'static str, state: crate::health::DoorState) {
        let value = match state {
            crate::health::DoorState::Up => 1,
            crate::health::DoorState::Connecting => 0,
            crate::health::DoorState::Standby => -1,
        };
        self.chat_bots
            .get_or_create(&PlatformLabels { platform })
            .set(value);
    }

    /// Counts a failure that made no HTTP attempt (e.g. the circuit breaker refused).
    pub fn upstream_error(&self, upstream: &'static str, kind: &'static str) {
        self.upstream_errors
            .get_or_create(&UpstreamErrorLabels { upstream, kind })
            .inc();
    }

    /// The whole exposition: this process's counters plus the database figures.
    pub fn encode(&self, figures: &Figures) -> String {
        let mut scrape = Registry::with_prefix("usher");
        let requests = Family::<StatusLabels, Gauge>::default();
        for status in RequestStatus::ALL {
            let count = figures
                .requests_by_status
                .iter()
                .find(|(name, _)| name == status.as_str())
                .map_or(0, |(_, n)| *n);
            requests
                .get_or_create(&StatusLabels {
                    status: status.as_str(),
                })
                .set(count);
        }
        scrape.register("requests", "Requests by status", requests);
        let outbox = Family::<TopicLabels, Gauge>::default();
        for (topic, depth) in &figures.outbox_by_topic {
            outbox
                .get_or_create(&TopicLabels {
                    topic: topic.clone(),
                })
                .set(*depth);
        }
        scrape.register(
            "outbox_queue_depth",
            "Outbox events not delivered yet, by topic",
            outbox,
        );
        self.encode_library(&mut scrape, figures);
        encode_caches(&mut scrape, &figures.caches);
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode_registry(&mut text, &self.registry);
        let _ = encode_registry(&mut text, &scrape);
        let _ = encode_eof(&mut text);
        text
    }
}

impl Metrics {
    /// The library index's figures per source: titles held, last full pass's duration, time
    /// of the last successful pass, failed passes, staleness.
    fn encode_library(&self, scrape: &mut Registry, figures: &Figures) {
        let items = Family::<SourceLabels, Gauge>::default();
        let duration = Family::<SourceLabels, Gauge<f64, std::sync::atomic::AtomicU64>>::default();
        let success = Family::<SourceLabels, Gauge>::default();
        let errors = Family::<SourceLabels, Gauge>::default();
        let stale = Family::<SourceLabels, Gauge>::default();
        for source in &figures.library_sources {
            let labels = SourceLabels {
                source: source.name.clone(),
                kind: source.kind.as_str(),
            };
            let health = &source.health;
            items.get_or_create(&labels).set(clamp(health.items));
            let secs = health.duration_ms.unwrap_or(0) as f64 / 1000.0;
            duration.get_or_create(&labels).set(secs);
            let last = health.last_success.map_or(0, |t| t.0 / 1000);
            success.get_or_create(&labels).set(last);
            errors.get_or_create(&labels).set(clamp(health.errors));
            stale.get_or_create(&labels).set(i64::from(health.stale));
        }
        scrape.register("library_items", "Titles each library source holds", items);
        scrape.register(
            "library_pass_duration_seconds",
            "How long each source's last full pass took",
            duration,
        );
        scrape.register(
            "library_last_success_timestamp_seconds",
            "When each source's last successful pass ended (Unix time; 0: never)",
            success,
        );
        scrape.register("library_pass_errors", "Failed passes per source", errors);
        scrape.register(
            "library_source_stale",
            "1 when a source's last pass failed and its last known titles are served",
            stale,
        );
    }
}

/// A count as a gauge's value (an `i64`); a count beyond it reads as the largest one.
fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What each in-memory cache holds: an operator sees how much of Usher's memory is answers
/// kept for later (bounded by the cache's budget) rather than work in flight.
fn encode_caches(scrape: &mut Registry, caches: &[CacheFigure]) {
    let entries = Family::<CacheLabels, Gauge>::default();
    let bytes = Family::<CacheLabels, Gauge>::default();
    for figure in caches {
        let labels = CacheLabels {
            cache: figure.cache,
        };
        entries.get_or_create(&labels).set(clamp(figure.entries));
        bytes.get_or_create(&labels).set(clamp(figure.bytes));
    }
    scrape.register(
        "cache_entries",
        "Entries each in-memory cache holds",
        entries,
    );
    scrape.register(
        "cache_bytes",
        "Bytes each in-memory cache holds, as its budget counts them (an estimate for TMDB's answers, the image bytes for its images)",
        bytes,
    );
}

/// What one in-memory cache holds at scrape time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheFigure {
    /// The cache's name in the `cache` label (`tmdb`, `tmdb_images`).
    pub cache: &'static str,
    /// Entries held.
    pub entries: u64,
    /// Bytes held, as the cache's budget counts them.
    pub bytes: u64,
}

/// Numbers read at scrape time: from the database, so every replica reports the same, and
/// (`caches`) from this process's own memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// `(status, count)` for every status that has requests.
    pub requests_by_status: Vec<(String, i64)>,
    /// `(topic, undelivered events)`; the known topics are always listed.
    pub outbox_by_topic: Vec<(String, i64)>,
    /// Every library index source with its health, as the passes stored it.
    pub library_sources: Vec<crate::store::library_index::StoredSource>,
    /// The in-memory caches that have a budget (not from the database: this process's own).
    pub caches: Vec<CacheFigure>,
}

impl Figures {
    /// Reads the figures.
    pub async fn read(db: &Db) -> CoreResult<Self> {
        let requests_by_status = figures::requests_by_status(db).await?;
        let mut outbox_by_topic = figures::outbox_depth_by_topic(db).await?;
        for topic in [
            crate::service::events::TOPIC_SUBMIT,
            crate::service::events::TOPIC_NOTIFY,
        ] {
            if !outbox_by_topic.iter().any(|(t, _)| t == topic) {
                outbox_by_topic.push((topic.to_owned(), 0));
            }
        }
        outbox_by_topic.sort();
        Ok(Self {
            requests_by_status,
            outbox_by_topic,
            library_sources: crate::store::library_index::sources(db).await?,
            caches: Vec::new(),
        })
    }
}

/// The process-wide metrics the HTTP layer and the bots count into.
pub fn global() -> &'static Metrics {
    static GLOBAL: OnceLock<Metrics> = OnceLock::new();
    GLOBAL.get_or_init(Metrics::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_every_family_with_labels() {
        let metrics = Metrics::new();
        metrics.bot_interaction("telegram", "command");
        metrics.bot_interaction("telegram", "command");
        metrics.upstream_call("radarr", Duration::from_millis(12), None);
        metrics.upstream_call("radarr", Duration::from_millis(40), Some("timeout"));
        metrics.chat_bot_state("telegram", crate::health::DoorState::Connecting);
        let figures = Figures {
            requests_by_status: vec![("pending".into(), 3)],
            outbox_by_topic: vec![("submit".into(), 2)],
            library_sources: vec![crate::store::library_index::StoredSource {
                name: "plex".into(),
                kind: crate::domain::SourceKind::Plex,
                server_id: None,
                health: crate::domain::SourceHealth {
                    items: 1200,
                    duration_ms: Some(2500),
                    last_success: Some(crate::domain::Timestamp(1_700_000_000_000)),
                    errors: 2,
                    stale: true,
                    ..Default::default()
                },
            }],
            caches: vec![CacheFigure {
                cache: "tmdb",
                entries: 41,
                bytes: 52_000,
            }],
        };
        let text = metrics.encode(&figures);
        assert!(
            text.contains("usher_bot_interactions_total{platform=\"telegram\",kind=\"command\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("usher_upstream_request_duration_seconds_count{upstream=\"radarr\"} 2")
        );
        assert!(
            text.contains("usher_upstream_errors_total{upstream=\"radarr\",kind=\"timeout\"} 1")
        );
        assert!(
            text.contains("usher_chat_bot_up{platform=\"telegram\"} 0"),
            "{text}"
        );
        assert!(text.contains("usher_requests{status=\"pending\"} 3"));
        assert!(text.contains("usher_requests{status=\"available\"} 0"));
        assert!(text.contains("usher_outbox_queue_depth{topic=\"submit\"} 2"));
        assert!(
            text.contains("usher_library_items{source=\"plex\",kind=\"plex\"} 1200"),
            "{text}"
        );
        assert!(
            text.contains("usher_library_pass_duration_seconds{source=\"plex\",kind=\"plex\"} 2.5")
        );
        assert!(text.contains(
            "usher_library_last_success_timestamp_seconds{source=\"plex\",kind=\"plex\"} 1700000000"
        ));
        assert!(text.contains("usher_library_pass_errors{source=\"plex\",kind=\"plex\"} 2"));
        assert!(text.contains("usher_library_source_stale{source=\"plex\",kind=\"plex\"} 1"));
        assert!(
            text.contains("usher_cache_entries{cache=\"tmdb\"} 41"),
            "{text}"
        );
        assert!(
            text.contains("usher_cache_bytes{cache=\"tmdb\"} 52000"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
        assert_eq!(text.matches("# EOF").count(), 1);
    }
}
