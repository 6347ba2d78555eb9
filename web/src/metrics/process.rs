//! Process figures for `/metrics` in the names Prometheus' client libraries use
//! (`process_resident_memory_bytes`, `process_cpu_seconds_total`, `process_open_fds`,
//! `process_max_fds`), read from `/proc/self` at scrape time. Elsewhere than Linux, or when
//! `/proc` is not mounted, the figures are simply left out.

use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry;

/// Kernel clock ticks per second in `/proc/self/stat` (`USER_HZ`, 100 on every Linux port).
const TICKS_PER_SECOND: f64 = 100.0;

/// What the kernel says about this process now.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessFigures {
    /// Resident memory, bytes.
    pub resident_bytes: Option<i64>,
    /// User plus system CPU time, seconds.
    pub cpu_seconds: Option<f64>,
    /// Open file descriptors.
    pub open_fds: Option<i64>,
    /// The soft limit on open file descriptors.
    pub max_fds: Option<i64>,
}

impl ProcessFigures {
    /// Reads `/proc/self`.
    pub fn read() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let open_fds = std::fs::read_dir("/proc/self/fd")
            .ok()
            .and_then(|dir| i64::try_from(dir.count()).ok());
        Self {
            resident_bytes: resident_bytes(&status),
            cpu_seconds: cpu_seconds(&stat),
            open_fds,
            max_fds: max_fds(&limits),
        }
    }

    /// Registers the known figures in `registry` (which should have no prefix).
    pub fn register(&self, registry: &mut Registry) {
        if let Some(bytes) = self.resident_bytes {
            registry.register(
                "process_resident_memory_bytes",
                "Resident memory size in bytes",
                ConstGauge::new(bytes),
            );
        }
        if let Some(seconds) = self.cpu_seconds {
            registry.register(
                "process_cpu_seconds",
                "Total user and system CPU time spent in seconds",
                ConstCounter::new(seconds),
            );
        }
        if let Some(fds) = self.open_fds {
            registry.register(
                "process_open_fds",
                "Number of open file descriptors",
                ConstGauge::new(fds),
            );
        }
        if let Some(fds) = self.max_fds {
            registry.register(
                "process_max_fds",
                "Maximum number of open file descriptors",
                ConstGauge::new(fds),
            );
        }
    }
}

/// `VmRSS:  14400 kB` in `/proc/self/status`.
fn resident_bytes(status: &str) -> Option<i64> {
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// `utime` and `stime` (fields 14 and 15) of `/proc/self/stat`; counted after the command name,
/// which is in parentheses and may hold spaces.
fn cpu_seconds(stat: &str) -> Option<f64> {
    let (_, after_name) = stat.rsplit_once(')')?;
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / TICKS_PER_SECOND)
}

/// The soft limit of `Max open files` in `/proc/self/limits`.
fn max_fds(limits: &str) -> Option<i64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_files_are_read_as_the_kernel_writes_them() {
        let status = "Name:\tusher\nVmPeak:\t  20000 kB\nVmRSS:\t   14400 kB\nThreads:\t5\n";
        assert_eq!(resident_bytes(status), Some(14_400 * 1024));
        let stat = "4242 (usher (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 75 0 0 20 0 5 0 \
                    1000 30000000 3600 18446744073709551615";
        assert_eq!(cpu_seconds(stat), Some(3.25));
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(max_fds(limits), Some(1024));
        assert_eq!(resident_bytes(""), None);
        assert_eq!(cpu_seconds("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_figures() {
        let figures = ProcessFigures::read();
        assert!(figures.resident_bytes.is_some_and(|b| b > 0), "{figures:?}");
        assert!(figures.cpu_seconds.is_some(), "{figures:?}");
        assert!(figures.open_fds.is_some_and(|n| n >= 3), "{figures:?}");
    }
}
