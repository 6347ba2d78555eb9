//! "Future seasons": a show requested with seasons to come is stored so, and a movie cannot be.

use super::harness::{both_dbs, movie, show, user_with_role};
use crate::CoreError;
use crate::service::Services;

both_dbs!(
    future_seasons_are_kept_on_a_show_and_refused_on_a_movie,
    |db| {
        let services = Services::new(db.clone());
        let (_, ann) = user_with_role(&services, 1, "member").await;
        let mut whole = show(1429, "Attack on Titan", &[2, 4]);
        whole.future_seasons = true;
        let created = services.requests.create(&ann, whole).await.expect("create");
        assert!(created.request.future_seasons);
        let stored = services
            .requests
            .get(&ann, created.request.id)
            .await
            .expect("get");
        assert!(stored.future_seasons);
        assert_eq!(stored.seasons.to_csv(), "2,4");

        let plain = services
            .requests
            .create(&ann, show(1396, "Breaking Bad", &[1]))
            .await
            .expect("create");
        assert!(!plain.request.future_seasons);

        let mut odd = movie(438_631, "Dune");
        odd.future_seasons = true;
        let refused = services.requests.create(&ann, odd).await;
        assert!(
            matches!(refused, Err(CoreError::Validation(_))),
            "{refused:?}"
        );
    }
);
