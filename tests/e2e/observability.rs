//! Logs and metrics as tools expect them, through the binary: with `USHER_LOG_FORMAT=json`
//! every line on stdout and stderr is one JSON object (what `usher serve` and `usher check`
//! print, the log lines, an error at start), and `/metrics` speaks the Prometheus text format
//! unless OpenMetrics is asked for, with process figures and HTTP traffic by route pattern.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

use crate::support::{Server, message_of, temp_dir, usher};

/// Every line a stream gives until it ends.
async fn all_lines(stream: impl AsyncRead + Unpin) -> Vec<String> {
    let mut lines = BufReader::new(stream).lines();
    let mut out = Vec::new();
    while let Some(line) = lines.next_line().await.expect("read") {
        out.push(line);
    }
    out
}

/// Fails unless every line is a JSON object with a message or fields, naming the bad one.
fn assert_all_json(what: &str, lines: &[String]) {
    for line in lines {
        let parsed: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {line:?}\nall: {lines:#?}"));
        assert!(
            parsed.is_object() && parsed["level"].is_string() && parsed["fields"].is_object(),
            "{what}: not a log object: {line}"
        );
    }
}

#[tokio::test]
async fn json_mode_writes_only_json_lines() {
    let (_keep, dir) = temp_dir();
    let mut child = usher(&dir)
        .arg("serve")
        .env("USHER_LISTEN", "127.0.0.1:0")
        .env("USHER_LOG_FORMAT", "json")
        .env("USHER_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn usher serve");
    let stderr = tokio::spawn(all_lines(child.stderr.take().expect("stderr")));
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut printed = Vec::new();
    let mut base_url = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !printed
        .iter()
        .any(|l: &String| message_of(l.clone()).starts_with("not configured yet"))
    {
        let line = tokio::time::timeout_at(deadline, stdout.next_line())
            .await
            .expect("usher serve printed in time")
            .expect("read")
            .unwrap_or_else(|| panic!("usher serve exited early: {printed:?}"));
        if let Some(url) = message_of(line.clone()).strip_prefix("listening on ") {
            base_url = Some(url.to_owned());
        }
        printed.push(line);
    }
    let base_url = base_url.expect("the listening line is findable");
    assert!(
        printed
            .iter()
            .any(|l| message_of(l.clone()).starts_with("ready")),
        "{printed:?}"
    );
    // Something for the logs: a 404, a refused webhook, a forged Discord call.
    let client = reqwest::Client::new();
    for path in ["/nope", "/hooks/radarr", "/discord/interactions"] {
        let _ = client.post(format!("{base_url}{path}")).send().await;
    }
    let pid = child.id().expect("pid").to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(term.success());
    printed.extend(all_lines(stdout.into_inner()).await);
    let status = child.wait().await.expect("wait");
    assert!(status.success(), "{status:?}");
    let logged = stderr.await.expect("stderr task");
    assert_all_json("serve stdout", &printed);
    assert_all_json("serve stderr", &logged);
    assert!(
        logged.iter().any(|l| l.contains("shutting down")),
        "the log lines are there too: {logged:?}"
    );

    // A command's report, and an error before the configuration loaded.
    let check = usher(&dir)
        .arg("check")
        .env("USHER_LOG_FORMAT", "json")
        .output()
        .await
        .expect("usher check");
    let text = |bytes: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let report = text(&check.stdout);
    assert!(
        report
            .iter()
            .any(|l| message_of(l.clone()) == "configuration: ok"),
        "{report:?}"
    );
    assert_all_json("check stdout", &report);
    assert_all_json("check stderr", &text(&check.stderr));
    let broken = usher(&dir)
        .arg("check")
        .env("USHER_LOG_FORMAT", "json")
        .env("USHER_LISTEN", "not-an-address")
        .output()
        .await
        .expect("usher check");
    assert!(!broken.status.success());
    let problems = text(&broken.stderr);
    assert!(!problems.is_empty());
    assert_all_json("config error", &problems);
    assert!(
        problems.iter().any(|l| l.contains("USHER_LISTEN")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn metrics_speak_prometheus_text_with_process_and_http_figures() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(&dir, &[]).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let base = &server.base_url;
    assert_eq!(server.get("/healthz").await.status(), 200);
    let console = client
        .get(format!("{base}/requests/424242"))
        .send()
        .await
        .expect("page");
    assert_eq!(console.status(), 303, "to the sign-in page");
    let missing = client
        .get(format!("{base}/nope-s3cret-path"))
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status(), 404);

    let plain = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(plain.status(), 200);
    assert_eq!(
        plain.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = plain.text().await.expect("body");
    for wanted in [
        "# TYPE usher_http_requests_total counter",
        "# TYPE process_cpu_seconds_total counter",
        "process_resident_memory_bytes ",
        "process_open_fds ",
        "process_max_fds ",
        r#"usher_http_requests_total{method="GET",route="/healthz",status="200"} 1"#,
        r#"usher_http_requests_total{method="GET",route="/requests/{id}",status="303"} 1"#,
        r#"usher_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
        r#"usher_requests{status="pending"} 0"#,
    ] {
        assert!(text.contains(wanted), "{wanted} missing from:\n{text}");
    }
    assert!(
        text.lines().any(
            |l| l.starts_with("usher_http_request_duration_seconds_bucket{")
                && l.contains(r#"route="/healthz""#)
                && l.contains(r#"le="+Inf""#)
                && l.ends_with(" 1")
        ),
        "the latency histogram: {text}"
    );
    assert!(
        !text.contains("# EOF") && !text.contains("# UNIT"),
        "{text}"
    );
    assert!(
        !text.contains("usher_cache_"),
        "no TMDB configured, no caches to report: {text}"
    );
    assert!(
        !text.contains("424242") && !text.contains("s3cret"),
        "raw paths never become labels"
    );
    let rss: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
        .and_then(|v| v.trim().parse().ok())
        .expect("a number");
    assert!(rss > 1_000_000.0, "{rss}");

    let open = client
        .get(format!("{base}/metrics"))
        .header(
            "accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
        )
        .send()
        .await
        .expect("metrics");
    assert!(
        open.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/openmetrics-text")
    );
    let text = open.text().await.expect("body");
    assert!(text.ends_with("# EOF\n"), "{text}");
    assert_eq!(text.matches("# EOF").count(), 1);
    assert!(
        text.contains("# TYPE usher_http_requests counter"),
        "{text}"
    );
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn metrics_report_what_the_tmdb_caches_hold() {
    let (_keep, dir) = temp_dir();
    let tmdb = usher_testkit::tmdb::start().await;
    let env = [
        ("USHER_TMDB_API_URL", tmdb.url.as_str()),
        ("USHER_TMDB_API_KEY", usher_testkit::tmdb::API_KEY),
    ];
    let server = Server::start(&dir, &env).await;
    let text = server.get("/metrics").await.text().await.expect("body");
    for wanted in [
        "# TYPE usher_cache_entries gauge",
        r#"usher_cache_entries{cache="tmdb"} 0"#,
        r#"usher_cache_bytes{cache="tmdb"} 0"#,
        r#"usher_cache_entries{cache="tmdb_images"} 0"#,
        r#"usher_cache_bytes{cache="tmdb_images"} 0"#,
    ] {
        assert!(text.contains(wanted), "{wanted} missing from:\n{text}");
    }
}
