//! `influxdb_database`: a database of InfluxDB 3 Cloud Dedicated or Clustered, created,
//! read, updated and deleted through the Management API's databases endpoints.
//!
//! Schema choices:
//! - `retention_period` is a duration string (`"30d"`, `"720h"`, `"1h30m"`, `"0s"`), sent to
//!   the API in nanoseconds. Two strings meaning the same duration are equal (no drift). When the
//!   configuration leaves it unset, the state holds the server's value in its canonical form:
//!   the largest unit up to days that divides it exactly (`"30d"`, `"90m"`), `"0s"` for infinite.
//! - `partition_template`: see [`crate::influxdb::management::partition_template`]. Set only at creation.
//! - `name` changes are renames in place (`PUT .../databases/{name}/rename`): the data is kept.
//!   A planned rename is recorded in [`PlannedRenames`], so that the tables of the database
//!   follow it in place instead of being replaced.
//! - `deletion_protection` lives in the state, so it guards the database even after its block
//!   was removed from the configuration: the engine asks [`Resource::guard_destroy`] before any
//!   destroy or replacement (at plan time on Terraform >= 1.3, in apply on Terraform 1.0).
//! - `max_tables`, `max_columns_per_table`, `retention_period` and `partition_template` are
//!   optional and computed: unset means the server's value (no defaults are hard-coded: the
//!   spec and the docs disagree on the column limit). Removing one of them from the
//!   configuration keeps the current value.
//!
//! The API has no GET for one database, so reads list the databases and pick by name.

use std::sync::Arc;

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource,
    Schema, Type, Value,
};
use crate::influxdb::database;
use crate::influxdb::duration::same_duration;
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::management::models::{CreateDatabase, Database, UpdateDatabase};
use crate::influxdb::management::partition_template;
use crate::influxdb::management::renames::PlannedRenames;
use crate::influxdb::management::validation;
use crate::influxdb::management::ManagementClient;

#[derive(Default)]
pub struct DatabaseResource {
    /// Where a planned rename is told to the tables of the database.
    pub renames: Arc<PlannedRenames>,
}

