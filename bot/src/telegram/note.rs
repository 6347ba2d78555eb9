//! A note typed with a search: `/movie Dune -- for the kids' weekend`. The words after ` -- `
//! are kept by core as the person's draft note ([`RequestService::draft_note`]), which the
//! request they then make from the card takes along to the approvers; the words before are
//! searched. A note core refuses (too long) is answered and nothing is searched.
//!
//! [`RequestService::draft_note`]: usher_core::service::RequestService::draft_note

use teloxide::prelude::*;
use usher_core::service::Caller;

use super::context::{Context, reply};
use super::{Destination, HandlerError};

/// What separates the title from the note.
const SEPARATOR: &str = "--";

/// The title and the note, when there is one.
fn split(text: &str) -> (&str, Option<&str>) {
    match text.split_once(SEPARATOR) {
        Some((title, note)) => (title.trim(), Some(note)),
        None => (text.trim(), None),
    }
}

/// Keeps the note of `text` (if any) and returns the title to search, or `None` when the note
/// was refused (the person has been told why).
pub(super) async fn drafted<'a>(
    bot: &Bot,
    ctx: &Context,
    to: Destination,
    caller: &Caller,
    text: &'a str,
) -> Result<Option<&'a str>, HandlerError> {
    let (title, note) = split(text);
    let Some(note) = note else {
        return Ok(Some(title));
    };
    let lang = caller.language.as_str();
    match ctx.services.requests.draft_note(&caller.actor, note).await {
        Ok(Some(kept)) => {
            let said = ctx.catalog.text(lang, "bot-note-kept", &[("note", kept)]);
            reply(bot, ctx, to, &said).await?;
            Ok(Some(title))
        }
        Ok(None) => Ok(Some(title)),
        Err(error) => {
            reply(bot, ctx, to, &ctx.catalog.error_text(lang, &error)).await?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn the_note_follows_two_dashes() {
        assert_eq!(
            split("Dune -- for the kids' weekend"),
            ("Dune", Some(" for the kids' weekend"))
        );
        assert_eq!(split(" Dune "), ("Dune", None));
        assert_eq!(split("Dune --"), ("Dune", Some("")));
    }
}
