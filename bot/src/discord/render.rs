//! Discord rendering kept inside Discord's limits (discord-api-docs, see PROTOCOLS.md): every
//! text is clipped to its field's limit here, so a long TMDB overview or title can never make
//! Discord refuse a whole answer with a 400.

use serenity::builder::{
    AutocompleteChoice, CreateActionRow, CreateAutocompleteResponse, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseMessage,
};
use serenity::model::application::ButtonStyle;
use usher_core::domain::TmdbId;
use usher_core::integrations::tmdb::SearchHit;

/// Message content limit.
pub const MAX_CONTENT: usize = 2000;
/// Autocomplete choices per answer.
pub const MAX_CHOICES: usize = 25;
/// Characters in a choice name (and value).
pub const MAX_CHOICE_NAME: usize = 100;
/// Characters in an embed title.
pub const MAX_EMBED_TITLE: usize = 256;
/// Characters in an embed description.
pub const MAX_EMBED_DESCRIPTION: usize = 4096;
/// Characters in an embed footer.
pub const MAX_EMBED_FOOTER: usize = 2048;
/// Characters in a button label.
pub const MAX_BUTTON_LABEL: usize = 80;
/// Characters in a `custom_id`.
pub const MAX_CUSTOM_ID: usize = 100;
/// How much of an overview a card shows: a card is a teaser, not the synopsis page.
const OVERVIEW_CHARS: usize = 1000;

/// Cuts `text` to at most `max` characters (not bytes), ending with "…" when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// "Dune (2021)", or just the title when the year is unknown.
pub fn title_with_year(title: &str, year: Option<u16>) -> String {
    match year {
        Some(year) => format!("{title} ({year})"),
        None => title.to_owned(),
    }
}

/// The prefix that marks an option value as an autocomplete choice (a TMDB id) rather than
/// text the member typed: "1917" typed is a search for the film *1917*, `tmdb:530915` is a pick.
pub const CHOICE_PREFIX: &str = "tmdb:";

/// The value of an autocomplete choice for a TMDB id (`tmdb:438631`).
pub fn choice_value(id: TmdbId) -> String {
    format!("{CHOICE_PREFIX}{}", id.get())
}

/// The TMDB id an option value names, if it is an autocomplete choice; free text (numbers
/// included) is `None` and gets searched as a title.
pub fn chosen_id(value: &str) -> Option<TmdbId> {
    let digits = value.trim().strip_prefix(CHOICE_PREFIX)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    TmdbId::parse(digits.parse().ok()?).ok()
}

/// Up to 25 autocomplete choices: the name shows title and year, then what `mark` says of the
/// hit (the library index's "✅ Available"…), the value is the marked TMDB id
/// ([`choice_value`]) the command then looks up.
pub fn choices(
    hits: &[SearchHit],
    mark: impl Fn(&SearchHit) -> Option<String>,
) -> CreateAutocompleteResponse {
    let choices = hits
        .iter()
        .take(MAX_CHOICES)
        .map(|hit| {
            AutocompleteChoice::new(
                choice_name(&title_with_year(&hit.title, hit.year), mark(hit).as_deref()),
                choice_value(hit.tmdb_id),
            )
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// "Dune (2021) · ✅ Available": the title clipped so the mark always fits in a choice name.
pub fn choice_name(title: &str, mark: Option<&str>) -> String {
    match mark {
        Some(mark) => {
            let room = MAX_CHOICE_NAME.saturating_sub(mark.chars().count() + 3);
            format!("{} · {mark}", clip(title, room))
        }
        None => clip(title, MAX_CHOICE_NAME),
    }
}

/// A title as a card shows it.
#[derive(Debug, Clone)]
pub struct TitleView {
    /// Display title.
    pub title: String,
    /// Release or first-air year.
    pub year: Option<u16>,
    /// Synopsis (clipped here).
    pub overview: String,
    /// Full poster URL.
    pub poster_url: Option<String>,
}

/// The embed for a title: title with year, overview, poster.
pub fn title_embed(view: &TitleView) -> CreateEmbed {
    let mut embed = CreateEmbed::new().title(clip(
        &title_with_year(&view.title, view.year),
        MAX_EMBED_TITLE,
    ));
    // Discord refuses an empty description, and TMDB has no overview for some titles.
    if !view.overview.trim().is_empty() {
        embed = embed.description(clip(
            &view.overview,
            OVERVIEW_CHARS.min(MAX_EMBED_DESCRIPTION),
        ));
    }
    if let Some(url) = &view.poster_url {
        embed = embed.thumbnail(url);
    }
    embed
}

/// A button with a signed id and a clipped label.
pub fn button(custom_id: String, label: &str, style: ButtonStyle) -> CreateButton {
    CreateButton::new(custom_id)
        .label(clip(label, MAX_BUTTON_LABEL))
        .style(style)
}

/// An approver card: the title, who asked, and Approve / Decline.
pub fn approver_card(
    view: &TitleView,
    footer: &str,
    approve: (String, &str),
    decline: (String, &str),
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let embed = title_embed(view).footer(CreateEmbedFooter::new(clip(footer, MAX_EMBED_FOOTER)));
    let row = CreateActionRow::Buttons(vec![
        button(approve.0, approve.1, ButtonStyle::Success),
        button(decline.0, decline.1, ButtonStyle::Danger),
    ]);
    (embed, vec![row])
}

/// Characters in an embed field's name.
pub const MAX_FIELD_NAME: usize = 256;
/// Characters in an embed field's value.
pub const MAX_FIELD_VALUE: usize = 1024;
/// How much of an upstream's message a failed card shows (before escaping, which may double
/// it): the card is a notice, not a log, and must stay within a field's value.
pub const MAX_FAILURE_MESSAGE: usize = 400;

/// `text` with Discord's markdown characters escaped, so an upstream's words ("**", "_", a
/// `<@id>` mention, a `[masked](link)`) show as they were written instead of formatting the card.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '-' | '[' | ']' | '(' | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Shortens `text` to `max` characters, then escapes it: what goes into a failed card from
/// the upstream.
pub fn fit_markdown(text: &str, max: usize) -> String {
    escape_markdown(&clip(text, max))
}

/// The card of a request that failed: the title embed, the upstream's answer to the last
/// attempt and the circuit breaker as two fields, the footer (number, requester, attempts),
/// and Retry / Decline.
pub fn failed_card(
    view: &TitleView,
    fields: [(&str, &str); 2],
    footer: &str,
    retry: (String, &str),
    decline: (String, &str),
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let mut embed = title_embed(view);
    for (name, value) in fields {
        embed = embed.field(
            clip(name, MAX_FIELD_NAME),
            clip(value, MAX_FIELD_VALUE),
            false,
        );
    }
    let embed = embed.footer(CreateEmbedFooter::new(clip(footer, MAX_EMBED_FOOTER)));
    let row = CreateActionRow::Buttons(vec![
        button(retry.0, retry.1, ButtonStyle::Primary),
        button(decline.0, decline.1, ButtonStyle::Danger),
    ]);
    (embed, vec![row])
}

/// The approver card once decided: the card's embed with the outcome and actor as footer, and
/// no buttons left to press.
pub fn decided_card(base: CreateEmbed, outcome: &str) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embed(base.footer(CreateEmbedFooter::new(clip(outcome, MAX_EMBED_FOOTER))))
        .components(vec![])
}

pub mod card;
#[cfg(test)]
mod tests;
