//! TMDB and TVDB number some shows' seasons differently — anime above all: TMDB's season 2 of
//! a show may be episodes 13–24 of TVDB's season 1, or TVDB may split one TMDB season in
//! three. Requests carry TMDB's numbers; Sonarr knows TVDB's. When a requested season does not
//! exist in Sonarr, [`tvdb_seasons`] lines both numberings up episode by episode (TMDB's
//! per-season episode counts against Sonarr's) and says which TVDB seasons hold the requested
//! episodes. When that cannot be told, every season is monitored rather than none.

use std::collections::BTreeSet;

/// Which of Sonarr's seasons to monitor for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeasonPlan {
    /// Every requested season exists in Sonarr (or TMDB itself does not know it): the request's
    /// numbers are used as they are.
    AsRequested,
    /// Sonarr numbers the show differently: these TVDB seasons hold the requested episodes.
    Mapped(BTreeSet<u16>),
    /// The numberings could not be lined up (the reason says why): monitor every regular
    /// season rather than none.
    All(String),
}

/// Lines TMDB's numbering up with Sonarr's for the `requested` TMDB seasons. `tmdb` gives
/// TMDB's episode count per season and `sonarr` Sonarr's (when its lookup has statistics);
/// specials (season 0) are left out of the counting and kept as they are.
pub fn tvdb_seasons(
    requested: &BTreeSet<u16>,
    tmdb: &[(u16, u32)],
    sonarr: &[(u16, Option<u32>)],
) -> SeasonPlan {
    let has = |n: u16| sonarr.iter().any(|(s, _)| *s == n);
    let regular: BTreeSet<u16> = requested.iter().copied().filter(|n| *n > 0).collect();
    if regular.iter().all(|n| has(*n)) {
        return SeasonPlan::AsRequested;
    }
    if regular.iter().any(|n| !tmdb.iter().any(|(s, _)| s == n)) {
        return SeasonPlan::AsRequested;
    }
    let Some(tvdb) = counts(sonarr) else {
        return SeasonPlan::All("Sonarr's seasons have no episode counts".into());
    };
    let tmdb_ranges = ranges(tmdb.iter().map(|(n, c)| (*n, *c)).filter(|(n, _)| *n > 0));
    let tvdb_ranges = ranges(tvdb.into_iter());
    let Some(tvdb_total) = tvdb_ranges.last().map(|(_, _, end)| *end) else {
        return SeasonPlan::All("Sonarr lists no regular season".into());
    };
    let mut out: BTreeSet<u16> = requested
        .iter()
        .copied()
        .filter(|n| *n == 0 && has(0))
        .collect();
    let asked = tmdb_ranges
        .iter()
        .filter(|(n, start, end)| regular.contains(n) && start < end);
    for (_, start, end) in asked {
        if *start >= tvdb_total {
            // Episodes TVDB does not list yet: they will come in its last season.
            out.extend(tvdb_ranges.last().map(|(n, _, _)| *n));
            continue;
        }
        out.extend(
            tvdb_ranges
                .iter()
                .filter(|(_, s, e)| s < end && start < e)
                .map(|(n, _, _)| *n),
        );
    }
    if out.iter().any(|n| *n > 0) {
        SeasonPlan::Mapped(out)
    } else {
        SeasonPlan::All("the requested seasons have no episodes on TMDB".into())
    }
}

/// Sonarr's regular seasons with their episode counts, if every one has a count.
fn counts(sonarr: &[(u16, Option<u32>)]) -> Option<Vec<(u16, u32)>> {
    let mut seasons: Vec<(u16, u32)> = sonarr
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, c)| c.map(|c| (*n, c)))
        .collect::<Option<_>>()?;
    seasons.sort_unstable();
    Some(seasons)
}

