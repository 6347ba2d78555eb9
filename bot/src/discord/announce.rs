//! The public "X requested Y" post (`USHER_DISCORD_ANNOUNCE_CHANNEL_ID`): who asked and the
//! title with its year, with the poster as a thumbnail. The notifier posts it from core's
//! outbox, so a restart loses none and several replicas post each once.

use serenity::builder::{CreateAllowedMentions, CreateEmbed, CreateMessage};

use super::context::DiscordBot;
use super::render::{self, TitleView};

/// The announcement of a request for `view` by `who`, in `lang`. Names are written as they
/// are, but no mention in them pings anyone (`allowed_mentions` is empty).
pub(super) fn message(bot: &DiscordBot, lang: &str, view: &TitleView, who: &str) -> CreateMessage {
    let title = render::title_with_year(&view.title, view.year);
    let text = bot.text(
        lang,
        "discord-announce",
        &[("who", who.to_owned()), ("title", title)],
    );
    let mut embed =
        CreateEmbed::new().description(render::clip(&text, render::MAX_EMBED_DESCRIPTION));
    if let Some(poster) = &view.poster_url {
        embed = embed.thumbnail(poster);
    }
    CreateMessage::new()
        .embed(embed)
        .allowed_mentions(CreateAllowedMentions::new())
}
