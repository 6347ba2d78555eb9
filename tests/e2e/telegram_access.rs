//! Who may use the Telegram bot. With `USHER_TELEGRAM_REGISTRATION=refuse` a stranger's
//! commands, plain text, button presses and inline queries change nothing and are told how to get
//! in; an admin invites them in the console, which shows a one-time code once, and after
//! `/link CODE` the stranger searches and requests like any member.

use serde_json::Value;
use usher_testkit::telegram::{FakeTelegram, TgUser};

use crate::support::console_session::sign_in;
use crate::support::temp_dir;
use crate::telegram::{WAIT, approver_card, button, buttons, press, start_with, text_of};

const REFUSED: &str = "You are not registered here yet.";

/// Sends `text` as `user` and returns the bot's next message in their chat.
async fn ask(fake: &FakeTelegram, user: &TgUser, text: &str) -> Value {
    let before = fake.messages_in(user.id).len();
    fake.send_private(user, text);
    fake.wait_for(WAIT, |f| f.messages_in(user.id).into_iter().nth(before))
        .await
        .unwrap_or_else(|| panic!("no answer to {text:?}: {:?}", fake.calls()))
}

/// The one-time code on a console page, between `<code class="link-code">` and `</code>`.
fn code_on(page: &str) -> String {
    let start = page
        .find("<code class=\"link-code\">")
        .map(|at| at + "<code class=\"link-code\">".len())
        .unwrap_or_else(|| panic!("no code on the page: {page}"));
    let end = page[start..].find("</code>").expect("code ends") + start;
    page[start..end].to_owned()
}

#[tokio::test]
async fn strangers_are_refused_until_they_link_a_code_from_the_console() {
    let fake = FakeTelegram::start().await;
    let tmdb = usher_testkit::tmdb::start().await;
    let (_keep, dir) = temp_dir();
    let server = start_with(
        &fake,
        &tmdb.url,
        &dir,
        &[("USHER_TELEGRAM_REGISTRATION", "refuse")],
    )
    .await;

    // A command, plain text, and a deep link without a code: each gets the way in, in the
    // stranger's own language.
    let carl = TgUser::new(400, "Carl");
    let refused = ask(&fake, &carl, "/movie dune").await;
    assert!(text_of(&refused).starts_with(REFUSED), "{refused}");
    assert!(text_of(&refused).contains("/link CODE"), "{refused}");
    let refused = ask(&fake, &carl, "dune").await;
    assert!(text_of(&refused).starts_with(REFUSED), "{refused}");
    let mut lea = TgUser::new(401, "Léa");
    lea.language_code = "fr".into();
    let refused = ask(&fake, &lea, "/start").await;
    assert!(
        text_of(&refused).starts_with("Tu n’es pas encore inscrit ici."),
        "{refused}"
    );
    assert!(buttons(&refused).is_empty());

    // A Request button from the admin's card: the stranger's press is answered with an alert
    // and requests nothing; an inline query gets no results.
    let boss = TgUser::new(100, "boss");
    let card = ask(&fake, &boss, "/movie dune").await;
    let answer = press(&fake, &carl, &card, &button(&card, "Request")).await;
    assert!(answer.show_alert, "{answer:?}");
    assert!(
        answer
            .text
            .as_deref()
            .is_some_and(|t| t.starts_with("You are not registered here.")),
        "{answer:?}"
    );
    let query = fake.inline_query(&carl, "dune", "");
    let inline = fake
        .wait_inline_answer(&query, WAIT)
        .await
        .expect("answered");
    assert_eq!(inline["results"], serde_json::json!([]), "{inline}");

    // The admin invites Carl in the console: the page shows the code once, not in its URL.
    let admin = sign_in(&dir, "100", "boss", "admin").await;
    let invited = admin
        .post(&server.base_url, "/users/invite", &[("name", "Carl")])
        .await;
    assert_eq!(invited.status(), 200);
    assert_eq!(
        invited.headers()["cache-control"].to_str().ok(),
        Some("no-store")
    );
    let code = code_on(&invited.text().await.expect("page"));
    assert_eq!(code.len(), 8, "{code}");

    // Carl links with the code, then searches and requests; the approver card is request #1,
    // so the refused press made none.
    let linked = ask(&fake, &carl, &format!("/link {code}")).await;
    assert!(text_of(&linked).starts_with("Linked:"), "{linked}");
    let card = ask(&fake, &carl, "/movie dune").await;
    assert!(text_of(&card).starts_with("Dune"), "{card}");
    let answer = press(&fake, &carl, &card, &button(&card, "Request")).await;
    assert!(!answer.show_alert, "{answer:?}");
    let approver = approver_card(&fake).await;
    assert!(text_of(&approver).contains("#1"), "{approver}");
    assert!(text_of(&approver).contains("Carl"), "{approver}");
    // The code worked once; Léa cannot reuse it.
    let reused = ask(&fake, &lea, &format!("/start link-{code}")).await;
    assert!(text_of(&reused).starts_with("Ce code est faux"), "{reused}");
    assert!(server.stop().await.success());
}

#[tokio::test]
async fn an_unknown_registration_setting_stops_the_start_with_a_clear_error() {
    let (_keep, dir) = temp_dir();
    let output = crate::support::usher(&dir)
        .arg("check")
        .env("USHER_TELEGRAM_TOKEN", usher_testkit::telegram::TOKEN)
        .env("USHER_TELEGRAM_REGISTRATION", "nobody")
        .output()
        .await
        .expect("usher check");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("USHER_TELEGRAM_REGISTRATION") && said.contains("not one of member, refuse"),
        "{said}"
    );
}
