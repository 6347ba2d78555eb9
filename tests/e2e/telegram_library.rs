//! "Open in library" through the binary: Jellyfin's webhook says a film arrived, and a later
//! Telegram search card for it carries a URL button to it on the Jellyfin address members use
//! (`USHER_JELLYFIN_PUBLIC_URL`).

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::temp_dir;
use crate::telegram::{first_with_buttons, start_with, text_of};

const SECRET: &str = "e2e-library-webhook-secret";

#[tokio::test]
async fn a_film_jellyfin_announced_opens_in_the_library_from_its_card() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_with(
        &fake,
        &tmdb.url,
        &dir,
        &[
            ("USHER_WEBHOOK_SECRET", SECRET),
            ("USHER_JELLYFIN_PUBLIC_URL", "https://tv.example.org/"),
        ],
    )
    .await;

    // Jellyfin's "Send All Properties" delivery for the best hit for "dune" (Part Two).
    let path =
        usher_testkit::specs_dir().join("webhooks/jellyfin-itemadded-movie.sendallproperties.json");
    let mut body: Value =
        serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("json");
    body["Provider_tmdb"] = "693134".into();
    let answer = reqwest::Client::new()
        .post(format!("{}/hooks/jellyfin", server.base_url))
        .header("x-usher-token", SECRET)
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .expect("webhook");
    assert!(answer.status().is_success(), "{}", answer.status());

    let ann = TgUser::new(700, "Ann");
    fake.send_private(&ann, "/movie dune");
    let card = first_with_buttons(&fake, ann.id).await;
    assert!(text_of(&card).starts_with("Dune: Part Two"), "{card}");
    let urls: Vec<(String, String)> = card["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| {
            Some((
                b["text"].as_str()?.to_owned(),
                b["url"].as_str()?.to_owned(),
            ))
        })
        .collect();
    assert_eq!(
        urls,
        [(
            "▶️ Open in library".to_owned(),
            "https://tv.example.org/web/#/details?id=a852a27afe324084ae66db579ee3ee18".to_owned()
        )],
        "{card}"
    );
    assert!(server.stop().await.success());
}
