//! The payloads the e2e tests send (posted to the endpoint, or pushed by the fake gateway) are
//! real interactions to serenity: each parses into the variant the dispatcher routes on.

use serenity::model::application::Interaction;
use usher_testkit::discord;

fn parse(value: &serde_json::Value) -> Interaction {
    serde_json::from_value(value.clone()).expect("serenity parses the interaction")
}

#[test]
fn test_payloads_parse_as_serenity_interactions() {
    assert!(matches!(parse(&discord::ping()), Interaction::Ping(_)));
    let typed = discord::request_command("movie", "dune", true, 7, "de");
    let Interaction::Autocomplete(cmd) = parse(&typed) else {
        panic!("autocomplete");
    };
    assert_eq!(
        cmd.data.autocomplete().map(|a| a.value.to_owned()),
        Some("dune".into())
    );
    assert_eq!(
        cmd.user.id.get(),
        7,
        "the member's user is the interaction's user"
    );
    let chosen = discord::request_command("tv", "1396", false, 7, "en-US");
    assert!(matches!(parse(&chosen), Interaction::Command(_)));
    let message = discord::message_with(
        &serde_json::json!([{ "title": "Dune" }]),
        &serde_json::json!([]),
    );
    let press = discord::button_press("abc", 8, "ann", &message);
    let Interaction::Component(press) = parse(&press) else {
        panic!("component");
    };
    assert_eq!(press.data.custom_id, "abc");
    assert_eq!(press.message.embeds[0].title.as_deref(), Some("Dune"));
}

#[test]
fn a_modal_submit_parses_with_its_typed_value() {
    let message = discord::message_with(&serde_json::json!([]), &serde_json::json!([]));
    let submit = discord::modal_submit("m1", "reason", "too old", 8, "ann", &message);
    let Interaction::Modal(modal) = parse(&submit) else {
        panic!("modal submit");
    };
    assert_eq!(modal.data.custom_id, "m1");
    let value = modal.data.components[0]
        .components
        .iter()
        .find_map(|c| match c {
            serenity::model::application::ActionRowComponent::InputText(input) => {
                input.value.clone()
            }
            _ => None,
        });
    assert_eq!(value.as_deref(), Some("too old"));
    assert!(modal.message.is_some());
}

/// The dispatcher over a fresh database: no TMDB, a REST client that is never reached.
mod dispatch {
    use std::sync::Arc;
    use std::time::Duration;

    use serde_json::{Value, json};
    use serenity::model::application::Interaction;
    use usher_core::domain::{Actor, Platform, Source};
    use usher_core::i18n::Catalog;
    use usher_core::service::users::{DiscordRoles, RoleMap};
    use usher_core::service::{Registration, Services};
    use usher_core::store::Db;
    use usher_testkit::discord;

    use crate::callback::CallbackCodec;
    use crate::discord::rest::Rest;
    use crate::discord::{Access, DiscordBot};

    const MEMBER: u64 = 7;
    const MEMBERS_ROLE: u64 = 880_000_000_000_000_001;

    async fn bot(roles: RoleMap) -> (tempfile::TempDir, DiscordBot) {
        bot_with(roles, None).await
    }

