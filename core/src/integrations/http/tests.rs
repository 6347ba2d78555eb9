//! The HTTP layer against a scripted loopback server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;

/// Answers the n-th request with the n-th scripted (status, extra header, body), repeating the
/// last; records raw request heads.
async fn scripted(
    script: Vec<(u16, &'static str, &'static str)>,
) -> (String, Arc<AtomicUsize>, Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let heads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (h, log) = (hits.clone(), heads.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = h.fetch_add(1, Ordering::SeqCst);
            let (status, header, body) = script[n.min(script.len() - 1)];
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let len = socket.read(&mut buf).await.unwrap_or(0);
                log.lock()
                    .expect("log")
                    .push(String::from_utf8_lossy(&buf[..len]).to_string());
                if status == 0 {
                    tokio::time::sleep(Duration::from_secs(5)).await; // hang
                    return;
                }
                let reply = format!(
                    "HTTP/1.1 {status} X\r\n{header}content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (url, hits, heads)
}

fn fast() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(500),
        retry: RetryPolicy {
            retries: 2,
            base: Duration::from_millis(5),
            max_wait: Duration::from_millis(50),
        },
        ..HttpSettings::default()
    }
}

fn client(url: &str) -> Upstream {
    let auth = Auth::Header("X-Api-Key", SecretString::from("s3cret"));
    Upstream::new("Radarr", url, auth, &fast()).expect("client")
}

