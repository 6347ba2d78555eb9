//! `GET|POST /roles/new` and `GET|POST /roles/{name}/edit`: the role form (name, permission
//! checkboxes, movie and TV quotas, content limit, where requests go) and `POST /roles/delete`
//! (after `/confirm`). The form only reads what was typed into a [`RoleSpec`]; core checks it
//! and saves all or nothing, and a refused form comes back with the values as typed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use usher_core::domain::{
    ContentLimitSpec, Permission, Permissions, Placement, RoleQuota, RoleSpec,
};
use usher_core::service::users::RoleDetail;

use crate::console::page::{Chrome, render};
use crate::console::pages::outcome::{self, OrRefused, PageError, done};
use crate::console::signed_in::SignedIn;
use crate::state::AppState;

/// One permission checkbox.
#[derive(Debug, Clone)]
pub struct PermissionBox {
    /// The permission's name, the checkbox value.
    pub name: &'static str,
    /// Its label.
    pub label: String,
    /// Ticked.
    pub checked: bool,
}

/// The form's values as text, as stored or as typed.
#[derive(Debug, Clone, Default)]
pub struct RoleFields {
    /// Role name.
    pub name: String,
    /// Ticked permission names.
    pub permissions: Vec<String>,
    /// Movies per window; empty: unlimited.
    pub quota_movies: String,
    /// Seasons per window; empty: unlimited.
    pub quota_seasons: String,
    /// The window in days; empty: leave the quotas as they are.
    pub quota_days: String,
    /// Content limit country.
    pub limit_country: String,
    /// Highest movie certification.
    pub limit_movie: String,
    /// Highest TV certification.
    pub limit_tv: String,
    /// Unrated titles offered under a cap.
    pub limit_unrated: bool,
    /// Blocked titles, comma-separated (`movie/550`).
    pub limit_titles: String,
    /// Blocked keywords, comma-separated.
    pub limit_keywords: String,
    /// Blocked genres, comma-separated.
    pub limit_genres: String,
    /// Radarr placement: instance, profile, folder, tags.
    pub radarr: [String; 4],
    /// Sonarr placement: instance, profile, folder, tags.
    pub sonarr: [String; 4],
}

impl RoleFields {
    /// The fields of a stored role (its movie/TV quota shown when both share a window).
    pub fn of(detail: &RoleDetail) -> Self {
        let spec = &detail.record.spec;
        let limit = spec.content_limit.clone().unwrap_or_default();
        let quota = |key: &str| {
            detail
                .quotas
                .iter()
                .find(|(scope, _)| scope.key() == key)
                .map(|(_, l)| *l)
        };
        let (movies, seasons) = (quota("movie"), quota("tv"));
        let days = movies.or(seasons).map(|l| l.days.to_string());
        Self {
            name: spec.name.clone(),
            permissions: spec
                .permissions
                .list()
                .iter()
                .map(|p| p.name().to_owned())
                .collect(),
            quota_movies: movies.map(|l| l.max.to_string()).unwrap_or_default(),
            quota_seasons: seasons.map(|l| l.max.to_string()).unwrap_or_default(),
            quota_days: days.unwrap_or_default(),
            limit_country: limit.country.unwrap_or_default(),
            limit_movie: limit.movie.unwrap_or_default(),
            limit_tv: limit.tv.unwrap_or_default(),
            limit_unrated: limit.allow_unrated,
            limit_titles: limit.blocked_titles.join(", "),
            limit_keywords: limit.blocked_keywords.join(", "),
            limit_genres: limit.blocked_genres.join(", "),
            radarr: placement_fields(spec.radarr.as_ref()),
            sonarr: placement_fields(spec.sonarr.as_ref()),
        }
    }

    /// Reads the posted pairs (checkboxes repeat `perm`).
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let one = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let four = |prefix: &str| {
            ["instance", "profile", "folder", "tags"].map(|f| one(&format!("{prefix}_{f}")))
        };
        Self {
            name: one("name"),
            permissions: pairs
                .iter()
                .filter(|(k, _)| k == "perm")
                .map(|(_, v)| v.clone())
                .collect(),
            quota_movies: one("quota_movies"),
            quota_seasons: one("quota_seasons"),
            quota_days: one("quota_days"),
            limit_country: one("limit_country"),
            limit_movie: one("limit_movie"),
            limit_tv: one("limit_tv"),
            limit_unrated: !one("limit_unrated").is_empty(),
            limit_titles: one("limit_titles"),
            limit_keywords: one("limit_keywords"),
            limit_genres: one("limit_genres"),
            radarr: four("radarr"),
            sonarr: four("sonarr"),
        }
    }

    /// The role the fields describe, or the first field that is not even a number or name.
    pub fn spec(&self) -> Result<RoleSpec, String> {
        let mut permissions = Vec::new();
        for name in &self.permissions {
            permissions.push(Permission::parse(name)?);
        }
        let number = |what: &str, text: &str| -> Result<Option<i64>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            text.parse()
                .map(Some)
                .map_err(|_| format!("{what} must be a whole number"))
        };
        let days = number("quota days", &self.quota_days)?;
        let movies = number("quota movies", &self.quota_movies)?;
        let seasons = number("quota seasons", &self.quota_seasons)?;
        let quota = match days {
            Some(days) => Some(RoleQuota {
                movies,
                seasons,
                days,
            }),
            None if movies.is_some() || seasons.is_some() => {
                return Err("a quota needs its window in days".into());
            }
            None => None,
        };
        Ok(RoleSpec {
            name: self.name.clone(),
            permissions: Permissions::of(&permissions),
            quota,
            content_limit: self.limit(),
            radarr: placement(&self.radarr),
            sonarr: placement(&self.sonarr),
        })
    }

    fn limit(&self) -> Option<ContentLimitSpec> {
        let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        let spec = ContentLimitSpec {
            country: text(&self.limit_country),
            movie: text(&self.limit_movie),
            tv: text(&self.limit_tv),
            allow_unrated: self.limit_unrated,
            blocked_titles: list(&self.limit_titles),
            blocked_keywords: list(&self.limit_keywords),
            blocked_genres: list(&self.limit_genres),
        };
        (spec != ContentLimitSpec::default()).then_some(spec)
    }
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn placement_fields(p: Option<&Placement>) -> [String; 4] {
    match p {
        Some(p) => [
            p.instance.clone(),
            p.quality_profile.clone().unwrap_or_default(),
            p.root_folder.clone().unwrap_or_default(),
            p.tags.join(", "),
        ],
        None => Default::default(),
    }
}

