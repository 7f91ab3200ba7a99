//! `komminarlabs/influxdb` (InfluxDB OSS v2 and Cloud Serverless, to 1.4.1): the same type names
//! as ours, handed over with `terraform state replace-provider` and read by
//! UpgradeResourceState.
//!
//! Both schemas are version 0, so Terraform drops the attributes our schema lacks before we see
//! the state (their bucket's `type`, `created_at` and `updated_at`, their user's `password`,
//! `org_id` and `org_role`). What is left of their organization and user is already our state
//! (the migrations below also read them whole, should a Terraform keep those attributes);
//! their authorization is too, its `token` included, save the permissions' resources: their
//! computed `org` and `name` are left out, and so is an `org_id` that is the authorization's
//! own organization (ours leaves it out to mean that one). Their bucket's
//! `retention_period` is a number of seconds (ours: a duration string): that is how a bucket of
//! theirs is recognised, and the one value rewritten.

use serde_json::{json, Map, Value as J};

use super::values::{self, elements, integer, object, required_text, seconds, text};
use super::{known_version, Migration};
use crate::engine::provider::StoredState;

const PROVIDER: &str = "komminarlabs/influxdb";

pub static MIGRATIONS: &[Migration] = &[
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_bucket",
        target_type: "influxdb_bucket",
        recognise: retention_in_seconds,
        map: bucket,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_authorization",
        target_type: "influxdb_authorization",
        recognise: permission_with_org,
        map: authorization,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_organization",
        target_type: "influxdb_organization",
        recognise: with_timestamps,
        map: organization,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_user",
        target_type: "influxdb_user",
        recognise: without_password_version,
        map: user,
    },
];

/// Their organization, if Terraform kept the attributes ours lacks (once it drops them, the
/// state is ours as it is).
fn with_timestamps(state: &StoredState<'_>) -> bool {
    state.json.get("created_at").is_some() || state.json.get("updated_at").is_some()
}

/// Their user: a `status` (which they always write) and no `password_wo_version`, which every
/// state of ours holds (null or not). Another provider's `influxdb_user` without a status (an
/// InfluxDB 1.x user) is not theirs.
fn without_password_version(state: &StoredState<'_>) -> bool {
    state
        .json
        .as_object()
        .is_some_and(|m| m.contains_key("status") && !m.contains_key("password_wo_version"))
}

fn organization(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    Ok(json!({
        "id": required_text(m, "id")?,
        "name": required_text(m, "name")?,
        "description": text(m, "description")?,
    }))
}

/// Their `password` is never kept (ours is write-only), nor their `org_id` and `org_role`
/// (an `influxdb_organization_member` here).
fn user(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    Ok(json!({
        "id": required_text(m, "id")?,
        "name": required_text(m, "name")?,
        "status": text(m, "status")?,
    }))
}

/// Their bucket: `retention_period` is a number (ours is always a string).
fn retention_in_seconds(state: &StoredState<'_>) -> bool {
    state.json.get("retention_period").is_some_and(J::is_number)
}

/// Their authorization: a permission's resource has `org` (ours never writes it), or the state
/// lacks `all_access`, which every state of ours holds (null or not).
fn permission_with_org(state: &StoredState<'_>) -> bool {
    let Some(m) = state.json.as_object() else {
        return false;
    };
    let with_org = m
        .get("permissions")
        .and_then(J::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["resource"].get("org").is_some()));
    with_org || !m.contains_key("all_access")
}

fn bucket(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let retention = match integer(m, "retention_period")? {
        Some(s) => seconds(s, "retention_period")?,
        None => J::Null,
    };
    values::bucket(m, retention, &[])
}

fn authorization(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let org_id = text(m, "org_id")?;
    let mut permissions = Vec::new();
    for p in elements(m, "permissions")? {
        let p = object(p).map_err(|_| "`permissions` holds a non-object".to_owned())?;
        let r = p
            .get("resource")
            .and_then(J::as_object)
            .ok_or_else(|| "a permission has no `resource`".to_owned())?;
        permissions.push(json!({
            "action": required_text(p, "action")?,
            "resource": resource(r, &org_id)?,
        }));
    }
    let also = ["org", "user", "created_at", "updated_at"];
    values::authorization(m, &also, permissions)
}

/// A permission's resource as a configuration of ours spells it: their `org` and `name` are
/// read from the server (computed), and their `org_id`, when it is the authorization's own
/// organization, is what ours means by leaving it out.
fn resource(r: &Map<String, J>, own_org: &J) -> Result<J, String> {
    let org_id = match text(r, "org_id")? {
        o if &o == own_org => J::Null,
        o => o,
    };
    Ok(json!({
        "type": required_text(r, "type")?,
        "id": text(r, "id")?,
        "name": J::Null,
        "org_id": org_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(json: J) -> StoredState<'static> {
        StoredState {
            source_provider: None,
            source_type: "influxdb_bucket",
            source_version: 0,
            target_type: "influxdb_bucket",
            json,
        }
    }

    #[test]
    fn their_bucket_is_recognised_by_its_retention_in_seconds() {
        let theirs = stored(json!({"id": "b", "name": "n", "retention_period": 2_592_000}));
        assert!(retention_in_seconds(&theirs));
        assert_eq!(bucket(&theirs).unwrap()["retention_period"], "30d");
        assert!(!retention_in_seconds(&stored(
            json!({"id": "b", "retention_period": "30d"})
        )));
    }

    #[test]
    fn their_user_loses_its_password() {
        let theirs =
            stored(json!({"id": "u", "name": "alice", "password": "secret", "status": "active"}));
        assert!(without_password_version(&theirs));
        assert!(!without_password_version(&stored(
            json!({"id": "alice", "name": "alice"})
        )));
        let ours = user(&theirs).unwrap();
        assert!(ours.get("password").is_none());
        assert_eq!(ours["name"], "alice");
    }

    #[test]
    fn their_authorization_keeps_its_token_and_loses_the_permissions_org() {
        let theirs = stored(json!({
            "id": "a", "token": "tok==", "org_id": "o", "status": "active",
            "permissions": [{"action": "read", "resource": {"type": "buckets", "id": "b", "org": "acme", "org_id": "o"}}]
        }));
        assert!(permission_with_org(&theirs));
        let ours = authorization(&theirs).unwrap();
        assert_eq!(ours["token"], "tok==");
        let resource = &ours["permissions"][0]["resource"];
        assert!(resource.get("org").is_none());
        assert_eq!(
            resource["org_id"],
            J::Null,
            "the authorization's own organization"
        );
        assert!(!permission_with_org(&stored(
            json!({"id": "a", "all_access": null, "permissions": []})
        )));
    }
}
