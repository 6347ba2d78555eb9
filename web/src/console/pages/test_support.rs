//! Ready-made values for the page tests: a frame, a request, a setup with instances.

use usher_core::domain::{
    Media, MediaType, Platform, Request, RequestId, RequestStatus, Seasons, Timestamp, TmdbId,
    UserId,
};

use crate::console::page::Chrome;
use crate::console::pages_setup::PagesSetup;

/// A frame for a signed-in reader.
pub fn chrome(lang: &str, approver: bool, admin: bool) -> Chrome {
    Chrome {
        lang: lang.into(),
        csrf: "csrf-token".into(),
        user: Some("Ada".into()),
        is_approver: approver || admin,
        is_admin: admin,
        here: String::new(),
    }
}

/// A request for `<Dune>` (a title that must be escaped) in the given status.
pub fn request(id: i64, status: RequestStatus, media_type: MediaType) -> Request {
    let tv = media_type == MediaType::Tv;
    Request {
        id: RequestId(id),
        media: Media {
            media_type,
            tmdb_id: TmdbId::parse(438_631).expect("id"),
            tvdb_id: None,
            title: "<Dune>".into(),
            year: Some(2021),
        },
        seasons: if tv {
            Seasons::new([1, 2])
        } else {
            Seasons::default()
        },
        episodes: Default::default(),
        future_seasons: false,
        four_k: tv,
        status,
        requested_by: UserId(3),
        source: Platform::Telegram,
        decided_by: None,
        decline_reason: None,
        comment: None,
        last_error: (status == RequestStatus::Failed).then(|| "radarr: not reachable".into()),
        failure: None,
        retry_count: 0,
        available_seasons: Seasons::default(),
        upstream: None,
        target_instance: None,
        target_profile: None,
        target_root_folder: None,
        target_tags: None,
        target_series_type: None,
        created_at: Timestamp(1_700_000_000_000),
        updated_at: Timestamp(1_700_000_000_000),
    }
}

/// A setup with two Radarr instances and one Sonarr.
pub fn setup() -> PagesSetup {
    PagesSetup {
        health: None,
        instances: vec![
            ("radarr", MediaType::Movie),
            ("radarr-4k", MediaType::Movie),
            ("sonarr", MediaType::Tv),
        ],
        role_mapping: Vec::new(),
    }
}
