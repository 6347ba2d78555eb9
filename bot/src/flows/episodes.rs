//! Single episodes from chat, once for both platforms: `/tv Show S02E05` becomes a card whose
//! buttons each ask for the episodes of one season ([`Action::RequestEpisodes`]), and a press
//! becomes core's episode request.

use usher_core::domain::{EpisodeNumber, Episodes, MediaType, Seasons, TmdbId};
use usher_core::integrations::tmdb::{SeasonChoice, TmdbClient};
use usher_core::service::{Caller, RequestOutcome, Services};
use usher_core::{CoreError, CoreResult};

use crate::callback::{Action, EpisodePick};

/// One button's worth: a season and the episodes asked of it, with the label's `S02E05, S02E07`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonEpisodes {
    /// The season.
    pub season: u8,
    /// Its episodes.
    pub pick: EpisodePick,
    /// How people read them.
    pub label: String,
}

impl SeasonEpisodes {
    /// The signed button's action for `tmdb_id`.
    #[must_use]
    pub fn action(&self, tmdb_id: u32, four_k: bool) -> Action {
        Action::RequestEpisodes {
            tmdb_id,
            four_k,
            season: self.season,
            episodes: self.pick,
        }
    }
}

/// The episodes split by season, one button each. A button carries episodes 1 to 64 of
/// seasons up to 255; beyond that the chat cannot ask (the console can), which is said.
///
/// # Errors
///
/// [`CoreError::Validation`] naming the episode a button cannot carry.
pub fn by_season(episodes: &Episodes) -> CoreResult<Vec<SeasonEpisodes>> {
    let mut out: Vec<SeasonEpisodes> = Vec::new();
    for season in episodes.seasons().iter() {
        let of_season: Vec<EpisodeNumber> =
            episodes.iter().filter(|e| e.season == season).collect();
        let too_far = || {
            CoreError::Validation(format!(
                "chat buttons carry episodes 1 to {} of seasons up to {}",
                EpisodePick::MAX_EPISODE,
                EpisodePick::MAX_SEASON
            ))
        };
        let number = u8::try_from(season).map_err(|_| too_far())?;
        let pick = EpisodePick::of(of_season.iter().map(|e| e.episode)).ok_or_else(too_far)?;
        let label = Episodes::new(of_season).to_string();
        out.push(SeasonEpisodes {
            season: number,
            pick,
            label,
        });
    }
    Ok(out)
}

/// A press of an episode button: the show looked up fresh on TMDB, then core's episode request
/// (duplicates followed, quotas and auto-approval as for seasons).
///
/// # Errors
///
/// Core's refusals, TMDB failures, or a pick no button of ours carries.
pub async fn ask(
    services: &Services,
    tmdb: &TmdbClient,
    caller: &Caller,
    (tmdb_id, four_k, season, pick): (u32, bool, u8, EpisodePick),
) -> CoreResult<RequestOutcome> {
    let numbers = pick.numbers();
    ask_numbers(services, tmdb, caller, (tmdb_id, four_k, season), &numbers).await
}

/// [`ask`] for episode numbers a menu chose (Discord's picker lists episodes past 64, which
/// no [`EpisodePick`] carries).
///
/// # Errors
///
/// As [`ask`]; an episode number out of range is [`CoreError::Validation`].
pub async fn ask_numbers(
    services: &Services,
    tmdb: &TmdbClient,
    caller: &Caller,
    (tmdb_id, four_k, season): (u32, bool, u8),
    numbers: &[u16],
) -> CoreResult<RequestOutcome> {
    let episodes = numbers
        .iter()
        .map(|n| EpisodeNumber::new(u16::from(season), *n))
        .collect::<CoreResult<Vec<_>>>()?;
    let episodes = Episodes::new(episodes);
    if episodes.is_empty() {
        return Err(CoreError::Validation("no episode picked".into()));
    }
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let seasons = SeasonChoice::These(Seasons::new([u16::from(season)]));
    let new = tmdb.new_request(MediaType::Tv, id, seasons, four_k).await?;
    services
        .requests
        .create_episodes(&caller.actor, new, &episodes)
        .await
}

/// The episode numbers TMDB lists for one season of a show, ascending: what a picker offers.
///
/// # Errors
///
/// A TMDB failure (an unknown show or season is its 404).
pub async fn season_episodes(
    tmdb: &TmdbClient,
    (tmdb_id, season): (u32, u8),
    language: Option<&str>,
) -> CoreResult<Vec<u16>> {
    let id = TmdbId::parse(i64::from(tmdb_id))?;
    let listed = tmdb
        .season(id, u16::from(season), language)
        .await
        .map_err(|error| error.into_core(crate::flows::search::TMDB))?;
    let mut numbers: Vec<u16> = listed
        .episodes
        .iter()
        .filter_map(|e| u16::try_from(e.number).ok())
        .filter(|n| *n >= 1)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_season_gets_one_button_and_far_episodes_are_refused() {
        let episodes = Episodes::parse("S02E05,S02E07,S03E01").expect("episodes");
        let buttons = by_season(&episodes).expect("buttons");
        assert_eq!(buttons.len(), 2);
        assert_eq!(buttons[0].label, "S02E05, S02E07");
        assert_eq!(buttons[0].pick.numbers(), [5, 7]);
        assert_eq!(
            (buttons[1].season, buttons[1].label.as_str()),
            (3, "S03E01")
        );
        let far = Episodes::parse("S01E65").expect("episodes");
        assert!(matches!(by_season(&far), Err(CoreError::Validation(_))));
    }
}
