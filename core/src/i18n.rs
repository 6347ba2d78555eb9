//! One Fluent catalogue for every front end: `locales/<lang>/*.ftl`, embedded in the binary so a
//! container needs no files, with en-US as the fallback for a missing language or message.
//! Core errors map to message keys here, so bots and console say the same thing.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::error::CoreError;

/// The fallback language; every other locale must have its keys.
pub const FALLBACK: &str = "en-US";

/// The file holding the web console's texts, which the chat bots never show.
const CONSOLE_FILE: &str = "console.ftl";

/// Embedded catalogue files: (language, file name, content). Every language ships every file
/// en-US has, and a file it ships must have every key of the en-US file of the same name
/// (tested below); a message missing at run time still falls back to en-US.
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
    (
        "fr",
        "common.ftl",
        include_str!("../../locales/fr/common.ftl"),
    ),
    ("fr", "bot.ftl", include_str!("../../locales/fr/bot.ftl")),
    (
        "fr",
        "discord.ftl",
        include_str!("../../locales/fr/discord.ftl"),
    ),
    (
        "es",
        "common.ftl",
        include_str!("../../locales/es/common.ftl"),
    ),
    ("es", "bot.ftl", include_str!("../../locales/es/bot.ftl")),
    (
        "es",
        "discord.ftl",
        include_str!("../../locales/es/discord.ftl"),
    ),
    (
        "pt-BR",
        "common.ftl",
        include_str!("../../locales/pt-BR/common.ftl"),
    ),
    (
        "pt-BR",
        "bot.ftl",
        include_str!("../../locales/pt-BR/bot.ftl"),
    ),
    (
        "pt-BR",
        "discord.ftl",
        include_str!("../../locales/pt-BR/discord.ftl"),
    ),
    (
        "it",
        "common.ftl",
        include_str!("../../locales/it/common.ftl"),
    ),
    ("it", "bot.ftl", include_str!("../../locales/it/bot.ftl")),
    (
        "it",
        "discord.ftl",
        include_str!("../../locales/it/discord.ftl"),
    ),
    (
        "en-US",
        "cards.ftl",
        include_str!("../../locales/en-US/cards.ftl"),
    ),
    (
        "de",
        "cards.ftl",
        include_str!("../../locales/de/cards.ftl"),
    ),
    (
        "fr",
        "cards.ftl",
        include_str!("../../locales/fr/cards.ftl"),
    ),
    (
        "es",
        "cards.ftl",
        include_str!("../../locales/es/cards.ftl"),
    ),
    (
        "pt-BR",
        "cards.ftl",
        include_str!("../../locales/pt-BR/cards.ftl"),
    ),
    (
        "it",
        "cards.ftl",
        include_str!("../../locales/it/cards.ftl"),
    ),
    (
        "en-US",
        "issues.ftl",
        include_str!("../../locales/en-US/issues.ftl"),
    ),
    (
        "de",
        "issues.ftl",
        include_str!("../../locales/de/issues.ftl"),
    ),
    (
        "fr",
        "issues.ftl",
        include_str!("../../locales/fr/issues.ftl"),
    ),
    (
        "es",
        "issues.ftl",
        include_str!("../../locales/es/issues.ftl"),
    ),
    (
        "pt-BR",
        "issues.ftl",
        include_str!("../../locales/pt-BR/issues.ftl"),
    ),
    (
        "it",
        "issues.ftl",
        include_str!("../../locales/it/issues.ftl"),
    ),
    (
        "fr",
        "console.ftl",
        include_str!("../../locales/fr/console.ftl"),
    ),
    (
        "es",
        "console.ftl",
        include_str!("../../locales/es/console.ftl"),
    ),
    (
        "pt-BR",
        "console.ftl",
        include_str!("../../locales/pt-BR/console.ftl"),
    ),
    (
        "it",
        "console.ftl",
        include_str!("../../locales/it/console.ftl"),
    ),
];

/// The language tag Usher ships for `tag`, spelled as shipped (`PT-br` → `pt-BR`), or `None`
/// when no catalogue is in that exact language. Stored choices must be one of these, so a forged
/// or mistyped code never reaches the database; no catalogue needs to be built to ask.
pub fn shipped_language(tag: &str) -> Option<&'static str> {
    let tag = tag.trim().replace('_', "-");
    FILES
        .iter()
        .map(|(lang, _, _)| *lang)
        .find(|lang| lang.eq_ignore_ascii_case(&tag))
}

