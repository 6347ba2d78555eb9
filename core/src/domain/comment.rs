//! A requester's note for the approvers ("for the kids' weekend"): plain text, one line, at most
//! [`RequestComment::MAX_CHARS`] characters. Control and invisible formatting characters are
//! dropped and runs of whitespace become one space, so a note can neither break a card's layout
//! nor hide text; each front end still escapes it for its own markup when it shows it.

use crate::error::CoreError;

/// A sanitized, length-checked note on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestComment(String);

impl RequestComment {
    /// Longest note kept, in characters (after sanitizing).
    pub const MAX_CHARS: usize = 200;

    /// The note `raw` makes: `Ok(None)` when nothing is left after sanitizing, a
    /// [`CoreError::Validation`] saying how long it is when it is over [`Self::MAX_CHARS`].
    pub fn parse(raw: &str) -> Result<Option<Self>, CoreError> {
        let kept: String = raw
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .filter(|c| !c.is_control() && !invisible(*c))
            .collect();
        let note = kept.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = note.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(CoreError::Validation(format!(
                "a note can hold at most {} characters; this one has {chars}",
                Self::MAX_CHARS
            )));
        }
        Ok((!note.is_empty()).then_some(Self(note)))
    }

    /// The note as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that change how text around them shows without showing themselves: zero-width
/// spaces and joiners, bidirectional overrides and isolates, the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_one_clean_line() {
        let note = RequestComment::parse("  for the\tkids'\n\n weekend\u{0007}\u{202E} ")
            .expect("valid")
            .expect("some");
        assert_eq!(note.as_str(), "for the kids' weekend");
        assert_eq!(RequestComment::parse(" \n\u{200B} ").expect("valid"), None);
    }

    #[test]
    fn long_notes_are_refused_with_their_length() {
        let exactly = "é".repeat(RequestComment::MAX_CHARS);
        assert!(RequestComment::parse(&exactly).expect("fits").is_some());
        let err = RequestComment::parse(&format!("{exactly}!")).expect_err("too long");
        assert!(err.to_string().contains("201"), "{err}");
    }
}
