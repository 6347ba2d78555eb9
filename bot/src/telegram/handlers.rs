//! The message endpoints: a command goes to the feature that owns it, plain text in a private
//! chat is a search. Each takes the [`Caller`] the edge resolved ([`super::context::resolve`]);
//! none resolves a person again.

use std::sync::Arc;

use teloxide::prelude::*;
use usher_core::domain::MediaType;
use usher_core::service::Caller;

use super::context::{Context, reply};
use super::{
    Command, Destination, HandlerError, account, cards, decide, discover, episodes, issue, mine,
    note,
};

/// A command in any served chat.
pub(super) async fn command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    ctx: Arc<Context>,
    caller: Caller,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "command");
    let Some(from) = msg.from.as_ref() else {
        return Ok(());
    };
    let lang = &caller.language;
    let to = Destination::of(&msg);
    let text = match cmd {
        Command::Start(payload) => account::start(&ctx, &caller, from, &payload).await,
        Command::Help => ctx.catalog.text(lang, "bot-help", &[]),
        Command::Link(arg) => account::link(&ctx, &msg.chat, &caller, &arg).await,
        Command::Language => return account::send_picker(&bot, &ctx, to, &caller).await,
        Command::Movie(query) => {
            let kind = Some(MediaType::Movie);
            return noted_search(&bot, &ctx, to, &caller, (&query, kind)).await;
        }
        Command::Tv(query) => {
            // The note comes off first; what is left may name episodes (`Show S02E05`).
            return match note::drafted(&bot, &ctx, to, &caller, &query).await? {
                Some(title) => episodes::search(&bot, &ctx, to, &caller, title).await,
                None => Ok(()),
            };
        }
        Command::Request(query) => {
            return noted_search(&bot, &ctx, to, &caller, (&query, None)).await;
        }
        Command::Mine => mine::mine(&ctx, &caller, &msg.chat).await,
        Command::Cancel(arg) => mine::cancel(&ctx, &caller, &arg).await,
        Command::Pending => return decide::pending(&bot, &ctx, to, &caller).await,
        Command::Issue(arg) => issue::report(&ctx, &msg.chat, &caller, &arg).await,
        Command::Trending(arg) => return discover::trending(&bot, &ctx, to, &caller, &arg).await,
        Command::Discover(_) => return discover::menu(&bot, &ctx, to, &caller).await,
    };
    reply(&bot, &ctx, to, &text).await
}

/// A search whose words may end with ` -- a note` for the request made from its card.
async fn noted_search(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
    (text, kind): (&str, Option<MediaType>),
) -> Result<(), HandlerError> {
    match note::drafted(bot, ctx, to, caller, text).await? {
        Some(title) => cards::search(bot, ctx, to, caller, title, kind).await,
        None => Ok(()),
    }
}

/// Plain text in a private chat is a search for movies and shows.
pub(super) async fn plain_text(
    bot: Bot,
    msg: Message,
    ctx: Arc<Context>,
    caller: Caller,
) -> Result<(), HandlerError> {
    usher_core::metrics::global().bot_interaction("telegram", "message");
    let Some(text) = msg.text() else {
        return Ok(());
    };
    let to = Destination::of(&msg);
    cards::search(&bot, &ctx, to, &caller, text, None).await
}
