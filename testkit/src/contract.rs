//! OpenAPI contract checks: does a request our client sends (method, path, query, JSON body), or
//! a body a fake returns, agree with the official spec? Specs are read from [`crate::specs_dir`].
//!
//! OpenAPI 3.0 schemas are turned into JSON Schema first (`nullable: true` becomes a `null`
//! type); `$ref`s resolve inside the spec's own `components`. Formats are not enforced (the
//! specs use `int32`/`date-time` loosely), everything else is: types, required fields and
//! `additionalProperties: false`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::Validator;
use serde_json::{Map, Value, json};

/// One loaded spec, cheap to clone.
#[derive(Clone)]
pub struct Spec {
    name: String,
    doc: Arc<Value>,
    validators: Arc<Mutex<HashMap<String, Arc<Validator>>>>,
}

impl Spec {
    /// Loads (once per process) a spec file from the specs folder, e.g. `radarr-v3-openapi.json`
    /// or (YAML) `overseerr-api.yml`.
    pub fn load(file_name: &str) -> Spec {
        static LOADED: OnceLock<Mutex<HashMap<String, Spec>>> = OnceLock::new();
        let cache = LOADED.get_or_init(Default::default);
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(spec) = cache.get(file_name) {
            return spec.clone();
        }
        let path = crate::specs_dir().join(file_name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read spec {} (set USHER_SPECS_DIR?): {e}",
                path.display()
            )
        });
        let mut doc: Value = if file_name.ends_with(".yml") || file_name.ends_with(".yaml") {
            serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{file_name}: {e}"))
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file_name}: {e}"))
        };
        to_json_schema(&mut doc);
        let spec = Spec {
            name: file_name.to_owned(),
            doc: Arc::new(doc),
            validators: Arc::default(),
        };
        cache.insert(file_name.to_owned(), spec.clone());
        spec
    }

    /// Checks a request: the operation exists, every query parameter is declared, required ones
    /// are present, and the JSON body matches the request schema.
    pub fn check_request(
        &self,
        method: &str,
        path: &str,
        query: &str,
        body: Option<&Value>,
    ) -> Result<(), Vec<String>> {
        let (template, op, path_item) = self.operation(method, path)?;
        let mut problems = Vec::new();
        let declared = query_parameters(op, path_item);
        let sent: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split('=').next().unwrap_or(p))
            .collect();
        for name in &sent {
            if !declared.iter().any(|(declared, _)| declared == name) {
                problems.push(format!(
                    "{method} {template}: query parameter `{name}` is not in {}",
                    self.name
                ));
            }
        }
        for (name, required) in &declared {
            if *required && !sent.contains(&name.as_str()) {
                problems.push(format!(
                    "{method} {template}: required query parameter `{name}` missing"
                ));
            }
        }
        if let Some(body) = body {
            match json_schema(op.get("requestBody")) {
                Some(schema) => problems.extend(self.validate(
                    schema,
                    body,
                    &format!("{method} {template} request"),
                )),
                None => problems.push(format!(
                    "{method} {template}: sends a body but the spec has none"
                )),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Checks a response body against the schema for its status (or `default`).
    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), Vec<String>> {
        let (template, op, _) = self.operation(method, path)?;
        let responses = op.get("responses").and_then(Value::as_object);
        let response = responses.and_then(|r| {
            r.get(&status.to_string())
                .or_else(|| r.get(&format!("{}XX", status / 100)))
                .or_else(|| r.get("default"))
        });
        let Some(response) = response else {
            return Err(vec![format!(
                "{method} {template}: status {status} is not in {}",
                self.name
            )]);
        };
        match json_schema(Some(response)) {
            Some(schema) => {
                let problems = self.validate(
                    schema,
                    body,
                    &format!("{method} {template} {status} response"),
                );
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems)
                }
            }
            None => Ok(()),
        }
    }

    fn operation(&self, method: &str, path: &str) -> Result<(&str, &Value, &Value), Vec<String>> {
        let paths = self
            .doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| vec!["spec has no paths".to_owned()])?;
        let wanted: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut best: Option<(usize, &str, &Value)> = None;
        for (template, item) in paths {
            let parts: Vec<&str> = template.trim_end_matches('/').split('/').collect();
            if parts.len() != wanted.len() {
                continue;
            }
            let literal = parts.iter().zip(&wanted).try_fold(0, |acc, (t, w)| {
                if t.starts_with('{') && t.ends_with('}') && !w.is_empty() {
                    Some(acc)
                } else if t.eq_ignore_ascii_case(w) {
                    Some(acc + 1)
                } else {
                    None
                }
            });
            if let Some(score) = literal
                && best.is_none_or(|(b, _, _)| score > b)
            {
                best = Some((score, template.as_str(), item));
            }
        }
        let (_, template, item) =
            best.ok_or_else(|| vec![format!("{method} {path}: no such path in {}", self.name)])?;
        let op = item
            .get(method.to_ascii_lowercase())
            .ok_or_else(|| vec![format!("{method} {template}: method not in {}", self.name)])?;
        Ok((template, op, item))
    }

    fn validate(&self, schema: &Value, instance: &Value, what: &str) -> Vec<String> {
        let key = schema.to_string();
        let validator = {
            let mut cache = self.validators.lock().unwrap_or_else(|p| p.into_inner());
            match cache.get(&key) {
                Some(v) => v.clone(),
                None => {
                    let mut root = schema.as_object().cloned().unwrap_or_default();
                    root.insert(
                        "components".into(),
                        self.doc.get("components").cloned().unwrap_or(json!({})),
                    );
                    let built = jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(false)
                        .build(&Value::Object(root));
                    match built {
                        Ok(v) => {
                            let v = Arc::new(v);
                            cache.insert(key, v.clone());
                            v
                        }
                        Err(e) => return vec![format!("{what}: schema does not compile: {e}")],
                    }
                }
            }
        };
        validator
            .iter_errors(instance)
            .map(|e| format!("{what}: {} at {}", e, e.instance_path()))
            .take(20)
            .collect()
    }
}

