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
        .find(|l| l.contains("/hooks/radarr?token="))
        .unwrap_or_else(|| panic!("webhook URLs printed: {:?}", server.printed));
    assert!(
        radarr.ends_with(&format!("/hooks/radarr?token={secret}")),
        "{radarr}"
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
