//! The cache: hits cost no call, concurrent identical lookups share one, errors are not kept,
//! entries expire per kind and the size bound holds; and the rate limit spaces misses out.

use std::time::{Duration, Instant};

use usher_testkit::Fault;
use usher_testkit::tmdb;

use super::super::{RateLimit, SearchQuery, TimeWindow, Trending, nonzero};
use super::{client, client_with, fake, id};
use crate::domain::MediaType;
use crate::integrations::http::UpstreamError;

#[tokio::test]
async fn a_repeated_query_within_its_ttl_makes_no_second_call() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let first = tmdb
        .search_movies(&SearchQuery::new("Dune"))
        .await
        .expect("first");
    for variant in ["Dune", "dune", "  DUNE ", "dune"] {
        let again = tmdb
            .search_movies(&SearchQuery::new(variant))
            .await
            .expect("again");
        assert_eq!(again, first);
    }
    assert_eq!(fake.received().len(), 1);

    // A different language, year, page or endpoint is a different question.
    tmdb.search_movies(&SearchQuery::new("dune").language("fr-FR"))
        .await
        .expect("fr");
    tmdb.search_movies(&SearchQuery::new("dune").year(2021))
        .await
        .expect("year");
    tmdb.search_tv(&SearchQuery::new("dune")).await.expect("tv");
    assert_eq!(fake.received().len(), 4);

    for _ in 0..3 {
        tmdb.movie(id(27205), None).await.expect("movie");
        tmdb.show(id(1396), None).await.expect("show");
        tmdb.external_ids(MediaType::Tv, id(1396))
            .await
            .expect("ids");
        tmdb.trending(Trending::All, TimeWindow::Week, None)
            .await
            .expect("trending");
        tmdb.is_anime(MediaType::Tv, id(94605))
            .await
            .expect("anime");
    }
    // movie, show, ids, trending, Arcane's details and keywords: once each.
    assert_eq!(fake.received().len(), 4 + 6);
}

#[tokio::test]
async fn a_hundred_concurrent_identical_searches_make_one_call() {
    let fake = fake().await;
    fake.faults.set_latency(Duration::from_millis(200));
    let tmdb = client(&fake);
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let tmdb = tmdb.clone();
            tokio::spawn(async move { tmdb.search_multi(&SearchQuery::new("inception")).await })
        })
        .collect();
    for caller in callers {
        let page = caller.await.expect("join").expect("search");
        assert_eq!(page.hits[0].tmdb_id.get(), 27205);
    }
    assert_eq!(fake.received_at("GET", "/3/search/multi").len(), 1);
}

#[tokio::test]
async fn errors_are_shared_by_waiters_but_not_kept() {
    let fake = fake().await;
    fake.faults.set_latency(Duration::from_millis(100));
    fake.faults.fail_next(1, Fault::Unauthorized);
    let tmdb = client(&fake);
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let tmdb = tmdb.clone();
            tokio::spawn(async move { tmdb.movie(id(438631), None).await })
        })
        .collect();
    for caller in callers {
        let outcome = caller.await.expect("join");
        assert_eq!(outcome.err(), Some(UpstreamError::Unauthorized(401)));
    }
    assert_eq!(fake.received().len(), 1);
    let dune = tmdb.movie(id(438631), None).await.expect("after the error");
    assert_eq!(dune.title, "Dune");
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn a_title_tmdb_does_not_know_is_asked_for_once() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let unknown = id(987_654_321);
    for _ in 0..3 {
        let answer = tmdb.movie(unknown, None).await;
        assert!(matches!(answer, Err(UpstreamError::NotFound)), "{answer:?}");
    }
    assert_eq!(fake.received().len(), 1, "the 404 is kept");
    // A title TMDB knows is still fetched and kept as usual.
    tmdb.movie(id(438_631), None).await.expect("Dune");
    tmdb.movie(id(438_631), None).await.expect("Dune again");
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn entries_expire_after_their_kind_s_ttl() {
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |c| {
        c.ttl.search = Duration::from_millis(150);
    });
    let query = SearchQuery::new("arcane");
    tmdb.search_tv(&query).await.expect("first");
    tmdb.external_ids(MediaType::Tv, id(94605))
        .await
        .expect("ids");
    tmdb.search_tv(&query).await.expect("cached");
    assert_eq!(fake.received().len(), 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    tmdb.search_tv(&query).await.expect("expired");
    tmdb.external_ids(MediaType::Tv, id(94605))
        .await
        .expect("still cached");
    assert_eq!(fake.received_at("GET", "/3/search/tv").len(), 2);
    assert_eq!(fake.received().len(), 3);
}

#[tokio::test]
async fn the_cache_stays_within_its_size_bound() {
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |c| {
        c.cache_bytes = 4 * 1024;
        c.rate_limit = RateLimit {
            per_second: nonzero(10_000),
            burst: nonzero(10_000),
        };
    });
    for n in 0..200 {
        tmdb.search_movies(&SearchQuery::new(format!("dune {n}")))
            .await
            .expect("search");
        tmdb.search_movies(&SearchQuery::new("dune"))
            .await
            .expect("search");
    }
    let [answers, _] = tmdb.cache_figures().await;
    let weight = answers.bytes;
    assert!(weight <= 4 * 1024, "cache holds {weight} bytes");
    assert!(answers.entries > 0);
}

#[tokio::test]
async fn the_rate_limit_spaces_out_upstream_calls() {
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |c| {
        c.rate_limit = RateLimit {
            per_second: nonzero(50),
            burst: nonzero(1),
        };
    });
    let started = Instant::now();
    let callers: Vec<_> = (0..26)
        .map(|n| {
            let tmdb = tmdb.clone();
            tokio::spawn(
                async move { tmdb.search_movies(&SearchQuery::new(format!("q{n}"))).await },
            )
        })
        .collect();
    for caller in callers {
        caller.await.expect("join").expect("search");
    }
    let elapsed = started.elapsed();
    assert_eq!(fake.received().len(), 26);
    // 26 calls at 50/s with no burst: 25 gaps of 20 ms.
    assert!(
        elapsed >= Duration::from_millis(480),
        "took only {elapsed:?}"
    );

    // Hits do not wait for the limiter.
    let started = Instant::now();
    for _ in 0..500 {
        tmdb.search_movies(&SearchQuery::new("q1"))
            .await
            .expect("hit");
    }
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cache_figures_count_the_answers_held_until_they_are_dropped() {
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |_| {});
    let [answers, images] = tmdb.cache_figures().await;
    assert_eq!(
        (answers.cache, answers.entries, answers.bytes),
        ("tmdb", 0, 0)
    );
    assert_eq!(
        (images.cache, images.entries, images.bytes),
        ("tmdb_images", 0, 0)
    );
    tmdb.search_movies(&SearchQuery::new("dune"))
        .await
        .expect("search");
    tmdb.search_movies(&SearchQuery::new("matrix"))
        .await
        .expect("search");
    let [answers, _] = tmdb.cache_figures().await;
    assert_eq!(answers.entries, 2);
    assert!(
        answers.bytes > 2 * 48,
        "two keys and their pages: {}",
        answers.bytes
    );
    tmdb.clear_cache();
    let [answers, _] = tmdb.cache_figures().await;
    assert_eq!((answers.entries, answers.bytes), (0, 0));
}
