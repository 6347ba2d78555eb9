//! Discord in gateway mode (the default), end to end through the `usher` binary: the serenity
//! bot connects to a fake gateway (HELLO, IDENTIFY → READY, heartbeats), which pushes the
//! interactions a member and an admin would cause; the answers come back through the fake
//! REST API's interaction callback route, where the test reads them. The whole loop: search
//! (autocomplete) → request → approval by button → one add in the fake Radarr → the
//! availability webhook → a DM to the member.

use std::time::Duration;

use serde_json::{Value, json};
use usher_testkit::{FakeGateway, FakeRadarr, FakeServer, discord, tmdb};

use crate::support::discord::{
    ADMIN_CHANNEL, ADMIN_ID, DUNE, MEMBER_ID, card, dms, forged, wait_posts,
};
use crate::support::{Server, outbox_settles, temp_dir};

const ARR_KEY: &str = "e2e-gateway-arr-key";
const HOOK_SECRET: &str = "e2e-gateway-webhook-secret";

/// The bot in gateway mode with its fakes; keep it alive.
struct Gateway {
    _tmp: tempfile::TempDir,
    _tmdb: FakeServer,
    radarr: FakeRadarr,
    rest: FakeServer,
    gateway: FakeGateway,
    server: Server,
    next: std::sync::atomic::AtomicU64,
}

impl Gateway {
    /// Pushes `interaction` over the gateway with a fresh id and token, and returns the answer
    /// the bot posted to that interaction's callback route.
    async fn interact(&self, mut interaction: Value) -> Value {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = 920_000_000_000_100_000 + n;
        let token = format!("gateway-token-{n}");
        interaction["id"] = json!(id.to_string());
        interaction["token"] = json!(token);
        assert_eq!(self.gateway.inject(&interaction), 1, "one bot session");
        let path = format!("/api/v10/interactions/{id}/{token}/callback");
        wait_posts(&self.rest, &path, 1)
            .await
            .unwrap_or_else(|| panic!("no answer to interaction {n}"))
            .remove(0)
    }
}

async fn start() -> Gateway {
    let (tmp, dir) = temp_dir();
    let tmdb = tmdb::start().await;
    let radarr = FakeRadarr::start(ARR_KEY).await;
    let gateway = FakeGateway::start().await;
    let rest = discord::start_with_gateway(&gateway.url).await;
    let app_id = discord::APPLICATION_ID.to_string();
    let admin = ADMIN_ID.to_string();
    let env = [
        ("USHER_TMDB_API_KEY", tmdb::API_KEY),
        ("USHER_TMDB_API_URL", &tmdb.url),
        ("USHER_RADARR_URL", radarr.url()),
        ("USHER_RADARR_API_KEY", ARR_KEY),
        ("USHER_WEBHOOK_SECRET", HOOK_SECRET),
        ("USHER_DISCORD_TOKEN", "fake-bot-token"),
        ("USHER_DISCORD_APPLICATION_ID", &app_id),
        ("USHER_DISCORD_API_URL", &rest.url),
        ("USHER_DISCORD_ADMIN_CHANNEL_ID", ADMIN_CHANNEL),
        ("USHER_DISCORD_ADMIN_IDS", &admin),
    ];
    let server = Server::start(&dir, &env).await;
    Gateway {
        _tmp: tmp,
        _tmdb: tmdb,
        radarr,
        rest,
        gateway,
        server,
        next: std::sync::atomic::AtomicU64::new(0),
    }
}

fn first_button(data: &Value, index: usize) -> String {
    data["components"][0]["components"][index]["custom_id"]
        .as_str()
        .expect("a button with a custom_id")
        .to_owned()
}

