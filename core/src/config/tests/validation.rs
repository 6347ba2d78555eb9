//! What is accepted, refused (all problems at once) and kept out of `Debug`.

use super::{env, ok, problems, with_env, write};
use crate::config::*;

#[test]
fn every_problem_is_reported_at_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("missing").display().to_string();
    let err = load(LoadOptions {
        env: env(&[
            ("USHER_LISTEN", "nope"),
            ("USHER_PUBLIC_URL", "localhost:8080"),
            ("USHER_DATABASE_URL", "mysql://root:pw@db/usher"),
            ("USHER_LOG_FORMAT", "xml"),
            ("USHER_DISCORD_MODE", "websocket"),
            ("USHER_TELEGRAM_ADMIN_IDS", "1,two"),
            ("USHER_SECRET_KEY", "short-and-secret"),
            ("USHER_HTTP_TIMEOUT_SECS", "0"),
            ("USHER_WEBHOOK_SECRET_FILE", &missing),
        ]),
        overrides: vec![("lisen", "x".into())],
        ..LoadOptions::default()
    })
    .expect_err("invalid");
    let expected = [
        "USHER_LISTEN: \"nope\" is not a socket address",
        "USHER_PUBLIC_URL: \"localhost:8080\" is not an http(s) URL",
        "USHER_DATABASE_URL: unsupported scheme \"mysql\"",
        "USHER_LOG_FORMAT: \"xml\" is not one of pretty, json",
        "USHER_DISCORD_MODE: \"websocket\" is not one of gateway, http",
        "USHER_TELEGRAM_ADMIN_IDS: list item \"two\" is not",
        "USHER_SECRET_KEY: must be at least 32 characters (has 16)",
        "USHER_HTTP_TIMEOUT_SECS: must be at least 1 second",
        "USHER_WEBHOOK_SECRET_FILE: cannot read",
        "command-line override: unknown key `lisen`",
    ];
    for want in expected {
        assert!(
            err.problems.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {err}"
        );
    }
    assert_eq!(err.problems.len(), expected.len(), "{err}");
    let shown = err.to_string();
    assert!(shown.starts_with("invalid configuration (10 problems):"));
    assert_eq!(shown.lines().count(), 11);
    assert!(
        !shown.contains("short-and-secret") && !shown.contains("pw@"),
        "{shown}"
    );
}

#[test]
fn problems_say_where_a_bad_value_came_from() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(tmp.path(), "usher.toml", "listen = \"bad\"\n");
    let p = problems(LoadOptions {
        config_file: Some(toml),
        overrides: vec![("public_url", "ftp://x".into())],
        ..LoadOptions::default()
    });
    assert!(
        p.iter()
            .any(|m| m.starts_with("USHER_LISTEN:") && m.contains("usher.toml")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("USHER_PUBLIC_URL:") && m.contains("flag")),
        "{p:?}"
    );
}

#[test]
fn unknown_env_names_warn_but_known_families_do_not() {
    let loaded = ok(with_env(&[
        ("USHER_RADARR_APIKEY", "x"),
        ("USHER_NOPE_FILE", "/x"),
        ("USHER_TEST_POSTGRES_URL", "postgres://x"),
        ("USHER_CONFIG", ""),
        ("HOME", "/root"),
        ("USHER_LOG", "debug"),
    ]));
    let w = loaded.warnings;
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("USHER_RADARR_APIKEY") && w[0].contains("USHER_RADARR_API_KEY"));
    assert!(w[1].contains("USHER_NOPE_FILE"));
}

