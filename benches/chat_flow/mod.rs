//! What the chat-flow benches share (`member_flow` for Usher, `searcharr_flow` for its peer):
//! a member's press on a card followed to Radarr's add, and the step latencies printed the same
//! way, so the two benches' figures mean the same thing.

use std::time::{Duration, Instant};

use serde_json::Value;
use usher_testkit::arr::FakeRadarr;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::common::{ms, percentile};

/// The latencies of one flow's steps.
pub struct Steps {
    pub search_to_card: Duration,
    pub press_to_answer: Duration,
    pub press_to_add: Duration,
}

/// The card a member was sent: its chat, its id, and the callback data of the button pressed.
pub struct Card {
    pub chat: i64,
    pub message: i64,
    pub data: String,
}

impl Card {
    /// The card in `message`, if it has a button whose callback data `wanted` picks.
    pub fn find(message: &Value, wanted: impl Fn(&Value) -> bool) -> Option<Card> {
        let rows = message["reply_markup"]["inline_keyboard"].as_array()?;
        let data = rows
            .iter()
            .filter_map(Value::as_array)
            .flatten()
            .find(|button| wanted(button))?["callback_data"]
            .as_str()?
            .to_owned();
        Some(Card {
            chat: message["chat"]["id"].as_i64().unwrap_or_default(),
            message: message["message_id"].as_i64().unwrap_or_default(),
            data,
        })
    }
}

/// `member` presses the button of `card`; returns press → answer and press → Radarr's add of
/// `tmdb_id`, or `None` when either did not come within `within`.
pub async fn press_until_added(
    telegram: &FakeTelegram,
    radarr: &FakeRadarr,
    member: &TgUser,
    card: &Card,
    tmdb_id: i64,
    within: Duration,
) -> Option<(Duration, Duration)> {
    let pressed = Instant::now();
    let query = telegram.press(member, card.chat, card.message, &card.data);
    telegram.wait_answer(&query, within).await?;
    let answered = pressed.elapsed();
    while radarr.movie(tmdb_id).is_none() {
        if pressed.elapsed() > within {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Some((answered, pressed.elapsed()))
}

/// Prints p50/p90/p99 of each step over the flows' `steps`.
pub fn print_steps<'a>(steps: impl Iterator<Item = &'a Steps>) {
    let mut columns: [Vec<Duration>; 3] = Default::default();
    for step in steps {
        columns[0].push(step.search_to_card);
        columns[1].push(step.press_to_answer);
        columns[2].push(step.press_to_add);
    }
    let labels = ["search → card", "press → answer", "press → Radarr add"];
    for (label, mut values) in labels.into_iter().zip(columns) {
        values.sort();
        println!(
            "  {label:<26} p50 {:>7.1} ms   p90 {:>7.1} ms   p99 {:>7.1} ms",
            ms(percentile(&values, 0.50)),
            ms(percentile(&values, 0.90)),
            ms(percentile(&values, 0.99)),
        );
    }
}
