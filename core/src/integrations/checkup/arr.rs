//! `usher check` for one Radarr/Sonarr instance: key accepted, version, and whether the
//! quality profile, root folder (with free space) and tags it will use exist.

use super::ServiceCheck;
use crate::config::{ArrSettings, Settings};
use crate::integrations::arr::{
    ArrInstance, ArrInstances, ConnectionReport, pick_profile, pick_root_folder, tag_label,
};

/// Radarr/Sonarr instances: name, app, and the prefix of their settings.
pub(super) const ARR: [(&str, &str, &str); 5] = [
    ("radarr", "Radarr", "USHER_RADARR"),
    ("radarr-4k", "Radarr", "USHER_RADARR_4K"),
    ("sonarr", "Sonarr", "USHER_SONARR"),
    ("sonarr-4k", "Sonarr", "USHER_SONARR_4K"),
    ("sonarr-anime", "Sonarr", "USHER_SONARR_ANIME"),
];

/// One Radarr/Sonarr instance to check, with what its settings ask of it.
pub(super) struct ArrJob {
    instance: ArrInstance,
    app: &'static str,
    prefix: &'static str,
    url: String,
    configured: (Option<String>, Option<String>),
    tags: Vec<String>,
}

impl ArrJob {
    /// The check of instance `name` (`radarr`, `sonarr-anime`, …), when the settings and the
    /// built instances both have it.
    pub(super) fn new(settings: &Settings, instances: &ArrInstances, name: &str) -> Option<Self> {
        let (_, app, prefix) = ARR.into_iter().find(|(n, _, _)| *n == name)?;
        let (instance, config) = (instances.get(name)?, arr_settings(settings, name)?);
        let tags = match app {
            "Radarr" => settings.arr.radarr_tags.clone(),
            _ => settings.arr.sonarr_tags.clone(),
        };
        Some(Self {
            instance: instance.clone(),
            app,
            prefix,
            url: config.url.clone(),
            configured: (config.quality_profile.clone(), config.root_folder.clone()),
            tags,
        })
    }

    /// Tests the connection and judges what it found; the report is what the instance offers
    /// (the console fills its drop-downs from it).
    pub(super) async fn run(self) -> (ServiceCheck, ConnectionReport) {
        let report = self.instance.test_connection().await;
        (self.judge(&report), report)
    }

    /// The instance as operators name it: `Radarr at URL`, or `Radarr (radarr-4k) at URL`.
    fn at(&self, name: &str) -> String {
        if name == self.app.to_ascii_lowercase() {
            format!("{} at {}", self.app, self.url)
        } else {
            format!("{} ({name}) at {}", self.app, self.url)
        }
    }

    fn judge(&self, report: &ConnectionReport) -> ServiceCheck {
        let mut check = ServiceCheck::new(self.app);
        let at = self.at(report.instance);
        if !report.authorized {
            check.problems.push(if report.key_refused {
                format!(
                    "{}_API_KEY is not accepted by {at}: copy the key from {} → Settings → General",
                    self.prefix, self.app
                )
            } else {
                format!("{at}: {}", report.problems.join("; "))
            });
            return check;
        }
        let version = report.version.as_deref().unwrap_or("unknown version");
        check.summary = if report.instance == self.app.to_ascii_lowercase() {
            format!("ok ({version})")
        } else {
            format!("ok ({}, {version})", report.instance)
        };
        if report.instance != self.app.to_ascii_lowercase() {
            check.details.push(format!("{}:", at));
        }
        self.profiles(report, &at, &mut check);
        self.folders(report, &at, &mut check);
        self.tag_line(report, &mut check);
        if !report.language_profiles.is_empty() {
            let names: Vec<String> = report
                .language_profiles
                .iter()
                .map(|p| p.name.clone().unwrap_or_else(|| p.id.to_string()))
                .collect();
            check
                .details
                .push(format!("language profiles: {}", names.join(", ")));
        }
        check
    }

