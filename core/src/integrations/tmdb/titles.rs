//! One title at a time: details, external ids, certifications, keywords, and the anime rule
//! Sonarr's series type and the choice of an anime instance depend on.

use std::sync::Arc;

use super::cache::Key;
use super::types::{ExternalIds, Keyword, MovieDetails, SeasonDetails, ShowDetails};
use super::wire::{
    RawContentRatings, RawExternalIds, RawKeywords, RawMovie, RawReleaseDates, RawSeasonDetails,
    RawShow,
};
use super::{TmdbClient, language_param};
use crate::domain::{MediaType, TmdbId, TvdbId};
use crate::integrations::http::UpstreamError;
use crate::integrations::{BoxFuture, TvdbIds};

/// TMDB's Animation genre (the same id for movies and TV).
pub const ANIMATION_GENRE: u32 = 16;
/// TMDB's "anime" keyword.
pub const ANIME_KEYWORD: u32 = 210024;

fn segment(media: MediaType) -> &'static str {
    match media {
        MediaType::Movie => "movie",
        MediaType::Tv => "tv",
    }
}

fn bad_id(id: TmdbId) -> UpstreamError {
    UpstreamError::Malformed(format!("TMDB answered with an invalid id for {id}"))
}

impl TmdbClient {
    /// A movie's details (`/3/movie/{id}`), in `language` if given.
    pub async fn movie(
        &self,
        id: TmdbId,
        language: Option<&str>,
    ) -> Result<Arc<MovieDetails>, UpstreamError> {
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Movie {
            id,
            language: language.clone(),
        };
        self.cached(key, async move {
            let path = format!("/3/movie/{id}");
            let raw: RawMovie = self
                .get(&path, &language_param(language.as_deref()))
                .await?;
            raw.into_details().map(Arc::new).ok_or_else(|| bad_id(id))
        })
        .await
    }

    /// A show's details (`/3/tv/{id}`): seasons with episode counts, status, next episode.
    pub async fn show(
        &self,
        id: TmdbId,
        language: Option<&str>,
    ) -> Result<Arc<ShowDetails>, UpstreamError> {
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Show {
            id,
            language: language.clone(),
        };
        self.cached(key, async move {
            let path = format!("/3/tv/{id}");
            let raw: RawShow = self
                .get(&path, &language_param(language.as_deref()))
                .await?;
            raw.into_details().map(Arc::new).ok_or_else(|| bad_id(id))
        })
        .await
    }

    /// One season with its episodes (`/3/tv/{id}/season/{number}`).
    pub async fn season(
        &self,
        id: TmdbId,
        number: u16,
        language: Option<&str>,
    ) -> Result<Arc<SeasonDetails>, UpstreamError> {
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Season {
            id,
            number,
            language: language.clone(),
        };
        self.cached(key, async move {
            let path = format!("/3/tv/{id}/season/{number}");
            let raw: RawSeasonDetails = self
                .get(&path, &language_param(language.as_deref()))
                .await?;
            raw.into_details(id).map(Arc::new).ok_or_else(|| bad_id(id))
        })
        .await
    }

    /// IMDb and TVDB ids (`/3/{movie,tv}/{id}/external_ids`).
    pub async fn external_ids(
        &self,
        media: MediaType,
        id: TmdbId,
    ) -> Result<Arc<ExternalIds>, UpstreamError> {
        self.cached(Key::ExternalIds { media, id }, async move {
            let path = format!("/3/{}/{id}/external_ids", segment(media));
            let raw: RawExternalIds = self.get(&path, &[]).await?;
            Ok(Arc::new(ExternalIds::from(raw)))
        })
        .await
    }

    /// The age rating in `country` (ISO 3166-1, e.g. `US`, `DE`): a movie's theatrical
    /// certification (`release_dates`) or a show's content rating (`content_ratings`).
    /// `None` when TMDB has none for that country. One upstream call serves every country.
    pub async fn certification(
        &self,
        media: MediaType,
        id: TmdbId,
        country: &str,
    ) -> Result<Option<String>, UpstreamError> {
        let all = self
            .cached(Key::Certifications { media, id }, async move {
                let list = match media {
                    MediaType::Movie => {
                        let path = format!("/3/movie/{id}/release_dates");
                        let raw: RawReleaseDates = self.get(&path, &[]).await?;
                        raw.into_certifications()
                    }
                    MediaType::Tv => {
                        let path = format!("/3/tv/{id}/content_ratings");
                        let raw: RawContentRatings = self.get(&path, &[]).await?;
                        raw.into_certifications()
                    }
                };
                Ok(Arc::new(list))
            })
            .await?;
        Ok(all
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(country))
            .map(|(_, rating)| rating.clone()))
    }

    /// A title's keywords (`/3/{movie,tv}/{id}/keywords`).
    pub async fn keywords(
        &self,
        media: MediaType,
        id: TmdbId,
    ) -> Result<Arc<Vec<Keyword>>, UpstreamError> {
        self.cached(Key::Keywords { media, id }, async move {
            let path = format!("/3/{}/{id}/keywords", segment(media));
            let raw: RawKeywords = self.get(&path, &[]).await?;
            Ok(Arc::new(raw.into_keywords()))
        })
        .await
    }

    /// Whether a title is anime, for Sonarr's series type and the anime instance: Animation
    /// (genre 16) made in Japanese, or tagged with the "anime" keyword (210024). The keyword
    /// lookup is only made when the genre rule says no.
    pub async fn is_anime(&self, media: MediaType, id: TmdbId) -> Result<bool, UpstreamError> {
        let (genres, language) = match media {
            MediaType::Movie => {
                let m = self.movie(id, None).await?;
                (
                    m.genres.iter().map(|g| g.id).collect::<Vec<_>>(),
                    m.original_language.clone(),
                )
            }
            MediaType::Tv => {
                let s = self.show(id, None).await?;
                (
                    s.genres.iter().map(|g| g.id).collect::<Vec<_>>(),
                    s.original_language.clone(),
                )
            }
        };
        if genres.contains(&ANIMATION_GENRE) && language == "ja" {
            return Ok(true);
        }
        let keywords = self.keywords(media, id).await?;
        Ok(keywords
            .iter()
            .any(|k| k.id == ANIME_KEYWORD || k.name.eq_ignore_ascii_case("anime")))
    }
}

impl TvdbIds for TmdbClient {
    fn tvdb_id(&self, show: TmdbId) -> BoxFuture<'_, Result<Option<TvdbId>, UpstreamError>> {
        Box::pin(async move { Ok(self.external_ids(MediaType::Tv, show).await?.tvdb_id) })
    }
}

impl crate::integrations::arr::AnimeCheck for TmdbClient {
    fn is_anime(&self, show: TmdbId) -> BoxFuture<'_, Result<bool, UpstreamError>> {
        Box::pin(async move { TmdbClient::is_anime(self, MediaType::Tv, show).await })
    }

    fn season_sizes(&self, show: TmdbId) -> BoxFuture<'_, Result<Vec<(u16, u32)>, UpstreamError>> {
        Box::pin(async move {
            let details = self.show(show, None).await?;
            Ok(details
                .seasons
                .iter()
                .map(|s| (s.number, s.episode_count))
                .collect())
        })
    }
}
