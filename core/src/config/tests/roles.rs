//! `[[role]]` and `[[role_grant]]` tables: read into specs, and every mistake reported at
//! start-up naming the entry.

use super::{ok, problems};
use crate::config::LoadOptions;
use crate::domain::{GrantTarget, Permission};

fn with_toml(content: &str) -> (tempfile::TempDir, LoadOptions) {
    super::toml_with_env(
        content,
        &[
            ("USHER_RADARR_URL", "http://radarr:7878"),
            ("USHER_RADARR_API_KEY", "k"),
        ],
    )
}

#[test]
fn role_and_grant_tables_are_read() {
    let (_tmp, opts) = with_toml(
        r#"
[[role]]
name = "family"
permissions = ["request_movie", "request_tv", "auto_approve_movie"]
quota = { movies = 2, seasons = 4, days = 7 }
content_limit = { movie = "PG-13", tv = "TV-14", country = "US", allow_unrated = false }
radarr = { instance = "radarr", root_folder = "/movies/family", tags = ["family"] }

[[role_grant]]
role = "family"
telegram_chat = -1001234

[[role_grant]]
role = "approver"
oidc_group = "staff"
"#,
    );
    let settings = ok(opts).settings;
    let family = &settings.roles[0];
    assert_eq!(family.name, "family");
    assert!(family.permissions.allows(Permission::AutoApproveMovie));
    assert!(!family.permissions.allows(Permission::Approve));
    let radarr = family.radarr.as_ref().expect("placement");
    assert_eq!(radarr.root_folder.as_deref(), Some("/movies/family"));
    let targets: Vec<_> = settings.role_grants.iter().map(|g| &g.target).collect();
    assert_eq!(
        targets,
        [
            &GrantTarget::TelegramChat(-1_001_234),
            &GrantTarget::OidcGroup("staff".into())
        ]
    );
}

#[test]
fn every_bad_entry_is_named() {
    let (_tmp, opts) = with_toml(
        r#"
[[role]]
name = "kids"
permissions = ["request_movie", "fly"]
quota = { movies = -1, days = 7 }
content_limit = { movie = "NC-99" }
sonarr = { instance = "sonarr" }

[[role_grant]]
role = "nobody"
discord_role = 5

[[role_grant]]
role = "kids"

[[role_grant]]
role = "kids"
discord_role = 5
telegram_chat = 6
"#,
    );
    let all = problems(opts).join("\n");
    for wanted in [
        "usher.toml [[role]] #1 \"kids\": permissions: unknown permission `fly`",
        "[[role]] #1 \"kids\": quota.movies is -1",
        "[[role]] #1 \"kids\": content_limit: `NC-99` is not a movie certification in US",
        "[[role]] #1 \"kids\": sonarr.instance `sonarr` is not a configured sonarr instance (no sonarr instance is configured)",
        "[[role_grant]] #1 \"nobody\": unknown role `nobody`",
        "[[role_grant]] #2 \"kids\": names 0 targets",
        "[[role_grant]] #3 \"kids\": names 2 targets",
    ] {
        assert!(all.contains(wanted), "{wanted}\nnot in:\n{all}");
    }
}
