//! `influxdb_table`: a table (measurement) of a Cloud Dedicated or Clustered database, created
//! with an optional partition template, renamed in place and deleted through the Management
//! API's tables endpoints.
//!
//! The API has no call that reads a table (only create, rename, delete and undelete), and its
//! responses give a table no ID that another call accepts. So:
//! - there is no `id` attribute (none is invented);
//! - a refresh keeps the state as applied (no drift is made up), except that a table whose
//!   database is gone is gone too (the database list says so);
//! - `terraform import` is refused with the reason.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, PlanChange, Resource, Schema, Type};
use crate::influxdb::database as database_rules;
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::management::database::{doc, scope_attributes};
use crate::influxdb::management::models::CreateTable;
use crate::influxdb::management::partition_template::{self, TemplatePart};
use crate::influxdb::management::renames::PlannedRenames;
use crate::influxdb::management::validation;
use crate::influxdb::management::ManagementClient;

#[derive(Default)]
pub struct TableResource {
    /// Database renames planned in this run: a table follows its database's rename in place.
    pub renames: Arc<PlannedRenames>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TableState {
    pub database: Option<String>,
    pub name: Option<String>,
    pub partition_template: Option<Vec<TemplatePart>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

/// Why a table cannot be imported; also said in the documentation.
pub const NO_IMPORT: &str = "The Management API has no call that reads a table: it can create, rename and delete tables, but not list them or tell whether one exists or which partition template it has. An imported table would hold whatever the import ID claimed, unverified, so the provider does not import tables. Terraform manages only the tables it creates; leave existing tables unmanaged (declaring one fails at create time with 409 Conflict, and nothing is changed).";

#[async_trait]
impl Resource for TableResource {
    type Client = ManagementClient;
    type State = TableState;

    fn type_name(&self) -> &'static str {
        "influxdb_table"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A table of a Cloud Dedicated or Clustered database, created before any data is written to it so that it gets its own partition template. The API cannot read a table back, so the state holds what was applied and the table cannot be imported.",
            vec![
                Attribute::required("database", Type::String)
                    .describe(&format!("The name of the database the table belongs to; refer to `influxdb_database.<name>.name` so that a rename of the database follows. A change replaces the table (a new, empty table in the other database; the old one is deleted with its data), except when it follows a rename of the database planned in the same run: the table then moves with its database, in place, with its data. {}", doc::NAME))
                    .validate_str("Invalid database name", validation::validate_database_name),
                Attribute::required("name", Type::String)
                    .describe("The table name (the measurement name in line protocol): at least one character (the API's only rule). Names are case-sensitive. A change renames the table in place: its data is kept.")
                    .validate_str("Invalid table name", validation::validate_table_name),
                partition_template::attribute("partition_template", false)
                    .describe(&format!("{} Set only at creation: a change replaces the table (deleting its data). Unset: the table inherits the database's partition template, and the attribute stays null. `\"customer_id,0100\"` and `\"customer_id,100\"` are the same part.", partition_template::PARTITION_TEMPLATE_DOC))
                    .requires_replace(),
            ]
            .into_iter()
            .chain(scope_attributes())
            .collect(),
        )
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        if change.is_create() {
            return;
        }
        // They come from the provider configuration, which a rename does not change.
        for name in ["account_id", "cluster_id"] {
            let prior = change.prior.attr(name).clone();
            change.planned.set_attr(name, prior);
        }
        // Another database replaces the table, unless its own database is being renamed.
        let (old, new) = (
            change.prior.attr("database"),
            change.planned.attr("database"),
        );
        if old != new {
            let follows = match (old.as_str(), new.as_str()) {
                (Some(old), Some(new)) => self.renames.is_planned(old, new),
                _ => false,
            };
            if !follows {
                change.replace_because_of("database");
            }
        }
    }

