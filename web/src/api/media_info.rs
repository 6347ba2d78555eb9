//! Seerr's `mediaInfo`: what Usher knows of a title on a TMDB page (its newest request, what the
//! library holds), so clients show "Requested" or "Available" as they do with Seerr. Sent only
//! when Usher knows the title, as Seerr has a media row only then. On a title's own page
//! (`GET /movie/{id}`, `GET /tv/{id}`) it also lists every request for the title, as Seerr's
//! does (`requests`, each without its `media`); lists of titles leave `requests` out, as Seerr's.

use serde::Serialize;
use usher_core::domain::{Availability, MediaType};
use usher_core::service::api::{ApiRequests, ApiTitle, TitleFacts};
use utoipa::ToSchema;

use super::shapes::{SeerrRequest, iso, media_code};

/// Seerr's media status: 5 available.
const AVAILABLE: u8 = 5;
/// Seerr's media status: 4 partly available.
const PARTLY: u8 = 4;
/// Seerr's media status: 1 unknown.
const UNKNOWN: u8 = 1;

/// One season's status in `mediaInfo.seasons`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaSeason {
    /// The season number, as an id.
    pub id: i64,
    /// The season number.
    pub season_number: u16,
    /// Seerr's media status of the season.
    pub status: u8,
    /// Seerr's 4K status; Usher tracks 4K as its own request.
    pub status4k: u8,
}

/// Seerr's `MediaInfo` for a title on a TMDB page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaInfoBody {
    /// The newest request's id (what `POST /issue` takes as `mediaId`); left out when only the
    /// library holds the title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// `movie` or `tv`.
    pub media_type: &'static str,
    /// TMDB id.
    pub tmdb_id: i64,
    /// TVDB id (nullable in Seerr's spec).
    pub tvdb_id: Option<i64>,
    /// 1 unknown, 2 pending, 3 processing, 4 partly available, 5 available.
    pub status: u8,
    /// Seerr's 4K status.
    pub status4k: u8,
    /// Seasons Usher knows something of (shows).
    pub seasons: Vec<MediaSeason>,
    /// Every request for the title, oldest first (on the title's own page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests: Option<Vec<SeerrRequest>>,
    /// When the newest request was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

impl MediaInfoBody {
    /// The `mediaInfo` of a title Usher knows.
    pub fn new(media_type: MediaType, tmdb_id: i64, facts: &TitleFacts) -> Self {
        let requested = facts.request.as_ref().map(|r| media_code(r.status));
        let status = match &facts.library {
            Availability::Full => AVAILABLE,
            Availability::Partial(_) => requested.map_or(PARTLY, |code| code.max(PARTLY)),
            Availability::None => requested.unwrap_or(UNKNOWN),
        };
        let mut seasons: Vec<MediaSeason> = Vec::new();
        if media_type == MediaType::Tv {
            if let (Some(request), Some(code)) = (&facts.request, requested) {
                seasons.extend(request.seasons.iter().map(|n| MediaSeason {
                    id: i64::from(n),
                    season_number: n,
                    status: code,
                    status4k: UNKNOWN,
                }));
            }
            for n in facts.seasons_held.iter() {
                match seasons.iter_mut().find(|s| s.season_number == n) {
                    Some(season) => season.status = AVAILABLE,
                    None => seasons.push(MediaSeason {
                        id: i64::from(n),
                        season_number: n,
                        status: AVAILABLE,
                        status4k: UNKNOWN,
                    }),
                }
            }
            seasons.sort_by_key(|s| s.season_number);
        }
        let kind = match media_type {
            MediaType::Movie => "movie",
            MediaType::Tv => "tv",
        };
        Self {
            id: facts.request.as_ref().map(|r| r.id.0),
            media_type: kind,
            tmdb_id,
            tvdb_id: facts
                .request
                .as_ref()
                .and_then(|r| r.media.tvdb_id)
                .map(|t| i64::from(t.get())),
            status,
            status4k: UNKNOWN,
            seasons,
            requests: None,
            created_at: facts.request.as_ref().map(|r| iso(r.created_at)),
            updated_at: facts.request.as_ref().map(|r| iso(r.updated_at)),
        }
    }

    /// The `mediaInfo` of a title's own page, listing its requests; `None` when Usher knows
    /// nothing of the title.
    pub fn of_page<D>(media_type: MediaType, tmdb_id: i64, page: &ApiTitle<D>) -> Option<Self> {
        let facts = page.facts.as_ref()?;
        Some(Self::new(media_type, tmdb_id, facts).with_requests(&page.requests))
    }

    /// The same, listing the title's requests.
    fn with_requests(mut self, found: &ApiRequests) -> Self {
        let requests = found.items.iter().map(|r| {
            let mut shape = SeerrRequest::new(r, &found.people);
            shape.media = None;
            shape
        });
        self.requests = Some(requests.collect());
        self
    }
}