#[tokio::test]
async fn gateway_mode_search_request_approve_add_and_dm() {
    let bot = start().await;
    assert!(
        bot.server
            .printed
            .iter()
            .any(|l| l.contains("connecting to the gateway")),
        "{:?}",
        bot.server.printed
    );

    // The bot asked where the gateway is, identified with its token, and got READY.
    let identify = bot.gateway.wait_ready().await.expect("the bot identified");
    assert!(
        identify["token"]
            .as_str()
            .is_some_and(|t| t.ends_with("fake-bot-token")),
        "{identify}"
    );
    assert_eq!(bot.rest.received_at("GET", "/api/v10/gateway").len(), 1);

    // Once READY, the commands are registered (globally: no guild ids configured).
    let path = format!("/api/v10/applications/{}/commands", discord::APPLICATION_ID);
    let registered = wait_puts(&bot.rest, &path).await;
    let names: Vec<&str> = registered
        .as_array()
        .expect("commands")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "request", "mine", "cancel", "pending", "help", "link", "issue", "trending", "discover"
        ]
    );
    crate::discord_commands::assert_localized(&registered);

    // A plain command over the gateway, answered in the interaction's locale.
    let help = bot
        .interact(discord::slash_command("help", json!([]), MEMBER_ID, "de"))
        .await;
    assert_eq!(
        (help["type"].as_u64(), help["data"]["flags"].as_u64()),
        (Some(4), Some(64))
    );
    let text = help["data"]["content"].as_str().unwrap_or_default();
    assert!(text.starts_with("Ich finde Filme"), "{help}");

    // Autocomplete over the gateway: the event handler hands it to the shared dispatcher.
    let typed = bot
        .interact(discord::request_command(
            "movie", "dune", true, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(typed["type"], 8, "{typed}");
    let choices = typed["data"]["choices"].as_array().expect("choices");
    assert!(choices.len() <= 25, "{typed}");
    assert!(
        choices
            .iter()
            .any(|c| c["value"] == DUNE && c["name"] == "Dune (2021)"),
        "{typed}"
    );

    // The command: the ephemeral card with a signed Request button.
    let result = bot
        .interact(discord::request_command(
            "movie", DUNE, false, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(result["type"], 4, "{result}");
    assert_eq!(result["data"]["flags"], 64);
    assert_eq!(result["data"]["embeds"][0]["title"], "Dune (2021)");
    let request_button = first_button(&result["data"], 0);

    // The member presses Request: a pending request and an approver card.
    let shown = discord::message_with(&result["data"]["embeds"], &result["data"]["components"]);
    let asked = bot
        .interact(discord::button_press(
            &request_button,
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    assert_eq!(asked["type"], 4, "{asked}");
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(text.starts_with("Requested Dune (2021)"), "{text}");
    let posted = card(&bot.rest).await;
    let approve = first_button(&posted, 0);
    let card_message = discord::message_with(&posted["embeds"], &posted["components"]);

    // A forged custom_id over the gateway: a notice, nothing decoded.
    let forged = forged(&approve);
    let notice = bot
        .interact(discord::button_press(
            &forged,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(notice["data"]["flags"], 64, "{notice}");
    assert!(
        notice["data"]["content"]
            .as_str()
            .is_some_and(|t| t.contains("not valid")),
        "{notice}"
    );

    // A member pressing Approve: refused by core, nothing sent to Radarr.
    let refused = bot
        .interact(discord::button_press(
            &approve,
            MEMBER_ID,
            "member",
            &card_message,
        ))
        .await;
    assert_eq!(refused["data"]["content"], "You're not allowed to do that.");
    assert_eq!(bot.radarr.adds(), 0);

    // The admin approves: the card is updated in place.
    let approved = bot
        .interact(discord::button_press(
            &approve,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by admin"
    );

    // Radarr gets exactly one add.
    let added = wait_for(|| bot.radarr.movie(438_631)).await.expect("added");
    outbox_settles(bot._tmp.path(), &["submit"]).await;
    assert_eq!(bot.radarr.adds(), 1, "no submission is left to make");

    // The member is told of the approval in a DM; then Radarr reports the download and the
    // member gets a DM saying it is available.
    let told = |needle: &'static str| {
        let rest = &bot.rest;
        move || {
            dms(rest, MEMBER_ID)
                .iter()
                .any(|t| t.contains("Dune") && t.contains(needle))
                .then_some(())
        }
    };
    wait_for(told("is now approved"))
        .await
        .expect("the approval DM");
    let sample = usher_testkit::specs_dir().join("webhooks/radarr-download.json");
    let mut download: Value =
        serde_json::from_slice(&std::fs::read(sample).expect("sample")).expect("json");
    download["movie"]["id"] = added["id"].clone();
    download["movie"]["tmdbId"] = json!(438_631);
    let status = reqwest::Client::new()
        .post(format!(
            "{}/hooks/radarr?token={HOOK_SECRET}",
            bot.server.base_url
        ))
        .json(&download)
        .send()
        .await
        .expect("post the webhook")
        .status();
    assert_eq!(status, 200);
    wait_for(told("is now available"))
        .await
        .expect("the availability DM");
    // One notice per event a member cares about: approved, then available. Handing the
    // title to Radarr is Usher's own step, not news (the approval already says it is on its
    // way).
    assert_eq!(
        dms(&bot.rest, MEMBER_ID),
        [
            "Your request for Dune is now approved.",
            "Your request for Dune is now available.",
        ]
    );
    assert_eq!(bot.radarr.adds(), 1);
}

/// The body of the first `PUT` at `path` (20 s at most).
async fn wait_puts(rest: &FakeServer, path: &str) -> Value {
    for _ in 0..400 {
        if let Some(first) = rest.received_at("PUT", path).into_iter().next() {
            return first.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing registered at {path}");
}

/// Polls `probe` until it yields (20 s at most).
async fn wait_for<T>(mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..400 {
        if let Some(found) = probe() {
            return Some(found);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test]
async fn gateway_mode_season_menu_requests_the_seasons_chosen() {
    let bot = start().await;
    bot.gateway.wait_ready().await.expect("the bot identified");

    let result = bot
        .interact(discord::request_command(
            "tv",
            "tmdb:1429",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    assert_eq!(result["type"], 4, "{result}");
    let data = &result["data"];
    let menu = &data["components"][1]["components"][0];
    assert_eq!(menu["type"], 3, "{result}");
    let menu_id = menu["custom_id"].as_str().expect("a signed menu id");
    let shown = discord::message_with(&data["embeds"], &data["components"]);

    // A forged value over the gateway: refused, nothing requested.
    let refused = bot
        .interact(discord::select_menu(
            menu_id,
            &["1", "5"],
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    assert_eq!(refused["data"]["flags"], 64, "{refused}");
    assert!(
        refused["data"]["content"]
            .as_str()
            .is_some_and(|t| t.contains("isn't a season")),
        "{refused}"
    );

    let asked = bot
        .interact(discord::select_menu(
            menu_id,
            &["1", "3", "future"],
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let text = asked["data"]["content"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("Requested Attack on Titan (2013)"),
        "{asked}"
    );
    let card = card(&bot.rest).await;
    assert_eq!(card["embeds"][0]["title"], "Attack on Titan (2013)");

    use sqlx::Connection;
    let url = format!(
        "sqlite://{}",
        bot._tmp.path().join("data/usher.db").display()
    );
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    let rows: Vec<(String, bool)> = sqlx::query_as("SELECT seasons, future_seasons FROM requests")
        .fetch_all(&mut conn)
        .await
        .expect("requests");
    assert_eq!(rows, [("1,3".to_owned(), true)]);
}

/// `/help` over the gateway, answered privately: the bot is listening.
async fn still_answers(bot: &Gateway) {
    let help = bot
        .interact(discord::slash_command(
            "help",
            json!([]),
            MEMBER_ID,
            "en-US",
        ))
        .await;
    assert_eq!(help["type"], 4, "{help}");
}

#[tokio::test]
async fn gateway_mode_comes_back_after_reconnects_drops_and_invalid_sessions() {
    let bot = start().await;
    bot.gateway.wait_ready().await.expect("the bot identified");
    still_answers(&bot).await;

    // Discord asks the bot to reconnect: it resumes the session READY named, and answers.
    assert_eq!(bot.gateway.reconnect(), 1);
    assert!(
        bot.gateway.wait_resumed(1).await,
        "no RESUME after RECONNECT"
    );
    let resume = &bot.gateway.resumed()[0];
    assert_eq!(resume["session_id"], "fake-session", "{resume}");
    assert!(resume["seq"].as_u64().is_some_and(|s| s >= 2), "{resume}");
    still_answers(&bot).await;

    // The connection drops without a word: the bot resumes again.
    assert_eq!(bot.gateway.drop_connections(), 1);
    assert!(bot.gateway.wait_resumed(2).await, "no RESUME after a drop");
    still_answers(&bot).await;

    // The session is invalid and may not be resumed: the bot identifies anew.
    assert_eq!(bot.gateway.invalidate_session(false), 1);
    assert!(bot.gateway.wait_identified(2).await, "no new IDENTIFY");
    still_answers(&bot).await;
    assert_eq!(
        bot.gateway.resumed().len(),
        2,
        "nothing resumed an invalid session"
    );

    bot.server.stop().await;
}