    async fn create(
        &self,
        client: &ManagementClient,
        planned: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        let database = planned.database.clone().unwrap_or_default();
        let name = planned.name.clone().unwrap_or_default();
        let partition_template =
            partition_template::planned(planned.partition_template.as_deref(), diags)?;
        let body = CreateTable {
            name: name.clone(),
            partition_template,
        };
        match client.create_table(&database, &body).await {
            // The state keeps the template as configured: the API cannot say later.
            Ok(t) => Some(TableState {
                account_id: t.account_id,
                cluster_id: t.cluster_id,
                ..planned
            }),
            Err(e) if e.error.is_conflict() => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Table already exists",
                    format!("{}\n\nA table named {name:?} already exists in the database {database:?} (tables are also created by the first write to them), and it was not changed. {NO_IMPORT}", e.error),
                );
                None
            }
            Err(e) if e.error.is_not_found() => {
                database_rules::missing(&database, Some(&e.error), diags)
            }
            Err(e) if e.may_have_been_created() => {
                diags.error(
                    "Creating the table failed",
                    format!("{e}\n\nThe API cannot tell whether the table {name:?} now exists in {database:?}. Run terraform apply again: if the table was created, the create fails with 409 Conflict; then delete the table (influxctl table delete) and apply again."),
                );
                None
            }
            Err(e) => {
                diags.error("Creating the table failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        client: &ManagementClient,
        current: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        // No call reads a table; what can be checked is that its database still exists.
        let database = current.database.clone().unwrap_or_default();
        // From this process's snapshot of the database list (one list call per refresh).
        match client.read_database(&database).await {
            Ok(Some(_)) => Some(current),
            Ok(None) => {
                diags.warning(
                    "Table's database deleted outside Terraform",
                    format!("The database {database:?} no longer exists, and with it the table {:?}. The table is removed from the state and the next apply creates it again (empty) once its database exists.", current.name.as_deref().unwrap_or_default()),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the table's database failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        client: &ManagementClient,
        prior: TableState,
        planned: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        // `partition_template` replaces the table, and so does `database` unless the database
        // was renamed (before this update: the table depends on it), which moved the table.
        let database = planned.database.clone().unwrap_or_default();
        let old = prior.name.clone().unwrap_or_default();
        let new = planned.name.clone().unwrap_or_default();
        if old == new {
            return Some(planned);
        }
        match client.rename_table(&database, &old, &new).await {
            Ok(_) => Some(planned),
            Err(e) if e.is_conflict() => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Renaming the table failed",
                    format!("{e}\n\nA table named {new:?} already exists in the database {database:?}, so {old:?} was not renamed. Choose another name."),
                );
                None
            }
            Err(e) if e.is_not_found() => {
                diags.error(
                    "Renaming the table failed",
                    format!("{e}\n\nThe table {old:?} or its database {database:?} no longer exists (deleted or renamed outside Terraform, or the rename already happened and its answer was lost). The API cannot read tables, so the provider cannot tell which: check with influxctl, then remove the table from the state (terraform state rm ADDRESS) and apply again."),
                );
                None
            }
            Err(e) => {
                diags.error(
                    "Renaming the table failed",
                    format!("{e}\n\nThe table is still named {old:?}; run terraform apply again to retry the rename."),
                );
                None
            }
        }
    }

    async fn delete(&self, client: &ManagementClient, prior: TableState, diags: &mut Diagnostics) {
        let database = prior.database.unwrap_or_default();
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_table(&database, &name).await) {
            diags.error("Deleting the table failed", e.to_string());
        }
    }

    async fn import(
        &self,
        _client: &ManagementClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        diags.error(
            "influxdb_table cannot be imported",
            format!("Cannot import the table {id:?}. {NO_IMPORT}"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;
    use crate::engine::Value;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::empty_object(&TableResource::default().schema().ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    use crate::influxdb::management::partition_template::part_value as part;

    fn run_plan(prior: &Value, config: &Value) -> crate::engine::server::PlanOutcome {
        let mut d = Diagnostics::default();
        let out = plan(
            &TableResource::default().schema(),
            prior,
            config,
            |c, d| TableResource::default().modify_plan(c, d),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        out
    }

    #[test]
    fn schema_is_valid() {
        TableResource::default().schema().check().unwrap();
    }

    #[test]
    fn a_new_name_is_an_update_other_changes_replace() {
        let template = Value::List(vec![part("tag", "host"), part("time", "%Y")]);
        let prior = obj(&[
            ("database", "db".into()),
            ("name", "cpu".into()),
            ("partition_template", template.clone()),
            ("account_id", "acc".into()),
            ("cluster_id", "clu".into()),
        ]);
        let config = |db: &str, name: &str, t: Value| {
            obj(&[
                ("database", db.into()),
                ("name", name.into()),
                ("partition_template", t),
            ])
        };
        let out = run_plan(&prior, &config("db", "cpu2", template.clone()));
        assert!(out.requires_replace.is_empty());
        assert_eq!(out.planned.attr("name"), &Value::from("cpu2"));
        assert_eq!(out.planned.attr("account_id"), &Value::from("acc"));

        let out = run_plan(&prior, &config("db2", "cpu", template.clone()));
        assert_eq!(out.requires_replace, vec![AttributePath::root("database")]);

        let other = Value::List(vec![part("time", "%Y")]);
        let out = run_plan(&prior, &config("db", "cpu", other));
        assert_eq!(
            out.requires_replace,
            vec![AttributePath::root("partition_template")]
        );

        // The same template spelled with a bucket count's leading zero is no change.
        let mut prior = prior;
        prior.set_attr(
            "partition_template",
            Value::List(vec![part("bucket", "h,10"), part("time", "%Y")]),
        );
        let same = Value::List(vec![part("bucket", "h,010"), part("time", "%Y")]);
        let out = run_plan(&prior, &config("db", "cpu", same));
        assert!(out.requires_replace.is_empty());
        assert_eq!(out.planned, prior);
    }

    #[test]
    fn bad_names_and_templates_are_reported_on_the_attribute() {
        let mut d = Diagnostics::default();
        TableResource::default().schema().validate(
            &obj(&[
                ("database", "_x".into()),
                ("name", "".into()),
                ("partition_template", Value::List(vec![part("tag", "a")])),
            ]),
            &mut d,
        );
        let attrs: Vec<_> = d.iter().map(|e| e.attribute.clone().unwrap()).collect();
        assert_eq!(
            attrs,
            vec![
                AttributePath::root("database"),
                AttributePath::root("name"),
                AttributePath::root("partition_template"),
            ]
        );
        assert!(d
            .iter()
            .nth(2)
            .unwrap()
            .detail
            .contains("exactly one time part"));
    }
}
