//! Group voting on Discord: a request made in a server is answered with a public card in the
//! channel carrying **I want this too**; each press is one core call
//! ([`usher_core::service::RequestService::vote`]) that counts the presser once (whichever
//! platform they use), makes them a follower and may reach the server's threshold, which
//! approves the request. As on Telegram the card keeps the tally: a vote that counts updates
//! it in place (the interaction's UPDATE_MESSAGE answer) with the new count on the button and
//! what the vote did below the text; once the request no longer waits the button goes. A
//! press that changes nothing (a second vote, the requester's own) is answered privately.

use serenity::builder::{
    CreateActionRow, CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::model::application::{ButtonStyle, ComponentInteraction};
use usher_core::CoreResult;
use usher_core::domain::{PlaceKey, RequestId};
use usher_core::service::{Caller, RequestOutcome};

use super::context::{DiscordBot, ephemeral};
use super::render;
use crate::callback::Action;
use crate::flows::votes::{CardAfterVote, button_label};

/// The place a press or command comes from: its server; `None` in DMs.
pub(super) fn place_of(guild: Option<serenity::model::id::GuildId>) -> Option<PlaceKey> {
    guild.map(|g| PlaceKey::DiscordGuild(g.get()))
}

/// The public card others vote on, answering the request press in a server channel.
pub(super) fn card(
    bot: &DiscordBot,
    caller: &Caller,
    outcome: &RequestOutcome,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let args = [
        ("who", caller.user.display_name.clone()),
        ("title", outcome.request.media.title.clone()),
    ];
    let text = bot.text(lang, "bot-vote-card", &args);
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(render::clip(&text, render::MAX_CONTENT))
            .components(vec![button_row(bot, lang, outcome.request.id, 1)]),
    )
}

/// The card's one button: "🙋 I want this too (n)".
fn button_row(bot: &DiscordBot, lang: &str, id: RequestId, votes: u32) -> CreateActionRow {
    let label = button_label(bot.catalog(), lang, votes);
    let vote = bot.codec().encode(&Action::Vote { request_id: id.0 });
    CreateActionRow::Buttons(vec![render::button(vote, &label, ButtonStyle::Primary)])
}

/// **I want this too**: votes through core; the card follows (tally, or no button once the
/// request no longer waits), and a press that changed nothing is told so privately.
pub(super) async fn vote(
    bot: &DiscordBot,
    caller: &Caller,
    press: &ComponentInteraction,
    request_id: i64,
) -> CoreResult<CreateInteractionResponse> {
    let place = place_of(press.guild_id);
    let id = RequestId(request_id);
    let outcome = bot
        .services()
        .requests
        .vote(&caller.actor, id, place)
        .await?;
    let lang = caller.language.as_str();
    let text = crate::flows::votes::answer(bot.catalog(), lang, &outcome);
    let button = match CardAfterVote::of(&outcome) {
        CardAfterVote::Tally(votes) => Some(button_row(bot, lang, outcome.request.id, votes)),
        CardAfterVote::NoButton => None,
        CardAfterVote::Unchanged => return Ok(ephemeral(text)),
    };
    let card = card_text(&press.message.content);
    let content = if card.is_empty() {
        text
    } else {
        format!("{card}\n\n{text}")
    };
    let message = CreateInteractionResponseMessage::new()
        .content(render::clip(&content, render::MAX_CONTENT))
        .components(button.into_iter().collect());
    Ok(CreateInteractionResponse::UpdateMessage(message))
}

/// The card's own text: what it said before the last vote's line was added below it.
fn card_text(content: &str) -> &str {
    content.split_once("\n\n").map_or(content, |(card, _)| card)
}
