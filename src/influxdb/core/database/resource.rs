//! `influxdb_database` on InfluxDB 3 Core and Enterprise (`/api/v3/configure/database`).
//!
//! - `retention_period` uses the duration syntax of every family (`"30d"`, `"1h30m"`); unset
//!   (or `"0s"`) means forever. A change is one `PUT` in place; removing it from the
//!   configuration clears the retention (the server keeps data forever again).
//! - The API has no rename: a changed `name` replaces the database, which `deletion_protection`
//!   (kept in the state, as on Cloud Dedicated) refuses at plan.
//! - Destroy soft-deletes, as the server does by default (the data is hard-deleted later, after
//!   the server's grace period); `hard_delete = true` asks for immediate hard deletion.
//! - Refresh reads this process's snapshot of `system.databases` (one query for every
//!   database). A database deleted outside Terraform (soft-deleted ones are renamed by the
//!   server) is removed from the state and created again by the next apply.
//!
//! The type is shared with the Management API: the attributes only Cloud Dedicated/Clustered
//! have (`max_tables`, `partition_template`, ...) fail at plan here through the dispatch, which
//! plans them null.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{
    Diagnostics, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource, Schema, Type,
    Value,
};
use crate::influxdb::core::models::DatabaseBody;
use crate::influxdb::core::CoreClient;
use crate::influxdb::database;
use crate::influxdb::duration::same_duration;
use crate::influxdb::http::gone_is_ok;

pub struct DatabaseResource;

fn check_retention(s: &str) -> Result<(), String> {
    parse_duration(s)
        .map(|_| ())
        .map_err(|e| format!("retention_period = {s:?} is not a valid duration. {e}"))
}

/// What the API is sent to create `planned`, or to set its retention.
fn body(planned: &DatabaseState, diags: &mut Diagnostics) -> Option<DatabaseBody> {
    Some(DatabaseBody {
        db: planned.name.clone().unwrap_or_default(),
        retention_period: retention_for_api(planned.retention_period.as_deref())
            .or_attribute_error(diags, "retention_period", "Invalid retention_period")?,
    })
}

