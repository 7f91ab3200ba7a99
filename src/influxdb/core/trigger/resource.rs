//! `influxdb_processing_engine_trigger` on InfluxDB 3 Core and Enterprise
//! (`/api/v3/configure/processing_engine_trigger`): runs a plugin file of the server's plugin
//! directory on writes, on a schedule, or on requests to `/api/v3/engine/PATH`.
//!
//! - `disabled` changes in place (`POST .../disable|enable`); every other change replaces the
//!   trigger (the API cannot change one).
//! - Refresh reads the database's `system.processing_engine_triggers` (the specification as
//!   JSON, mapped back to the string written, see [`super::Specification`]) and
//!   `system.processing_engine_trigger_arguments`. The server does not show `run_async`: the
//!   state keeps the applied value. A trigger (or database) gone outside Terraform is removed
//!   from the state and created again by the next apply.
//! - The server answers 500 for a plugin file it cannot read or a specification it cannot
//!   parse: the error names `plugin_filename` or `trigger_specification`.
//! - Destroy deletes the trigger even while it is enabled (`force=true`).
//! - Import by `DATABASE:NAME`, or by identity (`database`, `name`).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{same_specification, specification_text, validate_specification};
use crate::engine::identity::{IdentityAttribute, IdentitySchema};
use crate::engine::schema::validators;
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, OrError, Resource, Schema, Type};
use crate::influxdb::core::client::CoreClient;
use crate::influxdb::core::database::validate_name as validate_database_name;
use crate::influxdb::core::engine_api::{CreateTrigger, TriggerRow, TriggerSettings};
use crate::influxdb::database as database_rules;
use crate::influxdb::http::{gone_is_ok, CreateError};

pub struct TriggerResource;

const ERROR_BEHAVIORS: &[&str] = &["log", "retry", "disable"];

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TriggerState {
    pub database: Option<String>,
    pub name: Option<String>,
    pub plugin_filename: Option<String>,
    pub trigger_specification: Option<String>,
    pub trigger_arguments: Option<BTreeMap<String, String>>,
    pub disabled: Option<bool>,
    pub run_async: Option<bool>,
    pub error_behavior: Option<String>,
}

/// The state `row` and `args` show; what the server does not show (`run_async`) and the text
/// of an equal specification are kept from `current`.
fn state_from_row(
    database: &str,
    current: &TriggerState,
    row: &TriggerRow,
    args: BTreeMap<String, String>,
) -> TriggerState {
    let trigger_arguments = match (&current.trigger_arguments, args.is_empty()) {
        (None, true) => None,
        _ => Some(args),
    };
    TriggerState {
        database: Some(database.to_owned()),
        name: Some(row.trigger_name.clone()),
        plugin_filename: Some(row.plugin_filename.clone()),
        trigger_specification: Some(specification_text(
            current.trigger_specification.as_deref(),
            &row.trigger_specification,
        )),
        trigger_arguments,
        disabled: Some(row.disabled),
        run_async: Some(current.run_async.unwrap_or(false)),
        error_behavior: Some(row.error_behavior.to_ascii_lowercase()),
    }
}

/// The diagnostic of a failed create: the server's 500 names no attribute, its text does.
fn create_failed(planned: &TriggerState, e: &CreateError, diags: &mut Diagnostics) {
    let summary = "Creating the processing engine trigger failed";
    let err = &e.error;
    let text = err.to_string();
    let database = planned.database.as_deref().unwrap_or_default();
    let name = planned.name.as_deref().unwrap_or_default();
    let file = planned.plugin_filename.as_deref().unwrap_or_default();
    let spec = planned.trigger_specification.as_deref().unwrap_or_default();
    if err.is_conflict() {
        diags.attribute_error(AttributePath::root("name"), "Trigger already exists", format!("{text}\n\nThe database {database:?} already has a trigger named {name:?}. Choose another name, or import it: terraform import ADDRESS {database}:{name}"));
    } else if err.is_not_found() {
        diags.attribute_error(
            AttributePath::root("database"),
            summary,
            format!("{text}\n\n{}", database_rules::missing_text(database)),
        );
    } else if text.contains("Plugin not found")
        || text.contains("reading plugin file")
        || text.contains("plugin file")
    {
        diags.attribute_error(AttributePath::root("plugin_filename"), "Plugin file not found", format!("{text}\n\nThe server has no plugin file {file:?} in its plugin directory. Upload it first with an influxdb_plugin_file (refer to influxdb_plugin_file.<name>.filename so that Terraform orders the two), or check the name."));
    } else if text.contains("failed to parse trigger") {
        diags.attribute_error(
            AttributePath::root("trigger_specification"),
            "Invalid trigger_specification",
            format!("{text}\n\nThe server cannot parse the trigger specification {spec:?}."),
        );
    } else {
        diags.error(summary, e.to_string());
    }
}

