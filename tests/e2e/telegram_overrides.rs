//! An `[[override]]` rule through the `usher` binary: an animation show requested in Telegram
//! and approved reaches the anime Sonarr as the rule says — series type anime, the rule's root
//! folder, quality profile and tag — while the everyday Sonarr is not asked to add it.

use std::time::Duration;

use usher_testkit::FakeSonarr;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::{temp_dir, write_config};
use crate::telegram::{
    approver_card, button, buttons, first_with_buttons, press, start_with, text_of,
};

const ARR_KEY: &str = "e2e-overrides-arr-key";
const ATTACK_ON_TITAN: i64 = 267_440;

#[tokio::test]
async fn an_anime_show_asked_in_telegram_reaches_the_anime_sonarr_as_the_rule_says() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let sonarr = FakeSonarr::start(ARR_KEY).await;
    let anime = FakeSonarr::start(ARR_KEY).await;
    anime.set_root_folders(&[(1, "/tv"), (2, "/anime")]);
    anime.set_quality_profiles(&[(1, "Any"), (7, "Anime-1080p")]);
    let (_keep, dir) = temp_dir();
    let config = write_config(
        &dir,
        r#"
[[override]]
media = "tv"
genres = ["Animation"]
keywords = ["anime"]
sonarr = { instance = "sonarr-anime", quality_profile = "Anime-1080p", root_folder = "/anime", tags = ["anime"], series_type = "anime" }
"#,
    );
    let server = start_with(
        &fake,
        &tmdb.url,
        &dir,
        &[
            ("USHER_CONFIG", config.as_str()),
            ("USHER_SONARR_URL", sonarr.url()),
            ("USHER_SONARR_API_KEY", ARR_KEY),
            ("USHER_SONARR_ANIME_URL", anime.url()),
            ("USHER_SONARR_ANIME_API_KEY", ARR_KEY),
        ],
    )
    .await;
    let ann = TgUser::new(31, "ann");
    let boss = TgUser::new(100, "boss");

    fake.send_private(&ann, "/tv attack on titan");
    let card = first_with_buttons(&fake, ann.id).await;
    assert!(text_of(&card).starts_with("Attack on Titan"), "{card}");
    let answer = press(&fake, &ann, &card, &button(&card, "Request all seasons")).await;
    assert!(!answer.show_alert, "{answer:?}");
    let approver = approver_card(&fake).await;
    assert!(text_of(&approver).contains("Attack on Titan"), "{approver}");
    let answer = press(&fake, &boss, &approver, &buttons(&approver).remove(0)).await;
    assert!(!answer.show_alert, "{answer:?}");
    for _ in 0..200 {
        if anime.adds() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let series = anime.series(ATTACK_ON_TITAN).unwrap_or_else(|| {
        let seen: Vec<String> = anime
            .server
            .received()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        panic!("not on the anime Sonarr: {seen:?}")
    });
    assert_eq!(series["seriesType"], "anime");
    assert_eq!(series["rootFolderPath"], "/anime");
    assert_eq!(series["qualityProfileId"], 7);
    assert!(
        anime.tag_labels().contains(&"anime".to_owned()),
        "{:?}",
        anime.tag_labels()
    );
    assert_eq!(anime.monitored_seasons(ATTACK_ON_TITAN), [1, 2, 3, 4]);
    assert_eq!(sonarr.adds(), 0, "the everyday Sonarr keeps out of it");
    assert!(server.stop().await.success());
}
