//! Collects raw string values from every layer, remembering where each winner came from.
//!
//! Nothing is interpreted here beyond turning TOML scalars and arrays into the same strings the
//! environment would carry; [`super::validate`] does the typing in one place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::LoadOptions;
use super::keys::{self, CONFIG_ENV, ENV_PREFIX, KEYS, Key, Kind, TEST_ENV_PREFIX};
use super::saved_servers::{self, MEDIA_SERVER_PREFIX};
use super::suggest::did_you_mean;

/// The default TOML file, read only when it exists.
const DEFAULT_CONFIG_FILE: &str = "usher.toml";

/// Which layer supplied a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Default,
    Toml,
    /// Saved in the console (the `settings` table); beats TOML, loses to env, files and flags.
    Database,
    Env,
    EnvFile,
    Override,
}

impl Origin {
    /// Values from these layers cannot be changed in the console.
    pub(crate) fn is_locked(self) -> bool {
        matches!(self, Origin::Env | Origin::EnvFile | Origin::Override)
    }
}

/// The winning value of one key.
#[derive(Debug, Clone)]
pub(crate) struct RawValue {
    pub value: String,
    pub origin: Origin,
}

/// Everything the layers produced: winning values plus problems and warnings met on the way.
#[derive(Debug, Default)]
pub(crate) struct Layers {
    pub values: HashMap<&'static str, RawValue>,
    pub toml_path: Option<PathBuf>,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
    /// `[[jellyfin]]`, `[[emby]]` and `[[plex]]` tables of the TOML file, in file order, then
    /// the media servers saved in the console: (table name, its fields, where it came from),
    /// validated with the rest.
    pub servers: Vec<(&'static str, toml::Table, Origin)>,
    /// `[[role]]` tables of the TOML file, in file order.
    pub roles: Vec<toml::Table>,
    /// `[[role_grant]]` tables of the TOML file, in file order.
    pub role_grants: Vec<toml::Table>,
    /// `[[place]]` tables of the TOML file, in file order, validated with the rest.
    pub places: Vec<toml::Value>,
    /// `[[override]]` tables of the TOML file, in file order (the first match wins).
    pub overrides: Vec<toml::Table>,
}

impl Layers {
    /// Sets `key` unless `value` is blank; later calls come from higher layers and win.
    fn set(&mut self, key: &'static Key, value: String, origin: Origin) {
        if !value.trim().is_empty() {
            self.values.insert(key.name, RawValue { value, origin });
        }
    }

    /// The value of a key, if any layer set it.
    pub(crate) fn get(&self, name: &str) -> Option<&RawValue> {
        self.values.get(name)
    }

    /// Says where a non-environment value came from, appended to problem messages.
    pub(crate) fn describe(&self, origin: Origin, name: &str) -> String {
        match origin {
            Origin::Default => " (built-in default)".to_owned(),
            Origin::Toml => match &self.toml_path {
                Some(path) => format!(" (set as `{name}` in {})", path.display()),
                None => String::new(),
            },
            Origin::Database => " (saved in the console's settings)".to_owned(),
            Origin::Env => String::new(),
            Origin::EnvFile => format!(" (read from {}_FILE)", keys::env_name(name)),
            Origin::Override => " (set by a command-line flag)".to_owned(),
        }
    }
}

/// Runs every layer in precedence order; `database` holds the values saved in the console
/// (already unsealed), applied between the TOML file and the environment.
pub(crate) fn collect(opts: &LoadOptions, database: &[(String, String)]) -> Layers {
    let mut layers = Layers::default();
    for key in KEYS {
        if let Some(default) = key.default {
            layers.set(key, default.to_owned(), Origin::Default);
        }
    }
    if let Some(path) = config_path(opts, &mut layers) {
        read_toml(&path, &mut layers);
        layers.toml_path = Some(path);
    }
    read_database(database, &mut layers);
    read_env(&opts.env, &mut layers);
    for (name, value) in &opts.overrides {
        match keys::find(name) {
            Some(key) => layers.set(key, value.clone(), Origin::Override),
            None => layers
                .problems
                .push(format!("command-line override: unknown key `{name}`")),
        }
    }
    layers
}

/// The TOML file to read: the CLI's, else `USHER_CONFIG`'s (both must exist), else
/// `./usher.toml` when present.
fn config_path(opts: &LoadOptions, layers: &mut Layers) -> Option<PathBuf> {
    let env_path = opts
        .env
        .iter()
        .rev()
        .find(|(name, value)| name == CONFIG_ENV && !value.trim().is_empty())
        .map(|(_, value)| (PathBuf::from(value), CONFIG_ENV));
    let explicit = opts
        .config_file
        .clone()
        .map(|path| (path, "--config"))
        .or(env_path);
    match explicit {
        Some((path, _)) if path.is_file() => Some(path),
        Some((path, source)) => {
            layers.problems.push(format!(
                "{source}: configuration file {} does not exist or is not a file",
                path.display()
            ));
            None
        }
        None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|p| p.is_file()),
    }
}

