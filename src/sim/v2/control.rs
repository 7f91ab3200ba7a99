//! This family's `/__sim/` endpoints: `GET /__sim/state` (never tokens nor passwords nor secret
//! values; orgs, users, buckets, members, authorizations, DBRP mappings with their default flag,
//! v1 authorizations with their user names, tasks, secret keys by org), `POST
//! /__sim/authenticate` `{"token": "..."}` -> `{"id", "active"}` or 404, `POST /__sim/secret`
//! `{"org_id", "key", "value"}` -> `{"matches": bool}` or 404 (whether the org keeps that
//! value under that key), and `DELETE /__sim/state` (back to the start).

use serde_json::json;

use super::{authorizations, buckets, error, legacy, orgs, reply, secrets, tasks, users, OssV2};
use crate::sim::harness::http::{no_content, token_hash_of_body, Resp};
use crate::sim::harness::Request;

impl OssV2 {
    /// The endpoints above; `None` for any other.
    pub(super) fn sim_control(&self, req: &Request<'_>) -> Option<Resp> {
        Some(
            match (req.method.as_str(), req.path.trim_end_matches('/')) {
                ("GET", "/__sim/state") => {
                    let s = self.lock();
                    let auths: Vec<_> = s
                        .authorizations
                        .values()
                        .map(|a| authorizations::view(&s, a))
                        .collect();
                    reply(
                        200,
                        &json!({
                            "orgs": s.orgs.values().map(orgs::view).collect::<Vec<_>>(),
                            "users": s.users.values().map(users::view).collect::<Vec<_>>(),
                            "buckets": s.buckets.values().map(|b| buckets::view(&s, b)).collect::<Vec<_>>(),
                            "members": s.mappings.iter().map(|m| json!({"resourceID": m.resource_id, "userID": m.user_id, "role": m.role})).collect::<Vec<_>>(),
                            "authorizations": auths,
                            "dbrps": s.dbrps.values().map(|d| serde_json::json!({"id": d.id, "orgID": d.org_id, "bucketID": d.bucket_id, "database": d.database, "retention_policy": d.retention_policy, "default": s.dbrp_defaults.get(&(d.org_id.clone(), d.database.clone())) == Some(&d.id)})).collect::<Vec<_>>(),
                            "legacy_authorizations": s.legacy_authorizations.values().map(|a| legacy::view(&s, a)).collect::<Vec<_>>(),
                            "tasks": s.tasks.values().map(|t| tasks::view(&s, t)).collect::<Vec<_>>(),
                            "secrets": s.secrets.iter().map(|(o, m)| (o.clone(), json!(m.keys().collect::<Vec<_>>()))).collect::<serde_json::Map<_, _>>(),
                        }),
                    )
                }
                ("POST", "/__sim/authenticate") => {
                    let h = match token_hash_of_body(req.body) {
                        Ok(h) => h,
                        Err(e) => return Some(error(400, &e)),
                    };
                    let s = self.lock();
                    match s.authorizations.values().find(|a| a.token_sha512 == h) {
                        Some(a) => reply(
                            200,
                            &json!({"id": a.id, "active": a.status == "active" && s.users.contains_key(&a.user_id)}),
                        ),
                        None => error(404, "no authorization has this token"),
                    }
                }
                ("POST", "/__sim/secret") => {
                    let b: serde_json::Value = match serde_json::from_slice(req.body) {
                        Ok(b) => b,
                        Err(e) => return Some(error(400, &e.to_string())),
                    };
                    let field = |k: &str| b[k].as_str().unwrap_or_default().to_owned();
                    let s = self.lock();
                    match secrets::matches(&s, &field("org_id"), &field("key"), &field("value")) {
                        Some(m) => reply(200, &json!({ "matches": m })),
                        None => error(404, "the org keeps no secret with this key"),
                    }
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
