//! The console's image proxy. `GET /img/tmdb/{size}/{file}` answers a TMDB poster from core's
//! byte-bounded cache (TMDB is asked once per image), so the browser only ever loads images
//! from us and the CSP's `img-src` needs no third party. `GET /img/poster/{kind}/{id}/{size}`
//! finds a title's poster (from TMDB's cached details) and redirects there, so a list can show
//! posters without asking TMDB while it renders. Signed-in readers only; only TMDB's sizes and
//! plain file names are served (core refuses the rest before any call), and a refusal is a
//! plain 404, as a missing image is.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use usher_core::CoreError;
use usher_core::domain::{MediaType, TmdbId};

use crate::console::signed_in::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// How long a browser keeps an image: TMDB never changes the bytes behind a file name.
pub const IMAGE_CACHE: &str = "private, max-age=604800, immutable";
/// How long a browser keeps a title's poster redirect: a title's poster rarely changes.
pub const POSTER_CACHE: &str = "private, max-age=86400";

/// GET /img/tmdb/{size}/{file}.
pub async fn tmdb_image(
    State(state): State<AppState>,
    _who: SignedIn,
    Path((size, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    match state.services().artwork.image(&size, &file).await {
        Ok(image) => Ok((
            [
                (header::CONTENT_TYPE, image.content_type),
                (header::CACHE_CONTROL, IMAGE_CACHE),
            ],
            image.bytes.to_vec(),
        )
            .into_response()),
        Err(CoreError::Validation(_) | CoreError::NotFound(_)) => Ok(not_found()),
        Err(other) => Err(other.into()),
    }
}

/// GET /img/poster/{kind}/{id}/{size}.
pub async fn poster(
    State(state): State<AppState>,
    _who: SignedIn,
    Path((kind, id, size)): Path<(String, i64, String)>,
) -> Result<Response, WebError> {
    let (Ok(kind), Ok(id)) = (kind.parse::<MediaType>(), TmdbId::parse(id)) else {
        return Ok(not_found());
    };
    if usher_core::integrations::tmdb::images::image_size(&size).is_none() {
        return Ok(not_found());
    }
    let artwork = &state.services().artwork;
    if !artwork.has_posters() {
        return Ok(not_found());
    }
    match artwork.poster_file(kind, id).await {
        Ok(Some(file)) => {
            let mut answer = Redirect::to(&format!("/img/tmdb/{size}/{file}")).into_response();
            answer.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static(POSTER_CACHE),
            );
            Ok(answer)
        }
        Ok(None) | Err(CoreError::NotFound(_)) => Ok(not_found()),
        Err(other) => Err(other.into()),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, "no-store")],
        "no such image",
    )
        .into_response()
}