#[test]
fn half_configured_integrations_are_problems() {
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            &[("USHER_RADARR_URL", "http://radarr:7878")],
            &["USHER_RADARR_API_KEY: required"],
        ),
        (
            &[("USHER_SONARR_API_KEY", "k")],
            &["USHER_SONARR_URL: required"],
        ),
        (
            &[("USHER_RADARR_ROOT_FOLDER", "/movies")],
            &[
                "USHER_RADARR_URL: required",
                "USHER_RADARR_API_KEY: required",
            ],
        ),
        (
            &[("USHER_JELLYFIN_URL", "http://jf")],
            &["USHER_JELLYFIN_API_KEY: required"],
        ),
        (&[("USHER_PLEX_TOKEN", "t")], &["USHER_PLEX_URL: required"]),
        (
            &[("USHER_OIDC_ISSUER", "https://id")],
            &["USHER_OIDC_CLIENT_ID: required"],
        ),
        (
            &[("USHER_OIDC_CLIENT_ID", "c")],
            &["USHER_OIDC_ISSUER: required"],
        ),
        (
            &[("USHER_DISCORD_TOKEN", "t"), ("USHER_DISCORD_MODE", "http")],
            &[
                "USHER_DISCORD_APPLICATION_ID: required",
                "USHER_DISCORD_PUBLIC_KEY: required",
            ],
        ),
        (
            &[
                ("USHER_DISCORD_TOKEN", "t"),
                ("USHER_DISCORD_PUBLIC_KEY", "abc"),
            ],
            &["USHER_DISCORD_PUBLIC_KEY: is not a 64-character hex"],
        ),
    ];
    for (vars, wanted) in cases {
        let p = problems(with_env(vars));
        assert_eq!(p.len(), wanted.len(), "{vars:?}: {p:?}");
        for want in *wanted {
            assert!(p.iter().any(|m| m.starts_with(want)), "{vars:?}: {p:?}");
        }
    }
    // An invalid URL is reported once, not also as "URL missing".
    let p = problems(with_env(&[
        ("USHER_RADARR_URL", "radarr"),
        ("USHER_RADARR_API_KEY", "k"),
    ]));
    assert_eq!(p.len(), 1, "{p:?}");
}

#[test]
fn options_of_a_disabled_bot_are_warned_about() {
    let loaded = ok(with_env(&[("USHER_TELEGRAM_ADMIN_IDS", "1")]));
    assert!(loaded.settings.telegram.is_none());
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("USHER_TELEGRAM_TOKEN is not set"));
}

#[test]
fn fully_configured_and_not_configured() {
    let public_key = "ab".repeat(32);
    let s = ok(with_env(&[
        ("USHER_PUBLIC_URL", "HTTPS://usher.example.com/"),
        ("USHER_TMDB_API_KEY", "k"),
        ("USHER_RADARR_URL", "http://radarr:7878/"),
        ("USHER_RADARR_API_KEY", "k"),
        ("USHER_RADARR_QUALITY_PROFILE", "HD-1080p"),
        ("USHER_PLEX_URL", "http://plex:32400"),
        ("USHER_PLEX_TOKEN", "t"),
        ("USHER_DISCORD_TOKEN", "t"),
        ("USHER_DISCORD_MODE", "http"),
        ("USHER_DISCORD_APPLICATION_ID", "42"),
        ("USHER_DISCORD_PUBLIC_KEY", &public_key),
    ]))
    .settings;
    assert!(s.is_https());
    assert_eq!(s.public_url, "HTTPS://usher.example.com");
    let radarr = s.radarr.as_ref().expect("radarr");
    assert_eq!(radarr.url, "http://radarr:7878");
    assert_eq!(radarr.quality_profile.as_deref(), Some("HD-1080p"));
    assert_eq!(radarr.root_folder, None);
    let discord = s.discord.as_ref().expect("discord");
    assert_eq!(
        (discord.mode, discord.application_id),
        (DiscordMode::Http, Some(42))
    );
    assert_eq!(
        s.not_configured(),
        ["Sonarr", "Jellyfin", "Telegram", "OIDC"]
    );
    assert!(s.is_locked("radarr_url") && !s.is_locked("listen"));
}

