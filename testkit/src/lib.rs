//! usher-testkit holds faithful local fakes of the upstreams Usher talks to — TMDB, Radarr,
//! Sonarr, Jellyfin, Plex, plex.tv's PIN sign-in, Discord's REST API and gateway, an SMTP server — and the OpenAPI contract checks that keep them (and our clients)
//! honest against the official specs in `../shared/specs/`. Tests and benchmarks only.
//!
//! Every fake is an axum router served on 127.0.0.1:0 by [`FakeServer::start`], records every
//! request it receives ([`Recorded`]) and can be told to misbehave ([`Faults`]): latency, a hang,
//! 500s, 429s with `Retry-After`, or HTML instead of JSON.

pub mod arr;
pub mod contract;
pub mod discord;
pub mod discord_flood;
pub mod discord_gateway;
pub mod faults;
pub mod jellyfin;
pub mod plex;
pub mod plex_tv;
pub mod server;
pub mod smtp;
pub mod telegram;
pub mod tmdb;

pub use arr::{FakeRadarr, FakeSonarr};
pub use contract::Spec;
pub use discord_gateway::FakeGateway;
pub use faults::{Fault, Faults};
pub use jellyfin::{FakeJellyfin, Product};
pub use plex::FakePlex;
pub use plex_tv::{FakePlexTv, PlexTvUser};
pub use server::{FakeServer, Recorded};
pub use smtp::{FakeSmtp, ReceivedMail};

/// Where the official specs live: `$USHER_SPECS_DIR`, else `../shared/specs` beside the checkout.
pub fn specs_dir() -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("USHER_SPECS_DIR") {
        return dir.into();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs")
}
