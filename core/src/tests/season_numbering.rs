//! TMDB's season numbers against Sonarr's (TVDB's) on the way into the fake Sonarr: a season
//! Sonarr lacks is sent as the TVDB season that holds its episodes, or as every season when
//! that cannot be told; and a series type an override chose is what Sonarr is told.

use usher_testkit::FakeSonarr;

use super::arr_support::{KEY, sonarr};
use crate::domain::{Seasons, SeriesType, TvdbId};
use crate::integrations::arr::{SeriesRequest, SeriesShape};

const BREAKING_BAD: i64 = 81189;

fn request<'a>(seasons: &'a Seasons, shape: SeriesShape<'a>) -> SeriesRequest<'a> {
    SeriesRequest {
        tvdb_id: TvdbId::parse(BREAKING_BAD).expect("tvdb id"),
        seasons,
        future_seasons: false,
        anime: None,
        extra_tags: &[],
        placement: Default::default(),
        shape,
    }
}

/// The fake's lookup gives five TVDB seasons of ten episodes each; TMDB splits the last one in
/// two cours of five, so TMDB's season 6 is TVDB's season 5.
#[tokio::test]
async fn a_tmdb_season_sonarr_lacks_is_sent_as_the_tvdb_season_holding_it() {
    let fake = FakeSonarr::start(KEY).await;
    let client = sonarr("sonarr", &fake, false);
    let tmdb = [(0, 3), (1, 10), (2, 10), (3, 10), (4, 10), (5, 5), (6, 5)];
    let sixth = Seasons::new([6]);
    let shape = SeriesShape {
        series_type: Some(SeriesType::Anime),
        tmdb_seasons: Some(&tmdb),
    };
    client
        .submit(&request(&sixth, shape))
        .await
        .expect("placed");
    assert_eq!(fake.monitored_seasons(BREAKING_BAD), [5]);
    let series = fake.series(BREAKING_BAD).expect("added");
    assert_eq!(series["seriesType"], "anime", "the override's series type");
}

#[tokio::test]
async fn without_tmdb_sizes_a_missing_season_is_still_refused() {
    let fake = FakeSonarr::start(KEY).await;
    let client = sonarr("sonarr", &fake, false);
    let ninth = Seasons::new([9]);
    let err = client
        .submit(&request(&ninth, SeriesShape::default()))
        .await
        .expect_err("no season 9");
    assert!(
        err.to_string().contains("season 9 of Breaking Bad"),
        "{err}"
    );
    assert_eq!(fake.adds(), 0);
}

/// Sonarr's seasons come without episode counts here, so the TMDB season it lacks cannot be
/// placed: every regular season is monitored rather than none.
#[tokio::test]
async fn when_the_numberings_cannot_be_lined_up_every_season_is_monitored() {
    let fake = FakeSonarr::start(KEY).await;
    fake.strip_season_statistics();
    let client = sonarr("sonarr", &fake, false);
    let tmdb = [(1, 7), (2, 13), (3, 13), (4, 13), (5, 8), (6, 8)];
    let sixth = Seasons::new([6]);
    let shape = SeriesShape {
        series_type: None,
        tmdb_seasons: Some(&tmdb),
    };
    client
        .submit(&request(&sixth, shape))
        .await
        .expect("placed");
    assert_eq!(fake.monitored_seasons(BREAKING_BAD), [1, 2, 3, 4, 5]);
    let series = fake.series(BREAKING_BAD).expect("added");
    assert_eq!(series["seriesType"], "standard");
}
