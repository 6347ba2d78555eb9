//! Searching for a card, once for both platforms: TMDB's results (cached by the client), a
//! stored search's result at a place, a hit or an id turned into a [`TitleView`], and what core
//! offers the person looking ([`TitleService::offer`](usher_core::service::TitleService::offer)).
//! Each platform then renders the [`Shown`] card its own way.

use std::sync::Arc;

use usher_core::domain::{MediaType, SearchId, Seasons, TmdbId};
use usher_core::integrations::tmdb::{SearchHit, SearchPage, SearchQuery, TmdbClient};
use usher_core::service::{Caller, Services, TitleOffer};
use usher_core::{CoreError, CoreResult};

use crate::view::card::{Place, TitleView};

/// TMDB's service name in errors shown to people.
pub const TMDB: &str = "TMDB";

/// A card ready to render: the title, what core offers, and its place in the search.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The title on the card.
    pub view: TitleView,
    /// What the person looking may do with it.
    pub offer: TitleOffer,
    /// Where the card sits in its search.
    pub place: Place,
}

/// The language to ask TMDB in for a catalogue language: TMDB's default for en-US, else the
/// regional tag TMDB keeps its translations under.
#[must_use]
pub fn tmdb_language(lang: &str) -> Option<&'static str> {
    match lang {
        "de" => Some("de-DE"),
        "fr" => Some("fr-FR"),
        "es" => Some("es-ES"),
        "it" => Some("it-IT"),
        "pt-BR" => Some("pt-BR"),
        _ => None,
    }
}

/// One page of TMDB results for a search (movies, shows, or both when `kind` is `None`), as
/// `caller` may be offered it: titles outside their content limit are left out by core.
///
/// # Errors
///
/// [`CoreError::Upstream`] when TMDB fails.
pub async fn results(
    (services, caller): (&Services, &Caller),
    tmdb: &TmdbClient,
    text: &str,
    kind: Option<MediaType>,
    language: Option<&str>,
) -> CoreResult<Arc<SearchPage>> {
    let page = tmdb_results(tmdb, text, kind, language).await?;
    Ok(services
        .titles
        .offerable_page(&caller.content_limit, page)
        .await)
}

/// TMDB's page for a search, as everyone would see it.
async fn tmdb_results(
    tmdb: &TmdbClient,
    text: &str,
    kind: Option<MediaType>,
    language: Option<&str>,
) -> CoreResult<Arc<SearchPage>> {
    let mut query = SearchQuery::new(text);
    if let Some(language) = language {
        query = query.language(language);
    }
    let page = match kind {
        Some(MediaType::Movie) => tmdb.search_movies(&query).await,
        Some(MediaType::Tv) => tmdb.search_tv(&query).await,
        None => tmdb.search_multi(&query).await,
    };
    page.map_err(|error| error.into_core(TMDB))
}

/// A new search's first card: TMDB's results for `query`; when there are any, the search
/// remembered for paging and its first hit as `caller` sees it. `None` when TMDB finds
/// nothing.
///
/// # Errors
///
/// Core's errors: TMDB or the database.
pub async fn open(
    services: &Services,
    tmdb: &TmdbClient,
    (query, kind, language): (&str, Option<MediaType>, Option<&str>),
    caller: &Caller,
) -> CoreResult<Option<Shown>> {
    let page = results((services, caller), tmdb, query, kind, language).await?;
    let Some(hit) = page.hits.first() else {
        return Ok(None);
    };
    let search_id = services.searches.remember(query, kind, language).await?;
    let mut view = view_of_hit(tmdb, hit, language).await;
    let offer = offer(services, caller, &view).await?;
    hold(&mut view, &offer);
    let place = place(search_id, 0, page.hits.len());
    Ok(Some(Shown { view, offer, place }))
}

/// Result `index` (clamped to the last) of stored search `search_id`, as the card `caller`
/// sees; `None` when the search has been forgotten or now finds nothing (the card is stale).
///
/// # Errors
///
/// Core's errors: the database, TMDB, an actor core refuses.
pub async fn recall(
    services: &Services,
    tmdb: &TmdbClient,
    caller: &Caller,
    search_id: u64,
    index: u16,
) -> CoreResult<Option<Shown>> {
    let id = SearchId(i64::try_from(search_id).unwrap_or(i64::MAX));
    let Some(search) = services.searches.recall(id).await? else {
        return Ok(None);
    };
    let language = search.language.as_deref();
    let page = results(
        (services, caller),
        tmdb,
        &search.query,
        search.media_type,
        language,
    )
    .await?;
    let Some(last) = page.hits.len().checked_sub(1) else {
        return Ok(None);
    };
    let index = usize::from(index).min(last);
    let mut view = view_of_hit(tmdb, &page.hits[index], language).await;
    let offer = offer(services, caller, &view).await?;
    hold(&mut view, &offer);
    let place = place(id, index, page.hits.len());
    Ok(Some(Shown { view, offer, place }))
}

