//! The Discord search card through the binary in HTTP interactions mode: a typed search pages
//! with ◀ ▶ (the message updated in place, the search kept in the database), a show's season
//! menu requests exactly the seasons chosen, forged ids and menu values change nothing, and
//! **Notify me too** makes a second member a follower who hears when the title is there.

use serde_json::{Value, json};
use usher_testkit::{FakeSonarr, discord};

use crate::support::discord::{
    ADMIN_ID, DUNE, Discord, MEMBER_ID, Setup, card, custom_id, dms, forged, setup, setup_with,
    wait_posts,
};

const ARR_KEY: &str = "e2e-discord-cards-arr-key";
const HOOK_SECRET: &str = "e2e-discord-cards-webhook-secret";
/// A second member, who follows the first one's request.
const OTHER_ID: u64 = 500_000_000_000_000_003;

/// Every component of a card's rows, flattened.
pub(crate) fn components(data: &Value) -> Vec<Value> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The button labels of a card, row by row.
fn labels(data: &Value) -> Vec<Vec<String>> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row["components"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["label"].as_str().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// The custom_id of the button labelled `label`.
fn button(data: &Value, label: &str) -> String {
    components(data)
        .iter()
        .find(|c| c["label"] == label)
        .and_then(|c| c["custom_id"].as_str())
        .unwrap_or_else(|| panic!("no button {label} in {data}"))
        .to_owned()
}

/// The message a card answer became, as Discord sends it back with a press on it.
fn shown(data: &Value) -> Value {
    discord::message_with(&data["embeds"], &data["components"])
}

/// `user` (shown as `name`) presses the button labelled `label` on the card `data`.
async fn press(discord: &Discord, data: &Value, label: &str, (user, name): (u64, &str)) -> Value {
    let press = discord::button_press(&button(data, label), user, name, &shown(data));
    discord.post(&press).await
}

/// Runs `sql` on the server's SQLite database.
async fn sql(dir: &std::path::Path, sql: &'static str) -> u64 {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .expect("sql")
        .rows_affected()
}

async fn count_requests(dir: &std::path::Path) -> i64 {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    sqlx::query_scalar("SELECT COUNT(*) FROM requests")
        .fetch_one(&mut conn)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_typed_search_pages_in_place_and_requests_the_title_shown() {
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup().await;

    let answer = discord
        .post(&discord::request_command(
            "movie", "dune", false, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(answer["type"], 4, "{answer}");
    let first = &answer["data"];
    assert_eq!(first["flags"], 64, "only the member sees the card");
    assert_eq!(first["embeds"][0]["title"], "Dune: Part Two (2024)");
    let description = first["embeds"][0]["description"].as_str().expect("text");
    assert!(
        description.starts_with('⭐') && description.contains(" min"),
        "{description}"
    );
    assert_eq!(labels(first), [vec!["◀", "1/3", "▶"], vec!["Request"]]);
    assert_eq!(components(first)[1]["disabled"], true, "the counter");

    // ▶ updates the card in place (type 7): another title, the counter moves.
    let next = press(&discord, first, "▶", (MEMBER_ID, "member")).await;
    assert_eq!(next["type"], 7, "{next}");
    let second = &next["data"];
    assert_eq!(second["embeds"][0]["title"], "Dune (2021)");
    assert_eq!(labels(second)[0], ["◀", "2/3", "▶"]);

    // ◀ comes back; ◀ on the first wraps around to the last.
    let back = press(&discord, second, "◀", (MEMBER_ID, "member")).await;
    assert_eq!(back["data"]["embeds"][0]["title"], "Dune: Part Two (2024)");
    assert_eq!(labels(&back["data"])[0], ["◀", "1/3", "▶"]);
    let last = press(&discord, &back["data"], "◀", (MEMBER_ID, "member")).await;
    assert_eq!(labels(&last["data"])[0], ["◀", "3/3", "▶"]);

    // A forged page button: an ephemeral notice, no update of the card.
    let refused = discord
        .post(&discord::button_press(
            &forged(&button(second, "▶")),
            MEMBER_ID,
            "member",
            &shown(second),
        ))
        .await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert_eq!(refused["data"]["flags"], 64);
    assert!(
        refused["data"]["content"]
            .as_str()
            .is_some_and(|t| t.contains("not valid")),
        "{refused}"
    );

    // Request from the second card: that title is asked for, and an approver card names it.
    let asked = press(&discord, second, "Request", (MEMBER_ID, "member")).await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(text.starts_with("Requested Dune (2021)"), "{text}");
    let posted = card(&rest).await;
    assert_eq!(posted["embeds"][0]["title"], "Dune (2021)");

    // The card now says so: paging back to it shows the member's own request, no Request.
    let again = press(&discord, first, "▶", (MEMBER_ID, "member")).await;
    let description = again["data"]["embeds"][0]["description"]
        .as_str()
        .expect("text");
    assert!(
        description.contains("You asked for this: #1"),
        "{description}"
    );
    assert_eq!(labels(&again["data"]), [vec!["◀", "2/3", "▶"]]);

    // A search forgotten since (pruned): the old buttons say so and change nothing.
    assert_eq!(sql(_tmp.path(), "DELETE FROM searches").await, 1);
    let stale = press(&discord, first, "▶", (MEMBER_ID, "member")).await;
    assert_eq!(stale["type"], 4, "{stale}");
    assert_eq!(
        stale["data"]["content"],
        "This search is too old; search again."
    );
    server.stop().await;
}

#[tokio::test]
async fn cards_and_approver_buttons_keep_working_after_restarts() {
    let setup = setup().await;
    let answer = setup
        .discord
        .post(&discord::request_command(
            "movie", "dune", false, MEMBER_ID, "en-US",
        ))
        .await;
    let first = answer["data"].clone();
    assert_eq!(labels(&first)[0], ["◀", "1/3", "▶"], "{answer}");

    // Nothing of the card lives in the process: a new one pages and requests from it.
    let setup = setup.restart().await;
    let next = press(&setup.discord, &first, "▶", (MEMBER_ID, "member")).await;
    assert_eq!(next["type"], 7, "{next}");
    let second = &next["data"];
    assert_eq!(second["embeds"][0]["title"], "Dune (2021)");
    let asked = press(&setup.discord, second, "Request", (MEMBER_ID, "member")).await;
    let text = asked["data"]["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("Requested Dune (2021)"), "{asked}");
    let posted = card(&setup.rest).await;

    // The approver card posted before this restart is approved by the next process.
    let setup = setup.restart().await;
    let approved = setup
        .discord
        .post(&discord::button_press(
            &custom_id(&posted, 0),
            ADMIN_ID,
            "admin",
            &discord::message_with(&posted["embeds"], &posted["components"]),
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by admin"
    );
    assert_eq!(count_requests(setup._tmp.path()).await, 1);
    setup.server.stop().await;
}

#[tokio::test]
async fn seasons_chosen_in_the_menu_are_the_seasons_sonarr_monitors() {
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
            "tmdb:1429",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    let data = &answer["data"];
    assert_eq!(
        data["embeds"][0]["title"], "Attack on Titan (2013)",
        "{answer}"
    );
    // The season menu's row, then the row of the menu that opens the episode picker.
    assert_eq!(labels(data), [vec!["Request all seasons"], vec![], vec![]]);
    let menu = components(data)
        .into_iter()
        .find(|c| c["type"] == 3)
        .expect("a season menu");
    let values: Vec<&str> = menu["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert_eq!(values, ["all", "future", "1", "2", "3", "4"]);
    assert_eq!(menu["min_values"], 1);
    let menu_id = menu["custom_id"].as_str().expect("signed id");
    assert!(menu_id.len() <= 100);

    // A value the menu never offered (season 9), or a forged menu id: nothing is requested.
    let bad_value = discord
        .post(&discord::select_menu(
            menu_id,
            &["2", "9"],
            MEMBER_ID,
            "member",
            &shown(data),
        ))
        .await;
    assert_eq!(bad_value["type"], 4, "{bad_value}");
    assert_eq!(
        bad_value["data"]["content"],
        "That isn't a season of this show. Please search again."
    );
    let bad_id = discord
        .post(&discord::select_menu(
            &forged(menu_id),
            &["2", "4"],
            MEMBER_ID,
            "member",
            &shown(data),
        ))
        .await;
    assert!(
        bad_id["data"]["content"]
            .as_str()
            .is_some_and(|t| t.contains("not valid")),
        "{bad_id}"
    );
    assert_eq!(count_requests(_tmp.path()).await, 0);

    // Seasons 2 and 4: requested, approved, and Sonarr monitors exactly those.
    let asked = discord
        .post(&discord::select_menu(
            menu_id,
            &["2", "4"],
            MEMBER_ID,
            "member",
            &shown(data),
        ))
        .await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(
        text.starts_with("Requested Attack on Titan (2013)"),
        "{text}"
    );
    let posted = card(&rest).await;
    let approved = discord
        .post(&discord::button_press(
            &custom_id(&posted, 0),
            ADMIN_ID,
            "admin",
            &shown(&posted),
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    let mut monitored = Vec::new();
    for _ in 0..400 {
        monitored = sonarr.monitored_seasons(267_440);
        if !monitored.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(monitored, [2, 4]);
    assert_eq!(sonarr.adds(), 1);
    server.stop().await;
}

#[tokio::test]
async fn notify_me_too_makes_a_second_member_a_follower_who_is_told() {
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup_with(&[("USHER_WEBHOOK_SECRET", HOOK_SECRET)]).await;

    // The first member asks for Dune.
    let first = discord
        .post(&discord::request_command(
            "movie", DUNE, false, MEMBER_ID, "en-US",
        ))
        .await;
    press(&discord, &first["data"], "Request", (MEMBER_ID, "member")).await;
    let approver_card = card(&rest).await;

    // The second member's card says someone asked, and offers Notify me too instead.
    let other = discord
        .post(&discord::request_command(
            "movie", DUNE, false, OTHER_ID, "en-US",
        ))
        .await;
    let data = &other["data"];
    assert_eq!(labels(data), [vec!["🔔 Notify me too"]], "{other}");
    let description = data["embeds"][0]["description"].as_str().expect("text");
    assert!(
        description.ends_with("Someone already asked: #1, pending."),
        "{description}"
    );
    let followed = press(&discord, data, "🔔 Notify me too", (OTHER_ID, "other")).await;
    assert_eq!(followed["data"]["flags"], 64);
    assert_eq!(
        followed["data"]["content"],
        "Someone already asked for this; you'll hear when it's there."
    );
    let again = discord
        .post(&discord::request_command(
            "movie", DUNE, false, OTHER_ID, "en-US",
        ))
        .await;
    let description = again["data"]["embeds"][0]["description"]
        .as_str()
        .expect("text");
    assert!(description.contains("You'll be told"), "{description}");
    assert_eq!(
        again["data"]["components"],
        json!([]),
        "nothing left to press"
    );

    // Approved, then Radarr reports the import: the follower hears it too.
    discord
        .post(&discord::button_press(
            &custom_id(&approver_card, 0),
            ADMIN_ID,
            "admin",
            &shown(&approver_card),
        ))
        .await;
    let sample = usher_testkit::specs_dir().join("webhooks/radarr-download.json");
    let mut download: Value =
        serde_json::from_slice(&std::fs::read(sample).expect("sample")).expect("json");
    download["movie"]["tmdbId"] = json!(438_631);
    let status = reqwest::Client::new()
        .post(format!(
            "{}/hooks/radarr?token={HOOK_SECRET}",
            server.base_url
        ))
        .json(&download)
        .send()
        .await
        .expect("webhook")
        .status();
    assert_eq!(status, 200);
    let path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(OTHER_ID)
    );
    wait_posts(&rest, &path, 1)
        .await
        .expect("a DM to the follower");
    let told = dms(&rest, OTHER_ID);
    assert!(
        told.contains(&"Your request for Dune is now available.".to_owned()),
        "{told:?}"
    );

    // Now the card says it is in the library, with nothing to ask.
    let held = discord
        .post(&discord::request_command(
            "movie", DUNE, false, OTHER_ID, "en-US",
        ))
        .await;
    assert_eq!(labels(&held["data"]), [vec!["In the library"]]);
    server.stop().await;
}
