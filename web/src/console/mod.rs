//! The admin console: server-rendered pages over the core services, with sign-in by passkey
//! OIDC or Plex, sessions as signed cookies backed by server-side rows, and CSRF on every form.

mod chart;
pub mod context;
pub mod csrf;
pub mod form_state;
pub mod localized;
pub mod oidc;
pub mod page;
pub mod pages;
pub mod pages_setup;
pub mod passkeys;
pub mod session_cookie;
pub mod signed_in;
mod static_files;
#[cfg(test)]
pub(crate) mod test_app;
mod view;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use ipnet::IpNet;

use crate::security::{ClientIpPolicy, SignInLimiter, limit_sign_in, security_txt};
use crate::state::AppState;
use csrf::CsrfKey;
use oidc::OidcClient;
use pages_setup::PagesSetup;
use session_cookie::SessionCodec;
use usher_core::service::PlexSignIn;

/// What the console needs besides the core services; built once by the binary.
pub struct Console {
    /// Session JWTs.
    pub sessions: SessionCodec,
    /// CSRF tokens.
    pub csrf: CsrfKey,
    /// Client addresses behind proxies.
    pub client_ip: ClientIpPolicy,
    /// Sign-in attempts per address.
    pub sign_in_limiter: SignInLimiter,
    /// Where to report vulnerabilities (security.txt).
    pub security_contact: Option<String>,
    /// Name of the OIDC provider on the sign-in button, when OIDC is configured.
    pub oidc_provider: Option<String>,
    /// The OIDC relying party, when OIDC is configured.
    pub oidc: Option<OidcClient>,
    /// Sign in with Plex, when the operator turned it on.
    pub plex: Option<PlexSignIn>,
    /// The WebAuthn relying party for passkey sign-in (or why it is off).
    pub passkeys: passkeys::PasskeyConfig,
    /// Upstream health, instances and role mapping for the dashboard, request and role pages.
    pub pages: PagesSetup,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console").finish_non_exhaustive()
    }
}

/// How the operator set the console up.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// Key for session JWTs (derived from the master key).
    pub session_key: [u8; 32],
    /// Key for CSRF tokens (derived from the master key).
    pub csrf_key: [u8; 32],
    /// Whether the public URL is https (`Secure` cookies, HSTS).
    pub https: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Sign-in attempts allowed per address and minute.
    pub sign_in_per_minute: u32,
    /// `Contact:` of security.txt.
    pub security_contact: Option<String>,
    /// Name of the OIDC provider on the sign-in button, when OIDC is configured.
    pub oidc_provider: Option<String>,
    /// The OIDC relying party (built by the binary from the `USHER_OIDC_*` settings).
    pub oidc: Option<OidcClient>,
    /// Sign in with Plex (built by the binary when `USHER_CONSOLE_PLEX_LOGIN` is on).
    pub plex: Option<PlexSignIn>,
    /// The external URL (`USHER_PUBLIC_URL`): its host is the passkeys' relying party id and
    /// its origin the one browsers must report.
    pub public_url: String,
    /// What the pages show of the setup (upstream health, instances, role mapping).
    pub pages: PagesSetup,
}

#[cfg(test)]
impl ConsoleOptions {
    /// Options with fixed keys on a plain-http address, for this crate's own tests.
    pub(crate) fn for_tests(public_url: &str) -> Self {
        Self {
            session_key: [1; 32],
            csrf_key: [2; 32],
            https: public_url.starts_with("https://"),
            trusted_proxies: Vec::new(),
            sign_in_per_minute: 1000,
            security_contact: None,
            oidc_provider: None,
            oidc: None,
            plex: None,
            public_url: public_url.to_owned(),
            pages: PagesSetup::default(),
        }
    }
}

impl Console {
    /// Builds the console's keys and policies.
    pub fn new(options: ConsoleOptions) -> Self {
        Self {
            sessions: SessionCodec::new(&options.session_key, options.https),
            csrf: CsrfKey::new(options.csrf_key, options.https),
            client_ip: ClientIpPolicy::new(options.trusted_proxies),
            sign_in_limiter: SignInLimiter::new(options.sign_in_per_minute),
            security_contact: options.security_contact,
            oidc_provider: options.oidc_provider,
            oidc: options.oidc,
            plex: options.plex,
            passkeys: passkeys::PasskeyConfig::from_public_url(&options.public_url),
            pages: options.pages,
        }
    }
}

/// Console routes: pages behind the CSRF guard, sign-in routes also behind the rate limit.
pub fn routes(state: &AppState) -> Router<AppState> {
    // Routes that try a credential or start a ceremony (passkey, OIDC, setup link).
    let sign_in = Router::new()
        .route("/auth/oidc/login", get(pages::oidc::login))
        .route("/auth/oidc/callback", get(pages::oidc::callback))
        .route("/setup/{token}", get(crate::setup::setup_page))
        .route(
            "/auth/webauthn/register/start",
            post(passkeys::register::start),
        )
        .route(
            "/auth/webauthn/register/finish",
            post(passkeys::register::finish),
        )
        .route("/auth/webauthn/login/start", post(passkeys::login::start))
        .route("/auth/webauthn/login/finish", post(passkeys::login::finish))
        .route("/account/link", post(pages::account::redeem_link))
        .route("/auth/plex/login", get(pages::plex::login))
        .route("/auth/plex/callback", get(pages::plex::callback))
        .route("/account/plex/link", post(pages::plex::link))
        .route("/auth/plex/link/callback", get(pages::plex::link_callback))
        .layer(from_fn_with_state(state.clone(), limit_sign_in));
    let pages = Router::new()
        .route("/login", get(pages::login::login_page))
        .route("/logout", post(pages::login::logout))
        .route("/account", get(pages::account::account_page))
        .route(
            "/account/passkeys/rename",
            post(pages::account::rename_passkey),
        )
        .route(
            "/account/passkeys/remove",
            post(pages::account::remove_passkey),
        )
        .route(
            "/account/sessions/end-all",
            post(pages::account::end_all_sessions),
        )
        .route("/account/language", post(pages::language::choose_language))
        .route("/confirm", get(pages::confirm::confirm))
        .route("/img/tmdb/{size}/{file}", get(pages::images::tmdb_image))
        .route("/requests/new", get(pages::ask::search))
        .route(
            "/requests/new/{kind}/{id}",
            get(pages::ask::title).post(pages::ask::ask),
        )
        .route("/img/poster/{kind}/{id}/{size}", get(pages::images::poster))
        .route("/", get(pages::dashboard::dashboard))
        .route("/audit", get(pages::audit::audit_page))
        .route("/audit.csv", get(pages::audit::audit_csv))
        .route(
            "/settings",
            get(pages::settings::settings_page).post(pages::settings::settings_post),
        )
        .merge(pages::requests::routes())
        .merge(pages::issues::routes())
        .merge(pages::library::routes())
        .merge(pages::media_servers::routes())
        .merge(pages::places::routes())
        .merge(pages::notifications::routes())
        .merge(pages::api_keys::routes())
        .merge(pages::users::routes());
    Router::new()
        .merge(sign_in)
        .merge(pages)
        .layer(axum::middleware::from_fn(page::html_errors))
        .layer(from_fn_with_state(state.clone(), csrf::guard))
        .route("/static/{file}", get(static_files::serve))
        .route("/.well-known/security.txt", get(security_txt))
}
