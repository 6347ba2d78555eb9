//! Cards as both platforms' render tests use them: a movie and a show as TMDB describes them,
//! a member's offer, someone's open request, the catalogue and a codec.

use usher_core::domain::{
    Availability, Media, MediaType, Platform, Request, RequestId, RequestStatus, Seasons,
    Timestamp, TmdbId, UserId,
};
use usher_core::i18n::Catalog;
use usher_core::service::TitleOffer;

use super::card::TitleView;
use crate::callback::CallbackCodec;

pub(crate) fn catalog() -> Catalog {
    Catalog::embedded().expect("locales parse")
}

pub(crate) fn codec() -> CallbackCodec {
    CallbackCodec::new([9; 32], None)
}

pub(crate) fn movie() -> TitleView {
    TitleView {
        media_type: MediaType::Movie,
        tmdb_id: 438_631,
        title: "Dune".into(),
        year: Some(2021),
        rating: Some(7.8),
        runtime: Some(155),
        seasons: Vec::new(),
        overview: "Paul Atreides leads nomadic tribes in a battle for Arrakis.".into(),
        poster: url::Url::parse("https://image.tmdb.org/t/p/w500/d5NXSklXo0qyIYkgV94XAgMIckC.jpg")
            .ok(),
        held: Vec::new(),
    }
}

pub(crate) fn show(seasons: u16) -> TitleView {
    TitleView {
        media_type: MediaType::Tv,
        tmdb_id: 1429,
        title: "Attack on Titan".into(),
        year: Some(2013),
        rating: Some(8.7),
        runtime: None,
        seasons: (1..=seasons).collect(),
        overview: "Humanity lives behind walls.".into(),
        poster: None,
        held: Vec::new(),
    }
}

pub(crate) fn member() -> TitleOffer {
    TitleOffer {
        request: true,
        request_4k: false,
        follow: None,
        own: None,
        following: false,
        library: Availability::None,
        library_link: None,
        index: usher_core::service::IndexedOffer::default(),
    }
}

pub(crate) fn someones_request(id: i64, status: RequestStatus) -> Request {
    Request {
        id: RequestId(id),
        media: Media {
            media_type: MediaType::Movie,
            tmdb_id: TmdbId::parse(438_631).expect("id"),
            tvdb_id: None,
            title: "Dune".into(),
            year: Some(2021),
        },
        seasons: Seasons::new([]),
        episodes: Default::default(),
        future_seasons: false,
        four_k: false,
        status,
        requested_by: UserId(7),
        source: Platform::Telegram,
        decided_by: None,
        decline_reason: None,
        comment: None,
        last_error: None,
        failure: None,
        retry_count: 0,
        available_seasons: Seasons::new([]),
        upstream: None,
        target_instance: None,
        target_profile: None,
        target_root_folder: None,
        target_tags: None,
        target_series_type: None,
        created_at: Timestamp::now(),
        updated_at: Timestamp::now(),
    }
}
