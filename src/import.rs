//! `usher import overseerr`: reads the source, asks core for the plan (dry run) or the import,
//! and prints what would change or changed, then the Radarr/Sonarr settings to carry over.

use std::path::{Path, PathBuf};

use anyhow::Context;
use usher_core::config::Settings;
use usher_core::ops::overseerr::{self, Applied, ArrServer, Plan, SkipKind, Who};

use crate::startup;
use crate::telemetry::say;

/// How many users or requests are listed one per line before the rest is summed up.
const LISTED: usize = 100;

/// Runs the import (or the dry run) and prints the report.
pub async fn overseerr(
    settings: &Settings,
    source: &str,
    settings_file: Option<PathBuf>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let arr = match settings_file.or_else(|| find_settings(source)) {
        Some(path) => {
            let servers = overseerr::read_settings(&path)?;
            Some((path, servers))
        }
        None => None,
    };
    let from = overseerr::source::open(source)
        .await
        .with_context(|| format!("cannot open {source}"))?;
    let snapshot = overseerr::source::read(&from).await;
    from.close().await;
    let snapshot = snapshot.context("cannot read the Overseerr database")?;
    let db = startup::open_database(settings).await?;
    let result = if dry_run {
        overseerr::dry_run(&db, &snapshot).await.map(|p| (p, None))
    } else {
        overseerr::import(&db, &snapshot)
            .await
            .map(|(p, a)| (p, Some(a)))
    };
    db.close().await;
    let (plan, applied) = result.context("import failed")?;
    let mode = if dry_run {
        " (dry run: nothing was written)"
    } else {
        ""
    };
    say!("Overseerr import from {}{mode}", source_label(source));
    say!(
        "instance: {} (imports are keyed by it: another instance imports beside this one)",
        plan.source_key
    );
    print_plan(&plan);
    match applied {
        Some(applied) => print_applied(&applied),
        None => say!("run again without --dry-run to import"),
    }
    print_skipped(&plan);
    if let Some((path, servers)) = arr {
        print_arr(&path, &servers);
    }
    Ok(())
}

/// The PostgreSQL URL without its password, or the file path.
fn source_label(source: &str) -> String {
    match (source.find("://"), source.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…{}", &source[..scheme], &source[at..])
        }
        _ => source.to_owned(),
    }
}

/// Overseerr keeps `settings.json` in its config folder and the database in `db/` under it.
fn find_settings(source: &str) -> Option<PathBuf> {
    if source.contains("://") && !source.starts_with("sqlite:") {
        return None;
    }
    let file = Path::new(source.trim_start_matches("sqlite://"));
    let dir = file.parent()?;
    [dir.join("settings.json"), dir.join("../settings.json")]
        .into_iter()
        .find(|p| p.is_file())
}

fn name_of(plan: &Plan, who: Who) -> String {
    match who {
        Who::Existing(id) => format!("Usher user {id}"),
        Who::New(i) => plan
            .users
            .get(i)
            .map_or_else(|| format!("new user {i}"), |u| u.display_name.clone()),
    }
}

fn print_plan(plan: &Plan) {
    let new = plan.users.iter().filter(|u| u.existing.is_none()).count();
    say!(
        "users: {new} new, {} matched to Usher users by Discord/Telegram account, {} already imported",
        plan.users.len() - new,
        plan.known_users
    );
    for user in plan.users.iter().take(LISTED) {
        let accounts: Vec<String> = user
            .identities
            .iter()
            .map(|(p, id)| format!("{p} {id}"))
            .collect();
        let target = match user.existing {
            Some(id) => format!(" → Usher user {id}"),
            None => String::new(),
        };
        say!(
            "  {:?} (Overseerr #{}){target}: role {}, accounts [{}]",
            user.display_name,
            user.source_id,
            user.role.unwrap_or("unchanged"),
            accounts.join(", ")
        );
    }
    more(plan.users.len());
    say!(
        "requests: {} new, {} already imported",
        plan.requests.len(),
        plan.known_requests
    );
    for request in plan.requests.iter().take(LISTED) {
        let seasons = if request.seasons.is_empty() {
            String::new()
        } else {
            format!(" seasons {}", request.seasons.to_csv())
        };
        say!(
            "  #{} {} {}{seasons}{}: {} → {} (requested by {})",
            request.source_id,
            request.media.media_type,
            request.media.title,
            if request.four_k { " 4K" } else { "" },
            request.source_status,
            request.status,
            name_of(plan, request.requested_by)
        );
    }
    more(plan.requests.len());
    if plan.adopted > 0 {
        say!(
            "{} rows of an earlier import (made before imports were keyed by instance) are this \
             instance's: now keyed by it",
            plan.adopted
        );
    }
    if plan.legacy_other > 0 {
        say!(
            "{} rows of an earlier import (made before imports were keyed by instance) belong to \
             another instance: left as they are",
            plan.legacy_other
        );
    }
    if !plan.requests.is_empty() {
        say!(
            "titles: Overseerr stores none, so requests are named tmdb:<id> until Usher looks them up"
        );
    }
}

fn more(total: usize) {
    if total > LISTED {
        say!("  … and {} more", total - LISTED);
    }
}

/// Per kind: how many rows are left out, by reason; then each one left out for another reason
/// than being imported already.
fn print_skipped(plan: &Plan) {
    for kind in SkipKind::ALL {
        let counts = plan.skip_counts(kind);
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let reasons: Vec<String> = counts
            .iter()
            .map(|(reason, n)| format!("{n} {}", reason.as_str()))
            .collect();
        if reasons.is_empty() {
            say!("skipped {}: 0", kind.plural());
        } else {
            say!(
                "skipped {}: {total} ({})",
                kind.plural(),
                reasons.join(", ")
            );
        }
    }
    for skip in &plan.skipped {
        say!("  {}", skip.detail);
    }
}

fn print_applied(applied: &Applied) {
    say!(
        "imported: {} users created, {} matched, {} accounts attached, {} requests",
        applied.users_created,
        applied.users_matched,
        applied.identities,
        applied.requests
    );
    if applied.duplicates > 0 {
        say!(
            "{} of those requests duplicate an existing request (another active request holds \
             the title): kept as history only",
            applied.duplicates
        );
    }
}

fn print_arr(path: &Path, servers: &[ArrServer]) {
    say!(
        "Radarr/Sonarr from {} — set these in the environment or usher.toml \
         (API keys are not printed; copy them from the file):",
        path.display()
    );
    for kind in ["radarr", "sonarr"] {
        for four_k in [false, true] {
            let chosen = overseerr::pick_default(servers, kind, four_k);
            let (label, prefix) = if four_k {
                (" 4K", format!("USHER_{}_4K_*", kind.to_ascii_uppercase()))
            } else {
                ("", format!("USHER_{}_*", kind.to_ascii_uppercase()))
            };
            let same = servers
                .iter()
                .filter(|s| s.kind == kind && s.four_k == four_k);
            for server in same {
                if chosen.is_some_and(|c| c.index == server.index) {
                    say!("  {kind}{label} {:?}:", server.name);
                    for line in server.env_lines() {
                        say!("    {line}");
                    }
                } else {
                    say!(
                        "  {kind}{label} {:?}: not carried over (Usher holds one{label} {kind}, \
                         {prefix})",
                        server.name
                    );
                }
            }
        }
    }
}
