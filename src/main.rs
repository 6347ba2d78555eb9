//! `usher`: the one binary. Reads configuration and runs the command asked for; the wiring is
//! the `usher` library ([`usher::app::App`]). No rules live here.

use std::process::ExitCode;

use clap::Parser;
use usher::cli::{
    AdminCommand, AgentCommand, ApiKeyCommand, Cli, Command, ImportCommand, LibraryCommand,
};
use usher::{
    agents, api_keys, availability, backup, check, import, library, serve, startup, telemetry,
};

fn main() -> ExitCode {
    usher::allocator::hold_mmap_threshold();
    let cli = Cli::parse();
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("usher: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

/// The async runtime: one thread unless `TOKIO_WORKER_THREADS` asks for tokio's multi-thread
/// runtime with that many workers. A chat flow is a chain of short steps, each waiting on the
/// network or SQLite; handing them between worker threads cost more CPU than the steps
/// themselves (`cargo bench --bench member_flow`, medians of three: 4.94 ms per returning flow
/// on two workers, 4.53 ms on one thread). Work that could hold the thread long is cut small
/// already (listings of 100,000 titles are parsed one element at a time between reads).
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match std::env::var_os("TOKIO_WORKER_THREADS") {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(raw) => {
            let workers = raw.to_str().and_then(|n| n.trim().parse::<usize>().ok());
            let Some(workers) = workers.filter(|&n| n >= 1) else {
                return Err(std::io::Error::other(format!(
                    "TOKIO_WORKER_THREADS must be a whole number of at least 1, not {raw:?}"
                )));
            };
            let mut multi = tokio::runtime::Builder::new_multi_thread();
            multi.worker_threads(workers);
            multi
        }
    };
    builder.enable_all().build()
}

async fn run(cli: Cli) -> ExitCode {
    let loaded = match startup::load_config(&cli.global) {
        Ok(loaded) => loaded,
        Err(problems) => {
            telemetry::shout(&format!("usher: {problems}"));
            return ExitCode::from(check::EXIT_CONFIG);
        }
    };
    telemetry::init(&loaded.settings);
    for warning in &loaded.warnings {
        tracing::warn!("{warning}");
    }
    let result = match cli.command {
        Command::Serve => serve::run(loaded.settings, startup::load_options(&cli.global)).await,
        Command::Migrate => startup::migrate_only(&loaded.settings).await,
        Command::Check => {
            return check::run(&loaded.settings, startup::load_options(&cli.global)).await;
        }
        Command::Healthcheck => return check::healthcheck(&loaded.settings).await,
        Command::Backup { file } => backup::backup(&loaded.settings, &file).await,
        Command::Restore { file, force } => backup::restore(&loaded.settings, &file, force).await,
        Command::Import {
            command:
                ImportCommand::Overseerr {
                    source,
                    settings,
                    dry_run,
                },
        } => import::overseerr(&loaded.settings, &source, settings, dry_run).await,
        Command::Library {
            command: LibraryCommand::Sync,
        } => library::sync(&loaded.settings, startup::load_options(&cli.global)).await,
        Command::Admin {
            command: AdminCommand::SetupLink,
        } => startup::print_setup_link(&loaded.settings).await,
        Command::Admin {
            command: AdminCommand::WebhookUrls,
        } => availability::print_webhook_urls(&loaded.settings).await,
        Command::Admin {
            command: AdminCommand::ApiKey { command },
        } => match command {
            ApiKeyCommand::Create { name, scope } => {
                api_keys::create(&loaded.settings, &name, &scope).await
            }
            ApiKeyCommand::List => api_keys::list(&loaded.settings).await,
            ApiKeyCommand::Revoke { name } => api_keys::revoke(&loaded.settings, &name).await,
        },
        Command::Admin {
            command: AdminCommand::Agent { command },
        } => match command {
            AgentCommand::Add(args) => agents::add(&loaded.settings, *args).await,
            AgentCommand::List => agents::list(&loaded.settings).await,
            AgentCommand::Remove { name } => agents::remove(&loaded.settings, &name).await,
            AgentCommand::Test { name } => agents::test(&loaded.settings, &name).await,
            AgentCommand::Rotate { name } => agents::rotate(&loaded.settings, &name).await,
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            telemetry::shout(&format!("usher: {err:#}"));
            ExitCode::FAILURE
        }
    }
}