#[tokio::test]
async fn retries_5xx_then_succeeds_with_the_key_in_a_header() {
    let (url, hits, heads) =
        scripted(vec![(503, "", "busy"), (200, "", r#"{"version":"5.0"}"#)]).await;
    let body: serde_json::Value = client(&url)
        .get_json("/api/v3/system/status", &[])
        .await
        .expect("ok");
    assert_eq!(body["version"], "5.0");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    let first = heads.lock().expect("heads")[0].clone();
    assert!(first.starts_with("GET /api/v3/system/status HTTP/1.1"));
    assert!(first.to_lowercase().contains("x-api-key: s3cret"));
    assert!(first.to_lowercase().contains("user-agent: usher/"));
}

#[tokio::test]
async fn honours_retry_after_on_429_and_gives_up_after_the_budget() {
    let (url, hits, _) = scripted(vec![(429, "retry-after: 0\r\n", "slow down")]).await;
    let err = client(&url)
        .get_json::<serde_json::Value>("/x", &[])
        .await
        .expect_err("429");
    assert_eq!(err, UpstreamError::RateLimited);
    assert_eq!(hits.load(Ordering::SeqCst), 3, "first try + 2 retries");
}

#[tokio::test]
async fn html_error_page_wrong_key_and_404_are_typed_and_not_retried() {
    let (url, hits, _) = scripted(vec![(200, "", "<html>login</html>")]).await;
    let err = client(&url)
        .get_json::<serde_json::Value>("/x", &[])
        .await
        .expect_err("html");
    assert_eq!(
        err,
        UpstreamError::Malformed("an HTML page instead of JSON".into())
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let (url, _, _) = scripted(vec![(401, "", "{}")]).await;
    assert_eq!(
        client(&url).get_json::<serde_json::Value>("/x", &[]).await,
        Err(UpstreamError::Unauthorized(401))
    );
    let (url, hits, _) = scripted(vec![(404, "", "{}")]).await;
    assert_eq!(
        client(&url).get_json::<serde_json::Value>("/x", &[]).await,
        Err(UpstreamError::NotFound)
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let core = UpstreamError::Unauthorized(401).into_core("Radarr");
    assert_eq!(
        core.to_string(),
        "Radarr failed: credentials refused (HTTP 401)"
    );
}

#[tokio::test]
async fn a_hang_times_out_and_a_non_idempotent_post_is_not_repeated() {
    let (url, hits, _) = scripted(vec![(0, "", "")]).await;
    let started = std::time::Instant::now();
    let body = serde_json::json!({"title": "x"});
    let err = client(&url)
        .send_json::<_, serde_json::Value>(Method::POST, "/api/v3/movie", &body, false)
        .await;
    assert_eq!(err, Err(UpstreamError::Timeout));
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "a POST that may have landed is not sent twice"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn dead_upstream_opens_the_breaker() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener); // nothing listens there now
    let upstream = client(&url);
    assert_eq!(
        upstream.get_json::<serde_json::Value>("/x", &[]).await,
        Err(UpstreamError::Unreachable)
    );
    // the second call's attempts reach the threshold of 5 and its last retry is not sent;
    // the pause tells what the upstream last did
    let paused = UpstreamError::CircuitOpen {
        last: Some(Box::new(UpstreamError::Unreachable)),
    };
    assert_eq!(
        upstream.get_json::<serde_json::Value>("/x", &[]).await,
        Err(paused.clone())
    );
    assert_eq!(
        upstream.get_json::<serde_json::Value>("/x", &[]).await,
        Err(paused.clone())
    );
    assert!(paused.is_transient(), "a paused upstream is retried later");
    assert_eq!(
        paused.to_string(),
        "not reachable; calls paused after repeated failures"
    );
}

/// Radarr answering 500 with its own message: the error carries Radarr's status and words,
/// before and after the breaker pauses calls (issue: "paused after repeated failures" hid them).
#[tokio::test]
async fn the_upstreams_own_message_survives_retries_and_the_breaker() {
    let body = r#"{"message":"Unable to add movie: disk is read-only","description":"System.IO.IOException: at Radarr.Core..."}"#;
    let (url, _, _) = scripted(vec![(500, "", body)]).await;
    let upstream = client(&url);
    let first = upstream
        .get_json::<serde_json::Value>("/api/v3/movie", &[])
        .await
        .expect_err("500");
    assert_eq!(
        first.to_string(),
        "HTTP 500: Unable to add movie: disk is read-only"
    );
    let paused = upstream
        .get_json::<serde_json::Value>("/api/v3/movie", &[])
        .await
        .expect_err("paused");
    assert_eq!(
        paused.to_string(),
        "HTTP 500: Unable to add movie: disk is read-only; calls paused after repeated failures"
    );
}

#[test]
fn error_bodies_are_read_in_the_upstreams_own_words() {
    let validation = r#"[{"propertyName":"RootFolderPath","errorMessage":"Folder '/movies' is not writable by user 'abc'","attemptedValue":"/movies","severity":"error","errorCode":"FolderWritableValidator"},{"propertyName":"","errorMessage":"Second problem"}]"#;
    assert_eq!(
        upstream_message(validation),
        "RootFolderPath: Folder '/movies' is not writable by user 'abc'; Second problem"
    );
    assert_eq!(
        upstream_message(r#"{"status_code":9,"status_message":"Service offline."}"#),
        "Service offline."
    );
    assert_eq!(upstream_message("  Bad Gateway\n"), "Bad Gateway");
    assert_eq!(upstream_message(&"é".repeat(500)).chars().count(), 300);
    let status = UpstreamError::Status {
        status: 502,
        excerpt: String::new(),
    };
    assert_eq!(status.to_string(), "HTTP 502");
}

#[test]
fn breaker_closes_after_success_and_ignores_non_transient_errors() {
    let breaker = Breaker::new(2, Duration::from_secs(60));
    breaker.record(Err(true));
    breaker.record(Err(false));
    breaker.record(Err(true));
    assert!(breaker.allow(), "a 404 in between resets the count");
    breaker.record(Err(true));
    assert!(!breaker.allow());
}

#[test]
fn retry_policy_caps_retry_after_and_stops() {
    let policy = RetryPolicy {
        retries: 1,
        base: Duration::from_millis(100),
        max_wait: Duration::from_secs(2),
    };
    assert_eq!(
        policy.delay(1, Some(Duration::from_secs(3600))),
        Some(Duration::from_secs(2))
    );
    assert!(
        policy
            .delay(1, None)
            .is_some_and(|d| d <= Duration::from_millis(200))
    );
    assert_eq!(policy.delay(2, None), None);
}
