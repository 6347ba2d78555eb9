//! The e-mail agent delivered for real, to the testkit's SMTP server, on both databases: an
//! event reaches the recipient with its subject and facts after a login with the sealed
//! password; a refused recipient or a dead server leaves the delivery in the outbox until the
//! server takes it; the Test button shows the server's own reply.

use serde_json::json;
use usher_testkit::FakeSmtp;

use super::agents::{agent_rows, eager, keys};
use super::harness::{both_dbs, movie, user_with_role};
use super::notify::fanout;
use crate::domain::Actor;
use crate::notify::agents::AgentNotifier;
use crate::service::{AgentService, NewAgent, Services, TestOutcome};
use crate::store::Db;

const TO: &str = "ops@example.org";

/// An e-mail agent for `port` on loopback, plain SMTP, logging in as `usher`.
fn mail_agent(name: &str, port: u16) -> NewAgent {
    NewAgent {
        name: name.into(),
        kind: "email".into(),
        target: TO.into(),
        events: String::new(),
        token: Some("smtp-password".into()),
        options: json!({
            "smtp_host": "127.0.0.1", "smtp_port": port, "tls": "none",
            "from": "usher@example.org", "username": "usher",
        }),
    }
}

/// Adds the agent, makes a request, fans it out; returns the notifier and the subject queued.
async fn one_queued_mail(db: &Db, port: u16) -> (AgentNotifier, String) {
    let services = Services::new(db.clone());
    let agents = AgentService::new(db.clone(), keys()).expect("service");
    agents
        .add(&Actor::system(), mail_agent("mail", port))
        .await
        .expect("add");
    let (_, ann) = user_with_role(&services, 11, "member").await;
    services
        .requests
        .create(&ann, movie(438631, "Dune"))
        .await
        .expect("request");
    fanout(db, &[]).try_run_once().await.expect("fan out");
    let rows = agent_rows(db).await;
    assert_eq!(rows.len(), 1, "one delivery for the one agent");
    let notifier = AgentNotifier::new(db.clone(), keys())
        .expect("notifier")
        .with_policy(eager());
    (notifier, rows[0].message.subject.clone())
}

both_dbs!(an_event_reaches_the_mailbox, |db| {
    let smtp = FakeSmtp::start().await;
    smtp.require_login("usher", "smtp-password");
    let (notifier, subject) = one_queued_mail(&db, smtp.port).await;
    notifier.try_run_once().await.expect("deliver");
    assert!(
        agent_rows(&db).await.is_empty(),
        "delivered, the row is done"
    );
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.login.as_deref(),
        Some("usher"),
        "logged in with the sealed password"
    );
    assert_eq!(mail.from, "usher@example.org");
    assert_eq!(mail.to, vec![TO.to_owned()]);
    assert_eq!(mail.header("To").as_deref(), Some(TO));
    assert_eq!(mail.header("Subject"), Some(format!("[Usher] {subject}")));
    let body = mail.body();
    assert!(body.starts_with(&subject), "{body}");
    for fact in [
        "Event: requested",
        "Title: Dune (2021)",
        "Requested by: user11",
        "Status: pending",
    ] {
        assert!(body.contains(fact), "{fact} in {body}");
    }
});

both_dbs!(a_refused_recipient_keeps_the_delivery, |db| {
    let smtp = FakeSmtp::start().await;
    smtp.refuse_recipient(TO);
    let (notifier, _) = one_queued_mail(&db, smtp.port).await;
    notifier.try_run_once().await.expect("first round");
    assert!(smtp.mails().is_empty(), "550: nothing taken");
    assert_eq!(
        agent_rows(&db).await.len(),
        1,
        "the delivery waits for a retry"
    );
    smtp.accept_all();
    notifier.try_run_once().await.expect("second round");
    assert_eq!(smtp.mails().len(), 1, "taken once the mailbox exists");
    assert!(agent_rows(&db).await.is_empty());
});

both_dbs!(a_dead_server_keeps_the_delivery, |db| {
    // A port nothing listens on, then a server coming up there.
    let port = {
        let probe = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        probe.local_addr().expect("addr").port()
    };
    let (notifier, _) = one_queued_mail(&db, port).await;
    notifier.try_run_once().await.expect("first round");
    assert_eq!(
        agent_rows(&db).await.len(),
        1,
        "unreachable: kept for later"
    );
    let smtp = FakeSmtp::start_on(port).await;
    notifier.try_run_once().await.expect("second round");
    assert_eq!(smtp.mails().len(), 1, "delivered once the server is back");
    assert!(agent_rows(&db).await.is_empty());
});

both_dbs!(the_test_button_mails_and_shows_the_reply, |db| {
    let smtp = FakeSmtp::start().await;
    let agents = AgentService::new(db.clone(), keys()).expect("service");
    let admin = Actor::system();
    agents
        .add(&admin, mail_agent("mail", smtp.port))
        .await
        .expect("add");
    match agents.test(&admin, "mail").await.expect("test") {
        TestOutcome::Answered(answer) => {
            assert_eq!(answer.status, 250);
            assert!(answer.smtp);
            assert!(answer.body.contains("queued"), "{}", answer.body);
        }
        TestOutcome::Failed(why) => panic!("{why}"),
    }
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].body().contains("Status: test"),
        "{}",
        mails[0].body()
    );
    smtp.refuse_recipient(TO);
    match agents.test(&admin, "mail").await.expect("test") {
        TestOutcome::Answered(answer) => assert_eq!(answer.status, 550),
        TestOutcome::Failed(why) => panic!("{why}"),
    }
    assert_eq!(smtp.mails().len(), 1, "the refused test took nothing");
});
