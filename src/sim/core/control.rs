//! This family's `/__sim/` endpoints: `GET /__sim/state` (tokens without their strings,
//! databases with their tables, caches and triggers, plugin files with their content), `POST /__sim/authenticate` `{"token": "..."}` -> `{"id",
//! "name", "active"}` or 404 (what the server would do with that string), `DELETE
//! /__sim/state` (back to the operator token alone), and `PUT /__sim/bugs` `{"27620": true}`
//! (reproduce a known server bug: influxdata/influxdb#27620, Enterprise 3.11.3, a resource
//! token created without an expiry expires at once; `false` turns it off).

use serde_json::json;

use super::model::{now_ms, rfc3339};
use super::{json_error, Core};
use crate::sim::harness::http::{json_response, no_content, token_hash_of_body, Resp};
use crate::sim::harness::Request;

impl Core {
    /// The endpoints above; `None` for any other.
    pub(super) fn sim_control(&self, req: &Request<'_>) -> Option<Resp> {
        Some(
            match (req.method.as_str(), req.path.trim_end_matches('/')) {
                ("GET", "/__sim/state") => {
                    let s = self.lock();
                    let tokens: Vec<_> = s
                        .tokens
                        .values()
                        .map(|t| {
                            json!({
                                "id": t.id,
                                "name": t.name,
                                "created_at": rfc3339(t.created_ms),
                                "expiry": t.expiry_ms.map(rfc3339),
                                "permissions": t.permissions,
                            })
                        })
                        .collect();
                    let dbs: Vec<_> = s.databases.values().collect();
                    json_response(
                        200,
                        &json!({"tokens": tokens, "databases": dbs, "plugin_files": s.plugin_files}),
                    )
                }
                ("POST", "/__sim/authenticate") => {
                    let h = match token_hash_of_body(req.body) {
                        Ok(h) => h,
                        Err(e) => return Some(json_error(400, &e)),
                    };
                    let s = self.lock();
                    match s.tokens.values().find(|t| t.sha512 == h) {
                        Some(t) => json_response(
                            200,
                            &json!({"id": t.id, "name": t.name, "active": !t.expired(now_ms())}),
                        ),
                        None => json_error(404, "no token has this string"),
                    }
                }
                ("PUT", "/__sim/bugs") => {
                    let v: serde_json::Value = match serde_json::from_slice(req.body) {
                        Ok(v) => v,
                        Err(e) => return Some(json_error(400, &format!("sim: {e}"))),
                    };
                    let mut s = self.lock();
                    if let Some(on) = v.get("27620").and_then(|v| v.as_bool()) {
                        s.bug_27620 = on;
                    }
                    no_content()
                }
                ("DELETE", "/__sim/state") => {
                    self.reset();
                    no_content()
                }
                _ => return None,
            },
        )
    }
}
