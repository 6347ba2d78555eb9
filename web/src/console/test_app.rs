//! A console on port 0 over a fresh SQLite database, with signed-in users of any role, for the
//! page tests: the real router, CSRF guard, sessions and core services.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use tokio::net::TcpListener;
use usher_core::config::LoadOptions;
use usher_core::crypto::MasterKeys;
use usher_core::domain::{Actor, Media, MediaType, Platform, Request, Source, TmdbId, User};
use usher_core::index::LibraryIndex;
use usher_core::integrations::arr::ArrInstances;
use usher_core::integrations::health::{HealthOptions, UpstreamHealth};
use usher_core::integrations::tmdb::TmdbClient;
use usher_core::service::sessions::ClientInfo;
use usher_core::service::{NewRequest, Registration, Services, SettingsService};
use usher_core::store::{ConnectOptions, Db};

use crate::console::{Console, ConsoleOptions};
use crate::{AppState, WebParts};

/// A running console.
pub struct TestApp {
    pub url: String,
    pub state: AppState,
    pub services: Services,
    pub db: Db,
    _dir: tempfile::TempDir,
}

/// A signed-in browser: its cookies and CSRF token.
pub struct Browser {
    pub user: User,
    cookies: String,
    pub csrf: String,
}

/// A response, read.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub disposition: Option<String>,
    pub cache_control: Option<String>,
}

impl TestApp {
    /// Starts a console whose configuration came from `base` (its environment decides what is
    /// locked).
    pub async fn start(base: LoadOptions) -> Self {
        Self::start_with(base, false, |s| s).await
    }

    /// [`TestApp::start`] whose services `wire` finishes (TMDB, 4K instances, an index...).
    pub async fn start_wired(base: LoadOptions, wire: impl FnOnce(Services) -> Services) -> Self {
        Self::start_with(base, false, wire).await
    }

    /// [`TestApp::start`] whose approve and retry forms offer the pick lists of these
    /// Radarr/Sonarr instances (the testkit fakes).
    pub async fn start_with_arr(base: LoadOptions, arr: Arc<ArrInstances>) -> Self {
        Self::start_wired(base, |s| s.with_arr(arr)).await
    }

    /// [`TestApp::start`] whose services search and show posters through this TMDB client
    /// (point it and its image base at the testkit's fake).
    pub async fn start_with_tmdb(base: LoadOptions, tmdb: TmdbClient) -> Self {
        Self::start_wired(base, |s| s.with_tmdb(tmdb)).await
    }

    /// [`TestApp::start`] whose services read `index` (fill it with [`LibraryIndex::reload`]
    /// after storing rows in [`TestApp::db`]) and can nudge a schedule for a full pass.
    pub async fn start_with_library(base: LoadOptions, index: Arc<LibraryIndex>) -> Self {
        Self::start_wired(base, |s| s.with_library_index(index)).await
    }

    /// [`TestApp::start`] whose dashboard lists the upstreams' health, checked with the
    /// settings from `base` and waited for (up to 10 s), so a page shows a finished round.
    pub async fn start_with_health(base: LoadOptions) -> Self {
        Self::start_with(base, true, |s| s).await
    }

    async fn start_with(
        base: LoadOptions,
        health: bool,
        wire: impl FnOnce(Services) -> Services,
    ) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("usher.db").display());
        let db = Db::connect(&url, &ConnectOptions::default())
            .await
            .expect("db");
        db.migrate().await.expect("migrate");
        let secret = SecretString::from("a-master-key-for-console-page-tests-0123");
        let keys = Arc::new(MasterKeys::from_secrets(&secret, None).expect("keys"));
        let settings = SettingsService::new(db.clone(), keys.clone(), base.clone());
        let loaded = usher_core::config::load(base).expect("valid base");
        settings.startup(&loaded.settings).await.expect("startup");
        let mut options = ConsoleOptions::for_tests("http://localhost");
        if health {
            let waited = HealthOptions {
                ttl: Duration::from_secs(60),
                budget: Duration::from_secs(10),
            };
            let upstreams = UpstreamHealth::new(loaded.settings.clone(), waited);
            options.pages.health = Some(upstreams);
        }
        let mut parts = WebParts::for_tests(&db, "http://localhost");
        parts.services = wire(parts.services);
        let state = AppState::new(WebParts {
            settings,
            console: Console::new(ConsoleOptions {
                session_key: keys.derive("console-session-jwt"),
                csrf_key: keys.derive("console-csrf"),
                ..options
            }),
            ..parts
        });
        let services = state.services().clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(crate::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        Self {
            url,
            state,
            services,
            db,
            _dir: dir,
        }
    }

    /// A user with a built-in role (registered as a Telegram user), signed in.
    pub async fn sign_in(&self, telegram_id: &str, name: &str, role: &'static str) -> Browser {
        let user = self
            .services
            .users
            .resolve(
                Platform::Telegram,
                telegram_id,
                name,
                Registration::AutoRegister(role),
            )
            .await
            .expect("user");
        let session = self
            .services
            .sessions
            .start(user.id, "passkey", &ClientInfo::default())
            .await
            .expect("session");
        let console = self.state.console();
        let cookie = console.sessions.cookie(&session);
        let csrf = console.csrf.mint();
        Browser {
            user,
            cookies: format!("{}={}; usher_csrf={csrf}", cookie.name(), cookie.value()),
            csrf,
        }
    }

    /// `who` asks for a film, through core as a chat would (Telegram, year 1999).
    pub async fn request_movie(&self, who: &Browser, tmdb: i64, title: &str) -> Request {
        let actor = Actor::user(who.user.id, Source::Telegram { user: "100".into() });
        let new = NewRequest {
            media: Media {
                media_type: MediaType::Movie,
                tmdb_id: TmdbId::parse(tmdb).expect("tmdb"),
                tvdb_id: None,
                title: title.into(),
                year: Some(1999),
            },
            seasons: Default::default(),
            future_seasons: false,
            four_k: false,
        };
        let made = self.services.requests.create(&actor, new).await;
        made.expect("create").request
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    async fn read(response: reqwest::Response) -> Answer {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header("location");
        let content_type = header("content-type");
        let disposition = header("content-disposition");
        let cache_control = header("cache-control");
        let status = response.status().as_u16();
        Answer {
            status,
            body: response.text().await.expect("body"),
            location,
            content_type,
            disposition,
            cache_control,
        }
    }

    /// GET a path as this browser.
    pub async fn get(&self, who: &Browser, path: &str) -> Answer {
        self.get_in(who, path, "en-US").await
    }

    /// GET a path as this browser, set to ask for `accept_language`.
    pub async fn get_in(&self, who: &Browser, path: &str, accept_language: &str) -> Answer {
        let response = Self::client()
            .get(format!("{}{path}", self.url))
            .header("cookie", &who.cookies)
            .header("accept-language", accept_language)
            .send()
            .await
            .expect("GET");
        Self::read(response).await
    }

    /// POST a form (with the CSRF token) as this browser.
    pub async fn post(&self, who: &Browser, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("_csrf", &who.csrf);
        for (name, value) in fields {
            form.append_pair(name, value);
        }
        let response = Self::client()
            .post(format!("{}{path}", self.url))
            .header("cookie", &who.cookies)
            .header("accept-language", "en-US")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.finish())
            .send()
            .await
            .expect("POST");
        Self::read(response).await
    }
}