    fn profiles(&self, report: &ConnectionReport, at: &str, check: &mut ServiceCheck) {
        let setting = format!("{}_QUALITY_PROFILE", self.prefix);
        let wanted = self.configured.0.as_deref();
        let names: Vec<String> = report
            .quality_profiles
            .iter()
            .map(|p| p.name.clone().unwrap_or_else(|| p.id.to_string()))
            .collect();
        let listed = if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        };
        match pick_profile(&report.quality_profiles, wanted) {
            Some(used) => {
                let name = used.name.clone().unwrap_or_else(|| used.id.to_string());
                let why = match wanted {
                    Some(_) => setting,
                    None => format!("the first; {setting} is not set"),
                };
                check
                    .details
                    .push(format!("quality profiles: {listed} — using {name} ({why})"));
            }
            None => {
                check.details.push(format!("quality profiles: {listed}"));
                check.problems.push(match wanted {
                    Some(wanted) => format!(
                        "{setting} is {wanted:?}, which {at} does not have; choose one of: {listed}"
                    ),
                    None => format!(
                        "{at} has no quality profile; create one in {} → Settings → Profiles",
                        self.app
                    ),
                });
            }
        }
    }

    fn folders(&self, report: &ConnectionReport, at: &str, check: &mut ServiceCheck) {
        let setting = format!("{}_ROOT_FOLDER", self.prefix);
        let wanted = self.configured.1.as_deref();
        let described: Vec<String> = report
            .root_folders
            .iter()
            .map(|f| {
                let path = f.path.clone().unwrap_or_else(|| f.id.to_string());
                match f.free_space {
                    Some(bytes) => format!("{path} ({} free)", human_bytes(bytes)),
                    None => path,
                }
            })
            .collect();
        let listed = if described.is_empty() {
            "none".to_owned()
        } else {
            described.join(", ")
        };
        match pick_root_folder(&report.root_folders, wanted) {
            Some(used) => {
                let path = used.path.clone().unwrap_or_else(|| used.id.to_string());
                let why = match wanted {
                    Some(_) => setting,
                    None => format!("the first; {setting} is not set"),
                };
                check
                    .details
                    .push(format!("root folders: {listed} — using {path} ({why})"));
                if used.accessible == Some(false) {
                    check.problems.push(format!(
                        "{at} cannot write to its root folder {path}; check the folder's permissions"
                    ));
                }
            }
            None => {
                check.details.push(format!("root folders: {listed}"));
                let paths: Vec<String> = report
                    .root_folders
                    .iter()
                    .map(|f| f.path.clone().unwrap_or_else(|| f.id.to_string()))
                    .collect();
                check.problems.push(match wanted {
                    Some(wanted) => format!(
                        "{setting} is {wanted:?}, which {at} does not have; choose one of: {}",
                        if paths.is_empty() {
                            "none (add one in Settings → Media Management)".to_owned()
                        } else {
                            paths.join(", ")
                        }
                    ),
                    None => format!(
                        "{at} has no root folder; add one in {} → Settings → Media Management",
                        self.app
                    ),
                });
            }
        }
    }

    fn tag_line(&self, report: &ConnectionReport, check: &mut ServiceCheck) {
        let existing: Vec<&str> = report
            .tags
            .iter()
            .filter_map(|t| t.label.as_deref())
            .collect();
        let mut line = format!(
            "tags: {}",
            if existing.is_empty() {
                "none yet".to_owned()
            } else {
                existing.join(", ")
            }
        );
        let (setting, title) = match self.app {
            "Radarr" => ("USHER_RADARR_TAGS", "movie"),
            _ => ("USHER_SONARR_TAGS", "series"),
        };
        let wanted: Vec<String> = self.tags.iter().filter_map(|t| tag_label(t)).collect();
        if wanted.is_empty() {
            line.push_str(&format!(" — every {title} added gets usher-<requester>"));
        } else {
            line.push_str(&format!(
                " — every {title} added gets {} ({setting}) and usher-<requester>",
                wanted.join(", ")
            ));
            let missing: Vec<&str> = wanted
                .iter()
                .filter(|w| !existing.iter().any(|e| e.eq_ignore_ascii_case(w)))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                line.push_str(&format!(
                    "; {} created on the first add",
                    missing.join(", ")
                ));
            }
        }
        check.details.push(line);
    }
}

/// Bytes in binary units as Radarr and Sonarr show them: `3.6 TiB`.
fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    #[allow(clippy::cast_precision_loss)] // one decimal is shown
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn arr_settings<'a>(settings: &'a Settings, name: &str) -> Option<&'a ArrSettings> {
    match name {
        "radarr" => settings.radarr.as_ref(),
        "radarr-4k" => settings.radarr_4k.as_ref(),
        "sonarr" => settings.sonarr.as_ref(),
        "sonarr-4k" => settings.sonarr_4k.as_ref(),
        "sonarr-anime" => settings.sonarr_anime.as_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn free_space_reads_like_the_apps() {
        assert_eq!(human_bytes(4_000_000_000_000), "3.6 TiB");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
