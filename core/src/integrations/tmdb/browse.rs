//! Browsing without a query: popular movies and shows, upcoming movies, titles of one genre
//! (`/3/discover/…`) and the genre lists themselves. Cached like searches, one upstream call per
//! list, page and language within the TTL, however many people browse at once.

use std::sync::Arc;

use serde::Deserialize;

use super::cache::Key;
use super::types::{Browse, Genre, SearchPage};
use super::wire::RawPage;
use super::{TmdbClient, language_param};
use crate::domain::MediaType;
use crate::integrations::http::UpstreamError;

/// TMDB serves at most this many pages of any list.
const MAX_PAGE: u32 = 500;

/// `/3/genre/{movie,tv}/list`.
#[derive(Debug, Deserialize)]
struct RawGenres {
    #[serde(default)]
    genres: Vec<RawGenre>,
}

#[derive(Debug, Deserialize)]
struct RawGenre {
    id: u32,
    #[serde(default)]
    name: String,
}

/// `movie` or `tv`, as TMDB's paths name them.
fn segment(media: MediaType) -> &'static str {
    match media {
        MediaType::Movie => "movie",
        MediaType::Tv => "tv",
    }
}

impl Browse {
    /// The media type every title of the list has.
    pub fn media_type(self) -> MediaType {
        match self {
            Self::Popular(media) | Self::Genre(media, _) => media,
            Self::Upcoming => MediaType::Movie,
        }
    }

    /// TMDB's path and the parameters that pick the list (language and page come apart).
    fn request(self) -> (String, Vec<(&'static str, String)>) {
        match self {
            Self::Popular(media) => (format!("/3/{}/popular", segment(media)), Vec::new()),
            Self::Upcoming => ("/3/movie/upcoming".to_owned(), Vec::new()),
            Self::Genre(media, genre) => (
                format!("/3/discover/{}", segment(media)),
                vec![
                    ("with_genres", genre.to_string()),
                    ("sort_by", "popularity.desc".to_owned()),
                    ("include_adult", "false".to_owned()),
                ],
            ),
        }
    }
}

impl TmdbClient {
    /// One page (1 to 500) of a list to browse: popular, upcoming or one genre's titles.
    pub async fn browse(
        &self,
        list: Browse,
        language: Option<&str>,
        page: u32,
    ) -> Result<Arc<SearchPage>, UpstreamError> {
        let page = page.clamp(1, MAX_PAGE);
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Browse {
            list,
            language: language.clone(),
            page,
        };
        self.cached(key, async move {
            let (path, mut params) = list.request();
            params.extend(language_param(language.as_deref()));
            params.push(("page", page.to_string()));
            let raw: RawPage = self.get(&path, &params).await?;
            Ok(Arc::new(raw.into_page(Some(list.media_type()))))
        })
        .await
    }

    /// TMDB's genres of movies or of shows (`/3/genre/{movie,tv}/list`), named in `language`.
    pub async fn genres(
        &self,
        media: MediaType,
        language: Option<&str>,
    ) -> Result<Arc<Vec<Genre>>, UpstreamError> {
        let language = language.filter(|l| !l.is_empty()).map(str::to_owned);
        let key = Key::Genres {
            media,
            language: language.clone(),
        };
        self.cached(key, async move {
            let path = format!("/3/genre/{}/list", segment(media));
            let raw: RawGenres = self
                .get(&path, &language_param(language.as_deref()))
                .await?;
            let genres = raw
                .genres
                .into_iter()
                .filter(|g| !g.name.trim().is_empty())
                .map(|g| Genre {
                    id: g.id,
                    name: g.name,
                })
                .collect();
            Ok(Arc::new(genres))
        })
        .await
    }
}