/// `(name, required)` of the query parameters an operation declares (incl. path-level ones).
fn query_parameters(op: &Value, path_item: &Value) -> Vec<(String, bool)> {
    [op.get("parameters"), path_item.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?.to_owned();
            Some((
                name,
                p.get("required").and_then(Value::as_bool).unwrap_or(false),
            ))
        })
        .collect()
}

/// The JSON schema of a request body or response object, if it has JSON content.
fn json_schema(holder: Option<&Value>) -> Option<&Value> {
    let content = holder?.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next())
        .and_then(|(_, c)| c.get("schema"))
}

/// Rewrites OpenAPI 3.0 schema keywords into JSON Schema, in place.
fn to_json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            nullable_to_type(map);
            for (_, child) in map.iter_mut() {
                to_json_schema(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

fn nullable_to_type(map: &mut Map<String, Value>) {
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    map.remove("nullable");
    match map.get("type").cloned() {
        Some(Value::String(t)) => {
            map.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(options)) = map.get_mut("enum") {
                options.push(Value::Null);
            }
        }
        _ => {
            if let Some(reference) = map.remove("$ref") {
                map.insert(
                    "anyOf".into(),
                    json!([{ "$ref": reference }, { "type": "null" }]),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radarr_contract_accepts_real_shapes_and_refuses_wrong_ones() {
        let spec = Spec::load("radarr-v3-openapi.json");
        assert!(
            spec.check_request("GET", "/api/v3/movie/lookup/tmdb", "tmdbId=438631", None)
                .is_ok()
        );
        let unknown = spec
            .check_request("GET", "/api/v3/movie/lookup/tmdb", "tmdb=1", None)
            .expect_err("bad");
        assert!(unknown.iter().any(|p| p.contains("`tmdb`")), "{unknown:?}");
        assert!(spec.check_request("GET", "/api/v3/nope", "", None).is_err());
        let status = json!({ "appName": "Radarr", "version": "5.26.2.10099", "isDebug": false });
        assert!(
            spec.check_response("GET", "/api/v3/system/status", 200, &status)
                .is_ok()
        );
        let wrong = json!({ "appName": 5 });
        assert!(
            spec.check_response("GET", "/api/v3/system/status", 200, &wrong)
                .is_err()
        );
        let add = json!({ "title": "Dune", "tmdbId": 438631, "qualityProfileId": 1, "rootFolderPath": "/movies",
                          "monitored": true, "minimumAvailability": "released", "tags": [],
                          "addOptions": { "searchForMovie": true } });
        assert_eq!(
            spec.check_request("POST", "/api/v3/movie", "", Some(&add)),
            Ok(())
        );
        let bad_add = json!({ "tmdbId": "438631", "bogusField": 1 });
        assert!(
            spec.check_request("POST", "/api/v3/movie", "", Some(&bad_add))
                .is_err()
        );
    }

    #[test]
    fn nullable_becomes_a_null_type() {
        let mut schema = json!({ "type": "string", "nullable": true, "enum": ["a"] });
        to_json_schema(&mut schema);
        assert_eq!(
            schema,
            json!({ "type": ["string", "null"], "enum": ["a", null] })
        );
    }
}