/// Each season's episodes as a half-open range of absolute episode indexes, in season order:
/// (season, first, past the last).
fn ranges(seasons: impl Iterator<Item = (u16, u32)>) -> Vec<(u16, u64, u64)> {
    let mut sorted: Vec<(u16, u32)> = seasons.collect();
    sorted.sort_unstable();
    let mut at = 0u64;
    sorted
        .into_iter()
        .map(|(n, count)| {
            let start = at;
            at += u64::from(count);
            (n, start, at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(seasons: &[u16]) -> BTreeSet<u16> {
        seasons.iter().copied().collect()
    }

    fn sonarr(seasons: &[(u16, u32)]) -> Vec<(u16, Option<u32>)> {
        seasons.iter().map(|(n, c)| (*n, Some(*c))).collect()
    }

    #[test]
    fn seasons_sonarr_has_are_used_as_they_are() {
        let tmdb = [(1, 7), (2, 13), (3, 13)];
        let tvdb = sonarr(&[(0, 10), (1, 7), (2, 13), (3, 13)]);
        assert_eq!(
            tvdb_seasons(&set(&[2, 3]), &tmdb, &tvdb),
            SeasonPlan::AsRequested
        );
    }

    /// Mob Psycho 100 style: TMDB splits the show into cours, TVDB keeps one absolute season
    /// per broadcast year. TMDB seasons 2 and 3 (12 + 13 episodes) are TVDB's season 2.
    #[test]
    fn split_cours_map_onto_the_tvdb_season_that_holds_them() {
        let tmdb = [(0, 6), (1, 12), (2, 12), (3, 13)];
        let tvdb = sonarr(&[(0, 6), (1, 12), (2, 25)]);
        assert_eq!(
            tvdb_seasons(&set(&[3]), &tmdb, &tvdb),
            SeasonPlan::Mapped(set(&[2]))
        );
        assert_eq!(
            tvdb_seasons(&set(&[0, 2, 3]), &tmdb, &tvdb),
            SeasonPlan::Mapped(set(&[0, 2])),
            "specials are kept as they are"
        );
    }

    /// One TMDB season of 64 episodes (Fullmetal Alchemist: Brotherhood) against TVDB's
    /// numbering, and a show TVDB keeps in one absolute season.
    #[test]
    fn one_long_tmdb_season_covers_several_tvdb_seasons() {
        let tmdb = [(1, 64), (2, 12)];
        let tvdb = sonarr(&[(1, 13), (2, 13), (3, 13), (4, 13), (5, 12), (6, 12)]);
        assert_eq!(
            tvdb_seasons(&set(&[2]), &tmdb, &tvdb),
            SeasonPlan::AsRequested,
            "a season number both sides have is taken as it is"
        );
        assert_eq!(
            tvdb_seasons(&set(&[1, 2]), &tmdb, &[(1, Some(76))]),
            SeasonPlan::Mapped(set(&[1])),
            "both TMDB seasons are TVDB's one absolute season"
        );
        let tvdb = sonarr(&[(1, 51), (2, 13)]);
        assert_eq!(
            tvdb_seasons(&set(&[3]), &[(1, 51), (2, 13), (3, 12)], &tvdb),
            SeasonPlan::Mapped(set(&[2])),
            "a season TVDB has not listed yet comes in its last one"
        );
    }

    /// TMDB's season 2 = TVDB's season 1 episodes 13–24 (a 24-episode TVDB season).
    #[test]
    fn a_second_cour_maps_to_the_first_tvdb_season() {
        let tmdb = [(1, 12), (2, 12), (3, 12)];
        let tvdb = sonarr(&[(0, 2), (1, 24), (2, 12)]);
        assert_eq!(
            tvdb_seasons(&set(&[3]), &tmdb, &tvdb),
            SeasonPlan::Mapped(set(&[2]))
        );
        assert_eq!(
            tvdb_seasons(&set(&[2]), &tmdb, &sonarr(&[(1, 24)])),
            SeasonPlan::Mapped(set(&[1]))
        );
    }

    #[test]
    fn episodes_tvdb_does_not_list_yet_go_to_its_last_season() {
        let tmdb = [(1, 12), (2, 12), (3, 12)];
        let tvdb = sonarr(&[(1, 24)]);
        assert_eq!(
            tvdb_seasons(&set(&[3]), &tmdb, &tvdb),
            SeasonPlan::Mapped(set(&[1]))
        );
    }

    #[test]
    fn without_sonarr_counts_every_season_is_monitored() {
        let tmdb = [(1, 12), (2, 12)];
        let plan = tvdb_seasons(&set(&[2]), &tmdb, &[(1, None)]);
        assert!(
            matches!(&plan, SeasonPlan::All(why) if why.contains("no episode counts")),
            "{plan:?}"
        );
        let empty = tvdb_seasons(&set(&[2]), &[(1, 12), (2, 0)], &sonarr(&[(1, 12)]));
        assert!(matches!(empty, SeasonPlan::All(_)), "{empty:?}");
    }

    #[test]
    fn a_season_tmdb_does_not_know_is_left_to_the_caller() {
        let tmdb = [(1, 7), (2, 13)];
        let tvdb = sonarr(&[(1, 7), (2, 13)]);
        assert_eq!(
            tvdb_seasons(&set(&[9]), &tmdb, &tvdb),
            SeasonPlan::AsRequested
        );
    }
}
