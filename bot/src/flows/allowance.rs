//! `/mine`'s first lines, for both platforms: what is left of the caller's own quota and of
//! the place's shared budget, and when each renews (the oldest counted request leaves the
//! window). Nothing is shown for what is unlimited.

use usher_core::domain::MediaType;
use usher_core::i18n::Catalog;
use usher_core::service::{Allowance, AllowanceLine};

/// The quota block and the budget block, each present only when something is limited.
pub fn render(catalog: &Catalog, lang: &str, allowance: &Allowance) -> Vec<String> {
    [
        ("bot-allowance-personal", &allowance.personal),
        ("bot-allowance-place", &allowance.place),
    ]
    .into_iter()
    .filter(|(_, lines)| !lines.is_empty())
    .map(|(head, lines)| {
        let mut block = vec![catalog.text(lang, head, &[])];
        block.extend(lines.iter().map(|line| render_line(catalog, lang, *line)));
        block.join("\n")
    })
    .collect()
}

/// "Movies: 3 of 5 left per 7 days, renews 2026-12-13T10:00:00Z".
fn render_line(catalog: &Catalog, lang: &str, line: AllowanceLine) -> String {
    let kind = match line.media_type {
        MediaType::Movie => "bot-allowance-movies",
        MediaType::Tv => "bot-allowance-seasons",
    };
    let args = [
        ("kind", catalog.text(lang, kind, &[])),
        ("left", line.left().to_string()),
        ("max", line.limit.max.to_string()),
        ("days", line.limit.days.to_string()),
    ];
    let text = catalog.text(lang, "bot-allowance-line", &args);
    match line.renews {
        Some(when) => {
            let when = [("when", when.to_rfc3339())];
            format!(
                "{text} {}",
                catalog.text(lang, "bot-allowance-renews", &when)
            )
        }
        None => text,
    }
}
