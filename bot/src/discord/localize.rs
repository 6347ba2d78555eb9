//! Slash command names and descriptions in the members' languages: Discord shows
//! `name_localizations` / `description_localizations` to members whose client uses one of
//! those locales. The texts come from locales/ (`discord-command-*` keys); the command names
//! themselves stay the English ones in code, since Discord always sends those back.

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;
use usher_core::i18n::{Catalog, FALLBACK};

/// Our shipped languages (besides en-US) and the Discord locale each one is shown to.
pub const DISCORD_LOCALES: [(&str, &str); 5] = [
    ("de", "de"),
    ("fr", "fr"),
    ("es", "es-ES"),
    ("pt-BR", "pt-BR"),
    ("it", "it"),
];

/// A command `name` whose texts are under `discord-command-{key}`.
pub(super) fn command(catalog: &Catalog, name: &str, key: &str) -> CreateCommand {
    let mut command = CreateCommand::new(name).description(description(catalog, FALLBACK, key));
    for (lang, locale) in DISCORD_LOCALES {
        command = command
            .name_localized(locale, self::name(catalog, lang, key))
            .description_localized(locale, description(catalog, lang, key));
    }
    command
}

/// An option (or subcommand) `name` of type `kind` whose texts are under
/// `discord-command-{key}`.
pub(super) fn option(
    catalog: &Catalog,
    kind: CommandOptionType,
    name: &str,
    key: &str,
) -> CreateCommandOption {
    let mut option = CreateCommandOption::new(kind, name, description(catalog, FALLBACK, key));
    for (lang, locale) in DISCORD_LOCALES {
        option = option
            .name_localized(locale, self::name(catalog, lang, key))
            .description_localized(locale, description(catalog, lang, key));
    }
    option
}

fn name(catalog: &Catalog, lang: &str, key: &str) -> String {
    catalog.text(lang, &format!("discord-command-{key}"), &[])
}

fn description(catalog: &Catalog, lang: &str, key: &str) -> String {
    catalog.text(lang, &format!("discord-command-{key}-description"), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every localized name is one Discord accepts (lower case, no spaces, 1–32 characters) and
    /// every description fits (1–100 characters), in every shipped language.
    #[test]
    fn localized_names_and_descriptions_fit_discords_rules() {
        let catalog = Catalog::embedded().expect("catalogue");
        let commands = crate::discord::definitions(&catalog);
        let json = serde_json::to_value(&commands).expect("json");
        let mut seen = 0;
        let mut check = |item: &serde_json::Value| {
            for (_, locale) in DISCORD_LOCALES {
                let name = item["name_localizations"][locale].as_str().expect("name");
                let description = item["description_localizations"][locale]
                    .as_str()
                    .expect("description");
                assert!(
                    (1..=32).contains(&name.chars().count())
                        && name.chars().all(|c| c == '-'
                            || c == '_'
                            || c.is_numeric()
                            || (c.is_alphabetic() && !c.is_uppercase())),
                    "{locale}: {name:?}"
                );
                assert!(!name.starts_with("discord-command"), "{locale}: {name}");
                assert!((1..=100).contains(&description.chars().count()));
                seen += 1;
            }
        };
        for command in json.as_array().expect("commands") {
            check(command);
            for option in command["options"].as_array().into_iter().flatten() {
                check(option);
                for inner in option["options"].as_array().into_iter().flatten() {
                    check(inner);
                }
            }
        }
        // 7 commands, 2 subcommands, 3 titles, a number, a code, a text, a kind; /trending with
        // its kind and period, /discover; a note on each /request subcommand — in 5 locales.
        assert_eq!(seen, 22 * 5);
    }

    #[test]
    fn german_members_see_german_command_names() {
        let catalog = Catalog::embedded().expect("catalogue");
        let json = serde_json::to_value(crate::discord::definitions(&catalog)).expect("json");
        assert_eq!(json[0]["name"], "request");
        assert_eq!(json[0]["name_localizations"]["de"], "anfragen");
        assert_eq!(
            json[0]["options"][0]["name_localizations"]["es-ES"],
            "película"
        );
        assert_eq!(
            json[0]["description"], "Request a movie or a TV show",
            "English stays the default"
        );
    }
}
