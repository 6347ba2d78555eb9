//! `usher import overseerr`: reads the source, asks core for the plan (dry run) or the import,
//! and prints what would change or changed, then the Radarr/Sonarr settings to carry over.

use std::path::{Path, PathBuf};

use anyhow::Context;
use usher_core::config::Settings;
use usher_core::ops::overseerr::{self, Applied, ArrServer, Plan, Who};

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
    print_plan(&plan);
    match applied {
        Some(applied) => print_applied(&applied),
        None => say!("run again without --dry-run to import"),
    }
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
    for skipped in &plan.skipped {
        say!("skipped: {skipped}");
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
            "{} requests ask for a title another active request holds: kept as history only",
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
        let chosen = overseerr::pick_default(servers, kind);
        for server in servers.iter().filter(|s| s.kind == kind) {
            let is_chosen = chosen.is_some_and(|c| c.index == server.index);
            let four_k = if server.four_k { ", 4K" } else { "" };
            if is_chosen {
                say!("  {kind} {:?}{four_k}:", server.name);
                for line in server.env_lines() {
                    say!("    {line}");
                }
            } else {
                say!(
                    "  {kind} {:?}{four_k}: not carried over (Usher's settings hold one {kind})",
                    server.name
                );
            }
        }
    }
}
