//! Issue reports as both chat platforms show them: the title a member names, the approver
//! card's texts, the reporter's DM. Core decides everything ([`IssueService`]); this only
//! finds the title the member meant and words the results.
//!
//! [`IssueService`]: usher_core::service::IssueService

use usher_core::CoreError;
use usher_core::domain::{Issue, MediaType, TmdbId};
use usher_core::i18n::Catalog;
use usher_core::service::Services;
use usher_core::store::issues::HeldTitle;

/// Prefix of an autocomplete choice's value naming a held title: `issue:movie:603`.
const CHOICE_PREFIX: &str = "issue:";
/// Titles named when a typed title matches several.
const AMBIGUOUS_SHOWN: u32 = 5;

/// Which held title a member meant, or why none could be picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitlePick {
    /// This one (movie or TV, TMDB id); core checks again that the library holds it.
    Found((MediaType, TmdbId)),
    /// No title in the library matches.
    Unknown,
    /// Several match and none exactly; their names, to be more specific.
    Ambiguous(Vec<String>),
}

/// The autocomplete value naming a held title.
#[must_use]
pub fn choice_value(title: &HeldTitle) -> String {
    format!("{CHOICE_PREFIX}{}:{}", title.media_type, title.tmdb_id)
}

/// The title named by a choice value from [`choice_value`].
#[must_use]
pub fn chosen(value: &str) -> Option<(MediaType, TmdbId)> {
    let (media, id) = value.strip_prefix(CHOICE_PREFIX)?.split_once(':')?;
    let media = media.parse().ok()?;
    let id = TmdbId::parse(id.parse().ok()?).ok()?;
    Some((media, id))
}

/// A held title as a pick list shows it: `The Matrix (1999)`.
#[must_use]
pub fn label(title: &HeldTitle) -> String {
    match title.year {
        Some(year) => format!("{} ({year})", title.title),
        None => title.title.clone(),
    }
}

/// Finds the held title `typed` names: a chosen autocomplete value, else a title whose name is
/// exactly the typed one (any case), else the only title containing it.
///
/// # Errors
///
/// When the database cannot be read.
pub async fn pick(services: &Services, typed: &str) -> Result<TitlePick, CoreError> {
    if let Some(title) = chosen(typed) {
        return Ok(TitlePick::Found(title));
    }
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(TitlePick::Unknown);
    }
    let matches = services
        .issues
        .reportable(typed, AMBIGUOUS_SHOWN + 1)
        .await?;
    let lower = typed.to_lowercase();
    if let Some(exact) = matches.iter().find(|t| t.title.to_lowercase() == lower) {
        return Ok(TitlePick::Found(held(exact)));
    }
    Ok(match matches.as_slice() {
        [] => TitlePick::Unknown,
        [only] => TitlePick::Found(held(only)),
        many => TitlePick::Ambiguous(
            many.iter()
                .take(AMBIGUOUS_SHOWN as usize)
                .map(label)
                .collect(),
        ),
    })
}

fn held(title: &HeldTitle) -> (MediaType, TmdbId) {
    (title.media_type, title.tmdb_id)
}

/// What to tell a member whose typed title picked nothing.
#[must_use]
pub fn pick_refusal(catalog: &Catalog, lang: &str, typed: &str, pick: &TitlePick) -> String {
    let query = ("query", typed.trim().to_owned());
    match pick {
        TitlePick::Ambiguous(names) => catalog.text(
            lang,
            "issue-title-ambiguous",
            &[query, ("titles", names.join(", "))],
        ),
        TitlePick::Unknown | TitlePick::Found(_) => {
            catalog.text(lang, "issue-title-unknown", &[query])
        }
    }
}

/// The kind of problem, in words.
#[must_use]
pub fn kind_text(catalog: &Catalog, lang: &str, issue: &Issue) -> String {
    catalog.text(lang, &format!("issue-kind-{}", issue.kind.as_str()), &[])
}

/// The heading of an approver card: which title has a problem.
#[must_use]
pub fn card_heading(catalog: &Catalog, lang: &str, issue: &Issue) -> String {
    let title = match issue.year {
        Some(year) => format!("{} ({year})", issue.title),
        None => issue.title.clone(),
    };
    catalog.text(lang, "issue-card-heading", &[("title", title)])
}

/// The line under an approver card: its number, kind and reporter.
#[must_use]
pub fn card_details(catalog: &Catalog, lang: &str, issue: &Issue, reporter: &str) -> String {
    let args = [
        ("id", issue.id.to_string()),
        ("kind", kind_text(catalog, lang, issue)),
        ("who", reporter.to_owned()),
    ];
    catalog.text(lang, "issue-card-details", &args)
}

/// What the member is told once their report is in.
#[must_use]
pub fn reported_text(catalog: &Catalog, lang: &str, issue: &Issue) -> String {
    let args = [("id", issue.id.to_string()), ("title", issue.title.clone())];
    catalog.text(lang, "issue-reported", &args)
}

/// The reporter's DM once their report is resolved, with the approver's note if any.
#[must_use]
pub fn resolved_text(catalog: &Catalog, lang: &str, issue: &Issue) -> String {
    let args = [("id", issue.id.to_string()), ("title", issue.title.clone())];
    let mut text = catalog.text(lang, "issue-dm-resolved", &args);
    if let Some(note) = &issue.resolution_note {
        text.push('\n');
        text.push_str(&catalog.text(lang, "issue-dm-note", &[("note", note.clone())]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::domain::RequestId;

    #[test]
    fn a_choice_value_names_its_title_and_nothing_else() {
        let title = HeldTitle {
            media_type: MediaType::Tv,
            tmdb_id: TmdbId::parse(1396).expect("id"),
            title: "Breaking Bad".into(),
            year: Some(2008),
            request_id: Some(RequestId(4)),
        };
        let value = choice_value(&title);
        assert_eq!(value, "issue:tv:1396");
        assert_eq!(chosen(&value), Some((MediaType::Tv, title.tmdb_id)));
        for typed in [
            "Breaking Bad",
            "issue:show:1",
            "issue:tv:0",
            "issue:tv",
            "tmdb:603",
        ] {
            assert_eq!(chosen(typed), None, "{typed}");
        }
        assert_eq!(label(&title), "Breaking Bad (2008)");
    }
}
