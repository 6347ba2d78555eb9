//! Building a request from a TMDB id, the rule both bots use.

use super::{client, fake, id};
use crate::CoreError;
use crate::domain::{MediaType, Seasons};
use crate::integrations::tmdb::SeasonChoice;

#[tokio::test]
async fn movies_take_no_seasons_and_shows_get_their_tvdb_id() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let movie = tmdb
        .new_request(MediaType::Movie, id(438631), SeasonChoice::All, true)
        .await
        .expect("movie");
    assert_eq!(
        (movie.media.title.as_str(), movie.media.year),
        ("Dune", Some(2021))
    );
    assert!(movie.seasons.is_empty() && movie.four_k && movie.media.tvdb_id.is_none());

    let all = tmdb
        .new_request(MediaType::Tv, id(1396), SeasonChoice::All, false)
        .await
        .expect("show");
    assert_eq!(all.media.tvdb_id.map(|t| t.get()), Some(81189));
    assert!(
        !all.seasons.is_empty() && !all.seasons.contains(0),
        "regular seasons only: {:?}",
        all.seasons
    );
    let picked = Seasons::new([2]);
    let some = tmdb
        .new_request(
            MediaType::Tv,
            id(1396),
            SeasonChoice::These(picked.clone()),
            false,
        )
        .await;
    assert_eq!(some.expect("show").seasons, picked);

    let missing = tmdb
        .new_request(MediaType::Movie, id(4_999_999), SeasonChoice::All, false)
        .await;
    assert!(
        matches!(missing, Err(CoreError::NotFound(_))),
        "a title TMDB does not know is not found, not an outage: {missing:?}"
    );
}
