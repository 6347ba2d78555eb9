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

/// A fresh migrated database for tests that must run on both stores: a SQLite file in a temp
/// folder, or a schema of its own on the PostgreSQL server named by `USHER_TEST_POSTGRES_URL`
/// (dropped by [`TestDb::cleanup`]). Also reads it back raw, to check what was (not) stored.
pub struct TestDb {
    pub db: Db,
    store: Store,
}

enum Store {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl TestDb {
    /// A SQLite database in a temp folder.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("usher.db").display());
        let db = Db::connect(&url, &ConnectOptions::default())
            .await
            .expect("sqlite");
        db.migrate().await.expect("migrate sqlite");
        Self {
            db,
            store: Store::Sqlite(dir),
        }
    }

    /// A schema of its own on the test PostgreSQL server.
    pub async fn postgres() -> Self {
        use sqlx::{Connection, Executor};
        let url = std::env::var("USHER_TEST_POSTGRES_URL")
            .expect("USHER_TEST_POSTGRES_URL must point at a PostgreSQL server");
        let schema = format!("usher_web_{}", usher_core::crypto::random_token(8)).to_lowercase();
        let schema: String = schema
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mut admin = sqlx::PgConnection::connect(&url).await.expect("postgres");
        let create = format!("CREATE SCHEMA {schema}");
        admin
            .execute(sqlx::AssertSqlSafe(create))
            .await
            .expect("schema");
        let options = std::str::FromStr::from_str(&url)
            .map(|o: sqlx::postgres::PgConnectOptions| {
                o.options([("search_path", schema.as_str())])
            })
            .expect("postgres url");
        let db = Db::connect_postgres(options, &ConnectOptions::default())
            .await
            .expect("postgres");
        db.migrate().await.expect("migrate postgres");
        Self {
            db,
            store: Store::Postgres { url, schema },
        }
    }

    /// Rows in `table` (a literal name from the test).
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}");
        let text = self.texts(&sql).await.concat();
        text.parse().expect("a count")
    }

    /// One text column of a query, every row.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        use sqlx::{Connection, Row};
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match &self.store {
            Store::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.path().join("usher.db").display());
                let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("sqlite");
                let rows = sqlx::query(sql).fetch_all(&mut conn).await.expect("query");
                rows.iter().map(|r| r.get::<String, _>(0)).collect()
            }
            Store::Postgres { url, schema } => {
                let mut conn = self.pg(url, schema).await;
                let rows = sqlx::query(sql).fetch_all(&mut conn).await.expect("query");
                rows.iter().map(|r| r.get::<String, _>(0)).collect()
            }
        }
    }

    async fn pg(&self, url: &str, schema: &str) -> sqlx::PgConnection {
        use sqlx::{ConnectOptions as _, postgres::PgConnectOptions};
        let options: PgConnectOptions = url.parse().expect("postgres url");
        options
            .options([("search_path", schema)])
            .connect()
            .await
            .expect("postgres")
    }

    /// Fails if `secret` appears anywhere in the database: in the SQLite file and its WAL, or
    /// in any row of any table of the PostgreSQL schema.
    pub async fn assert_absent(&self, secret: &str) {
        match &self.store {
            Store::Sqlite(dir) => {
                for name in ["usher.db", "usher.db-wal"] {
                    let bytes = std::fs::read(dir.path().join(name)).unwrap_or_default();
                    let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
                    assert!(!found, "{secret} is stored in {name}");
                }
            }
            Store::Postgres { schema, .. } => {
                let list = format!(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = '{schema}' AND table_type = 'BASE TABLE'"
                );
                for table in self.texts(&list).await {
                    let dump =
                        format!("SELECT COALESCE(string_agg(t::text, ' '), '') FROM {table} t");
                    let text = self.texts(&dump).await.concat();
                    assert!(!text.contains(secret), "{secret} is stored in {table}");
                }
            }
        }
    }

    /// Closes the pool and drops the PostgreSQL schema.
    pub async fn cleanup(self) {
        use sqlx::{Connection, Executor};
        self.db.close().await;
        if let Store::Postgres { url, schema } = &self.store
            && let Ok(mut admin) = sqlx::PgConnection::connect(url).await
        {
            let drop = format!("DROP SCHEMA {schema} CASCADE");
            let _ = admin.execute(sqlx::AssertSqlSafe(drop)).await;
        }
    }
}