#[async_trait]
impl Resource for TriggerResource {
    type Client = CoreClient;
    type State = TriggerState;

    fn type_name(&self) -> &'static str {
        "influxdb_processing_engine_trigger"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A processing engine trigger of an InfluxDB 3 Core or Enterprise database: runs a Python plugin file of the server's plugin directory on writes to a table (`table:NAME`) or to any table (`all_tables`), on a schedule (`every:DURATION`, `cron:EXPRESSION`), or on HTTP requests to `/api/v3/engine/PATH` (`request:PATH`). `disabled` changes in place; any other change replaces the trigger.",
            vec![
                Attribute::required("database", Type::String)
                    .describe("The database's name; refer to `influxdb_database.<name>.name` so that Terraform creates the database first. A change replaces the trigger.")
                    .validate_str("Invalid database name", validate_database_name)
                    .requires_replace(),
                Attribute::required("name", Type::String)
                    .describe("The trigger's name, unique in its database. A change replaces the trigger.")
                    .validate_str("Invalid name", validators::not_empty)
                    .requires_replace(),
                Attribute::required("plugin_filename", Type::String)
                    .describe("The plugin file the trigger runs, relative to the server's plugin directory; refer to `influxdb_plugin_file.<name>.filename` so that Terraform uploads it first. A change replaces the trigger (a change of the file's content does not: the server reads a changed file again).")
                    .validate_str("Invalid plugin_filename", validators::not_empty)
                    .requires_replace(),
                Attribute::required("trigger_specification", Type::String)
                    .describe("When the plugin runs: `table:TABLE` (writes to a table), `all_tables` (every write), `every:DURATION` (for example `every:10m`; at most a year), `cron:EXPRESSION` (six or seven fields, seconds first, for example `cron:0 0 * * * *`) or `request:PATH` (requests to `/api/v3/engine/PATH`). Checked at plan; compared by meaning (`every:1h` = `every:60m`). A change replaces the trigger.")
                    .validate_str("Invalid trigger_specification", validate_specification)
                    .semantic_equality(same_specification)
                    .requires_replace(),
                Attribute::optional("trigger_arguments", Type::map(Type::String))
                    .describe("Arguments passed to the plugin (its `args`). A change replaces the trigger.")
                    .requires_replace(),
                Attribute::optional_computed("disabled", Type::Bool)
                    .describe("Whether the trigger is disabled. Default `false`. Changed in place; a trigger enabled or disabled outside Terraform is set back.")
                    .default(false),
                Attribute::optional_computed("run_async", Type::Bool)
                    .describe("Whether the plugin may run concurrently with itself (table, schedule and request triggers). Default `false`. The server does not show it, so the state keeps the applied value (an import assumes `false`). A change replaces the trigger.")
                    .default(false)
                    .requires_replace(),
                Attribute::optional_computed("error_behavior", Type::String)
                    .describe("What the server does when the plugin fails: `log` (default), `retry` or `disable`. A change replaces the trigger.")
                    .validate_str("Invalid error_behavior", validators::one_of(ERROR_BEHAVIORS))
                    .default("log")
                    .requires_replace(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("database", "The database's name."),
            IdentityAttribute::required("name", "The trigger's name."),
        ]))
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: TriggerState,
        diags: &mut Diagnostics,
    ) -> Option<TriggerState> {
        let database = planned.database.clone().unwrap_or_default();
        let name = planned.name.clone().unwrap_or_default();
        let body = CreateTrigger {
            db: database.clone(),
            trigger_name: name.clone(),
            plugin_filename: planned.plugin_filename.clone().unwrap_or_default(),
            trigger_specification: planned.trigger_specification.clone().unwrap_or_default(),
            trigger_arguments: planned.trigger_arguments.clone().filter(|a| !a.is_empty()),
            trigger_settings: TriggerSettings {
                run_async: planned.run_async.unwrap_or(false),
                error_behavior: planned
                    .error_behavior
                    .clone()
                    .unwrap_or_else(|| "log".into()),
            },
            disabled: planned.disabled.unwrap_or(false),
        };
        let Err(e) = client.create_trigger(&body).await else {
            return Some(planned);
        };
        // A 500 may also be an answer lost after the trigger was made: look before failing.
        if e.may_have_been_created() {
            if let Ok(Some((row, _))) = client.find_trigger(&database, &name).await {
                if Some(&row.plugin_filename) == planned.plugin_filename.as_ref() {
                    diags.warning("Trigger created despite a failed request", format!("{e}\n\nThe trigger {name:?} exists in {database:?} with the declared plugin file, so the request did create it; it is recorded in the state."));
                    return Some(planned);
                }
            }
        }
        create_failed(&planned, &e, diags);
        None
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: TriggerState,
        diags: &mut Diagnostics,
    ) -> Option<TriggerState> {
        let database = current.database.clone().unwrap_or_default();
        let name = current.name.clone().unwrap_or_default();
        let found = match client.find_trigger(&database, &name).await {
            Err(e) if e.is_not_found() => Ok(None),
            found => found,
        };
        match found.or_error(diags, "Reading the processing engine trigger failed")? {
            Some((row, args)) => Some(state_from_row(&database, &current, &row, args)),
            None => diags.deleted_outside(
                "Processing engine trigger",
                &format!("The trigger {name:?} of the database {database:?}"),
                "",
            ),
        }
    }

    async fn update(
        &self,
        client: &CoreClient,
        prior: TriggerState,
        planned: TriggerState,
        diags: &mut Diagnostics,
    ) -> Option<TriggerState> {
        // Only `disabled` changes in place; everything else replaces the trigger.
        let disabled = planned.disabled.unwrap_or(false);
        if prior.disabled.unwrap_or(false) != disabled {
            let database = planned.database.clone().unwrap_or_default();
            let name = planned.name.clone().unwrap_or_default();
            if let Err(e) = client
                .set_trigger_enabled(&database, &name, !disabled)
                .await
            {
                let verb = if disabled { "Disabling" } else { "Enabling" };
                diags.attribute_error(
                    AttributePath::root("disabled"),
                    format!("{verb} the trigger failed"),
                    e.to_string(),
                );
                return None;
            }
        }
        Some(planned)
    }

    async fn delete(&self, client: &CoreClient, prior: TriggerState, diags: &mut Diagnostics) {
        let database = prior.database.unwrap_or_default();
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_trigger(&database, &name).await) {
            diags.error(
                "Deleting the processing engine trigger failed",
                e.to_string(),
            );
        }
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TriggerState> {
        let summary = "Importing the processing engine trigger failed";
        let Some((database, name)) = id
            .split_once(':')
            .filter(|(d, n)| !d.is_empty() && !n.is_empty())
        else {
            diags.error(summary, format!("A trigger is imported as DATABASE:NAME (for example sensors:downsample), not {id:?}."));
            return None;
        };
        let found = client.find_trigger(database, name).await;
        let Some((row, args)) = found.or_error(diags, summary)? else {
            diags.error(
                summary,
                format!("The database {database:?} has no trigger named {name:?}."),
            );
            return None;
        };
        Some(state_from_row(
            database,
            &TriggerState::default(),
            &row,
            args,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_row_reads_back_without_a_diff() {
        let row = TriggerRow {
            trigger_name: "t".into(),
            plugin_filename: "p.py".into(),
            trigger_specification: r#"{"every":{"duration":{"secs":3600,"nanos":0}}}"#.into(),
            disabled: true,
            error_behavior: "retry".into(),
        };
        let current = TriggerState {
            trigger_specification: Some("every:60m".into()),
            run_async: Some(true),
            ..Default::default()
        };
        let s = state_from_row("db", &current, &row, BTreeMap::new());
        assert_eq!(s.trigger_specification.as_deref(), Some("every:60m"));
        assert_eq!(s.run_async, Some(true));
        assert_eq!(s.trigger_arguments, None);
        assert_eq!(s.disabled, Some(true));
        let imported = state_from_row(
            "db",
            &TriggerState::default(),
            &row,
            BTreeMap::from([("a".into(), "1".into())]),
        );
        assert_eq!(imported.trigger_specification.as_deref(), Some("every:1h"));
        assert_eq!(imported.trigger_arguments.unwrap().len(), 1);
    }

    #[test]
    fn schema_is_valid() {
        TriggerResource.schema().check().unwrap();
    }
}
