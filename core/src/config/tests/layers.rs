//! Where values come from: defaults, TOML, environment, `_FILE`, flags.

use std::path::PathBuf;

use secrecy::ExposeSecret as _;

use super::{env, ok, problems, with_env, write};
use crate::config::*;

#[test]
fn defaults_alone_are_valid() {
    let Loaded {
        settings: s,
        warnings,
    } = ok(LoadOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(s.database_url.as_str(), "sqlite://data/usher.db");
    assert_eq!(s.database_url.kind(), DatabaseKind::Sqlite);
    assert_eq!(s.data_dir, PathBuf::from("data"));
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.public_url, "http://localhost:8080");
    assert!(!s.is_https());
    assert!(s.secret_key.is_none() && s.webhook_secret.is_none());
    assert_eq!((s.log.as_str(), s.log_format), ("info", LogFormat::Pretty));
    assert_eq!(s.http_timeout.as_secs(), 10);
    assert_eq!(s.tmdb_api_url, "https://api.themoviedb.org");
    assert!(s.locked_keys.is_empty());
    assert_eq!(
        s.not_configured(),
        [
            "TMDB", "Radarr", "Sonarr", "Jellyfin", "Plex", "Telegram", "Discord", "OIDC"
        ]
    );
}

#[test]
fn each_layer_beats_the_one_below() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(
        tmp.path(),
        "usher.toml",
        "listen = \"127.0.0.1:1001\"\nlog = \"debug\"\n",
    );
    let secret = write(tmp.path(), "listen.txt", "127.0.0.1:1003\n");
    let secret = secret.display().to_string();
    let listen = |vars: &[(&str, &str)], flag: Option<&str>| {
        let opts = LoadOptions {
            config_file: Some(toml.clone()),
            env: env(vars),
            overrides: flag
                .map(|f| vec![("listen", f.to_owned())])
                .unwrap_or_default(),
        };
        let s = ok(opts).settings;
        (s.listen.port(), s.is_locked("listen"))
    };
    assert_eq!(listen(&[], None), (1001, false), "toml beats default");
    let plain = ("USHER_LISTEN", "127.0.0.1:1002");
    let file = ("USHER_LISTEN_FILE", secret.as_str());
    assert_eq!(listen(&[plain], None), (1002, true), "env beats toml");
    assert_eq!(
        listen(&[plain, file], None),
        (1003, true),
        "_FILE beats env"
    );
    assert_eq!(
        listen(&[file, plain], None),
        (1003, true),
        "whatever the order"
    );
    let flag = Some("127.0.0.1:1004");
    assert_eq!(
        listen(&[plain, file], flag),
        (1004, true),
        "flag beats _FILE"
    );

    let s = ok(LoadOptions {
        config_file: Some(toml.clone()),
        ..LoadOptions::default()
    })
    .settings;
    assert_eq!(s.log, "debug");
    assert!(
        !s.is_locked("log"),
        "values from the TOML file stay editable"
    );
}

#[test]
fn env_file_is_trimmed_and_both_set_warns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let key = write(tmp.path(), "tmdb", "file-key\r\n")
        .display()
        .to_string();
    let loaded = ok(with_env(&[
        ("USHER_TMDB_API_KEY", "env-key"),
        ("USHER_TMDB_API_KEY_FILE", &key),
    ]));
    let tmdb = loaded.settings.tmdb.expect("tmdb configured");
    assert_eq!(tmdb.api_key.expose_secret(), "file-key");
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("USHER_TMDB_API_KEY_FILE"));
}

#[test]
fn usher_config_env_names_the_file_and_missing_named_file_is_a_problem() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(tmp.path(), "custom.toml", "log = \"warn\"");
    let named = toml.display().to_string();
    assert_eq!(
        ok(with_env(&[("USHER_CONFIG", &named)])).settings.log,
        "warn"
    );

    let missing = tmp.path().join("nope.toml").display().to_string();
    let p = problems(with_env(&[("USHER_CONFIG", &missing)]));
    assert!(p.len() == 1 && p[0].starts_with("USHER_CONFIG:"), "{p:?}");
    let p = problems(LoadOptions {
        config_file: Some(tmp.path().join("nope.toml")),
        ..LoadOptions::default()
    });
    assert!(p.len() == 1 && p[0].contains("nope.toml"), "{p:?}");
}

