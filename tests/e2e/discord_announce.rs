//! `USHER_DISCORD_ANNOUNCE_CHANNEL_ID` through the binary: each new request — pending or
//! auto-approved — is announced once in the public channel, with who asked, the title with its
//! year and the poster, and no mention in a name pings anyone.

use serde_json::Value;
use usher_testkit::discord;

use crate::support::discord::{
    ADMIN_ID, DUNE, MEMBER_ID, Setup, custom_id, setup_with, wait_posts,
};
use crate::support::{NOTIFY_TOPICS, outbox_settles};

const ANNOUNCE_CHANNEL: &str = "777000000000000009";

/// `user` asks for `title` (an autocomplete value) and presses Request.
async fn ask(setup: &Setup, title: &str, user: u64, name: &str) {
    let mut command = discord::request_command("movie", title, false, user, "en-US");
    // The search already meets the person, so it carries their name as the press does.
    command["member"]["user"] = discord::user(user, name);
    let result = setup.discord.post(&command).await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let press = discord::button_press(&custom_id(data, 0), user, name, &shown);
    let asked = setup.discord.post(&press).await;
    assert_eq!(asked["type"], 4, "{asked}");
}

#[tokio::test]
async fn each_new_request_is_announced_once_in_the_public_channel() {
    let setup = setup_with(&[("USHER_DISCORD_ANNOUNCE_CHANNEL_ID", ANNOUNCE_CHANNEL)]).await;
    let path = format!("/api/v10/channels/{ANNOUNCE_CHANNEL}/messages");

    // A member's pending request.
    ask(&setup, DUNE, MEMBER_ID, "@everyone").await;
    let posts = wait_posts(&setup.rest, &path, 1)
        .await
        .expect("announcement");
    let embed = &posts[0]["embeds"][0];
    assert_eq!(
        embed["description"], "**@everyone** requested **Dune (2021)**",
        "{}",
        posts[0]
    );
    assert!(
        embed["thumbnail"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with(".jpg")),
        "{embed}"
    );
    assert_eq!(
        posts[0]["allowed_mentions"]["parse"],
        Value::Array(Vec::new())
    );

    // The admin's request is approved at once; it is announced too.
    ask(&setup, "tmdb:27205", ADMIN_ID, "admin").await;
    let posts = wait_posts(&setup.rest, &path, 2).await.expect("second");
    let text = posts[1]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(text.contains("Inception (2010)"), "{text}");

    // Asking again adds a follower, not a request: nothing more is announced.
    ask(&setup, DUNE, MEMBER_ID + 1, "other").await;
    outbox_settles(setup._tmp.path(), &NOTIFY_TOPICS).await;
    assert_eq!(setup.rest.received_at("POST", &path).len(), 2);

    setup.server.stop().await;
}
