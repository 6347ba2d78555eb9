//! The catalogue's tests: every locale has the keys, messages render, errors promise nothing.
use super::*;
use crate::domain::{QuotaExceeded, QuotaLimit, RequestStatus, Timestamp, UserId};

fn catalog() -> Catalog {
    Catalog::embedded().expect("locales parse")
}

/// The languages beside en-US and de, added for the bots first and for the console later.
const NEWER: [&str; 4] = ["fr", "es", "pt-BR", "it"];

/// Every language Usher speaks, in the bots and in the console.
const ALL_SIX: [&str; 6] = ["en-US", "de", "fr", "es", "it", "pt-BR"];

#[test]
fn every_locale_has_every_en_us_key() {
    let catalog = catalog();
    assert!(catalog.keys(FALLBACK).len() > 10);
    for (lang, file, _) in FILES {
        let reference = Catalog::keys_in_file(FALLBACK, file)
            .unwrap_or_else(|| panic!("locales/{lang}/{file} has no en-US counterpart"));
        let keys = Catalog::keys_in_file(lang, file).expect("listed file");
        let missing: Vec<&String> = reference.iter().filter(|k| !keys.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "locales/{lang}/{file} lacks {missing:?}"
        );
    }
    assert_eq!(catalog.languages().len(), ALL_SIX.len());
    for lang in ALL_SIX {
        assert!(catalog.languages().contains(&lang), "{lang} is not loaded");
        for file in [
            "common.ftl",
            "bot.ftl",
            "discord.ftl",
            "cards.ftl",
            "issues.ftl",
            "console.ftl",
        ] {
            assert!(
                Catalog::keys_in_file(lang, file).is_some(),
                "{lang} lacks {file}"
            );
        }
    }
}

#[test]
fn the_chat_catalogue_says_every_chat_text_as_the_whole_one_does_and_no_console_text() {
    let whole = catalog();
    let chat = Catalog::for_chat().expect("locales parse");
    let args = [
        ("title", "Dune".to_owned()),
        ("count", "2".to_owned()),
        ("name", "Ada".to_owned()),
    ];
    let mut compared = 0;
    for (lang, file, _) in FILES.iter().filter(|(_, file, _)| *file != CONSOLE_FILE) {
        // A chat text that referred to a console message or term would differ here.
        for key in Catalog::keys_in_file(lang, file).expect("listed file") {
            assert_eq!(
                chat.text(lang, &key, &args),
                whole.text(lang, &key, &args),
                "{lang}: {key}"
            );
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared}");
    assert_eq!(chat.languages(), whole.languages());
    let console_key = "console-nav-dashboard";
    assert_ne!(whole.text("de", console_key, &[]), console_key);
    assert_eq!(chat.text("de", console_key, &[]), console_key);
}

#[test]
fn translations_keep_every_variable_of_en_us() {
    let variables = |source: &str| -> Vec<String> {
        source
            .split('$')
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect()
            })
            .collect()
    };
    for (lang, file, text) in FILES {
        let (_, _, reference) = FILES
            .iter()
            .find(|(l, f, _)| *l == FALLBACK && f == file)
            .expect("en-US file");
        let reference = messages(reference);
        for (key, source) in messages(text) {
            let Some((_, english)) = reference.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let have = variables(&source);
            for variable in variables(english) {
                assert!(
                    have.contains(&variable),
                    "locales/{lang}/{file}: {key} lost ${variable}"
                );
            }
        }
    }
}

#[test]
fn every_language_has_its_own_console_texts() {
    let catalog = catalog();
    let keys = Catalog::keys_in_file(FALLBACK, "console.ftl").expect("console keys");
    for lang in ALL_SIX.into_iter().filter(|l| *l != FALLBACK) {
        // Names, brands and codes read the same everywhere; most sentences must not.
        let same: Vec<&String> = keys
            .iter()
            .filter(|k| catalog.text(lang, k, &[]) == catalog.text(FALLBACK, k, &[]))
            .collect();
        assert!(
            same.len() * 5 < keys.len(),
            "{lang}: {} of {} console texts are English: {same:?}",
            same.len(),
            keys.len()
        );
        for key in [
            "console-nav-dashboard",
            "console-dashboard-title",
            "console-sign-out",
        ] {
            assert_ne!(
                catalog.text(lang, key, &[]),
                catalog.text(FALLBACK, key, &[]),
                "{lang}: {key}"
            );
        }
    }
    let welcome = ("name", "Ada".to_owned());
    assert_eq!(
        catalog.text(
            "fr",
            "console-dashboard-welcome",
            std::slice::from_ref(&welcome)
        ),
        "Bienvenue, Ada."
    );
}

