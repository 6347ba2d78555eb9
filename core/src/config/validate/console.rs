//! The console's settings: session lifetimes, proxies, sign-in limits, `/metrics` access,
//! sign-in with Plex.

use std::time::Duration;

use ipnet::IpNet;

use super::Validator;
use crate::config::settings::ConsoleSettings;

impl Validator<'_> {
    pub(super) fn console(&mut self) -> ConsoleSettings {
        let idle = self.bounded("session_idle_minutes", 1..=43_200, "minutes");
        let max = self.bounded("session_max_days", 1..=365, "days");
        let sign_in = self.bounded("sign_in_per_minute", 1..=10_000, "attempts");
        ConsoleSettings {
            trusted_proxies: self.networks("trusted_proxies"),
            session_idle: Duration::from_secs(u64::from(idle.unwrap_or(120)) * 60),
            session_max: Duration::from_secs(u64::from(max.unwrap_or(7)) * 24 * 60 * 60),
            sign_in_per_minute: sign_in.unwrap_or(10),
            security_contact: self.text("security_contact"),
            metrics_token: self.secret("metrics_token"),
            metrics_allow: self.networks("metrics_allow"),
            plex_login: self.flag("console_plex_login").unwrap_or(false),
            plex_tv_url: self
                .http_url("plex_tv_url")
                .unwrap_or_else(|| "https://plex.tv".to_owned()),
            plex_app_url: self
                .http_url("plex_app_url")
                .unwrap_or_else(|| "https://app.plex.tv".to_owned()),
        }
    }

    /// A list of networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`).
    fn networks(&mut self, name: &str) -> Vec<IpNet> {
        let items: Vec<String> = self.list(name, "an address");
        let mut nets = Vec::with_capacity(items.len());
        for item in items {
            match parse_network(&item) {
                Some(net) => nets.push(net),
                None => self.problem(
                    name,
                    format!("\"{item}\" is not an IP address or network like 10.0.0.0/8"),
                ),
            }
        }
        nets
    }
}

fn parse_network(item: &str) -> Option<IpNet> {
    item.parse::<IpNet>()
        .ok()
        .or_else(|| item.parse::<std::net::IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::parse_network;

    #[test]
    fn networks_and_single_addresses_parse() {
        assert_eq!(
            parse_network("10.0.0.0/8")
                .map(|n| n.to_string())
                .as_deref(),
            Some("10.0.0.0/8")
        );
        assert_eq!(
            parse_network("::1").map(|n| n.to_string()).as_deref(),
            Some("::1/128")
        );
        assert_eq!(parse_network("192.0.2.1").map(|n| n.prefix_len()), Some(32));
        assert!(parse_network("10.0.0.0/99").is_none());
        assert!(parse_network("proxy.lan").is_none());
    }
}
