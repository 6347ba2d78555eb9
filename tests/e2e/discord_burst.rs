//! A burst through the binary against the fake Discord REST API in flood mode: 150 members at
//! once, 300 interactions and some 450 REST calls, every one of them delivered exactly once.
//!
//! The fake keeps a tighter global limit (40 a second) than Usher's own pacing (Discord's 50),
//! so Usher really is refused with 429 and has to wait the `retry_after` out; buckets are 10
//! calls a second per route. The members all ask for Dune while TMDB is slow, so every command
//! is deferred and its card follows as 150 edits of `@original` at once; each then presses
//! Request at once (one request, 149 followers; presses the database answers late follow
//! through their webhooks); the admin declines it, and all 150 are told in a DM — 150 DM
//! channels opened through one bucket and 150 messages posted.
//!
//! Checked: every call the fake admitted is one Usher had to make — one edit per command, one
//! follow-up per deferred press, one DM channel and one message per member, one approver card
//! — with nothing missing
//! and nothing twice, although the fake refused some calls on the way.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinSet;
use usher_testkit::discord::{self, Admitted, DiscordLimits, Flood};

use crate::support::discord::{ADMIN_CHANNEL, ADMIN_ID, DUNE, custom_id, nth_card, setup_on};

const USERS: u64 = 150;
const FIRST_ID: u64 = 600_000_000_000_000_000;
/// Twice the deferral threshold (2 s): the 150 commands share one TMDB search, so a command
/// is deferred unless it arrives more than 2 s after the first; on a loaded 2-core machine
/// sending them all took longer than the half second a 2.5 s latency left.
const SLOW_TMDB: Duration = Duration::from_millis(4000);
const DEADLINE: Duration = Duration::from_secs(120);

/// The fake's limits in this test: Discord's shape, a stricter global figure.
const LIMITS: DiscordLimits = DiscordLimits {
    per_route: 10,
    route_window: Duration::from_secs(1),
    global_per_second: 40,
};

fn members() -> Vec<u64> {
    (0..USERS).map(|i| FIRST_ID + i).collect()
}

/// `/request movie Dune` as `user`, with an interaction id and token of its own.
fn command(user: u64) -> Value {
    let mut body = discord::request_command("movie", DUNE, false, user, "en-US");
    body["id"] = json!(user.to_string());
    body["token"] = json!(format!("burst-{user}"));
    body
}

/// The admitted calls matching `method` whose path contains `part`.
fn calls(flood: &Flood, method: &str, part: &str) -> Vec<Admitted> {
    flood
        .admitted()
        .into_iter()
        .filter(|a| a.method == method && a.path.contains(part))
        .collect()
}

