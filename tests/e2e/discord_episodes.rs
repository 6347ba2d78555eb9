//! Single episodes on Discord through the binary (HTTP interactions): `/request tv
//! title:breaking bad S02E05` answers with the show's card and a "Request S02E05" button;
//! pressed and approved, the fake Sonarr monitors exactly that episode. A typo is said. The
//! card of `/request tv title:breaking bad` opens the episode picker of one season, whose
//! choice reaches Sonarr the same way.

use serde_json::Value;
use usher_testkit::{FakeSonarr, discord};

use crate::discord_cards::components;
use crate::support::discord::{ADMIN_ID, MEMBER_ID, Setup, card, custom_id, setup_with};

const ARR_KEY: &str = "e2e-discord-episodes-arr-key";

/// The custom_id of the button labelled `label`.
fn button(data: &Value, label: &str) -> String {
    components(data)
        .iter()
        .find(|c| c["label"] == label)
        .and_then(|c| c["custom_id"].as_str())
        .unwrap_or_else(|| panic!("no button {label} in {data}"))
        .to_owned()
}

#[tokio::test]
async fn one_episode_asked_on_discord_is_the_one_episode_sonarr_monitors() {
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup_with(&[
        ("USHER_SONARR_URL", sonarr.url()),
        ("USHER_SONARR_API_KEY", ARR_KEY),
    ])
    .await;

    let typo = discord
        .post(&discord::request_command(
            "tv",
            "breaking bad S2E",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    let said = typo["data"]["content"].as_str().unwrap_or_default();
    assert!(said.contains("S2E"), "{typo}");

    let answer = discord
        .post(&discord::request_command(
            "tv",
            "breaking bad S02E05",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    let data = &answer["data"];
    assert_eq!(
        data["embeds"][0]["title"], "Breaking Bad (2008)",
        "{answer}"
    );
    let id = button(data, "Request S02E05");
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = discord
        .post(&discord::button_press(&id, MEMBER_ID, "member", &shown))
        .await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(
        text.starts_with("Requested Breaking Bad · S02E05"),
        "{text}"
    );

    let posted = card(&rest).await;
    let approved = discord
        .post(&discord::button_press(
            &custom_id(&posted, 0),
            ADMIN_ID,
            "admin",
            &discord::message_with(&posted["embeds"], &posted["components"]),
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    let mut monitored = Vec::new();
    for _ in 0..400 {
        monitored = sonarr.monitored_episodes(81189);
        if !monitored.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(monitored, [(2, 5)]);
    assert!(sonarr.monitored_seasons(81189).is_empty());
    server.stop().await;
}

/// The custom_id of the select menu whose placeholder is `placeholder`.
fn menu(data: &Value, placeholder: &str) -> String {
    components(data)
        .iter()
        .find(|c| c["type"] == 3 && c["placeholder"] == placeholder)
        .and_then(|c| c["custom_id"].as_str())
        .unwrap_or_else(|| panic!("no menu {placeholder} in {data}"))
        .to_owned()
}

#[tokio::test]
async fn the_cards_episode_picker_asks_for_the_episodes_chosen() {
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup_with(&[
        ("USHER_SONARR_URL", sonarr.url()),
        ("USHER_SONARR_API_KEY", ARR_KEY),
    ])
    .await;

    let answer = discord
        .post(&discord::request_command(
            "tv",
            "breaking bad",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    let data = &answer["data"];
    let seasons = menu(data, "Episodes of one season…");
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let picker = discord
        .post(&discord::select_menu(
            &seasons,
            &["3"],
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let data = &picker["data"];
    assert_eq!(data["flags"], 64, "the picker is private: {picker}");
    let said = data["content"].as_str().unwrap_or_default();
    assert!(said.starts_with("Breaking Bad, season 3"), "{picker}");
    let episodes = menu(data, "Episodes to ask for…");
    let shown = discord::message_with(&Value::Array(vec![]), &data["components"]);
    let asked = discord
        .post(&discord::select_menu(
            &episodes,
            &["2"],
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(
        text.starts_with("Requested Breaking Bad · S03E02"),
        "{text}"
    );

    let posted = card(&rest).await;
    discord
        .post(&discord::button_press(
            &custom_id(&posted, 0),
            ADMIN_ID,
            "admin",
            &discord::message_with(&posted["embeds"], &posted["components"]),
        ))
        .await;
    let mut monitored = Vec::new();
    for _ in 0..400 {
        monitored = sonarr.monitored_episodes(81189);
        if !monitored.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(monitored, [(3, 2)]);
    server.stop().await;
}
