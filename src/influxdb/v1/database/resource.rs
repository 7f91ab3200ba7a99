//! `influxdb_database` on InfluxDB 1.x: a database and its `retention_policies` blocks, through
//! InfluxQL on `/query`.
//!
//! - `name` has no rename in InfluxQL: a change replaces the database (refused while
//!   `deletion_protection` is true).
//! - Policies are created, altered (`ALTER RETENTION POLICY`) and dropped in place, in one
//!   request: a changed duration never recreates the database or loses its data. Every
//!   statement sent is harmless to send again, so a lost answer or a 503 is simply retried.
//! - `shardgroupduration` left unset is the server's choice: planned as the prior value (or
//!   known after apply for a new policy), never a change. `replication` defaults to 1 and
//!   `default` to false.
//! - Refresh reads this process's snapshot (every database with its policies in two
//!   requests). A declared policy changed or dropped outside Terraform shows in the plan and is
//!   put back; `autogen` and other policies it does not declare are never drift.
//! - A create is refused, at plan already, when a database of that name exists (1.x's `CREATE
//!   DATABASE` would adopt it silently): import it instead.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{Attribute, Nesting};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema,
    Type, Value,
};
use crate::influxdb::http::{gone_is_ok, HttpError};
use crate::influxdb::v1::influxql::{
    check_name, check_policy_duration, check_shard_duration, same_duration,
};
use crate::influxdb::v1::V1Client;

pub struct DatabaseResource;

pub(super) fn valid_name(s: &str) -> Result<(), String> {
    check_name("database", s)
}

fn valid_policy_name(s: &str) -> Result<(), String> {
    check_name("retention policy", s)
}

/// The attributes of one `retention_policies` block.
fn policy_attributes() -> Vec<Attribute> {
    vec![
        Attribute::required("name", Type::String)
            .describe(doc::POLICY_NAME)
            .validate_str("Invalid retention policy name", valid_policy_name),
        Attribute::required("duration", Type::String)
            .describe(doc::DURATION)
            .validate_str("Invalid retention policy duration", check_policy_duration),
        Attribute::optional_computed("replication", Type::Number).describe(doc::REPLICATION),
        Attribute::optional_computed("shardgroupduration", Type::String)
            .describe(doc::SHARD)
            .validate_str("Invalid shardgroupduration", check_shard_duration),
        Attribute::optional_computed("default", Type::Bool).describe(doc::DEFAULT),
    ]
}

/// The planned policies: `replication` 1 and `default` false when unset, and an unset
/// `shardgroupduration` the prior value of the policy of that name (the server's choice), else
/// known after apply. Names declared twice, and two defaults, are errors.
fn plan_policies(change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
    let prior: Vec<Value> = change
        .prior
        .attr("retention_policies")
        .elements()
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let config: Vec<Value> = change
        .config
        .attr("retention_policies")
        .elements()
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let Some(Value::List(planned)) = change.planned.attr_mut("retention_policies") else {
        return;
    };
    let path = |i: usize| AttributePath::root("retention_policies").index(i as i64);
    let mut names: Vec<String> = Vec::new();
    let mut defaults = 0;
    for (i, p) in planned.iter_mut().enumerate() {
        if !p.is_known() || p.is_null() {
            continue;
        }
        let cfg = config.get(i).cloned().unwrap_or(Value::Null);
        // The same policy at the same position (Terraform pairs blocks by position): a
        // duration written another way keeps the prior spelling, so it is no change.
        if let Some(before) = prior.get(i).filter(|q| q.attr("name") == p.attr("name")) {
            for d in ["duration", "shardgroupduration"] {
                if let (Some(was), Some(now)) = (before.attr(d).as_str(), cfg.attr(d).as_str()) {
                    if was != now && same_duration(was, now) {
                        p.set_attr(d, before.attr(d).clone());
                    }
                }
            }
        }
        if let Some(name) = p.attr("name").as_str().map(str::to_owned) {
            if names.contains(&name) {
                diags.attribute_error(
                    path(i).attr("name"),
                    "Retention policy declared twice",
                    format!("The retention policy {name:?} is declared in two retention_policies blocks; declare each policy once."),
                );
            }
            names.push(name);
        }
        if cfg.attr("replication").is_null() {
            p.set_attr("replication", Value::from(1));
        }
        if cfg.attr("default").is_null() {
            p.set_attr("default", Value::Bool(false));
        }
        if p.attr("default") == &Value::Bool(true) {
            defaults += 1;
        }
        if cfg.attr("shardgroupduration").is_null() {
            let before = prior
                .iter()
                .find(|q| q.attr("name") == p.attr("name"))
                .map(|q| q.attr("shardgroupduration").clone())
                .filter(|v| !v.is_null());
            p.set_attr("shardgroupduration", before.unwrap_or(Value::Unknown));
        }
    }
    if defaults > 1 {
        diags.attribute_error(
            AttributePath::root("retention_policies"),
            "Two default retention policies",
            "More than one retention_policies block says default = true; a database has one default policy.",
        );
    }
}

