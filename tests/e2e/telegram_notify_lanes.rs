//! The notifier does not hold a member's DM behind approver cards: the admin group takes one
//! message every 3 s (20 a minute), so a burst of new requests keeps its lane busy for a while,
//! and an availability DM queued behind that burst still reaches the member before the burst's
//! last card is posted. Every card is still posted, in order, once.

use usher_core::domain::{Actor, Media, MediaType, Platform, Seasons, Source, TmdbId};
use usher_core::service::{NewRequest, Registration, Services};
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::console_session::services;
use crate::support::temp_dir;
use crate::telegram::{ADMIN_CHAT, WAIT, start, text_of};

const BURST: i64 = 6;

async fn actor(services: &Services, id: &str, role: &'static str) -> Actor {
    let user = services
        .users
        .resolve(Platform::Telegram, id, id, Registration::AutoRegister(role))
        .await
        .expect("user");
    Actor::user(user.id, Source::Telegram { user: id.into() })
}

fn movie(tmdb: i64, title: &str) -> NewRequest {
    NewRequest {
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(tmdb).expect("id"),
            tvdb_id: None,
            title: title.into(),
            year: None,
        },
        seasons: Seasons::default(),
        future_seasons: false,
        four_k: false,
    }
}

fn cards_posted(fake: &FakeTelegram) -> usize {
    fake.messages_in(ADMIN_CHAT)
        .iter()
        .filter(|m| text_of(m).contains("Burst film"))
        .count()
}

#[tokio::test]
async fn an_availability_dm_overtakes_a_burst_of_approver_cards() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start(&fake, &tmdb.url, &dir).await;
    let services = services(&dir).await;
    let ann = TgUser::new(11, "ann");

    // Ann's request, approved: she is told, and the admin lane is idle again.
    let member = actor(&services, "11", "member").await;
    let approver = actor(&services, "9000", "approver").await;
    let created = services
        .requests
        .create(&member, movie(438_631, "Dune"))
        .await
        .expect("ann's request");
    let id = created.request.id;
    services
        .requests
        .approve(&approver, id)
        .await
        .expect("approve");
    fake.wait_for(WAIT, |f| {
        let told = f
            .messages_in(ann.id)
            .iter()
            .any(|m| text_of(m).contains("approved"));
        told.then_some(())
    })
    .await
    .expect("ann hears of the approval");

    // A burst of new requests: one approver card each, 3 s apart in the admin group.
    for n in 0..BURST {
        let requester = actor(&services, &format!("{}", 20 + n), "member").await;
        let title = format!("Burst film {n}");
        services
            .requests
            .create(&requester, movie(1_000 + n, &title))
            .await
            .expect("burst request");
    }
    fake.wait_for(WAIT, |f| (cards_posted(f) > 0).then_some(()))
        .await
        .expect("the burst is being posted");

    // Dune arrives while the cards are going out.
    let mark = fake.sent_log().len();
    services
        .requests
        .mark_available(&Actor::system(), id, true)
        .await
        .expect("available");
    let all = usize::try_from(BURST).expect("count");
    fake.wait_for(WAIT * 2, |f| {
        let told = f
            .messages_in(ann.id)
            .iter()
            .any(|m| text_of(m).contains("available"));
        (told && cards_posted(f) == all).then_some(())
    })
    .await
    .unwrap_or_else(|| panic!("not everything arrived: {:?}", fake.calls()));

    let log = fake.sent_log();
    let dm = log
        .iter()
        .enumerate()
        .skip(mark)
        .find(|(_, s)| s.chat == Some(ann.id))
        .map(|(at, _)| at)
        .expect("the availability DM");
    let last_card = log
        .iter()
        .rposition(|s| s.chat == Some(ADMIN_CHAT) && s.method == "sendmessage")
        .expect("cards");
    assert!(dm < last_card, "the DM waited behind every card: {log:?}");
    // The cards kept their order and none is doubled.
    let titles: Vec<String> = fake
        .messages_in(ADMIN_CHAT)
        .iter()
        .map(text_of)
        .filter(|t| t.contains("Burst film"))
        .collect();
    for (n, title) in titles.iter().enumerate() {
        assert!(title.contains(&format!("Burst film {n}")), "{titles:?}");
    }
    assert!(server.stop().await.success());
}