#[async_trait]
impl Resource for DatabaseResource {
    type Client = ManagementClient;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A database of InfluxDB 3 Cloud Dedicated or Clustered. Destroying the resource deletes the database and its data; `deletion_protection` prevents that. Tokens grant access by database name, so a token created for a deleted database also grants access to a new database of the same name.",
            vec![
                Attribute::required("name", Type::String)
                    .describe(&format!("{} A change renames the database in place: its data, tables and settings are kept. Tokens whose permissions refer to this attribute follow with an in-place update; tokens that spell the old name keep it.", doc::NAME))
                    .validate_str("Invalid database name", validation::validate_database_name),
                Attribute::optional_computed("max_tables", Type::Number)
                    .describe(&format!("{} Unset: the server's default (500 on Cloud Dedicated). Updated in place; removing it from the configuration keeps the current value.", doc::MAX_TABLES))
                    .validate(validate_limit)
                    .use_state_for_unknown(),
                Attribute::optional_computed("max_columns_per_table", Type::Number)
                    .describe(&format!("{} Unset: the server's default (200 or 250 depending on the source; the provider takes whatever the server sets). Updated in place; removing it from the configuration keeps the current value.", doc::MAX_COLUMNS))
                    .validate(validate_limit)
                    .use_state_for_unknown(),
                Attribute::optional_computed("retention_period", Type::String)
                    .describe(&format!("{} Negative values, fractions (write `\"1h30m\"`, not `\"1.5h\"`) and months or years (not fixed lengths: write `\"30d\"` or `\"365d\"`) are refused at plan time. Unset on create: the server's default (infinite). Compared by value, so `\"30d\"` and `\"720h\"` are the same. When not configured, the state holds the server's value in canonical form (the largest unit up to days that divides it exactly, e.g. `\"30d\"`, `\"90m\"`, `\"0s\"`). Updated in place; removing it from the configuration keeps the current value, so set `\"0s\"` to make retention infinite again.", doc::RETENTION))
                    .validate_str("Invalid retention_period", check_retention)
                    .semantic_equality(same_duration)
                    .use_state_for_unknown(),
                partition_template::attribute("partition_template", true)
                    .describe(&format!("{} Set only at creation: a change replaces the database (deleting its data). Unset: the server's default partitioning (by day); removing it from the configuration of an existing database changes nothing. `\"customer_id,0100\"` and `\"customer_id,100\"` are the same part.", partition_template::PARTITION_TEMPLATE_DOC))
                    .requires_replace(),
                Attribute::optional_computed("deletion_protection", Type::Bool)
                    .describe("While `true`, any plan that would delete the database or replace it (which deletes its data) fails, naming the database. The flag is kept in the state, so it also guards a database whose block was removed from the configuration. Set it to `false` and apply before destroying. Default `false`. Kept in the state only: changing it makes no API call."),
            ]
            .into_iter()
            .chain(scope_attributes())
            .collect(),
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("name", "The database name."),
            IdentityAttribute::optional("account_id", doc::IDENTITY_ACCOUNT_ID),
            IdentityAttribute::optional("cluster_id", doc::IDENTITY_CLUSTER_ID),
        ]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        database::plan_protection(change);
        if change.is_create() {
            return;
        }
        if let (Some(old), Some(new)) = (
            change.prior.attr("name").as_str(),
            change.planned.attr("name").as_str(),
        ) {
            if old != new {
                self.renames.record(old, new);
            }
        }
        // Values that cannot change for an existing database stay as they are (also when they
        // are null, which use_state_for_unknown leaves unknown): an unconfigured template must
        // not look like a change that replaces the database.
        let mut keep = vec!["account_id", "cluster_id"];
        if change.config.attr("partition_template").is_null() {
            keep.push("partition_template");
        }
        for name in keep {
            let prior = change.prior.attr(name).clone();
            change.planned.set_attr(name, prior);
        }
    }

    fn guard_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        database::guard_destroy(prior, "a replacement deletes its data too", diags)
    }

    async fn create(
        &self,
        client: &ManagementClient,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = planned.name.clone().unwrap_or_default();
        let retention_period = (planned.retention_period.as_deref().map(parse_duration))
            .transpose()
            .or_attribute_error(diags, "retention_period", "Invalid retention_period")?;
        let partition_template =
            partition_template::planned(planned.partition_template.as_deref(), diags)?;
        let body = CreateDatabase {
            name: name.clone(),
            max_tables: planned.max_tables,
            max_columns_per_table: planned.max_columns_per_table,
            retention_period,
            partition_template,
        };
        let protection = database::protection(planned.deletion_protection);
        let with_protection = |s: DatabaseState| DatabaseState {
            deletion_protection: protection,
            ..s
        };
        match client.create_database(&body).await {
            Ok(d) => Some(with_protection(state_from(d))),
            Err(e) if e.may_have_been_created() => {
                adopt_after_unknown_outcome(client, &body, &e.to_string(), diags)
                    .await
                    .map(with_protection)
            }
            Err(e) if e.error.is_conflict() => {
                database::name_taken(&name, e.error, "in this cluster", diags);
                None
            }
            Err(e) => Err(e).or_error(diags, "Creating the database failed"),
        }
    }

    async fn read(
        &self,
        client: &ManagementClient,
        current: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = current.name.clone().unwrap_or_default();
        // From this process's snapshot of the list (one list call per refresh).
        let d = database::refreshed(client.read_database(&name).await, &name, diags)?;
        Some(DatabaseState {
            // Not on the server: the state's own setting.
            deletion_protection: database::protection(current.deletion_protection),
            ..state_from(d)
        })
    }

    async fn update(
        &self,
        client: &ManagementClient,
        prior: DatabaseState,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let old_name = prior.name.clone().unwrap_or_default();
        let name = planned.name.clone().unwrap_or_else(|| old_name.clone());
        let changed = |p: Option<i64>, q: Option<i64>| match (p, q) {
            (Some(p), q) if Some(p) != q => Some(p),
            _ => None,
        };
        let ns = |s: &Option<String>| s.as_deref().and_then(|s| parse_duration(s).ok());
        let retention_period = match (&planned.retention_period, ns(&planned.retention_period)) {
            (Some(s), None) => {
                diags.attribute_error(
                    AttributePath::root("retention_period"),
                    "Invalid retention_period",
                    check_retention(s).err().unwrap_or_default(),
                );
                return None;
            }
            (_, p) => changed(p, ns(&prior.retention_period)),
        };
        // PATCH only what changed.
        let body = UpdateDatabase {
            max_tables: changed(planned.max_tables, prior.max_tables),
            max_columns_per_table: changed(
                planned.max_columns_per_table,
                prior.max_columns_per_table,
            ),
            retention_period,
        };
        let protection = database::protection(planned.deletion_protection);

        // The state so far: the prior one, renamed once the rename succeeded. It is what is
        // recorded if a later call fails, so the state never names a database that is gone.
        let mut current = DatabaseState {
            deletion_protection: protection,
            ..prior.clone()
        };
        if name != old_name {
            current = rename(client, &old_name, &name, current, diags).await?;
        }
        if body == UpdateDatabase::default() {
            // Nothing else the API can change differs (only the spelling of equal values).
            return Some(DatabaseState {
                retention_period: planned
                    .retention_period
                    .or(current.retention_period.clone()),
                ..current
            });
        }
        match client.update_database(&name, &body).await {
            Ok(d) => Some(DatabaseState {
                deletion_protection: protection,
                ..state_from(d)
            }),
            Err(e) if e.is_not_found() => {
                database::gone_at_update(&name, e, diags);
                (name != old_name).then_some(current)
            }
            Err(e) => {
                diags.error("Updating the database failed", e.to_string());
                (name != old_name).then_some(current)
            }
        }
    }

    async fn delete(
        &self,
        client: &ManagementClient,
        prior: DatabaseState,
        diags: &mut Diagnostics,
    ) {
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_database(&name).await) {
            diags.error("Deleting the database failed", e.to_string());
        }
    }

    async fn import(
        &self,
        client: &ManagementClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        database::import_id(id, validation::validate_database_name, diags)?;
        let list =
            (client.list_databases().await).or_error(diags, "Importing the database failed")?;
        match pick_for_import(&list, id) {
            Ok(d) => Some(DatabaseState {
                deletion_protection: Some(false),
                ..state_from(d.clone())
            }),
            Err(detail) => {
                diags.error("Cannot import non-existent remote object", detail);
                None
            }
        }
    }
}

