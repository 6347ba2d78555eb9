//! The member's own account: `/start` (welcome, and `link-<code>` deep links), `/help`,
//! `/link` (a one-time code from core's link service, or redeeming one), `/language` (a
//! keyboard of the shipped languages; the choice is stored in core and used for every later
//! reply and DM), and the command menu registered per language with `setMyCommands`.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup};
use teloxide::utils::command::BotCommands;
use usher_core::CoreError;
use usher_core::domain::Platform;
use usher_core::i18n::{Catalog, FALLBACK};
use usher_core::service::Caller;
use usher_core::service::link::LINK_CODE_TTL;

use super::context::{Context, display_name};
use super::{Command, Destination, HandlerError, render};
use crate::callback::{Action, LangTag};

/// The deep-link payload prefix that redeems a link code: `t.me/<bot>?start=link-<code>`.
pub const LINK_PREFIX: &str = "link-";

/// `/start`: a welcome and the commands; with a `link-<code>` payload (a deep link made for
/// another platform's code) it redeems the code instead.
pub(super) async fn start(
    ctx: &Context,
    caller: &Caller,
    from: &teloxide::types::User,
    payload: &str,
) -> String {
    let lang = &caller.language;
    if let Some(code) = payload.trim().strip_prefix(LINK_PREFIX) {
        return redeem(ctx, caller, code).await;
    }
    let name = from.first_name.clone();
    let welcome = ctx.catalog.text(lang, "bot-welcome", &[("name", name)]);
    format!("{welcome}\n{}", ctx.catalog.text(lang, "bot-help", &[]))
}

/// The link code `cmd` carries (`/start link-<code>`, `/link <code>`), if any: redeeming one is
/// the one thing a person the bot refuses may do.
pub(super) fn code_in(cmd: &Command) -> Option<&str> {
    let code = match cmd {
        Command::Start(payload) => payload.trim().strip_prefix(LINK_PREFIX)?,
        Command::Link(code) => code.trim(),
        _ => return None,
    };
    (!code.is_empty()).then_some(code)
}

/// `/link`: a one-time code for this account (in a private chat only: a code shown in a group
/// could be used by anyone there), or, given a code, redeeming it.
pub(super) async fn link(
    ctx: &Context,
    chat: &teloxide::types::Chat,
    caller: &Caller,
    arg: &str,
) -> String {
    let lang = &caller.language;
    if !arg.trim().is_empty() {
        return redeem(ctx, caller, arg).await;
    }
    if !chat.is_private() {
        return ctx.catalog.text(lang, "bot-link-private", &[]);
    }
    match ctx.services.links.create_code(&caller.actor).await {
        Ok(code) => {
            let minutes = (LINK_CODE_TTL.as_secs() / 60).to_string();
            let args = [("code", code.code), ("minutes", minutes)];
            ctx.catalog.text(lang, "bot-link-code", &args)
        }
        Err(error) => ctx.catalog.error_text(lang, &error),
    }
}

/// Joins this Telegram account into the account that made `code` (on Discord or the console).
async fn redeem(ctx: &Context, caller: &Caller, code: &str) -> String {
    let redeemed = ctx.services.links.redeem(&caller.actor, code).await;
    link_outcome(ctx, &caller.language, redeemed.map(drop))
}

/// Someone the bot refuses joins the account a code was made for (by an admin, in the
/// console): the one way in when registration is `refuse`.
pub(super) async fn join(
    ctx: &Context,
    from: &teloxide::types::User,
    lang: &str,
    code: &str,
) -> String {
    let id = from.id.0.to_string();
    let display = display_name(from);
    let links = &ctx.services.links;
    let joined = links.redeem_as_newcomer(Platform::Telegram, &id, &display, code);
    link_outcome(ctx, lang, joined.await.map(drop))
}

/// What to say about a redeemed (or refused) link code.
fn link_outcome(ctx: &Context, lang: &str, redeemed: usher_core::CoreResult<()>) -> String {
    let key = match redeemed {
        Ok(()) => "bot-link-done",
        Err(CoreError::NotFound(_)) => "bot-link-invalid",
        Err(CoreError::Conflict(_)) => "bot-link-already",
        Err(error) => return ctx.catalog.error_text(lang, &error),
    };
    ctx.catalog.text(lang, key, &[])
}

