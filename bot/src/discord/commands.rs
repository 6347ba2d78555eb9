//! The Discord command set, written once: [`COMMANDS`] names each slash command with its
//! options and handlers. What Discord registers ([`definitions`], with every name and
//! description localized from the catalogue's `discord-command-*` keys) and how an interaction
//! finds its handler ([`run`], [`complete`], [`refused`]) are both read from it, over either
//! transport, so the two cannot drift apart.

use futures_util::future::BoxFuture;
use serenity::builder::{
    CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateInteractionResponse,
};
use serenity::model::application::{CommandInteraction, CommandOptionType};
use usher_core::domain::IssueKind;
use usher_core::i18n::{Catalog, FALLBACK};
use usher_core::service::Caller;

use super::context::{DiscordBot, Refused};
use super::{account, decide, discover, issue, localize, search};

/// A command's handler: its answer to the caller's interaction.
type Run = for<'a> fn(&'a DiscordBot, &'a Caller, &'a CommandInteraction) -> BoxFuture<'a, Answer>;
/// The handler of a command's autocompleted option: the choices for what is typed.
type Complete = for<'a> fn(
    &'a DiscordBot,
    &'a Caller,
    &'a CommandInteraction,
) -> BoxFuture<'a, CreateAutocompleteResponse>;
/// What a command that admits strangers answers someone core refused; `None` leaves the
/// answer to the usual refusal notice.
type Stranger = for<'a> fn(
    &'a DiscordBot,
    &'a Refused,
    &'a CommandInteraction,
) -> BoxFuture<'a, Option<Answer>>;
/// An interaction response.
type Answer = CreateInteractionResponse;

/// One slash command: its name (which Discord sends back whatever the member's language; the
/// texts are under `discord-command-{name}`), its options and its handlers.
struct Command {
    name: &'static str,
    options: &'static [Opt],
    run: Run,
    complete: Option<Complete>,
    stranger: Option<Stranger>,
}

/// An option or subcommand, its texts under `discord-command-{key}`.
#[derive(Clone, Copy)]
struct Opt {
    kind: CommandOptionType,
    name: &'static str,
    key: &'static str,
    required: bool,
    autocomplete: bool,
    max_length: Option<u16>,
    min: Option<u64>,
    /// String choices, each named by the catalogue's `{key}-{value}`.
    choices: Option<fn() -> Vec<&'static str>>,
    /// A subcommand's own options.
    options: &'static [Opt],
}

impl Opt {
    const fn new(kind: CommandOptionType, name: &'static str, key: &'static str) -> Self {
        Self {
            kind,
            name,
            key,
            required: false,
            autocomplete: false,
            max_length: None,
            min: None,
            choices: None,
            options: &[],
        }
    }

    /// A string option.
    const fn text(name: &'static str, key: &'static str) -> Self {
        Self::new(CommandOptionType::String, name, key)
    }

    /// A subcommand with its options.
    const fn sub(name: &'static str, key: &'static str, options: &'static [Opt]) -> Self {
        let mut sub = Self::new(CommandOptionType::SubCommand, name, key);
        sub.options = options;
        sub
    }

    const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Autocompleted by the command's [`Command::complete`].
    const fn autocompleted(mut self) -> Self {
        self.autocomplete = true;
        self
    }

    const fn max_length(mut self, max: u16) -> Self {
        self.max_length = Some(max);
        self
    }

    const fn min(mut self, min: u64) -> Self {
        self.min = Some(min);
        self
    }

    const fn choices(mut self, values: fn() -> Vec<&'static str>) -> Self {
        self.choices = Some(values);
        self
    }
}

/// Longest title typed or chosen.
const MAX_TITLE: u16 = 100;

/// A `/request` subcommand's autocompleted `title`.
const fn title(key: &'static str) -> Opt {
    Opt::text("title", key)
        .required()
        .autocompleted()
        .max_length(MAX_TITLE)
}

/// A `/request` subcommand's optional note for the approvers (core sanitizes and limits it).
const NOTE: Opt = Opt::text("note", "note").max_length(200);

/// Every slash command the bot answers, in the order Discord lists them.
const COMMANDS: &[Command] = &[
    Command {
        name: "request",
        options: &[
            Opt::sub("movie", "request-movie", &[title("title-movie"), NOTE]),
            Opt::sub("tv", "request-tv", &[title("title-tv"), NOTE]),
        ],
        run: |bot, caller, cmd| Box::pin(search::request(bot, caller, cmd)),
        complete: Some(|bot, caller, cmd| Box::pin(search::complete(bot, caller, cmd))),
        stranger: None,
    },
    Command {
        name: "mine",
        options: &[],
        run: |bot, caller, cmd| Box::pin(account::mine(bot, caller, cmd)),
        complete: None,
        stranger: None,
    },
    Command {
        name: "cancel",
        options: &[
            Opt::new(CommandOptionType::Integer, "request", "cancel-request")
                .required()
                .min(1),
        ],
        run: |bot, caller, cmd| Box::pin(account::cancel(bot, caller, cmd)),
        complete: None,
        stranger: None,
    },
    Command {
        name: "pending",
        options: &[],
        run: |bot, caller, _| Box::pin(decide::pending(bot, caller)),
        complete: None,
        stranger: None,
    },
    Command {
        name: "help",
        options: &[],
        run: |bot, caller, _| Box::pin(async { bot.notice(&caller.language, "discord-help") }),
        complete: None,
        stranger: None,
    },
    Command {
        name: "link",
        options: &[Opt::text("code", "link-code").max_length(account::MAX_CODE)],
        run: |bot, caller, cmd| Box::pin(account::link(bot, caller, cmd)),
        complete: None,
        stranger: Some(|bot, refused, cmd| Box::pin(account::join(bot, refused, cmd))),
    },
    Command {
        name: "issue",
        options: &[
            Opt::text("title", "issue-title")
                .required()
                .autocompleted()
                .max_length(MAX_TITLE),
            Opt::text("text", "issue-text")
                .required()
                .max_length(issue::MAX_TEXT),
            Opt::text("kind", "issue-kind")
                .choices(|| IssueKind::ALL.iter().map(|k| k.as_str()).collect()),
        ],
        run: |bot, caller, cmd| Box::pin(issue::report(bot, caller, cmd)),
        complete: Some(|bot, caller, cmd| Box::pin(issue::complete(bot, caller, cmd))),
        stranger: None,
    },
    Command {
        name: "trending",
        options: &[
            Opt::text("kind", "trending-kind").choices(discover::kinds),
            Opt::text("period", "trending-window").choices(discover::windows),
        ],
        run: |bot, caller, cmd| Box::pin(discover::trending(bot, caller, cmd)),
        complete: None,
        stranger: None,
    },
    Command {
        name: "discover",
        options: &[],
        run: |bot, caller, _| Box::pin(discover::menu(bot, caller)),
        complete: None,
        stranger: None,
    },
];