/// The database an import ID names: by name first, else (all digits) by the numeric database
/// ID when the server's list reports IDs (the list's schema in the specs has none).
fn pick_for_import<'a>(list: &'a [Database], id: &str) -> Result<&'a Database, String> {
    if let Some(d) = list.iter().find(|d| d.name == id) {
        return Ok(d);
    }
    let numeric: Option<i64> = id
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| id.parse().ok())
        .flatten();
    if let Some(n) = numeric {
        if let Some(d) = list.iter().find(|d| d.id == Some(n)) {
            return Ok(d);
        }
        if !list.iter().any(|d| d.id.is_some()) {
            return Err(format!("No database named {id:?} exists in this cluster, and the API's database list reports no database IDs, so a database ID cannot be looked up: import the database by its name (terraform import ADDRESS NAME)."));
        }
    }
    Err(format!(
        "No database named {id:?} exists in this cluster{}. Database names are case-sensitive.",
        if numeric.is_some() {
            " (nor one with that ID)"
        } else {
            ""
        }
    ))
}

/// Renames `old` to `new` in place and returns `current` under the new name; `None` (with the
/// error) when the rename did not happen. A rename whose answer was lost and whose retry then
/// found no `old` (404) succeeded if `new` exists.
async fn rename(
    client: &ManagementClient,
    old: &str,
    new: &str,
    current: DatabaseState,
    diags: &mut Diagnostics,
) -> Option<DatabaseState> {
    let renamed = |current: DatabaseState| DatabaseState {
        name: Some(new.to_owned()),
        ..current
    };
    match client.rename_database(old, new).await {
        Ok(d) => Some(DatabaseState {
            deletion_protection: current.deletion_protection,
            retention_period: current.retention_period.clone(),
            ..state_from(d)
        }),
        Err(e) if e.is_conflict() => {
            diags.attribute_error(
                AttributePath::root("name"),
                "Renaming the database failed",
                format!("{e}\n\nA database named {new:?} already exists in this cluster, so {old:?} was not renamed. Choose another name, or delete or rename the other database first."),
            );
            None
        }
        Err(e) if e.is_not_found() => match client.read_database(new).await {
            Ok(Some(_)) => Some(renamed(current)),
            _ => {
                diags.error(
                    "Renaming the database failed",
                    format!("{e}\n\nThe database {old:?} no longer exists: it was deleted or renamed outside Terraform. Run terraform apply again: the refresh removes it from the state and the plan creates {new:?}."),
                );
                None
            }
        },
        Err(e) => {
            diags.error(
                "Renaming the database failed",
                format!("{e}\n\nThe database is still named {old:?}; run terraform apply again to retry the rename."),
            );
            None
        }
    }
}

