//! `influxdb_database` data source: one database, by name, with the attributes of the
//! `influxdb_database` resource.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::management::validation;
use crate::influxdb::management::ManagementClient;

pub struct DatabaseDataSource;

#[async_trait]
impl DataSource for DatabaseDataSource {
    type Client = ManagementClient;
    type Model = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        let mut attributes = vec![Attribute::required("name", Type::String)
            .describe(doc::NAME)
            .validate_str("Invalid database name", validation::validate_database_name)];
        attributes.extend(
            database_fields()
                .into_iter()
                .map(|(n, t, d)| Attribute::computed(n, t).describe(&d)),
        );
        Schema::new("Reads one database by name.", attributes)
    }

    async fn read(
        &self,
        client: &ManagementClient,
        config: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
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
