//! A requester's note on an approver card ("📝 Note: for the kids' weekend"), in the approver's
//! language. Core has already made it one clean line of at most 200 characters; each platform
//! escapes it for its own markup ([`discord_safe`] for Discord; Telegram cards go out without a
//! parse mode, so there the note is shown as it is).

use usher_core::i18n::Catalog;

/// "📝 Note: …", or `None` when the request has no note.
#[must_use]
pub fn line(catalog: &Catalog, lang: &str, note: Option<&str>) -> Option<String> {
    let note = note.filter(|n| !n.trim().is_empty())?;
    Some(catalog.text(lang, "request-note-line", &[("note", note.to_owned())]))
}

/// A note as Discord may show it: markdown escaped (so `**`, links and `<@id>` mentions show as
/// typed) and every `@` followed by a zero-width space, so `@everyone` and `@here` ping nobody
/// even where allowed mentions are not restricted.
#[must_use]
pub fn discord_safe(note: &str) -> String {
    crate::discord::render::escape_markdown(note).replace('@', "@\u{200B}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_line_says_what_the_requester_wrote() {
        let catalog = Catalog::embedded().expect("catalogue");
        assert_eq!(
            line(&catalog, "en-US", Some("for the kids' weekend")).as_deref(),
            Some("📝 Note: for the kids' weekend")
        );
        assert_eq!(line(&catalog, "en-US", None), None);
        for lang in catalog.languages() {
            let said = line(&catalog, lang, Some("x")).expect("a line");
            assert!(!said.contains("request-note"), "{lang}: {said}");
        }
    }

    #[test]
    fn discord_notes_ping_nobody_and_format_nothing() {
        let safe = discord_safe("@everyone **now** <@123> @here");
        assert!(
            !safe.contains("@everyone") && !safe.contains("@here"),
            "{safe}"
        );
        assert!(safe.contains("\\*\\*now\\*\\*"), "{safe}");
        assert!(safe.contains("\\<@\u{200B}123\\>"), "{safe}");
    }
}
