//! `usher serve`: bind first so `/healthz` answers at once, then open the database, and mark the
//! server ready. Stops gracefully on SIGINT or SIGTERM.

use anyhow::Context;
use tokio::net::TcpListener;
use usher_core::config::{LoadOptions, Settings};
use usher_core::domain::{Actor, Platform, Source};
use usher_core::integrations::http::HttpSettings;
use usher_core::service::{FourK, Services, SessionPolicy};
use usher_web::AppState;
use usher_web::metrics::MetricsAccess;

use crate::bots::BotKit;
use crate::discord::DiscordStatus;
use crate::supervise::{Leading, first_panic};
use crate::telemetry::say;
use crate::{availability, bots, console, discord, jobs, library, startup, telegram};

/// Runs until a shutdown signal. `base` is the file/environment/flag configuration (its
/// startup keys — listen address, database, keys — are used before the database opens);
/// `options` are those layers again, to add the console's saved settings on top.
pub async fn run(base: Settings, options: LoadOptions) -> anyhow::Result<()> {
    let listener = TcpListener::bind(base.listen)
        .await
        .with_context(|| format!("cannot listen on {}", base.listen))?;
    let address = listener.local_addr()?;
    let state = AppState::starting(&base.public_url);
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let web_stopped = jobs::stopped(stop_rx.clone());
    let server = tokio::spawn(usher_web::serve_with(
        listener,
        state.clone(),
        base.http_server,
        web_stopped,
    ));
    say!("listening on http://{address}");

    let db = startup::open_database(&base).await?;
    let keys = startup::load_keys(&base, &db).await?;
    let (settings, saved_settings) =
        startup::with_saved_settings(&base, options, &db, keys.clone()).await?;
    state.set_settings(saved_settings.clone());
    state.set_metrics_access(MetricsAccess::new(
        settings.console.metrics_token.clone(),
        settings.console.metrics_allow.clone(),
    ));
    let policy = SessionPolicy {
        idle: settings.console.session_idle,
        absolute: settings.console.session_max,
    };
    // One HTTP setup (and so one DNS cache) for every upstream client of this process.
    let http = HttpSettings::with_timeout(settings.http_timeout);
    let passes = library::build(&settings, &db, &http).await?;
    let nudge = library::nudge();
    let services = Services::with_session_policy(db.clone(), policy)
        .with_four_k(FourK::from_settings(&settings))
        .with_library_links(settings.library_links.clone())
        .with_library_index(passes.index().clone());
    state.set_console(console::build(&settings, &keys, &http)?);
    if let Some(oidc) = state.console().and_then(|c| c.oidc.clone()) {
        tokio::spawn(async move { oidc.warm_up().await });
    }
    startup::seed_admins(&settings, &services).await?;
    let tmdb = jobs::tmdb_client(&settings, &http)?;
    let kit = BotKit::new(&keys, tmdb.clone())?;
    let mut leading = Leading::new(stop_rx.clone());
    let mut bots = telegram::start(&settings, &services, &kit, &keys, &state, &mut leading)?;
    let discord = discord::start(&settings, &services, &state, &kit, &mut bots, &mut leading)?;
    match &discord {
        DiscordStatus::Http(url) => {
            say!("discord interactions endpoint (set it in the Developer Portal): {url}");
        }
        DiscordStatus::Gateway => say!("discord: connecting to the gateway"),
        DiscordStatus::Off => {}
    }
    let chat = chat_platforms(&settings, &discord);
    let announcing = announcing_platforms(&settings);
    bots.extend(bots::start_fanout(
        &db,
        chat,
        announcing,
        jobs::stopped(stop_rx.clone()),
    ));
    let index = (passes, nudge);
    let servers =
        availability::enable_webhooks(&settings, &db, keys, &state, &http, &index).await?;
    let mut background = jobs::Jobs::start(&settings, &db, tmdb, &servers, &http, index)?;
    // Start-up may have stored values (a generated webhook secret); they are not pending.
    saved_settings.mark_applied().await?;
    state.set_ready(services.clone());
    announce(&settings, &services).await?;

    // A panicking task stops the process with an error rather than leaving it half alive.
    let panicked = tokio::select! {
        served = server => {
            served.context("the web server task failed")??;
            None
        }
        message = first_panic(&mut bots) => Some(message),
        message = first_panic(leading.tasks()) => Some(message),
        message = background.first_panic() => Some(message),
    };
    for bot in bots {
        bot.abort();
    }
    leading.finish().await;
    background.stop().await;
    db.close().await;
    if let Some(message) = panicked {
        anyhow::bail!("a background task panicked ({message}); stopping");
    }
    tracing::info!("stopped");
    Ok(())
}

/// The chat platforms whose notifiers run in this process.
fn chat_platforms(settings: &Settings, discord: &DiscordStatus) -> Vec<Platform> {
    let mut platforms = Vec::new();
    if settings.telegram.is_some() {
        platforms.push(Platform::Telegram);
    }
    if discord.is_on() {
        platforms.push(Platform::Discord);
    }
    platforms
}

/// The chat platforms that announce new requests publicly (an announce channel is set).
fn announcing_platforms(settings: &Settings) -> Vec<Platform> {
    let discord = settings.discord.as_ref();
    if discord.is_some_and(|d| d.announce_channel_id.is_some()) {
        vec![Platform::Discord]
    } else {
        Vec::new()
    }
}

/// Tells the operator what is still to do: the setup link and the unconfigured integrations.
async fn announce(settings: &Settings, services: &Services) -> anyhow::Result<()> {
    say!("ready (database: {})", settings.database_url);
    if services.setup.needs_setup().await? {
        let actor = Actor {
            user: None,
            source: Source::System,
        };
        let link = services
            .setup
            .issue_link(&actor, &settings.public_url)
            .await?;
        say!("no administrator yet; open this one-time link within an hour: {link}");
    }
    let missing = settings.not_configured();
    if !missing.is_empty() {
        say!(
            "not configured yet: {} (see deploy/config.example.toml)",
            missing.join(", ")
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
