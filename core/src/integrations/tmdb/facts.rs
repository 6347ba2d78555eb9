//! What a content limit decides on, in one call per title: the details call with TMDB's
//! `append_to_response`, which brings a movie's `release_dates` (a show's `content_ratings`) and
//! the keywords along with the genres. Asked only for people whose limit needs it, and cached
//! like details, so a title judged once costs nothing for its TTL whoever asks next.

use std::sync::Arc;

use serde::Deserialize;

use super::TmdbClient;
use super::cache::{Cacheable, Key};
use super::types::ContentFacts;
use super::wire::{RawContentRatings, RawKeywords, RawReleaseDates};
use crate::domain::{MediaType, TmdbId};
use crate::integrations::http::UpstreamError;

/// A genre as the details call lists it; only the name matters here.
#[derive(Debug, Deserialize)]
struct RawGenreName {
    #[serde(default)]
    name: String,
}

/// `/3/movie/{id}?append_to_response=release_dates,keywords`.
#[derive(Debug, Deserialize)]
struct RawMovieFacts {
    #[serde(default)]
    genres: Vec<RawGenreName>,
    release_dates: Option<RawReleaseDates>,
    keywords: Option<RawKeywords>,
}

/// `/3/tv/{id}?append_to_response=content_ratings,keywords`.
#[derive(Debug, Deserialize)]
struct RawShowFacts {
    #[serde(default)]
    genres: Vec<RawGenreName>,
    content_ratings: Option<RawContentRatings>,
    keywords: Option<RawKeywords>,
}

fn facts(
    genres: Vec<RawGenreName>,
    certifications: Vec<(String, String)>,
    keywords: Option<RawKeywords>,
) -> ContentFacts {
    ContentFacts {
        certifications,
        genres: genres
            .into_iter()
            .map(|g| g.name)
            .filter(|n| !n.is_empty())
            .collect(),
        keywords: keywords
            .map(RawKeywords::into_keywords)
            .unwrap_or_default()
            .into_iter()
            .map(|k| k.name)
            .collect(),
    }
}

impl TmdbClient {
    /// A title's certifications in every country, its genre names (English, TMDB's default
    /// language, so blocklists match whatever language people read in) and its keywords: one
    /// upstream call, cached as long as details.
    pub async fn content_facts(
        &self,
        media: MediaType,
        id: TmdbId,
    ) -> Result<Arc<ContentFacts>, UpstreamError> {
        self.cached(Key::ContentFacts { media, id }, async move {
            let found = match media {
                MediaType::Movie => {
                    let path = format!("/3/movie/{id}");
                    let appended = [("append_to_response", "release_dates,keywords".to_owned())];
                    let raw: RawMovieFacts = self.get(&path, &appended).await?;
                    let certifications = raw
                        .release_dates
                        .map(RawReleaseDates::into_certifications)
                        .unwrap_or_default();
                    facts(raw.genres, certifications, raw.keywords)
                }
                MediaType::Tv => {
                    let path = format!("/3/tv/{id}");
                    let appended = [("append_to_response", "content_ratings,keywords".to_owned())];
                    let raw: RawShowFacts = self.get(&path, &appended).await?;
                    let certifications = raw
                        .content_ratings
                        .map(RawContentRatings::into_certifications)
                        .unwrap_or_default();
                    facts(raw.genres, certifications, raw.keywords)
                }
            };
            Ok(Arc::new(found))
        })
        .await
    }

    /// The facts [`Self::content_facts`] already holds for the title, without asking TMDB:
    /// for a check that must not wait on the network (inside a database transaction).
    pub async fn known_content_facts(
        &self,
        media: MediaType,
        id: TmdbId,
    ) -> Option<Arc<ContentFacts>> {
        let value = self.peek(&Key::ContentFacts { media, id }).await?;
        Arc::<ContentFacts>::from_value(value)
    }
}
