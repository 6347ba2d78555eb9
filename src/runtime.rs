//! The async runtime `usher` runs on: one thread unless `TOKIO_WORKER_THREADS` asks for tokio's
//! multi-thread runtime with that many workers. A chat flow is a chain of short steps, each
//! waiting on the network or SQLite; handing them between worker threads cost more CPU than the
//! steps themselves (`cargo bench --bench member_flow`, medians of three: 4.94 ms per returning
//! flow on two workers, 4.53 ms on one thread). Work that could hold the thread long is cut
//! small already (listings of 100,000 titles are parsed one element at a time between reads).

use std::ffi::OsStr;

/// The variable that asks for worker threads (tokio's own name for it).
pub const WORKER_THREADS: &str = "TOKIO_WORKER_THREADS";

/// Builds the runtime the environment asks for; benches that run Usher's code in process use
/// it too, so they measure what `usher serve` runs.
///
/// # Errors
/// `TOKIO_WORKER_THREADS` set to anything but a whole number of at least 1 (tokio would panic
/// on it), or the runtime failing to start.
pub fn build() -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match std::env::var_os(WORKER_THREADS) {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(raw) => {
            let mut multi = tokio::runtime::Builder::new_multi_thread();
            multi.worker_threads(workers(&raw)?);
            multi
        }
    };
    builder.enable_all().build()
}

/// The worker count `raw` names.
fn workers(raw: &OsStr) -> std::io::Result<usize> {
    raw.to_str()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .ok_or_else(|| {
            std::io::Error::other(format!(
                "{WORKER_THREADS} must be a whole number of at least 1, not {raw:?}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_count_is_a_whole_number_of_at_least_one() {
        assert_eq!(workers(OsStr::new("2")).ok(), Some(2));
        assert_eq!(workers(OsStr::new(" 4 ")).ok(), Some(4));
        for bad in ["0", "-1", "two", "", "1.5"] {
            let err = workers(OsStr::new(bad)).expect_err(bad).to_string();
            assert!(
                err.contains("TOKIO_WORKER_THREADS must be a whole number"),
                "{bad}: {err}"
            );
        }
    }
}
