//! glibc's malloc, held to two settings it reads from its environment only at start:
//!
//! - The mmap threshold. glibc raises it each time it frees a large block, up to 32 MB. After
//!   the library index's first pass has freed its page bodies and growing tables, the next
//!   pass's multi-megabyte buffers come from the heap arenas instead of their own mappings and
//!   stay there as fragmentation when freed: the steady pass peaked 6 MB higher than with the
//!   threshold held (`cargo bench --bench library_index`, see the README's Benchmarks).
//! - The number of arenas. glibc gives threads their own arenas, up to eight per core, and each
//!   keeps its own free memory. Usher's threads are its runtime and the SQLite connections'
//!   workers, whose allocations are small and short; two arenas keep their free memory in
//!   common (member_flow: about 1 MB less resident after the flows, CPU the same).
//!
//! The workspace forbids the `unsafe` that `mallopt` needs, so the binary executes itself again,
//! once, with them set.

/// The variables glibc reads at start, with our values: the mmap threshold at glibc's own
/// default before it starts moving it (128 KiB), and two arenas.
pub const MALLOC_SETTINGS: [(&str, &str); 2] = [
    ("MALLOC_MMAP_THRESHOLD_", "131072"),
    ("MALLOC_ARENA_MAX", "2"),
];

/// Runs this program again in this process (same pid, arguments and environment) with glibc's
/// malloc settings that the environment does not set already (the systemd unit sets them, so it
/// never runs twice; an operator's own values are kept). The container image is a static musl
/// binary, whose allocator has neither setting: nothing happens there. Call it first thing in
/// `main`, before any thread starts. Returns when nothing was re-run: on other platforms, when
/// every setting is set, or when the program cannot be executed again (it then runs on as it is).
pub fn hold_malloc_settings() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt as _;
        let unset = unset_settings(|name| std::env::var_os(name).is_some());
        if unset.is_empty() {
            return;
        }
        let Ok(program) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let mut again = std::process::Command::new(program);
        if let Some(arg0) = args.next() {
            again.arg0(arg0);
        }
        // `exec` returns only when it failed.
        let _failed = again.args(args).envs(unset).exec();
    }
}

/// The settings the environment leaves unset (`is_set` says whether a variable is): an
/// operator's own value is never replaced.
fn unset_settings(is_set: impl Fn(&str) -> bool) -> Vec<(&'static str, &'static str)> {
    MALLOC_SETTINGS
        .into_iter()
        .filter(|(name, _)| !is_set(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_environment_leaves_unset_is_set() {
        assert_eq!(unset_settings(|_| false), MALLOC_SETTINGS.to_vec());
        assert_eq!(
            unset_settings(|name| name == "MALLOC_ARENA_MAX"),
            vec![("MALLOC_MMAP_THRESHOLD_", "131072")]
        );
        assert!(unset_settings(|_| true).is_empty());
    }
}
