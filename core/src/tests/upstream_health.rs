//! The dashboard's upstream health: configured or not, up or down, cached, and never holding a
//! page load for longer than its budget when an upstream hangs.

use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use usher_testkit::FakeRadarr;

use super::arr_support::KEY;
use crate::config::{LoadOptions, Settings, load};
use crate::integrations::health::{HealthOptions, UpstreamHealth, UpstreamState};

fn settings(vars: &[(&str, &str)]) -> Settings {
    let env = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    load(LoadOptions {
        env,
        ..LoadOptions::default()
    })
    .expect("config")
    .settings
}

fn state_of(lines: &[crate::integrations::health::UpstreamStatus], service: &str) -> UpstreamState {
    lines
        .iter()
        .find(|l| l.service == service)
        .map(|l| l.state)
        .expect("listed")
}

#[tokio::test]
async fn up_down_and_unconfigured_are_told_apart_and_cached() {
    let radarr = FakeRadarr::start(KEY).await;
    let settings = settings(&[
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", KEY),
        ("USHER_SONARR_URL", "http://127.0.0.1:9"),
        ("USHER_SONARR_API_KEY", KEY),
    ]);
    let options = HealthOptions {
        ttl: Duration::from_secs(60),
        budget: Duration::from_secs(10),
    };
    let health = UpstreamHealth::new(settings, options);
    let lines = health.snapshot().await;
    assert_eq!(state_of(&lines, "Radarr"), UpstreamState::Up);
    assert_eq!(state_of(&lines, "Sonarr"), UpstreamState::Down);
    assert_eq!(state_of(&lines, "TMDB"), UpstreamState::NotConfigured);
    assert_eq!(state_of(&lines, "OIDC"), UpstreamState::NotConfigured);
    let radarr_line = lines
        .iter()
        .find(|l| l.service == "Radarr")
        .expect("radarr");
    assert!(
        radarr_line.detail.starts_with("ok"),
        "{}",
        radarr_line.detail
    );
    assert!(radarr_line.checked_at.is_some());
    let probes = || {
        radarr
            .server
            .received_at("GET", "/api/v3/system/status")
            .len()
    };
    let asked = probes();
    assert!(asked >= 1);

    let again = health.snapshot().await;
    assert_eq!(again, lines, "answered from the cache");
    assert_eq!(probes(), asked, "no second round within the TTL");
}

#[tokio::test]
async fn a_hanging_upstream_does_not_hold_the_page() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let settings = settings(&[("USHER_RADARR_URL", &url), ("USHER_RADARR_API_KEY", KEY)]);
    let options = HealthOptions {
        ttl: Duration::from_secs(60),
        budget: Duration::from_millis(200),
    };
    let health = UpstreamHealth::new(settings, options);
    for _ in 0..2 {
        let started = Instant::now();
        let lines = health.snapshot().await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(state_of(&lines, "Radarr"), UpstreamState::Unknown);
        assert_eq!(state_of(&lines, "Sonarr"), UpstreamState::NotConfigured);
    }
    held.abort();
}