impl DatabaseResource {
    /// The state after a write: the server's policies (asked now) in the planned order and
    /// spelling.
    async fn state_after(
        &self,
        client: &V1Client,
        planned: &DatabaseState,
    ) -> Result<Option<DatabaseState>, HttpError> {
        let name = planned.name.clone().unwrap_or_default();
        let Some(row) = client.find_database(&name).await? else {
            return Ok(None);
        };
        Ok(Some(DatabaseState {
            name: Some(name),
            retention_policies: Some(policies_as(
                &row,
                planned.retention_policies.as_deref().unwrap_or_default(),
            )),
            deletion_protection: Some(planned.deletion_protection.unwrap_or(false)),
        }))
    }
}

#[async_trait]
impl Resource for DatabaseResource {
    type Client = V1Client;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A database of InfluxDB 1.x (OSS or Enterprise) with its retention policies, as the `DrFaust92/influxdb` provider declares it. Policies change in place; a new `name` replaces the database (refused while `deletion_protection` is true). Destroying it drops the database and its data (`DROP DATABASE`).",
            vec![
                Attribute::required("name", Type::String)
                    .describe(&format!("{} A change replaces the database (InfluxQL has no rename): the new one starts empty.", doc::NAME))
                    .validate_str("Invalid database name", valid_name),
                Attribute::block("retention_policies", Nesting::List, policy_attributes())
                    .describe(doc::POLICIES),
                Attribute::optional_computed("deletion_protection", Type::Bool)
                    .describe("While `true`, any plan that would delete the database or replace it (a new `name`) fails, naming the database. Kept in the state only. Default `false`."),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "name",
            "The database name.",
        )]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        if change.config.attr("deletion_protection").is_null() {
            change
                .planned
                .set_attr("deletion_protection", Value::Bool(false));
        }
        plan_policies(change, diags);
        if change.is_create() {
            return;
        }
        if change.prior.attr("name") != change.planned.attr("name") {
            change.replace_because_of("name");
        }
    }

    fn guard_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        if prior.attr("deletion_protection") != &Value::Bool(true) {
            return;
        }
        let name = prior.attr("name").as_str().unwrap_or_default();
        diags.error(
            "Database is protected against deletion",
            format!("The database {name:?} has deletion_protection = true, so it is neither dropped nor replaced (on InfluxDB 1.x a new name replaces the database, because InfluxQL has no rename), and nothing was changed.\n\nTo drop it, first set deletion_protection = false (in a configuration that still declares the database) and apply, then destroy it or apply the change again. To stop managing it without dropping it, remove it from the state instead: terraform state rm ADDRESS."),
        );
    }

    /// At plan, for a create: the credentials work, the user is an admin, and no database of
    /// that name exists yet.
    async fn check_server(&self, client: &V1Client, planned: &Value, diags: &mut Diagnostics) {
        let Some(name) = planned.attr("name").as_str() else {
            return;
        };
        match client.read_database(name).await {
            Ok(None) => {}
            Ok(Some(_)) => diags.attribute_error(
                AttributePath::root("name"),
                "Database already exists",
                format!("A database named {name:?} already exists on the server, and InfluxDB 1.x's CREATE DATABASE would take it over silently. To manage it with Terraform, import it: terraform import ADDRESS {name}"),
            ),
            Err(e) => diags.error("Checking the server failed", e.to_string()),
        }
    }

    async fn create(
        &self,
        client: &V1Client,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = planned.name.clone().unwrap_or_default();
        let summary = "Creating the database failed";
        match client.find_database(&name).await {
            Ok(None) => {}
            Ok(Some(_)) => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Database already exists",
                    format!("A database named {name:?} already exists on the server. To manage it with Terraform, import it: terraform import ADDRESS {name}"),
                );
                return None;
            }
            Err(e) => {
                diags.error(summary, e.to_string());
                return None;
            }
        }
        let mut statements = vec![format!("CREATE DATABASE {}", quote_ident(&name))];
        statements.extend(policy_statements(
            &name,
            planned.retention_policies.as_deref().unwrap_or_default(),
            None,
            &[],
        ));
        // Every statement is harmless to repeat: a lost answer is retried by the client.
        if let Err(e) = client.execute(&statements).await {
            let made = matches!(client.find_database(&name).await, Ok(Some(_)));
            let detail = if made {
                format!("{e}\n\nThe database {name:?} was created but not every retention policy could be set; it is recorded in the state, and the next plan shows what differs.")
            } else {
                format!("{e}\n\nThe database {name:?} was not created.")
            };
            diags.error(summary, detail);
            if !made {
                return None;
            }
        }
        match self.state_after(client, &planned).await {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                diags.error(summary, format!("The database {name:?} is not on the server after CREATE DATABASE succeeded."));
                None
            }
            Err(e) => {
                diags.warning(
                    "Reading the new database failed",
                    format!("{e}\n\nThe database {name:?} was created; the next refresh reads its policies."),
                );
                Some(DatabaseState {
                    deletion_protection: Some(planned.deletion_protection.unwrap_or(false)),
                    ..planned
                })
            }
        }
    }

    async fn read(
        &self,
        client: &V1Client,
        current: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = current.name.clone().unwrap_or_default();
        match client.read_database(&name).await {
            Ok(Some(row)) => Some(DatabaseState {
                retention_policies: Some(policies_as(
                    &row,
                    current.retention_policies.as_deref().unwrap_or_default(),
                )),
                deletion_protection: Some(current.deletion_protection.unwrap_or(false)),
                name: Some(name),
            }),
            Ok(None) => {
                diags.warning(
                    "Database dropped outside Terraform",
                    format!("The database {name:?} no longer exists. It is removed from the state and the next apply creates it again (empty)."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the database failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        client: &V1Client,
        prior: DatabaseState,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = planned.name.clone().unwrap_or_default();
        let summary = "Updating the database failed";
        let current = match client.find_database(&name).await {
            Ok(Some(row)) => row,
            Ok(None) => {
                diags.error(summary, format!("The database {name:?} was dropped outside Terraform. Run terraform apply again to create it."));
                return None;
            }
            Err(e) => {
                diags.error(summary, e.to_string());
                return None;
            }
        };
        let statements = policy_statements(
            &name,
            planned.retention_policies.as_deref().unwrap_or_default(),
            Some(&current.policies),
            prior.retention_policies.as_deref().unwrap_or_default(),
        );
        if let Err(e) = client.execute(&statements).await {
            diags.error(summary, e.to_string());
            // What did change is read back, so the state says what the server has.
            return self
                .state_after(client, &planned)
                .await
                .ok()
                .flatten()
                .or(Some(prior));
        }
        match self.state_after(client, &planned).await {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                diags.error(
                    summary,
                    format!("The database {name:?} was dropped during the update."),
                );
                None
            }
            Err(e) => {
                diags.error(
                    summary,
                    format!("The policies were changed, but reading them back failed: {e}"),
                );
                Some(planned)
            }
        }
    }

    async fn delete(&self, client: &V1Client, prior: DatabaseState, diags: &mut Diagnostics) {
        let name = prior.name.unwrap_or_default();
        let statement = format!("DROP DATABASE {}", quote_ident(&name));
        if let Err(e) = gone_is_ok(client.execute(&[statement]).await) {
            diags.error("Dropping the database failed", e.to_string());
        }
    }

    async fn import(
        &self,
        client: &V1Client,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        if let Err(e) = valid_name(id) {
            diags.error(
                "Invalid import ID",
                format!("A database is imported by its name. {e}"),
            );
            return None;
        }
        match client.find_database(id).await {
            Ok(Some(row)) => Some(DatabaseState {
                name: Some(id.to_owned()),
                retention_policies: Some(imported_policies(&row)),
                deletion_protection: Some(false),
            }),
            Ok(None) => {
                diags.error(
                    "Cannot import non-existent remote object",
                    format!("No database named {id:?} exists on the server. Database names are case-sensitive."),
                );
                None
            }
            Err(e) => {
                diags.error("Importing the database failed", e.to_string());
                None
            }
        }
    }
}
