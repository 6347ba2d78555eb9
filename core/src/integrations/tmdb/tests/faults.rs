//! When TMDB misbehaves: typed errors naming the cause, retries where they help, no panic, and
//! nothing bad left in the cache.

use std::time::Duration;

use usher_testkit::tmdb;
use usher_testkit::{FakeServer, Fault};

use super::super::SearchQuery;
use super::{client, client_with, fake, id};
use crate::domain::MediaType;
use crate::integrations::http::UpstreamError;

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_not_retried() {
    let fake = fake().await;
    for key in ["not-the-key", "eyJ.wrong.token"] {
        let tmdb = client_with(&fake, key, |_| {});
        let err = tmdb.search_movies(&SearchQuery::new("dune")).await.err();
        assert_eq!(err, Some(UpstreamError::Unauthorized(401)));
    }
    assert_eq!(fake.received().len(), 2, "a 401 is not retried");
}

#[tokio::test]
async fn an_html_page_is_malformed() {
    let fake = fake().await;
    fake.faults.fail_next(1, Fault::Html);
    let err = client(&fake).movie(id(27205), None).await.err();
    assert!(
        matches!(&err, Some(UpstreamError::Malformed(why)) if why.contains("HTML")),
        "{err:?}"
    );
}

#[tokio::test]
async fn server_errors_and_429s_are_retried() {
    let fake = fake().await;
    fake.faults.fail_next(2, Fault::ServerError);
    let tmdb = client(&fake);
    let page = tmdb
        .search_tv(&SearchQuery::new("arcane"))
        .await
        .expect("third try");
    assert_eq!(page.hits.len(), 1);
    assert_eq!(fake.received().len(), 3);

    fake.faults.fail_next(1, Fault::RateLimited(0));
    tmdb.show(id(94605), None).await.expect("after a 429");
    assert_eq!(fake.received().len(), 5);
}

#[tokio::test]
async fn a_dead_upstream_gives_a_transient_error_that_is_not_cached() {
    let fake = fake().await;
    fake.faults.go_down();
    let tmdb = client(&fake);
    let err = tmdb.show(id(1396), None).await.expect_err("down");
    assert!(
        matches!(err, UpstreamError::Status { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(fake.received().len(), 3, "first try and two retries");
    fake.faults.recover();
    assert_eq!(
        tmdb.show(id(1396), None).await.expect("back").title,
        "Breaking Bad"
    );
}

#[tokio::test]
async fn a_hang_times_out() {
    let fake = fake().await;
    fake.faults
        .fail_next(3, Fault::Hang(Duration::from_secs(3)));
    let err = client(&fake)
        .external_ids(MediaType::Tv, id(1396))
        .await
        .err();
    assert_eq!(err, Some(UpstreamError::Timeout));
}

#[tokio::test]
async fn an_unreachable_tmdb_is_unreachable() {
    let fake = fake().await;
    let tmdb = client(&fake);
    drop(fake);
    tokio::task::yield_now().await;
    let err = tmdb.movie(id(27205), None).await.err();
    assert!(
        matches!(
            err,
            Some(UpstreamError::Unreachable | UpstreamError::Timeout)
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let fake = fake().await;
    let tmdb = client(&fake);
    assert_eq!(
        tmdb.movie(id(1), None).await.err(),
        Some(UpstreamError::NotFound)
    );
    let seam: &dyn crate::integrations::TvdbIds = &tmdb;
    assert_eq!(
        seam.tvdb_id(id(2)).await.err(),
        Some(UpstreamError::NotFound)
    );
}

async fn answering(body: &'static str) -> FakeServer {
    FakeServer::start(tmdb::router_answering(body)).await
}

#[tokio::test]
async fn malformed_json_is_malformed() {
    for body in [
        r#"{"page":1,"results":[{"id":"#,
        r#"{"page":1,"results":"nope"}"#,
        "",
        "null",
    ] {
        let fake = answering(body).await;
        let err = client(&fake)
            .search_movies(&SearchQuery::new("dune"))
            .await
            .err();
        assert!(
            matches!(err, Some(UpstreamError::Malformed(_))),
            "{body}: {err:?}"
        );
    }
    let fake = answering(r#"{"id":"twelve","title":"x"}"#).await;
    let err = client(&fake).movie(id(12), None).await.err();
    assert!(matches!(err, Some(UpstreamError::Malformed(_))), "{err:?}");
}

#[tokio::test]
async fn odd_items_are_skipped_not_fatal() {
    let fake = answering(
        r#"{"page":1,"total_pages":1,"total_results":5,"results":[
            {"id":0,"media_type":"movie","title":"Zero"},
            {"id":5,"media_type":"person","name":"Someone"},
            {"id":6,"media_type":"tv"},
            {"id":7,"media_type":"collection","name":"A box set"},
            {"id":8,"media_type":"tv","name":"Kept","first_air_date":"","poster_path":null,
             "overview":null,"vote_average":null,"extra":{"nested":[1,2]}}
        ]}"#,
    )
    .await;
    let page = client(&fake)
        .search_multi(&SearchQuery::new("x"))
        .await
        .expect("lenient");
    assert_eq!(page.hits.len(), 1);
    let kept = &page.hits[0];
    assert_eq!(
        (kept.tmdb_id.get(), kept.title.as_str(), kept.year),
        (8, "Kept", None)
    );
    assert_eq!(kept.poster_path, None);
    assert_eq!(kept.vote_average, 0.0);
}

#[tokio::test]
async fn a_details_answer_with_an_impossible_id_is_malformed() {
    let fake = answering(r#"{"id":0,"name":"Nothing","seasons":[{"season_number":-1}]}"#).await;
    let err = client(&fake).show(id(3), None).await.err();
    assert!(matches!(err, Some(UpstreamError::Malformed(_))), "{err:?}");
}
