//! `GET /movie/{id}`, `GET /tv/{id}`, `GET /tv/{id}/season/{n}` and `GET /discover/trending`:
//! TMDB through the cached client, each title with what Usher knows of it (its newest request
//! and what the library index holds), which Seerr's clients read as `mediaInfo`; a title's own
//! page also carries every request for it, with their people (`mediaInfo.requests`).

use std::collections::HashMap;
use std::sync::Arc;

use super::{ApiRequests, ApiService};
use crate::domain::{Availability, MediaType, Request, Scope, Seasons, TmdbId};
use crate::error::{CoreError, CoreResult};
use crate::integrations::tmdb::{
    MovieDetails, SearchPage, SeasonDetails, ShowDetails, TimeWindow, Trending,
};
use crate::service::ApiCaller;
use crate::store::request_edits;

/// What Usher knows of one title: Seerr's `mediaInfo`. Present only when Usher has a request
/// for it or the library holds it, as Seerr has a media row only then.
#[derive(Debug, Clone)]
pub struct TitleFacts {
    /// The newest request for it (an everyday one before a 4K one).
    pub request: Option<Request>,
    /// What the library index holds of it (`None` without index sources).
    pub library: Availability,
    /// Seasons the library holds, complete or not (shows).
    pub seasons_held: Seasons,
}

/// A title's page: TMDB's details with what Usher knows of it.
#[derive(Debug, Clone)]
pub struct ApiTitle<D> {
    /// TMDB's details.
    pub details: Arc<D>,
    /// Usher's facts, when it has any.
    pub facts: Option<TitleFacts>,
    /// Every request for it (at most [`MAX_TITLE_REQUESTS`]), oldest first, with the people
    /// they name.
    pub requests: ApiRequests,
}

/// A movie's page.
pub type ApiMovie = ApiTitle<MovieDetails>;

/// A show's page.
pub type ApiShow = ApiTitle<ShowDetails>;

/// The most requests a title's page lists (a title has one everyday and one 4K request at a
/// time; declined and cancelled ones add up slowly).
pub const MAX_TITLE_REQUESTS: u32 = 100;

/// A trending page with what Usher knows of each title on it.
#[derive(Debug, Clone)]
pub struct ApiTrending {
    /// TMDB's page.
    pub page: Arc<SearchPage>,
    /// Facts of the titles Usher knows, by media type and TMDB id.
    pub facts: HashMap<(MediaType, TmdbId), TitleFacts>,
}

/// TMDB's last page of a list.
const MAX_PAGE: u32 = 500;

impl ApiService {
    /// `GET /movie/{id}`: a movie's TMDB details, Usher's facts and requests for it.
    pub async fn movie(
        &self,
        caller: &ApiCaller,
        id: TmdbId,
        language: Option<&str>,
    ) -> CoreResult<ApiMovie> {
        caller.require(Scope::Read)?;
        self.gate
            .require(&self.limit_of(caller).await?, MediaType::Movie, id)
            .await?;
        let details = self
            .tmdb()?
            .movie(id, language)
            .await
            .map_err(|e| e.into_core("tmdb"))?;
        self.title_page(details, MediaType::Movie, id).await
    }

    /// `GET /tv/{id}`: a show's TMDB details, Usher's facts and requests for it.
    pub async fn tv(
        &self,
        caller: &ApiCaller,
        id: TmdbId,
        language: Option<&str>,
    ) -> CoreResult<ApiShow> {
        caller.require(Scope::Read)?;
        self.gate
            .require(&self.limit_of(caller).await?, MediaType::Tv, id)
            .await?;
        let details = self
            .tmdb()?
            .show(id, language)
            .await
            .map_err(|e| e.into_core("tmdb"))?;
        self.title_page(details, MediaType::Tv, id).await
    }

    /// What Usher knows of the title of `details`: its facts and every request for it.
    async fn title_page<D>(
        &self,
        details: Arc<D>,
        media_type: MediaType,
        id: TmdbId,
    ) -> CoreResult<ApiTitle<D>> {
        let mut facts = self.facts(&[(media_type, id)]).await?;
        let items = request_edits::of_title(&self.db, media_type, id, MAX_TITLE_REQUESTS).await?;
        let people = self.people(super::request_people(&items)).await?;
        Ok(ApiTitle {
            details,
            facts: facts.remove(&(media_type, id)),
            requests: ApiRequests {
                total: u64::try_from(items.len()).unwrap_or(u64::MAX),
                items,
                people,
            },
        })
    }

    /// `GET /tv/{id}/season/{n}`: one season with its episodes.
    pub async fn season(
        &self,
        caller: &ApiCaller,
        id: TmdbId,
        number: u16,
        language: Option<&str>,
    ) -> CoreResult<Arc<SeasonDetails>> {
        caller.require(Scope::Read)?;
        self.gate
            .require(&self.limit_of(caller).await?, MediaType::Tv, id)
            .await?;
        self.tmdb()?
            .season(id, number, language)
            .await
            .map_err(|e| e.into_core("tmdb"))
    }

    /// `GET /discover/trending`: this week's trending movies and shows (people left out), page
    /// 1 to 500, with Usher's facts about each.
    pub async fn trending(
        &self,
        caller: &ApiCaller,
        page: u32,
        language: Option<&str>,
    ) -> CoreResult<ApiTrending> {
        caller.require(Scope::Read)?;
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(CoreError::Validation(format!(
                "page: must be between 1 and {MAX_PAGE}"
            )));
        }
        let found = self
            .tmdb()?
            .trending_page(Trending::All, TimeWindow::Week, language, page)
            .await
            .map_err(|e| e.into_core("tmdb"))?;
        let found = self
            .gate
            .offerable_page(&self.limit_of(caller).await?, found)
            .await;
        let keys: Vec<_> = found
            .hits
            .iter()
            .map(|h| (h.media_type, h.tmdb_id))
            .collect();
        let facts = self.facts(&keys).await?;
        Ok(ApiTrending { page: found, facts })
    }

    /// Usher's facts about each of `keys` it knows: one query for the requests, memory for
    /// the index.
    async fn facts(
        &self,
        keys: &[(MediaType, TmdbId)],
    ) -> CoreResult<HashMap<(MediaType, TmdbId), TitleFacts>> {
        let mut requests = request_edits::newest_of(&self.db, keys).await?;
        let index = self.index.as_ref().filter(|i| i.has_sources());
        let mut facts = HashMap::new();
        for &(media_type, tmdb) in keys {
            let request = requests.remove(&(media_type, tmdb));
            let status = index.map(|i| i.status(media_type, tmdb));
            let (library, seasons_held) = match &status {
                Some(status) => (
                    status.availability(media_type, &status.seasons_listed),
                    status.seasons_present.clone(),
                ),
                None => (Availability::None, Seasons::default()),
            };
            if request.is_some() || library != Availability::None {
                facts.insert(
                    (media_type, tmdb),
                    TitleFacts {
                        request,
                        library,
                        seasons_held,
                    },
                );
            }
        }
        Ok(facts)
    }
}
