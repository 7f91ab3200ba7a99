//! `/api/v2/buckets`: list (filters `id`, `orgID`, `org`, `name`; pages by `limit`, `offset`
//! and `after`), create, get, patch (`name`, `description`, `retentionRules`), delete; and the
//! system buckets every organization gets. Written from InfluxDB 2.x (`tenant/*_bucket.go`,
//! `storage/bucket_service.go`, `v1/services/meta/data.go`) and the Cloud Serverless docs.
//!
//! As OSS: the shard-group duration is normalised on create (0 = 7 d for infinite or >= 180 d
//! retention, 1 d for >= 2 d, else 1 h; under 1 h becomes 1 h) but stored as sent by a PATCH;
//! a retention under 1 h is a 500 `internal error` (the storage engine's plain error); a
//! PATCH without `retentionRules` leaves the retention as it is; unknown keys are ignored.
//! Cloud Serverless: `retentionRules` required on POST and PATCH, no shard-group duration,
//! `schemaType` `implicit` (default) or `explicit`, names of at least 2 characters.

// The helpers below return a ready answer as their error; its size does not matter here.
#![allow(clippy::result_large_err)]

use serde_json::{json, Map, Value};

use super::model::{Bucket, Store};
use super::{error, error_code, found, new_id, now, org_filter, reply, valid_id, Call, BAD_ID};
use crate::sim::harness::http::{no_content, Resp};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// `meta.NormalisedShardDuration`.
pub(super) fn normalised_shard_group(sgd: i64, retention: i64) -> i64 {
    let by_retention = |d: i64| {
        if d == 0 || d >= 180 * DAY {
            7 * DAY
        } else if d >= 2 * DAY {
            DAY
        } else {
            HOUR
        }
    };
    match sgd {
        0 => by_retention(retention),
        s if s < HOUR => HOUR,
        s => s,
    }
}

/// A bucket as the API shows it.
pub(super) fn view(s: &Store, b: &Bucket) -> Value {
    let org = s
        .orgs
        .get(&b.org_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let mut rules = Vec::new();
    if s.cloud {
        rules.push(json!({"type": "expire", "everySeconds": b.every_seconds}));
    } else if b.every_seconds > 0 || b.shard_group_seconds > 0 {
        rules.push(json!({"type": "expire", "everySeconds": b.every_seconds, "shardGroupDurationSeconds": b.shard_group_seconds}));
    }
    let mut v = json!({
        "id": b.id,
        "orgID": b.org_id,
        "type": b.kind,
        "name": b.name,
        "retentionRules": rules,
        "createdAt": b.created_at,
        "updatedAt": b.updated_at,
        "links": {
            "self": format!("/api/v2/buckets/{}", b.id),
            "org": format!("/api/v2/orgs/{}", b.org_id),
            "members": format!("/api/v2/buckets/{}/members", b.id),
            "owners": format!("/api/v2/buckets/{}/owners", b.id),
            "labels": format!("/api/v2/buckets/{}/labels", b.id),
            "write": format!("/api/v2/write?org={org}&bucket={}", b.id),
        },
        "labels": [],
    });
    if !b.description.is_empty() {
        v["description"] = json!(b.description);
    }
    if let Some(t) = &b.schema_type {
        v["schemaType"] = json!(t);
    }
    v
}

/// The system buckets of a new organization (`_tasks` 3 d, `_monitoring` 7 d).
pub(super) fn add_system_buckets(s: &mut Store, org_id: &str) {
    for (name, days, what) in [
        ("_tasks", 3, "task logs"),
        ("_monitoring", 7, "monitoring logs"),
    ] {
        let t = now();
        let b = Bucket {
            id: new_id(),
            org_id: org_id.into(),
            name: name.into(),
            description: format!("System bucket for {what}"),
            kind: "system",
            every_seconds: days * DAY,
            shard_group_seconds: DAY,
            schema_type: None,
            created_at: t.clone(),
            updated_at: t,
        };
        s.buckets.insert(b.id.clone(), b);
    }
}

fn int_param(call: &Call<'_>, name: &str) -> Result<Option<i64>, Resp> {
    match call.query.get(name) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| error(400, &format!("{name} is invalid"))),
    }
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let q = &call.query;
    let limit = match int_param(call, "limit") {
        Ok(l) => l.unwrap_or(20),
        Err(r) => return r,
    };
    if !(1..=100).contains(&limit) {
        return error(400, "limit must be between 1 and 100");
    }
    let offset = match int_param(call, "offset") {
        Ok(o) => o.unwrap_or(0).max(0) as usize,
        Err(r) => return r,
    };
    for k in ["id", "orgID", "after"] {
        if q.get(k).is_some_and(|v| !valid_id(v)) {
            return error(400, "id must have a length of 16 bytes");
        }
    }
    if let Some(id) = q.get("id") {
        let Some(b) = s.buckets.get(id) else {
            return error(404, "bucket not found");
        };
        return page(s, call, vec![b], limit, offset);
    }
    let org_id = match org_filter(s, q) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let name = q.get("name");
    let list: Vec<&Bucket> = match &org_id {
        // The org+name index: by name bytes; `after` and `descending` do not apply.
        Some(org_id) => {
            let mut l: Vec<&Bucket> = s.buckets.values().filter(|b| &b.org_id == org_id).collect();
            l.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
            if let Some(n) = name {
                l.retain(|b| &b.name == n);
                if l.is_empty() {
                    return error(404, &format!("bucket \"{n}\" not found"));
                }
            }
            l.into_iter().skip(offset).take(limit as usize).collect()
        }
        // The bucket table, by ID; `offset` counts rows before the name filter.
        None => {
            let mut l: Vec<&Bucket> = s.buckets.values().collect();
            if q.get("descending").is_some_and(|d| d == "true") {
                l.reverse();
            }
            if let Some(after) = q.get("after") {
                l.retain(|b| &b.id > after);
            }
            l.into_iter()
                .skip(offset)
                .filter(|b| name.is_none_or(|n| &b.name == n))
                .take(limit as usize)
                .collect()
        }
    };
    page(s, call, list, limit, offset)
}

