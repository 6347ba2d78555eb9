//! `usher serve` prints its webhook URLs and answers `/hooks/*` with the configured secret.

use crate::support::{Server, temp_dir};

#[tokio::test]
async fn serve_prints_webhook_urls_and_checks_the_secret() {
    let (_keep, dir) = temp_dir();
    let secret = "e2e-webhook-secret-0123456789";
    let server = Server::start(&dir, &[("USHER_WEBHOOK_SECRET", secret)]).await;
    let radarr = server
        .printed
        .iter()
        .find(|l| l.contains("/hooks/radarr"))
        .unwrap_or_else(|| panic!("webhook URLs printed: {:?}", server.printed));
    assert!(radarr.ends_with("/hooks/radarr"), "{radarr}");
    assert!(
        server.printed.iter().all(|l| !l.contains(secret)),
        "usher serve never prints the secret: {:?}",
        server.printed
    );
    let out = crate::support::usher(&dir)
        .env("USHER_WEBHOOK_SECRET", secret)
        .args(["admin", "webhook-urls"])
        .output()
        .await
        .expect("usher admin webhook-urls");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("/hooks/radarr?token={secret}")),
        "{stdout}"
    );

    let test_event = r#"{"eventType":"Test","instanceName":"Radarr","applicationUrl":"","movie":{"id":1,"title":"Test Title","tmdbId":0}}"#;
    let post = |token: &str| {
        reqwest::Client::new()
            .post(format!("{}/hooks/radarr", server.base_url))
            .header("content-type", "application/json")
            .header("x-usher-token", token)
            .body(test_event)
            .send()
    };
    assert_eq!(post(secret).await.expect("post").status(), 200);
    assert_eq!(post("wrong").await.expect("post").status(), 401);
    assert!(server.stop().await.success());
}