/// Where result `index` of `total` sits in search `search_id`, as a card's buttons carry it.
#[must_use]
pub fn place(search_id: SearchId, index: usize, total: usize) -> Place {
    Place {
        search_id: u64::try_from(search_id.0).unwrap_or_default(),
        index: u16::try_from(index).unwrap_or(u16::MAX),
        total: u16::try_from(total).unwrap_or(u16::MAX),
    }
}

/// A card's view of a search hit, with the runtime (movies) or seasons (shows) from TMDB's
/// details when they can be had; without them the card still shows the hit.
pub async fn view_of_hit(tmdb: &TmdbClient, hit: &SearchHit, language: Option<&str>) -> TitleView {
    let mut view = TitleView {
        media_type: hit.media_type,
        tmdb_id: hit.tmdb_id.get(),
        title: hit.title.clone(),
        year: hit.year,
        rating: Some(hit.vote_average),
        runtime: None,
        seasons: Vec::new(),
        overview: hit.overview.clone(),
        poster: poster(tmdb, hit.poster_path.as_deref()),
        held: Vec::new(),
    };
    match hit.media_type {
        MediaType::Movie => match tmdb.movie(hit.tmdb_id, language).await {
            Ok(movie) => view.runtime = movie.runtime_minutes,
            Err(error) => tracing::debug!(%error, "no movie details for a card"),
        },
        MediaType::Tv => match tmdb.show(hit.tmdb_id, language).await {
            Ok(show) => view.seasons = show.regular_seasons().map(|s| s.number).collect(),
            Err(error) => tracing::debug!(%error, "no show details for a card"),
        },
    }
    view
}

/// A card's view of a title known by its id (an autocomplete pick, a season menu), from
/// TMDB's details.
///
/// # Errors
///
/// [`CoreError::Upstream`] when TMDB fails or does not know the id.
pub async fn view_of_title(
    tmdb: &TmdbClient,
    media_type: MediaType,
    id: TmdbId,
    language: Option<&str>,
) -> CoreResult<TitleView> {
    let failed = |error: usher_core::integrations::http::UpstreamError| error.into_core(TMDB);
    let view = match media_type {
        MediaType::Movie => {
            let movie = tmdb.movie(id, language).await.map_err(failed)?;
            TitleView {
                media_type,
                tmdb_id: id.get(),
                title: movie.title.clone(),
                year: movie.year,
                rating: Some(movie.vote_average),
                runtime: movie.runtime_minutes,
                seasons: Vec::new(),
                overview: movie.overview.clone(),
                poster: poster(tmdb, movie.poster_path.as_deref()),
                held: Vec::new(),
            }
        }
        MediaType::Tv => {
            let show = tmdb.show(id, language).await.map_err(failed)?;
            TitleView {
                media_type,
                tmdb_id: id.get(),
                title: show.title.clone(),
                year: show.year,
                rating: Some(show.vote_average),
                runtime: None,
                seasons: show.regular_seasons().map(|s| s.number).collect(),
                overview: show.overview.clone(),
                poster: poster(tmdb, show.poster_path.as_deref()),
                held: Vec::new(),
            }
        }
    };
    Ok(view)
}

/// The full poster URL for TMDB's poster path.
fn poster(tmdb: &TmdbClient, path: Option<&str>) -> Option<url::Url> {
    path.and_then(|path| url::Url::parse(&tmdb.poster_url(path)).ok())
}

/// What core lets `caller` do with the title on the card (their permissions came with them
/// from the edge: no read of who they are).
///
/// # Errors
///
/// Core's: the database.
pub async fn offer(
    services: &Services,
    caller: &Caller,
    view: &TitleView,
) -> CoreResult<TitleOffer> {
    let id = TmdbId::parse(i64::from(view.tmdb_id))?;
    let seasons = Seasons::new(view.seasons.iter().copied());
    services
        .titles
        .offer_to(caller, view.media_type, id, &seasons)
        .await
}

/// Notes on the view the seasons core says the library holds complete, so season pickers
/// offer only the missing ones.
pub fn hold(view: &mut TitleView, offer: &TitleOffer) {
    view.held = offer.index.complete.iter().collect();
}

/// The TMDB client, or the error a front end shows when no TMDB key is configured.
///
/// # Errors
///
/// [`CoreError::Upstream`] when there is none.
pub fn configured(tmdb: Option<&TmdbClient>) -> CoreResult<&TmdbClient> {
    tmdb.ok_or_else(|| CoreError::Upstream {
        service: TMDB,
        message: "not configured".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_core::i18n::FALLBACK;

    #[test]
    fn catalogue_languages_map_to_tmdb_tags() {
        assert_eq!(tmdb_language(FALLBACK), None);
        assert_eq!(tmdb_language("de"), Some("de-DE"));
        assert_eq!(tmdb_language("pt-BR"), Some("pt-BR"));
        assert_eq!(tmdb_language("xx"), None);
    }

    #[test]
    fn a_place_is_what_fits_in_a_button() {
        let at = place(SearchId(41), 70_000, 70_001);
        assert_eq!((at.search_id, at.index, at.total), (41, u16::MAX, u16::MAX));
        assert_eq!(place(SearchId(-1), 0, 1).search_id, 0);
    }
}
