//! Tests of [`super::load`] across all layers: `layers` checks where values come from,
//! `validation` what is accepted, refused and hidden.

mod arr;
mod layers;
mod oidc;
mod overrides;
mod places;
mod roles;
mod servers;
mod validation;

use std::path::{Path, PathBuf};

use super::{LoadOptions, Loaded, load};

pub(super) fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
    vars.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(super) fn with_env(vars: &[(&str, &str)]) -> LoadOptions {
    LoadOptions {
        env: env(vars),
        ..LoadOptions::default()
    }
}

pub(super) fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write test file");
    path
}

/// Options reading `content` as `usher.toml` (in a temp folder kept alive by the returned
/// handle) with `vars` as the environment.
pub(super) fn toml_with_env(
    content: &str,
    vars: &[(&str, &str)],
) -> (tempfile::TempDir, LoadOptions) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = write(tmp.path(), "usher.toml", content);
    let opts = LoadOptions {
        config_file: Some(path),
        env: env(vars),
        ..LoadOptions::default()
    };
    (tmp, opts)
}

pub(super) fn ok(opts: LoadOptions) -> Loaded {
    load(opts).expect("configuration should be valid")
}

pub(super) fn problems(opts: LoadOptions) -> Vec<String> {
    load(opts)
        .expect_err("configuration should be invalid")
        .problems
}
mod example_file;
