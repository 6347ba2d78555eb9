//! `[[override]]` tables: what reads, every bad value named, and which rule matches.

use super::*;

const INSTANCES: &[&str] = &["radarr", "sonarr", "sonarr-anime", "radarr-4k"];

fn table(text: &str) -> toml::Table {
    text.parse().expect("toml")
}

fn read(text: &str) -> Result<OverrideRule, Vec<String>> {
    OverrideRule::from_toml(&table(text), INSTANCES, |role| {
        ["family", "member"].contains(&role)
    })
}

fn problem(text: &str) -> String {
    read(text).expect_err("invalid").join("\n")
}

const ANIME: &str = r#"
media = "tv"
genres = ["Animation"]
keywords = ["anime"]
sonarr = { instance = "sonarr-anime", quality_profile = "Anime-1080p", root_folder = "/anime", tags = ["Anime"], series_type = "anime" }
"#;

#[test]
fn an_anime_rule_reads() {
    let rule = read(ANIME).expect("valid");
    assert_eq!(rule.media, MediaType::Tv);
    assert_eq!(rule.genres, ["Animation"]);
    assert_eq!(rule.series_type, Some(SeriesType::Anime));
    assert_eq!(rule.placement.instance, "sonarr-anime");
    assert_eq!(rule.placement.root_folder.as_deref(), Some("/anime"));
    assert_eq!(rule.placement.tags, ["anime"], "tags are lower-cased");
    let movie = read(
        "media = \"movie\"\nroles = [\"family\"]\nradarr = { instance = \"radarr\", root_folder = \"/family\" }",
    )
    .expect("valid");
    assert_eq!(movie.series_type, None);
    assert_eq!(movie.roles, ["family"]);
}

#[test]
fn a_wrong_media_type_is_named() {
    let all = problem("media = \"book\"\nroles = [\"family\"]\nradarr = { instance = \"radarr\" }");
    assert!(all.contains("media `book` must be movie or tv"), "{all}");
    let missing = problem("roles = [\"family\"]\nradarr = { instance = \"radarr\" }");
    assert!(missing.contains("missing field `media`"), "{missing}");
}

#[test]
fn a_rule_without_conditions_is_refused() {
    let all = problem("media = \"movie\"\nradarr = { instance = \"radarr\" }");
    assert!(all.contains("give at least one condition"), "{all}");
}

#[test]
fn an_unknown_or_mismatched_instance_is_named() {
    let all =
        problem("media = \"tv\"\ngenres = [\"Animation\"]\nsonarr = { instance = \"sonarr-4k\" }");
    assert!(
        all.contains("sonarr.instance `sonarr-4k` is not a configured sonarr instance"),
        "{all}"
    );
    let radarr =
        problem("media = \"tv\"\ngenres = [\"Animation\"]\nsonarr = { instance = \"radarr\" }");
    assert!(radarr.contains("sonarr.instance `radarr`"), "{radarr}");
}

#[test]
fn the_placement_must_fit_the_media_type() {
    let tv = problem("media = \"tv\"\ngenres = [\"Drama\"]\nradarr = { instance = \"radarr\" }");
    assert!(
        tv.contains("media = \"tv\" takes a `sonarr` placement"),
        "{tv}"
    );
    let movie =
        problem("media = \"movie\"\ngenres = [\"Drama\"]\nsonarr = { instance = \"sonarr\" }");
    assert!(
        movie.contains("media = \"movie\" takes a `radarr` placement"),
        "{movie}"
    );
    let none = problem("media = \"tv\"\ngenres = [\"Drama\"]");
    assert!(none.contains("give where it goes: sonarr"), "{none}");
}

