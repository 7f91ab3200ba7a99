//! `influxdb_user` on InfluxDB 1.x: a user, its password, `admin` and its `grant` blocks.
//!
//! - The password is either `password` (sensitive, kept in the state: what the DrFaust92
//!   provider does, so its configurations keep working) or the write-only `password_wo` with
//!   `password_wo_version` (never in the plan or the state; Terraform 1.11 or later). A changed
//!   password is set with `SET PASSWORD`, never by recreating the user.
//! - `admin` and the grants change in place (`GRANT`/`REVOKE`); privileges compare
//!   case-insensitively. Every change of one apply goes in one `POST /query`.
//! - Refresh reads the per-process snapshot of every user and its grants. A grant revoked or a
//!   user dropped outside Terraform shows in the plan and is put back. The password cannot be
//!   read back: a password changed outside Terraform is not seen.
//! - `name` is the user's identity (`id` repeats it); a new name replaces the user.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{
    admin_statement, check_privilege, create_statement, grant_map, grant_statements,
    grants_as_configured, same_grants, set_password_statement, users_snapshot, Grant,
};
use crate::engine::schema::Attribute;
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource,
    Schema, Type, Value,
};
use crate::influxdb::http::{gone_is_ok, HttpError};
use crate::influxdb::v1::client::V1Client;
use crate::influxdb::v1::influxql::{check_name, quote_ident};

pub struct UserResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct UserState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
    /// Only ever set in what the engine hands to create and update (from the configuration).
    pub password_wo: Option<String>,
    pub password_wo_version: Option<i64>,
    pub admin: Option<bool>,
    pub grant: Option<Vec<Grant>>,
}

impl UserState {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
    fn grants(&self) -> &[Grant] {
        self.grant.as_deref().unwrap_or(&[])
    }
}

fn grant_type() -> Type {
    Type::object([
        ("database".to_owned(), Type::String),
        ("privilege".to_owned(), Type::String),
    ])
}

/// `grant` blocks as a list of (database, privilege); unknown values skipped.
fn grants_of(v: &Value) -> Vec<Grant> {
    v.elements()
        .unwrap_or(&[])
        .iter()
        .filter_map(|g| {
            Some(Grant {
                database: g.attr("database").as_str()?.to_owned(),
                privilege: g.attr("privilege").as_str()?.to_owned(),
            })
        })
        .collect()
}

/// Grants that differ only in the case of a privilege are the same.
fn same_grant_values(a: &Value, b: &Value) -> bool {
    same_grants(&grants_of(a), &grants_of(b))
}

fn check_grants(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    for g in v.elements().unwrap_or(&[]) {
        if let Some(p) = g.attr("privilege").as_str() {
            if let Err(e) = check_privilege(p) {
                diags.attribute_error(path.clone(), "Invalid grant privilege", e);
            }
        }
        if let Some(db) = g.attr("database").as_str() {
            if let Err(e) = check_name("database", db) {
                diags.attribute_error(path.clone(), "Invalid grant database", e);
            }
        }
    }
}

/// A failed statement, worded for the attribute it came from; never holds a password.
fn failed(diags: &mut Diagnostics, attr: &str, summary: &str, e: &HttpError) {
    diags.attribute_error(AttributePath::root(attr), summary, e.to_string());
}

impl UserResource {
    /// The state from the server's view of the user, keeping what the server cannot tell
    /// (the password, its version) and the configured spelling of privileges.
    fn from_server(prior: &UserState, row: &super::UserRow) -> UserState {
        let grants = if row.admin {
            // An admin lists no grants: what was configured stays as it is.
            prior.grant.clone()
        } else {
            let g = grants_as_configured(&row.grants, prior.grants());
            match (&prior.grant, g.is_empty()) {
                (None, true) => None,
                _ => Some(g),
            }
        };
        UserState {
            id: Some(row.name.clone()),
            name: Some(row.name.clone()),
            password: prior.password.clone(),
            password_wo: None,
            password_wo_version: prior.password_wo_version,
            admin: Some(row.admin),
            grant: grants,
        }
    }

    /// The user as the server has it now (not from the snapshot), for after a failed write.
    async fn reread(client: &V1Client, prior: &UserState) -> Option<UserState> {
        let users = users_snapshot(client).await.ok()?;
        users.get(prior.name()).map(|r| Self::from_server(prior, r))
    }
}

#[async_trait]
impl Resource for UserResource {
    type Client = V1Client;
    type State = UserState;

