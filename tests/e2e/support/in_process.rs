//! `usher serve` in this test process: the same [`usher::serve::serve`] the binary runs, over
//! [`usher::app::App::build`], on a runtime and thread of its own (as a separate process would
//! have), with the lines it tells the operator handed over on a channel instead of stdout.

use std::path::Path;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use usher_core::config::LoadOptions;

/// A running in-process app: how to stop it (gracefully, or at once as a crash would), and
/// where its outcome arrives.
pub struct InProcess {
    stop: Option<oneshot::Sender<Stop>>,
    outcome: Option<oneshot::Receiver<Option<String>>>,
}

/// How to end the app.
enum Stop {
    /// As on SIGTERM: in-flight requests finish, leaders give their leases up, jobs stop.
    Graceful,
    /// As on SIGKILL: every task dropped where it is, nothing handed over.
    Crash,
}

/// The settings the binary would load from `env` when started in `dir`: only these `USHER_*`
/// values (none of this process's), listening on a free port, the data folder and default
/// SQLite file inside `dir`.
fn layers(dir: &Path, env: &[(String, String)]) -> LoadOptions {
    let data = dir.join("data");
    let mut vars = vec![
        ("USHER_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
        ("USHER_DATA_DIR".to_owned(), data.display().to_string()),
        (
            "USHER_DATABASE_URL".to_owned(),
            format!("sqlite://{}", data.join("usher.db").display()),
        ),
    ];
    for (name, value) in env {
        vars.retain(|(n, _)| n != name);
        vars.push((name.clone(), value.clone()));
    }
    LoadOptions {
        config_file: None,
        env: vars,
        overrides: Vec::new(),
    }
}

impl InProcess {
    /// Starts the app and returns it with the receiver of the lines it prints.
    pub fn start(dir: &Path, env: &[(String, String)]) -> (Self, mpsc::UnboundedReceiver<String>) {
        let layers = layers(dir, env);
        let base = usher_core::config::load(layers.clone())
            .unwrap_or_else(|e| panic!("the test's configuration does not load: {e}"))
            .settings;
        let (lines, printed) = mpsc::unbounded_channel();
        let (stop, stopping) = oneshot::channel::<Stop>();
        let (done, outcome) = oneshot::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("the app's runtime");
            let (graceful, stopped) = oneshot::channel::<()>();
            let result = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(base.listen)
                    .await
                    .expect("bind");
                let say = move |line: &str| {
                    let _ = lines.send(line.to_owned());
                };
                let shutdown = async move {
                    let _ = stopped.await;
                };
                let serving = usher::serve::serve(listener, base, layers, shutdown, say);
                tokio::pin!(serving);
                tokio::select! {
                    result = &mut serving => Some(result),
                    how = stopping => match how {
                        Ok(Stop::Graceful) => {
                            let _ = graceful.send(());
                            Some(serving.await)
                        }
                        // A crash, or the test is over: drop everything where it stands.
                        Ok(Stop::Crash) | Err(_) => None,
                    },
                }
            });
            runtime.shutdown_background();
            let _ = done.send(match result {
                Some(Ok(())) => None,
                Some(Err(err)) => Some(format!("{err:#}")),
                None => Some("killed".to_owned()),
            });
        });
        (
            Self {
                stop: Some(stop),
                outcome: Some(outcome),
            },
            printed,
        )
    }

    /// Stops it as SIGTERM would and waits; `None` when it stopped cleanly, else why not.
    pub async fn stop(&mut self) -> Option<String> {
        self.end(Stop::Graceful).await
    }

    /// Ends it at once, as SIGKILL would.
    pub async fn kill(&mut self) {
        self.end(Stop::Crash).await;
    }

    async fn end(&mut self, how: Stop) -> Option<String> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(how);
        }
        let outcome = self.outcome.take().expect("the app was stopped once");
        tokio::time::timeout(Duration::from_secs(15), outcome)
            .await
            .expect("the app stopped in time")
            .expect("the app's thread reported")
    }
}
