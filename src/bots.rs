//! What both chat front doors share, built once per process: the TMDB client (one cache), the
//! Fluent catalogue, the button codec keyed from the master key, and the notification fan-out
//! that gives each running platform (and each notification agent) its own deliveries.

use std::sync::Arc;

use tokio::task::JoinHandle;
use usher_core::domain::Platform;
use usher_core::notify::agents::AgentNotifier;
use usher_core::notify::{Fanout, FanoutOptions};
use usher_core::store::Db;

use usher_bot::callback::CallbackCodec;
use usher_core::crypto::MasterKeys;
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;

/// Key label for signing button ids, so they never share a key with anything else.
const CALLBACK_KEY: &str = "callback-signing";

/// Shared pieces handed to the Telegram and Discord adapters.
#[derive(Clone)]
pub struct BotKit {
    /// TMDB, when configured.
    pub tmdb: Option<TmdbClient>,
    /// Every language's texts.
    pub catalog: Arc<Catalog>,
    /// Signs and checks button ids (current key, previous one during a rotation).
    pub codec: CallbackCodec,
}

impl BotKit {
    /// Parses the chat texts of the embedded catalogue (not the console's) and derives the
    /// button key.
    pub fn new(keys: &MasterKeys, tmdb: Option<TmdbClient>) -> anyhow::Result<Self> {
        let catalog = Arc::new(Catalog::for_chat().map_err(anyhow::Error::msg)?);
        let codec = CallbackCodec::new(
            keys.derive(CALLBACK_KEY),
            keys.derive_previous(CALLBACK_KEY),
        );
        Ok(Self {
            tmdb,
            catalog,
            codec,
        })
    }
}

/// Starts core's notification fan-out for the chat platforms that run here and for the
/// notification agents (with no chat platform, it waits for the first agent, and until then
/// events wait in the outbox for a process that has one); new requests are also announced on
/// `announcing`. It stops with `stopped`.
pub fn start_fanout(
    db: &Db,
    platforms: Vec<Platform>,
    announcing: Vec<Platform>,
    stopped: impl std::future::Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    let fanout =
        Fanout::new(db.clone(), platforms, FanoutOptions::default()).with_announcements(announcing);
    tokio::spawn(async move { fanout.run(stopped).await })
}

/// Starts the notification agents' notifier (it drains `notify.agent`; idle while nothing is
/// queued there). It stops with `stopped`.
pub fn start_agent_notifier(
    db: &Db,
    keys: Arc<MasterKeys>,
    stopped: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<JoinHandle<()>> {
    let notifier = AgentNotifier::new(db.clone(), keys)?;
    Ok(tokio::spawn(async move { notifier.run(stopped).await }))
}