/// The command an interaction names.
fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Answers a slash command through its handler.
pub(super) async fn run(bot: &DiscordBot, caller: &Caller, cmd: &CommandInteraction) -> Answer {
    match find(&cmd.data.name) {
        Some(command) => (command.run)(bot, caller, cmd).await,
        None => bot.notice(&caller.language, "discord-unsupported"),
    }
}

/// Answers an autocomplete through its command's handler; no choices for a command without
/// one.
pub(super) async fn complete(
    bot: &DiscordBot,
    caller: &Caller,
    cmd: &CommandInteraction,
) -> Answer {
    let choices = match find(&cmd.data.name).and_then(|c| c.complete) {
        Some(complete) => complete(bot, caller, cmd).await,
        None => CreateAutocompleteResponse::new(),
    };
    CreateInteractionResponse::Autocomplete(choices)
}

/// Answers a command from someone core refused: the command's own answer for strangers when it
/// has one, else why they are refused.
pub(super) async fn refused(
    bot: &DiscordBot,
    refused: &Refused,
    cmd: &CommandInteraction,
) -> Answer {
    if let Some(stranger) = find(&cmd.data.name).and_then(|c| c.stranger)
        && let Some(answer) = stranger(bot, refused, cmd).await
    {
        return answer;
    }
    bot.error_notice(&refused.lang, &refused.error)
}

/// Every slash command the bot answers (`/request movie|tv`, `/mine`, `/cancel`, `/pending`,
/// `/help`, `/link`, `/issue`, `/trending`, `/discover`) as registered with Discord by both transports, with their names
/// and descriptions in every shipped language from `catalog`.
#[must_use]
pub fn definitions(catalog: &Catalog) -> Vec<CreateCommand> {
    COMMANDS
        .iter()
        .map(|command| {
            let name = command.name;
            let options = command.options.iter().map(|o| option(catalog, o));
            localize::command(catalog, name, name).set_options(options.collect())
        })
        .collect()
}

/// One option as registered.
fn option(catalog: &Catalog, opt: &Opt) -> CreateCommandOption {
    let mut option = localize::option(catalog, opt.kind, opt.name, opt.key);
    if opt.required {
        option = option.required(true);
    }
    if opt.autocomplete {
        option = option.set_autocomplete(true);
    }
    if let Some(max) = opt.max_length {
        option = option.max_length(max);
    }
    if let Some(min) = opt.min {
        option = option.min_int_value(min);
    }
    for value in opt.choices.map(|values| values()).unwrap_or_default() {
        let key = format!("{}-{value}", opt.key);
        let names = localize::DISCORD_LOCALES
            .iter()
            .map(|(lang, locale)| (*locale, catalog.text(lang, &key, &[])));
        option =
            option.add_string_choice_localized(catalog.text(FALLBACK, &key, &[]), value, names);
    }
    for sub in opt.options {
        option = option.add_sub_option(self::option(catalog, sub));
    }
    option
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registered payload is the one Discord had before the command set was written once
    /// (a snapshot: a deliberate change to a command updates it).
    #[test]
    fn the_registered_payload_is_unchanged() {
        let catalog = Catalog::embedded().expect("catalogue");
        let now = serde_json::to_value(definitions(&catalog)).expect("json");
        let before: serde_json::Value =
            serde_json::from_str(include_str!("registered_commands.json")).expect("snapshot");
        assert_eq!(now, before);
    }

    /// Every option Discord autocompletes reaches a handler, and only commands with such an
    /// option have one: otherwise members would type into a field that never suggests.
    #[test]
    fn every_autocompleted_option_has_a_handler() {
        fn autocompletes(options: &[Opt]) -> bool {
            options
                .iter()
                .any(|o| o.autocomplete || autocompletes(o.options))
        }
        for command in COMMANDS {
            assert_eq!(
                autocompletes(command.options),
                command.complete.is_some(),
                "/{}",
                command.name
            );
        }
    }

    #[test]
    fn names_are_unique_and_routed() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        assert!(find("link").is_some_and(|c| c.stranger.is_some()));
        assert!(find("nope").is_none());
    }
}
