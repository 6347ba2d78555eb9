//! TMDB client tests against the fake TMDB.
