use super::*;
use crate::domain::{DownloadState, Timestamp};

fn tmdb(id: u32) -> TmdbId {
    TmdbId::parse(i64::from(id)).expect("tmdb")
}

fn movie(id: u32, item: &str) -> IndexedTitle {
    let mut title = IndexedTitle::new(MediaType::Movie, tmdb(id));
    title.item = Some(item.into());
    title.imdb = Some(format!("tt{id:07}").into());
    title.present = true;
    title
}

/// Titles in every shape the sources send: ids that pack and ids that do not.
fn odd_titles() -> Vec<IndexedTitle> {
    let mut show = IndexedTitle::new(MediaType::Tv, tmdb(1396));
    show.tvdb = Some(TvdbId::parse(81189).expect("tvdb"));
    show.item = Some("0123456789abcdef0123456789abcdef".into());
    show.set_seasons([(1, 7, 7), (2, 3, 13)]);
    show.monitored = true;
    let mut queued = movie(603, "42");
    queued.four_k = true;
    queued.download = Some(Download {
        permille: 425,
        eta: Some(Timestamp(1_700_000_000_000)),
        state: DownloadState::Downloading,
    });
    let shapes = [
        "0123456789ABCDEF0123456789ABCDEF",
        "01234567-89ab-cdef-0123-456789abcdef",
        "007",
        "99999999999",
        "",
        "0",
    ];
    let mut titles = vec![show, queued, IndexedTitle::new(MediaType::Movie, tmdb(7))];
    for (n, item) in shapes.iter().enumerate() {
        let mut title = movie(10 + n as u32, item);
        title.imdb = Some(["tt1", "tt123456789", "nm0000001", "tt", "tt00000001", ""][n].into());
        titles.push(title);
    }
    // The same TMDB id as a show and as a movie are two titles.
    titles.push(movie(1396, "5"));
    titles
}

fn built(titles: Vec<IndexedTitle>) -> (Titles, usize) {
    let mut builder = Builder::default();
    for title in titles {
        builder.push(title);
    }
    builder.finish()
}

#[test]
fn every_title_comes_back_as_it_went_in() {
    let titles = odd_titles();
    let (packed, duplicates) = built(titles.clone());
    assert_eq!(duplicates, 0);
    assert_eq!(packed.len(), titles.len());
    for title in &titles {
        let held = packed.get(&(title.media_type, title.tmdb)).expect("held");
        assert_eq!(&held.to_title(), title);
        assert!(packed.holds(title));
        let mut other = title.clone();
        other.present = !other.present;
        assert!(!packed.holds(&other));
    }
    assert!(packed.get(&(MediaType::Tv, tmdb(603))).is_none());
    let keys: Vec<TitleKey> = packed.iter().map(|t| t.key()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "iterated in key order");
    let pairs: Vec<_> = packed.tvdb_pairs().collect();
    assert_eq!(
        pairs,
        vec![(TvdbId::parse(81189).expect("tvdb"), tmdb(1396))]
    );
    let queued = packed.get(&(MediaType::Movie, tmdb(603))).expect("held");
    assert_eq!(queued.item_number(), Some(42));
    assert_eq!(queued.download().map(|d| d.permille), Some(425));
}

#[test]
fn duplicates_fold_into_the_richer_copy() {
    let mut absent = movie(1, "1");
    absent.present = false;
    let present = movie(1, "2");
    let (packed, duplicates) = built(vec![movie(2, "3"), absent.clone(), present.clone()]);
    assert_eq!(duplicates, 1);
    assert_eq!(packed.len(), 2);
    assert_eq!(
        packed
            .get(&(MediaType::Movie, tmdb(1)))
            .map(|t| t.to_title()),
        Some(present.clone())
    );
    // Of equals, the first listed stays.
    let (packed, _) = built(vec![movie(1, "1"), movie(1, "2")]);
    assert_eq!(
        packed
            .get(&(MediaType::Movie, tmdb(1)))
            .and_then(|t| t.item_number()),
        Some(1)
    );
}

#[test]
fn diff_names_what_changed_and_what_left() {
    let (old, _) = built(vec![movie(1, "1"), movie(2, "2"), movie(3, "3")]);
    let mut changed = movie(2, "2");
    changed.monitored = true;
    let (new, _) = built(vec![movie(4, "4"), changed, movie(1, "1")]);
    let (changed, removed) = old.diff(&new);
    assert_eq!(
        changed,
        vec![(MediaType::Movie, tmdb(2)), (MediaType::Movie, tmdb(4))]
    );
    assert_eq!(removed, vec![(MediaType::Movie, tmdb(3))]);
    assert_eq!(new.diff(&new), (Vec::new(), Vec::new()));
}

#[test]
fn patches_add_replace_and_remove() {
    let (mut titles, _) = built(odd_titles());
    let before = titles.len();
    let mut replaced = movie(603, "43");
    replaced.download = None;
    titles.patch(
        vec![
            movie(5, "0123456789abcdef0123456789abcdef"),
            replaced.clone(),
        ],
        &[(MediaType::Movie, tmdb(7))],
    );
    assert_eq!(titles.len(), before);
    assert!(titles.holds(&replaced));
    assert!(titles.holds(&movie(5, "0123456789abcdef0123456789abcdef")));
    assert!(titles.get(&(MediaType::Movie, tmdb(7))).is_none());
    for title in odd_titles()
        .iter()
        .filter(|t| t.tmdb != tmdb(603) && t.tmdb != tmdb(7))
    {
        assert!(titles.holds(title), "{title:?} kept");
    }
}
