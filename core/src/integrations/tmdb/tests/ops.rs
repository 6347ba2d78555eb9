//! Each operation returns the typed snapshot the fake's catalogue implies, and sends what TMDB
//! expects (path, parameters, credential).

use usher_testkit::tmdb;

use super::super::{Browse, SearchQuery, TimeWindow, Trending};
use super::{client, client_with, fake, id, query_pairs};
use crate::domain::{MediaType, TvdbId};
use crate::integrations::TvdbIds;

#[tokio::test]
async fn search_movies_with_year_language_and_page() {
    let fake = fake().await;
    let tmdb = client(&fake);

    let all = tmdb
        .search_movies(&SearchQuery::new("Dune"))
        .await
        .expect("search");
    let ids: Vec<u32> = all.hits.iter().map(|h| h.tmdb_id.get()).collect();
    assert_eq!(
        ids,
        [693134, 438631, 841],
        "by popularity, 1984's Dune included"
    );
    assert_eq!((all.page, all.total_pages, all.total_results), (1, 1, 3));

    let dated = tmdb
        .search_movies(&SearchQuery::new("dune").year(2021))
        .await
        .expect("search");
    assert_eq!(dated.hits.len(), 1);
    let hit = &dated.hits[0];
    assert_eq!(hit.media_type, MediaType::Movie);
    assert_eq!(hit.tmdb_id.get(), 438631);
    assert_eq!((hit.title.as_str(), hit.year), ("Dune", Some(2021)));
    assert_eq!(
        hit.poster_path.as_deref(),
        Some("/d5NXSklXo0qyIYkgV94XAgMIckC.jpg")
    );
    assert!(hit.vote_average > 7.0 && !hit.overview.is_empty());

    let sent = fake.received_at("GET", "/3/search/movie");
    let params = query_pairs(&sent[1].query);
    for expected in [("query", "dune"), ("year", "2021"), ("page", "1")] {
        assert!(
            params.contains(&(expected.0.into(), expected.1.into())),
            "{params:?}"
        );
    }

    let french = tmdb
        .search_movies(&SearchQuery::new("chihiro").language("fr-FR"))
        .await
        .expect("search");
    assert_eq!(french.hits[0].title, "Le Voyage de Chihiro");
    assert_eq!(french.hits[0].tmdb_id.get(), 129);

    let later = tmdb
        .search_movies(&SearchQuery::new("dune").page(2))
        .await
        .expect("search");
    assert_eq!(later.page, 2);
    assert!(later.hits.is_empty());
}

#[tokio::test]
async fn search_tv_and_multi_skip_people() {
    let fake = fake().await;
    let tmdb = client(&fake);

    let shows = tmdb
        .search_tv(&SearchQuery::new("breaking"))
        .await
        .expect("tv");
    assert_eq!(shows.hits.len(), 1);
    assert_eq!(shows.hits[0].media_type, MediaType::Tv);
    assert_eq!(
        (shows.hits[0].title.as_str(), shows.hits[0].year),
        ("Breaking Bad", Some(2008))
    );
    let none = tmdb
        .search_tv(&SearchQuery::new("breaking").year(1999))
        .await
        .expect("tv");
    assert!(none.hits.is_empty());
    let sent = fake.received_at("GET", "/3/search/tv");
    assert!(query_pairs(&sent[1].query).contains(&("first_air_date_year".into(), "1999".into())));

    let mixed = tmdb
        .search_multi(&SearchQuery::new("a"))
        .await
        .expect("multi");
    let kinds: Vec<MediaType> = mixed.hits.iter().map(|h| h.media_type).collect();
    assert!(kinds.contains(&MediaType::Movie) && kinds.contains(&MediaType::Tv));

    let people = tmdb
        .search_multi(&SearchQuery::new("Denis"))
        .await
        .expect("multi");
    assert_eq!(people.total_results, 1, "TMDB counted the person");
    assert!(people.hits.is_empty(), "but people are not requestable");

    // Multi search has no year parameter at TMDB: the year filters the page instead.
    let dated = tmdb
        .search_multi(&SearchQuery::new("dune").year(1984))
        .await
        .expect("multi");
    assert_eq!(dated.hits.len(), 1);
    assert_eq!(dated.hits[0].tmdb_id.get(), 841);
    let sent = fake.received_at("GET", "/3/search/multi");
    assert!(sent.iter().all(|r| !r.query.contains("year")));
}

