//! TMDB's season numbers lined up with Sonarr's (TVDB's) on the way into an add or update:
//! Sonarr's seasons and their episode counts read from its series resource, handed with TMDB's
//! sizes to [`tvdb_seasons`], and the outcome logged, since it changes what is monitored.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{SeriesRequest, season_number};
use crate::domain::season_map::{SeasonPlan, tvdb_seasons};

/// The seasons of `series` to monitor when TMDB's numbering does not fit Sonarr's: the TVDB
/// seasons holding the requested episodes, or every regular season when that cannot be told.
/// `None` when the request's numbers fit (or TMDB's sizes are unknown, or Sonarr lists no
/// regular season): use them as they are, which refuses seasons Sonarr lacks.
pub(super) fn lined_up(
    instance: &str,
    request: &SeriesRequest<'_>,
    series: &Value,
    title: &str,
) -> Option<BTreeSet<u16>> {
    let tmdb = request.shape.tmdb_seasons?;
    let requested: BTreeSet<u16> = request.seasons.iter().collect();
    let sonarr = season_sizes(series);
    let asked = request.seasons.to_csv();
    match tvdb_seasons(&requested, tmdb, &sonarr) {
        SeasonPlan::AsRequested => None,
        SeasonPlan::Mapped(seasons) => {
            let sent = csv(&seasons);
            tracing::info!(instance, title, asked, sent, "TMDB seasons sent as TVDB's");
            Some(seasons)
        }
        SeasonPlan::All(why) => {
            tracing::warn!(
                instance,
                title,
                asked,
                why,
                "TMDB seasons not found in Sonarr; monitoring every season"
            );
            let every: BTreeSet<u16> = sonarr.iter().map(|(n, _)| *n).filter(|n| *n > 0).collect();
            // No regular season at all: nothing to monitor, so the request is refused as for
            // any season Sonarr lacks rather than placed with nothing monitored.
            (!every.is_empty()).then_some(every)
        }
    }
}

/// Each season of a series with its episode count, when Sonarr gave statistics
/// (`statistics.totalEpisodeCount`, else `episodeCount`).
fn season_sizes(series: &Value) -> Vec<(u16, Option<u32>)> {
    let count = |season: &Value| {
        let stats = season.get("statistics")?;
        let total = stats.get("totalEpisodeCount").and_then(Value::as_u64);
        let count = total.or_else(|| stats.get("episodeCount").and_then(Value::as_u64));
        count.and_then(|c| u32::try_from(c).ok())
    };
    series
        .get("seasons")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|season| Some((season_number(season)?, count(season))))
                .collect()
        })
        .unwrap_or_default()
}

fn csv(seasons: &BTreeSet<u16>) -> String {
    let numbers: Vec<String> = seasons.iter().map(u16::to_string).collect();
    numbers.join(",")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{Seasons, TvdbId};

    #[test]
    fn a_series_with_no_regular_season_gives_nothing_to_monitor() {
        let second = Seasons::new([2]);
        let tmdb = [(1, 10), (2, 10)];
        let request = SeriesRequest {
            tvdb_id: TvdbId::parse(81189).expect("tvdb id"),
            seasons: &second,
            future_seasons: false,
            anime: None,
            extra_tags: &[],
            placement: Default::default(),
            shape: super::super::SeriesShape {
                series_type: None,
                tmdb_seasons: Some(&tmdb),
            },
        };
        let specials_only = json!({"seasons": [{"seasonNumber": 0}]});
        assert_eq!(lined_up("sonarr", &request, &specials_only, "Show"), None);
        let two = json!({"seasons": [{"seasonNumber": 0}, {"seasonNumber": 1}]});
        assert_eq!(
            lined_up("sonarr", &request, &two, "Show"),
            Some(BTreeSet::from([1])),
            "with a regular season, every one is monitored"
        );
    }
}
