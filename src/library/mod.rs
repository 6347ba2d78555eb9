//! The library index in the binary: built from the settings at start (loaded from the database,
//! so cards answer before the first pass), its passes run by `usher serve` under a lease, and
//! `usher library sync`, a full pass from the command line.

use std::sync::Arc;

use usher_core::config::{LoadOptions, Settings};
use usher_core::index::LibraryIndex;
use usher_core::index::context::PassProgress;
use usher_core::index::job::{Nudge, Schedule};
use usher_core::index::pass::{Passes, SourceReport};
use usher_core::index::sources;
use usher_core::integrations::http::HttpSettings;
use usher_core::store::Db;

use crate::telemetry::say;

mod bar;

use bar::SyncBar;

/// The index over every configured source and its passes, empty: what the database remembers
/// is loaded by the schedule before its first pass (a few seconds for half a million titles),
/// so start-up does not wait for it; until then cards answer from what requests saw.
pub async fn build(settings: &Settings, db: &Db, http: &HttpSettings) -> anyhow::Result<Passes> {
    let all = sources::from_settings(settings, http)?;
    let infos = all.iter().map(|s| s.info().clone()).collect();
    let index = Arc::new(LibraryIndex::new(infos));
    Ok(Passes::new(db.clone(), index, all))
}

/// The index loaded in full before going on (`usher library sync` diffs against it).
async fn build_loaded(settings: &Settings, db: &Db, http: &HttpSettings) -> anyhow::Result<Passes> {
    let all = sources::from_settings(settings, http)?;
    let infos = all.iter().map(|s| s.info().clone()).collect();
    let index: Arc<LibraryIndex> = LibraryIndex::load(db, infos).await?;
    Ok(Passes::new(db.clone(), index, all))
}

/// The schedule the settings ask for.
pub fn schedule(settings: &Settings) -> Schedule {
    Schedule {
        full_every: settings.library_index.full_every,
        incremental_every: settings.library_index.incremental_every,
    }
}

/// A fresh wake-up for the schedule (webhooks poke it).
pub fn nudge() -> Nudge {
    Nudge::default()
}

/// `usher library sync`: one full pass over every source (with the media servers saved in the
/// console, as `serve` would), a line per source as it finishes, then a summary. Fails (exit 1)
/// when a source failed, so scripts notice.
pub async fn sync(base: &Settings, options: LoadOptions) -> anyhow::Result<()> {
    let db = crate::startup::open_database(base).await?;
    let saved = crate::check::saved_settings(base, options, &db).await;
    let settings = saved.as_ref().unwrap_or(base);
    let http = HttpSettings::with_timeout(settings.http_timeout);
    let passes = build_loaded(settings, &db, &http).await?;
    if passes.is_empty() {
        say!("no library source is configured (Jellyfin, Emby, Plex, Radarr or Sonarr)");
        db.close().await;
        return Ok(());
    }
    let names: Vec<String> = passes
        .index()
        .sources()
        .into_iter()
        .map(|(info, _)| info.name)
        .collect();
    let total = names.len();
    say!("library sync: {total} source(s)");
    let report = watched_pass(&passes, names).await;
    db.close().await;
    let report = report?;
    let titles: usize = report.sources.iter().map(|s| s.items).sum();
    let failed: Vec<&str> = report
        .sources
        .iter()
        .filter(|s| s.error.is_some())
        .map(|s| s.name.as_str())
        .collect();
    say!(
        "done: {titles} titles held, {} request(s) became available, {} released (left the library)",
        report.available.len(),
        report.released.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("stale (last known titles kept): {}", failed.join(", "))
    }
}

/// The full pass with its progress bar redrawn every [`bar::REDRAW`] until it ends.
async fn watched_pass(
    passes: &Passes,
    names: Vec<String>,
) -> usher_core::error::CoreResult<usher_core::index::pass::PassReport> {
    let total = names.len();
    let bar = SyncBar::new(names);
    let progress = PassProgress::default();
    let mut done = 0;
    let pass = passes.full_watched(&progress, |source: &SourceReport| {
        done += 1;
        bar.line(&format!("[{done}/{total}] {}", line(source)));
    });
    tokio::pin!(pass);
    let report = loop {
        tokio::select! {
            report = &mut pass => break report,
            () = tokio::time::sleep(bar::REDRAW) => bar.show(&progress),
        }
    };
    bar.finish();
    report
}

fn line(source: &SourceReport) -> String {
    let took = format!("{:.1} s", source.duration.as_secs_f64());
    match &source.error {
        Some(error) => format!("{}: FAILED after {took}: {error}", source.name),
        None => format!(
            "{}: {} titles ({} written, {} removed, {} without ids, {} duplicates) in {took}",
            source.name,
            source.items,
            source.changed,
            source.removed,
            source.skipped,
            source.duplicates
        ),
    }
}
