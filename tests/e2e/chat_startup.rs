//! Starting with a chat platform that does not answer yet: the bot keeps trying with backoff,
//! says so in `/readyz` and `/metrics`, and answers once the platform is back. And a first
//! start with only Telegram admins still prints the console's setup link.

use std::time::Duration;

use usher_testkit::faults::Fault;
use usher_testkit::telegram::{FakeTelegram, TOKEN, TgUser};

use crate::support::{Server, temp_dir};

/// How many `getMe` calls reached the fake, answered or not.
fn get_me_calls(fake: &FakeTelegram) -> usize {
    fake.server
        .received()
        .iter()
        .filter(|r| r.path.to_ascii_lowercase().ends_with("/getme"))
        .count()
}

#[tokio::test]
async fn a_bot_that_cannot_reach_telegram_at_start_retries_reports_it_and_then_answers() {
    let fake = FakeTelegram::start().await;
    // Something in the way answers every call with an HTML page (a 5xx would do too, but
    // teloxide waits 10 s after each of those).
    fake.server.faults.fail_next(100_000, Fault::Html);
    let (_keep, dir) = temp_dir();
    let server = Server::start(
        &dir,
        &[
            ("USHER_TELEGRAM_TOKEN", TOKEN),
            ("USHER_TELEGRAM_API_URL", fake.url()),
        ],
    )
    .await;
    for _ in 0..300 {
        if get_me_calls(&fake) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(get_me_calls(&fake) >= 2, "getMe is retried");
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let body = ready.text().await.expect("body");
    assert!(
        body.contains("telegram: connecting (getMe failed"),
        "{body}"
    );
    let metrics = server.get("/metrics").await.text().await.expect("metrics");
    assert!(
        metrics.contains("usher_chat_bot_up{platform=\"telegram\"} 0"),
        "{metrics}"
    );

    fake.server.faults.recover();
    let ann = TgUser::new(42, "Ann");
    fake.send_private(&ann, "/help");
    let answer = fake
        .wait_for(Duration::from_secs(30), |f| {
            f.messages_in(ann.id).into_iter().next()
        })
        .await;
    assert!(
        answer.is_some(),
        "the bot answers once Telegram is back: {:?}",
        fake.calls()
    );
    let body = server.get("/readyz").await.text().await.expect("body");
    assert!(body.contains("telegram: up"), "{body}");
    let metrics = server.get("/metrics").await.text().await.expect("metrics");
    assert!(
        metrics.contains("usher_chat_bot_up{platform=\"telegram\"} 1"),
        "{metrics}"
    );
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn a_first_start_with_telegram_admins_still_prints_the_setup_link() {
    let fake = FakeTelegram::start().await;
    let (_keep, dir) = temp_dir();
    let server = Server::start(
        &dir,
        &[
            ("USHER_TELEGRAM_TOKEN", TOKEN),
            ("USHER_TELEGRAM_API_URL", fake.url()),
            ("USHER_TELEGRAM_ADMIN_IDS", "100"),
        ],
    )
    .await;
    let link = server
        .setup_link
        .clone()
        .unwrap_or_else(|| panic!("no setup link: {:?}", server.printed));
    let path = link.trim_start_matches("http://localhost:8080");
    assert_eq!(
        server.get(path).await.status(),
        200,
        "the printed link works"
    );
    assert!(server.stop().await.success());
}
