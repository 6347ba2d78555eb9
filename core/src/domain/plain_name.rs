//! Names operators give machine things (API keys, notification agents) on a command line.

use std::fmt;

use crate::error::{CoreError, CoreResult};

/// A name of 1 to 64 letters, digits, `.`, `_` or `-`, so it prints, types and greps plainly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlainName(String);

impl PlainName {
    /// Checks a name an operator or admin gave.
    pub fn parse(text: &str) -> CoreResult<Self> {
        let text = text.trim();
        let fits = (1..=64).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if fits {
            Ok(Self(text.to_owned()))
        } else {
            Err(CoreError::Validation(
                "name: use 1 to 64 letters, digits, `.`, `_` or `-`".into(),
            ))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PlainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
