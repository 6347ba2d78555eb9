//! What Usher reads from a verified ID token or userinfo answer besides `sub`: the groups (under
//! a configurable claim name, since providers differ) and a name to show.

use openidconnect::core::CoreGenderClaim;
use openidconnect::{AdditionalClaims, StandardClaims};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every claim the crate does not model itself, so the groups claim can have any name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    other: Map<String, Value>,
}

impl AdditionalClaims for ExtraClaims {}

impl ExtraClaims {
    /// The groups listed under `claim`: an array of strings (non-strings are skipped) or a
    /// single string. `None` when the claim is absent, so the caller can ask userinfo.
    pub fn groups(&self, claim: &str) -> Option<Vec<String>> {
        match self.other.get(claim)? {
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            ),
            Value::String(one) => Some(vec![one.clone()]),
            _ => None,
        }
    }
}

/// A name to show for the user from `[name, preferred_username, email]`: the first that is not
/// blank, trimmed and cut to 100 characters.
pub fn display_name(candidates: [Option<&str>; 3]) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .map(|n| n.trim().chars().take(100).collect::<String>())
        .find(|n| !n.is_empty())
}

/// `[name, preferred_username, email]` of standard claims (userinfo's), for [`display_name`].
pub fn name_candidates(claims: &StandardClaims<CoreGenderClaim>) -> [Option<&str>; 3] {
    [
        claims.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
        claims.preferred_username().map(|u| u.as_str()),
        claims.email().map(|e| e.as_str()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(json: &str) -> ExtraClaims {
        serde_json::from_str(json).expect("claims")
    }

    #[test]
    fn groups_come_as_a_list_or_a_single_string() {
        let claims = extra(r#"{"groups":["usher-admins",7,"family"],"roles":"mods","x":null}"#);
        assert_eq!(
            claims.groups("groups"),
            Some(vec!["usher-admins".to_owned(), "family".to_owned()])
        );
        assert_eq!(claims.groups("roles"), Some(vec!["mods".to_owned()]));
        assert_eq!(claims.groups("x"), None, "null is as good as absent");
        assert_eq!(claims.groups("missing"), None);
        assert_eq!(extra(r#"{"groups":[]}"#).groups("groups"), Some(vec![]));
    }

    #[test]
    fn the_shown_name_prefers_name_then_username_then_email() {
        let claims = |json: &str| -> StandardClaims<CoreGenderClaim> {
            serde_json::from_str(json).expect("standard claims")
        };
        let shown = |json: &str| display_name(name_candidates(&claims(json)));
        let full =
            r#"{"sub":"a","name":" Alice Liddell ","preferred_username":"alice","email":"a@x"}"#;
        assert_eq!(shown(full).as_deref(), Some("Alice Liddell"));
        let user = r#"{"sub":"a","name":" ","preferred_username":"alice","email":"a@x"}"#;
        assert_eq!(shown(user).as_deref(), Some("alice"));
        assert_eq!(
            shown(r#"{"sub":"a","email":"a@x"}"#).as_deref(),
            Some("a@x")
        );
        assert_eq!(shown(r#"{"sub":"a"}"#), None);
    }
}
