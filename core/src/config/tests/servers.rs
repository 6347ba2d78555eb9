//! The library index's settings: `[[jellyfin]]`, `[[emby]]`, `[[plex]]` tables and the schedule.

use std::time::Duration;

use secrecy::ExposeSecret as _;

use super::{ok, problems};
use crate::config::LoadOptions;
use crate::domain::SourceKind;

fn with_toml(content: &str) -> (tempfile::TempDir, LoadOptions) {
    super::toml_with_env(content, &[])
}

#[test]
fn server_tables_become_media_servers_and_the_schedule_is_read() {
    let (_tmp, opts) = with_toml(
        r#"
library_full_pass_hours = 12
library_incremental_minutes = 2

[[plex]]
name = "den"
url = "http://plex-den:32400/"
token = "plex-token"

[[emby]]
name = "emby"
url = "http://emby:8096"
api_key = "emby-key"
public_url = "https://emby.example.org"
"#,
    );
    let settings = ok(opts).settings;
    let servers = &settings.media_servers;
    assert_eq!(servers.len(), 2);
    let named = |name: &str| servers.iter().find(|s| s.name == name).expect(name);
    let den = named("den");
    assert_eq!(den.kind, SourceKind::Plex);
    assert_eq!(den.url, "http://plex-den:32400");
    assert_eq!(den.secret.expose_secret(), "plex-token");
    let emby = named("emby");
    assert_eq!(emby.kind, SourceKind::Emby);
    assert_eq!(emby.public_url.as_deref(), Some("https://emby.example.org"));
    assert!(
        !format!("{settings:?}").contains("emby-key"),
        "secrets stay out of Debug"
    );
    assert_eq!(
        settings.library_index.full_every,
        Duration::from_secs(12 * 3600)
    );
    assert_eq!(
        settings.library_index.incremental_every,
        Duration::from_secs(120)
    );
}

#[test]
fn bad_server_tables_are_each_reported() {
    let (_tmp, opts) = with_toml(
        r#"
library_full_pass_hours = 0

[[jellyfin]]
name = "Bad Name"
url = "http://jf:8096"
api_key = "k"

[[jellyfin]]
name = "kids"
url = "not a url"
api_key = "k"

[[plex]]
name = "den"
url = "http://plex:32400"
api_key = "wrong field for plex"

[[plex]]
name = "radarr"
url = "http://plex:32400"
token = "t"
"#,
    );
    let found = problems(opts).join("\n");
    for expected in [
        "USHER_LIBRARY_FULL_PASS_HOURS",
        "`name` is required",
        "`url` must be an http(s) URL",
        "unknown field `api_key`",
        "`token` is required",
        "the name `radarr` is already taken",
    ] {
        assert!(
            found.contains(expected),
            "{expected:?} missing in:\n{found}"
        );
    }
}

#[test]
fn a_server_key_that_is_not_a_table_array_is_a_problem() {
    let (_tmp, opts) = with_toml("jellyfin = \"http://jf:8096\"\n");
    let found = problems(opts).join("\n");
    assert!(
        found.contains("`jellyfin` must be an array of tables"),
        "{found}"
    );
}
