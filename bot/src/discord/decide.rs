//! Deciding requests: `/pending` lists up to five waiting requests as cards, each with its own
//! **Approve** / **Decline**, and **Approve** (on such a card or on an approver card in the
//! admin channel) approves through core, which checks the permission. **Decline** asks for a
//! reason first (see the `decline` module).

use serenity::builder::{
    CreateActionRow, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};
use serenity::model::application::{ButtonStyle, ComponentInteraction};
use usher_core::domain::{Request, RequestId};
use usher_core::service::Caller;

use super::context::{self, DiscordBot};
use super::render;
use crate::callback::Action;
use crate::flows;

/// Cards one `/pending` answer shows: one action row of buttons each, and Discord allows five.
const PENDING_CARDS: u32 = 5;

/// `/pending`: up to five waiting requests as cards, each with its own Approve / Decline.
pub(super) async fn pending(bot: &DiscordBot, caller: &Caller) -> CreateInteractionResponse {
    let lang = &caller.language;
    let items = match flows::pending(bot.services(), &caller.actor, PENDING_CARDS + 1).await {
        Ok(items) => items,
        Err(err) => return bot.error_notice(lang, &err),
    };
    if items.is_empty() {
        return bot.notice(lang, "bot-pending-empty");
    }
    let more = items.len() > PENDING_CARDS as usize;
    let mut message = CreateInteractionResponseMessage::new().ephemeral(true);
    if more {
        message = message.content(bot.text(lang, "discord-pending-more", &[]));
    }
    let mut embeds = Vec::new();
    let mut rows = Vec::new();
    for request in items.iter().take(PENDING_CARDS as usize) {
        let (embed, row) = pending_card(bot, lang, request).await;
        embeds.push(embed);
        rows.push(row);
    }
    CreateInteractionResponse::Message(message.embeds(embeds).components(rows))
}

/// One waiting request: its title, number and requester, and buttons naming its number.
async fn pending_card(
    bot: &DiscordBot,
    lang: &str,
    request: &Request,
) -> (CreateEmbed, CreateActionRow) {
    let who = match bot.services().users.get(request.requested_by).await {
        Ok((user, _)) => user.display_name,
        Err(_) => format!("#{}", request.requested_by),
    };
    let id = request.id.0;
    let title = render::title_with_year(&request.media.title, request.media.year);
    let args = [("id", id.to_string()), ("who", who)];
    let footer = bot.text(lang, "discord-pending-footer", &args);
    let embed = CreateEmbed::new()
        .title(render::clip(&title, render::MAX_EMBED_TITLE))
        .footer(CreateEmbedFooter::new(render::clip(
            &footer,
            render::MAX_EMBED_FOOTER,
        )));
    let codec = bot.codec();
    let label = |key: &str| format!("{} #{id}", bot.text(lang, key, &[]));
    let row = CreateActionRow::Buttons(vec![
        render::button(
            codec.encode(&Action::Approve { request_id: id }),
            &label("discord-button-approve"),
            ButtonStyle::Success,
        ),
        render::button(
            codec.encode(&Action::Decline { request_id: id }),
            &label("discord-button-decline"),
            ButtonStyle::Danger,
        ),
    ]);
    (embed, row)
}

/// **Approve**: core checks the permission; on success a card is updated in place (type 7)
/// with the outcome and the actor, an approver list (`/pending`) answers with a notice, and
/// otherwise only the presser is told why not.
pub(super) async fn approve(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    id: RequestId,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    if let Err(err) = bot.services().requests.approve(&caller.actor, id).await {
        return bot.error_notice(lang, &err);
    }
    done_by(bot, lang, press, id, "discord-card-approved")
}

/// **Retry** on a failed card: core sends the request again (checking the permission); the
/// card keeps the upstream's answer and says who sent it again, without buttons.
pub(super) async fn retry(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    id: RequestId,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    if let Err(err) = bot.services().requests.retry(&caller.actor, id).await {
        return bot.error_notice(lang, &err);
    }
    done_by(bot, lang, press, id, "discord-card-retried")
}

/// The card once the presser's action went through: `outcome_key`'s text, naming them, in
/// place of the buttons (and as the notice of an approver list).
fn done_by(
    bot: &DiscordBot,
    lang: &str,
    press: &ComponentInteraction,
    id: RequestId,
    outcome_key: &str,
) -> CreateInteractionResponse {
    // The presser as Discord shows them: admins seeded from configuration have no name yet.
    let who = context::display_name(&press.user);
    let outcome = bot.text(lang, outcome_key, &[("who", who)]);
    let notice = format!("#{id}: {outcome}");
    context::decided(Some(&press.message), &outcome, notice)
}