/// One page with its `links` (`next` when the page is full, `prev` after an offset).
fn page(s: &Store, call: &Call<'_>, list: Vec<&Bucket>, limit: i64, offset: usize) -> Resp {
    let visible: Vec<Value> = list
        .iter()
        .filter(|b| call.allowed("read", "buckets", Some(&b.org_id), Some(&b.id)))
        .map(|b| view(s, b))
        .collect();
    let mut params: Vec<(String, String)> = call
        .query
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "limit" | "offset"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    params.push(("limit".into(), limit.to_string()));
    let link = |off: usize| {
        let mut p = params.clone();
        p.push(("offset".into(), off.to_string()));
        p.sort();
        let qs: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("/api/v2/buckets?{}", qs.join("&"))
    };
    let mut links = json!({"self": link(offset)});
    if list.len() as i64 >= limit {
        links["next"] = json!(link(offset + limit as usize));
    }
    if offset > 0 {
        links["prev"] = json!(link(offset.saturating_sub(limit as usize)));
    }
    reply(200, &json!({"links": links, "buckets": visible}))
}

/// The first retention rule's values present in a body: `(everySeconds, shardGroupSeconds)`.
type Rule = (Option<i64>, Option<i64>);

/// Checks `retentionRules` as both POST and PATCH do: at most one rule, no negative values.
fn rule(body: &Map<String, Value>) -> Result<Option<Rule>, Resp> {
    let Some(rules) = body.get("retentionRules").and_then(Value::as_array) else {
        return Ok(None);
    };
    if rules.len() > 1 {
        return Err(error(
            422,
            "buckets cannot have more than one retention rule at this time",
        ));
    }
    let Some(r) = rules.first() else {
        return Ok(None);
    };
    let every = r.get("everySeconds").and_then(Value::as_i64);
    let sgd = r.get("shardGroupDurationSeconds").and_then(Value::as_i64);
    if every.is_some_and(|e| e < 0) {
        return Err(error(422, "expiration seconds cannot be negative"));
    }
    if sgd.is_some_and(|e| e < 0) {
        return Err(error(
            422,
            "shard-group duration seconds cannot be negative",
        ));
    }
    Ok(Some((every, sgd)))
}

fn check_name(s: &Store, name: &str) -> Result<(), Resp> {
    if name.starts_with('_') {
        return Err(error(
            400,
            &format!("bucket name {name} is invalid. Buckets may not start with underscore"),
        ));
    }
    if name.contains('"') {
        return Err(error(
            400,
            &format!("bucket name {name} is invalid. Bucket names may not include quotation marks"),
        ));
    }
    if s.cloud && name.chars().count() < 2 {
        return Err(error(400, "bucket name must be at least 2 characters"));
    }
    Ok(())
}

fn body_object(body: &[u8]) -> Result<Map<String, Value>, Resp> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(error(400, "failed to unmarshal json: expected an object")),
        Err(e) => Err(error(400, &format!("failed to unmarshal json: {e}"))),
    }
}

