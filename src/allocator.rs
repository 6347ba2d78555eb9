//! glibc's malloc raises its mmap threshold each time it frees a large block, up to 32 MB. After
//! the library index's first pass has freed its page bodies and growing tables, the next pass's
//! multi-megabyte buffers come from the heap arenas instead of their own mappings and stay there
//! as fragmentation when freed: the steady pass peaked 6 MB higher than with the threshold held
//! (`cargo bench --bench library_index`, see the README's Benchmarks). glibc reads the threshold from
//! its environment only at start, and the workspace forbids the `unsafe` that `mallopt` needs, so
//! the binary executes itself again, once, with it set.

/// The variable glibc reads at start, and its own default before it starts moving it (128 KiB).
pub const MMAP_THRESHOLD: (&str, &str) = ("MALLOC_MMAP_THRESHOLD_", "131072");

/// Runs this program again in this process (same pid, arguments and environment) with the mmap
/// threshold held at glibc's default, unless the environment already sets it (the systemd unit
/// does, so it never runs twice; an operator's own value is kept). The container image is a
/// static musl binary, whose allocator has no such threshold: nothing happens there. Call it
/// first thing in `main`, before any thread starts. Returns when nothing was re-run: on other
/// platforms, or when the program cannot be executed again (it then runs on as it is).
pub fn hold_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt as _;
        let (name, value) = MMAP_THRESHOLD;
        if std::env::var_os(name).is_some() {
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
        let _failed = again.args(args).env(name, value).exec();
    }
}