#[test]
fn debug_never_shows_a_secret() {
    let secrets = [
        "dbpassw0rd",
        "secret-key-0123456789-0123456789-abc",
        "previous-key-0123456789-0123456789-x",
        "tmdbkey-123",
        "radarrkey-456",
        "sonarrkey-789",
        "jellyfinkey-abc",
        "plextoken-def",
        "webhooksecret-ghi",
        "123456:telegramtoken",
        "discordtoken-jkl",
        "oidcclientsecret-mno",
        "basicauthpw",
    ];
    let loaded = ok(with_env(&[
        (
            "USHER_DATABASE_URL",
            "postgres://usher:dbpassw0rd@db:5432/usher",
        ),
        ("USHER_SECRET_KEY", secrets[1]),
        ("USHER_SECRET_KEY_PREVIOUS", secrets[2]),
        ("USHER_TMDB_API_KEY", secrets[3]),
        ("USHER_RADARR_URL", "http://admin:basicauthpw@radarr:7878"),
        ("USHER_RADARR_API_KEY", secrets[4]),
        ("USHER_SONARR_URL", "http://sonarr:8989"),
        ("USHER_SONARR_API_KEY", secrets[5]),
        ("USHER_JELLYFIN_URL", "http://jellyfin:8096"),
        ("USHER_JELLYFIN_API_KEY", secrets[6]),
        ("USHER_PLEX_URL", "http://plex:32400"),
        ("USHER_PLEX_TOKEN", secrets[7]),
        ("USHER_WEBHOOK_SECRET", secrets[8]),
        ("USHER_TELEGRAM_TOKEN", secrets[9]),
        ("USHER_DISCORD_TOKEN", secrets[10]),
        ("USHER_OIDC_ISSUER", "https://id.example.com"),
        ("USHER_OIDC_CLIENT_ID", "usher"),
        ("USHER_OIDC_CLIENT_SECRET", secrets[11]),
    ]));
    assert!(loaded.settings.not_configured().is_empty());
    let shown = format!(
        "{:?} {:#?} {}",
        loaded, loaded.settings, loaded.settings.database_url
    );
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
    assert!(shown.contains("postgres://usher:***@db:5432/usher"));
    assert!(shown.contains("[redacted]"));
    let opts = with_env(&[("USHER_PLEX_TOKEN", secrets[7])]);
    assert!(!format!("{opts:?}").contains(secrets[7]));
}

#[test]
fn an_admin_topic_needs_the_admin_chat_and_a_positive_id() {
    let token = ("USHER_TELEGRAM_TOKEN", "123:abc");
    let chat = ("USHER_TELEGRAM_ADMIN_CHAT_ID", "-1001234567890");
    let topic = |id| ("USHER_TELEGRAM_ADMIN_TOPIC_ID", id);
    let loaded = ok(with_env(&[token, chat, topic(" 42 ")]));
    let telegram = loaded.settings.telegram.expect("telegram");
    assert_eq!(telegram.admin_topic_id, Some(42));
    assert!(format!("{telegram:?}").contains("admin_topic_id: Some(42)"));
    let without = ok(with_env(&[token, chat])).settings.telegram;
    assert_eq!(without.expect("telegram").admin_topic_id, None);

    let alone = problems(with_env(&[token, topic("42")]));
    let want = "USHER_TELEGRAM_ADMIN_CHAT_ID: required when USHER_TELEGRAM_ADMIN_TOPIC_ID is set";
    assert!(alone.len() == 1 && alone[0].starts_with(want), "{alone:?}");
    for bad in ["0", "-7", "general", "2147483648"] {
        let p = problems(with_env(&[token, chat, topic(bad)]));
        let want = format!(
            "USHER_TELEGRAM_ADMIN_TOPIC_ID: \"{bad}\" is not a forum topic id (a positive integer)"
        );
        assert!(p.len() == 1 && p[0].starts_with(&want), "{bad}: {p:?}");
    }
}
