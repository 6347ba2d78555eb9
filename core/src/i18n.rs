//! One Fluent catalogue for every front end: `locales/<lang>/*.ftl`, embedded in the binary so a
//! container needs no files, with en-US as the fallback for a missing language or message.
//! Core errors map to message keys here, so bots and console say the same thing.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::error::CoreError;

/// The fallback language; every other locale must have its keys.
pub const FALLBACK: &str = "en-US";

/// Embedded catalogue files: (language, file name, content).
const FILES: &[(&str, &str, &str)] = &[
    (
        "en-US",
        "common.ftl",
        include_str!("../../locales/en-US/common.ftl"),
    ),
    (
        "en-US",
        "bot.ftl",
        include_str!("../../locales/en-US/bot.ftl"),
    ),
    (
        "de",
        "common.ftl",
        include_str!("../../locales/de/common.ftl"),
    ),
    (
        "en-US",
        "discord.ftl",
        include_str!("../../locales/en-US/discord.ftl"),
    ),
    (
        "de",
        "discord.ftl",
        include_str!("../../locales/de/discord.ftl"),
    ),
    ("de", "bot.ftl", include_str!("../../locales/de/bot.ftl")),
    (
        "en-US",
        "console.ftl",
        include_str!("../../locales/en-US/console.ftl"),
    ),
    (
        "de",
        "console.ftl",
        include_str!("../../locales/de/console.ftl"),
    ),
];

/// Every loaded language, ready to format messages. Build once and share.
pub struct Catalog {
    bundles: HashMap<String, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut languages: Vec<&String> = self.bundles.keys().collect();
        languages.sort();
        f.debug_struct("Catalog")
            .field("languages", &languages)
            .finish()
    }
}

impl Catalog {
    /// Parses the embedded files; a syntax error is a bug caught by the tests.
    pub fn embedded() -> Result<Self, String> {
        let mut bundles: HashMap<String, FluentBundle<FluentResource>> = HashMap::new();
        for (lang, file, text) in FILES {
            let id: LanguageIdentifier = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
            let resource = FluentResource::try_new((*text).to_owned())
                .map_err(|(_, errors)| format!("locales/{lang}/{file}: {errors:?}"))?;
            let bundle = bundles.entry((*lang).to_owned()).or_insert_with(|| {
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                bundle
            });
            bundle
                .add_resource(resource)
                .map_err(|e| format!("locales/{lang}/{file}: {e:?}"))?;
        }
        Ok(Self { bundles })
    }

    /// The languages available, for `/language` pickers.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self.bundles.keys().map(String::as_str).collect();
        langs.sort_unstable();
        langs
    }

    /// Picks the best available language for a platform locale like `de-AT` or `pt_BR`.
    pub fn negotiate(&self, wanted: Option<&str>) -> &str {
        let Some(wanted) = wanted.map(|w| w.replace('_', "-")) else {
            return FALLBACK;
        };
        if let Some((lang, _)) = self.bundles.get_key_value(&wanted) {
            return lang;
        }
        let base = wanted.split('-').next().unwrap_or_default();
        self.bundles
            .keys()
            .find(|lang| lang.split('-').next() == Some(base))
            .map_or(FALLBACK, String::as_str)
    }

    /// Formats a message in `lang`, falling back to en-US, then to the key itself.
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.clone()));
        }
        for candidate in [lang, FALLBACK] {
            let Some(bundle) = self.bundles.get(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
        key.to_owned()
    }

    /// Keys of one language, to check that every locale covers en-US.
    pub fn keys(&self, lang: &str) -> Vec<String> {
        let files = FILES.iter().filter(|(l, _, _)| *l == lang);
        let mut keys: Vec<String> = files
            .flat_map(|(_, _, text)| text.lines())
            .filter_map(|line| line.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
            .filter(|k| !k.starts_with('#') && !k.is_empty() && !k.contains(' '))
            .collect();
        keys.sort();
        keys
    }

    /// What to tell a person about a core error, in their language.
    pub fn error_text(&self, lang: &str, error: &CoreError) -> String {
        let status = |s: &crate::domain::RequestStatus| {
            self.text(lang, &format!("status-{}", s.as_str()), &[])
        };
        match error {
            CoreError::NotFound(_) => self.text(lang, "error-not-found", &[]),
            CoreError::Forbidden(_) => self.text(lang, "error-forbidden", &[]),
            CoreError::Validation(detail) => {
                self.text(lang, "error-invalid", &[("detail", detail.clone())])
            }
            CoreError::Conflict(_) => self.text(lang, "error-conflict", &[]),
            CoreError::IllegalTransition { from, .. } => {
                self.text(lang, "error-illegal-transition", &[("from", status(from))])
            }
            CoreError::AlreadyDecided {
                status: decided,
                by,
            } => {
                let who = by.map_or_else(|| self.text(lang, "someone", &[]), |u| format!("#{u}"));
                self.text(
                    lang,
                    "error-already-decided",
                    &[("status", status(decided)), ("who", who)],
                )
            }
            CoreError::AlreadyRequested => self.text(lang, "error-already-requested", &[]),
            CoreError::AlreadyAvailable => self.text(lang, "error-already-available", &[]),
            CoreError::QuotaExceeded(q) => {
                let args = [
                    ("max", q.limit.max.to_string()),
                    ("days", q.limit.days.to_string()),
                ];
                let head = self.text(lang, "error-quota", &args);
                let tail = match q.next_slot {
                    Some(when) => {
                        self.text(lang, "error-quota-next", &[("when", when.to_rfc3339())])
                    }
                    None => self.text(lang, "error-quota-never", &args),
                };
                format!("{head} {tail}")
            }
            CoreError::Upstream { service, .. } => self.text(
                lang,
                "error-upstream",
                &[("service", (*service).to_owned())],
            ),
            CoreError::Database(_) | CoreError::Unexpected(_) => {
                self.text(lang, "error-internal", &[])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{QuotaExceeded, QuotaLimit, RequestStatus, Timestamp, UserId};

    fn catalog() -> Catalog {
        Catalog::embedded().expect("locales parse")
    }

    #[test]
    fn every_locale_has_every_en_us_key() {
        let catalog = catalog();
        let reference = catalog.keys(FALLBACK);
        assert!(reference.len() > 10);
        for lang in catalog.languages() {
            let keys = catalog.keys(lang);
            let missing: Vec<&String> = reference.iter().filter(|k| !keys.contains(k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        }
    }

    #[test]
    fn negotiation_falls_back_by_language_then_to_english() {
        let catalog = catalog();
        assert_eq!(catalog.negotiate(Some("de-AT")), "de");
        assert_eq!(catalog.negotiate(Some("en_GB")), "en-US");
        assert_eq!(catalog.negotiate(Some("ja")), FALLBACK);
        assert_eq!(catalog.negotiate(None), FALLBACK);
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
                .error_text("fr", &upstream)
                .starts_with("Radarr isn't reachable right now")
        );
        assert_eq!(catalog.text("en-US", "no-such-key", &[]), "no-such-key");
    }
}
