//! Wires the Telegram bot into `usher serve` when `USHER_TELEGRAM_TOKEN` is set: long polling
//! against `USHER_TELEGRAM_API_URL`, or webhook mode when `USHER_TELEGRAM_WEBHOOK_URL` is set
//! (updates arrive at `/hooks/telegram` with a secret derived from the master key, so every
//! replica accepts them), plus the notifier that posts approver cards and DMs.
//!
//! Long polling is what only one replica may do (two pollers would each answer the same
//! message): it runs under the `telegram-polling` lease, and in either mode the bot waits for
//! the Bot API to answer `getMe` before it dispatches, retrying with backoff (see
//! [`crate::supervise`]).

use std::sync::Arc;

use anyhow::Context as _;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;
use usher_bot::telegram::{Context, SendLimits, SendQueue, TelegramBot};
use usher_core::config::{Settings, TelegramRegistration};
use usher_core::crypto::MasterKeys;
use usher_core::jobs::Leader;
use usher_core::service::{Registration, Services};
use usher_web::{TelegramWebhook, UpdateSink};

use crate::bots::BotKit;
use crate::supervise::{self, Leading, Stop};

/// The lease whose holder long-polls Telegram.
const POLLING_LEASE: &str = "telegram-polling";
/// The platform's name in `/readyz` and `/metrics`.
const PLATFORM: &str = "telegram";

/// What starting the Telegram bot gave the app.
#[derive(Default)]
pub struct Started {
    /// The notifier's task, and in webhook mode the dispatcher's.
    pub tasks: Vec<JoinHandle<()>>,
    /// `POST /hooks/telegram`, in webhook mode.
    pub webhook: Option<TelegramWebhook>,
    /// What to tell the operator.
    pub notes: Vec<String>,
}

/// Starts the bot and its notifier (nothing when Telegram is off). The long poller runs in
/// `leading`, under its lease; in webhook mode the endpoint for the web server is returned.
pub fn start(
    settings: &Settings,
    services: &Services,
    kit: &BotKit,
    keys: &MasterKeys,
    leading: &mut Leading,
) -> anyhow::Result<Started> {
    let Some(telegram) = &settings.telegram else {
        return Ok(Started::default());
    };
    let context = Context {
        services: services.clone(),
        tmdb: kit.tmdb.clone(),
        catalog: kit.catalog.clone(),
        codec: kit.codec.clone(),
        admin_chat: telegram.admin_chat_id.map(teloxide_chat),
        admin_topic: telegram.admin_topic_id.map(teloxide_topic),
        allowed_chats: telegram.allowed_chat_ids.clone(),
        registration: registration(telegram.registration),
        out: SendQueue::new(SendLimits::telegram()),
    };
    let bot = TelegramBot::new(telegram.token.expose_secret(), &telegram.api_url, context)
        .context("USHER_TELEGRAM_API_URL is not a URL")?;
    let notifier = bot.notifier();
    let notifying = tokio::spawn(notifier.run());
    let Some(webhook_url) = &telegram.webhook_url else {
        let leader = Leader::new(services.db.clone(), POLLING_LEASE);
        leading.spawn(PLATFORM, leader, move || keep_polling(bot.clone()));
        return Ok(Started {
            tasks: vec![notifying],
            webhook: None,
            notes: vec![format!("telegram bot: long polling {}", telegram.api_url)],
        });
    };
    let url = url::Url::parse(webhook_url).context("USHER_TELEGRAM_WEBHOOK_URL is not a URL")?;
    let secret = webhook_secret(keys);
    let probe = bot.clone();
    let (feed, run) = bot.run_webhook(url, secret.clone());
    let sink: UpdateSink = Arc::new(move |raw: &[u8]| feed.push(raw));
    let serving = tokio::spawn(async move {
        let mut backoff = supervise::first_backoff();
        supervise::until_answered(PLATFORM, &mut backoff, || check(&probe)).await;
        run.await;
    });
    Ok(Started {
        tasks: vec![notifying, serving],
        webhook: Some(TelegramWebhook::new(secret, sink)),
        notes: vec![format!(
            "telegram bot: webhook {webhook_url} (POST /hooks/telegram)"
        )],
    })
}

/// Long-polls while this replica leads: waits for `getMe`, polls, and starts again whenever
/// polling ends or panics.
async fn keep_polling(bot: TelegramBot) {
    supervise::keep_connected(
        PLATFORM,
        || check(&bot),
        |stop: Stop| {
            let bot = bot.clone();
            async move {
                tokio::select! {
                    () = bot.run() => Err("long polling ended".to_owned()),
                    () = stop => Ok(()),
                }
            }
        },
    )
    .await;
}

/// Whether the Bot API answers `getMe` (teloxide's errors carry no token).
async fn check(bot: &TelegramBot) -> Result<(), String> {
    bot.check()
        .await
        .map_err(|err| format!("getMe failed: {err}"))
}

/// The `secret_token` Telegram sends back with each update: derived from the master key, so
/// replicas agree without storing it; hex, which Telegram's character rules allow.
fn webhook_secret(keys: &MasterKeys) -> String {
    keys.derive("telegram-webhook-secret")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Core's rule for Telegram users never seen before, from `USHER_TELEGRAM_REGISTRATION`.
fn registration(setting: TelegramRegistration) -> Registration {
    match setting {
        TelegramRegistration::Member => {
            Registration::AutoRegister(usher_core::domain::role::builtin::MEMBER)
        }
        TelegramRegistration::Refuse => Registration::Refuse,
    }
}

fn teloxide_chat(id: i64) -> usher_bot::telegram::ChatId {
    usher_bot::telegram::ChatId(id)
}

fn teloxide_topic(id: i32) -> usher_bot::telegram::ThreadId {
    usher_bot::telegram::ThreadId(usher_bot::telegram::MessageId(id))
}
