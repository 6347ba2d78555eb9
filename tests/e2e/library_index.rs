//! The library index end to end (issue 16's "Done when"), through the binary on both chats and
//! both databases. One installation per chat and database walks every fact in turn: a film
//! Jellyfin holds and nobody requested is available with a Watch link and no Request button; a
//! show with seasons 1–3 of 5 offers only 4 and 5; a film Radarr holds with a file is
//! available; a show Sonarr is downloading shows its progress in `/mine`; search lists (inline
//! results, autocomplete) mark all of that; a held title never requested can be reported with
//! `/issue`; and once the film is deleted from Jellyfin, the next pass (the full pass at the
//! next start) makes it requestable again.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use usher_testkit::telegram::{FakeTelegram, TgUser};
use usher_testkit::{FakeJellyfin, FakeRadarr, FakeSonarr, discord};

use crate::discord_cards::components;
use crate::support::discord::{MEMBER_ID, Setup, setup_with};
use crate::support::{Server, database_for, drop_database, temp_dir};
use crate::telegram::{WAIT, button, buttons, press, start_with, text_of};
use crate::telegram_cards::labels;

const JF_KEY: &str = "e2e-library-index-jellyfin-key";
const ARR_KEY: &str = "e2e-library-index-arr-key";
const DUNE_TWO: u32 = 693_134;
const ATTACK_ON_TITAN_TVDB: i64 = 267_440;
const MISSING_SEASONS: [&str; 2] = ["4", "5"];

/// The upstreams the index reads, filled before the server starts.
struct Library {
    jellyfin: FakeJellyfin,
    _radarr: FakeRadarr,
    _sonarr: FakeSonarr,
    /// Dune: Part Two's Jellyfin item, deleted near the end.
    dune_two: String,
}

impl Library {
    /// Jellyfin holds Dune: Part Two and seasons 1–3 of Breaking Bad (of 5); Radarr holds
    /// Inception with its file; Sonarr is fetching Attack on Titan, 42 % done.
    async fn start() -> Self {
        let jellyfin = FakeJellyfin::start(JF_KEY).await;
        let dune_two = jellyfin.add_movie(DUNE_TWO, "Dune: Part Two");
        let show = jellyfin.add_series(Some(81_189), Some(1396), "Breaking Bad");
        for (season, episodes) in [(1, 7), (2, 13), (3, 13)] {
            jellyfin.add_episodes(&show, season, episodes);
        }
        let radarr = FakeRadarr::start(ARR_KEY).await;
        radarr.insert_movie(27_205, true).expect("Inception");
        radarr.set_file(27_205, true);
        let sonarr = FakeSonarr::start(ARR_KEY).await;
        sonarr
            .insert_series(ATTACK_ON_TITAN_TVDB, &[1, 2, 3, 4])
            .expect("Attack on Titan");
        sonarr.queue_download(ATTACK_ON_TITAN_TVDB, 100.0, 58.0, None, "downloading");
        Self {
            jellyfin,
            _radarr: radarr,
            _sonarr: sonarr,
            dune_two,
        }
    }

    /// The settings pointing at the fakes (and at `database`, when given).
    fn env<'a>(&'a self, database: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
        let mut env = vec![
            ("USHER_JELLYFIN_URL", self.jellyfin.url()),
            ("USHER_JELLYFIN_API_KEY", JF_KEY),
            ("USHER_RADARR_URL", self._radarr.url()),
            ("USHER_RADARR_API_KEY", ARR_KEY),
            ("USHER_SONARR_URL", self._sonarr.url()),
            ("USHER_SONARR_API_KEY", ARR_KEY),
        ];
        env.extend(database.map(|url| ("USHER_DATABASE_URL", url)));
        env
    }

    /// Where "Watch on Jellyfin" opens Dune: Part Two.
    fn dune_two_link(&self) -> String {
        format!("{}/web/#/details?id={}", self.jellyfin.url(), self.dune_two)
    }
}

