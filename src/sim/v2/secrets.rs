//! `/api/v2/orgs/{id}/secrets`: `GET` (the keys only, `{"links", "secrets": [...]}`),
//! `PATCH` (a JSON object of string values, added or replaced; 204), `DELETE
//! /secrets/{key}` and the deprecated `POST /secrets/delete` `{"secrets": [...]}` (204, also for
//! a key that does not exist). Written from InfluxDB 2.7 `secret/http_server.go`,
//! `secret/service.go` and `secret/storage.go`.
//!
//! As the server: values are never shown; the org is not looked up (the handler checks only
//! the caller's `read`/`write` permission on the org's `secrets`); a body that is not an
//! object of strings is a 400. The simulator keeps a SHA-512 of each value, which
//! `POST /__sim/secret` compares with a candidate so that tests can prove a value arrived.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::model::Store;
use super::{error, reply, valid_id, Call};
use crate::sim::harness::http::{decode_path_segment, no_content, sha512_hex, Resp};

/// `/api/v2/orgs/{org_id}/secrets[/{rest}]` with any method.
pub(super) fn handle(
    s: &mut Store,
    call: &Call<'_>,
    method: &str,
    org_id: &str,
    rest: Option<&str>,
) -> Resp {
    if !valid_id(org_id) {
        return error(400, "id must have a length of 16 bytes");
    }
    let action = if method == "GET" { "read" } else { "write" };
    if !call.allowed(action, "secrets", Some(org_id), None) {
        return error(
            403,
            &format!("{action}:orgs/{org_id}/secrets is unauthorized"),
        );
    }
    match (method, rest) {
        ("GET", None) => {
            let keys: Vec<&String> = s
                .secrets
                .get(org_id)
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            reply(
                200,
                &json!({
                    "links": {"org": format!("/api/v2/orgs/{org_id}"), "self": format!("/api/v2/orgs/{org_id}/secrets")},
                    "secrets": keys,
                }),
            )
        }
        ("PATCH", None) => {
            let Ok(values) = serde_json::from_slice::<BTreeMap<String, String>>(call.body) else {
                return error(
                    400,
                    "failed to decode request body: expected an object of strings",
                );
            };
            let org = s.secrets.entry(org_id.to_owned()).or_default();
            for (k, v) in values {
                org.insert(k, sha512_hex(&v));
            }
            no_content()
        }
        ("DELETE", Some(key)) => {
            let Some(key) = decode_path_segment(key) else {
                return error(400, "invalid secret key");
            };
            if let Some(org) = s.secrets.get_mut(org_id) {
                org.remove(&key);
            }
            no_content()
        }
        ("POST", Some("delete")) => {
            let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
                return error(400, "failed to decode request body");
            };
            let keys: Vec<String> = b["secrets"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(org) = s.secrets.get_mut(org_id) {
                for k in keys {
                    org.remove(&k);
                }
            }
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

/// Whether `value` is what the org keeps under `key` (for `POST /__sim/secret`).
pub(super) fn matches(s: &Store, org_id: &str, key: &str, value: &str) -> Option<bool> {
    s.secrets
        .get(org_id)
        .and_then(|m| m.get(key))
        .map(|h| *h == sha512_hex(value))
}
