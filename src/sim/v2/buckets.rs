//! `/api/v2/buckets`: list (`orgID`, `org`, `name`), create, get.

use serde_json::json;

use super::model::{Bucket, Store};
use super::{error, new_id, now, reply, valid_id, Call};
use crate::sim::harness::http::Resp;

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let mut list: Vec<&Bucket> = s.buckets.values().collect();
    if let Some(id) = call.query.get("orgID") {
        list.retain(|b| &b.org_id == id);
    }
    if let Some(org) = call.query.get("org") {
        let Some(o) = s.orgs.values().find(|o| &o.name == org) else {
            return error(404, &format!("organization name \"{org}\" not found"));
        };
        list.retain(|b| b.org_id == o.id);
    }
    if let Some(name) = call.query.get("name") {
        list.retain(|b| &b.name == name);
    }
    list.retain(|b| call.allowed("read", "buckets", Some(&b.org_id), Some(&b.id)));
    reply(
        200,
        &json!({"links": {"self": "/api/v2/buckets"}, "buckets": list}),
    )
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    let Ok(b) = serde_json::from_slice::<serde_json::Value>(call.body) else {
        return error(400, "failed to decode request body");
    };
    let (Some(org_id), Some(name)) = (b["orgID"].as_str(), b["name"].as_str()) else {
        return error(400, "orgID and name are required");
    };
    if !valid_id(org_id) {
        return error(400, "orgID must have a length of 16 bytes");
    }
    if !s.orgs.contains_key(org_id) {
        return error(404, "organization not found");
    }
    if !call.allowed("write", "buckets", Some(org_id), None) {
        return error(403, "write:buckets is unauthorized");
    }
    if s.buckets
        .values()
        .any(|x| x.org_id == org_id && x.name == name)
    {
        return error(422, &format!("bucket with name {name} already exists"));
    }
    let bucket = Bucket {
        id: new_id(),
        org_id: org_id.into(),
        name: name.into(),
        retention_rules: b["retentionRules"].as_array().cloned().unwrap_or_default(),
        created_at: now(),
    };
    s.buckets.insert(bucket.id.clone(), bucket.clone());
    reply(201, &json!(bucket))
}

pub(super) fn get(s: &Store, call: &Call<'_>, id: &str) -> Resp {
    match s.buckets.get(id) {
        Some(b) if call.allowed("read", "buckets", Some(&b.org_id), Some(id)) => {
            reply(200, &json!(b))
        }
        Some(_) => error(403, "read:buckets is unauthorized"),
        None if !valid_id(id) => error(400, "id must have a length of 16 bytes"),
        None => error(404, "bucket not found"),
    }
}