/// The storage engine's checks, which answer 500 like the real server's plain errors.
fn engine_check(every: i64, sgd: i64) -> Result<(), Resp> {
    if every > 0 && every < HOUR {
        return Err(error(
            500,
            "retention policy duration must be at least 1h0m0s",
        ));
    }
    if every > 0 && every < sgd {
        return Err(error(
            500,
            "retention policy duration must be greater than the shard duration",
        ));
    }
    Ok(())
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    let b = match body_object(call.body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(org_id) = b
        .get("orgID")
        .and_then(Value::as_str)
        .filter(|o| valid_id(o))
    else {
        return error(400, "organization id must be provided");
    };
    let org_id = org_id.to_owned();
    if s.cloud && b.get("retentionRules").and_then(Value::as_array).is_none() {
        return error(400, "retentionRules is required");
    }
    let (every, sgd) = match rule(&b) {
        Ok(r) => r.unwrap_or_default(),
        Err(r) => return r,
    };
    let name = b
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if let Err(r) = check_name(s, &name) {
        return r;
    }
    let schema_type = match (s.cloud, b.get("schemaType").and_then(Value::as_str)) {
        (false, _) => None,
        (true, None) => Some("implicit".to_owned()),
        (true, Some(t @ ("implicit" | "explicit"))) => Some(t.to_owned()),
        (true, Some(t)) => return error(400, &format!("invalid schema type {t:?}")),
    };
    if !s.orgs.contains_key(&org_id) {
        return error(404, "organization not found");
    }
    if !call.allowed("write", "buckets", Some(&org_id), None) {
        return error(403, "write:buckets is unauthorized");
    }
    if s.buckets
        .values()
        .any(|x| x.org_id == org_id && x.name == name)
    {
        return error_code(
            422,
            "conflict",
            &format!("bucket with name {name} already exists"),
        );
    }
    let every = every.unwrap_or(0);
    let sgd = if s.cloud {
        0
    } else {
        normalised_shard_group(sgd.unwrap_or(0), every)
    };
    if let Err(r) = engine_check(every, sgd) {
        return r;
    }
    let t = now();
    let bucket = Bucket {
        id: new_id(),
        org_id,
        name,
        description: b
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .into(),
        kind: "user",
        every_seconds: every,
        shard_group_seconds: sgd,
        schema_type,
        created_at: t.clone(),
        updated_at: t,
    };
    s.buckets.insert(bucket.id.clone(), bucket.clone());
    reply(201, &view(s, &bucket))
}

/// `/api/v2/buckets/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    let at = (method, "buckets", id);
    let org = |b: &Bucket| Some(b.org_id.clone());
    let b = match found(call, at, &s.buckets, org, (BAD_ID, "bucket not found")) {
        Ok(b) => b,
        Err(r) => return r,
    };
    match method {
        "GET" => reply(200, &view(s, &b)),
        "PATCH" => patch(s, call, b),
        "DELETE" if b.kind == "system" => error(400, "system buckets cannot be deleted"),
        "DELETE" => {
            s.buckets.remove(id);
            s.mappings.retain(|m| m.resource_id != id);
            super::dbrps::forget_bucket(s, id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

fn patch(s: &mut Store, call: &Call<'_>, mut b: Bucket) -> Resp {
    let body = match body_object(call.body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if s.cloud
        && body
            .get("retentionRules")
            .and_then(Value::as_array)
            .is_none()
    {
        return error(403, "retentionRules is required");
    }
    let rule = match rule(&body) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if let Some(name) = body.get("name").and_then(Value::as_str) {
        if name != b.name {
            if b.kind == "system" {
                return error(400, "system buckets cannot be renamed");
            }
            if let Err(r) = check_name(s, name) {
                return r;
            }
            if s.buckets
                .values()
                .any(|x| x.org_id == b.org_id && x.name == name)
            {
                return error_code(422, "conflict", "bucket name is not unique");
            }
            b.name = name.into();
        }
    }
    if let Some(d) = body.get("description").and_then(Value::as_str) {
        b.description = d.into();
    }
    if let Some((every, sgd)) = rule {
        let new_every = every.unwrap_or(b.every_seconds);
        let new_sgd = if s.cloud {
            0
        } else {
            sgd.unwrap_or(b.shard_group_seconds)
        };
        if new_every > 0 && new_every < HOUR {
            return error(500, "retention policy duration must be at least 1h0m0s");
        }
        if new_every > 0 && new_every < normalised_shard_group(new_sgd, new_every) && !s.cloud {
            return error(
                422,
                "shard-group duration must also be updated to be smaller than new retention duration",
            );
        }
        b.every_seconds = new_every;
        // Stored as sent, as the real server's KV keeps it.
        b.shard_group_seconds = new_sgd;
    }
    b.updated_at = now();
    s.buckets.insert(b.id.clone(), b.clone());
    reply(200, &view(s, &b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_groups_are_normalised_as_influxdb_does() {
        assert_eq!(normalised_shard_group(0, 30 * DAY), DAY);
        assert_eq!(normalised_shard_group(0, HOUR), HOUR);
        assert_eq!(normalised_shard_group(0, 0), 7 * DAY);
        assert_eq!(normalised_shard_group(0, 200 * DAY), 7 * DAY);
        assert_eq!(normalised_shard_group(60, 0), HOUR);
        assert_eq!(normalised_shard_group(2 * HOUR, 0), 2 * HOUR);
    }
}
