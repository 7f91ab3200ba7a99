//! A database (resource) token of InfluxDB 3 Enterprise, configured as on Cloud Dedicated
//! (`description`, `permissions = [{ action, resource }]`, `expires_at`) so that one module
//! serves both: what it is (its state, its permissions and how they become the API's
//! `{resource_type, resource_names, actions}`, and back from `system.tokens`), shared by its
//! resource and its ephemeral resource.
//!
//! On Enterprise a token's `description` is its name (`token_name`, unique on the server).
//! System permissions are written `resource = "system:ping"` (also `health`, `metrics`,
//! `ready`, or `system:*`), action `read`.

pub mod data_source;
pub mod data_sources;
pub mod ephemeral;
pub mod expiry_bug;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models::{TokenPermission, TokenRow};
use super::utc;
use crate::engine::{AttributePath, Diagnostics, Value};

/// The type name, shared with the Management family.
pub const TYPE: &str = "influxdb_database_token";

/// One `{ action, resource }` of the configuration.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Permission {
    pub action: String,
    pub resource: String,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct TokenState {
    pub id: Option<String>,
    /// Resource only (the data source's `description` is the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<Permission>>,
    pub expires_at: Option<String>,
    /// Resource only (the data source has no such attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    pub created_at: Option<String>,
}

/// The system resources a token may read.
const SYSTEM: [&str; 4] = ["health", "ping", "metrics", "ready"];

/// A permission's resource: a database name, `*`, or `system:NAME`.
pub fn validate_permission(action: &str, resource: &str) -> Result<(), String> {
    if let Some(sys) = resource.strip_prefix("system:") {
        if sys != "*" && !SYSTEM.contains(&sys.to_ascii_lowercase().as_str()) {
            return Err(format!("{resource:?} names no system resource; use system:health, system:ping, system:metrics, system:ready or system:*."));
        }
        if action != "read" {
            return Err(format!(
                "A system resource ({resource:?}) can only be read: use action = \"read\"."
            ));
        }
        return Ok(());
    }
    if !matches!(action, "read" | "write") {
        return Err(format!(
            "The permission action {action:?} is not supported; use \"read\" or \"write\"."
        ));
    }
    if resource == "*" {
        return Ok(());
    }
    super::database::validate_name(resource).map_err(|e| {
        format!("A permission resource must be \"*\" (all databases), a database name or system:NAME. {e}")
    })
}

/// Checks every configured permission, naming the offending one.
pub fn validate_permissions(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    for el in v.elements().unwrap_or_default() {
        if let (Some(a), Some(r)) = (el.attr("action").as_str(), el.attr("resource").as_str()) {
            if let Err(e) = validate_permission(a, r) {
                diags.attribute_error(path.clone(), "Invalid permission", e);
            }
        }
    }
}

/// The permissions as the API takes them: one entry per resource, its actions sorted.
pub fn to_api(perms: &[Permission]) -> Vec<TokenPermission> {
    let mut out: Vec<TokenPermission> = Vec::new();
    let mut perms = perms.to_vec();
    perms.sort();
    perms.dedup();
    for p in perms {
        let (kind, name) = match p.resource.strip_prefix("system:") {
            Some(s) => ("system", s.to_ascii_lowercase()),
            None => ("db", p.resource.clone()),
        };
        match out
            .iter_mut()
            .find(|t| t.resource_type == kind && t.resource_names == [name.clone()])
        {
            Some(t) => {
                t.actions.push(p.action);
                t.actions.sort();
            }
            None => out.push(TokenPermission {
                resource_type: kind.to_owned(),
                resource_names: vec![name],
                actions: vec![p.action],
            }),
        }
    }
    out
}

/// The permissions `system.tokens` shows: a JSON array of `type:names:actions` texts (as
/// Enterprise 3.8 answers) or one such text. `None` when the text is not understood.
pub fn from_row(text: &str) -> Option<Vec<Permission>> {
    let parts: Vec<String> = match serde_json::from_str::<Vec<String>>(text) {
        Ok(p) => p,
        Err(_) => text.split(';').map(|s| s.trim().to_owned()).collect(),
    };
    let mut out = Vec::new();
    for part in parts {
        let mut it = part.splitn(3, ':');
        let (kind, names, actions) = (it.next()?, it.next()?, it.next()?);
        for name in names.split(',') {
            for action in actions.split(',') {
                let resource = match kind {
                    "db" => name.to_owned(),
                    "system" => format!("system:{name}"),
                    _ => return None,
                };
                out.push(Permission {
                    action: action.to_owned(),
                    resource,
                });
            }
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The state of a token the server lists (no access token: it is never shown again).
pub fn state_from_row(row: &TokenRow) -> TokenState {
    TokenState {
        id: Some(row.token_id.to_string()),
        name: Some(row.name.clone()),
        description: Some(row.name.clone()),
        permissions: row.permissions.as_deref().and_then(from_row),
        expires_at: row.expiry.as_deref().map(utc),
        access_token: None,
        created_at: Some(utc(&row.created_at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(action: &str, resource: &str) -> Permission {
        Permission {
            action: action.into(),
            resource: resource.into(),
        }
    }

    #[test]
    fn permissions_go_to_the_api_and_come_back_the_same() {
        let perms = vec![
            p("write", "sensors"),
            p("read", "sensors"),
            p("read", "*"),
            p("read", "system:ping"),
        ];
        let api = to_api(&perms);
        assert_eq!(api.len(), 3);
        let db = api
            .iter()
            .find(|t| t.resource_names == ["sensors"])
            .unwrap();
        assert_eq!(db.actions, ["read", "write"]);
        let sys = api.iter().find(|t| t.resource_type == "system").unwrap();
        assert_eq!(sys.resource_names, ["ping"]);
        let text = r#"["db:*:read","db:sensors:read","db:sensors:write","system:ping:read"]"#;
        let mut want = perms.clone();
        want.sort();
        assert_eq!(from_row(text), Some(want));
        assert_eq!(
            from_row("db:a,b:read"),
            Some(vec![p("read", "a"), p("read", "b")])
        );
        assert_eq!(from_row("nonsense"), None);
    }

    #[test]
    fn permission_rules() {
        assert!(validate_permission("read", "sensors").is_ok());
        assert!(validate_permission("write", "*").is_ok());
        assert!(validate_permission("read", "system:health").is_ok());
        assert!(validate_permission("write", "system:ping").is_err());
        assert!(validate_permission("read", "system:disk").is_err());
        assert!(validate_permission("delete", "sensors").is_err());
    }
}