/// Applies the TOML layer; unknown keys and unusable values are problems.
fn read_toml(path: &Path, layers: &mut Layers) {
    let shown = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            layers.problems.push(format!("{shown}: cannot read: {err}"));
            return;
        }
    };
    let table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(err) => {
            // The error's own Display quotes the offending line, which may hold a secret.
            let at = err.span().map(|span| line_of(&text, span.start));
            let at = at
                .map(|line| format!(" at line {line}"))
                .unwrap_or_default();
            let msg = err.message();
            layers
                .problems
                .push(format!("{shown}: invalid TOML{at}: {msg}"));
            return;
        }
    };
    for (name, value) in table {
        if name == PLACE_TABLE {
            read_places(&value, &shown.to_string(), layers);
            continue;
        }
        if let Some(kind) = SERVER_TABLES.iter().find(|t| **t == name) {
            read_servers(kind, &value, &shown.to_string(), layers);
            continue;
        }
        if name == "role" || name == "role_grant" || name == "override" {
            read_role_tables(&name, &value, &shown.to_string(), layers);
            continue;
        }
        let Some(key) = keys::find(&name) else {
            let hint = did_you_mean(&name, KEYS.iter().map(|k| k.name));
            layers
                .problems
                .push(format!("{shown}: unknown key `{name}`{hint}"));
            continue;
        };
        match toml_to_string(key, &value) {
            Ok(value) => layers.set(key, value, Origin::Toml),
            Err(why) => layers.problems.push(format!(
                "{shown}: `{name}` ({}): {why}",
                keys::env_name(key.name)
            )),
        }
    }
}

/// The array of tables naming places (group chats and servers with voting and a budget).
pub(crate) const PLACE_TABLE: &str = "place";

/// Collects the `[[place]]` entries as they are; each is checked by [`super::validate`].
fn read_places(value: &toml::Value, shown: &str, layers: &mut Layers) {
    match value.as_array() {
        Some(entries) => layers.places.extend(entries.iter().cloned()),
        None => layers.problems.push(format!(
            "{shown}: `place` must be an array of tables (`[[place]]` with telegram_chat or discord_guild)"
        )),
    }
}

/// Arrays of tables naming more media servers for the library index.
pub(crate) const SERVER_TABLES: [&str; 3] = ["jellyfin", "emby", "plex"];

/// Collects one `[[jellyfin]]`-style array of tables; anything else under that name is a
/// problem.
fn read_servers(kind: &'static str, value: &toml::Value, shown: &str, layers: &mut Layers) {
    let Some(tables) = value.as_array() else {
        layers.problems.push(format!(
            "{shown}: `{kind}` must be an array of tables (`[[{kind}]]` with name, url and a key)"
        ));
        return;
    };
    for table in tables {
        match table.as_table() {
            Some(table) => layers.servers.push((kind, table.clone(), Origin::Toml)),
            None => layers
                .problems
                .push(format!("{shown}: each `[[{kind}]]` entry must be a table")),
        }
    }
}

