//! The gateway transport (`USHER_DISCORD_MODE=gateway`, the default): a poise framework on
//! serenity's gateway client. Discord pushes interactions over the websocket; the poise
//! commands ([`commands`]) and, for button presses and modal submits, the event handler hand
//! them to the same [`DiscordBot::answer`] the HTTP endpoint uses, and the answer goes back
//! through the interaction callback REST route. Works behind NAT: nothing listens.
//!
//! serenity's HTTP client is pointed at `USHER_DISCORD_API_URL` through its proxy setting,
//! which only takes effect with the ratelimiter off; so the ratelimiter is switched off only
//! when a non-default URL is set (a local fake in tests) and stays on against Discord itself.
//! serenity only makes its own few calls with it (the gateway URL); Usher's calls, the
//! interaction callbacks included, go through [`super::rest::Rest`], which keeps Discord's
//! rate limits the same way whatever the base URL.

mod commands;

use serenity::all::{
    ApplicationId, ClientBuilder, FullEvent, GatewayIntents, Http, HttpBuilder, Interaction,
};

use super::DiscordBot;

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
/// slash commands are registered once READY arrives (in the background, like HTTP mode).
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
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            event_handler: |framework, event| Box::pin(on_event(framework.user_data, event)),
            ..Default::default()
        })
        // poise would ask Discord for the application's owners; no command here is owners-only.
        .initialize_owners(false)
        .setup(move |_ctx, ready, _framework| {
            let application_id = options.application_id.unwrap_or(ready.application.id.get());
            let guilds = options.guild_ids.clone();
            Box::pin(async move {
                register_in_background(bot.clone(), application_id, guilds);
                Ok(bot)
            })
        })
        .build();
    // Interactions arrive whatever the intents; the bot reads no messages or presences.
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
        .framework(framework)
        .await?;
    let shards = client.shard_manager.clone();
    tokio::select! {
        started = client.start() => started?,
        () = stop => shards.shutdown_all().await,
    }
    Ok(())
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

/// poise routes commands and autocomplete itself; button presses and modal submits arrive
/// here and go to the same handlers as over HTTP.
async fn on_event(bot: &DiscordBot, event: &FullEvent) -> Result<(), GatewayError> {
    if let FullEvent::InteractionCreate { interaction } = event
        && matches!(
            interaction,
            Interaction::Component(_) | Interaction::Modal(_)
        )
    {
        reply(bot, interaction.clone()).await;
    }
    Ok(())
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
    let rest = &bot.inner.rest;
    if let Err(err) = rest.interaction_callback(id.get(), &token, &response).await {
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
