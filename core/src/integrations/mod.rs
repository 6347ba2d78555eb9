//! Clients for the services Usher talks to. For now: connection probes used by `usher check`;
//! the full TMDB, Radarr, Sonarr and media-server clients build on the same HTTP setup.

pub mod http;
pub mod probe;