#[async_trait]
impl Resource for DatabaseResource {
    type Client = CoreClient;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A database of InfluxDB 3 Core or Enterprise. `retention_period` is changed in place; unset means the data is kept forever. The API has no rename, so a new `name` replaces the database (refused while `deletion_protection` is true). Destroying the resource soft-deletes the database (the server hard-deletes it after its grace period, 72 hours by default); `hard_delete = true` deletes it at once. The arguments only Cloud Dedicated and Clustered have (`max_tables`, `max_columns_per_table`, `partition_template`) fail at plan.",
            vec![
                Attribute::required("name", Type::String)
                    .describe(&format!("{} A change replaces the database (the API has no rename): the new one starts empty.", doc::NAME))
                    .validate_str("Invalid database name", validate_name),
                Attribute::optional_computed("retention_period", Type::String)
                    .describe(&format!("{} Changed in place; removing it from the configuration makes retention infinite again. Compared by value, so `\"30d\"` and `\"720h\"` are the same.", doc::RETENTION))
                    .validate_str("Invalid retention_period", check_retention)
                    .semantic_equality(same_duration),
                Attribute::optional_computed("deletion_protection", Type::Bool)
                    .describe("While `true`, any plan that would delete the database or replace it (a new `name`) fails, naming the database. Kept in the state only. Default `false`."),
                Attribute::optional("hard_delete", Type::Bool)
                    .describe("When `true`, destroying the resource deletes the database and its data at once (`hard_delete_at=now`); otherwise (the default) the server soft-deletes it and hard-deletes it after its grace period. Kept in the state, so set it and apply before destroying."),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "name",
            "The database name.",
        )]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        database::plan_protection(change);
        // Unset means forever (null), not "keep the server's value".
        if change.config.attr("retention_period").is_null() {
            change.planned.set_attr("retention_period", Value::Null);
        }
        if change.is_create() {
            return;
        }
        if change.prior.attr("name") != change.planned.attr("name") {
            change.replace_because_of("name");
        }
    }

    fn guard_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        database::guard_destroy(prior, "on InfluxDB 3 Core and Enterprise a new name replaces the database, because the API has no rename", diags)
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = planned.name.clone().unwrap_or_default();
        let body = body(&planned, diags)?;
        let state = DatabaseState {
            deletion_protection: database::protection(planned.deletion_protection),
            ..planned
        };
        let summary = "Creating the database failed";
        match client.create_database(&body).await {
            Ok(()) => Some(state),
            Err(e) if e.error.is_conflict() => {
                database::name_taken(&name, e.error, "on the server", diags);
                None
            }
            // A database has no secret to lose, and one that existed before would have been
            // refused (409): a database of this name now is the one this request created.
            Err(e) if e.may_have_been_created() => match client.find_database(&name).await {
                Ok(Some(d))
                    if retention_ns(state.retention_period.as_deref())
                        == Some(d.retention_period_ns.unwrap_or(0) as i64) =>
                {
                    diags.warning(
                        "Database created despite a failed request",
                        format!("{e}\n\nThe database {name:?} exists on the server with the requested retention, so the request did create it; it is recorded in the state."),
                    );
                    Some(state)
                }
                Ok(Some(_)) => {
                    diags.error(summary, format!("{e}\n\nA database named {name:?} now exists with another retention, so it may not be the one this request created. Import it (terraform import ADDRESS {name}) to manage it, or choose another name."));
                    None
                }
                Ok(None) => {
                    diags.error(summary, format!("{e}\n\nThe database {name:?} does not exist on the server: nothing was created. Run terraform apply again."));
                    None
                }
                Err(e2) => {
                    diags.error(summary, format!("{e}\n\nWhether the database {name:?} was created could not be checked ({e2}). If it exists, import it (terraform import ADDRESS {name}); otherwise run terraform apply again."));
                    None
                }
            },
            Err(e) => Err(e).or_error(diags, summary),
        }
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = current.name.clone().unwrap_or_default();
        let row = database::refreshed(client.read_database(&name).await, &name, diags)?;
        let server = state_from_row(&row);
        // The configuration's spelling while it means the server's value.
        let mine = retention_ns(current.retention_period.as_deref());
        let theirs = retention_ns(server.retention_period.as_deref());
        Some(DatabaseState {
            retention_period: if mine == theirs {
                current.retention_period
            } else {
                server.retention_period
            },
            deletion_protection: database::protection(current.deletion_protection),
            hard_delete: current.hard_delete,
            ..server
        })
    }

    async fn update(
        &self,
        client: &CoreClient,
        prior: DatabaseState,
        planned: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = planned.name.clone().unwrap_or_default();
        let next = DatabaseState {
            deletion_protection: database::protection(planned.deletion_protection),
            ..planned.clone()
        };
        if retention_ns(prior.retention_period.as_deref())
            == retention_ns(planned.retention_period.as_deref())
        {
            // Only the state's own settings (or the spelling of the same retention) changed.
            return Some(next);
        }
        let body = body(&planned, diags)?;
        match client.update_database(&body).await {
            Ok(()) => Some(next),
            Err(e) if e.is_not_found() => {
                database::gone_at_update(&name, e, diags);
                None
            }
            Err(e) => Err(e).or_error(diags, "Updating the database failed"),
        }
    }

    async fn delete(&self, client: &CoreClient, prior: DatabaseState, diags: &mut Diagnostics) {
        let name = prior.name.unwrap_or_default();
        let at = (prior.hard_delete == Some(true)).then_some("now");
        if let Err(e) = gone_is_ok(client.delete_database(&name, at).await) {
            diags.error("Deleting the database failed", e.to_string());
        }
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        database::import_id(id, validate_name, diags)?;
        let found = client.find_database(id).await;
        match found.or_error(diags, "Importing the database failed")? {
            Some(row) => Some(DatabaseState {
                deletion_protection: Some(false),
                ..state_from_row(&row)
            }),
            None => {
                diags.error(
                    "Cannot import non-existent remote object",
                    format!("No database named {id:?} exists on the server. Database names are case-sensitive."),
                );
                None
            }
        }
    }
}
