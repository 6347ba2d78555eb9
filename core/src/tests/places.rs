//! Places through the services: config applied and edited with audit, the shared budget
//! refusing the request over it with its renewal date, votes deduplicated across platforms and
//! approving at the threshold, and `/mine`'s allowance figures.

use super::harness::{both_dbs, count, movie, show, user_with_role};
use crate::CoreError;
use crate::domain::{
    Actor, AuditAction, Budget, MediaType, Place, PlaceInput, PlaceKey, Platform, QuotaLimit,
    QuotaScope, RequestStatus, Source, Timestamp,
};
use crate::service::{Registration, Services, VoteKind, events};
use crate::store::{outbox, requests};

const GROUP: PlaceKey = PlaceKey::TelegramChat(-100_777);
const DAY_MS: i64 = 86_400_000;

fn place(threshold: Option<u32>, budget: Option<Budget>) -> Place {
    Place {
        key: GROUP,
        threshold,
        budget,
    }
}

async fn audited(db: &crate::store::Db, action: AuditAction) -> i64 {
    let sql = format!("audit_log WHERE action = '{}'", action.as_str());
    count(db, &sql).await
}

both_dbs!(places_are_applied_edited_and_removed_with_audit, |db| {
    let services = Services::new(db.clone());
    let configured = [place(Some(3), None)];
    assert_eq!(
        services
            .places
            .apply_config(&configured)
            .await
            .expect("apply"),
        1
    );
    assert_eq!(
        services
            .places
            .apply_config(&configured)
            .await
            .expect("again"),
        0,
        "the same file at the next start writes nothing"
    );
    assert_eq!(audited(&db, AuditAction::PlaceSaved).await, 1);

    let (_, member) = user_with_role(&services, 700, "member").await;
    let (_, admin) = user_with_role(&services, 701, "admin").await;
    assert!(matches!(
        services.places.list(&member).await,
        Err(CoreError::Forbidden(_))
    ));
    let bad = PlaceInput {
        telegram_chat: Some(-100_777),
        threshold: Some(0),
        movies: Some(-1),
        days: Some(30),
        ..PlaceInput::default()
    };
    let refused = services
        .places
        .save(&admin, &bad, Some(GROUP))
        .await
        .expect("answer");
    let fields: Vec<&str> = refused
        .expect_err("refused")
        .iter()
        .map(|p| p.field)
        .collect();
    assert_eq!(fields, ["threshold", "movies"]);
    assert_eq!(
        services.places.list(&admin).await.expect("list"),
        vec![place(Some(3), None)],
        "nothing partially saved"
    );

    // Moving the place to another chat replaces the old row in one go.
    let moved = PlaceInput {
        discord_guild: Some(4242),
        movies: Some(5),
        days: Some(7),
        ..PlaceInput::default()
    };
    let saved = services
        .places
        .save(&admin, &moved, Some(GROUP))
        .await
        .expect("save");
    let saved = saved.expect("valid");
    assert_eq!(saved.key, PlaceKey::DiscordGuild(4242));
    assert_eq!(
        services.places.list(&admin).await.expect("list"),
        vec![saved.clone()]
    );
    services
        .places
        .delete(&admin, saved.key)
        .await
        .expect("delete");
    assert!(matches!(
        services.places.delete(&admin, saved.key).await,
        Err(CoreError::NotFound(_))
    ));
    assert!(services.places.list(&admin).await.expect("list").is_empty());
    assert_eq!(audited(&db, AuditAction::PlaceSaved).await, 2);
    assert_eq!(audited(&db, AuditAction::PlaceRemoved).await, 2);
});

