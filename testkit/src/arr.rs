//! Stateful fakes of Radarr ([`FakeRadarr`]) and Sonarr ([`FakeSonarr`]) that answer like the
//! real apps: `X-Api-Key` (or `?apikey=`) checked on every call (401 otherwise), a small
//! catalogue for lookups, an in-memory library where an add makes the title appear in the list,
//! a 400 FluentValidation-style error on a duplicate add, 201 on create and 202 on update.
//! Every body they return validates against the official OpenAPI specs (a core test checks it).
//!
//! What both apps share lives here: system status, quality profiles, root folders, tags,
//! commands, the key check, and paths matched without regard to case (both are ASP.NET apps:
//! `/api/v3/RootFolder` is `/api/v3/rootfolder`, as Searcharr spells it).

mod catalogue;
mod downloads;
mod radarr;
mod sonarr;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tower::Layer as _;

pub use radarr::FakeRadarr;
pub use sonarr::FakeSonarr;

/// State shared between a fake's handlers and the test holding it.
pub(crate) type Shared<S> = Arc<Mutex<S>>;

/// Locks a fake's state, surviving a panicked handler.
pub(crate) fn lock<S>(state: &Shared<S>) -> MutexGuard<'_, S> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// What both apps hold besides their titles.
#[derive(Debug)]
pub(crate) struct Basics {
    pub app: &'static str,
    pub api_key: String,
    pub version: String,
    pub quality_profiles: Vec<(i64, &'static str)>,
    pub root_folders: Vec<(i64, &'static str)>,
    pub tags: Vec<(i64, String)>,
    pub commands: Vec<Value>,
    pub downloads: downloads::Downloads,
}

impl Basics {
    pub(crate) fn new(app: &'static str, api_key: &str, version: &str, root: &'static str) -> Self {
        Self {
            app,
            api_key: api_key.to_owned(),
            version: version.to_owned(),
            quality_profiles: vec![(1, "Any"), (4, "HD-1080p"), (5, "Ultra-HD")],
            root_folders: vec![(1, root)],
            tags: Vec::new(),
            commands: Vec::new(),
            downloads: downloads::Downloads::default(),
        }
    }

    pub(crate) fn has_profile(&self, id: Option<i64>) -> bool {
        self.quality_profiles.iter().any(|(p, _)| Some(*p) == id)
    }

    pub(crate) fn has_root_folder(&self, path: Option<&str>) -> bool {
        let bare = |p: &str| p.trim_end_matches('/').to_owned();
        self.root_folders
            .iter()
            .any(|(_, f)| path.is_some_and(|p| bare(p) == bare(f)))
    }
}

/// A fake app: its basics, and the commands it knows with the fields each needs.
pub(crate) trait App: Send + 'static {
    fn basics(&mut self) -> &mut Basics;
    fn downloads(&mut self) -> &mut downloads::Downloads {
        &mut self.basics().downloads
    }
    fn check_command(&self, body: &Value) -> Result<(), String>;
}

/// The routes both apps have, behind the key check, matched without regard to case.
pub(crate) fn app_router<S: App>(titles: Router<Shared<S>>, state: Shared<S>) -> Router {
    let routes = titles
        .route("/api/v3/system/status", get(status::<S>))
        .route("/api/v3/qualityprofile", get(quality_profiles::<S>))
        .route("/api/v3/rootfolder", get(root_folders::<S>))
        .route("/api/v3/tag", get(tags::<S>).post(create_tag::<S>))
        .route("/api/v3/command", post(command::<S>))
        .route("/api/v3/queue", get(downloads::queue::<S>))
        .route("/api/v3/history/since", get(downloads::history_since::<S>))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_key::<S>,
        ))
        .with_state(state);
    // Lowered before routing: a layer on the routes themselves would run after it.
    let lowered = middleware::map_request(lower_path).layer(routes);
    Router::new().fallback_service(lowered)
}

/// The request with its path in lower case (the query as it came), as the routes are written.
async fn lower_path(mut request: Request) -> Request {
    let path = request.uri().path();
    if path.bytes().any(|b| b.is_ascii_uppercase()) {
        let lowered = match request.uri().query() {
            Some(query) => format!("{}?{query}", path.to_ascii_lowercase()),
            None => path.to_ascii_lowercase(),
        };
        if let Ok(uri) = lowered.parse() {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// A FluentValidation failure as the apps send it: HTTP 400 with a list of errors.
pub(crate) fn invalid(property: &str, message: &str, attempted: Value, code: &str) -> Response {
    let body = json!([{
        "propertyName": property,
        "errorMessage": message,
        "attemptedValue": attempted,
        "severity": "error",
        "errorCode": code,
    }]);
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// `{"message": …}` with a status, as the apps answer missing resources.
pub(crate) fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "message": text }))).into_response()
}

