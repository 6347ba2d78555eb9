//! `USHER_DISCORD_ADMIN_ROLE_IDS` through the binary: a member holding a listed Discord role
//! approves as an admin; once the role is gone, so is the right.

use serde_json::{Value, json};
use usher_testkit::discord;

use crate::support::discord::{DUNE, MEMBER_ID, Setup, custom_id, nth_card, setup_with};

const MODERATOR_ID: u64 = 500_000_000_000_000_003;
const MODERATORS_ROLE: &str = "880000000000000001";

/// Asks for `title` (an autocomplete value) as the member and returns the `n`th approver card.
async fn ask(setup: &Setup, title: &str, n: usize) -> Value {
    let result = setup
        .discord
        .post(&discord::request_command(
            "movie", title, false, MEMBER_ID, "en-US",
        ))
        .await;
    let data = &result["data"];
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &shown);
    setup.discord.post(&press).await;
    nth_card(&setup.rest, n).await
}

/// The moderator presses Approve on `card`, holding `roles`.
async fn approve_as_moderator(setup: &Setup, card: &Value, roles: &[&str]) -> Value {
    let message = discord::message_with(&card["embeds"], &card["components"]);
    let mut press = discord::button_press(&custom_id(card, 0), MODERATOR_ID, "mod", &message);
    press["member"]["roles"] = json!(roles);
    setup.discord.post(&press).await
}

#[tokio::test]
async fn a_discord_admin_role_makes_its_members_admins_while_they_hold_it() {
    let setup = setup_with(&[("USHER_DISCORD_ADMIN_ROLE_IDS", MODERATORS_ROLE)]).await;

    let dune = ask(&setup, DUNE, 0).await;
    let approved = approve_as_moderator(&setup, &dune, &["1", MODERATORS_ROLE]).await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by mod"
    );

    // The role was taken away in Discord: the next press is a member's.
    let inception = ask(&setup, "tmdb:27205", 1).await;
    let refused = approve_as_moderator(&setup, &inception, &["1"]).await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert_eq!(refused["data"]["content"], "You're not allowed to do that.");

    setup.server.stop().await;
}
