//! `influxdb_database` data source on InfluxDB 3 Core/Enterprise: one database, by name, with
//! its retention.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::core::CoreClient;

pub struct DatabaseDataSource;

#[async_trait]
impl DataSource for DatabaseDataSource {
    type Client = CoreClient;
    type Model = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Reads one database of InfluxDB 3 Core or Enterprise by name (soft-deleted databases are not found).",
            vec![
                Attribute::required("name", Type::String)
                    .describe(doc::NAME)
                    .validate_str("Invalid database name", validate_name),
                Attribute::computed("retention_period", Type::String).describe(&format!(
                    "{} Given in canonical form (the largest unit up to days that divides it exactly).",
                    doc::RETENTION
                )),
            ],
        )
    }

    async fn read(
        &self,
        client: &CoreClient,
        config: DatabaseState,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseState> {
        let name = config.name.unwrap_or_default();
        match client.read_database(&name).await {
            Ok(Some(row)) => Some(state_from_row(&row)),
            Ok(None) => {
                diags.error(
                    "Database not found",
                    format!("No database named {name:?} exists on the server. Database names are case-sensitive."),
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