both_dbs!(
    a_place_budget_refuses_the_request_over_it_with_the_renewal_date,
    |db| {
        let services = Services::new(db.clone());
        let budget = Budget {
            movies: Some(2),
            seasons: Some(3),
            days: 30,
        };
        services
            .places
            .apply_config(&[place(None, Some(budget))])
            .await
            .expect("apply");
        let (_, alice) = user_with_role(&services, 710, "member").await;
        let (_, bob) = user_with_role(&services, 711, "member").await;
        let first = services
            .requests
            .create_at(&alice, movie(1, "One"), Some(GROUP))
            .await
            .expect("first");
        services
            .requests
            .create_at(&bob, movie(2, "Two"), Some(GROUP))
            .await
            .expect("second");
        let before = count(&db, "requests").await;
        let refused = services
            .requests
            .create_at(&bob, movie(3, "Three"), Some(GROUP))
            .await;
        let Err(CoreError::BudgetExceeded(over)) = refused else {
            panic!("expected the budget refusal, got {refused:?}")
        };
        assert_eq!(over.used, 2);
        assert_eq!(over.limit, QuotaLimit { max: 2, days: 30 });
        assert_eq!(
            over.next_slot,
            Some(Timestamp(first.request.created_at.0 + 30 * DAY_MS)),
            "renews when the oldest counted request leaves the window"
        );
        assert_eq!(count(&db, "requests").await, before, "nothing written");
        // Elsewhere (a private chat, another group) the place's budget does not apply.
        services
            .requests
            .create(&bob, movie(3, "Three"))
            .await
            .expect("private");
        services
            .requests
            .create_at(&bob, movie(4, "Four"), Some(PlaceKey::TelegramChat(-5)))
            .await
            .expect("a chat without rules");

        // Seasons count one each: two fit, two more do not.
        services
            .requests
            .create_at(&alice, show(10, "Show", &[1, 2]), Some(GROUP))
            .await
            .expect("two seasons");
        let over = services
            .requests
            .create_at(&alice, show(11, "More", &[1, 2]), Some(GROUP))
            .await;
        assert!(
            matches!(over, Err(CoreError::BudgetExceeded(_))),
            "{over:?}"
        );
        services
            .requests
            .create_at(&alice, show(11, "More", &[1]), Some(GROUP))
            .await
            .expect("the third season fits");
    }
);

both_dbs!(
    votes_count_once_per_person_across_platforms_and_approve_at_the_threshold,
    |db| {
        let services = Services::new(db.clone());
        services
            .places
            .apply_config(&[place(Some(3), None)])
            .await
            .expect("apply");
        let (_, alice) = user_with_role(&services, 720, "member").await;
        let (bob_user, bob_tg) = user_with_role(&services, 721, "member").await;
        let (carol_user, carol) = user_with_role(&services, 722, "member").await;
        let (_, dave) = user_with_role(&services, 723, "member").await;
        // Bob links his Discord account: the same person on another platform.
        let discord = services
            .users
            .resolve(
                Platform::Discord,
                "9001",
                "bob",
                Registration::AutoRegister("member"),
            )
            .await
            .expect("discord user");
        let bob_dc = Actor::user(
            discord.id,
            Source::Discord {
                user: "9001".into(),
            },
        );
        let code = services.links.create_code(&bob_tg).await.expect("code");
        services
            .links
            .redeem(&bob_dc, &code.code)
            .await
            .expect("linked");
        let bob_dc = Actor::user(
            bob_user.id,
            Source::Discord {
                user: "9001".into(),
            },
        );

        let asked = services
            .requests
            .create_at(&alice, movie(50, "Wanted"), Some(GROUP))
            .await
            .expect("request");
        let id = asked.request.id;
        let own = services
            .requests
            .vote(&alice, id, Some(GROUP))
            .await
            .expect("own");
        assert_eq!(
            (own.kind, own.votes, own.threshold),
            (VoteKind::Requester, 1, Some(3))
        );
        let first = services
            .requests
            .vote(&bob_tg, id, Some(GROUP))
            .await
            .expect("bob");
        assert_eq!((first.kind, first.votes), (VoteKind::Counted, 2));
        let guild = Some(PlaceKey::DiscordGuild(1));
        let again = services
            .requests
            .vote(&bob_dc, id, guild)
            .await
            .expect("bob again");
        assert_eq!((again.kind, again.votes), (VoteKind::AlreadyVoted, 2));
        assert!(
            outbox::pending(&db, events::TOPIC_SUBMIT)
                .await
                .expect("outbox")
                .is_empty()
        );

        let last = services
            .requests
            .vote(&carol, id, Some(GROUP))
            .await
            .expect("carol");
        assert_eq!((last.kind, last.votes), (VoteKind::Approved, 3));
        assert_eq!(last.request.status, RequestStatus::Approved);
        let submit = outbox::pending(&db, events::TOPIC_SUBMIT)
            .await
            .expect("outbox");
        assert_eq!(submit.len(), 1, "goes to Radarr like an approval");
        assert!(submit[0].payload.contains(&format!("\"request_id\":{id}")));
        assert_eq!(audited(&db, AuditAction::RequestAutoApproved).await, 1);
        assert_eq!(audited(&db, AuditAction::RequestVoted).await, 2);
        let mut followers = requests::followers(&db, id).await.expect("followers");
        followers.sort_by_key(|u| u.0);
        assert_eq!(
            followers,
            vec![bob_user.id, carol_user.id],
            "voters are told when it lands"
        );

        let late = services
            .requests
            .vote(&dave, id, Some(GROUP))
            .await
            .expect("late");
        assert_eq!(late.kind, VoteKind::Closed);
        assert_eq!(late.request.status, RequestStatus::Approved);
        assert_eq!(count(&db, "request_votes").await, 2);
    }
);