#[test]
fn a_bad_series_type_is_named_and_movies_have_none() {
    let all = problem(
        "media = \"tv\"\ngenres = [\"Animation\"]\nsonarr = { instance = \"sonarr\", series_type = \"cartoon\" }",
    );
    assert!(
        all.contains("sonarr.series_type `cartoon` must be standard, daily or anime"),
        "{all}"
    );
    let movie = problem(
        "media = \"movie\"\ngenres = [\"Animation\"]\nradarr = { instance = \"radarr\", series_type = \"anime\" }",
    );
    assert!(movie.contains("series_type"), "{movie}");
}

#[test]
fn unknown_roles_empty_words_and_fields_are_named() {
    let all = problem(
        "media = \"movie\"\nroles = [\"kids\"]\ngenres = [\" \"]\nradarr = { instance = \"radarr\", root_folder = \"\" }",
    );
    for wanted in [
        "roles: unknown role `kids`",
        "genres: \"\" must be 1 to 100 characters",
        "radarr.root_folder is empty",
    ] {
        assert!(all.contains(wanted), "{wanted} missing from:\n{all}");
    }
    let unknown =
        problem("media = \"tv\"\ngenre = [\"Animation\"]\nsonarr = { instance = \"sonarr\" }");
    assert!(unknown.contains("genre"), "{unknown}");
}

fn facts<'a>(genres: &'a [String], keywords: &'a [String]) -> TitleFacts<'a> {
    TitleFacts {
        certifications: &[],
        genres,
        keywords,
    }
}

#[test]
fn the_first_matching_rule_wins_and_conditions_combine() {
    let family = read(
        "media = \"tv\"\nroles = [\"family\"]\ngenres = [\"Animation\"]\nsonarr = { instance = \"sonarr\", root_folder = \"/kids\" }",
    )
    .expect("valid");
    let anime = read(ANIME).expect("valid");
    let rules = vec![family, anime];
    let animation = vec!["Animation".to_owned(), "Action & Adventure".to_owned()];
    let anime_words = vec!["anime".to_owned()];
    let shonen = facts(&animation, &anime_words);
    let folder = |rule: Option<&OverrideRule>| rule.and_then(|r| r.placement.root_folder.clone());
    let family_role = vec!["family".to_owned()];
    let by_family = first_match(&rules, MediaType::Tv, false, Some(&shonen), &family_role);
    assert_eq!(
        folder(by_family).as_deref(),
        Some("/kids"),
        "first rule wins"
    );
    let by_member = first_match(&rules, MediaType::Tv, false, Some(&shonen), &[]);
    assert_eq!(folder(by_member).as_deref(), Some("/anime"));
    let lowercase = vec!["animation".to_owned()];
    let cartoon = facts(&lowercase, &[]);
    assert!(
        first_match(&rules, MediaType::Tv, false, Some(&cartoon), &[]).is_none(),
        "genres and keywords must both hold"
    );
    let by_family = first_match(&rules, MediaType::Tv, false, Some(&cartoon), &family_role);
    assert_eq!(
        folder(by_family).as_deref(),
        Some("/kids"),
        "case does not matter"
    );
    assert!(first_match(&rules, MediaType::Movie, false, Some(&shonen), &family_role).is_none());
    assert!(
        first_match(&rules, MediaType::Tv, true, Some(&shonen), &family_role).is_none(),
        "a 4K request needs a 4K instance"
    );
    assert!(
        first_match(&rules, MediaType::Tv, false, None, &family_role).is_none(),
        "no facts, no genre match"
    );
}

#[test]
fn a_roles_only_rule_needs_no_facts() {
    let rule =
        read("media = \"movie\"\nroles = [\"member\"]\nradarr = { instance = \"radarr-4k\" }")
            .expect("valid");
    assert!(!rule.needs_facts());
    let member = vec!["member".to_owned()];
    assert!(rule.matches(MediaType::Movie, true, None, &member));
    assert!(!rule.matches(MediaType::Movie, true, None, &[]));
}

#[test]
fn series_types_read_back() {
    for kind in SeriesType::ALL {
        assert_eq!(SeriesType::parse(kind.as_str()), Ok(kind));
    }
    assert!(SeriesType::parse("Anime").is_err());
}