#[test]
fn only_shipped_languages_are_shipped() {
    for lang in ALL_SIX {
        assert_eq!(shipped_language(lang), Some(lang));
    }
    assert_eq!(shipped_language("PT_br"), Some("pt-BR"));
    assert_eq!(shipped_language(" FR "), Some("fr"));
    for other in ["", "xx", "fr-CA", "pt", "de-AT", "en", "de;DROP"] {
        assert_eq!(shipped_language(other), None, "{other:?}");
    }
}

#[test]
fn matching_says_when_nothing_fits() {
    let catalog = catalog();
    assert_eq!(catalog.matching("fr-CA"), Some("fr"));
    assert_eq!(catalog.matching("pt"), Some("pt-BR"));
    assert_eq!(catalog.matching("ja"), None);
    assert_eq!(catalog.matching(" "), None);
}

#[test]
fn new_languages_format_their_own_text_with_variables() {
    let catalog = catalog();
    let query = ("query", "Dune Part Two".to_owned());
    let english = catalog.text(FALLBACK, "bot-no-results", std::slice::from_ref(&query));
    for lang in NEWER {
        let text = catalog.text(lang, "bot-no-results", std::slice::from_ref(&query));
        assert!(text.contains("Dune Part Two"), "{lang}: {text}");
        assert_ne!(text, english, "{lang} fell back to English");
        let card = catalog.text(
            lang,
            "bot-approver-card",
            &[
                ("id", "42".to_owned()),
                ("title", "Dune (2021)".to_owned()),
                ("kind", catalog.text(lang, "bot-kind-movie", &[])),
                ("who", "@ada".to_owned()),
            ],
        );
        for part in ["#42", "Dune (2021)", "@ada"] {
            assert!(card.contains(part), "{lang}: {card}");
        }
        let help = catalog.text(lang, "bot-help", &[]);
        for command in ["/movie", "/tv", "/request", "/mine", "/cancel", "/pending"] {
            assert!(
                help.contains(command),
                "{lang} help lacks {command}: {help}"
            );
        }
    }
}

#[test]
fn negotiation_falls_back_by_language_then_to_english() {
    let catalog = catalog();
    assert_eq!(catalog.negotiate(Some("de-AT")), "de");
    assert_eq!(catalog.negotiate(Some("en_GB")), "en-US");
    assert_eq!(catalog.negotiate(Some("ja")), FALLBACK);
    assert_eq!(catalog.negotiate(Some("")), FALLBACK);
    assert_eq!(catalog.negotiate(None), FALLBACK);
}

#[test]
fn negotiation_maps_platform_locales_to_the_new_languages() {
    let catalog = catalog();
    let cases = [
        // Discord sends BCP 47 tags with a region for some languages.
        ("pt-BR", "pt-BR"),
        ("es-ES", "es"),
        ("fr", "fr"),
        ("it", "it"),
        // POSIX-style and bare languages.
        ("pt_BR", "pt-BR"),
        ("pt", "pt-BR"),
        ("fr-CA", "fr"),
        ("es-419", "es"),
        ("es-MX", "es"),
        ("it-IT", "it"),
    ];
    for (wanted, expected) in cases {
        assert_eq!(catalog.negotiate(Some(wanted)), expected, "{wanted}");
    }
}

#[test]
fn negotiation_ignores_case() {
    let catalog = catalog();
    // Telegram's language_code is lower case (`pt-br`); other clients shout.
    let cases = [
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("pt_br", "pt-BR"),
        ("PT", "pt-BR"),
        ("es", "es"),
        ("ES-mx", "es"),
        ("Fr-ca", "fr"),
        ("IT", "it"),
        ("DE", "de"),
        ("en-us", "en-US"),
        (" de ", "de"),
    ];
    for (wanted, expected) in cases {
        assert_eq!(catalog.negotiate(Some(wanted)), expected, "{wanted}");
    }
}

#[test]
fn errors_become_localized_sentences_with_details() {
    let catalog = catalog();
    let decided = CoreError::AlreadyDecided {
        status: RequestStatus::Approved,
        by: Some(UserId(7)),
    };
    assert_eq!(
        catalog.error_text("en-US", &decided),
        "Already approved by #7."
    );
    assert_eq!(
        catalog.error_text("de", &decided),
        "Bereits genehmigt von #7."
    );
    let quota = CoreError::QuotaExceeded(QuotaExceeded {
        limit: QuotaLimit { max: 3, days: 7 },
        used: 3,
        next_slot: Some(Timestamp(1_700_000_000_000)),
    });
    let text = catalog.error_text("en-US", &quota);
    assert!(
        text.contains("limit of 3 per 7 days") && text.contains("2023-11-14"),
        "{text}"
    );
    let upstream = CoreError::Upstream {
        service: "Radarr",
        message: "HTTP 500".into(),
    };
    assert!(
        catalog
            .error_text("ja", &upstream)
            .starts_with("Radarr isn't reachable right now")
    );
    assert!(
        catalog
            .error_text("fr", &upstream)
            .starts_with("Radarr est injoignable")
    );
    assert_eq!(
        catalog.error_text("es", &decided),
        "Ya fue aprobada por #7."
    );
    assert_eq!(catalog.text("en-US", "no-such-key", &[]), "no-such-key");
}

