//! What every console module reads about the request it serves: the message catalogue, the
//! request's language, and the CSRF token the guard put in its extensions. Kept apart from the
//! page frame and the guards, so those can use it without importing each other in a circle.

use std::sync::OnceLock;

use axum::http::{HeaderMap, header};
use usher_core::i18n::{Catalog, FALLBACK};

/// The Fluent catalogue, parsed once per process.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().expect("embedded locales parse (tested)"))
}

/// The best language for a request from its `Accept-Language` header (for someone signed out,
/// or signed in without a stored choice).
pub fn request_language(headers: &HeaderMap) -> String {
    let value = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    accept_language(value).to_owned()
}

/// Ranges of one header weighed at most; a longer list is not a browser's.
const MAX_RANGES: usize = 32;

/// The catalogue language an `Accept-Language` value asks for most (RFC 9110 §12.5.4): ranges
/// by falling q-value, ties in header order, `q=0` never; each matched by tag, then by base
/// language (`fr-CA` → `fr`, `pt` → `pt-BR`). `*`, nothing that fits or a garbled header give
/// en-US.
pub fn accept_language(value: &str) -> &'static str {
    let mut wishes: Vec<(u16, &str)> = value
        .split(',')
        .take(MAX_RANGES)
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let mut weight = 1000;
            for param in parts {
                if let Some((name, value)) = param.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    weight = quality(value.trim())?;
                }
            }
            (weight > 0 && !tag.is_empty() && tag != "*").then_some((weight, tag))
        })
        .collect();
    // Stable: equal weights keep the header's order.
    wishes.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    wishes
        .into_iter()
        .find_map(|(_, tag)| catalog().matching(tag))
        .unwrap_or(FALLBACK)
}

/// A q-value (`1`, `0.8`, `0.125`) in thousandths; `None` when it is not one.
fn quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The token for this request, put in the request's extensions for templates to embed.
#[derive(Debug, Clone, Default)]
pub struct CsrfToken(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_wanted_language_the_console_speaks_wins() {
        let cases = [
            ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
            ("fr-CA", "fr"),
            ("pt", "pt-BR"),
            ("pt-PT,pt;q=0.9", "pt-BR"),
            ("es-419,es;q=0.9", "es"),
            ("de-AT", "de"),
            // q-values, not header order, decide; ties keep the order.
            ("en;q=0.5, it;q=0.9", "it"),
            ("ja, de;q=0.3, fr;q=0.4", "fr"),
            ("it, fr", "it"),
            // Nothing fits, or nothing is asked: en-US.
            ("ja, zh-CN;q=0.8", "en-US"),
            ("*", "en-US"),
            ("", "en-US"),
            ("fr;q=0, de;q=0.000", "en-US"),
            (",,;q=1, ;", "en-US"),
            ("fr;q=2, fr;q=abc, de;q=0.5", "de"),
            ("fr;q=1.000, de", "fr"),
            ("en-GB;q=0.9, de;q=0.8", "en-US"),
        ];
        for (header, expected) in cases {
            assert_eq!(accept_language(header), expected, "{header:?}");
        }
    }

    #[test]
    fn the_header_is_read_from_the_request() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_language(&headers), "en-US");
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "en;q=0.2, pt-BR".parse().expect("header"),
        );
        assert_eq!(request_language(&headers), "pt-BR");
    }

    #[test]
    fn q_values_are_read_to_the_thousandth() {
        assert_eq!(quality("1"), Some(1000));
        assert_eq!(quality("1.0"), Some(1000));
        assert_eq!(quality("0.8"), Some(800));
        assert_eq!(quality("0.125"), Some(125));
        assert_eq!(quality("0"), Some(0));
        assert_eq!(quality("1.5"), None);
        assert_eq!(quality("0.1234"), None);
        assert_eq!(quality("-1"), None);
    }
}
