//! Group voting on Discord: a request made in a server is answered with a public card in the
//! channel carrying **I want this too**; each press is one core call
//! ([`usher_core::service::RequestService::vote`]) that counts the presser once (whichever
//! platform they use), makes them a follower and may reach the server's threshold, which
//! approves the request. The presser is answered privately.

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
    let label = bot.text(lang, "bot-vote-button", &[("votes", "1".to_owned())]);
    let vote = bot.codec().encode(&Action::Vote {
        request_id: outcome.request.id.0,
    });
    let row = CreateActionRow::Buttons(vec![render::button(vote, &label, ButtonStyle::Primary)]);
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(render::clip(&text, render::MAX_CONTENT))
            .components(vec![row]),
    )
}

/// **I want this too**: votes through core and tells the presser what their vote did.
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
    let text = crate::flows::votes::answer(bot.catalog(), &caller.language, &outcome);
    Ok(ephemeral(text))
}
