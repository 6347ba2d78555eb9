//! The extra Radarr/Sonarr instances (4K, anime) and the options shared by every instance.

use super::Validator;
use crate::config::settings::{ArrOptions, ArrSettings, MinimumAvailability};

/// The keys of each extra instance: `[url, api_key, quality_profile, root_folder]`.
const EXTRA_INSTANCES: [[&str; 4]; 3] = [
    [
        "radarr_4k_url",
        "radarr_4k_api_key",
        "radarr_4k_quality_profile",
        "radarr_4k_root_folder",
    ],
    [
        "sonarr_4k_url",
        "sonarr_4k_api_key",
        "sonarr_4k_quality_profile",
        "sonarr_4k_root_folder",
    ],
    [
        "sonarr_anime_url",
        "sonarr_anime_api_key",
        "sonarr_anime_quality_profile",
        "sonarr_anime_root_folder",
    ],
];

/// The 4K Radarr, 4K Sonarr and anime Sonarr, validated like the default instances.
pub(super) struct ExtraInstances {
    pub radarr_4k: Option<ArrSettings>,
    pub sonarr_4k: Option<ArrSettings>,
    pub sonarr_anime: Option<ArrSettings>,
}

impl Validator<'_> {
    /// Reads the extra instances; a URL without a key (or the reverse) is a problem.
    pub(super) fn extra_arr_instances(&mut self) -> ExtraInstances {
        let [radarr_4k, sonarr_4k, sonarr_anime] = EXTRA_INSTANCES.map(|keys| self.arr(keys));
        ExtraInstances {
            radarr_4k,
            sonarr_4k,
            sonarr_anime,
        }
    }

    /// The options every instance shares.
    pub(super) fn arr_options(&mut self) -> ArrOptions {
        let defaults = ArrOptions::default();
        let radarr_minimum_availability = self
            .choice(
                "radarr_minimum_availability",
                &[
                    ("announced", MinimumAvailability::Announced),
                    ("inCinemas", MinimumAvailability::InCinemas),
                    ("released", MinimumAvailability::Released),
                ],
            )
            .unwrap_or(defaults.radarr_minimum_availability);
        let radarr_tags = self.tag_list("radarr_tags");
        let sonarr_tags = self.tag_list("sonarr_tags");
        let sonarr_season_folder = self
            .flag("sonarr_season_folder")
            .unwrap_or(defaults.sonarr_season_folder);
        let search_on_add = self
            .flag("arr_search_on_add")
            .unwrap_or(defaults.search_on_add);
        let submit_attempts = self
            .bounded("arr_submit_attempts", 1..=100, "attempts")
            .unwrap_or(defaults.submit_attempts);
        let submit_lease_secs = self
            .bounded("arr_submit_lease_secs", 5..=3600, "seconds")
            .unwrap_or(defaults.submit_lease_secs);
        let retry_backoff_secs = self
            .bounded("arr_retry_backoff_secs", 1..=3600, "seconds")
            .unwrap_or(defaults.retry_backoff_secs);
        ArrOptions {
            submit_lease_secs,
            retry_backoff_secs,
            radarr_minimum_availability,
            radarr_tags,
            sonarr_tags,
            sonarr_season_folder,
            search_on_add,
            submit_attempts,
        }
    }

    /// A yes/no value: `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`.
    pub(super) fn flag(&mut self, name: &str) -> Option<bool> {
        self.choice(
            name,
            &[
                ("true", true),
                ("false", false),
                ("yes", true),
                ("no", false),
                ("on", true),
                ("off", false),
                ("1", true),
                ("0", false),
            ],
        )
    }

    /// Tag labels as Radarr and Sonarr accept them: letters, digits and `-`; stored lower-case.
    fn tag_list(&mut self, name: &str) -> Vec<String> {
        let labels: Vec<String> = self.list(name, "a tag label");
        let mut valid = Vec::new();
        for label in labels {
            if label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                valid.push(label.to_ascii_lowercase());
            } else {
                let msg = format!(
                    "tag \"{label}\" may only hold letters a-z, digits and - (Radarr's and Sonarr's rule)"
                );
                self.problem(name, msg);
            }
        }
        valid
    }
}