    fn type_name(&self) -> &'static str {
        "influxdb_user"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A user of InfluxDB 1.x with its admin flag and its privileges on databases: the credential an application holds. The password is set with `password_wo` (write-only, recommended, Terraform 1.11 or later) or `password` (kept in the state). `admin` and `grant` change in place; a new password is set with `SET PASSWORD` (the user is never recreated for it); a new `name` replaces the user. A grant revoked or a user dropped outside Terraform shows in the plan and is put back; a password changed outside Terraform cannot be seen (InfluxDB never returns it). Import by name.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The user's name (InfluxDB 1.x users have no other ID).")
                    .use_state_for_unknown(),
                Attribute::required("name", Type::String)
                    .describe("The user's name. Any characters but line breaks. A change replaces the user (InfluxDB 1.x cannot rename one).")
                    .requires_replace()
                    .validate_str("Invalid user name", |s| check_name("user", s)),
                Attribute::optional("password", Type::String)
                    .describe("The user's password, kept in the state (sensitive). Prefer `password_wo`. Changed in place with `SET PASSWORD`. The state of the DrFaust92/influxdb provider holds its SHA-256 instead: the first plan after switching shows a password-only update, which sets the same password again.")
                    .sensitive()
                    .validate_str("Invalid password", |s| {
                        if s.is_empty() { Err("The password is empty.".into()) } else { Ok(()) }
                    }),
                Attribute::optional("password_wo", Type::String)
                    .describe("The user's password, write-only: sent when the user is created and whenever `password_wo_version` changes, never stored in the plan or the state. Needs Terraform 1.11 or later.")
                    .sensitive()
                    .write_only(),
                Attribute::optional("password_wo_version", Type::Number)
                    .describe("Change it (for example increment it) to send `password_wo` again: Terraform cannot compare a value it never stores."),
                Attribute::optional_computed("admin", Type::Bool)
                    .describe("Whether the user is an admin (`GRANT ALL PRIVILEGES`). Default `false`. Changed in place; a change made outside Terraform is put back.")
                    .default(false),
                Attribute::optional("grant", Type::set(grant_type()))
                    .describe("The user's privileges, one `grant { database = \"...\", privilege = \"READ\" }` block per database (block or attribute syntax). `privilege` is `READ`, `WRITE` or `ALL`, in any case. Granted and revoked in place; a grant revoked outside Terraform is put back. The database must exist (the server refuses a grant on a missing one).")
                    .validate(check_grants)
                    .semantic_equality(same_grant_values),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let pw = config.attr("password");
        let wo = config.attr("password_wo");
        if !pw.is_null() && !wo.is_null() && pw.is_known() && wo.is_known() {
            diags.attribute_error(
                AttributePath::root("password_wo"),
                "Two passwords",
                "Set either password or password_wo, not both.",
            );
        }
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        let config = change.config;
        // Only this family's rules: InfluxDB 1.x needs a password to create a user.
        if change.is_create()
            && config.attr("password").is_null()
            && config.attr("password_wo").is_null()
            && config.attr("password").is_known()
            && config.attr("password_wo").is_known()
        {
            diags.attribute_error(
                AttributePath::root("password_wo"),
                "Missing password",
                "InfluxDB 1.x needs a password to create a user: set password_wo (write-only, with password_wo_version) or password.",
            );
        }
        if !change.is_create() && change.prior.attr("name") != change.planned.attr("name") {
            change.planned.set_attr("id", Value::Unknown);
            change.replace_because_of("name");
        }
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The user's name.",
        )]))
    }

    /// At plan, for a create: the credentials work, the provider's user is an admin (the
    /// snapshot's `SHOW USERS` needs it), and no user of that name exists yet (`CREATE USER`
    /// would take one with the same password over silently).
    async fn check_server(&self, client: &V1Client, planned: &Value, diags: &mut Diagnostics) {
        let Some(name) = planned.attr("name").as_str() else {
            return;
        };
        match users_snapshot(client).await {
            Ok(users) if users.get(name).is_some() => diags.attribute_error(
                AttributePath::root("name"),
                "User already exists",
                format!("A user named {name:?} already exists on the server. To manage it with Terraform, import it: terraform import ADDRESS {name}"),
            ),
            Ok(_) => {}
            Err(e) => diags.error("Checking the server failed", e.to_string()),
        }
    }

    async fn create(
        &self,
        client: &V1Client,
        planned: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let name = planned.name().to_owned();
        let Some(password) = planned.password_wo.as_ref().or(planned.password.as_ref()) else {
            diags.attribute_error(
                AttributePath::root("password_wo"),
                "Missing password",
                "InfluxDB 1.x needs a password to create a user: set password_wo or password.",
            );
            return None;
        };
        let admin = planned.admin.unwrap_or(false);
        let mut statements = vec![create_statement(&name, password, admin)];
        statements.extend(grant_statements(
            &name,
            &Default::default(),
            &grant_map(planned.grants()),
        ));
        let state = UserState {
            id: Some(name.clone()),
            password_wo: None,
            admin: Some(admin),
            ..planned.clone()
        };
        let results = match client
            .send(&statements, crate::influxdb::v1::client::Effect::Idempotent)
            .await
        {
            Ok(r) => r,
            Err(e) => {
                failed(diags, "name", "Creating the user failed", &e.error);
                // The outcome may be unknown: keep the user if it was made.
                return Self::reread(client, &state).await;
            }
        };
        if let Some(e) = results.first().and_then(|r| r.error.as_deref()) {
            let e = crate::influxdb::v1::client::statement_error(e);
            let detail = if e.is_conflict() {
                format!("{e}\n\nA user named {name:?} already exists with another password. To manage it with Terraform, import it: terraform import ADDRESS {name}")
            } else {
                e.to_string()
            };
            diags.attribute_error(
                AttributePath::root("name"),
                "Creating the user failed",
                detail,
            );
            return None;
        }
        if let Some(e) = results.iter().skip(1).find_map(|r| r.error.as_deref()) {
            let e = crate::influxdb::v1::client::statement_error(e);
            failed(diags, "grant", "Granting the user's privileges failed", &e);
            // The user exists: it is kept (tainted), with the grants it really has.
            return Self::reread(client, &state).await.or(Some(state));
        }
        Some(state)
    }

    async fn read(
        &self,
        client: &V1Client,
        current: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let users = users_snapshot(client)
            .await
            .or_error(diags, "Reading the user failed")?;
        let Some(row) = users.get(current.name()) else {
            diags.warning(
                "User dropped outside Terraform",
                format!("The user {:?} no longer exists. It is removed from the state and the next apply creates it again.", current.name()),
            );
            return None;
        };
        Some(Self::from_server(&current, row))
    }

    async fn update(
        &self,
        client: &V1Client,
        prior: UserState,
        planned: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let name = prior.name().to_owned();
        let mut statements = Vec::new();
        let mut password_attr = None;
        if planned.password != prior.password {
            if let Some(pw) = &planned.password {
                statements.push(set_password_statement(&name, pw));
                password_attr = Some("password");
            }
        }
        if planned.password_wo_version != prior.password_wo_version {
            if let Some(pw) = &planned.password_wo {
                statements.push(set_password_statement(&name, pw));
                password_attr = Some("password_wo");
            }
        }
        let admin = planned.admin.unwrap_or(false);
        if Some(admin) != prior.admin {
            statements.push(admin_statement(&name, admin));
        }
        statements.extend(grant_statements(
            &name,
            &grant_map(prior.grants()),
            &grant_map(planned.grants()),
        ));
        let state = UserState {
            password_wo: None,
            ..planned.clone()
        };
        if let Err(e) = client.execute(&statements).await {
            let attr = if e.is_not_found() && e.to_string().contains("database") {
                "grant"
            } else {
                password_attr.unwrap_or("grant")
            };
            failed(diags, attr, "Updating the user failed", &e);
            // What the server has now; the password (unreadable) as it was before.
            let before = UserState {
                password: prior.password.clone(),
                password_wo_version: prior.password_wo_version,
                ..state
            };
            return Self::reread(client, &before).await.or(Some(prior));
        }
        Some(state)
    }

    async fn delete(&self, client: &V1Client, prior: UserState, diags: &mut Diagnostics) {
        let drop = format!("DROP USER {}", quote_ident(prior.name()));
        if let Err(e) = gone_is_ok(client.execute(&[drop]).await) {
            diags.error("Dropping the user failed", e.to_string());
        }
    }

    /// By name. The password cannot be read back: set `password_wo` (with a version) or
    /// `password`; the first apply after the import sets `password` when it is configured.
    async fn import(
        &self,
        client: &V1Client,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let users = users_snapshot(client)
            .await
            .or_error(diags, "Importing the user failed")?;
        let prior = UserState {
            name: Some(id.to_owned()),
            ..Default::default()
        };
        users.get(id).map(|row| Self::from_server(&prior, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules() {
        let s = UserResource.schema();
        s.check().unwrap();
        assert!(s.terraform_too_old("1.0.3").is_none());
    }
}
