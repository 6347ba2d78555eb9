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
    usher::allocator::hold_malloc_settings();
    let cli = Cli::parse();
    let runtime = match usher::runtime::build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("usher: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
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
