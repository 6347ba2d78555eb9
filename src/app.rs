//! The app root. [`App::build`] turns the settings into one running Usher: it opens and
//! migrates the store, loads the keys and the settings saved in the console, builds the
//! services (with their caches), the console, the chat bots and their notifiers, the webhook
//! receiver and the jobs, and returns them as one value. Its [`App::router`] is the whole web
//! surface over a state that is complete from the first request; nothing is wired in later.
//! [`App::run`] keeps it going until told to stop, or until one of its tasks panics.
//!
//! `usher serve` builds one behind its listener; tests build as many as they like in process.

use std::future::Future;

use axum::Router;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use usher_core::config::{LoadOptions, Settings};
use usher_core::domain::{Actor, Platform, Source};
use usher_core::integrations::arr::ArrInstances;
use usher_core::integrations::http::HttpSettings;
use usher_core::service::{AgentService, FourK, Services, SessionPolicy};
use usher_core::store::Db;
use usher_web::metrics::MetricsAccess;
use usher_web::metrics::traffic::HttpMetrics;
use usher_web::{AppState, WebParts};

use crate::bots::BotKit;
use crate::discord::DiscordStatus;
use crate::jobs::Jobs;
use crate::supervise::{Leading, first_panic};
use crate::{availability, bots, console, discord, jobs, library, startup, supervise, telegram};

/// One running Usher: what it serves, the tasks it runs, and what to tell the operator.
pub struct App {
    state: AppState,
    db: Db,
    stop: watch::Sender<bool>,
    bots: Vec<JoinHandle<()>>,
    leading: Leading,
    jobs: Jobs,
    greeting: Vec<String>,
    setup_link: Option<String>,
}

impl App {
    /// Wires everything from `base` (the file, environment and flag configuration, whose
    /// startup keys — database, keys — are used first) and `layers` (those layers again, to put
    /// the console's saved settings in between). The bots, notifiers and jobs are running when
    /// this returns; they stop when [`App::run`] ends.
    pub async fn build(base: Settings, layers: LoadOptions) -> anyhow::Result<Self> {
        let (stop, stop_rx) = watch::channel(false);
        let mut greeting = Vec::new();
        let db = startup::open_database(&base).await?;
        let keys = startup::load_keys(&base, &db).await?;
        let (settings, saved_settings) =
            startup::with_saved_settings(&base, layers, &db, keys.clone()).await?;
        let policy = SessionPolicy {
            idle: settings.console.session_idle,
            absolute: settings.console.session_max,
        };
        // One HTTP setup (and so one DNS cache) for every upstream client of this process.
        let http = HttpSettings::with_timeout(settings.http_timeout);
        let passes = library::build(&settings, &db, &http).await?;
        let nudge = library::nudge();
        let tmdb = jobs::tmdb_client(&settings, &http)?;
        let announcing = announcing_platforms(&settings);
        let mut services = Services::with_session_policy(db.clone(), policy)
            .with_four_k(FourK::from_settings(&settings))
            .with_library_links(settings.library_links.clone())
            .with_library_index(passes.index().clone())
            .with_announcements(!announcing.is_empty())
            .with_overrides(settings.overrides.clone())
            .with_arr(std::sync::Arc::new(ArrInstances::from_settings(
                &settings, &http,
            )?));
        if let Some(tmdb) = &tmdb {
            services = services.with_tmdb(tmdb.clone());
        }
        let console = console::build(&settings, &keys, &http, &services)?;
        if let Some(oidc) = console.oidc.clone() {
            tokio::spawn(async move { oidc.warm_up().await });
        }
        startup::seed_admins(&settings, &services).await?;
        // `[[place]]` entries of usher.toml (validated with the rest) are stored before any
        // chat can press a button.
        services.places.apply_config(&settings.places).await?;
        let kit = BotKit::new(&keys, tmdb.clone())?;
        let mut leading = Leading::new(stop_rx.clone());
        let telegram = telegram::start(&settings, &services, &kit, &keys, &mut leading)?;
        greeting.extend(telegram.notes);
        let mut bots = telegram.tasks;
        let discord = discord::start(&settings, &services, &kit, &mut bots, &mut leading)?;
        let discord_on = discord.is_on();
        let discord_endpoint = match discord {
            DiscordStatus::Http { url, endpoint } => {
                greeting.push(format!(
                    "discord interactions endpoint (set it in the Developer Portal): {url}"
                ));
                Some(*endpoint)
            }
            DiscordStatus::Gateway => {
                greeting.push("discord: connecting to the gateway".to_owned());
                None
            }
            DiscordStatus::Off => None,
        };
        bots.push(bots::start_fanout(
            &db,
            chat_platforms(&settings, discord_on),
            announcing,
            supervise::stopped(stop_rx.clone()),
        ));
        let agents = AgentService::new(db.clone(), keys.clone())?;
        bots.push(bots::start_agent_notifier(
            &db,
            keys.clone(),
            supervise::stopped(stop_rx.clone()),
        )?);
        let index = (passes, nudge);
        let (webhooks, servers) =
            availability::webhooks(&settings, &db, keys, &http, &index, &mut greeting).await?;
        let jobs = Jobs::start(&settings, &db, tmdb, &servers, &http, index, &mut greeting)?;
        // Start-up may have stored values (a generated webhook secret); they are not pending.
        saved_settings.mark_applied().await?;
        greeting.push(format!("ready (database: {})", settings.database_url));
        let setup_link = setup_link(&settings, &services).await?;
        if let Some(link) = &setup_link {
            greeting.push(format!(
                "no administrator yet; open this one-time link within an hour: {link}"
            ));
        }
        let missing = settings.not_configured();
        if !missing.is_empty() {
            greeting.push(format!(
                "not configured yet: {} (see deploy/config.example.toml)",
                missing.join(", ")
            ));
        }
        let state = AppState::new(WebParts {
            services,
            agents,
            settings: saved_settings,
            console,
            webhooks,
            metrics_access: MetricsAccess::new(
                settings.console.metrics_token.clone(),
                settings.console.metrics_allow.clone(),
            ),
            http_metrics: HttpMetrics::new(),
            discord: discord_endpoint,
            telegram: telegram.webhook,
            public_url: settings.public_url.clone(),
        });
        Ok(Self {
            state,
            db,
            stop,
            bots,
            leading,
            jobs,
            greeting,
            setup_link,
        })
    }

