//! A member who closed their DMs (Discord answers 403 with error code 50007): with
//! `USHER_DISCORD_DM_FALLBACK_CHANNEL_ID` set they are mentioned there with the notice, pinging
//! only them; without it the notice is logged and dropped — tried once, not retried — and the
//! notifier goes on to the next member's DM.

use serde_json::{Value, json};
use usher_testkit::{FakeServer, discord};

use crate::support::discord::{
    ADMIN_ID, DUNE, Discord, MEMBER_ID, custom_id, dms, nth_card, setup, setup_with, wait_posts,
};
use crate::support::{NOTIFY_TOPICS, outbox_settles};

const FALLBACK_CHANNEL: &str = "777000000000000042";
const CLOSED: u64 = discord::DMS_CLOSED_USER_ID;

/// `who` requests `title` (an autocomplete value) and returns the approver card posted for it
/// (the `n`th in the admin channel).
async fn request(
    discord_api: &Discord,
    rest: &FakeServer,
    who: u64,
    title: &str,
    n: usize,
) -> Value {
    let result = discord_api
        .post(&discord::request_command(
            "movie", title, false, who, "en-US",
        ))
        .await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = discord_api
        .post(&discord::button_press(
            &custom_id(data, 0),
            who,
            "member",
            &shown,
        ))
        .await;
    assert_eq!(asked["type"], 4, "{asked}");
    nth_card(rest, n).await
}

/// The admin presses Approve on `card`.
async fn approve(discord_api: &Discord, card: &Value) {
    let message = discord::message_with(&card["embeds"], &card["components"]);
    let press = discord::button_press(&custom_id(card, 0), ADMIN_ID, "admin", &message);
    let approved = discord_api.post(&press).await;
    assert_eq!(approved["type"], 7, "{approved}");
}

#[tokio::test]
async fn a_member_with_closed_dms_is_mentioned_in_the_fallback_channel() {
    let s = setup_with(&[("USHER_DISCORD_DM_FALLBACK_CHANNEL_ID", FALLBACK_CHANNEL)]).await;
    let card = request(&s.discord, &s.rest, CLOSED, DUNE, 0).await;
    approve(&s.discord, &card).await;

    let path = format!("/api/v10/channels/{FALLBACK_CHANNEL}/messages");
    let posted = wait_posts(&s.rest, &path, 1)
        .await
        .expect("a mention in the fallback channel");
    let content = posted[0]["content"].as_str().expect("content");
    assert!(content.starts_with(&format!("<@{CLOSED}> ")), "{content}");
    assert!(
        content.contains("Dune") && content.contains("is now approved"),
        "{content}"
    );
    // Only the member is pinged: no @everyone, no roles.
    assert_eq!(
        posted[0]["allowed_mentions"]["users"],
        json!([CLOSED.to_string()])
    );
    assert!(
        posted[0]["allowed_mentions"]["parse"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "{}",
        posted[0]
    );
    // The DM itself was tried first and refused.
    let dm_path = format!("/api/v10/channels/{}/messages", discord::dm_channel(CLOSED));
    assert_eq!(s.rest.received_at("POST", &dm_path).len(), 1);
    drop(s.server);
}

#[tokio::test]
async fn without_a_fallback_channel_a_closed_dm_is_dropped_and_the_next_dm_still_goes() {
    let s = setup().await;
    let closed_card = request(&s.discord, &s.rest, CLOSED, DUNE, 0).await;
    let open_card = request(&s.discord, &s.rest, MEMBER_ID, "tmdb:530915", 1).await;
    approve(&s.discord, &closed_card).await;
    approve(&s.discord, &open_card).await;

    let open_path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(MEMBER_ID)
    );
    wait_posts(&s.rest, &open_path, 1)
        .await
        .expect("the other member's DM");
    assert!(
        dms(&s.rest, MEMBER_ID).iter().any(|t| t.contains("1917")),
        "{:?}",
        dms(&s.rest, MEMBER_ID)
    );
    // Refused once, not retried, and posted nowhere else: no delivery is left to make.
    outbox_settles(s._tmp.path(), &NOTIFY_TOPICS).await;
    let dm_path = format!("/api/v10/channels/{}/messages", discord::dm_channel(CLOSED));
    assert_eq!(s.rest.received_at("POST", &dm_path).len(), 1);
    let elsewhere: Vec<String> = s
        .rest
        .received()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .filter_map(|r| r.body["content"].as_str().map(str::to_owned))
        .filter(|c| c.contains(&format!("<@{CLOSED}>")))
        .collect();
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
}
