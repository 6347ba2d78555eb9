//! Discord roles by setting, through the binary: a member holding a role of
//! `USHER_DISCORD_ADMIN_ROLE_IDS` approves as an admin and loses the right with the role; with
//! `USHER_DISCORD_MEMBER_ROLE_IDS` only holders (and approvers) use the bot, and an
//! `USHER_DISCORD_APPROVER_ROLE_IDS` holder approves; with `USHER_DISCORD_REGISTRATION=refuse`
//! a newcomer is told to link, and linking lets them in.

use serde_json::{Value, json};
use usher_testkit::discord;

use crate::support::discord::{ADMIN_ID, DUNE, MEMBER_ID, Setup, custom_id, nth_card, setup_with};

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

const MEMBERS_ROLE: &str = "880000000000000002";
const APPROVERS_ROLE: &str = "880000000000000003";

/// `interaction` as sent by someone holding `roles` in the guild.
fn holding(mut interaction: Value, roles: &[&str]) -> Value {
    interaction["member"]["roles"] = json!(roles);
    interaction
}

#[tokio::test]
async fn member_roles_keep_others_out_and_an_approver_role_approves() {
    let setup = setup_with(&[
        ("USHER_DISCORD_MEMBER_ROLE_IDS", MEMBERS_ROLE),
        ("USHER_DISCORD_APPROVER_ROLE_IDS", APPROVERS_ROLE),
    ])
    .await;
    let command = discord::request_command("movie", DUNE, false, MEMBER_ID, "de");

    // Without the member role: a refusal in their language, only they see it.
    let refused = setup.discord.post(&holding(command.clone(), &["1"])).await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert_eq!(refused["data"]["flags"], 64);
    let text = refused["data"]["content"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("Nur Mitglieder mit der passenden Rolle"),
        "{text}"
    );

    // With it: the card, and a request with its approver card.
    let result = setup.discord.post(&holding(command, &[MEMBERS_ROLE])).await;
    let data = &result["data"];
    assert_eq!(data["embeds"][0]["title"], "Dune (2021)", "{result}");
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &shown);
    let asked = setup.discord.post(&holding(press, &[MEMBERS_ROLE])).await;
    assert_eq!(asked["type"], 4, "{asked}");
    let card = nth_card(&setup.rest, 0).await;

    // The approver role's holder approves (the role lets them in without the member role).
    let approved = approve_as_moderator(&setup, &card, &[APPROVERS_ROLE]).await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by mod"
    );

    setup.server.stop().await;
}

#[tokio::test]
async fn refused_newcomers_are_told_to_link_and_can() {
    let setup = setup_with(&[("USHER_DISCORD_REGISTRATION", "refuse")]).await;
    let newcomer = 500_000_000_000_000_077;

    let refused = setup
        .discord
        .post(&discord::request_command(
            "movie", DUNE, false, newcomer, "en-US",
        ))
        .await;
    let text = refused["data"]["content"].as_str().unwrap_or_default();
    assert!(text.contains("/link code:"), "{refused}");

    // The admin (known from USHER_DISCORD_ADMIN_IDS) gets a code; the newcomer enters it.
    let issued = setup
        .discord
        .post(&discord::slash_command(
            "link",
            json!([]),
            ADMIN_ID,
            "en-US",
        ))
        .await;
    let shown = issued["data"]["content"].as_str().unwrap_or_default();
    let code = shown
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| {
            w.len() == 8
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no code in {shown:?}"));
    let options = json!([{ "name": "code", "type": 3, "value": code }]);
    let linked = setup
        .discord
        .post(&discord::slash_command("link", options, newcomer, "en-US"))
        .await;
    let text = linked["data"]["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("Linked"), "{linked}");

    // Now they are that user: the command answers with the card.
    let result = setup
        .discord
        .post(&discord::request_command(
            "movie", DUNE, false, newcomer, "en-US",
        ))
        .await;
    assert_eq!(
        result["data"]["embeds"][0]["title"], "Dune (2021)",
        "{result}"
    );

    setup.server.stop().await;
}

#[tokio::test]
async fn guild_administrators_approve_when_the_setting_says_so() {
    let setup = setup_with(&[("USHER_DISCORD_ADMINISTRATORS_ARE_ADMINS", "true")]).await;
    let dune = ask(&setup, DUNE, 0).await;
    let message = discord::message_with(&dune["embeds"], &dune["components"]);
    let mut press = discord::button_press(&custom_id(&dune, 0), MODERATOR_ID, "owner", &message);
    // ADMINISTRATOR (bit 3), which Discord also reports for the guild owner.
    press["member"]["permissions"] = json!("8");
    let approved = setup.discord.post(&press).await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by owner"
    );

    // Without the permission the next press is a member's.
    let inception = ask(&setup, "tmdb:27205", 1).await;
    let refused = approve_as_moderator(&setup, &inception, &[]).await;
    assert_eq!(refused["data"]["content"], "You're not allowed to do that.");

    setup.server.stop().await;
}