fn placement([instance, profile, folder, tags]: &[String; 4]) -> Option<Placement> {
    let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    (!instance.is_empty()).then(|| Placement {
        instance: instance.clone(),
        quality_profile: text(profile),
        root_folder: text(folder),
        tags: list(tags),
    })
}

/// Where one media type's requests go, as its fieldset shows it.
#[derive(Debug, Clone)]
pub struct PlacementView {
    /// `radarr` or `sonarr` (field names start with it).
    pub kind: &'static str,
    /// The fieldset's legend.
    pub legend: String,
    /// The configured instances of that kind.
    pub instances: Vec<&'static str>,
    /// Instance, profile, folder, tags.
    pub values: [String; 4],
}

impl PlacementView {
    /// Whether `instance` is the chosen one.
    pub fn selected(&self, instance: &str) -> bool {
        self.values[0] == instance
    }
}

/// The role form page.
#[derive(Template)]
#[template(path = "console/role_form.html")]
pub struct RoleFormPage {
    /// Frame.
    pub chrome: Chrome,
    /// A new role (the name is typed) or an edit (the name is fixed).
    pub creating: bool,
    /// Where the form posts.
    pub action: String,
    /// The values.
    pub fields: RoleFields,
    /// A checkbox per permission.
    pub permissions: Vec<PermissionBox>,
    /// The Radarr and Sonarr placement fieldsets.
    pub placements: Vec<PlacementView>,
    /// Why the last post was refused.
    pub error: Option<String>,
}

impl RoleFormPage {
    /// The form for these values.
    pub fn new(
        chrome: Chrome,
        creating: bool,
        fields: RoleFields,
        instances: &[&'static str],
    ) -> Self {
        let permissions = Permission::ALL
            .iter()
            .map(|p| PermissionBox {
                name: p.name(),
                label: chrome.t(&format!(
                    "console-perm-{}",
                    super::detail::permission_key(*p)
                )),
                checked: fields.permissions.iter().any(|n| n == p.name()),
            })
            .collect();
        let placements = [("radarr", &fields.radarr), ("sonarr", &fields.sonarr)]
            .into_iter()
            .map(|(kind, values)| PlacementView {
                kind,
                legend: chrome.t(&format!("console-role-placement-{kind}")),
                instances: instances
                    .iter()
                    .copied()
                    .filter(|i| i.starts_with(kind))
                    .collect(),
                values: values.clone(),
            })
            .collect();
        Self {
            action: if creating {
                "/roles/new".to_owned()
            } else {
                format!("/roles/{}/edit", fields.name)
            },
            creating,
            permissions,
            placements,
            fields,
            error: None,
            chrome,
        }
    }
}

/// GET /roles/new.
pub async fn new_form(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let instances = state.services().users.instances().to_vec();
    let page = RoleFormPage::new(
        Chrome::for_user(&who),
        true,
        RoleFields::default(),
        &instances,
    );
    Ok(render(&page)?.into_response())
}

/// GET /roles/{name}/edit.
pub async fn edit_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let users = &state.services().users;
    let roles = users.role_details(&who.actor).await.or_refused(&who.lang)?;
    let Some(detail) = roles.iter().find(|d| d.record.spec.name == name) else {
        return Err(outcome::refused(
            &who.lang,
            usher_core::CoreError::NotFound(format!("role {name}")),
        ));
    };
    let page = RoleFormPage::new(
        Chrome::for_user(&who),
        false,
        RoleFields::of(detail),
        users.instances(),
    );
    Ok(render(&page)?.into_response())
}

/// POST /roles/new.
pub async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(&state, &who, RoleFields::parse(&pairs), true).await
}

/// POST /roles/{name}/edit.
pub async fn edit(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut fields = RoleFields::parse(&pairs);
    fields.name = name;
    save(&state, &who, fields, false).await
}

async fn save(
    state: &AppState,
    who: &SignedIn,
    fields: RoleFields,
    creating: bool,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let users = &state.services().users;
    let refusal = match fields.spec() {
        Ok(spec) => match users.save_role(&who.actor, &spec, creating).await {
            Ok(()) => return Ok(done(None, "/roles", "saved")),
            Err(err) => outcome::form_refusal(&who.lang, err)?,
        },
        Err(why) => (422, why),
    };
    let mut page = RoleFormPage::new(Chrome::for_user(who), creating, fields, users.instances());
    page.error = Some(refusal.1);
    let form = crate::console::form_state::FormState::invalid("role", "", String::new(), &[])
        .with_status(refusal.0);
    outcome::again(&page, &form)
}

/// POST /roles/delete (after /confirm): `name`.
pub async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    who.require(Permission::Admin)?;
    let name = pairs
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    state
        .services()
        .users
        .delete_role(&who.actor, name)
        .await
        .or_refused(&who.lang)?;
    Ok(done(None, "/roles", "removed"))
}
