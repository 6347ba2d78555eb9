//! **Decline** with a reason: the button opens a modal (response type 9) asking why; its submit
//! declines through core with that reason, edits the card, and the requester is told the reason
//! by the notifier. The modal's `custom_id` is the signed Decline action, so a forged submit
//! changes nothing; core checks the permission before the modal opens and again on submit.

use serenity::builder::{CreateActionRow, CreateInputText, CreateInteractionResponse, CreateModal};
use serenity::model::application::{ActionRowComponent, InputTextStyle, ModalInteraction};
use usher_core::domain::RequestId;
use usher_core::service::Caller;

use super::context::{self, DiscordBot};
use super::render;
use crate::callback::Action;

/// The text input's id inside the modal.
const REASON: &str = "reason";
/// Longest reason core accepts.
const MAX_REASON: u16 = 500;
/// Characters in a modal title and a text input label.
const MAX_MODAL_TEXT: usize = 45;

/// **Decline** pressed: the modal asking for the reason, if core says the presser may decline
/// this request now; otherwise only the presser is told why.
pub(super) async fn open(
    bot: &DiscordBot,
    caller: &Caller,
    id: RequestId,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let requests = &bot.services().requests;
    let request = match requests.check_decline(&caller.actor, id).await {
        Ok(request) => request,
        Err(err) => return bot.error_notice(lang, &err),
    };
    let title = render::title_with_year(&request.media.title, request.media.year);
    let heading = bot.text(lang, "discord-decline-title", &[("title", title)]);
    let input = CreateInputText::new(
        InputTextStyle::Paragraph,
        render::clip(
            &bot.text(lang, "discord-decline-label", &[]),
            MAX_MODAL_TEXT,
        ),
        REASON,
    )
    .placeholder(render::clip(
        &bot.text(lang, "discord-decline-placeholder", &[]),
        100,
    ))
    .min_length(1)
    .max_length(MAX_REASON);
    let custom_id = bot.codec().encode(&Action::Decline { request_id: id.0 });
    let modal = CreateModal::new(custom_id, render::clip(&heading, MAX_MODAL_TEXT))
        .components(vec![CreateActionRow::InputText(input)]);
    CreateInteractionResponse::Modal(modal)
}

/// The reason typed in the modal.
fn reason(modal: &ModalInteraction) -> Option<&str> {
    modal
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            ActionRowComponent::InputText(input) if input.custom_id == REASON => {
                input.value.as_deref()
            }
            _ => None,
        })
}

/// The modal submitted (its signed id already checked: it declines `id`): decline with the
/// reason. A card (one title embed) is edited in place to show who declined and why (type 7);
/// from a list (`/pending`) the presser gets a notice.
pub(super) async fn submit(
    bot: &DiscordBot,
    caller: &Caller,
    modal: &ModalInteraction,
    id: RequestId,
) -> CreateInteractionResponse {
    let lang = &caller.language;
    let reason = reason(modal).unwrap_or_default();
    let requests = &bot.services().requests;
    if let Err(err) = requests.decline(&caller.actor, id, reason).await {
        return bot.error_notice(lang, &err);
    }
    let who = context::display_name(&modal.user);
    let args = [("who", who), ("reason", reason.trim().to_owned())];
    let outcome = bot.text(lang, "discord-card-declined-reason", &args);
    context::decided(modal.message.as_deref(), &outcome, outcome.clone())
}
