//! The TMDB client against the fake TMDB of usher-testkit: every operation, the cache and its
//! coalescing, the rate limit, failure paths, and the contract with TMDB's OpenAPI spec.

mod cache;
mod contract;
mod faults;
mod ops;
mod requests;

use std::time::Duration;

use secrecy::SecretString;
use usher_testkit::FakeServer;
use usher_testkit::tmdb;

use super::{TmdbClient, TmdbConfig};
use crate::domain::TmdbId;
use crate::integrations::http::{HttpSettings, RetryPolicy};

/// Short timeouts and retries so failure tests stay fast.
fn fast_http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(400),
        retry: RetryPolicy {
            retries: 2,
            base: Duration::from_millis(5),
            max_wait: Duration::from_millis(50),
        },
        ..HttpSettings::default()
    }
}

async fn fake() -> FakeServer {
    tmdb::start().await
}

/// A client with the v3 key and `adjust`ed defaults.
fn client_with(fake: &FakeServer, key: &str, adjust: impl FnOnce(&mut TmdbConfig)) -> TmdbClient {
    let mut config = TmdbConfig::new(&fake.url, SecretString::from(key.to_owned()));
    adjust(&mut config);
    TmdbClient::new(config, &fast_http()).expect("client")
}

/// A client with the fake's v3 key and default settings.
fn client(fake: &FakeServer) -> TmdbClient {
    client_with(fake, tmdb::API_KEY, |_| {})
}

fn id(raw: i64) -> TmdbId {
    TmdbId::parse(raw).expect("id")
}

/// Query pairs of a recorded request, decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(&format!("http://x/?{query}")).expect("url");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
