//! Turns the console settings into the web crate's [`Console`], with keys derived from the
//! master key (so every replica signs sessions and CSRF tokens alike).

use anyhow::Context;
use usher_core::config::{OidcSettings, Settings};
use usher_core::crypto::MasterKeys;
use usher_core::integrations::http::HttpSettings;
use usher_core::integrations::plex_tv::{PlexTvClient, PlexTvOptions};
use usher_core::service::{OidcRoleMap, PlexSignIn, Services};
use usher_web::console::oidc::{OidcClient, OidcOptions};
use usher_web::console::pages_setup::PagesSetup;
use usher_web::{Console, ConsoleOptions};

/// The console for this process. No network here: the OIDC provider is discovered later
/// ([`OidcClient::warm_up`]), so a provider that is down does not stop Usher.
pub fn build(
    settings: &Settings,
    keys: &MasterKeys,
    http: &HttpSettings,
    services: &Services,
) -> anyhow::Result<Console> {
    let oidc = settings
        .oidc
        .as_ref()
        .map(|oidc| oidc_client(settings, oidc, http))
        .transpose()?;
    let console = Console::new(ConsoleOptions {
        session_key: keys.derive("console-session-jwt"),
        csrf_key: keys.derive("console-csrf"),
        https: settings.is_https(),
        trusted_proxies: settings.console.trusted_proxies.clone(),
        sign_in_per_minute: settings.console.sign_in_per_minute,
        security_contact: settings.console.security_contact.clone(),
        oidc_provider: settings.oidc.as_ref().map(|o| provider_name(&o.issuer)),
        oidc,
        plex: plex_sign_in(settings, keys, http, services)?,
        public_url: settings.public_url.clone(),
        pages: PagesSetup::from_settings(settings),
    });
    if let Some(problem) = console.passkeys.problem() {
        tracing::warn!(%problem, "passkey sign-in is off");
    }
    Ok(console)
}

/// The OIDC relying party: our callback under the public URL, groups mapped as configured.
fn oidc_client(
    settings: &Settings,
    oidc: &OidcSettings,
    http: &HttpSettings,
) -> anyhow::Result<OidcClient> {
    let options = OidcOptions {
        issuer: oidc.issuer.clone(),
        client_id: oidc.client_id.clone(),
        client_secret: oidc.client_secret.clone(),
        redirect_url: format!(
            "{}/auth/oidc/callback",
            settings.public_url.trim_end_matches('/')
        ),
        groups_claim: oidc.groups_claim.clone(),
        roles: OidcRoleMap::from_settings(oidc),
    };
    OidcClient::new(options, http).context("cannot set up OIDC sign-in")
}

/// Sign in with Plex when the operator turned it on. plex.tv knows this installation by an id
/// derived from the master key: stable across restarts and replicas, different per install.
fn plex_sign_in(
    settings: &Settings,
    keys: &MasterKeys,
    http: &HttpSettings,
    services: &Services,
) -> anyhow::Result<Option<PlexSignIn>> {
    if !settings.console.plex_login {
        return Ok(None);
    }
    let id: String = keys.derive("plex-client-identifier")[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let options = PlexTvOptions {
        tv_url: settings.console.plex_tv_url.clone(),
        app_url: settings.console.plex_app_url.clone(),
        client_id: format!("usher-{id}"),
    };
    let client = PlexTvClient::new(&options, http).context("cannot set up sign-in with Plex")?;
    Ok(Some(PlexSignIn::new(
        services.db.clone(),
        client,
        services.sessions.clone(),
        services.users.clone(),
    )))
}

/// A short name for the sign-in button: the issuer's host (`auth.example.org`).
fn provider_name(issuer: &str) -> String {
    url::Url::parse(issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| issuer.to_owned())
}