/// Nothing is kept when TMDB or a server is down, so no message may say so; a TMDB outage
/// is search being unavailable, and a 404 is "not found", in every language.
#[test]
fn upstream_failures_promise_nothing() {
    use crate::integrations::http::UpstreamError;
    let catalog = Catalog::embedded().expect("locales parse");
    let down = UpstreamError::Status {
        status: 503,
        excerpt: String::new(),
    }
    .into_core(crate::integrations::tmdb::SERVICE);
    let missing = UpstreamError::NotFound.into_core(crate::integrations::tmdb::SERVICE);
    let radarr = UpstreamError::Timeout.into_core("Radarr");
    assert_eq!(
        catalog.error_text("en-US", &down),
        "Search is unavailable right now (TMDB isn't answering). Please try again in a few minutes."
    );
    assert_eq!(
        catalog.error_text("en-US", &missing),
        "I couldn't find that."
    );
    assert!(matches!(missing, CoreError::NotFound(_)));
    for lang in ["en-US", "de", "fr", "es", "it", "pt-BR"] {
        for error in [&down, &radarr] {
            let text = catalog.error_text(lang, error);
            let lower = text.to_lowercase();
            for promise in [
                "kept",
                "will go through",
                "gespeichert",
                "conservée",
                "guardada",
                "salvata",
                "salvo",
            ] {
                assert!(!lower.contains(promise), "{lang}: {text}");
            }
        }
        assert_ne!(
            catalog.error_text(lang, &down),
            catalog.error_text(lang, &radarr),
            "{lang}: TMDB down says search is unavailable"
        );
        assert_ne!(
            catalog.error_text(lang, &missing),
            catalog.error_text(lang, &down),
            "{lang}"
        );
    }
    let full = CoreError::Database(sqlx::Error::Io(std::io::Error::other("disk full")));
    assert!(
        catalog
            .error_text("en-US", &full)
            .starts_with("That couldn't be saved")
    );
}

/// Both chats' help tell of every way to ask: `/trending`, `/discover`, single episodes and a
/// note for the approvers (Discord by its localized command and option names).
#[test]
fn help_in_every_language_mentions_discover_episodes_and_notes() {
    let catalog = catalog();
    for lang in ALL_SIX {
        let help = catalog.text(lang, "bot-help", &[]);
        for part in ["/trending", "/discover", "/tv", "S02E05", " -- "] {
            assert!(help.contains(part), "{lang} help lacks {part:?}: {help}");
        }
        let help = catalog.text(lang, "discord-help", &[]);
        let name = |key: &str| catalog.text(lang, &format!("discord-command-{key}"), &[]);
        let parts = [
            format!("/{}", name("trending")),
            format!("/{}", name("discover")),
            format!("/{} {}", name("request"), name("request-tv")),
            "S02E05".to_owned(),
            format!("{}:", name("note")),
        ];
        for part in parts {
            assert!(
                help.contains(&part),
                "{lang} Discord help lacks {part:?}: {help}"
            );
        }
    }
}

#[test]
fn every_embedded_file_parses() {
    assert_eq!(Catalog::syntax_errors(), Vec::<String>::new());
}

#[test]
fn a_language_is_parsed_only_when_a_message_is_asked_in_it() {
    let chat = Catalog::for_chat().expect("languages");
    assert!(chat.parsed().is_empty(), "nothing parsed before use");
    assert_eq!(chat.languages().len(), ALL_SIX.len(), "all listed unparsed");
    assert_eq!(
        chat.negotiate(Some("de-AT")),
        "de",
        "negotiating parses nothing"
    );
    assert!(chat.parsed().is_empty());
    assert_ne!(chat.text("de", "bot-help", &[]), "bot-help");
    // German falls back to en-US for a message it lacks, so both may be parsed; no other.
    let parsed = chat.parsed();
    assert!(parsed.contains(&"de"), "{parsed:?}");
    assert!(
        parsed.iter().all(|l| ["de", FALLBACK].contains(l)),
        "{parsed:?}"
    );
    assert_eq!(
        chat.text("xx", "bot-help", &[]),
        chat.text(FALLBACK, "bot-help", &[])
    );
    assert!(chat.parsed().contains(&FALLBACK));
    let copy = chat.unparsed();
    assert!(copy.parsed().is_empty(), "a copy starts unparsed");
    assert_eq!(copy.languages(), chat.languages());
    assert_eq!(
        copy.text("de", "bot-help", &[]),
        chat.text("de", "bot-help", &[])
    );
    assert!(!copy.parsed().contains(&"fr") && !chat.parsed().contains(&"fr"));
    let console_key = "console-nav-dashboard";
    assert_eq!(
        copy.text(FALLBACK, console_key, &[]),
        console_key,
        "still without the console's texts"
    );
}
