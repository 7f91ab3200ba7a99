//! This family's `/__sim/` endpoints: the state (never access tokens), what the data plane
//! would do with a token, data written to a database, and a reset.

use serde::Deserialize;
use serde_json::json;

use super::{bad_request, error, not_found, Management};
use crate::sim::harness::http::{decode_path_segment, json_response, no_content, sha512_hex, Resp};
use crate::sim::harness::Request;

impl Management {
    /// `/__sim/state`, `/__sim/authenticate`, `/__sim/databases/NAME/data`; `None` otherwise.
    pub(super) fn sim_control(&self, req: &Request<'_>) -> Option<Resp> {
        let body = req.body;
        Some(
            match (req.method.as_str(), req.path.trim_end_matches('/')) {
                ("GET", "/__sim/state") => {
                    let store = self.lock();
                    let tokens: Vec<_> =
                        store.tokens.values().map(|t| self.token_view(t)).collect();
                    let dbs: Vec<_> = store
                        .databases
                        .values()
                        .map(|d| self.database_state(d))
                        .collect();
                    json_response(200, &json!({"tokens": tokens, "databases": dbs}))
                }
                // What the data plane does with a token: tells which token it is (by its hash),
                // and whether it may still be used.
                ("POST", "/__sim/authenticate") => {
                    #[derive(Deserialize)]
                    #[serde(rename_all = "camelCase")]
                    struct Body {
                        access_token: String,
                    }
                    let b: Body = match serde_json::from_slice(body) {
                        Ok(b) => b,
                        Err(e) => {
                            return Some(bad_request(format!(
                                "expected {{\"accessToken\": ...}}: {e}"
                            )))
                        }
                    };
                    let h = sha512_hex(&b.access_token);
                    let store = self.lock();
                    let found = store
                        .access_token_sha512
                        .iter()
                        .find(|(_, v)| **v == h)
                        .and_then(|(id, _)| store.tokens.get(id));
                    match found {
                        Some(t) => json_response(
                            200,
                            &json!({"id": t.id, "active": t.revoked_at.is_none()}),
                        ),
                        None => error(404, "not found"),
                    }
                }
                // Stands for data written to a database: `{"marker": "..."}`.
                ("PUT", p) if p.starts_with("/__sim/databases/") && p.ends_with("/data") => {
                    let name = &p["/__sim/databases/".len()..p.len() - "/data".len()];
                    let Some(name) = decode_path_segment(name) else {
                        return Some(bad_request(
                            "the database name in the path is not valid UTF-8",
                        ));
                    };
                    #[derive(Deserialize)]
                    struct Body {
                        marker: String,
                    }
                    let b: Body = match serde_json::from_slice(body) {
                        Ok(b) => b,
                        Err(e) => {
                            return Some(bad_request(format!("expected {{\"marker\": ...}}: {e}")))
                        }
                    };
                    let mut store = self.lock();
                    let Some(db) = store.databases.get_mut(&name) else {
                        return Some(not_found());
                    };
                    db.data_marker = Some(b.marker);
                    no_content()
                }
                ("DELETE", "/__sim/state") => {
                    let mut store = self.lock();
                    store.tokens.clear();
                    store.databases.clear();
                    store.access_token_sha512.clear();
                    no_content()
                }
                _ => return None,
            },
        )
    }
}
