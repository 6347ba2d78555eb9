//! The web server's connection limits through the binary: a crowd of idle sockets (more than
//! `USHER_HTTP_MAX_CONNECTIONS`) does not lock out `/healthz`, idle and half-sent connections
//! are closed by the server (test-shortened timeouts), and ordinary keep-alive use still works.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Server, temp_dir};

/// Idle sockets opened: more than a default open-file limit of 1,024.
const IDLE: usize = 1_100;

/// Whether the server closed this connection (end of stream or reset) before `deadline`.
async fn closed_by_server(stream: &mut TcpStream, deadline: tokio::time::Instant) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn idle_crowds_do_not_lock_out_health_checks_and_are_closed() {
    let (_keep, dir) = temp_dir();
    let server = Server::start(
        &dir,
        &[
            ("USHER_HTTP_MAX_CONNECTIONS", "100"),
            ("USHER_HTTP_HEADER_TIMEOUT_SECS", "1"),
            ("USHER_HTTP_IDLE_TIMEOUT_SECS", "2"),
        ],
    )
    .await;
    let address = server.base_url.trim_start_matches("http://").to_owned();

    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(TcpStream::connect(&address).await.expect("connect"));
    }
    // A client that sends half its headers and then nothing (slowloris).
    let mut slow = TcpStream::connect(&address).await.expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");

    let client = reqwest::Client::new();
    let health = format!("{}/healthz", server.base_url);
    for _ in 0..3 {
        let answer = client.get(&health).send().await.expect("healthz answers");
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.text().await.expect("body"), "ok");
    }

    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    assert!(
        closed_by_server(&mut slow, deadline).await,
        "a half-sent request is closed"
    );
    let mut still_open = 0;
    for stream in &mut idle {
        if !closed_by_server(stream, deadline).await {
            still_open += 1;
        }
    }
    assert_eq!(
        still_open, 0,
        "every idle connection is closed by the server"
    );

    // Nothing left over: the server still serves, over a fresh connection.
    assert_eq!(server.get("/healthz").await.status(), 200);
    assert!(server.stop().await.success());
}
