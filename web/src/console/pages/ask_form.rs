//! The ask form of one title (`/requests/new/{type}/{id}`) as the page shows it: the seasons,
//! 4K when offered, and — for admins — the member picker, searched and paged on the server by
//! a plain GET form so it works without JavaScript. Everything the form holds travels in
//! [`AskFields`], read alike from the picker's query and from the ask's POST body, so a member
//! search keeps the seasons and 4K as they were, and a refused ask keeps the search.

use askama::Template;
use usher_core::domain::UserId;
use usher_core::service::{AskForm, AskHit, MemberPage, MemberQuery};

use super::requests::Choice;
use crate::console::form_state::FormState;
use crate::console::page::{Chrome, catalog};

/// A search result or the chosen title, as the pages show it.
#[derive(Debug, Clone)]
pub struct HitView {
    /// `Dune (2021)`.
    pub heading: String,
    /// "Movie" / "TV".
    pub kind: String,
    /// TMDB's synopsis.
    pub overview: String,
    /// The poster through the image proxy.
    pub poster: Option<String>,
    /// The title's ask form.
    pub url: String,
}

impl HitView {
    /// The hit as shown, its poster in TMDB's `size`.
    pub fn new(chrome: &Chrome, hit: &AskHit, size: &str) -> Self {
        let kind = hit.media_type.as_str();
        Self {
            heading: match hit.year {
                Some(year) => format!("{} ({year})", hit.title),
                None => hit.title.clone(),
            },
            kind: chrome.t(&format!("console-type-{kind}")),
            overview: hit.overview.clone(),
            poster: hit.poster.as_ref().map(|f| format!("/img/tmdb/{size}/{f}")),
            url: format!("/requests/new/{kind}/{}", hit.tmdb),
        }
    }
}

/// The fields of the ask form and its member picker, as submitted (raw: core checks them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AskFields {
    /// The ticked seasons as sent; `None` when the form was never submitted (all ticked).
    pub seasons: Option<Vec<String>>,
    /// 4K ticked.
    pub four_k: bool,
    /// The member picked (`""`: the caller).
    pub member: String,
    /// The member search.
    pub who: String,
    /// The picker's page: continue after this user id.
    pub after: Option<String>,
    /// The note for the approvers, as typed.
    pub note: String,
}

impl AskFields {
    /// Reads the pairs of a query string or form body. `kept` marks a submitted season list,
    /// so "none ticked" differs from "never submitted".
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        let ticked: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "season")
            .map(|(_, v)| v.trim().to_owned())
            .collect();
        let kept = get("kept").is_some() || !ticked.is_empty();
        Self {
            seasons: kept.then_some(ticked),
            four_k: get("four_k").is_some_and(|v| !v.is_empty()),
            member: get("member").unwrap_or_default(),
            who: get("who").unwrap_or_default(),
            after: get("after").filter(|a| !a.is_empty()),
            note: get("note").unwrap_or_default(),
        }
    }

    /// The member query for core; a cursor that is no user id starts from the first page.
    pub fn member_query(&self) -> MemberQuery {
        MemberQuery {
            search: self.who.clone(),
            after: self
                .after
                .as_deref()
                .and_then(|a| a.parse().ok())
                .map(UserId),
        }
    }

    /// The title's address with the seasons, 4K and search as they are, on page `after`.
    fn link(&self, action: &str, who: &str, after: Option<UserId>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("kept", "1");
        for season in self.seasons.iter().flatten() {
            query.append_pair("season", season);
        }
        if self.four_k {
            query.append_pair("four_k", "1");
        }
        if !who.is_empty() {
            query.append_pair("who", who);
        }
        if let Some(after) = after {
            query.append_pair("after", &after.to_string());
        }
        format!("{action}?{}", query.finish())
    }
}

/// One season's checkbox.
#[derive(Debug, Clone)]
pub struct SeasonBox {
    /// Season number.
    pub number: u16,
    /// "Season 1 · 8 episodes".
    pub label: String,
    /// Ticked.
    pub checked: bool,
}

/// The member picker of an admin's ask form.
#[derive(Debug, Clone)]
pub struct MemberFinder {
    /// The search as typed.
    pub search: String,
    /// "Myself", then the members on this page.
    pub options: Vec<Choice>,
    /// Whether the search found nobody (so the page says so).
    pub none: bool,
    /// More match: the next page (the page also asks to refine the search).
    pub next_url: Option<String>,
    /// Back to everyone / the first page, when searched or paged.
    pub reset_url: Option<String>,
}

/// The ask form for one title.
#[derive(Template)]
#[template(path = "console/ask_title.html")]
pub struct AskTitlePage {
    /// Frame.
    pub chrome: Chrome,
    /// The title.
    pub title: HitView,
    /// Where the form posts (and the picker searches).
    pub action: String,
    /// Seasons to pick (shows).
    pub seasons: Vec<SeasonBox>,
    /// Offer 4K.
    pub four_k: bool,
    /// 4K ticked.
    pub four_k_checked: bool,
    /// The member picker (admins only; others ask for themselves).
    pub members: Option<MemberFinder>,
    /// The form's fields as they are, carried through the picker's search.
    pub fields: AskFields,
    /// A refused ask, beside its field.
    pub form: FormState,
}

impl AskTitlePage {
    /// The page for what core answered, with the fields as submitted and any refusal.
    pub fn new(chrome: Chrome, action: String, found: &AskForm, fields: AskFields) -> Self {
        let seasons = found
            .title
            .seasons
            .iter()
            .map(|s| SeasonBox {
                number: s.number,
                label: catalog().text(
                    &chrome.lang,
                    "console-ask-season",
                    &[
                        ("name", s.name.clone()),
                        ("episodes", chrome.num(u64::from(s.episodes))),
                    ],
                ),
                checked: fields
                    .seasons
                    .as_ref()
                    .is_none_or(|t| t.contains(&s.number.to_string())),
            })
            .collect();
        let members = found
            .members
            .as_ref()
            .map(|page| finder(&chrome, &action, page, &fields));
        Self {
            title: HitView::new(&chrome, &found.title.hit, "w185"),
            seasons,
            four_k: found.four_k,
            four_k_checked: found.four_k && fields.four_k,
            members,
            action,
            fields,
            form: FormState::default(),
            chrome,
        }
    }

    /// The same page with a refused ask on it.
    #[must_use]
    pub fn refused(mut self, form: FormState) -> Self {
        self.form = form;
        self
    }
}

fn finder(chrome: &Chrome, action: &str, page: &MemberPage, fields: &AskFields) -> MemberFinder {
    let member = Some(fields.member.as_str());
    let options = std::iter::once(Choice::new("", chrome.t("console-ask-for-me"), member))
        .chain(
            page.members
                .iter()
                .map(|(id, name)| Choice::new(&id.to_string(), format!("{name} (#{id})"), member)),
        )
        .collect();
    let moved = !fields.who.is_empty() || fields.after.is_some();
    MemberFinder {
        search: fields.who.clone(),
        options,
        none: page.members.is_empty() && !fields.who.is_empty(),
        next_url: page.next.map(|n| fields.link(action, &fields.who, Some(n))),
        reset_url: moved.then(|| fields.link(action, "", None)),
    }
}
