//! Two `usher serve` replicas on one PostgreSQL database, both configured for Telegram long
//! polling: only the holder of the polling lease polls, so each message is answered once, and
//! after the leader is killed with SIGKILL the standby takes the lease over and answers. The
//! Discord gateway likewise: one session, and a new one from the standby after a kill.

use std::time::{Duration, Instant};

use usher_testkit::telegram::{FakeTelegram, TOKEN, TgUser};
use usher_testkit::{FakeGateway, discord};

use crate::support::{Server, drop_database, postgres_database, temp_dir};

/// What the brief promises: a standby answers within this long after the leader dies.
const TAKEOVER: Duration = Duration::from_secs(15);

/// The Telegram line of a replica's `/readyz`.
async fn telegram_state(server: &Server) -> String {
    bot_state(server, "telegram").await
}

/// A chat bot's line in a replica's `/readyz`.
async fn bot_state(server: &Server, platform: &str) -> String {
    let body = server.get("/readyz").await.text().await.expect("body");
    let prefix = format!("{platform}: ");
    body.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_default()
        .to_owned()
}

/// Sends `/help` as `user` and waits for the first answer in their chat.
async fn answered(fake: &FakeTelegram, user: &TgUser, within: Duration) -> bool {
    fake.send_private(user, "/help");
    fake.wait_for(within, |f| f.messages_in(user.id).into_iter().next())
        .await
        .is_some()
}

#[tokio::test]
async fn two_replicas_answer_each_message_once_and_the_standby_takes_over_after_kill_9() {
    let url = postgres_database().await;
    let fake = FakeTelegram::start().await;
    let env = [
        ("USHER_DATABASE_URL", url.as_str()),
        ("USHER_SECRET_KEY", "one-secret-key-shared-by-both-replicas"),
        ("USHER_TELEGRAM_TOKEN", TOKEN),
        ("USHER_TELEGRAM_API_URL", fake.url()),
    ];
    let dirs = [temp_dir(), temp_dir()];
    let first = Server::start_process(&dirs[0].1, &env).await;
    let second = Server::start_process(&dirs[1].1, &env).await;

    let users: Vec<TgUser> = (0..5).map(|n| TgUser::new(700 + n, "Member")).collect();
    for user in &users {
        assert!(
            answered(&fake, user, Duration::from_secs(20)).await,
            "{:?}",
            fake.calls()
        );
    }
    // Time for a second poller, if there were one, to answer too.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for user in &users {
        assert_eq!(
            fake.messages_in(user.id).len(),
            1,
            "each message is answered once: {:?}",
            fake.messages_in(user.id)
        );
    }
    let states = [telegram_state(&first).await, telegram_state(&second).await];
    let leader = states
        .iter()
        .position(|s| s == "up")
        .expect("one replica polls");
    assert!(states[1 - leader].starts_with("standby"), "{states:?}");

    let (leader, standby) = if leader == 0 {
        (first, second)
    } else {
        (second, first)
    };
    let killed = Instant::now();
    leader.kill().await;
    let late = TgUser::new(800, "Late");
    assert!(
        answered(&fake, &late, TAKEOVER).await,
        "the standby answers within {TAKEOVER:?} of the leader's death"
    );
    println!("takeover after kill -9: {:?}", killed.elapsed());
    assert_eq!(telegram_state(&standby).await, "up");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.messages_in(late.id).len(), 1);

    assert!(standby.stop().await.success());
    drop_database(&url).await;
}

#[tokio::test]
async fn two_replicas_hold_one_gateway_session_and_the_standby_connects_after_kill_9() {
    let url = postgres_database().await;
    let gateway = FakeGateway::start().await;
    let rest = discord::start_with_gateway(&gateway.url).await;
    let app_id = discord::APPLICATION_ID.to_string();
    let env = [
        ("USHER_DATABASE_URL", url.as_str()),
        ("USHER_SECRET_KEY", "one-secret-key-shared-by-both-replicas"),
        ("USHER_DISCORD_TOKEN", "fake-bot-token"),
        ("USHER_DISCORD_APPLICATION_ID", app_id.as_str()),
        ("USHER_DISCORD_API_URL", rest.url.as_str()),
    ];
    let dirs = [temp_dir(), temp_dir()];
    let first = Server::start_process(&dirs[0].1, &env).await;
    let second = Server::start_process(&dirs[1].1, &env).await;
    assert!(gateway.wait_identified(1).await, "one replica connects");
    // Time for a second session, if there were one, to identify too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(gateway.identified().len(), 1, "one gateway session");
    let states = [
        bot_state(&first, "discord").await,
        bot_state(&second, "discord").await,
    ];
    let leader = states
        .iter()
        .position(|s| s == "up")
        .expect("one replica leads");
    assert!(states[1 - leader].starts_with("standby"), "{states:?}");

    let (leader, standby) = if leader == 0 {
        (first, second)
    } else {
        (second, first)
    };
    leader.kill().await;
    assert!(
        gateway.wait_identified(2).await,
        "the standby connects within 20 s of the leader's death"
    );
    assert_eq!(bot_state(&standby, "discord").await, "up");
    assert!(standby.stop().await.success());
    drop_database(&url).await;
}
