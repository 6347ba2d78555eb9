//! The queue against the strict fake Bot API: order and spacing per chat, the bot-wide rate,
//! 429s waited out, nothing dropped, idle lanes gone.

use std::num::NonZeroU32;
use std::time::Duration;

use teloxide::prelude::*;
use usher_testkit::telegram::{FakeTelegram, FloodLimits, TOKEN};

use super::{SendLimits, SendQueue};

fn bot(fake: &FakeTelegram) -> Bot {
    Bot::new(TOKEN).set_api_url(url::Url::parse(fake.url()).expect("url"))
}

/// Telegram's limits scaled down ten times in time, so a test takes a fraction of a second.
fn fast() -> (SendLimits, FloodLimits) {
    let queue = SendLimits {
        per_second: NonZeroU32::new(300),
        chat_interval: Duration::from_millis(100),
        group_interval: Duration::from_millis(300),
    };
    (queue, FloodLimits::telegram())
}

#[tokio::test]
async fn a_chat_gets_its_messages_in_order_and_spaced() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let queue = SendQueue::new(fast().0);
    let sends = (0..5).map(|i| queue.send(bot.send_message(ChatId(7), format!("m{i}"))));
    let sent = futures_util::future::join_all(sends).await;
    assert!(sent.iter().all(Result::is_ok), "{sent:?}");
    let texts: Vec<String> = fake
        .messages_in(7)
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(texts, ["m0", "m1", "m2", "m3", "m4"]);
    let log = fake.sent_log();
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= Duration::from_millis(95), "{gap:?}");
    }
    assert_eq!(queue.stats().sent, 5);
    assert_eq!(queue.stats().waiting, 0);
}

#[tokio::test]
async fn a_chats_next_message_waits_its_interval_after_the_last_was_answered() {
    // Timed from the call, a slow answer would eat into the gap; a slow first call (a fresh
    // connection) would then bring the next message to Telegram early.
    let fake = FakeTelegram::start().await;
    fake.answer_after(Duration::from_millis(150));
    let bot = bot(&fake);
    let queue = SendQueue::new(fast().0);
    let sends = (0..3).map(|i| queue.send(bot.send_message(ChatId(7), format!("m{i}"))));
    let sent = futures_util::future::join_all(sends).await;
    assert!(sent.iter().all(Result::is_ok), "{sent:?}");
    let log = fake.sent_log();
    assert_eq!(log.len(), 3);
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= Duration::from_millis(250), "{gap:?}");
    }
}

#[tokio::test]
async fn telegrams_real_limits_hold_under_a_burst_and_nothing_is_dropped() {
    let fake = FakeTelegram::start().await;
    fake.flood_control(FloodLimits::telegram());
    let bot = bot(&fake);
    let queue = SendQueue::new(SendLimits::telegram());
    // 60 private chats and a group, two messages each, all at once: 30 a second at most, so
    // it takes about four seconds; the group's second message waits 3 s.
    let mut sends = Vec::new();
    for chat in (1..=60).chain([-100]) {
        for n in 0..2 {
            sends.push(queue.send(bot.send_message(ChatId(chat), format!("{chat}/{n}"))));
        }
    }
    let started = std::time::Instant::now();
    let sent = futures_util::future::join_all(sends).await;
    assert!(sent.iter().all(Result::is_ok));
    assert!(started.elapsed() >= Duration::from_secs(3), "paced");
    assert_eq!(fake.flood_refusals(), 0, "nothing went over a limit");
    let log = fake.sent_log();
    assert_eq!(log.len(), 122);
    assert_eq!(
        FloodLimits::telegram().violations(&log),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_429_is_waited_out_and_the_message_keeps_its_place() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let queue = SendQueue::new(fast().0);
    fake.throttle_next(1, 1);
    let first = queue.send(bot.send_message(ChatId(9), "first"));
    let second = queue.send(bot.send_message(ChatId(9), "second"));
    let started = std::time::Instant::now();
    let (first, second) = tokio::join!(first, second);
    assert!(first.is_ok() && second.is_ok());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry_after obeyed"
    );
    let texts: Vec<_> = fake
        .messages_in(9)
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert_eq!(texts, ["first", "second"]);
    assert_eq!(queue.stats().retried, 1);
}

#[tokio::test]
async fn posted_edits_go_out_and_idle_lanes_end() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let queue = SendQueue::new(fast().0);
    let message = queue
        .send(bot.send_message(ChatId(-5), "card"))
        .await
        .expect("sent");
    queue.post(
        bot.edit_message_text(ChatId(-5), message.id, "decided"),
        "edit",
    );
    // An edit to the same text is "not modified": fine, and only logged at most.
    queue.post(
        bot.edit_message_text(ChatId(-5), message.id, "decided"),
        "edit",
    );
    let edited = fake
        .wait_for(Duration::from_secs(5), |f| {
            f.messages_in(-5)
                .into_iter()
                .find(|m| m["text"] == "decided")
        })
        .await;
    assert!(edited.is_some());
    // The group's lane lingers for its interval (300 ms here), then ends.
    let gone = async {
        while queue.stats().lanes > 0 || queue.stats().waiting > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), gone)
        .await
        .expect("lanes end when idle");
    assert_eq!(queue.stats().sent, 3);
}