#[test]
fn lists_from_env_and_toml() {
    let s = ok(with_env(&[
        ("USHER_TELEGRAM_TOKEN", "123:abc"),
        ("USHER_TELEGRAM_ADMIN_IDS", " 1, 2 ,,-3 "),
        ("USHER_TELEGRAM_ALLOWED_CHAT_IDS", ""),
        ("USHER_OIDC_ISSUER", "https://id.example.com/"),
        ("USHER_OIDC_CLIENT_ID", "usher"),
        ("USHER_OIDC_ADMIN_GROUPS", "admins, media admins"),
    ]))
    .settings;
    let tg = s.telegram.expect("telegram");
    assert_eq!(tg.admin_ids, [1, 2, -3]);
    assert!(tg.allowed_chat_ids.is_empty());
    let oidc = s.oidc.expect("oidc");
    assert_eq!(oidc.admin_groups, ["admins", "media admins"]);
    assert_eq!(
        oidc.issuer, "https://id.example.com/",
        "issuer kept exactly"
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(
        tmp.path(),
        "usher.toml",
        "discord_token = \"t\"\ndiscord_guild_ids = [1, \"2\"]\n\
         discord_admin_ids = \"3,4\"\ndiscord_admin_channel_id = 5\nhttp_timeout_secs = 30\n",
    );
    let s = ok(LoadOptions {
        config_file: Some(toml),
        ..LoadOptions::default()
    })
    .settings;
    let d = s.discord.expect("discord");
    assert_eq!((d.guild_ids, d.admin_ids), (vec![1, 2], vec![3, 4]));
    assert_eq!(d.admin_channel_id, Some(5));
    assert_eq!(d.mode, DiscordMode::Gateway);
    assert_eq!(s.http_timeout.as_secs(), 30);
}

#[test]
fn toml_values_of_the_wrong_shape_and_unknown_keys_are_problems() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(
        tmp.path(),
        "usher.toml",
        "listen = [\"a\"]\nradar_url = \"http://r\"\n[plex_url]\nx = 1\n",
    );
    let p = problems(LoadOptions {
        config_file: Some(toml),
        ..LoadOptions::default()
    });
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.contains("`listen` (USHER_LISTEN)") && m.contains("array"))
    );
    assert!(
        p.iter()
            .any(|m| m.contains("unknown key `radar_url`") && m.contains("radarr_url"))
    );
    assert!(
        p.iter()
            .any(|m| m.contains("USHER_PLEX_URL") && m.contains("table"))
    );
}

#[test]
fn toml_syntax_errors_do_not_echo_the_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(
        tmp.path(),
        "usher.toml",
        "log = \"info\"\nplex_token = \"s3cr3t\n",
    );
    let p = problems(LoadOptions {
        config_file: Some(toml),
        ..LoadOptions::default()
    });
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("line 2") && !p[0].contains("s3cr3t"), "{p:?}");
}

#[test]
fn console_values_sit_between_the_file_and_the_environment() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let toml = write(
        tmp.path(),
        "usher.toml",
        "sign_in_per_minute = 20\nsession_max_days = 3\n",
    );
    let saved = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let opts = LoadOptions {
        config_file: Some(toml),
        env: env(&[("USHER_SESSION_MAX_DAYS", "9")]),
        ..LoadOptions::default()
    };
    let database = saved(&[
        ("sign_in_per_minute", "30"),
        ("session_max_days", "5"),
        ("session_idle_minutes", "15"),
        ("listen", "0.0.0.0:1"),
        ("no_such_key", "x"),
    ]);
    let loaded = load_layered(&opts, &database).expect("valid");
    let s = &loaded.settings;
    assert_eq!(s.console.sign_in_per_minute, 30, "console beats the file");
    assert_eq!(
        s.console.session_max.as_secs(),
        9 * 86_400,
        "env beats console"
    );
    assert_eq!(
        s.console.session_idle.as_secs(),
        15 * 60,
        "console beats default"
    );
    assert_eq!(s.listen.port(), 8080, "startup keys ignore the console");
    assert!(!s.is_locked("sign_in_per_minute") && s.is_locked("session_max_days"));
    assert!(
        loaded.warnings.iter().any(|w| w.contains("`listen`"))
            && loaded.warnings.iter().any(|w| w.contains("`no_such_key`")),
        "{:?}",
        loaded.warnings
    );
    let bad = load_layered(&opts, &saved(&[("sign_in_per_minute", "lots")]))
        .expect_err("invalid")
        .problems;
    assert!(
        bad.iter()
            .any(|p| p.contains("USHER_SIGN_IN_PER_MINUTE") && p.contains("console")),
        "{bad:?}"
    );
}
