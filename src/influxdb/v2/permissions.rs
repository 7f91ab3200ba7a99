//! Permissions of v2 authorizations as Terraform holds them, and how they map to the API's.
//!
//! In the configuration a resource's `org_id` left unset means the authorization's own
//! organization (the provider sends that ID); `id` unset means every resource of the type.
//! The server may fill in more than was sent (a bucket's `name`, the org's name), so an API
//! permission *matches* a configured one when every field the configuration set is equal.
//! The `all_access` and `operator` shortcuts expand as the `influx` CLI's `auth create
//! --all-access` and `--operator` do: read and write on every resource type the server
//! lists at `GET /api/v2/resources`, scoped to the organization (all-access) or not
//! (operator).

use serde::{Deserialize, Serialize};

use super::models;

/// Every resource type of InfluxDB OSS 2.7 and Cloud Serverless (the `Resource.type` enum of
/// the v2 OpenAPI); checked at plan.
pub const RESOURCE_TYPES: &[&str] = &[
    "authorizations",
    "buckets",
    "dashboards",
    "orgs",
    "sources",
    "tasks",
    "telegrafs",
    "users",
    "variables",
    "scrapers",
    "secrets",
    "labels",
    "views",
    "documents",
    "notificationRules",
    "notificationEndpoints",
    "checks",
    "dbrp",
    "notebooks",
    "annotations",
    "remotes",
    "replications",
    "instance",
];

pub const ACTIONS: &[&str] = &["read", "write"];

/// [`RESOURCE_TYPES`] as the docs list them: `` `a`, `b` or `c` ``.
pub fn types_in_words() -> String {
    let quoted: Vec<String> = RESOURCE_TYPES.iter().map(|t| format!("`{t}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Types an all-access token leaves out: `instance` is server-wide, not part of an org.
const NOT_ORG_SCOPED: &[&str] = &["instance"];

/// A permission in Terraform state: `{ action, resource = { type, id, name, org_id } }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PermissionModel {
    pub action: Option<String>,
    pub resource: Option<ResourceModel>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResourceModel {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub org_id: Option<String>,
}

/// What the API is sent for a configured permission; an unset `org_id` becomes `org_id`.
pub fn to_api(p: &PermissionModel, org_id: &str) -> models::Permission {
    let r = p.resource.clone().unwrap_or_default();
    models::Permission {
        action: p.action.clone().unwrap_or_default(),
        resource: models::Resource {
            kind: r.kind.unwrap_or_default(),
            id: r.id,
            name: r.name,
            org_id: Some(r.org_id.unwrap_or_else(|| org_id.to_owned())),
            org: None,
        },
    }
}

/// The state form of an API permission when nothing configured it (import, shortcuts): the
/// authorization's own org and a name next to an ID are left out, as a user would write it.
pub fn from_api(p: &models::Permission, auth_org_id: &str) -> PermissionModel {
    let r = &p.resource;
    PermissionModel {
        action: Some(p.action.clone()),
        resource: Some(ResourceModel {
            kind: Some(r.kind.clone()),
            id: r.id.clone(),
            name: if r.id.is_some() { None } else { r.name.clone() },
            org_id: r.org_id.clone().filter(|o| o != auth_org_id),
        }),
    }
}

/// Whether API permission `a` is what state permission `s` asked for.
fn matches(s: &PermissionModel, a: &models::Permission, auth_org_id: &str) -> bool {
    let r = s.resource.clone().unwrap_or_default();
    let eq = |want: &Option<String>, got: &Option<String>| want.is_none() || want == got;
    s.action.as_deref() == Some(a.action.as_str())
        && r.kind.as_deref() == Some(a.resource.kind.as_str())
        && r.id == a.resource.id
        && eq(&r.name, &a.resource.name)
        && match &r.org_id {
            Some(o) => a.resource.org_id.as_ref() == Some(o),
            // The authorization's org, or no org at all (operator).
            None => a
                .resource
                .org_id
                .as_deref()
                .is_none_or(|o| o == auth_org_id),
        }
}

/// Whether the API's permissions are exactly the state's, matched one to one.
/// The server's permissions `api` (of an authorization in `auth_org_id`) as a state holds
/// them, sorted.
pub fn all_from_api(api: &[models::Permission], auth_org_id: &str) -> Vec<PermissionModel> {
    let mut p: Vec<_> = api.iter().map(|p| from_api(p, auth_org_id)).collect();
    p.sort();
    p
}

/// The permissions a refreshed state keeps: `prior`'s while they mean the server's (`api`),
/// else the server's.
pub fn kept(
    prior: Option<&Vec<PermissionModel>>,
    api: &[models::Permission],
    auth_org_id: &str,
) -> Vec<PermissionModel> {
    match prior {
        Some(p) if same(p, api, auth_org_id) => p.clone(),
        _ => all_from_api(api, auth_org_id),
    }
}

pub fn same(state: &[PermissionModel], api: &[models::Permission], auth_org_id: &str) -> bool {
    if state.len() != api.len() {
        return false;
    }
    let mut used = vec![false; api.len()];
    state.iter().all(|s| {
        let hit = api
            .iter()
            .enumerate()
            .find(|(i, a)| !used[*i] && matches(s, a, auth_org_id));
        match hit {
            Some((i, _)) => {
                used[i] = true;
                true
            }
            None => false,
        }
    })
}

/// The permissions of `influx auth create --all-access` (org set) or `--operator` (org
/// `None`) on a server that knows `types`.
pub fn expand(types: &[String], org_id: Option<&str>) -> Vec<models::Permission> {
    let mut out = Vec::new();
    for t in types {
        if org_id.is_some() && NOT_ORG_SCOPED.contains(&t.as_str()) {
            continue;
        }
        for action in ACTIONS {
            out.push(models::Permission {
                action: (*action).to_owned(),
                resource: models::Resource {
                    kind: t.clone(),
                    org_id: org_id.map(str::to_owned),
                    ..Default::default()
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(action: &str, kind: &str, id: Option<&str>) -> PermissionModel {
        PermissionModel {
            action: Some(action.into()),
            resource: Some(ResourceModel {
                kind: Some(kind.into()),
                id: id.map(Into::into),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn a_configured_permission_matches_what_the_server_fills_in() {
        let org = "0000000000000001";
        let state = vec![
            cfg("write", "buckets", Some("00000000000000aa")),
            cfg("read", "dashboards", None),
        ];
        let sent: Vec<_> = state.iter().map(|p| to_api(p, org)).collect();
        let mut got = sent.clone();
        got[0].resource.name = Some("telemetry".into());
        got[0].resource.org = Some("my-org".into());
        got.reverse();
        assert!(same(&state, &got, org));
        // Another org is a difference.
        got[0].resource.org_id = Some("0000000000000002".into());
        assert!(!same(&state, &got, org));
    }

    #[test]
    fn all_access_is_read_and_write_on_every_org_type() {
        let types: Vec<String> = ["buckets", "orgs", "instance"].map(String::from).into();
        let p = expand(&types, Some("0000000000000001"));
        assert_eq!(p.len(), 4, "instance is not part of an org");
        assert!(p
            .iter()
            .all(|p| p.resource.org_id.as_deref() == Some("0000000000000001")));
        assert_eq!(expand(&types, None).len(), 6);
    }
}