/// Every shipped language, ready to format messages. Build once and share.
///
/// A language is parsed the first time a message is asked in it: most servers speak one or two
/// of the six, and the chat catalogue parsed whole held about 1.4 MB for the life of the
/// process (heaptrack over `member_flow`). A file that does not parse is a bug caught by
/// the tests (`every_embedded_file_parses`); at run time its readable messages are kept, the rest
/// fall back to en-US and then to the key.
pub struct Catalog {
    /// Each language, sorted, with its tag read and its bundle once parsed.
    bundles: Vec<Language>,
    /// Whether the console's texts are in it (the chat bots never show them).
    console: bool,
}

/// One shipped language of a [`Catalog`].
struct Language {
    tag: &'static str,
    id: LanguageIdentifier,
    bundle: OnceLock<FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("languages", &self.languages())
            .finish()
    }
}

impl Catalog {
    /// Every embedded file; checks that each language's tag reads.
    pub fn embedded() -> Result<Self, String> {
        Self::new(true)
    }

    /// Every file but the console's, for the chat bots: the console's texts are two thirds
    /// of the catalogue, and parsed they would hold a few MB that no chat message ever reads
    /// (a chat message that names a console key falls back to the key; tested).
    pub fn for_chat() -> Result<Self, String> {
        Self::new(false)
    }

