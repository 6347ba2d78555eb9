//! The real-browser walks (tests/browser/*.mjs): Debian's headless Chromium driven by
//! playwright-core under node. One place says where they live, refuses to go on without them
//! (saying how to get them), and runs a script to its end, so a browser that cannot start fails
//! the test instead of passing quietly.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// Debian's Chromium, which scripts/test.sh installs.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The folder of the node scripts and their `node_modules`.
pub fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Refuses to go on without Chromium and these npm packages.
pub fn require(packages: &[&str]) {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does: apt-get install -y chromium)"
    );
    for package in packages {
        assert!(
            scripts()
                .join(format!("node_modules/{package}/package.json"))
                .exists(),
            "{package} is not installed: run `npm ci` in tests/browser (scripts/test.sh does)"
        );
    }
}

/// Runs `script` with `env` (and `USHER_CHROMIUM`) for at most `limit`; fails the test unless
/// it exits cleanly and printed `done`. Returns what it printed.
pub async fn run(script: &str, env: &[(&str, String)], limit: Duration, done: &str) -> String {
    let mut command = tokio::process::Command::new("node");
    command
        .arg(script)
        .current_dir(scripts())
        .env("USHER_CHROMIUM", CHROMIUM)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::time::timeout(limit, command.output())
        .await
        .unwrap_or_else(|_| panic!("{script} did not finish within {limit:?}"))
        .expect("node runs (install nodejs)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "browser run failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains(done), "{stdout}\n{stderr}");
    stdout
}