/// `/language`: one button per shipped language, each in its own name (the current choice
/// ticked), and one to follow the app's language again.
pub(super) fn language_picker(ctx: &Context, caller: &Caller) -> (String, InlineKeyboardMarkup) {
    let lang = &caller.language;
    let chosen = caller.user.locale.as_deref();
    let tick = |label: String, on: bool| if on { format!("✓ {label}") } else { label };
    let buttons: Vec<InlineKeyboardButton> = ctx
        .catalog
        .languages()
        .into_iter()
        .filter_map(|language| {
            let tag = LangTag::new(language)?;
            let name = ctx.catalog.text(language, "bot-language-name", &[]);
            let label = tick(name, chosen == Some(language));
            let data = ctx.codec.encode(&Action::SetLanguage { language: tag });
            Some(InlineKeyboardButton::callback(label, data))
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons
        .chunks(2)
        .map(<[InlineKeyboardButton]>::to_vec)
        .collect();
    let automatic = ctx.catalog.text(lang, "bot-language-automatic", &[]);
    let data = ctx.codec.encode(&Action::SetLanguage {
        language: LangTag::AUTOMATIC,
    });
    rows.push(vec![InlineKeyboardButton::callback(
        tick(automatic, chosen.is_none()),
        data,
    )]);
    let text = ctx.catalog.text(lang, "bot-language-pick", &[]);
    (text, InlineKeyboardMarkup::new(rows))
}

/// A language button: core stores the choice for the presser; the picker then says, in the
/// new language, what was chosen. Returns the answer for the press.
pub(super) async fn choose_language(
    bot: &Bot,
    ctx: &Context,
    q: &CallbackQuery,
    caller: &Caller,
    language: LangTag,
) -> usher_core::CoreResult<String> {
    let tag = language.language();
    if tag.is_some_and(|tag| !ctx.catalog.languages().contains(&tag)) {
        // Signed by us, but for a language this release no longer ships.
        return Err(CoreError::Validation(
            "not a language this bot speaks".into(),
        ));
    }
    ctx.services
        .users
        .choose_language(&caller.actor, tag)
        .await?;
    let now = ctx
        .catalog
        .negotiate(tag.or(q.from.language_code.as_deref()));
    let key = match tag {
        Some(_) => "bot-language-chosen",
        None => "bot-language-follow-app",
    };
    let text = ctx.catalog.text(now, key, &[]);
    if let Some(message) = q.regular_message() {
        let edit = bot.edit_message_text(message.chat.id, message.id, text.clone());
        ctx.out.post(edit, "confirm the language");
    }
    Ok(render::trim_chars(&text, render::MAX_ANSWER))
}

/// The command menu in `lang`: every command of [`Command`] with its description from the
/// catalogue (`bot-command-<name>`).
#[must_use]
pub fn commands(catalog: &Catalog, lang: &str) -> Vec<BotCommand> {
    Command::bot_commands()
        .into_iter()
        .map(|c| {
            let name = c.command.trim_start_matches('/').to_owned();
            let description = catalog.text(lang, &format!("bot-command-{name}"), &[]);
            BotCommand::new(name, description)
        })
        .collect()
}

/// Which menus to register: the fallback language's for everyone (no `language_code`), then
/// one per shipped language under its two-letter code (Telegram takes ISO 639-1 codes only, so
/// `pt-BR` is registered as `pt`; the first language with a code keeps it).
#[must_use]
pub fn command_languages(catalog: &Catalog) -> Vec<(Option<String>, String)> {
    let mut menus = vec![(None, FALLBACK.to_owned())];
    for language in catalog.languages() {
        let code = language
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let two_letters = code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase());
        let taken = menus.iter().any(|(c, _)| c.as_ref() == Some(&code));
        if two_letters && !taken {
            menus.push((Some(code), language.to_owned()));
        }
    }
    menus
}

/// Registers the command menus (see [`command_languages`]). A refusal is logged: the bot works
/// without a menu.
pub(super) async fn register_commands(bot: &Bot, catalog: &Catalog) {
    for (code, language) in command_languages(catalog) {
        let mut request = bot.set_my_commands(commands(catalog, &language));
        if let Some(code) = &code {
            request = request.language_code(code.clone());
        }
        if let Err(error) = request.await {
            tracing::warn!(%error, ?code, "could not register the Telegram commands");
        }
    }
}

/// Sends the `/language` picker through the queue.
pub(super) async fn send_picker(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
) -> Result<(), HandlerError> {
    let (text, keyboard) = language_picker(ctx, caller);
    ctx.out
        .send(to.message(bot, text).reply_markup(keyboard))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_menu_telegram_accepts() {
        let catalog = Catalog::embedded().expect("catalogue");
        let menus = command_languages(&catalog);
        let codes: Vec<Option<&str>> = menus.iter().map(|(c, _)| c.as_deref()).collect();
        assert_eq!(
            codes,
            [
                None,
                Some("de"),
                Some("en"),
                Some("es"),
                Some("fr"),
                Some("it"),
                Some("pt")
            ]
        );
        for (_, language) in &menus {
            let commands = commands(&catalog, language);
            assert_eq!(commands.len(), Command::bot_commands().len());
            for command in commands {
                assert!(
                    command
                        .command
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{command:?}"
                );
                let chars = command.description.chars().count();
                assert!((3..=256).contains(&chars), "{language}: {command:?}");
                assert!(!command.description.starts_with("bot-command-"));
            }
        }
    }
}
