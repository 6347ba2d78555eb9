//! Group voting on Discord through the binary: `[[place]]` gives the test guild a threshold of
//! three. A member's request there is answered with a public card carrying "I want this too";
//! each vote that counts updates that card in place (UPDATE_MESSAGE) with the new tally, and
//! the third approves the request, which reaches the fake Radarr. On both databases.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use usher_testkit::{FakeRadarr, discord};

use crate::support::discord::{DUNE, MEMBER_ID, Setup, custom_id, setup_with};
use crate::support::{database_for, drop_database, temp_dir, write_config};

const KEY: &str = "e2e-discord-places-radarr-key";
const BOB: u64 = 500_000_000_000_000_021;
const CID: u64 = 500_000_000_000_000_022;

/// `user` presses the first button under the vote card `card` (an interaction answer's data,
/// as the channel now shows it).
async fn vote(setup: &Setup, user: u64, name: &str, card: &Value) -> Value {
    let mut message = discord::message_with(&json!([]), &card["components"]);
    message["content"] = card["content"].clone();
    let press = discord::button_press(&custom_id(card, 0), user, name, &message);
    setup.discord.post(&press).await
}

/// The label of the first button under a card.
fn label(card: &Value) -> &str {
    card["components"][0]["components"][0]["label"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn three_votes_in_a_guild_approve_a_request_on_sqlite() {
    three_votes(false).await;
}

#[tokio::test]
async fn three_votes_in_a_guild_approve_a_request_on_postgres() {
    three_votes(true).await;
}

async fn three_votes(postgres: bool) {
    let database = database_for(postgres).await;
    let radarr = FakeRadarr::start(KEY).await;
    let (_keep, dir) = temp_dir();
    let place = format!(
        "[[place]]\ndiscord_guild = {}\nvoting = {{ threshold = 3 }}\n",
        discord::GUILD_ID
    );
    let config = write_config(&dir, &place);
    let mut env = vec![
        ("USHER_CONFIG", config.as_str()),
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", KEY),
    ];
    env.extend(database.as_deref().map(|url| ("USHER_DATABASE_URL", url)));
    let setup = setup_with(&env).await;

    // The member asks for Dune in the guild: the answer is the public vote card.
    let shown = setup
        .discord
        .post(&discord::request_command(
            "movie", DUNE, false, MEMBER_ID, "en-US",
        ))
        .await;
    let data = &shown["data"];
    let message = discord::message_with(&data["embeds"], &data["components"]);
    let press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &message);
    let asked = setup.discord.post(&press).await;
    assert_eq!(asked["type"], 4, "{asked}");
    let card = &asked["data"];
    assert!(card["flags"].is_null(), "everyone sees it: {asked}");
    assert!(
        card["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("member asked for Dune")),
        "{asked}"
    );
    assert_eq!(label(card), "🙋 I want this too (1)");

    // The requester's own press changes nothing and is told so privately.
    let own = vote(&setup, MEMBER_ID, "member", card).await;
    assert_eq!(own["type"], 4, "{own}");
    assert_eq!(own["data"]["flags"], 64);

    // Bob's vote counts: the card shows 2 and says what it needs.
    let second = vote(&setup, BOB, "Bob", card).await;
    assert_eq!(second["type"], 7, "the card is updated: {second}");
    let card = &second["data"];
    assert_eq!(label(card), "🙋 I want this too (2)", "{second}");
    let text = card["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("member asked for Dune"), "{text}");
    assert!(
        text.ends_with("\n\nCounted: 2 of the 3 votes that approve it."),
        "{text}"
    );
    let twice = vote(&setup, BOB, "Bob", card).await;
    assert_eq!(twice["type"], 4, "{twice}");
    assert!(
        twice["data"]["content"]
            .as_str()
            .is_some_and(|t| t.starts_with("Your vote already counts")),
        "{twice}"
    );
    assert_eq!(radarr.adds(), 0, "not approved yet");

    // Cid's is the third: approved, the button goes, and Radarr gets the movie.
    let third = vote(&setup, CID, "Cid", card).await;
    assert_eq!(third["type"], 7, "{third}");
    assert_eq!(third["data"]["components"], json!([]), "{third}");
    let text = third["data"]["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("member asked for Dune"), "{text}");
    assert!(
        text.ends_with("\n\nThat's 3 votes — approved! It's on its way."),
        "{text}"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while radarr.adds() == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(radarr.adds(), 1, "the approved request reached Radarr");
    setup.server.stop().await;
    if let Some(url) = database {
        drop_database(&url).await;
    }
}
