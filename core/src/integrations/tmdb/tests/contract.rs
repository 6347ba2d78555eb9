//! Contract: every request the client sends (path, query parameters) and every body the fake
//! returns for it validate against TMDB's official OpenAPI spec (`tmdb-v3-openapi.json`).
//!
//! SPEC-DEPENDENT: until usher-testkit's shared `contract` module lands on main, the checks run
//! through the small interim validator below (same method names: `Spec::load`,
//! `check_request`, `check_response`), which covers what this client uses — path templates and
//! their parameters, query parameter names, required-ness and types, and response bodies
//! against the spec's JSON schemas (types, properties, items, enums). Swap it for
//! `usher_testkit::contract::Spec` when that is merged.

use serde_json::Value;
use usher_testkit::tmdb;

use super::super::{SearchQuery, TimeWindow, Trending};
use super::{client_with, fake, id, query_pairs};
use crate::domain::MediaType;

struct Spec {
    doc: Value,
}

/// An operation and the path parameters bound by matching its template.
type Matched<'a> = (&'a Value, Vec<(String, String)>);

impl Spec {
    fn load(name: &str) -> Spec {
        let path = usher_testkit::specs_dir().join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        Spec {
            doc: serde_json::from_str(&text).expect("spec is JSON"),
        }
    }