/// Collects `[[role]]`, `[[role_grant]]` or `[[override]]` tables; validated with the rest,
/// once the configured Radarr/Sonarr instances are known.
fn read_role_tables(name: &str, value: &toml::Value, shown: &str, layers: &mut Layers) {
    let Some(tables) = value.as_array() else {
        layers.problems.push(format!(
            "{shown}: `{name}` must be an array of tables (`[[{name}]]`)"
        ));
        return;
    };
    for table in tables {
        match (table.as_table(), name) {
            (Some(table), "role") => layers.roles.push(table.clone()),
            (Some(table), "override") => layers.overrides.push(table.clone()),
            (Some(table), _) => layers.role_grants.push(table.clone()),
            (None, _) => layers
                .problems
                .push(format!("{shown}: each `[[{name}]]` entry must be a table")),
        }
    }
}

/// Applies the console's saved values. Keys the console may not set (startup keys such as the
/// database URL, which must be known before the database is opened) and names this version does
/// not know are warnings, not problems: a newer or older replica may have written them.
fn read_database(values: &[(String, String)], layers: &mut Layers) {
    for (name, value) in values {
        if name.starts_with(MEDIA_SERVER_PREFIX) {
            read_saved_server(name, value, layers);
            continue;
        }
        match keys::find(name) {
            Some(key) if keys::is_startup(key.name) => layers.warnings.push(format!(
                "the saved console setting `{name}` is ignored: {} can only be set in usher.toml, the environment or a flag",
                keys::env_name(key.name)
            )),
            Some(key) => layers.set(key, value.clone(), Origin::Database),
            None => layers
                .warnings
                .push(format!("the saved console setting `{name}` is unknown and ignored")),
        }
    }
}

/// A media server saved in the console joins the TOML tables, to be validated with them.
fn read_saved_server(name: &str, value: &str, layers: &mut Layers) {
    let kind = saved_servers::parse(value).and_then(|(kind, table)| {
        let table_name = SERVER_TABLES.iter().find(|t| **t == kind.as_str())?;
        Some((*table_name, table))
    });
    match kind {
        Some((table_name, table)) => layers.servers.push((table_name, table, Origin::Database)),
        None => layers.warnings.push(format!(
            "the saved console setting `{name}` is not a media server and is ignored"
        )),
    }
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Turns a TOML value into the string the environment would carry.
fn toml_to_string(key: &Key, value: &toml::Value) -> Result<String, String> {
    use toml::Value;
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Integer(i) => Ok(i.to_string()),
        Value::Float(f) => Ok(f.to_string()),
        Value::Boolean(b) => Ok(b.to_string()),
        Value::Array(items) if key.kind == Kind::List => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => parts.push(s.clone()),
                    Value::Integer(i) => parts.push(i.to_string()),
                    other => {
                        return Err(format!(
                            "list items must be strings or integers, found {}",
                            other.type_str()
                        ));
                    }
                }
            }
            Ok(parts.join(","))
        }
        other => Err(format!(
            "expected a string, number or boolean, found {}",
            other.type_str()
        )),
    }
}

/// Applies the environment and `_FILE` layers; `_FILE` wins whatever the order of variables.
fn read_env(env: &[(String, String)], layers: &mut Layers) {
    let mut files: Vec<(&'static Key, &str, &str)> = Vec::new();
    for (name, value) in env {
        if !name.starts_with(ENV_PREFIX) || name == CONFIG_ENV || name.starts_with(TEST_ENV_PREFIX)
        {
            continue;
        }
        if let Some(key) = keys::find_env(name) {
            layers.set(key, value.clone(), Origin::Env);
        } else if let Some(key) = name.strip_suffix("_FILE").and_then(keys::find_env) {
            files.push((key, name, value));
        } else {
            let known = KEYS.iter().map(|k| keys::env_name(k.name));
            let hint = did_you_mean(name, known);
            layers.warnings.push(format!(
                "unknown environment variable {name} is ignored{hint}"
            ));
        }
    }
    for (key, name, path) in files {
        if path.trim().is_empty() {
            continue;
        }
        match std::fs::read_to_string(path) {
            Ok(content) => {
                let content = content.trim_end_matches(['\n', '\r']).to_owned();
                if layers.get(key.name).map(|v| v.origin) == Some(Origin::Env) {
                    layers.warnings.push(format!(
                        "both {} and {name} are set; using {name}",
                        keys::env_name(key.name)
                    ));
                }
                layers.set(key, content, Origin::EnvFile);
            }
            Err(err) => layers
                .problems
                .push(format!("{name}: cannot read {path}: {err}")),
        }
    }
}
