//! Turns the console settings into the web crate's [`Console`], with keys derived from the
//! master key (so every replica signs sessions and CSRF tokens alike).

use usher_core::config::Settings;
use usher_core::crypto::MasterKeys;
use usher_web::console::pages_setup::PagesSetup;
use usher_web::{Console, ConsoleOptions};

/// The console for this process.
pub fn build(settings: &Settings, keys: &MasterKeys) -> Console {
    Console::new(ConsoleOptions {
        session_key: keys.derive("console-session-jwt"),
        csrf_key: keys.derive("console-csrf"),
        https: settings.is_https(),
        trusted_proxies: settings.console.trusted_proxies.clone(),
        sign_in_per_minute: settings.console.sign_in_per_minute,
        security_contact: settings.console.security_contact.clone(),
        oidc_provider: settings.oidc.as_ref().map(|o| provider_name(&o.issuer)),
        pages: PagesSetup::from_settings(settings),
    })
}

/// A short name for the sign-in button: the issuer's host (`auth.example.org`).
fn provider_name(issuer: &str) -> String {
    url::Url::parse(issuer)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| issuer.to_owned())
}