/// The current time in the apps' format.
pub(crate) fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or_default());
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

async fn require_key<S: App>(
    State(state): State<Shared<S>>,
    request: Request,
    next: Next,
) -> Response {
    let expected = lock(&state).basics().api_key.clone();
    let header = request
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("apikey=").map(str::to_owned));
    if header.or(query).as_deref() == Some(expected.as_str()) {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn status<S: App>(State(state): State<Shared<S>>) -> Json<Value> {
    let mut guard = lock(&state);
    let basics = guard.basics();
    Json(json!({
        "appName": basics.app,
        "instanceName": basics.app,
        "version": basics.version,
        "buildTime": "2025-09-11T00:00:00Z",
        "isDebug": false,
        "isProduction": true,
        "isAdmin": false,
        "isUserInteractive": false,
        "startupPath": format!("/app/{}/bin", basics.app.to_lowercase()),
        "appData": "/config",
        "osName": "debian",
        "osVersion": "12",
        "isNetCore": true,
        "isLinux": true,
        "isOsx": false,
        "isWindows": false,
        "isDocker": true,
        "mode": "console",
        "branch": "main",
        "databaseType": "sqLite",
        "databaseVersion": "3.46.1",
        "authentication": "forms",
        "migrationVersion": 240,
        "urlBase": "",
        "runtimeVersion": "8.0.12",
        "runtimeName": ".NET",
        "startTime": "2026-01-01T00:00:00Z",
        "packageUpdateMechanism": "docker",
    }))
}

async fn quality_profiles<S: App>(State(state): State<Shared<S>>) -> Json<Value> {
    let mut guard = lock(&state);
    let profiles: Vec<Value> = guard
        .basics()
        .quality_profiles
        .iter()
        .map(|(id, name)| {
            json!({
                "id": id, "name": name, "upgradeAllowed": true, "cutoff": 7,
                "items": [{
                    "quality": {
                        "id": 7, "name": "Bluray-1080p", "source": "bluray", "resolution": 1080,
                    },
                    "items": [], "allowed": true,
                }],
                "minFormatScore": 0, "cutoffFormatScore": 0, "minUpgradeFormatScore": 1,
                "formatItems": [],
            })
        })
        .collect();
    Json(Value::Array(profiles))
}

async fn root_folders<S: App>(State(state): State<Shared<S>>) -> Json<Value> {
    let mut guard = lock(&state);
    let folders: Vec<Value> = guard
        .basics()
        .root_folders
        .iter()
        .map(|(id, path)| {
            json!({ "id": id, "path": path, "accessible": true,
                    "freeSpace": 4_000_000_000_000_i64, "unmappedFolders": [] })
        })
        .collect();
    Json(Value::Array(folders))
}

async fn tags<S: App>(State(state): State<Shared<S>>) -> Json<Value> {
    let mut guard = lock(&state);
    let tags: Vec<Value> = guard
        .basics()
        .tags
        .iter()
        .map(|(id, label)| json!({ "id": id, "label": label }))
        .collect();
    Json(Value::Array(tags))
}

/// Like the apps: the label must match `^[a-z0-9-]+$` (any case); an existing label (compared
/// case-insensitively) is returned instead of a duplicate; labels are stored lower-case.
async fn create_tag<S: App>(State(state): State<Shared<S>>, Json(body): Json<Value>) -> Response {
    let label = body
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return invalid(
            "Label",
            "Allowed characters a-z, 0-9 and -",
            json!(label),
            "RegularExpressionValidator",
        );
    }
    let mut guard = lock(&state);
    let tags = &mut guard.basics().tags;
    let label = label.to_ascii_lowercase();
    let id = match tags.iter().find(|(_, l)| *l == label) {
        Some((id, _)) => *id,
        None => {
            let id = i64::try_from(tags.len()).unwrap_or_default() + 1;
            tags.push((id, label.clone()));
            id
        }
    };
    (
        StatusCode::CREATED,
        Json(json!({ "id": id, "label": label })),
    )
        .into_response()
}

async fn command<S: App>(State(state): State<Shared<S>>, Json(body): Json<Value>) -> Response {
    let mut guard = lock(&state);
    if let Err(why) = guard.check_command(&body) {
        return invalid(
            "Name",
            &why,
            body.get("name").cloned().unwrap_or(Value::Null),
            "CommandValidator",
        );
    }
    let commands = &mut guard.basics().commands;
    commands.push(body.clone());
    let name = body.get("name").cloned().unwrap_or(Value::Null);
    let answer = json!({
        "id": commands.len(), "name": name, "commandName": name, "status": "queued",
        "priority": "normal", "result": "unknown", "queued": now_iso(), "trigger": "manual",
        "sendUpdatesToClient": true, "updateScheduledTask": true,
    });
    (StatusCode::CREATED, Json(answer)).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_675), (2023, 11, 14));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }
}
