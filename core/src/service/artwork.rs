//! ArtworkService: what the console shows of a title beyond its name — the poster (through the
//! console's own image proxy, so browsers never call TMDB), year, overview, links to TMDB and
//! IMDb, and where each media server has it (from the library index). Everything comes from
//! caches: TMDB's answers from the client's cache, images from a cache bounded by bytes, the
//! library from the in-memory index.

use std::sync::Arc;

use crate::domain::{MediaType, TmdbId, WatchLink};
use crate::error::{CoreError, CoreResult};
use crate::index::LibraryIndex;
use crate::integrations::tmdb::images::{Image, valid_file};
use crate::integrations::tmdb::{SERVICE, TmdbClient};

/// What the console's request page shows about its title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleFacts {
    /// The poster's file name at TMDB (`abc.jpg`), for `/img/tmdb/{size}/{file}`.
    pub poster: Option<String>,
    /// Release or first-air year.
    pub year: Option<u16>,
    /// TMDB's synopsis (empty when it has none).
    pub overview: String,
    /// The title's page on TMDB.
    pub tmdb_url: String,
    /// Its page on IMDb, when TMDB knows the IMDb id.
    pub imdb_url: Option<String>,
    /// "Watch on …" links, one per media server the library index says holds it.
    pub watch: Vec<WatchLink>,
    /// Why TMDB's part is missing (TMDB down or not configured); the rest still shows.
    pub tmdb_error: Option<String>,
}

/// See the module docs. Without TMDB there are no posters and no overview.
#[derive(Clone, Debug, Default)]
pub struct ArtworkService {
    tmdb: Option<TmdbClient>,
    index: Option<Arc<LibraryIndex>>,
}

impl ArtworkService {
    /// The service with neither TMDB nor an index yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same service reading TMDB through this client.
    #[must_use]
    pub fn with_tmdb(mut self, tmdb: TmdbClient) -> Self {
        self.tmdb = Some(tmdb);
        self
    }

    /// The same service naming the media servers that hold a title.
    #[must_use]
    pub fn with_index(mut self, index: Arc<LibraryIndex>) -> Self {
        self.index = Some(index);
        self
    }

    /// Whether posters can be shown at all (TMDB is configured), so pages leave out `<img>`
    /// tags that could only fail.
    pub fn has_posters(&self) -> bool {
        self.tmdb.is_some()
    }

    fn tmdb(&self) -> CoreResult<&TmdbClient> {
        self.tmdb.as_ref().ok_or_else(|| CoreError::Upstream {
            service: "tmdb",
            message: "TMDB is not configured".into(),
        })
    }

    /// An image for the proxy: one of TMDB's sizes, a plain file name (else a validation
    /// error, before any call); `NotFound` when TMDB has no such image or is not configured.
    pub async fn image(&self, size: &str, file: &str) -> CoreResult<Image> {
        let Some(tmdb) = &self.tmdb else {
            return Err(CoreError::NotFound(format!("image {file}")));
        };
        tmdb.images().image(size, file).await
    }

    /// A title's poster file name, from TMDB's (cached) details; `None` when it has none.
    pub async fn poster_file(
        &self,
        media_type: MediaType,
        id: TmdbId,
    ) -> CoreResult<Option<String>> {
        let tmdb = self.tmdb()?;
        let upstream = |e: crate::integrations::http::UpstreamError| e.into_core(SERVICE);
        let path = match media_type {
            MediaType::Movie => tmdb
                .movie(id, None)
                .await
                .map_err(upstream)?
                .poster_path
                .clone(),
            MediaType::Tv => tmdb
                .show(id, None)
                .await
                .map_err(upstream)?
                .poster_path
                .clone(),
        };
        Ok(path.as_deref().and_then(file_of))
    }

    /// Everything the request page shows about a title. TMDB failing (or missing) leaves
    /// poster, year and overview out and says why in [`TitleFacts::tmdb_error`]; the links
    /// that need no answer (TMDB's page, the media servers) are there regardless.
    pub async fn facts(
        &self,
        media_type: MediaType,
        id: TmdbId,
        language: Option<&str>,
    ) -> TitleFacts {
        let kind = match media_type {
            MediaType::Movie => "movie",
            MediaType::Tv => "tv",
        };
        let mut facts = TitleFacts {
            tmdb_url: format!("https://www.themoviedb.org/{kind}/{id}"),
            watch: self
                .index
                .as_ref()
                .map(|index| index.status(media_type, id).watch)
                .unwrap_or_default(),
            ..TitleFacts::default()
        };
        match self
            .fill_from_tmdb(&mut facts, media_type, id, language)
            .await
        {
            // TMDB answered that it has no such title: nothing to show, nothing went wrong.
            Ok(()) | Err(CoreError::NotFound(_)) => {}
            Err(err) => facts.tmdb_error = Some(err.to_string()),
        }
        facts
    }

    async fn fill_from_tmdb(
        &self,
        facts: &mut TitleFacts,
        media_type: MediaType,
        id: TmdbId,
        language: Option<&str>,
    ) -> CoreResult<()> {
        let tmdb = self.tmdb()?;
        let upstream = |e: crate::integrations::http::UpstreamError| e.into_core(SERVICE);
        let (poster, imdb) = match media_type {
            MediaType::Movie => {
                let movie = tmdb.movie(id, language).await.map_err(upstream)?;
                facts.year = movie.year;
                facts.overview.clone_from(&movie.overview);
                (movie.poster_path.clone(), movie.imdb_id.clone())
            }
            MediaType::Tv => {
                let show = tmdb.show(id, language).await.map_err(upstream)?;
                facts.year = show.year;
                facts.overview.clone_from(&show.overview);
                let ids = tmdb
                    .external_ids(MediaType::Tv, id)
                    .await
                    .map_err(upstream)?;
                (show.poster_path.clone(), ids.imdb_id.clone())
            }
        };
        facts.poster = poster.as_deref().and_then(file_of);
        facts.imdb_url = imdb
            .filter(|i| {
                i.starts_with("tt") && i[2..].bytes().all(|b| b.is_ascii_digit()) && i.len() > 2
            })
            .map(|i| format!("https://www.imdb.com/title/{i}/"));
        Ok(())
    }
}

/// `abc.jpg` from TMDB's `/abc.jpg`, when it is a name the proxy would serve.
fn file_of(path: &str) -> Option<String> {
    let file = path.strip_prefix('/').unwrap_or(path);
    valid_file(file).then(|| file.to_owned())
}