/// Waits until `count` calls match (the deadline at most) and returns them.
async fn wait_calls(flood: &Flood, method: &str, part: &str, count: usize) -> Vec<Admitted> {
    let started = Instant::now();
    loop {
        let found = calls(flood, method, part);
        if found.len() >= count || started.elapsed() > DEADLINE {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_burst_of_members_gets_every_answer_and_dm_once_within_discords_limits() {
    let flood = Flood::default();
    let setup = setup_on(discord::start_with_flood(&flood).await, &[]).await;
    flood.limit(LIMITS);
    let started = Instant::now();

    // 150 commands at once while TMDB is slow: each is deferred in time (one that comes in
    // late enough to find TMDB's answer nearly there may be answered at once instead).
    setup._tmdb.faults.set_latency(SLOW_TMDB);
    let mut sent = JoinSet::new();
    for user in members() {
        let discord = setup.discord.clone();
        sent.spawn(async move { (user, discord.post(&command(user)).await) });
    }
    let mut cards: HashMap<u64, Value> = HashMap::new();
    let mut deferred = Vec::new();
    while let Some(answer) = sent.join_next().await {
        let (user, answer) = answer.expect("post task");
        match answer["type"].as_u64() {
            Some(4) => drop(cards.insert(user, answer["data"].clone())),
            Some(5) => deferred.push(user),
            _ => panic!("{answer}"),
        }
    }
    setup._tmdb.faults.set_latency(Duration::ZERO);
    assert!(deferred.len() > members().len() / 2, "most were deferred");

    // Each deferred command's card arrives as one edit of its own `@original`.
    let edits = wait_calls(&flood, "PATCH", "/messages/@original", deferred.len()).await;
    for user in &deferred {
        let path = format!(
            "/api/v10/webhooks/{}/burst-{user}/messages/@original",
            discord::APPLICATION_ID
        );
        let got: Vec<&Admitted> = edits.iter().filter(|a| a.path == path).collect();
        assert_eq!(got.len(), 1, "edits for member {user}");
        cards.insert(*user, got[0].body.clone());
    }
    assert_eq!(edits.len(), deferred.len(), "no other edit");

    // Every member presses Request on their card: one request, everyone else follows it.
    // Answers that take the database longer than the deferral threshold follow as one
    // ephemeral message each through the press's own webhook.
    let mut presses = JoinSet::new();
    for user in members() {
        let card = &cards[&user];
        assert_eq!(card["embeds"][0]["title"], "Dune (2021)", "{card}");
        let shown = discord::message_with(&card["embeds"], &card["components"]);
        let mut press = discord::button_press(&custom_id(card, 0), user, "member", &shown);
        press["id"] = json!((user + USERS).to_string());
        press["token"] = json!(format!("press-{user}"));
        let discord = setup.discord.clone();
        presses.spawn(async move { (user, discord.post(&press).await) });
    }
    let mut deferred = Vec::new();
    while let Some(answer) = presses.join_next().await {
        let (user, answer) = answer.expect("press task");
        match answer["type"].as_u64() {
            Some(4) => {}
            Some(6) => deferred.push(user),
            _ => panic!("{answer}"),
        }
    }
    let follow_ups = wait_calls(&flood, "POST", "/press-", deferred.len()).await;
    for user in &deferred {
        let path = format!("/api/v10/webhooks/{}/press-{user}", discord::APPLICATION_ID);
        let got: Vec<&Admitted> = follow_ups.iter().filter(|a| a.path == path).collect();
        assert_eq!(got.len(), 1, "follow-ups for member {user}");
        assert_eq!(got[0].body["flags"], 64, "{}", got[0].body);
    }
    assert_eq!(
        follow_ups.len(),
        deferred.len(),
        "no follow-up for a press answered in time"
    );

    // The admin declines it: all 150 are told, each in one DM.
    let posted = nth_card(&setup.rest, 0).await;
    let card_message = discord::message_with(&posted["embeds"], &posted["components"]);
    let press = discord::button_press(&custom_id(&posted, 1), ADMIN_ID, "admin", &card_message);
    let form = setup.discord.post(&press).await;
    assert_eq!(form["type"], 9, "{form}");
    let input = &form["data"]["components"][0]["components"][0];
    let submit = discord::modal_submit(
        form["data"]["custom_id"].as_str().expect("modal id"),
        input["custom_id"].as_str().expect("input id"),
        "Not this month",
        ADMIN_ID,
        "admin",
        &card_message,
    );
    assert_eq!(setup.discord.post(&submit).await["type"], 7);

    let dm_posts = wait_calls(&flood, "POST", "/channels/96", members().len()).await;
    let opened = calls(&flood, "POST", "/users/@me/channels");
    let took = started.elapsed();
    for user in members() {
        let channel = format!("/api/v10/channels/{}/messages", discord::dm_channel(user));
        let to_user: Vec<&Admitted> = dm_posts.iter().filter(|a| a.path == channel).collect();
        assert_eq!(to_user.len(), 1, "DMs to member {user}");
        let text = to_user[0].body["content"].as_str().unwrap_or_default();
        assert!(text.contains("Not this month"), "{text}");
        let recipient = user.to_string();
        let opens = opened
            .iter()
            .filter(|a| a.body["recipient_id"].as_str() == Some(&recipient))
            .count();
        assert_eq!(opens, 1, "DM channels opened for member {user}");
    }
    assert_eq!(dm_posts.len(), members().len(), "no other DM");
    assert_eq!(opened.len(), members().len(), "no other DM channel");
    let cards = calls(
        &flood,
        "POST",
        &format!("/channels/{ADMIN_CHANNEL}/messages"),
    );
    assert_eq!(cards.len(), 1, "one approver card");

    // Usher met the limits and waited them out; the fake's admitted log kept them.
    let log = flood.admitted();
    assert!(flood.refusals() > 0, "the stricter global limit was met");
    assert_eq!(LIMITS.violations(&log), Vec::<String>::new());
    println!(
        "discord burst: {} calls admitted, {} refused with 429, done in {took:.1?}",
        log.len(),
        flood.refusals()
    );
    setup.server.stop().await;
}
