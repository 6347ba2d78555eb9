//! `usher admin agent add|list|remove|test|rotate`: the command line's side of core's
//! [`usher_core::service::AgentService`], acting as the operator (`Source::Cli`). The master
//! key is loaded as `usher serve` loads it, so the server opens the secrets sealed here.

use anyhow::Context as _;
use secrecy::ExposeSecret as _;
use serde_json::{Map, Value, json};
use usher_core::config::Settings;
use usher_core::domain::{Actor, Source};
use usher_core::service::{AgentService, NewAgent, TestOutcome};

use crate::cli::AgentAddArgs;
use crate::startup::{load_keys, open_database};
use crate::telemetry::say;

/// The operator at the command line.
fn operator() -> Actor {
    Actor {
        user: None,
        source: Source::Cli,
    }
}

async fn with_service<T>(
    settings: &Settings,
    work: impl AsyncFnOnce(&AgentService) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let db = open_database(settings).await?;
    let done = async {
        let keys = load_keys(settings, &db).await?;
        let service = AgentService::new(db.clone(), keys)?;
        work(&service).await
    }
    .await;
    db.close().await;
    done
}

/// The agent the flags describe (a token read from its file, options per kind).
fn new_agent(args: AgentAddArgs) -> anyhow::Result<NewAgent> {
    let token = match &args.token_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read --token-file {}", path.display()))?
                .trim()
                .to_owned(),
        ),
        None => None,
    };
    let mut options = Map::new();
    if let Some(priority) = args.priority {
        options.insert("priority".into(), json!(priority));
    }
    let email = matches!(args.kind.trim(), "email");
    if email {
        options.insert("smtp_host".into(), json!(args.smtp_host));
        options.insert("smtp_port".into(), json!(args.smtp_port));
        options.insert("tls".into(), json!(args.tls));
        options.insert("from".into(), json!(args.from));
        options.insert("username".into(), json!(args.username));
    }
    let target = if email { args.to } else { args.url };
    Ok(NewAgent {
        name: args.name,
        kind: args.kind,
        target: target.unwrap_or_default(),
        events: args.events,
        token,
        options: Value::Object(options),
    })
}

/// `usher admin agent add KIND --name NAME …`: a webhook's secret alone on the last line.
pub async fn add(settings: &Settings, args: AgentAddArgs) -> anyhow::Result<()> {
    let new = new_agent(args)?;
    let added = with_service(settings, async |agents| {
        Ok(agents.add(&operator(), new).await?)
    })
    .await?;
    let events = if added.summary.events.is_every() {
        "every event".to_owned()
    } else {
        added.summary.events.to_string()
    };
    match &added.signing_secret {
        Some(secret) => {
            say!(
                "{} agent {} added ({events}); its signing secret is shown only now:",
                added.summary.kind,
                added.summary.name
            );
            // Alone on the last line, even in JSON log mode, so scripts can take it with `tail -1`.
            println!("{}", secret.expose_secret());
        }
        None => say!(
            "{} agent {} added ({events})",
            added.summary.kind,
            added.summary.name
        ),
    }
    Ok(())
}

/// `usher admin agent list`: one line per agent, never a secret.
pub async fn list(settings: &Settings) -> anyhow::Result<()> {
    let all = with_service(settings, async |agents| {
        Ok(agents.list(&operator()).await?)
    })
    .await?;
    if all.is_empty() {
        say!("no notification agents");
    }
    for agent in all {
        let events = if agent.events.is_every() {
            "all".to_owned()
        } else {
            agent.events.to_string()
        };
        say!(
            "{}\tkind={}\ttarget={}\tevents={}\tenabled={}",
            agent.name,
            agent.kind,
            agent.target,
            events,
            agent.enabled()
        );
    }
    Ok(())
}

/// `usher admin agent remove NAME`.
pub async fn remove(settings: &Settings, name: &str) -> anyhow::Result<()> {
    with_service(settings, async |agents| {
        Ok(agents.remove(&operator(), name).await?)
    })
    .await?;
    say!("notification agent {name} removed");
    Ok(())
}

/// `usher admin agent rotate NAME`: a webhook's new signing secret alone on the last line.
pub async fn rotate(settings: &Settings, name: &str) -> anyhow::Result<()> {
    let secret = with_service(settings, async |agents| {
        Ok(agents.rotate_secret(&operator(), name).await?)
    })
    .await?;
    say!(
        "webhook agent {name} has a new signing secret, shown only now (the old one no longer verifies):"
    );
    // Alone on the last line, as `add` prints it, so scripts can take it with `tail -1`.
    println!("{}", secret.expose_secret());
    Ok(())
}

/// `usher admin agent test NAME`: the receiver's own answer; exit 1 unless it took it.
pub async fn test(settings: &Settings, name: &str) -> anyhow::Result<()> {
    let outcome = with_service(settings, async |agents| {
        Ok(agents.test(&operator(), name).await?)
    })
    .await?;
    match outcome {
        TestOutcome::Answered(answer) => {
            say!("{name} answered {}: {}", answer.status, answer.body);
            if !answer.accepted() {
                anyhow::bail!("{name} did not accept the test message");
            }
            Ok(())
        }
        TestOutcome::Failed(why) => anyhow::bail!("{name}: {why}"),
    }
}