    /// The whole web surface (console, webhooks, chat endpoints, `/healthz`, `/readyz`,
    /// `/metrics`) over this app.
    pub fn router(&self) -> Router {
        usher_web::router(self.state.clone())
    }

    /// What this app's handlers share (its services, console, webhook receiver).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The lines to tell the operator once the app serves, in order: what runs (bots,
    /// webhooks, jobs), `ready (database: …)`, then what is still to do (the setup link, the
    /// integrations not configured yet).
    pub fn greeting(&self) -> &[String] {
        &self.greeting
    }

    /// The one-time link for the first administrator, when there is none yet.
    pub fn setup_link(&self) -> Option<&str> {
        self.setup_link.as_deref()
    }

    /// Runs until `until` completes or one of the app's tasks panics, then stops everything,
    /// each part within its bound so the whole stop stays under systemd's 20 s: the bots, the
    /// leaders (who give their leases up, 3 s), the jobs (after their current step, 8 s) and
    /// the database pool (3 s). A panic is returned as an error, so the process never stays half
    /// alive.
    pub async fn run(mut self, until: impl Future<Output = ()>) -> anyhow::Result<()> {
        let panicked = tokio::select! {
            () = until => None,
            message = first_panic(&mut self.bots) => Some(message),
            message = first_panic(self.leading.tasks()) => Some(message),
            message = self.jobs.first_panic() => Some(message),
        };
        let _ = self.stop.send(true);
        for bot in self.bots {
            bot.abort();
        }
        self.leading.finish().await;
        self.jobs.stop().await;
        if tokio::time::timeout(DB_CLOSE_WAIT, self.db.close())
            .await
            .is_err()
        {
            tracing::warn!("the database did not close in time (a connection was still in use)");
        }
        if let Some(message) = panicked {
            anyhow::bail!("a background task panicked ({message}); stopping");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// How long a stopping process waits for its database connections to come back and close; one
/// still held by a task that outlived the stop is left to the process's exit (SQLite recovers
/// from its write-ahead log, PostgreSQL ends the session).
const DB_CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The chat platforms whose notifiers run in this process.
fn chat_platforms(settings: &Settings, discord_on: bool) -> Vec<Platform> {
    let mut platforms = Vec::new();
    if settings.telegram.is_some() {
        platforms.push(Platform::Telegram);
    }
    if discord_on {
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

/// A fresh one-time link for the first administrator, when none has signed up yet.
async fn setup_link(settings: &Settings, services: &Services) -> anyhow::Result<Option<String>> {
    if !services.setup.needs_setup().await? {
        return Ok(None);
    }
    let actor = Actor {
        user: None,
        source: Source::System,
    };
    let link = services
        .setup
        .issue_link(&actor, &settings.public_url)
        .await?;
    Ok(Some(link))
}
