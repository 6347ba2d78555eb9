//! OIDC sign-in settings: defaults, the group lists, the switches and their problems.

use super::{ok, problems, with_env};

const BASE: [(&str, &str); 2] = [
    ("USHER_OIDC_ISSUER", "http://127.0.0.1:9000"),
    ("USHER_OIDC_CLIENT_ID", "usher"),
];

fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    BASE.iter().chain(extra).copied().collect()
}

#[test]
fn defaults_let_anyone_the_provider_signs_in_become_a_member() {
    let loaded = ok(with_env(&BASE));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let oidc = loaded.settings.oidc.expect("oidc");
    assert!(oidc.auto_create);
    assert_eq!(oidc.groups_claim, "groups");
    assert!(oidc.admin_groups.is_empty());
    assert!(oidc.approver_groups.is_empty());
    assert!(oidc.member_groups.is_empty());
    assert!(oidc.client_secret.is_none(), "a public client is allowed");
}

#[test]
fn group_lists_switches_and_claim_are_read() {
    let oidc = ok(with_env(&with(&[
        ("USHER_OIDC_ADMIN_GROUPS", "usher-admins"),
        ("USHER_OIDC_APPROVER_GROUPS", "mods, curators"),
        ("USHER_OIDC_MEMBER_GROUPS", "family,friends"),
        ("USHER_OIDC_AUTO_CREATE", "no"),
        ("USHER_OIDC_GROUPS_CLAIM", "https://example.org/groups"),
    ])))
    .settings
    .oidc
    .expect("oidc");
    assert_eq!(oidc.admin_groups, ["usher-admins"]);
    assert_eq!(oidc.approver_groups, ["mods", "curators"]);
    assert_eq!(oidc.member_groups, ["family", "friends"]);
    assert!(!oidc.auto_create);
    assert_eq!(oidc.groups_claim, "https://example.org/groups");
    let shown = format!("{oidc:?}");
    assert!(shown.contains("curators") && shown.contains("auto_create: false"));
}

#[test]
fn bad_switch_and_claim_are_both_reported() {
    let p = problems(with_env(&with(&[
        ("USHER_OIDC_AUTO_CREATE", "maybe"),
        ("USHER_OIDC_GROUPS_CLAIM", "my groups"),
    ])));
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.starts_with("USHER_OIDC_AUTO_CREATE: \"maybe\" is not one of true, false")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("USHER_OIDC_GROUPS_CLAIM: is not a claim name")),
        "{p:?}"
    );
}

#[test]
fn role_mapping_without_an_issuer_is_ignored_with_a_warning() {
    let loaded = ok(with_env(&[
        ("USHER_OIDC_MEMBER_GROUPS", "family"),
        ("USHER_OIDC_AUTO_CREATE", "false"),
    ]));
    assert!(loaded.settings.oidc.is_none());
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(
        loaded
            .warnings
            .iter()
            .all(|w| w.ends_with("is ignored because USHER_OIDC_ISSUER is not set")),
        "{:?}",
        loaded.warnings
    );
}