#[tokio::test]
async fn empty_query_costs_no_call() {
    let fake = fake().await;
    let page = client(&fake)
        .search_multi(&SearchQuery::new("   "))
        .await
        .expect("empty");
    assert!(page.hits.is_empty());
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn movie_details() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let dune = tmdb.movie(id(438631), None).await.expect("movie");
    assert_eq!(dune.title, "Dune");
    assert_eq!(dune.year, Some(2021));
    assert_eq!(
        dune.release_date.map(|d| d.to_string()).as_deref(),
        Some("2021-09-15")
    );
    assert_eq!(dune.runtime_minutes, Some(155));
    assert_eq!(dune.imdb_id.as_deref(), Some("tt1160419"));
    assert_eq!(dune.genres[0].name, "Science Fiction");
    assert_eq!(dune.status, "Released");

    let chihiro = tmdb.movie(id(129), Some("de-DE")).await.expect("movie");
    assert_eq!(chihiro.title, "Chihiros Reise ins Zauberland");
    assert_eq!(chihiro.original_title, "千と千尋の神隠し");
    assert_eq!(chihiro.original_language, "ja");
}

#[tokio::test]
async fn show_details_with_seasons_and_next_episode() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let bb = tmdb.show(id(1396), None).await.expect("show");
    assert_eq!(bb.title, "Breaking Bad");
    assert_eq!((bb.status.as_str(), bb.in_production), ("Ended", false));
    assert_eq!(bb.number_of_seasons, 5);
    assert_eq!(bb.number_of_episodes, 62);
    assert_eq!(bb.seasons.len(), 6, "specials included");
    assert_eq!(bb.seasons[0].number, 0);
    let regular: Vec<(u16, u32)> = bb
        .regular_seasons()
        .map(|s| (s.number, s.episode_count))
        .collect();
    assert_eq!(regular, [(1, 7), (2, 13), (3, 13), (4, 13), (5, 16)]);
    assert!(bb.next_episode.is_none());
    assert_eq!(
        bb.last_episode.as_ref().map(|e| (e.season, e.episode)),
        Some((5, 16))
    );

    // TMDB has four seasons here where TVDB (Sonarr) has three.
    let harbor = tmdb.show(id(990001), None).await.expect("show");
    assert_eq!(harbor.number_of_seasons, 4);
    assert!(harbor.in_production);
    let next = harbor.next_episode.as_ref().expect("next episode");
    assert_eq!((next.season, next.episode), (4, 5));
    assert_eq!(
        next.air_date.map(|d| d.to_string()).as_deref(),
        Some("2031-10-31")
    );
}

#[tokio::test]
async fn external_ids_and_the_tvdb_seam() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let ids = tmdb
        .external_ids(MediaType::Tv, id(1396))
        .await
        .expect("ids");
    assert_eq!(ids.tvdb_id, Some(TvdbId::parse(81189).expect("tvdb")));
    assert_eq!(ids.imdb_id.as_deref(), Some("tt0903747"));
    let movie = tmdb
        .external_ids(MediaType::Movie, id(27205))
        .await
        .expect("ids");
    assert_eq!(
        (movie.imdb_id.as_deref(), movie.tvdb_id),
        (Some("tt1375666"), None)
    );

    let seam: &dyn TvdbIds = &tmdb;
    assert_eq!(
        seam.tvdb_id(id(1429)).await.expect("tvdb").map(TvdbId::get),
        Some(267440)
    );
    assert_eq!(fake.received_at("GET", "/3/tv/1429/external_ids").len(), 1);
}

#[tokio::test]
async fn certifications_per_country_from_one_call() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let cert = |country: &'static str| tmdb.certification(MediaType::Movie, id(438631), country);
    assert_eq!(cert("US").await.expect("us").as_deref(), Some("PG-13"));
    assert_eq!(cert("de").await.expect("de").as_deref(), Some("12"));
    assert_eq!(cert("FR").await.expect("fr"), None);
    assert_eq!(
        fake.received_at("GET", "/3/movie/438631/release_dates")
            .len(),
        1
    );

    let tv = tmdb
        .certification(MediaType::Tv, id(1396), "US")
        .await
        .expect("tv");
    assert_eq!(tv.as_deref(), Some("TV-MA"));
}

#[tokio::test]
async fn keywords_and_anime_detection() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let words = tmdb
        .keywords(MediaType::Tv, id(1429))
        .await
        .expect("keywords");
    assert!(words.iter().any(|k| k.id == super::super::ANIME_KEYWORD));
    let movie_words = tmdb
        .keywords(MediaType::Movie, id(27205))
        .await
        .expect("keywords");
    assert_eq!(movie_words[0].name, "dream");

    let anime = |media, raw| tmdb.is_anime(media, id(raw));
    assert!(
        anime(MediaType::Tv, 1429).await.expect("aot"),
        "Animation + ja"
    );
    assert!(
        anime(MediaType::Movie, 129).await.expect("chihiro"),
        "Animation + ja"
    );
    assert!(
        anime(MediaType::Tv, 246).await.expect("avatar"),
        "keyword only"
    );
    assert!(
        !anime(MediaType::Tv, 94605).await.expect("arcane"),
        "animated, not anime"
    );
    assert!(!anime(MediaType::Movie, 27205).await.expect("inception"));
    assert!(
        fake.received_at("GET", "/3/movie/129/keywords").is_empty(),
        "the genre rule decided without keywords"
    );
}

