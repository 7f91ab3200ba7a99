//! `influxdb_database` data source: one database, by name, with the attributes of the
//! `influxdb_database` resource.

use async_trait::async_trait;

use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::names;
use crate::influxdb::partition_template::{template_part_type, PARTITION_TEMPLATE_DOC};
use crate::influxdb::provider::Influx;
use crate::influxdb::resources::database::{doc, state_from, DatabaseState};

pub struct DatabaseDataSource;

/// The computed attributes of a database (all but `name`), shared with `influxdb_databases`.
pub fn database_fields() -> Vec<(&'static str, Type, String)> {
    vec![
        ("max_tables", Type::Number, doc::MAX_TABLES.to_owned()),
        ("max_columns_per_table", Type::Number, doc::MAX_COLUMNS.to_owned()),
        (
            "retention_period",
            Type::String,
            format!("{} Given in canonical form: the largest unit up to days that divides it exactly (`\"30d\"`, `\"90m\"`).", doc::RETENTION),
        ),
        (
            "partition_template",
            Type::list(template_part_type()),
            format!("{PARTITION_TEMPLATE_DOC} Null when the database was created without one."),
        ),
        ("account_id", Type::String, doc::ACCOUNT_ID.to_owned()),
        ("cluster_id", Type::String, doc::CLUSTER_ID.to_owned()),
    ]
}

pub fn database_type() -> Type {
    let mut attrs = vec![("name", Type::String)];
    attrs.extend(database_fields().into_iter().map(|(n, t, _)| (n, t)));
    Type::object(attrs)
}

#[async_trait]
impl DataSource for DatabaseDataSource {
    type Client = Influx;
    type Model = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn check_provider(
        &self,
        influx: &Influx,
        _config: &crate::engine::Value,
        diags: &mut Diagnostics,
    ) {
        influx.require_management(self.type_name(), diags);
    }

    fn schema(&self) -> Schema {
        let mut attributes = vec![Attribute::required("name", Type::String)
            .describe(doc::NAME)
            .validate_str("Invalid database name", names::validate_database_name)];
        attributes.extend(
            database_fields()
                .into_iter()
                .map(|(n, t, d)| Attribute::computed(n, t).describe(&d)),
        );
        Schema::new("Reads one database by name.", attributes)
    }

    async fn read(
        &self,
        influx: &Influx,
        config: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let client = influx.client(diags)?;
        let name = config.name.unwrap_or_default();
        match client.read_database(&name).await {
            Ok(Some(d)) => Some(state_from(d)),
            Ok(None) => {
                diags.error(
                    "Database not found",
                    format!("No database named {name:?} exists in this cluster. Database names are case-sensitive."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the database failed", e.to_string());
                None
            }
        }
    }
}
