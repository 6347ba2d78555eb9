//! Turning a TMDB id picked on a card into a [`NewRequest`]: the title snapshot, the TVDB id
//! Sonarr needs, and the seasons — one rule for every front end.

use super::{SERVICE, TmdbClient};
use crate::domain::{Media, MediaType, Seasons, TmdbId};
use crate::error::CoreResult;
use crate::service::NewRequest;

/// Which seasons of a show a member asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeasonChoice {
    /// Every regular season TMDB lists (specials, season 0, are left out).
    All,
    /// Exactly these.
    These(Seasons),
}

impl TmdbClient {
    /// Builds the request for a title from TMDB's (cached) details; a movie ignores `seasons`.
    pub async fn new_request(
        &self,
        media_type: MediaType,
        id: TmdbId,
        seasons: SeasonChoice,
        four_k: bool,
    ) -> CoreResult<NewRequest> {
        let upstream = |e: super::UpstreamError| e.into_core(SERVICE);
        let (media, seasons) = match media_type {
            MediaType::Movie => {
                let movie = self.movie(id, None).await.map_err(upstream)?;
                let media = Media {
                    media_type,
                    tmdb_id: id,
                    tvdb_id: None,
                    title: movie.title.clone(),
                    year: movie.year,
                };
                (media, Seasons::default())
            }
            MediaType::Tv => {
                let show = self.show(id, None).await.map_err(upstream)?;
                let ids = self
                    .external_ids(MediaType::Tv, id)
                    .await
                    .map_err(upstream)?;
                let seasons = match seasons {
                    SeasonChoice::All => Seasons::new(show.regular_seasons().map(|s| s.number)),
                    SeasonChoice::These(seasons) => seasons,
                };
                let media = Media {
                    media_type,
                    tmdb_id: id,
                    tvdb_id: ids.tvdb_id,
                    title: show.title.clone(),
                    year: show.year,
                };
                (media, seasons)
            }
        };
        Ok(NewRequest {
            media,
            seasons,
            future_seasons: false,
            four_k,
        })
    }
}
