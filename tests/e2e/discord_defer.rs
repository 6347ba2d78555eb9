//! Discord's 3-second rule with a slow TMDB: commands and presses are deferred in time and
//! finished through the interaction webhook; a slow autocomplete answers with no choices.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use usher_testkit::discord;

use crate::support::discord::{DUNE, MEMBER_ID, Setup, custom_id, setup, wait_posts};

/// What TMDB's every answer takes in this test: more than Discord's 3 seconds.
const SLOW: Duration = Duration::from_millis(3500);
/// Discord's deadline for the first answer.
const DEADLINE: Duration = Duration::from_secs(3);

/// Posts `body` and checks the answer came within Discord's deadline.
async fn in_time(setup: &Setup, body: &Value) -> Value {
    let started = Instant::now();
    let answer = setup.discord.post(body).await;
    assert!(
        started.elapsed() < DEADLINE,
        "answered after {:?}",
        started.elapsed()
    );
    answer
}

/// The bodies sent with `method` to `path` on the fake REST API, once there is one (20 s).
async fn first_call(setup: &Setup, method: &str, path: &str) -> Value {
    for _ in 0..400 {
        if let Some(call) = setup.rest.received_at(method, path).into_iter().next() {
            return call.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {method} {path}");
}

#[tokio::test]
async fn a_slow_tmdb_is_deferred_and_answered_through_the_webhook() {
    let setup = setup().await;
    let webhook = format!(
        "/api/v10/webhooks/{}/interaction-token",
        discord::APPLICATION_ID
    );

    // A TV card while TMDB is quick (its details are cached from now on).
    let quick = in_time(
        &setup,
        &discord::request_command("tv", "tmdb:1396", false, MEMBER_ID, "en-US"),
    )
    .await;
    assert_eq!(quick["type"], 4, "{quick}");
    let data = &quick["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    setup._tmdb.faults.set_latency(SLOW);

    // A command: "thinking…" (type 5, ephemeral) in time, then the card replaces it.
    let deferred = in_time(
        &setup,
        &discord::request_command("movie", DUNE, false, MEMBER_ID, "en-US"),
    )
    .await;
    assert_eq!(
        (
            deferred["type"].as_u64(),
            deferred["data"]["flags"].as_u64()
        ),
        (Some(5), Some(64))
    );
    let edit = first_call(&setup, "PATCH", &format!("{webhook}/messages/@original")).await;
    assert_eq!(edit["embeds"][0]["title"], "Dune (2021)");
    assert!(edit.get("flags").is_none(), "{edit}");

    // A press that needs TMDB (the show's TVDB id): type 6 in time, then an ephemeral
    // follow-up with the outcome.
    let press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &shown);
    let acknowledged = in_time(&setup, &press).await;
    assert_eq!(acknowledged, json!({ "type": 6 }));
    let followed = first_call(&setup, "POST", &webhook).await;
    assert_eq!(followed["flags"], 64);
    let text = followed["content"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("Requested Breaking Bad (2008)"),
        "{followed}"
    );

    // Autocomplete cannot wait: no choices this time.
    let typed = in_time(
        &setup,
        &discord::request_command("movie", "inception", true, MEMBER_ID, "en-US"),
    )
    .await;
    assert_eq!(typed["type"], 8, "{typed}");
    assert!(
        typed["data"]["choices"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "{typed}"
    );
    // The request went through: its approver card reaches the admin channel.
    let cards = format!(
        "/api/v10/channels/{}/messages",
        crate::support::discord::ADMIN_CHANNEL
    );
    wait_posts(&setup.rest, &cards, 1)
        .await
        .expect("the approver card");

    setup.server.stop().await;
}
