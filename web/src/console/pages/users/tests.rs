//! The user and role pages render what they must: accounts, roles with the right grant/revoke
//! form, quota forms, the disable switch, the read-only role mapping.

use askama::Template;
use usher_core::domain::{
    Identity, Permission, Permissions, Platform, QuotaLimit, QuotaScope, Timestamp, User, UserId,
};
use usher_core::service::{RoleSummary, UserSummary};

use super::detail::UserPage;
use super::roles::RolesPage;
use super::{UserRow, UsersPage};
use crate::console::pages::requests::Choice;
use crate::console::pages::test_support::chrome;
use crate::console::pages_setup::RoleMapping;

fn summary(disabled: bool) -> UserSummary {
    UserSummary {
        user: User {
            id: UserId(12),
            display_name: "<Alice>".into(),
            disabled,
            locale: None,
            created_at: Timestamp(1_700_000_000_000),
        },
        identities: vec![Identity {
            user_id: UserId(12),
            platform: Platform::Telegram,
            external_id: "4242".into(),
            display: "alice_tg".into(),
        }],
        roles: vec!["member".into()],
        quotas: vec![(QuotaScope::ALL[0], QuotaLimit { max: 3, days: 7 })],
        requests: 5,
        following: 2,
    }
}

fn roles() -> Vec<RoleSummary> {
    [
        (
            "member",
            &[Permission::RequestMovie, Permission::RequestTv][..],
        ),
        ("admin", &[Permission::Admin][..]),
    ]
    .into_iter()
    .map(|(name, perms)| RoleSummary {
        name: name.into(),
        permissions: Permissions::of(perms),
        builtin: true,
        members: 1,
        quotas: Vec::new(),
    })
    .collect()
}

#[test]
fn the_user_list_shows_accounts_roles_and_counts() {
    let chrome = chrome("en-US", false, true);
    let page = UsersPage {
        rows: vec![UserRow::new(&chrome, &summary(true))],
        search: "ali".into(),
        roles: vec![
            Choice::new("", "Any role".into(), Some("approver")),
            Choice::new("approver", "approver".into(), Some("approver")),
        ],
        filtered: true,
        next_url: Some("/users?q=ali&after=12".into()),
        first_url: None,
        form: Default::default(),
        chrome,
    };
    let html = page.render().expect("render");
    assert!(html.contains("&#60;Alice&#62;") && !html.contains("<Alice>"));
    assert!(html.contains("Telegram: alice_tg"));
    assert!(
        html.contains("<option value=\"approver\" selected>approver</option>"),
        "the role filter keeps its choice"
    );
    assert!(html.contains("title=\"4242\""));
    assert!(html.contains("Movies: 3 per 7 days"), "{html}");
    assert!(html.contains("<a href=\"/requests?requester=12\">5</a>"));
    assert!(html.contains(">disabled<"));
    assert!(html.contains("value=\"ali\""));
    assert!(html.contains("href=\"/users?q=ali&#38;after=12\""));
}

#[test]
fn the_user_page_offers_grant_revoke_quotas_and_the_switch() {
    let page = UserPage::new(
        chrome("en-US", false, true),
        &summary(false),
        &roles(),
        UserId(1),
    );
    let html = page.render().expect("render");
    let post = |action: &str| {
        html.matches(&format!("action=\"/users/12/{action}\""))
            .count()
            + html
                .matches(&format!("name=\"do\" value=\"/users/12/{action}\""))
                .count()
    };
    assert_eq!(post("roles"), 2);
    assert_eq!(post("quota"), 4, "one form per counter");
    assert_eq!(post("disabled"), 1);
    assert!(
        html.contains("name=\"action\" value=\"revoke\""),
        "member is held"
    );
    assert!(
        html.contains("name=\"action\" value=\"grant\""),
        "admin is not"
    );
    assert!(html.contains("name=\"disabled\" value=\"true\""));
    assert!(
        html.contains("value=\"clear\""),
        "the movie quota can be cleared"
    );
    assert!(html.contains("from roles"));
    assert_eq!(
        html.matches("method=\"post\"").count(),
        html.matches("name=\"_csrf\" value=\"csrf-token\"").count()
    );
    assert!(!html.contains("This is your own account."));

    let own = UserPage::new(
        chrome("de", false, true),
        &summary(true),
        &roles(),
        UserId(12),
    );
    let html = own.render().expect("render");
    assert!(html.contains("name=\"disabled\" value=\"false\""));
    assert!(html.contains("Konto entsperren"), "{html}");
}

#[test]
fn the_roles_page_edits_quotas_and_shows_the_mapping_read_only() {
    let mut all = roles();
    all[0].quotas = vec![(QuotaScope::ALL[1], QuotaLimit { max: 10, days: 30 })];
    let mapping = [RoleMapping {
        kind: "discord-role",
        value: "998877".into(),
        role: "admin",
    }];
    let page = RolesPage::with_grants(chrome("en-US", false, true), &all, &mapping, &[], &[]);
    let html = page.render().expect("render");
    assert_eq!(html.matches("action=\"/roles/member/quota\"").count(), 4);
    assert!(html.contains("10 per 30 days"));
    assert!(html.contains("no limit"));
    assert!(html.contains("Discord role") && html.contains("998877"));
    assert!(html.contains("request") && html.contains("everything"));
    let none = RolesPage::with_grants(chrome("de", false, true), &all, &[], &[], &[]);
    assert!(
        none.render()
            .expect("render")
            .contains("Keine Plattform-Regeln")
    );
}

#[test]
fn a_link_code_just_made_is_shown_once_with_how_to_use_it() {
    let mut page = UserPage::new(
        chrome("en-US", false, true),
        &summary(false),
        &roles(),
        UserId(1),
    );
    let html = page.render().expect("render");
    assert!(html.contains("action=\"/users/12/link-code\""));
    assert!(
        !html.contains("class=\"link-code\""),
        "no code until one is made"
    );
    page.issued = Some(super::IssuedCode {
        code: "AB23CD45".into(),
        minutes: "10".into(),
    });
    let html = page.render().expect("render");
    assert!(
        html.contains("<code class=\"link-code\">AB23CD45</code>"),
        "{html}"
    );
    assert!(html.contains("within 10 minutes"), "{html}");
    assert!(html.contains("<code>/link AB23CD45</code>"), "{html}");

    let list = UsersPage {
        rows: Vec::new(),
        search: String::new(),
        roles: Vec::new(),
        filtered: false,
        next_url: None,
        first_url: None,
        form: Default::default(),
        chrome: chrome("de", false, true),
    };
    let html = list.render().expect("render");
    assert!(html.contains("action=\"/users/invite\""));
    assert!(html.contains("Als Mitglied einladen"), "{html}");
    assert!(html.contains("name=\"_csrf\" value=\"csrf-token\""));
}
