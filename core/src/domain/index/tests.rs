use super::*;

fn info(kind: SourceKind, public: Option<&str>, server: Option<&str>) -> SourceInfo {
    SourceInfo {
        name: kind.as_str().into(),
        kind,
        label: kind.product().into(),
        public_url: public.map(str::to_owned),
        server_id: server.map(str::to_owned),
    }
}

#[test]
fn links_follow_each_servers_web_app() {
    let jf = info(SourceKind::Jellyfin, Some("https://tv.example.org/"), None);
    assert_eq!(
        jf.link("a1b2").as_deref(),
        Some("https://tv.example.org/web/#/details?id=a1b2")
    );
    let emby = info(SourceKind::Emby, Some("http://emby:8096"), Some("srv1"));
    assert_eq!(
        emby.link("77").as_deref(),
        Some("http://emby:8096/web/index.html#!/item?id=77&serverId=srv1")
    );
    assert_eq!(
        info(SourceKind::Emby, Some("http://e"), None).link("1"),
        None
    );
    let plex = info(SourceKind::Plex, None, Some("m1"));
    assert_eq!(
        plex.link("42").as_deref(),
        Some("https://app.plex.tv/desktop/#!/server/m1/details?key=%2Flibrary%2Fmetadata%2F42")
    );
    assert_eq!(
        info(SourceKind::Radarr, Some("http://r"), None).link("1"),
        None
    );
    let hostile = jf.link("1&x=\"><script>").expect("link");
    assert!(
        hostile.ends_with("id=1%26x%3D%22%3E%3Cscript%3E"),
        "{hostile}"
    );
}

#[test]
fn a_show_is_whole_only_when_every_listed_season_is_complete() {
    let mut title = IndexedTitle::new(MediaType::Tv, TmdbId::parse(1396).expect("id"));
    title.set_seasons([(1, 7, 7), (2, 13, 13), (3, 5, 13)]);
    let status = TitleStatus {
        present: title.present,
        seasons_present: title.seasons_present(),
        seasons_complete: Seasons::new(
            title
                .seasons
                .iter()
                .filter(|s| s.complete())
                .map(|s| s.number),
        ),
        ..TitleStatus::default()
    };
    let listed = Seasons::new(1..=5);
    assert_eq!(
        status.availability(MediaType::Tv, &listed),
        Availability::Partial(Seasons::new([1, 2, 3]))
    );
    assert_eq!(status.missing(&listed), Seasons::new([3, 4, 5]));
    assert_eq!(
        status.availability(MediaType::Tv, &Seasons::new([1, 2])),
        Availability::Full
    );
    assert_eq!(
        TitleStatus::default().availability(MediaType::Tv, &listed),
        Availability::None
    );
}

#[test]
fn queue_states_and_duplicates_resolve_sensibly() {
    assert_eq!(
        DownloadState::from_arr("downloading", Some("downloading")),
        DownloadState::Downloading
    );
    assert_eq!(
        DownloadState::from_arr("completed", Some("importPending")),
        DownloadState::Importing
    );
    assert_eq!(
        DownloadState::from_arr("warning", None),
        DownloadState::Failed
    );
    assert_eq!(
        DownloadState::from_arr("delay", None),
        DownloadState::Queued
    );
    let download = Download {
        permille: 425,
        eta: None,
        state: DownloadState::Downloading,
    };
    assert_eq!(download.percent(), 42);
    let tmdb = TmdbId::parse(603).expect("id");
    let empty = IndexedTitle::new(MediaType::Movie, tmdb);
    let mut there = IndexedTitle::new(MediaType::Movie, tmdb);
    there.present = true;
    assert!(empty.clone().richer(there.clone()).present);
    assert!(there.richer(empty).present);
}
