//! Wires the Telegram bot into `usher serve` when `USHER_TELEGRAM_TOKEN` is set: long polling
//! against `USHER_TELEGRAM_API_URL`, plus the notifier that posts approver cards and DMs.

use anyhow::Context as _;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;
use usher_bot::telegram::{Context, TelegramBot};
use usher_core::config::Settings;
use usher_core::service::{Registration, Services};

use crate::bots::BotKit;

/// Starts the bot and its notifier; returns their tasks, or nothing when Telegram is off.
pub fn start(
    settings: &Settings,
    services: &Services,
    kit: &BotKit,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let Some(telegram) = &settings.telegram else {
        return Ok(Vec::new());
    };
    let context = Context {
        services: services.clone(),
        tmdb: kit.tmdb.clone(),
        catalog: kit.catalog.clone(),
        codec: kit.codec.clone(),
        admin_chat: telegram.admin_chat_id.map(teloxide_chat),
        allowed_chats: telegram.allowed_chat_ids.clone(),
        registration: Registration::AutoRegister(usher_core::domain::role::builtin::MEMBER),
    };
    let bot = TelegramBot::new(telegram.token.expose_secret(), &telegram.api_url, context)
        .context("USHER_TELEGRAM_API_URL is not a URL")?;
    let notifier = bot.notifier();
    println!("telegram bot: long polling {}", telegram.api_url);
    if telegram.webhook_url.is_some() {
        println!("note: Telegram webhook mode is not in this build yet; long polling instead");
    }
    Ok(vec![tokio::spawn(notifier.run()), tokio::spawn(bot.run())])
}

fn teloxide_chat(id: i64) -> usher_bot::telegram::ChatId {
    usher_bot::telegram::ChatId(id)
}
