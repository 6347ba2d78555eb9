//! A content limit on Discord, through the binary: a role in `usher.toml` with
//! `content_limit = { movie = "PG-13" }`, granted by a Discord role. A member holding it does
//! not get the R-rated 1917 in autocomplete, `/request movie` or `/trending`, and its id answers
//! "not available to you", while the PG-13 Dune is still offered; a member without the role gets
//! 1917 as before.

use serde_json::{Value, json};
use usher_testkit::discord;

use crate::support::discord::{DUNE, MEMBER_ID, Setup, setup_with};
use crate::support::{temp_dir, write_config};

const KIDS_ROLE: &str = "880000000000000009";
const OTHER_ID: u64 = 500_000_000_000_000_009;
const NINETEEN_SEVENTEEN: &str = "tmdb:530915";

/// `/request movie title:<title>` (autocomplete when `typing`) as `user`, holding `roles`.
async fn ask(setup: &Setup, user: u64, roles: &[&str], title: &str, typing: bool) -> Value {
    let mut body = discord::request_command("movie", title, typing, user, "en-US");
    body["member"]["roles"] = json!(roles);
    setup.discord.post(&body).await
}

/// The values of an autocomplete answer's choices.
fn choices(answer: &Value) -> Vec<String> {
    let choices = answer["data"]["choices"].as_array().cloned();
    choices
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["value"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_pg13_cap_hides_an_r_rated_film_from_autocomplete_and_search() {
    let (_keep, dir) = temp_dir();
    let config = write_config(
        &dir,
        &format!(
            r#"
[[role]]
name = "kids"
permissions = ["request_movie"]
content_limit = {{ movie = "PG-13" }}

[[role_grant]]
role = "kids"
discord_role = {KIDS_ROLE}
"#
        ),
    );
    let setup = setup_with(&[("USHER_CONFIG", config.as_str())]).await;
    let kids = [KIDS_ROLE];

    let other = ask(&setup, OTHER_ID, &[], "1917", true).await;
    assert!(
        choices(&other).contains(&NINETEEN_SEVENTEEN.to_owned()),
        "{other}"
    );
    let typed = ask(&setup, MEMBER_ID, &kids, "1917", true).await;
    assert_eq!(typed["type"], 8, "{typed}");
    assert!(
        !choices(&typed).contains(&NINETEEN_SEVENTEEN.to_owned()),
        "{typed}"
    );
    let dune = ask(&setup, MEMBER_ID, &kids, "dune", true).await;
    assert!(choices(&dune).contains(&DUNE.to_owned()), "{dune}");

    let searched = ask(&setup, MEMBER_ID, &kids, "1917", false).await;
    assert_eq!(
        searched["data"]["content"], "Nothing found for that title.",
        "{searched}"
    );
    let by_id = ask(&setup, MEMBER_ID, &kids, NINETEEN_SEVENTEEN, false).await;
    assert_eq!(
        by_id["data"]["content"], "This title isn't available to you.",
        "{by_id}"
    );
    let card = ask(&setup, MEMBER_ID, &kids, DUNE, false).await;
    assert_eq!(card["data"]["embeds"][0]["title"], "Dune (2021)", "{card}");

    // `/trending kind:movie period:day` lists 1917 for the other member only.
    let options = json!([
        { "name": "kind", "type": 3, "value": "movie" },
        { "name": "period", "type": 3, "value": "day" },
    ]);
    let mut trending = discord::slash_command("trending", options, OTHER_ID, "en-US");
    let theirs = setup.discord.post(&trending).await.to_string();
    trending["member"]["user"] = discord::user(MEMBER_ID, "member");
    trending["member"]["roles"] = json!(kids);
    let kims = setup.discord.post(&trending).await.to_string();
    assert!(theirs.contains("1917 (2019)"), "{theirs}");
    assert!(kims.contains("Dune (2021)"), "{kims}");
    assert!(!kims.contains("1917"), "{kims}");
    setup.server.stop().await;
}