both_dbs!(votes_without_a_threshold_only_count, |db| {
    let services = Services::new(db.clone());
    let (_, alice) = user_with_role(&services, 730, "member").await;
    let (_, bob) = user_with_role(&services, 731, "member").await;
    let asked = services
        .requests
        .create_at(&alice, movie(60, "Queue"), Some(GROUP))
        .await
        .expect("request");
    let voted = services
        .requests
        .vote(&bob, asked.request.id, Some(GROUP))
        .await
        .expect("vote");
    assert_eq!(
        (voted.kind, voted.votes, voted.threshold),
        (VoteKind::Counted, 2, None)
    );
    assert_eq!(voted.request.status, RequestStatus::Pending);
    let tally = crate::store::places::votes_of(&db, &[asked.request.id])
        .await
        .expect("tally");
    assert_eq!(tally.get(&asked.request.id), Some(&1));

    // The approvers' queue sorted by votes puts the wanted one first, though it is older.
    let (_, admin) = user_with_role(&services, 732, "admin").await;
    let newer = services
        .requests
        .create(&bob, movie(61, "Newer"))
        .await
        .expect("newer");
    let browse = crate::service::Browse {
        sort: crate::store::request_browse::RequestSort::Votes,
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let page = services
        .requests
        .browse(&admin, browse)
        .await
        .expect("browse");
    let order: Vec<_> = page.items.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![asked.request.id, newer.request.id]);
});

both_dbs!(mine_shows_what_is_left_of_the_quota_and_the_budget, |db| {
    let services = Services::new(db.clone());
    let system = Actor::system();
    let scope = QuotaScope {
        media_type: MediaType::Movie,
        four_k: false,
    };
    let weekly = QuotaLimit { max: 5, days: 7 };
    services
        .users
        .set_role_quota(&system, "member", scope, Some(weekly))
        .await
        .expect("quota");
    let budget = Budget {
        movies: Some(10),
        seasons: None,
        days: 30,
    };
    services
        .places
        .apply_config(&[place(None, Some(budget))])
        .await
        .expect("apply");
    let (_, alice) = user_with_role(&services, 740, "member").await;
    let (_, bob) = user_with_role(&services, 741, "member").await;
    let first = services
        .requests
        .create_at(&alice, movie(70, "Seen"), Some(GROUP))
        .await
        .expect("request");
    services
        .requests
        .create_at(&bob, movie(71, "Other"), Some(GROUP))
        .await
        .expect("bob");
    let at = first.request.created_at.0;

    let allowance = services
        .places
        .allowance(&alice, Some(GROUP))
        .await
        .expect("allowance");
    assert_eq!(allowance.personal.len(), 1, "only the limited counter");
    let own = allowance.personal[0];
    assert_eq!(
        (own.media_type, own.used, own.left()),
        (MediaType::Movie, 1, 4)
    );
    assert_eq!(own.renews, Some(Timestamp(at + 7 * DAY_MS)));
    assert_eq!(allowance.place.len(), 1);
    let shared = allowance.place[0];
    assert_eq!((shared.used, shared.left(), shared.limit.days), (2, 8, 30));
    assert_eq!(shared.renews, Some(Timestamp(at + 30 * DAY_MS)));

    let private = services
        .places
        .allowance(&alice, None)
        .await
        .expect("private");
    assert!(private.place.is_empty());
});
