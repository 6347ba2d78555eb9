//! The progress bar of `usher library sync`: which source is being listed, how many items it
//! has read so far, and how long it has taken. Drawn on the terminal only (indicatif hides it
//! when stderr is not one), so scripts and logs get the plain per-source lines alone.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use usher_core::index::context::PassProgress;

/// How often the bar is redrawn from the pass's counters.
pub const REDRAW: Duration = Duration::from_millis(100);

/// A bar over the sources of one pass.
pub struct SyncBar {
    bar: ProgressBar,
    names: Vec<String>,
}

impl SyncBar {
    /// A bar over these sources, in pass order, drawn on stderr when it is a terminal.
    pub fn new(names: Vec<String>) -> Self {
        let bar = ProgressBar::new(names.len() as u64);
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:24}] {pos}/{len} sources · {msg} · {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        Self { bar, names }
    }

    /// Redraws from the counters: the source being listed and what it has read.
    pub fn show(&self, progress: &PassProgress) {
        self.bar.set_position(progress.sources_done() as u64);
        let source = self
            .names
            .get(progress.sources_done())
            .map_or("finishing", String::as_str);
        self.bar
            .set_message(format!("{source}: {} items read", progress.items_read()));
    }

    /// Prints a finished source's line above the bar (or alone when there is no bar).
    pub fn line(&self, line: &str) {
        self.bar.suspend(|| crate::telemetry::say!("{line}"));
    }

    /// Removes the bar before the summary.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
