//! The poise commands of the gateway transport. They route only: each one hands the whole
//! interaction to [`DiscordBot::answer`], the function the HTTP endpoint calls, so both
//! transports read the options, check and answer alike. Their names and parameters mirror
//! what [`crate::discord::definitions`] registers (a test compares the two); the
//! registration itself is the shared one, so both transports register the same payload.

use serenity::all::{CreateAutocompleteResponse, CreateInteractionResponse, Interaction};

use super::{GatewayError, reply};
use crate::discord::DiscordBot;

/// The poise context of these commands.
type Ctx<'a> = poise::ApplicationContext<'a, DiscordBot, GatewayError>;

/// Every command the gateway answers.
pub(super) fn all() -> Vec<poise::Command<DiscordBot, GatewayError>> {
    vec![
        request(),
        mine(),
        cancel(),
        pending(),
        help(),
        link(),
        issue(),
    ]
}

/// Answers the command through the shared handler.
async fn answer(ctx: Ctx<'_>) -> Result<(), GatewayError> {
    let interaction = Interaction::Command(ctx.interaction.clone());
    reply(ctx.data(), interaction).await;
    Ok(())
}

/// Autocomplete for `title`: the shared handler's choices (none when it was too slow).
async fn title_choices(ctx: Ctx<'_>, _partial: &str) -> CreateAutocompleteResponse {
    let interaction = Interaction::Autocomplete(ctx.interaction.clone());
    match ctx.data().answer(interaction).await {
        CreateInteractionResponse::Autocomplete(choices) => choices,
        _ => CreateAutocompleteResponse::new(),
    }
}

/// Request a movie or a TV show
#[poise::command(slash_command, subcommands("movie", "tv"), subcommand_required)]
#[expect(
    clippy::unused_async,
    reason = "poise wants an async body for a parent command"
)]
async fn request(_ctx: Ctx<'_>) -> Result<(), GatewayError> {
    Ok(())
}

/// Request a movie
#[poise::command(slash_command)]
async fn movie(
    ctx: Ctx<'_>,
    #[description = "The movie's title"]
    #[autocomplete = "title_choices"]
    #[max_length = 100]
    title: String,
) -> Result<(), GatewayError> {
    // The shared handler reads the title from the interaction itself.
    let _ = title;
    answer(ctx).await
}

/// Request a TV show
#[poise::command(slash_command)]
async fn tv(
    ctx: Ctx<'_>,
    #[description = "The show's title"]
    #[autocomplete = "title_choices"]
    #[max_length = 100]
    title: String,
) -> Result<(), GatewayError> {
    let _ = title;
    answer(ctx).await
}

/// Your requests and their status
#[poise::command(slash_command)]
async fn mine(ctx: Ctx<'_>) -> Result<(), GatewayError> {
    answer(ctx).await
}

/// Withdraw one of your pending requests
#[poise::command(slash_command)]
async fn cancel(
    ctx: Ctx<'_>,
    #[description = "The request's number (/mine shows it)"]
    #[min = 1]
    request: i64,
) -> Result<(), GatewayError> {
    let _ = request;
    answer(ctx).await
}

/// Requests waiting for approval (approvers)
#[poise::command(slash_command)]
async fn pending(ctx: Ctx<'_>) -> Result<(), GatewayError> {
    answer(ctx).await
}

/// What I can do
#[poise::command(slash_command)]
async fn help(ctx: Ctx<'_>) -> Result<(), GatewayError> {
    answer(ctx).await
}

/// Get a code to join your accounts, or enter one
#[poise::command(slash_command)]
async fn link(
    ctx: Ctx<'_>,
    #[description = "A code from another account or the web console"]
    #[max_length = 20]
    code: Option<String>,
) -> Result<(), GatewayError> {
    let _ = code;
    answer(ctx).await
}

/// Report a problem with a title in the library
#[poise::command(slash_command)]
async fn issue(
    ctx: Ctx<'_>,
    #[description = "The title, as the library holds it"]
    #[autocomplete = "title_choices"]
    #[max_length = 100]
    title: String,
    #[description = "What is wrong (wrong audio, missing subtitles, bad video…)"]
    #[max_length = 1000]
    text: String,
    #[description = "What kind of problem (optional)"] kind: Option<String>,
) -> Result<(), GatewayError> {
    let _ = (title, text, kind);
    answer(ctx).await
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// A command's shape as Discord matches it: names of the command, its subcommands and
    /// options, option types, and which ones autocomplete.
    fn shape(command: &Value) -> Value {
        let options = command["options"].as_array().cloned().unwrap_or_default();
        serde_json::json!({
            "name": command["name"],
            "type": command.get("type").cloned().unwrap_or(Value::Null),
            "required": command.get("required").and_then(Value::as_bool).unwrap_or(false),
            "autocomplete": command.get("autocomplete").and_then(Value::as_bool).unwrap_or(false),
            "options": options.iter().map(shape).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn poise_commands_match_the_registered_definitions() {
        let poise_side: Vec<Value> = poise::builtins::create_application_commands(&super::all())
            .iter()
            .map(|c| shape(&serde_json::to_value(c).expect("json")))
            .collect();
        let catalog = usher_core::i18n::Catalog::embedded().expect("catalogue");
        let registered: Vec<Value> = crate::discord::definitions(&catalog)
            .iter()
            .map(|c| shape(&serde_json::to_value(c).expect("json")))
            .collect();
        assert_eq!(poise_side, registered);
        assert_eq!(registered.len(), 7);
    }
}