    fn new(console: bool) -> Result<Self, String> {
        let mut tags: Vec<&'static str> = FILES.iter().map(|(lang, _, _)| *lang).collect();
        tags.sort_unstable();
        tags.dedup();
        let bundles = tags
            .into_iter()
            .map(|tag| {
                let id = tag.parse().map_err(|e| format!("{tag}: {e}"))?;
                let bundle = OnceLock::new();
                Ok(Language { tag, id, bundle })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { bundles, console })
    }

    /// The same languages with none parsed yet: for a one-off use (naming the slash commands
    /// in every language) whose parsed languages should not stay with this catalogue.
    #[must_use]
    pub fn unparsed(&self) -> Self {
        let bundles = self.bundles.iter().map(|l| Language {
            tag: l.tag,
            id: l.id.clone(),
            bundle: OnceLock::new(),
        });
        Self {
            bundles: bundles.collect(),
            console: self.console,
        }
    }

    /// `lang`'s bundle, parsed now if it was not yet; `None` for a language not shipped.
    fn bundle(&self, lang: &str) -> Option<&FluentBundle<FluentResource>> {
        let language = self.bundles.iter().find(|l| l.tag == lang)?;
        Some(language.bundle.get_or_init(|| self.parse(language)))
    }

    fn parse(&self, language: &Language) -> FluentBundle<FluentResource> {
        let lang = language.tag;
        let mut bundle = FluentBundle::new_concurrent(vec![language.id.clone()]);
        bundle.set_use_isolating(false);
        for (_, file, text) in FILES
            .iter()
            .filter(|(l, file, _)| *l == lang && (self.console || *file != CONSOLE_FILE))
        {
            let resource =
                FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(readable, errors)| {
                    tracing::error!(?errors, "locales/{lang}/{file} does not parse");
                    readable
                });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, "locales/{lang}/{file} repeats messages");
            }
        }
        bundle
    }

    /// Every embedded file's syntax errors, for the test that none is shipped.
    #[cfg(test)]
    fn syntax_errors() -> Vec<String> {
        FILES
            .iter()
            .filter_map(|(lang, file, text)| {
                let errors = FluentResource::try_new((*text).to_owned()).err()?.1;
                Some(format!("locales/{lang}/{file}: {errors:?}"))
            })
            .collect()
    }

    /// The languages parsed so far, for the tests that check they are parsed only when asked.
    #[cfg(test)]
    fn parsed(&self) -> Vec<&str> {
        let parsed = self.bundles.iter().filter(|l| l.bundle.get().is_some());
        parsed.map(|l| l.tag).collect()
    }

    /// The languages available, for `/language` pickers.
    pub fn languages(&self) -> Vec<&str> {
        self.bundles.iter().map(|l| l.tag).collect()
    }

    /// Picks the best available language for a platform locale, ignoring case: `de-AT` → `de`,
    /// `pt_BR`/`pt-br` (Telegram) → `pt-BR`, `es-419` → `es`; anything unknown → en-US.
    pub fn negotiate(&self, wanted: Option<&str>) -> &str {
        wanted.and_then(|w| self.matching(w)).unwrap_or(FALLBACK)
    }

    /// The available language a locale asks for, ignoring case — the same tag, else one with
    /// the same base language (`fr-CA` → `fr`, `pt` → `pt-BR`) — or `None` when none fits, so
    /// a front end weighing several wishes (`Accept-Language`) can try the next one.
    pub fn matching(&self, wanted: &str) -> Option<&str> {
        let wanted = wanted.trim().replace('_', "-");
        if wanted.is_empty() {
            return None;
        }
        let languages = self.languages();
        if let Some(exact) = languages.iter().find(|l| l.eq_ignore_ascii_case(&wanted)) {
            return Some(exact);
        }
        let base = wanted.split('-').next().unwrap_or_default();
        // `languages` is sorted, so a base shared by several variants picks the same one each time.
        languages.into_iter().find(|lang| {
            lang.split('-')
                .next()
                .is_some_and(|b| b.eq_ignore_ascii_case(base))
        })
    }

    /// Formats a message in `lang`, falling back to en-US, then to the key itself.
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.clone()));
        }
        for candidate in [lang, FALLBACK] {
            let Some(bundle) = self.bundle(candidate) else {
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

    /// Keys of one language over all its files, to check that every locale covers en-US.
    pub fn keys(&self, lang: &str) -> Vec<String> {
        let mut keys: Vec<String> = FILES
            .iter()
            .filter(|(l, _, _)| *l == lang)
            .flat_map(|(_, file, _)| Self::keys_in_file(lang, file).unwrap_or_default())
            .collect();
        keys.sort();
        keys
    }

    /// Keys of one embedded file of one language, or `None` when that language does not ship the
    /// file. `pub(crate)` for the completeness test: coverage is checked per file because some
    /// languages ship only some files (no `console.ftl` outside en-US and de) and fall back to
    /// en-US for the rest, while a file they do ship must not silently lack a key.
    pub(crate) fn keys_in_file(lang: &str, file: &str) -> Option<Vec<String>> {
        let (_, _, text) = FILES.iter().find(|(l, f, _)| *l == lang && *f == file)?;
        let mut keys: Vec<String> = messages(text)
            .into_iter()
            .map(|(key, _)| key.to_owned())
            .collect();
        keys.sort();
        Some(keys)
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
            CoreError::NotOffered => self.text(lang, "error-not-offered", &[]),
            CoreError::IssueRefused(refusal) => self.issue_refusal(lang, *refusal),
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
            CoreError::BudgetExceeded(q) => {
                let args = [
                    ("max", q.limit.max.to_string()),
                    ("days", q.limit.days.to_string()),
                ];
                let head = self.text(lang, "error-budget", &args);
                let tail = match q.next_slot {
                    Some(when) => {
                        self.text(lang, "error-budget-next", &[("when", when.to_rfc3339())])
                    }
                    None => self.text(lang, "error-budget-never", &args),
                };
                format!("{head} {tail}")
            }
            // Say only what is true: nothing is kept or retried for the person, and without
            // TMDB nothing can be searched for or requested.
            CoreError::Upstream { service, .. } => {
                let key = if *service == crate::integrations::tmdb::SERVICE {
                    "error-search-unavailable"
                } else {
                    "error-upstream"
                };
                self.text(lang, key, &[("service", (*service).to_owned())])
            }
            CoreError::Database(_) if error.is_storage_failure() => {
                self.text(lang, "error-not-saved", &[])
            }
            CoreError::Database(_) | CoreError::Unexpected(_) => {
                self.text(lang, "error-internal", &[])
            }
        }
    }

    /// What to tell a person whose issue report or resolution was refused.
    fn issue_refusal(&self, lang: &str, refusal: crate::domain::IssueRefusal) -> String {
        use crate::domain::IssueRefusal;
        match refusal {
            IssueRefusal::NotInLibrary => self.text(lang, "error-issue-not-in-library", &[]),
            IssueRefusal::AlreadyOpen(id) => {
                self.text(lang, "error-issue-already-open", &[("id", id.to_string())])
            }
            IssueRefusal::AlreadyResolved(id) => self.text(
                lang,
                "error-issue-already-resolved",
                &[("id", id.to_string())],
            ),
        }
    }
}

/// The messages of one `.ftl` text as (key, source of its value), following Fluent's layout: an
/// entry starts in column 0 with an identifier and `=`, indented lines continue it, and comments
/// or terms (`-name`) end it. Used to list keys (and, in the tests, to compare the variables of
/// a translation with en-US), so it needs no full parser.
fn messages(text: &str) -> Vec<(&str, String)> {
    let mut found: Vec<(&str, String)> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') {
            if let (true, Some((_, value))) = (open, found.last_mut()) {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        open = false;
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim_end();
        let mut chars = key.chars();
        let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if identifier {
            found.push((key, value.trim().to_owned()));
            open = true;
        }
    }
    found
}

#[cfg(test)]
mod tests;
