//! The gateway transport (`USHER_DISCORD_MODE=gateway`, the default): serenity's gateway
//! client keeps the websocket (IDENTIFY, heartbeats, reconnects). Discord pushes interactions
//! over it; the event handler hands every one of them — commands, autocomplete, presses,
//! modal submits — to the same [`DiscordBot::answer`] the HTTP endpoint uses (so to the one
//! command table), and the answer goes back through the interaction callback REST route.
//! The commands are registered from that table once READY arrives. Works behind NAT: nothing
//! listens. (No command framework: poise would only have been a second copy of the table.)
//!
//! serenity's HTTP client is pointed at `USHER_DISCORD_API_URL` through its proxy setting,
//! which only takes effect with the ratelimiter off; so the ratelimiter is switched off only
//! when a non-default URL is set (a local fake in tests) and stays on against Discord itself.
//! serenity only makes its own few calls with it (the gateway URL); Usher's calls, the
//! interaction callbacks included, go through [`super::rest::Rest`], which keeps Discord's
//! rate limits the same way whatever the base URL.

use std::sync::atomic::{AtomicBool, Ordering};

use serenity::all::{
    ApplicationId, ClientBuilder, Context, EventHandler, GatewayIntents, Http, HttpBuilder,
    Interaction, Ready,
};

use crate::discord::DiscordBot;

/// Discord's own REST base URL: with it, serenity talks to Discord directly, ratelimiter on.
pub const DISCORD_API_URL: &str = "https://discord.com";

/// What can stop the gateway client.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// serenity could not start or lost the connection for good (a bad token, a refused
    /// IDENTIFY, a failed REST call of its own).
    #[error("discord gateway: {0}")]
    Serenity(#[from] serenity::Error),
}

/// How to reach Discord in gateway mode.
#[derive(Debug, Clone)]
pub struct GatewayOptions {
    /// The bot token (without the `Bot ` prefix).
    pub token: String,
    /// REST base URL: [`DISCORD_API_URL`] in production, a local fake in tests.
    pub api_url: String,
    /// The application, when configured; otherwise READY tells it.
    pub application_id: Option<u64>,
    /// Guilds to register the commands in (globally when empty).
    pub guild_ids: Vec<u64>,
}

/// serenity's HTTP client for `options`: straight to Discord with the ratelimiter on, or
/// through the proxy setting to another base URL (which needs the ratelimiter off, since
/// serenity's ratelimited path ignores the proxy).
#[must_use]
pub fn http_client(options: &GatewayOptions) -> Http {
    let mut builder = HttpBuilder::new(&options.token);
    if let Some(id) = options.application_id {
        builder = builder.application_id(ApplicationId::new(id));
    }
    let api_url = options.api_url.trim_end_matches('/');
    if api_url != DISCORD_API_URL {
        builder = builder.proxy(api_url).ratelimiter_disabled(true);
    }
    builder.build()
}

/// Connects to the gateway and serves interactions until the connection ends for good. The
/// slash commands are registered once the first READY arrives (in the background, like HTTP
/// mode).
///
/// # Errors
///
/// [`GatewayError`] when serenity cannot start or gives up.
pub async fn run(bot: DiscordBot, options: GatewayOptions) -> Result<(), GatewayError> {
    run_until(bot, options, std::future::pending()).await
}

/// [`run`] until `stop` completes, then closes every shard cleanly (serenity's shard runners
/// are tasks of their own: dropping the client would leave them connected). Another replica
/// takes the gateway over when this one loses its leader lease.
///
/// # Errors
/// When the client cannot be built or a shard fails to start.
pub async fn run_until(
    bot: DiscordBot,
    options: GatewayOptions,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), GatewayError> {
    let http = http_client(&options);
    let handler = Handler {
        bot,
        application_id: options.application_id,
        guild_ids: options.guild_ids,
        registered: AtomicBool::new(false),
    };
    // Interactions arrive whatever the intents; the bot reads no messages or presences.
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
        .event_handler(handler)
        .await?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        started = client.start() => started?,
        () = stop => shards.shutdown_all().await,
    }
    Ok(())
}

/// serenity's event handler: READY registers the commands, every interaction is answered.
struct Handler {
    bot: DiscordBot,
    application_id: Option<u64>,
    guild_ids: Vec<u64>,
    /// Whether the commands were registered: a later READY (a new session after a reconnect)
    /// does not register them again.
    registered: AtomicBool,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        if self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let application_id = self.application_id.unwrap_or(ready.application.id.get());
        register_in_background(self.bot.clone(), application_id, self.guild_ids.clone());
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        reply(&self.bot, interaction).await;
    }
}

/// Registers the slash commands without holding up the event loop.
fn register_in_background(bot: DiscordBot, application_id: u64, guilds: Vec<u64>) {
    tokio::spawn(async move {
        match bot.register_commands(application_id, &guilds).await {
            Ok(()) => tracing::info!("discord slash commands registered"),
            Err(err) => tracing::warn!(error = %err, "could not register the slash commands"),
        }
    });
}

/// Answers `interaction` through the interaction callback route, with the bot's own REST
/// client so the answer keeps Discord's rate limits like every other call. A failed callback
/// is logged: Discord then shows "interaction failed" and the member can press again.
async fn reply(bot: &DiscordBot, interaction: Interaction) {
    let (id, token) = match &interaction {
        Interaction::Command(c) | Interaction::Autocomplete(c) => (c.id, c.token.clone()),
        Interaction::Component(p) => (p.id, p.token.clone()),
        Interaction::Modal(m) => (m.id, m.token.clone()),
        _ => return,
    };
    let response = bot.answer(interaction).await;
    if let Err(err) = bot
        .rest()
        .interaction_callback(id.get(), &token, &response)
        .await
    {
        tracing::warn!(error = %err, "could not answer a Discord interaction");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(api_url: &str) -> GatewayOptions {
        GatewayOptions {
            token: "t".into(),
            api_url: api_url.into(),
            application_id: Some(42),
            guild_ids: Vec::new(),
        }
    }

    #[test]
    fn against_discord_the_ratelimiter_stays_on_and_no_proxy_is_set() {
        for url in [DISCORD_API_URL, "https://discord.com/"] {
            let http = http_client(&options(url));
            assert!(http.ratelimiter.is_some(), "{url}");
            assert_eq!(http.proxy, None);
            assert_eq!(http.application_id().map(|id| id.get()), Some(42));
        }
    }

    #[test]
    fn another_api_url_goes_through_the_proxy_without_the_ratelimiter() {
        let http = http_client(&options("http://127.0.0.1:9999/"));
        assert_eq!(http.proxy.as_deref(), Some("http://127.0.0.1:9999"));
        assert!(
            http.ratelimiter.is_none(),
            "serenity's ratelimited path ignores the proxy"
        );
    }
}
