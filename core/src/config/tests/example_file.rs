//! deploy/config.example.toml documents every key, with its environment name and default.

use crate::config::keys::KEYS;

const EXAMPLE: &str = include_str!("../../../../deploy/config.example.toml");

#[test]
fn example_file_documents_every_key_with_env_name_and_default() {
    for key in KEYS {
        let line = EXAMPLE
            .lines()
            .find(|l| l.starts_with(&format!("# {} = ", key.name)))
            .unwrap_or_else(|| panic!("deploy/config.example.toml lacks `# {} = …`", key.name));
        let env = format!("USHER_{}", key.name.to_uppercase());
        assert!(line.contains(&env), "{} line must name {env}", key.name);
        if let Some(default) = key.default {
            assert!(
                line.contains(default),
                "{} line must show its default {default}",
                key.name
            );
        }
    }
}

#[test]
fn example_file_uncommented_is_a_valid_configuration_file() {
    let uncommented: String = EXAMPLE
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.contains(" = ") && !l.starts_with('-'))
        .map(|l| format!("{}\n", l.split("  #").next().unwrap_or(l).trim_end()))
        .collect();
    let parsed: Result<toml::Table, _> = toml::from_str(&uncommented);
    assert!(parsed.is_ok(), "{parsed:?}\n{uncommented}");
    assert_eq!(parsed.map(|t| t.len()).unwrap_or(0), KEYS.len());
}