    async fn bot_with(
        roles: RoleMap,
        tmdb: Option<usher_core::integrations::tmdb::TmdbClient>,
    ) -> (tempfile::TempDir, DiscordBot) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("usher.db").display());
        let db = Db::connect(&url, &Default::default()).await.expect("db");
        db.migrate().await.expect("migrate");
        let rest = Rest::new(
            "http://127.0.0.1:9",
            "t".into(),
            None,
            Duration::from_secs(1),
        )
        .expect("rest");
        let access = Access {
            registration: Registration::AutoRegister("member"),
            roles,
        };
        let catalog = Arc::new(Catalog::embedded().expect("catalogue"));
        let codec = CallbackCodec::new([9; 32], None);
        let bot = DiscordBot::new(
            Services::new(db),
            tmdb,
            catalog,
            codec,
            rest,
            access,
            vec![],
        );
        (dir, bot)
    }

    /// The answer as Discord would receive it.
    async fn answer(bot: &DiscordBot, interaction: &Value) -> Value {
        let interaction: Interaction =
            serde_json::from_value(interaction.clone()).expect("interaction");
        serde_json::to_value(bot.dispatch(interaction).await).expect("json")
    }

    fn help(locale: &str) -> Value {
        discord::slash_command("help", json!([]), MEMBER, locale)
    }

    fn content(answer: &Value) -> &str {
        answer["data"]["content"].as_str().unwrap_or_default()
    }

    /// Every handler answers in the caller's language, which core resolves once at the edge:
    /// the client's locale until the member chooses one (on any platform), then theirs.
    #[tokio::test]
    async fn handlers_answer_in_the_language_the_caller_chose() {
        let (_dir, bot) = bot(RoleMap::discord_admins(&[])).await;
        let first = answer(&bot, &help("de")).await;
        assert!(content(&first).starts_with("Ich finde Filme"), "{first}");

        let users = &bot.services().users;
        let id = MEMBER.to_string();
        let member = users
            .resolve(Platform::Discord, &id, "member", Registration::Refuse)
            .await
            .expect("registered by the first press");
        let actor = Actor::user(member.id, Source::Discord { user: id });
        users
            .choose_language(&actor, Some("fr"))
            .await
            .expect("chosen");

        let chosen = answer(&bot, &help("de")).await;
        assert!(
            content(&chosen).starts_with("Je trouve des films"),
            "{chosen}"
        );
    }

    /// A press on a button whose signed id was edited is refused, and the admins hear of it:
    /// one `forged_button` alert naming who pressed, without the id's tag.
    #[tokio::test]
    async fn a_forged_button_is_refused_and_raises_a_security_alert() {
        let (_dir, bot) = bot(RoleMap::discord_admins(&[])).await;
        let other = CallbackCodec::new([7; 32], None);
        let forged = other.encode(&crate::callback::Action::Approve { request_id: 1 });
        let message = discord::message_with(&json!([]), &json!([]));
        let press = discord::button_press(&forged, MEMBER, "mallory", &message);
        let refused = answer(&bot, &press).await;
        assert!(
            content(&refused).starts_with("This button is not valid"),
            "{refused}"
        );
        let db = &bot.services().db;
        let rows = usher_core::store::outbox::pending(db, "notify")
            .await
            .expect("outbox");
        assert_eq!(rows.len(), 1, "one alert: {rows:?}");
        let payload = &rows[0].payload;
        assert!(payload.contains("\"kind\":\"forged_button\""), "{payload}");
        assert!(payload.contains("\"platform\":\"discord\""), "{payload}");
        assert!(payload.contains(&format!("({MEMBER})")), "{payload}");
        assert!(!payload.contains(&forged), "the forged id is not repeated");
    }

    /// Member roles gate every kind of interaction before any handler runs, and a role granted
    /// in Discord counts on the very next press.
    #[tokio::test]
    async fn member_roles_gate_commands_and_autocomplete_alike() {
        let roles = RoleMap::discord(&DiscordRoles {
            member: &[MEMBERS_ROLE],
            ..DiscordRoles::default()
        });
        let (_dir, bot) = bot(roles).await;
        let refused = answer(&bot, &help("en-US")).await;
        assert!(
            content(&refused).starts_with("Only members with the right role"),
            "{refused}"
        );
        assert_eq!(refused["data"]["flags"], 64);
        let typed = discord::request_command("movie", "dune", true, MEMBER, "en-US");
        let choices = answer(&bot, &typed).await;
        assert_eq!(choices["type"], 8, "{choices}");
        assert_eq!(choices["data"]["choices"].as_array().map_or(0, Vec::len), 0);

        let mut holding = help("en-US");
        holding["member"]["roles"] = json!([MEMBERS_ROLE.to_string()]);
        let served = answer(&bot, &holding).await;
        assert!(content(&served).starts_with("I find movies"), "{served}");
    }

    /// "I want this too" in a server: the signed Vote button is one core call; a vote that
    /// reaches the server's threshold approves the request and updates the card (its button
    /// gone), a forged Vote id changes nothing.
    #[tokio::test]
    async fn a_vote_in_a_server_counts_and_approves_at_the_threshold() {
        use usher_core::domain::{MediaType, PlaceKey, RequestStatus, TmdbId};
        let (_dir, bot) = bot(RoleMap::discord_admins(&[])).await;
        let services = bot.services();
        let guild = PlaceKey::DiscordGuild(555);
        let place = usher_core::domain::Place {
            key: guild,
            threshold: Some(2),
            budget: None,
        };
        services.places.apply_config(&[place]).await.expect("place");
        let asker = services
            .users
            .resolve(
                Platform::Telegram,
                "41",
                "asker",
                Registration::AutoRegister("member"),
            )
            .await
            .expect("asker");
        let actor = Actor::user(asker.id, Source::Telegram { user: "41".into() });
        let media = usher_core::domain::Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(603).expect("id"),
            tvdb_id: None,
            title: "The Matrix".into(),
            year: Some(1999),
        };
        let new = usher_core::service::NewRequest {
            media,
            seasons: Default::default(),
            future_seasons: false,
            four_k: false,
        };
        let made = services
            .requests
            .create_at(&actor, new, Some(guild))
            .await
            .expect("made");
        let id = made.request.id;
        let message = discord::message_with(&json!([]), &json!([]));

        let forged = CallbackCodec::new([7; 32], None)
            .encode(&crate::callback::Action::Vote { request_id: id.0 });
        let mut press = discord::button_press(&forged, MEMBER, "ann", &message);
        press["guild_id"] = json!("555");
        let refused = answer(&bot, &press).await;
        assert!(
            content(&refused).starts_with("This button is not valid"),
            "{refused}"
        );

        let vote = bot
            .codec()
            .encode(&crate::callback::Action::Vote { request_id: id.0 });
        let mut press = discord::button_press(&vote, MEMBER, "ann", &message);
        press["guild_id"] = json!("555");
        let approved = answer(&bot, &press).await;
        assert!(
            content(&approved).starts_with("That's 2 votes"),
            "{approved}"
        );
        assert_eq!(approved["type"], 7, "the card is updated: {approved}");
        assert_eq!(
            approved["data"]["components"],
            json!([]),
            "no vote button left"
        );
        let now = services
            .requests
            .get(&Actor::system(), id)
            .await
            .expect("request");
        assert_eq!(now.status, RequestStatus::Approved);
        let again = answer(&bot, &press).await;
        assert!(
            content(&again).starts_with("This request is no longer waiting"),
            "{again}"
        );
    }

    /// The fake TMDB's client.
    fn tmdb(url: &str) -> usher_core::integrations::tmdb::TmdbClient {
        use usher_core::integrations::http::HttpSettings;
        use usher_core::integrations::tmdb::{TmdbClient, TmdbConfig};
        let key = usher_testkit::tmdb::API_KEY.to_owned().into();
        let http = HttpSettings::with_timeout(Duration::from_secs(5));
        TmdbClient::new(TmdbConfig::new(url, key), &http).expect("tmdb")
    }

    /// The signed action of the answer's first select menu, and its option values.
    fn first_menu(bot: &DiscordBot, answer: &Value) -> (crate::callback::Action, Vec<String>) {
        let menu = answer["data"]["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .find(|c| c["type"] == 3)
            .unwrap_or_else(|| panic!("a select menu in {answer}"));
        let action = bot
            .codec()
            .decode(menu["custom_id"].as_str().expect("id"))
            .expect("signed by us");
        let values = menu["options"]
            .as_array()
            .expect("options")
            .iter()
            .map(|o| o["value"].as_str().expect("value").to_owned())
            .collect();
        (action, values)
    }

    /// The card's "Episodes of one season…" → season 2's picker (TMDB's 13 episodes, privately)
    /// → two episodes chosen: one request of exactly those. A value the page does not list, or
    /// the menu's id pressed as a button, asks for nothing.
    #[tokio::test]
    async fn the_episode_picker_asks_for_the_episodes_chosen() {
        use crate::callback::Action;
        let fake = usher_testkit::tmdb::start().await;
        let (_dir, bot) = bot_with(RoleMap::discord_admins(&[]), Some(tmdb(&fake.url))).await;
        let message = discord::message_with(&json!([]), &json!([]));
        let seasons = bot
            .codec()
            .encode(&Action::EpisodeSeasons { tmdb_id: 1396 });

        let opened = answer(
            &bot,
            &discord::select_menu(&seasons, &["2"], MEMBER, "ann", &message),
        )
        .await;
        assert_eq!(opened["data"]["flags"], 64, "private: {opened}");
        assert!(
            content(&opened).starts_with("Breaking Bad, season 2"),
            "{opened}"
        );
        let (menu, values) = first_menu(&bot, &opened);
        let wanted = Action::EpisodeMenu {
            tmdb_id: 1396,
            season: 2,
            page: 0,
        };
        assert_eq!(menu, wanted);
        assert_eq!(values.len(), 13, "{values:?}");

        let id = bot.codec().encode(&wanted);
        let off_page = answer(
            &bot,
            &discord::select_menu(&id, &["14"], MEMBER, "ann", &message),
        )
        .await;
        assert!(
            content(&off_page).starts_with("That isn't an episode"),
            "{off_page}"
        );
        let pressed = answer(&bot, &discord::button_press(&id, MEMBER, "ann", &message)).await;
        assert!(
            content(&pressed).starts_with("This button is not valid"),
            "{pressed}"
        );
        let season = answer(
            &bot,
            &discord::select_menu(&seasons, &["99"], MEMBER, "ann", &message),
        )
        .await;
        assert!(
            content(&season).starts_with("That isn't a season"),
            "{season}"
        );
        let db = &bot.services().db;
        let none = usher_core::store::requests::find(db, usher_core::domain::RequestId(1))
            .await
            .expect("read");
        assert!(none.is_none(), "nothing asked yet");

        let asked = answer(
            &bot,
            &discord::select_menu(&id, &["7", "5"], MEMBER, "ann", &message),
        )
        .await;
        assert!(
            content(&asked).contains("Breaking Bad · S02E05, S02E07"),
            "{asked}"
        );
        let request = usher_core::store::requests::find(db, usher_core::domain::RequestId(1))
            .await
            .expect("read")
            .expect("one request");
        assert_eq!(request.episodes.to_string(), "S02E05, S02E07");
    }
}