    /// The operation whose path template matches `path`, literal segments preferred.
    fn operation(&self, method: &str, path: &str) -> Result<Matched<'_>, String> {
        let wanted: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, Matched<'_>)> = None;
        for (template, item) in self.doc["paths"].as_object().into_iter().flatten() {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != wanted.len() {
                continue;
            }
            let mut bound = Vec::new();
            let fits = parts.iter().zip(&wanted).all(|(t, w)| {
                match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(name) => {
                        bound.push((name.to_owned(), (*w).to_owned()));
                        !w.is_empty()
                    }
                    None => t == w,
                }
            });
            let op = &item[method.to_lowercase()];
            if fits && op.is_object() && best.as_ref().is_none_or(|b| bound.len() < b.0) {
                best = Some((bound.len(), (op, bound)));
            }
        }
        best.map(|(_, matched)| matched)
            .ok_or_else(|| format!("{method} {path}: no such operation in the spec"))
    }

    fn check_request(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
    ) -> Result<(), Vec<String>> {
        let (op, bound) = self.operation(method, path).map_err(|e| vec![e])?;
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let mut errors = Vec::new();
        let find = |name: &str, place: &str| {
            params
                .iter()
                .find(|p| p["name"] == name && p["in"] == place)
        };
        for (name, value) in &bound {
            match find(name, "path") {
                Some(p) => check_text(&p["schema"], value, &format!("path {name}"), &mut errors),
                None => errors.push(format!("path parameter {name} not declared")),
            }
        }
        for (name, value) in query {
            match find(name, "query") {
                Some(p) => check_text(&p["schema"], value, &format!("query {name}"), &mut errors),
                None => errors.push(format!("{path}: query parameter {name} not in the spec")),
            }
        }
        for p in params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
        {
            if !query.iter().any(|(n, _)| p["name"] == n.as_str()) {
                errors.push(format!(
                    "{path}: required query parameter {} missing",
                    p["name"]
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        let (op, _) = self.operation(method, path).map_err(|e| vec![e])?;
        let schema = &op["responses"][status.to_string()]["content"]["application/json"]["schema"];
        if schema.is_null() {
            return Err(vec![format!("{path}: no {status} JSON schema in the spec")]);
        }
        let mut errors = Vec::new();
        check_value(schema, body, "$", &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A path or query value (text on the wire) against its schema.
fn check_text(schema: &Value, raw: &str, at: &str, errors: &mut Vec<String>) {
    let ok = match schema["type"].as_str() {
        Some("integer") => raw.parse::<i64>().is_ok(),
        Some("number") => raw.parse::<f64>().is_ok(),
        Some("boolean") => raw == "true" || raw == "false",
        _ => true,
    };
    let in_enum = schema["enum"]
        .as_array()
        .is_none_or(|values| values.iter().any(|v| v == raw));
    if !ok || !in_enum {
        errors.push(format!("{at}: {raw:?} does not fit {schema}"));
    }
}

/// A JSON value against a (3.1) schema: type, properties, items, enum. `null` passes only
/// where the schema allows any type or lists "null".
fn check_value(schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => return,
    };
    let fits = |t: &str| match t {
        "string" => value.is_string(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    };
    if !types.iter().any(|t| fits(t)) {
        errors.push(format!("{at}: expected {types:?}, got {value}"));
        return;
    }
    if let Some(values) = schema["enum"].as_array()
        && !value.is_null()
        && !values.contains(value)
    {
        errors.push(format!("{at}: {value} not in {values:?}"));
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (name, sub) in props {
            if let Some(field) = object.get(name) {
                check_value(sub, field, &format!("{at}.{name}"), errors);
            }
        }
    }
    if let Some(items) = value.as_array() {
        for (n, item) in items.iter().enumerate() {
            check_value(&schema["items"], item, &format!("{at}[{n}]"), errors);
        }
    }
}

#[tokio::test]
async fn requests_and_fake_responses_follow_the_tmdb_spec() {
    let spec = Spec::load("tmdb-v3-openapi.json");
    let fake = fake().await;
    // The spec's declared credential is the bearer token; `api_key` is checked apart below.
    let tmdb = client_with(&fake, tmdb::READ_TOKEN, |_| {});
    let q = SearchQuery::new("dune").language("fr-FR");
    tmdb.search_movies(&q.clone().year(2021).page(1))
        .await
        .expect("movie");
    tmdb.search_tv(&SearchQuery::new("harbor").year(2021))
        .await
        .expect("tv");
    tmdb.search_multi(&q.clone().year(1984))
        .await
        .expect("multi");
    tmdb.search_multi(&SearchQuery::new("denis"))
        .await
        .expect("people");
    for kind in [Trending::All, Trending::Movie, Trending::Tv] {
        for window in [TimeWindow::Day, TimeWindow::Week] {
            tmdb.trending(kind, window, Some("de-DE"))
                .await
                .expect("trending");
        }
    }
    for (media, raw) in [
        (MediaType::Movie, 438631),
        (MediaType::Movie, 129),
        (MediaType::Tv, 990001),
        (MediaType::Tv, 246),
    ] {
        match media {
            MediaType::Movie => drop(tmdb.movie(id(raw), Some("fr-FR")).await.expect("movie")),
            MediaType::Tv => drop(tmdb.show(id(raw), None).await.expect("show")),
        }
        tmdb.external_ids(media, id(raw)).await.expect("ids");
        tmdb.certification(media, id(raw), "US")
            .await
            .expect("cert");
        tmdb.keywords(media, id(raw)).await.expect("keywords");
    }
    tmdb.is_anime(MediaType::Tv, id(1429)).await.expect("anime");

    let sent = fake.received();
    assert!(sent.len() >= 25, "{} requests", sent.len());
    let http = reqwest::Client::new();
    let mut problems = Vec::new();
    for request in &sent {
        let pairs = query_pairs(&request.query);
        if let Err(errors) = spec.check_request(&request.method, &request.path, &pairs) {
            problems.extend(errors);
        }
        // The fake's answer to exactly this request, fetched again, against the spec.
        let url = format!("{}{}?{}", fake.url, request.path, request.query);
        let response = http
            .get(url)
            .bearer_auth(tmdb::READ_TOKEN)
            .send()
            .await
            .expect("refetch");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        if let Err(errors) = spec.check_response(&request.method, &request.path, status, &body) {
            problems.extend(errors.into_iter().map(|e| format!("{}: {e}", request.path)));
        }
    }
    assert!(
        problems.is_empty(),
        "contract problems:\n{}",
        problems.join("\n")
    );
}

#[tokio::test]
async fn the_validator_catches_what_it_should() {
    let spec = Spec::load("tmdb-v3-openapi.json");
    let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    };
    assert!(
        spec.check_request(
            "GET",
            "/3/search/movie",
            &q(&[("query", "x"), ("page", "2")])
        )
        .is_ok()
    );
    assert!(
        spec.check_request("GET", "/3/search/movie", &q(&[("page", "2")]))
            .is_err(),
        "query required"
    );
    assert!(
        spec.check_request(
            "GET",
            "/3/search/multi",
            &q(&[("query", "x"), ("year", "1")])
        )
        .is_err()
    );
    assert!(
        spec.check_request(
            "GET",
            "/3/search/tv",
            &q(&[("query", "x"), ("page", "two")])
        )
        .is_err()
    );
    assert!(
        spec.check_request("GET", "/3/trending/all/month", &[])
            .is_err()
    );
    assert!(spec.check_request("GET", "/3/movie/abc", &[]).is_err());
    assert!(spec.check_request("GET", "/3/nope", &[]).is_err());
    let bad = serde_json::json!({"page": 1, "results": [{"id": "7", "poster_path": null}]});
    let errors = spec
        .check_response("GET", "/3/search/movie", 200, &bad)
        .expect_err("bad body");
    assert_eq!(errors.len(), 2, "{errors:?}");
    // The api_key parameter of v3 keys is TMDB's, though the spec declares only the header.
    let fake = fake().await;
    let tmdb = client_with(&fake, tmdb::API_KEY, |_| {});
    tmdb.search_movies(&SearchQuery::new("dune"))
        .await
        .expect("v3");
    let mut pairs = query_pairs(&fake.received()[0].query);
    pairs.retain(|(k, _)| k != "api_key");
    assert!(spec.check_request("GET", "/3/search/movie", &pairs).is_ok());
}