#[tokio::test]
async fn trending_lists() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let day = tmdb
        .trending(Trending::All, TimeWindow::Day, None)
        .await
        .expect("day");
    let kinds: Vec<MediaType> = day.hits.iter().map(|h| h.media_type).collect();
    assert_eq!(
        kinds,
        [
            MediaType::Movie,
            MediaType::Tv,
            MediaType::Movie,
            MediaType::Tv,
            MediaType::Movie
        ]
    );
    let week = tmdb
        .trending(Trending::Movie, TimeWindow::Week, Some("fr-FR"))
        .await
        .expect("week");
    assert!(week.hits.iter().all(|h| h.media_type == MediaType::Movie));
    assert_eq!(week.hits[0].title, "Dune : Deuxième partie");
    let tv = tmdb
        .trending(Trending::Tv, TimeWindow::Week, None)
        .await
        .expect("tv");
    assert_eq!(tv.hits.len(), 2);
    assert_eq!(fake.received_at("GET", "/3/trending/movie/week").len(), 1);
}

#[tokio::test]
async fn image_urls() {
    let fake = fake().await;
    let tmdb = client(&fake);
    assert_eq!(
        tmdb.poster_url("/d5NXSklXo0qyIYkgV94XAgMIckC.jpg"),
        "https://image.tmdb.org/t/p/w500/d5NXSklXo0qyIYkgV94XAgMIckC.jpg"
    );
    assert_eq!(
        tmdb.backdrop_url("/x.jpg"),
        "https://image.tmdb.org/t/p/w1280/x.jpg"
    );
    let mirrored = client_with(&fake, tmdb::API_KEY, |c| {
        c.image_base_url = "http://images.local/t/p/".into();
    });
    assert_eq!(
        mirrored.image_url("w92", "a.jpg"),
        "http://images.local/t/p/w92/a.jpg"
    );
}

#[tokio::test]
async fn v3_key_in_query_v4_token_in_header() {
    let fake = fake().await;
    client(&fake)
        .search_movies(&SearchQuery::new("inception"))
        .await
        .expect("v3");
    client_with(&fake, tmdb::READ_TOKEN, |_| {})
        .search_movies(&SearchQuery::new("dune"))
        .await
        .expect("v4");
    let sent = fake.received();
    assert!(query_pairs(&sent[0].query).contains(&("api_key".into(), tmdb::API_KEY.into())));
    assert_eq!(sent[0].header("authorization"), None);
    assert!(!sent[1].query.contains("api_key"));
    let bearer = format!("Bearer {}", tmdb::READ_TOKEN);
    assert_eq!(sent[1].header("authorization"), Some(bearer.as_str()));
}

#[tokio::test]
async fn lists_to_browse_page_like_tmdb_and_are_cached() {
    let fake = fake().await;
    let tmdb = client(&fake);
    let popular = tmdb
        .browse(Browse::Popular(MediaType::Movie), None, 1)
        .await
        .expect("popular");
    assert_eq!(popular.hits.len(), 20);
    assert_eq!(
        popular.hits[0].title, "Dune: Part Two",
        "most popular first"
    );
    assert!(popular.total_pages > 200, "{}", popular.total_pages);
    let second = tmdb
        .browse(Browse::Popular(MediaType::Movie), None, 2)
        .await
        .expect("page 2");
    assert_eq!(second.page, 2);
    assert!(second.hits.iter().all(|h| !popular.hits.contains(h)));
    let upcoming = tmdb
        .browse(Browse::Upcoming, Some("fr-FR"), 1)
        .await
        .expect("upcoming");
    let titles: Vec<&str> = upcoming.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Dune : Deuxième partie"]);
    let animated = tmdb
        .browse(Browse::Genre(MediaType::Tv, 16), None, 1)
        .await
        .expect("genre");
    assert!(animated.hits.iter().all(|h| h.media_type == MediaType::Tv));
    assert_eq!(animated.hits.len(), 3, "{animated:?}");
    let sent = fake.received_at("GET", "/3/discover/tv");
    assert!(
        sent[0].query.contains("with_genres=16"),
        "{:?}",
        sent[0].query
    );
    for _ in 0..3 {
        let genres = tmdb.genres(MediaType::Movie, None).await.expect("genres");
        assert!(
            genres
                .iter()
                .any(|g| g.id == 878 && g.name == "Science Fiction")
        );
    }
    assert_eq!(
        fake.received_at("GET", "/3/genre/movie/list").len(),
        1,
        "cached"
    );
    tmdb.browse(Browse::Popular(MediaType::Movie), None, 1)
        .await
        .expect("again");
    assert_eq!(
        fake.received_at("GET", "/3/movie/popular").len(),
        2,
        "cached"
    );
}
