//! Discord over HTTP interactions, end to end through the `usher` binary: the test signs
//! interactions with its own Ed25519 key (as Discord does), against the fake TMDB and a fake
//! Discord REST API that records the command registration and the approver cards.

use std::time::Duration;

use serde_json::json;
use usher_testkit::discord;

use crate::support::discord::{
    ADMIN_ID, DUNE, MEMBER_ID, Setup, card, custom_id, dms, forged, now, nth_card, setup,
    setup_with, wait_posts,
};

#[tokio::test]
async fn http_interactions_search_request_and_approve() {
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup().await;

    // The slash command was registered (globally: no guild ids configured).
    let path = format!("/api/v10/applications/{}/commands", discord::APPLICATION_ID);
    let mut registered = Vec::new();
    for _ in 0..100 {
        registered = rest.received_at("PUT", &path);
        if !registered.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let commands = &registered.first().expect("commands registered").body;
    assert_eq!(commands[0]["name"], "request");
    let title = &commands[0]["options"][0]["options"][0];
    assert_eq!(
        (title["name"].as_str(), title["autocomplete"].as_bool()),
        (Some("title"), Some(true))
    );

    // Discord's endpoint check: PING → PONG; unsigned, forged or stale bodies → 401.
    assert_eq!(discord.post(&discord::ping()).await, json!({ "type": 1 }));
    let bad = "ab".repeat(64);
    assert_eq!(
        discord
            .send(&discord::ping(), now(), Some(&bad))
            .await
            .status(),
        401
    );
    assert_eq!(
        discord
            .send(&discord::ping(), now(), Some(""))
            .await
            .status(),
        401
    );
    assert_eq!(
        discord
            .send(&discord::ping(), now() - 600, None)
            .await
            .status(),
        401
    );

    // Signed but not an interaction: 400, nothing else.
    let garbage = discord.send_raw(b"not json".to_vec(), now(), None).await;
    assert_eq!(garbage.status(), 400);

    // Autocomplete from the TMDB cache: at most 25 choices, values are marked TMDB ids.
    let typed = discord
        .post(&discord::request_command(
            "movie", "dune", true, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(typed["type"], 8);
    let choices = typed["data"]["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25, "{typed}");
    assert!(
        choices
            .iter()
            .any(|c| c["value"] == DUNE && c["name"] == "Dune (2021)"),
        "{typed}"
    );

    // The command: an ephemeral card with poster and a signed Request button.
    let result = discord
        .post(&discord::request_command(
            "movie", DUNE, false, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(result["type"], 4, "{result}");
    let data = &result["data"];
    assert_eq!(data["flags"], 64);
    assert_eq!(data["embeds"][0]["title"], "Dune (2021)");
    assert!(
        data["embeds"][0]["thumbnail"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with(".jpg"))
    );
    let request_button = custom_id(data, 0);
    assert!(request_button.len() <= 100);

    // The member presses Request: a pending request, and a card in the admin channel.
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let asked = discord
        .post(&discord::button_press(
            &request_button,
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    assert_eq!(asked["type"], 4, "{asked}");
    assert_eq!(asked["data"]["flags"], 64);
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(text.starts_with("Requested Dune (2021)"), "{text}");
    let posted = card(&rest).await;
    let recorded = rest.received();
    assert_eq!(
        recorded[0].header("authorization"),
        Some("Bot fake-bot-token")
    );
    assert_eq!(posted["embeds"][0]["footer"]["text"], "Requested by member");
    let approve = custom_id(&posted, 0);
    let card_message = discord::message_with(&posted["embeds"], &posted["components"]);

    // Asking again: already requested, said in the member's words.
    let again = discord
        .post(&discord::button_press(
            &request_button,
            MEMBER_ID,
            "member",
            &shown,
        ))
        .await;
    let again_text = again["data"]["content"].as_str().expect("content");
    assert!(again_text.contains("already"), "{again_text}");

    // A member pressing Approve is refused by core; nothing changes.
    let refused = discord
        .post(&discord::button_press(
            &approve,
            MEMBER_ID,
            "member",
            &card_message,
        ))
        .await;
    assert_eq!(refused["type"], 4, "{refused}");
    assert_eq!(refused["data"]["flags"], 64);
    assert_eq!(refused["data"]["content"], "You're not allowed to do that.");

    // A forged (edited) id: a notice, nothing decoded.
    let forged = forged(&approve);
    let notice = discord
        .post(&discord::button_press(
            &forged,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(notice["type"], 4);
    assert!(
        notice["data"]["content"]
            .as_str()
            .is_some_and(|t| t.contains("not valid")),
        "{notice}"
    );

    // The admin approves: the card is updated in place with the outcome and the actor.
    let approved = discord
        .post(&discord::button_press(
            &approve,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(approved["type"], 7, "{approved}");
    assert_eq!(approved["data"]["embeds"][0]["title"], "Dune (2021)");
    assert_eq!(
        approved["data"]["embeds"][0]["footer"]["text"],
        "Approved by admin"
    );
    assert_eq!(approved["data"]["components"], json!([]));

    // The member is told in a DM, once.
    let path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(MEMBER_ID)
    );
    wait_posts(&rest, &path, 1)
        .await
        .expect("a DM to the member");
    assert_eq!(
        dms(&rest, MEMBER_ID),
        vec!["Your request for Dune is now approved."]
    );

    // A second press (a stale card elsewhere) is told who decided, and changes nothing.
    let late = discord
        .post(&discord::button_press(
            &approve,
            ADMIN_ID,
            "admin",
            &card_message,
        ))
        .await;
    assert_eq!(late["type"], 4, "{late}");
    assert!(
        late["data"]["content"]
            .as_str()
            .is_some_and(|t| t.starts_with("Already")),
        "{late}"
    );

    server.stop().await;
}

#[tokio::test]
async fn http_interactions_tv_request_declined_in_the_members_language() {
    let Setup {
        _tmp,
        _tmdb,
        rest,
        server,
        discord,
    } = setup().await;

    let typed = discord
        .post(&discord::request_command(
            "tv", "breaking", true, MEMBER_ID, "de",
        ))
        .await;
    let choices = typed["data"]["choices"].as_array().expect("choices");
    assert!(choices.iter().any(|c| c["value"] == "tmdb:1396"), "{typed}");

    // Free text (no choice picked) takes the best hit; the answer is in German.
    let result = discord
        .post(&discord::request_command(
            "tv",
            "Breaking Bad",
            false,
            MEMBER_ID,
            "de",
        ))
        .await;
    let data = &result["data"];
    assert_eq!(
        data["embeds"][0]["title"], "Breaking Bad (2008)",
        "{result}"
    );
    // The quick button asks for the whole show, seasons to come included.
    assert_eq!(
        data["components"][0]["components"][0]["label"],
        "Alle Staffeln anfragen"
    );
    let shown = discord::message_with(&data["embeds"], &data["components"]);
    let mut press = discord::button_press(&custom_id(data, 0), MEMBER_ID, "member", &shown);
    press["locale"] = json!("de");
    let asked = discord.post(&press).await;
    let text = asked["data"]["content"].as_str().expect("content");
    assert!(
        text.starts_with("Breaking Bad (2008) ist angefragt"),
        "{text}"
    );

    let posted = card(&rest).await;
    let decline = custom_id(&posted, 1);
    let card_message = discord::message_with(&posted["embeds"], &posted["components"]);
    // No approver's language is known yet: the card is in the fallback.
    assert_eq!(posted["embeds"][0]["footer"]["text"], "Requested by member");
    // A member pressing Decline gets no form, only the refusal.
    let mut member_press = discord::button_press(&decline, MEMBER_ID, "member", &card_message);
    member_press["locale"] = json!("de");
    let by_member = discord.post(&member_press).await;
    assert_eq!(by_member["type"], 4, "{by_member}");
    // The admin (whose Discord is in German) gets a form for the reason.
    let mut decline_press = discord::button_press(&decline, ADMIN_ID, "admin", &card_message);
    decline_press["locale"] = json!("de");
    let form = discord.post(&decline_press).await;
    assert_eq!(form["type"], 9, "{form}");
    assert_eq!(form["data"]["title"], "Breaking Bad (2008) ablehnen");
    let input = &form["data"]["components"][0]["components"][0];
    assert_eq!(
        (input["type"].as_u64(), input["style"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(input["max_length"], 500);
    let modal_id = form["data"]["custom_id"].as_str().expect("modal id");
    let reason = "Gibt es nur als Kinofassung";
    let mut submit = discord::modal_submit(
        modal_id,
        input["custom_id"].as_str().expect("input id"),
        reason,
        ADMIN_ID,
        "admin",
        &card_message,
    );
    submit["locale"] = json!("de");
    // A forged modal id declines nothing.
    let mut forged = submit.clone();
    forged["data"]["custom_id"] = json!(format!("{modal_id}x"));
    let refused = discord.post(&forged).await;
    assert_eq!(refused["type"], 4, "{refused}");
    let declined = discord.post(&submit).await;
    assert_eq!(declined["type"], 7, "{declined}");
    // A whole show was asked for, seasons to come included.
    let asked = whole_show_request(_tmp.path()).await;
    assert_eq!(
        asked,
        ("1,2,3,4,5".to_owned(), true),
        "seasons, future seasons"
    );
    assert_eq!(
        declined["data"]["embeds"][0]["footer"]["text"],
        format!("Abgelehnt von admin: {reason}")
    );
    assert_eq!(
        declined["data"]["embeds"][0]["title"],
        "Breaking Bad (2008)"
    );

    // The member hears it in their Discord language, with the reason.
    let path = format!(
        "/api/v10/channels/{}/messages",
        discord::dm_channel(MEMBER_ID)
    );
    wait_posts(&rest, &path, 1)
        .await
        .expect("a DM to the member");
    let told = dms(&rest, MEMBER_ID);
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        told[0],
        format!("Deine Anfrage für Breaking Bad ist jetzt abgelehnt.\nGrund: {reason}")
    );

    // Declined frees the title: asking again makes a new pending request and a second card.
    let again = discord.post(&press).await;
    let text = again["data"]["content"].as_str().expect("content");
    assert!(
        text.starts_with("Breaking Bad (2008) ist angefragt"),
        "{text}"
    );
    // The next card speaks the approvers' language, now that it is known.
    let second = nth_card(&rest, 1).await;
    assert_eq!(
        second["embeds"][0]["footer"]["text"],
        "Angefragt von member"
    );
    assert_eq!(
        second["components"][0]["components"][0]["label"],
        "Genehmigen"
    );

    server.stop().await;
}

#[tokio::test]
async fn a_number_typed_as_the_title_is_searched_as_a_title() {
    let Setup {
        _tmp,
        _tmdb,
        rest: _rest,
        server,
        discord,
    } = setup().await;

    // "1917" is the film 1917, not TMDB id 1917 (which the fake does not know).
    let result = discord
        .post(&discord::request_command(
            "movie", "1917", false, MEMBER_ID, "en-US",
        ))
        .await;
    assert_eq!(result["type"], 4, "{result}");
    assert_eq!(
        result["data"]["embeds"][0]["title"], "1917 (2019)",
        "{result}"
    );

    // Its autocomplete choice is a marked id, which is looked up, not searched.
    let typed = discord
        .post(&discord::request_command(
            "movie", "1917", true, MEMBER_ID, "en-US",
        ))
        .await;
    let choices = typed["data"]["choices"].as_array().expect("choices");
    assert!(
        choices
            .iter()
            .any(|c| c["value"] == "tmdb:530915" && c["name"] == "1917 (2019)"),
        "{typed}"
    );
    let chosen = discord
        .post(&discord::request_command(
            "movie",
            "tmdb:530915",
            false,
            MEMBER_ID,
            "en-US",
        ))
        .await;
    assert_eq!(chosen["data"]["embeds"][0]["title"], "1917 (2019)");

    server.stop().await;
}

/// The seasons and future-seasons flag of the only request in the server's database.
async fn whole_show_request(dir: &std::path::Path) -> (String, bool) {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("data/usher.db").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("db");
    sqlx::query_as("SELECT seasons, future_seasons FROM requests")
        .fetch_one(&mut conn)
        .await
        .expect("the request")
}

#[tokio::test]
async fn a_guild_outside_the_allow_list_gets_a_notice_and_nothing_else() {
    let other = (discord::GUILD_ID + 1).to_string();
    let Setup {
        _tmp,
        _tmdb,
        rest: _rest,
        server: _server,
        discord,
    } = setup_with(&[("USHER_DISCORD_GUILD_IDS", &other)]).await;
    let typed = discord
        .post(&discord::request_command(
            "movie", "dune", true, MEMBER_ID, "de",
        ))
        .await;
    assert_eq!(typed["type"], 8, "{typed}");
    assert_eq!(typed["data"]["choices"], json!([]), "no suggestions there");
    let asked = discord
        .post(&discord::request_command(
            "movie",
            "tmdb:438631",
            false,
            MEMBER_ID,
            "de",
        ))
        .await;
    assert_eq!(asked["type"], 4, "{asked}");
    assert_eq!(
        asked["data"]["content"],
        "Dieser Server wird von diesem Bot nicht bedient."
    );
    assert_eq!(asked["data"]["flags"], 64, "only the member sees it");
}
