//! What `/mine`, `/cancel`, `/pending` and a Request button do, once for both platforms: call
//! core as the actor and say the outcome in the actor's language. Each platform only parses its own input and
//! sends the text (or, for `/pending`, renders the cards its own way).

use usher_core::CoreResult;
use usher_core::domain::{Actor, MediaType, PlaceKey, Request, RequestId, RequestStatus, TmdbId};
use usher_core::i18n::Catalog;
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::{NewRequest, Services};
use usher_core::store::requests::RequestFilter;

use crate::callback::SeasonPick;

pub mod allowance;
pub mod episodes;
pub mod search;
pub mod votes;

/// `/mine`: what is left of the caller's quota and, asked from a place (a group chat or
/// server), of its shared budget; then their latest requests, one line each with its status.
pub async fn mine(
    services: &Services,
    catalog: &Catalog,
    lang: &str,
    actor: &Actor,
    place: Option<PlaceKey>,
) -> String {
    match services.mine_at(actor, LIST_LIMIT, place).await {
        Ok(view) => {
            let allowance = allowance::render(catalog, lang, &view.allowance);
            let rows = mine_rows(catalog, lang, &view.rows);
            allowance
                .into_iter()
                .chain([rows])
                .collect::<Vec<_>>()
                .join("\n\n")
        }
        Err(error) => catalog.error_text(lang, &error),
    }
}

/// The request lines of `/mine`.
fn mine_rows(catalog: &Catalog, lang: &str, rows: &[usher_core::service::MineRow]) -> String {
    match rows {
        [] => catalog.text(lang, "bot-mine-empty", &[]),
        rows => rows
            .iter()
            .map(|row| {
                let r = &row.request;
                let status = catalog.text(lang, &format!("status-{}", r.status.as_str()), &[]);
                let args = [
                    ("id", r.id.0.to_string()),
                    ("title", r.media.title.clone()),
                    ("status", status),
                ];
                let line = catalog.text(lang, "bot-mine-line", &args);
                match row.download {
                    Some(download) => format!("{line} {}", progress(catalog, lang, download)),
                    None => line,
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// "⬇️ 42 %, ~35 min" for a running download.
fn progress(catalog: &Catalog, lang: &str, download: usher_core::domain::Download) -> String {
    let percent = ("percent", download.percent().to_string());
    match download.minutes_left(usher_core::domain::Timestamp::now()) {
        Some(minutes) => catalog.text(
            lang,
            "bot-mine-progress-eta",
            &[percent, ("minutes", minutes.to_string())],
        ),
        None => catalog.text(lang, "bot-mine-progress", &[percent]),
    }
}

/// How many rows `/mine` and `/pending` show.
pub const LIST_LIMIT: u32 = 10;

/// `/cancel <number>`: withdraws one of the caller's pending requests (core refuses anyone
/// else's).
pub async fn cancel(
    services: &Services,
    catalog: &Catalog,
    lang: &str,
    actor: &Actor,
    id: i64,
) -> String {
    match services.requests.cancel(actor, RequestId(id)).await {
        Ok(_) => catalog.text(lang, "bot-cancelled", &[("id", id.to_string())]),
        Err(error) => catalog.error_text(lang, &error),
    }
}

/// The request a Request button asks for, looked up fresh on TMDB (the button carries only the
/// id and the pick): for a show, the picked seasons and, when asked, the seasons to come.
pub async fn new_request(
    tmdb: &TmdbClient,
    media: MediaType,
    tmdb_id: u32,
    four_k: bool,
    pick: SeasonPick,
) -> CoreResult<NewRequest> {
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let mut new = tmdb
        .new_request(media, id, crate::callback::season_choice(pick), four_k)
        .await?;
    new.future_seasons = media == MediaType::Tv && pick.future;
    Ok(new)
}

/// Reads a request number as people type it: `12` or `#12`.
pub fn request_number(arg: &str) -> Option<i64> {
    arg.trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
}

/// `/pending`: up to `limit` requests waiting for approval, oldest page first as core lists
/// them (approvers see everyone's; core shows members only their own).
pub async fn pending(
    services: &Services,
    actor: &Actor,
    limit: u32,
) -> usher_core::CoreResult<Vec<Request>> {
    let filter = RequestFilter {
        statuses: vec![RequestStatus::Pending],
        ..RequestFilter::default()
    };
    let page = services.requests.list(actor, filter, None, limit).await?;
    Ok(page.items)
}

#[cfg(test)]
mod tests {
    use super::request_number;

    #[test]
    fn request_numbers_as_people_type_them() {
        assert_eq!(request_number("12"), Some(12));
        assert_eq!(request_number(" #7 "), Some(7));
        assert_eq!(request_number("0"), None);
        assert_eq!(request_number("dune"), None);
        assert_eq!(request_number(""), None);
    }
}
