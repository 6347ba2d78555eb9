//! Wires the Telegram bot into `usher serve` when `USHER_TELEGRAM_TOKEN` is set: long polling
//! against `USHER_TELEGRAM_API_URL`, plus the notifier that posts approver cards and DMs.

use std::sync::Arc;

use anyhow::Context as _;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;
use usher_bot::callback::CallbackCodec;
use usher_bot::telegram::{Context, TelegramBot};
use usher_core::config::Settings;
use usher_core::crypto::MasterKeys;
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{Registration, Services};

/// Key label for signing button ids, so they never share a key with anything else.
const CALLBACK_KEY: &str = "callback-signing";

/// Starts the bot and its notifier; returns their tasks, or nothing when Telegram is off.
pub fn start(
    settings: &Settings,
    services: &Services,
    keys: &MasterKeys,
    tmdb: Option<TmdbClient>,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    let Some(telegram) = &settings.telegram else {
        return Ok(Vec::new());
    };
    let catalog = Catalog::embedded().map_err(anyhow::Error::msg)?;
    let context = Context {
        services: services.clone(),
        tmdb,
        catalog: Arc::new(catalog),
        codec: CallbackCodec::new(
            keys.derive(CALLBACK_KEY),
            keys.derive_previous(CALLBACK_KEY),
        ),
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
