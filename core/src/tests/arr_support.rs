//! Radarr/Sonarr clients and instance sets pointed at the testkit fakes, and a one-answer
//! server for replies no faithful fake would give (broken JSON).

use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use usher_testkit::{FakeRadarr, FakeSonarr};

use crate::config::{ArrOptions, ArrSettings};
use crate::integrations::arr::{
    ArrClient, ArrInstance, ArrInstances, Flavor, RadarrClient, SonarrClient,
};
use crate::integrations::http::{HttpSettings, RetryPolicy};

/// The key every fake accepts.
pub const KEY: &str = "fake-arr-key";

/// Short timeouts and no retries, so failure paths are quick and counted exactly.
pub fn fast_http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(800),
        retry: RetryPolicy::none(),
        ..HttpSettings::default()
    }
}

/// An instance at `url` with `key` and optional profile / root folder names.
pub fn settings(url: &str, key: &str, profile: Option<&str>, folder: Option<&str>) -> ArrSettings {
    ArrSettings {
        url: url.to_owned(),
        api_key: SecretString::from(key.to_owned()),
        quality_profile: profile.map(str::to_owned),
        root_folder: folder.map(str::to_owned),
    }
}

/// A Radarr client for a fake, with default options.
pub fn radarr(name: &'static str, fake: &FakeRadarr) -> RadarrClient {
    radarr_with(
        name,
        &settings(fake.url(), KEY, None, None),
        &ArrOptions::default(),
    )
}

/// A Radarr client with explicit settings.
pub fn radarr_with(name: &'static str, arr: &ArrSettings, options: &ArrOptions) -> RadarrClient {
    RadarrClient::new(name, arr, options, &fast_http()).expect("radarr client")
}

/// A Sonarr client for a fake, with default options.
pub fn sonarr(name: &'static str, fake: &FakeSonarr, anime_only: bool) -> SonarrClient {
    let arr = settings(fake.url(), KEY, None, None);
    SonarrClient::new(name, &arr, &ArrOptions::default(), anime_only, &fast_http())
        .expect("sonarr client")
}

/// An instance set: each `Some` fake becomes the instance of that flavor.
#[derive(Default)]
pub struct Fakes<'a> {
    pub radarr: Option<&'a FakeRadarr>,
    pub radarr_4k: Option<&'a FakeRadarr>,
    pub sonarr: Option<&'a FakeSonarr>,
    pub sonarr_4k: Option<&'a FakeSonarr>,
    pub sonarr_anime: Option<&'a FakeSonarr>,
}

impl Fakes<'_> {
    pub fn instances(&self) -> ArrInstances {
        let mut all = Vec::new();
        for (name, flavor, fake) in [
            ("radarr", Flavor::Default, self.radarr),
            ("radarr-4k", Flavor::FourK, self.radarr_4k),
        ] {
            if let Some(fake) = fake {
                let client = ArrClient::Radarr(radarr(name, fake));
                all.push(ArrInstance { flavor, client });
            }
        }
        for (name, flavor, fake) in [
            ("sonarr", Flavor::Default, self.sonarr),
            ("sonarr-4k", Flavor::FourK, self.sonarr_4k),
            ("sonarr-anime", Flavor::Anime, self.sonarr_anime),
        ] {
            if let Some(fake) = fake {
                let client = ArrClient::Sonarr(sonarr(name, fake, flavor == Flavor::Anime));
                all.push(ArrInstance { flavor, client });
            }
        }
        ArrInstances::new(all)
    }
}

/// A server that answers every request with `status` and `body` as JSON content.
pub async fn answering(status: u16, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut buf).await;
                let head = "content-type: application/json\r\nconnection: close";
                let length = body.len();
                let reply = format!(
                    "HTTP/1.1 {status} X\r\n{head}\r\ncontent-length: {length}\r\n\r\n{body}"
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    url
}