/// Waits until `/metrics` says a pass left `jellyfin` titles in Jellyfin's part of the index and
/// one in each *arr's (the first full pass at start).
async fn passed(server: &Server, jellyfin: usize) {
    let wanted = [("jellyfin", jellyfin), ("radarr", 1), ("sonarr", 1)];
    let deadline = Instant::now() + WAIT;
    loop {
        let text = server.get("/metrics").await.text().await.expect("metrics");
        let holds = |(source, count): &(&str, usize)| {
            let prefix = format!("usher_library_items{{source=\"{source}\"");
            text.lines()
                .any(|l| l.starts_with(&prefix) && l.ends_with(&format!(" {count}")))
        };
        if wanted.iter().all(holds) {
            return;
        }
        assert!(Instant::now() < deadline, "no library pass: {text}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---- Telegram ----

/// Every (label, url) link button under a message.
fn links(message: &Value) -> Vec<(String, String)> {
    let rows = message["reply_markup"]["inline_keyboard"].as_array();
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| {
            Some((
                b["text"].as_str()?.to_owned(),
                b["url"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

fn offers_request(message: &Value) -> bool {
    labels(message)
        .concat()
        .iter()
        .any(|l| l.starts_with("Request"))
}

/// Sends `text` as `user` and waits for the next message in their chat matching `wanted`.
async fn answer(
    fake: &FakeTelegram,
    user: &TgUser,
    text: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let before = fake.messages_in(user.id).len();
    fake.send_private(user, text);
    fake.wait_for(WAIT, |f| {
        f.messages_in(user.id)
            .into_iter()
            .skip(before)
            .find(|m| wanted(m))
    })
    .await
    .unwrap_or_else(|| panic!("no answer to {text:?}: {:?}", fake.calls()))
}

async fn card(fake: &FakeTelegram, user: &TgUser, text: &str) -> Value {
    answer(fake, user, text, |m| !buttons(m).is_empty()).await
}

/// The description of the inline result for `id` (`m693134`) when `user` types `query`.
async fn inline_description(fake: &FakeTelegram, user: &TgUser, query: &str, id: &str) -> String {
    let query_id = fake.inline_query(user, query, "");
    let answer = fake
        .wait_inline_answer(&query_id, WAIT)
        .await
        .expect("an inline answer");
    let results = answer["results"].as_array().cloned().unwrap_or_default();
    let result = results
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {answer}"));
    result["description"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn telegram_walk(postgres: bool) {
    let library = Library::start().await;
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let url = database_for(postgres).await;
    let server = start_with(&fake, &tmdb.url, &dir, &library.env(url.as_deref())).await;
    passed(&server, 2).await;
    let ann = TgUser::new(710, "Ann");

    // Jellyfin's film, never requested: available, a Watch link, no Request button.
    let dune = card(&fake, &ann, "/movie dune").await;
    assert!(text_of(&dune).starts_with("Dune: Part Two"), "{dune}");
    assert!(text_of(&dune).contains("Already in the library"), "{dune}");
    assert!(!offers_request(&dune), "no Request button: {dune}");
    let watch = ("▶️ Watch on Jellyfin".to_owned(), library.dune_two_link());
    assert_eq!(links(&dune), [watch], "{dune}");

    // Seasons 1–3 of 5 there: the picker offers only 4 and 5.
    let bad = card(&fake, &ann, "/tv breaking bad").await;
    assert!(text_of(&bad).contains("season(s) 1, 2, 3"), "{bad}");
    let picked = press(&fake, &ann, &bad, &button(&bad, "Pick seasons…")).await;
    assert!(!picked.show_alert, "{picked:?}");
    let picker = fake
        .wait_for(WAIT, |f| {
            f.messages_in(ann.id).into_iter().find(|m| {
                m["message_id"] == bad["message_id"]
                    && labels(m).concat().contains(&"S4".to_owned())
            })
        })
        .await
        .expect("the season picker");
    let seasons: Vec<String> = MISSING_SEASONS.iter().map(|s| format!("S{s}")).collect();
    assert_eq!(labels(&picker)[0], seasons, "{picker}");

    // Radarr's film with its file: available.
    // (Its only hit, and nothing to press: a card without buttons.)
    let inception = answer(&fake, &ann, "/movie inception", |m| {
        text_of(m).starts_with("Inception")
    })
    .await;
    assert!(
        text_of(&inception).contains("Already in the library"),
        "{inception}"
    );
    assert!(!offers_request(&inception), "{inception}");

    // Sonarr's download: Ann asks for the show, and /mine shows how far it got.
    let titan = card(&fake, &ann, "/tv attack on titan").await;
    assert!(text_of(&titan).contains("Downloading: 42 %"), "{titan}");
    let asked = press(&fake, &ann, &titan, &button(&titan, "Request all seasons")).await;
    assert!(asked.text.is_some_and(|t| t.starts_with("Requested")));
    let mine = answer(&fake, &ann, "/mine", |m| {
        text_of(m).contains("Attack on Titan")
    })
    .await;
    assert!(text_of(&mine).contains("⬇️ 42 %"), "{mine}");

    // Inline results carry the same marks.
    let marks = [
        ("dune", "m693134", "✅ Available"),
        ("inception", "m27205", "✅ Available"),
        (
            "breaking bad",
            "t1396",
            "✅ In the library: season(s) 1, 2, 3",
        ),
        ("attack on titan", "t1429", "⬇️ Downloading 42 %"),
    ];
    for (query, id, mark) in marks {
        let description = inline_description(&fake, &ann, query, id).await;
        assert!(description.starts_with(mark), "{query}: {description}");
    }

    // A title only the index holds can be reported.
    let reported = answer(
        &fake,
        &ann,
        "/issue Dune: Part Two — the sound is out of sync",
        |m| text_of(m).contains("report"),
    )
    .await;
    assert!(
        text_of(&reported).contains("Your report #1 about Dune: Part Two"),
        "{reported}"
    );

    // Deleted from Jellyfin: after the next pass it can be requested again.
    library.jellyfin.remove(&library.dune_two);
    let server = server.restart().await;
    passed(&server, 1).await;
    let again = card(&fake, &ann, "/movie dune").await;
    assert!(text_of(&again).starts_with("Dune: Part Two"), "{again}");
    assert!(offers_request(&again), "{again}");
    assert!(links(&again).is_empty(), "{again}");
    assert!(server.stop().await.success());
    if let Some(url) = url {
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn the_library_index_walk_on_telegram_and_sqlite() {
    telegram_walk(false).await;
}

#[tokio::test]
async fn the_library_index_walk_on_telegram_and_postgres() {
    telegram_walk(true).await;
}

// ---- Discord ----

fn component_labels(data: &Value) -> Vec<String> {
    components(data)
        .iter()
        .filter_map(|c| c["label"].as_str().map(str::to_owned))
        .collect()
}

/// The card `/request <sub> title:<value>` answers with.
async fn discord_card(setup: &Setup, sub: &str, value: &str) -> Value {
    let answer = setup
        .discord
        .post(&discord::request_command(
            sub, value, false, MEMBER_ID, "en-US",
        ))
        .await;
    answer["data"].clone()
}

/// The names of the autocomplete choices for `typed` under `/request <sub>`.
async fn choice_names(setup: &Setup, sub: &str, typed: &str) -> Vec<String> {
    let answer = setup
        .discord
        .post(&discord::request_command(
            sub, typed, true, MEMBER_ID, "en-US",
        ))
        .await;
    answer["data"]["choices"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

async fn slash(setup: &Setup, name: &str, options: Value) -> String {
    let answer = setup
        .discord
        .post(&discord::slash_command(name, options, MEMBER_ID, "en-US"))
        .await;
    answer["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn discord_walk(postgres: bool) {
    let library = Library::start().await;
    let url = database_for(postgres).await;
    let setup = setup_with(&library.env(url.as_deref())).await;
    passed(&setup.server, 2).await;

    // Jellyfin's film, never requested: available, a Watch link, no Request button.
    let dune = discord_card(&setup, "movie", "tmdb:693134").await;
    assert!(
        dune.to_string().contains("Already in the library"),
        "{dune}"
    );
    assert!(
        !component_labels(&dune)
            .iter()
            .any(|l| l.starts_with("Request")),
        "{dune}"
    );
    let watch: Vec<(String, String)> = components(&dune)
        .iter()
        .filter_map(|c| {
            Some((
                c["label"].as_str()?.to_owned(),
                c["url"].as_str()?.to_owned(),
            ))
        })
        .collect();
    assert_eq!(
        watch,
        [("▶️ Watch on Jellyfin".to_owned(), library.dune_two_link())]
    );

    // Seasons 1–3 of 5 there: the season menu offers only 4 and 5.
    let bad = discord_card(&setup, "tv", "tmdb:1396").await;
    let menu = components(&bad)
        .into_iter()
        .find(|c| c["type"] == 3)
        .unwrap_or_else(|| panic!("a season menu: {bad}"));
    let seasons: Vec<&str> = menu["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert_eq!(seasons, MISSING_SEASONS, "{menu}");

    // Radarr's film with its file: available.
    let inception = discord_card(&setup, "movie", "tmdb:27205").await;
    assert!(
        inception.to_string().contains("Already in the library"),
        "{inception}"
    );
    assert!(
        !component_labels(&inception)
            .iter()
            .any(|l| l.starts_with("Request")),
        "{inception}"
    );

    // Sonarr's download: the member asks for the show, and /mine shows how far it got.
    let titan = discord_card(&setup, "tv", "tmdb:1429").await;
    assert!(titan.to_string().contains("Downloading: 42 %"), "{titan}");
    let shown = discord::message_with(&titan["embeds"], &titan["components"]);
    let request = components(&titan)
        .into_iter()
        .find(|c| c["label"] == "Request all seasons")
        .and_then(|c| c["custom_id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("Request all seasons: {titan}"));
    let press = discord::button_press(&request, MEMBER_ID, "member", &shown);
    setup.discord.post(&press).await;
    let mine = slash(&setup, "mine", json!([])).await;
    assert!(
        mine.contains("Attack on Titan") && mine.contains("⬇️ 42 %"),
        "{mine}"
    );

    // Autocomplete carries the same marks.
    let names = choice_names(&setup, "movie", "dune").await;
    assert!(
        names.contains(&"Dune: Part Two (2024) · ✅ Available".to_owned()),
        "{names:?}"
    );
    let names = choice_names(&setup, "tv", "breaking bad").await;
    assert!(
        names.contains(&"Breaking Bad (2008) · ✅ In the library: season(s) 1, 2, 3".to_owned()),
        "{names:?}"
    );
    let names = choice_names(&setup, "tv", "attack on titan").await;
    assert!(
        names.iter().any(|n| n.ends_with("· ⬇️ Downloading 42 %")),
        "{names:?}"
    );

    // A title only the index holds can be reported.
    let options = json!([
        { "name": "title", "type": 3, "value": "Dune: Part Two" },
        { "name": "text", "type": 3, "value": "the sound is out of sync" },
    ]);
    let reported = slash(&setup, "issue", options).await;
    assert!(
        reported.contains("Your report #1 about Dune: Part Two"),
        "{reported}"
    );

    // Deleted from Jellyfin: after the next pass it can be requested again.
    library.jellyfin.remove(&library.dune_two);
    let setup = setup.restart().await;
    passed(&setup.server, 1).await;
    let again = discord_card(&setup, "movie", "tmdb:693134").await;
    assert!(
        component_labels(&again)
            .iter()
            .any(|l| l.starts_with("Request")),
        "{again}"
    );
    assert!(setup.server.stop().await.success());
    if let Some(url) = url {
        drop_database(&url).await;
    }
}

#[tokio::test]
async fn the_library_index_walk_on_discord_and_sqlite() {
    discord_walk(false).await;
}

#[tokio::test]
async fn the_library_index_walk_on_discord_and_postgres() {
    discord_walk(true).await;
}