/// After a create whose outcome is unknown (timeout, connection lost, 5xx), looks for the
/// database. A database has no secret that could have been lost, and one that existed before
/// the call would have been refused with 409, so a database with this name and the requested
/// settings is the one this call created: it is adopted into the state (with a warning). One
/// with other settings is reported, not adopted. Returns the state to record, if any. The look
/// runs as cleanup: on its own short deadline, even when Terraform is stopping the provider
/// (see [`crate::influxdb::http::stop`]), on a fresh list rather than this process's snapshot.
async fn adopt_after_unknown_outcome(
    client: &ManagementClient,
    body: &CreateDatabase,
    error: &str,
    diags: &mut Diagnostics,
) -> Option<DatabaseState> {
    let name = &body.name;
    let listed = crate::influxdb::http::cleanup(client.list_databases()).await;
    let found = match listed {
        Ok(list) => list.into_iter().find(|d| &d.name == name),
        Err(e) => {
            diags.error(
                "Creating the database failed",
                format!("{error}\n\nWhether the database {name:?} was created could not be checked ({e}). List the databases (influxctl database list); if it exists, import it (terraform import ADDRESS {name}), otherwise run terraform apply again."),
            );
            return None;
        }
    };
    let Some(d) = found else {
        diags.error(
            "Creating the database failed",
            format!("{error}\n\nThe database {name:?} does not exist on the server: nothing was created. Run terraform apply again."),
        );
        return None;
    };
    let matches = body.max_tables.is_none_or(|v| v == d.max_tables)
        && body
            .max_columns_per_table
            .is_none_or(|v| v == d.max_columns_per_table)
        && body
            .retention_period
            .is_none_or(|v| v == d.retention_period)
        && (body.partition_template.is_none() || body.partition_template == d.partition_template);
    if matches {
        diags.warning(
            "Database created despite a failed request",
            format!("{error}\n\nThe database {name:?} exists on the server with the requested settings, so the request did create it; it is recorded in the state."),
        );
        Some(state_from(d))
    } else {
        diags.error(
            "Creating the database failed",
            format!("{error}\n\nA database named {name:?} now exists, but its settings differ from the configuration, so it may not be the one this request created. Inspect it (influxctl database list); import it (terraform import ADDRESS {name}) to manage it, or choose another name."),
        );
        None
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
