//! What the benches read about a running process (Usher, or a peer) from `/proc`: CPU per thread,
//! switches and resident memory.

#![allow(dead_code)] // each bench that includes this module uses what it needs

use anyhow::Context as _;

/// CPU time of every thread of a process so far, in nanoseconds (the first field of each
/// thread's `schedstat`), precise where `/proc/<pid>/stat`'s clock ticks count 10 ms steps.
pub fn cpu_ns(pid: u32) -> anyhow::Result<u64> {
    cpu_of_threads(pid, "")
}

/// How sqlx names the thread each SQLite connection runs on.
pub const SQLITE_THREADS: &str = "sqlx-sqlite-wor";

/// CPU time so far of a process's threads whose name starts with `prefix` (every thread for
/// ""), in nanoseconds: where the CPU goes, the store's SQLite connection threads or the rest.
pub fn cpu_of_threads(pid: u32, prefix: &str) -> anyhow::Result<u64> {
    let mut total = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let task = task?.path();
        // Every thread counts for "" (read per flow, so without the names' extra reads). A
        // thread that ended meanwhile took its time with it; the rest still count.
        let named = prefix.is_empty()
            || std::fs::read_to_string(task.join("comm")).is_ok_and(|n| n.starts_with(prefix));
        if !named {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(task.join("schedstat")) else {
            continue;
        };
        let ran: u64 = stat
            .split_whitespace()
            .next()
            .context("schedstat")?
            .parse()?;
        total += ran;
    }
    Ok(total)
}

/// Context switches of every thread of a process so far (voluntary and not): each hand-off
/// between threads, or wait on the network, puts a thread to sleep and wakes it again, and on
/// a small machine that costs as much CPU as the work between.
pub fn thread_switches(pid: u32) -> anyhow::Result<u64> {
    let mut total = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let Ok(status) = std::fs::read_to_string(task?.path().join("status")) else {
            continue;
        };
        for line in status.lines() {
            let count = line
                .strip_prefix("voluntary_ctxt_switches:")
                .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"));
            if let Some(count) = count {
                total += count.trim().parse::<u64>()?;
            }
        }
    }
    Ok(total)
}

/// Resident memory, with its parts: the heap and stacks (anonymous) and the binary's and
/// libraries' pages (file-backed; shared with any other process that maps them).
pub fn rss(pid: u32) -> anyhow::Result<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> anyhow::Result<f64> {
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .with_context(|| name.to_owned())?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kb / 1024.0)
    };
    Ok(format!(
        "{:.1} MB (anonymous {:.1} MB, file {:.1} MB)",
        field("VmRSS:")?,
        field("RssAnon:")?,
        field("RssFile:")?,
    ))
}
