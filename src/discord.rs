//! Wires the Discord bot into `usher serve`, in either transport (`USHER_DISCORD_MODE`): in
//! HTTP mode the bot's handler is installed behind usher-web's `POST /discord/interactions`
//! (the two crates meet only here); in gateway mode the poise client connects out to Discord.
//! Both start the notifier that posts approver cards and DMs. The gateway connection is what
//! only one replica may hold: it runs under the `discord-gateway` lease and is started again,
//! with backoff, whenever it ends (see [`crate::supervise`]).

use std::sync::Arc;

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;
use usher_bot::discord::gateway::{self, GatewayOptions};
use usher_bot::discord::rest::Rest;
use usher_bot::discord::{Access, DiscordBot};
use usher_core::config::{DiscordMode, DiscordRegistration, DiscordSettings, Settings};
use usher_core::jobs::Leader;
use usher_core::service::Registration;
use usher_core::service::Services;
use usher_core::service::users::{DiscordRoles, RoleMap};
use usher_web::{DiscordEndpoint, InteractionHandler};

use crate::bots::BotKit;
use crate::supervise::{self, Leading, Stop};

/// The lease whose holder connects to the gateway.
const GATEWAY_LEASE: &str = "discord-gateway";
/// The platform's name in `/readyz` and `/metrics`.
const PLATFORM: &str = "discord";

/// What the Discord front door is doing, for the startup note.
pub enum DiscordStatus {
    /// No Discord settings.
    Off,
    /// Answering HTTP interactions at `url`, through `endpoint` (for the web server).
    Http {
        /// Where Discord must send them (set it in the Developer Portal).
        url: String,
        /// The verifying endpoint with the bot's handler behind it.
        endpoint: Box<DiscordEndpoint>,
    },
    /// Connected (or connecting) to Discord's gateway.
    Gateway,
}

impl DiscordStatus {
    /// Whether the Discord bot runs in this process (and so its notifier does).
    pub fn is_on(&self) -> bool {
        !matches!(self, Self::Off)
    }
}

/// Starts the Discord bot in the configured mode, with its notifier, into `tasks`; the gateway
/// client runs in `leading`, under its lease.
pub fn start(
    settings: &Settings,
    services: &Services,
    kit: &BotKit,
    tasks: &mut Vec<JoinHandle<()>>,
    leading: &mut Leading,
) -> anyhow::Result<DiscordStatus> {
    let Some(discord) = &settings.discord else {
        return Ok(DiscordStatus::Off);
    };
    let rest = Rest::new(
        &discord.api_url,
        discord.token.expose_secret().to_owned(),
        discord.admin_channel_id,
        settings.http_timeout,
    )?;
    let bot = DiscordBot::new(
        services.clone(),
        kit.tmdb.clone(),
        kit.catalog.clone(),
        kit.codec.clone(),
        rest,
        access(discord),
        discord.guild_ids.clone(),
    );
    let notifier = bot
        .notifier()
        .with_dm_fallback(discord.dm_fallback_channel_id)
        .with_announce_channel(discord.announce_channel_id);
    tasks.push(tokio::spawn(notifier.run()));
    if discord.mode == DiscordMode::Http {
        return start_http(settings, discord, bot);
    }
    let options = GatewayOptions {
        token: discord.token.expose_secret().to_owned(),
        api_url: discord.api_url.clone(),
        application_id: discord.application_id,
        guild_ids: discord.guild_ids.clone(),
    };
    let leader = Leader::new(services.db.clone(), GATEWAY_LEASE);
    leading.spawn(PLATFORM, leader, move || {
        keep_gateway(bot.clone(), options.clone())
    });
    Ok(DiscordStatus::Gateway)
}

/// Holds the gateway while this replica leads, connecting again whenever the client stops.
async fn keep_gateway(bot: DiscordBot, options: GatewayOptions) {
    supervise::keep_connected(
        PLATFORM,
        || async { Ok(()) },
        |stop: Stop| {
            let (bot, options) = (bot.clone(), options.clone());
            async move {
                match gateway::run_until(bot, options, stop).await {
                    Ok(()) => Ok(()),
                    Err(err) => Err(format!("the gateway client stopped: {err}")),
                }
            }
        },
    )
    .await;
}

/// Who may use the bot and as what, from the Discord settings.
fn access(discord: &DiscordSettings) -> Access {
    let roles = RoleMap::discord(&DiscordRoles {
        admin: &discord.admin_role_ids,
        approver: &discord.approver_role_ids,
        member: &discord.member_role_ids,
        administrators_are_admins: discord.administrators_are_admins,
    });
    let registration = match discord.registration {
        DiscordRegistration::Member => Registration::AutoRegister("member"),
        DiscordRegistration::Refuse => Registration::Refuse,
    };
    Access {
        roles,
        registration,
    }
}

/// HTTP mode: registers the commands in the background and installs the endpoint's handler.
fn start_http(
    settings: &Settings,
    discord: &DiscordSettings,
    bot: DiscordBot,
) -> anyhow::Result<DiscordStatus> {
    let public_key = discord
        .public_key
        .as_deref()
        .context("USHER_DISCORD_PUBLIC_KEY is required in HTTP mode")?;
    if let Some(application_id) = discord.application_id {
        // In the background: a slow or unreachable Discord must not hold up the start.
        let registrar = bot.clone();
        let guilds = discord.guild_ids.clone();
        tokio::spawn(async move {
            match registrar.register_commands(application_id, &guilds).await {
                Ok(()) => tracing::info!("discord slash commands registered"),
                Err(err) => tracing::warn!(error = %err, "could not register the slash commands"),
            }
        });
    }
    let handler: InteractionHandler = Arc::new(move |body| {
        let bot = bot.clone();
        Box::pin(async move { bot.handle(&body).await.map_err(|e| e.to_string()) })
    });
    let endpoint = DiscordEndpoint::new(public_key, handler)
        .context("USHER_DISCORD_PUBLIC_KEY is not a valid Ed25519 public key")?;
    Ok(DiscordStatus::Http {
        url: format!(
            "{}/discord/interactions",
            settings.public_url.trim_end_matches('/')
        ),
        endpoint: Box::new(endpoint),
    })
}
