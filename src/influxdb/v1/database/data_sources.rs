//! The `influxdb_databases` data source on InfluxDB 1.x: every database the server has (but
//! `_internal`), each with its name and its default policy's duration.

use async_trait::async_trait;

use super::data_source::default_retention;
use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::v1::V1Client;

pub struct DatabasesDataSource;

/// An element of the list, of the type every family's `influxdb_databases` shares.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabaseItem {
    pub name: Option<String>,
    pub retention_period: Option<String>,
    pub max_tables: Option<i64>,
    pub max_columns_per_table: Option<i64>,
    pub partition_template: Option<Vec<serde_json::Value>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabasesModel {
    pub databases: Option<Vec<DatabaseItem>>,
}

#[async_trait]
impl DataSource for DatabasesDataSource {
    type Client = V1Client;
    type Model = DatabasesModel;

    fn type_name(&self) -> &'static str {
        "influxdb_databases"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the databases of the server.",
            vec![Attribute::computed(
                "databases",
                Type::list(crate::influxdb::management::database::database_type()),
            )
            .describe("The databases, sorted by name. On InfluxDB 1.x each has `name` and `retention_period` (the duration of its default retention policy in canonical form, null for infinite); the other attributes are null. `_internal` is not listed.")],
        )
    }

    async fn read(
        &self,
        client: &V1Client,
        _config: DatabasesModel,
        diags: &mut Diagnostics,
    ) -> Option<DatabasesModel> {
        match client.databases_snapshot().await {
            Ok(list) => {
                let mut databases: Vec<DatabaseItem> = list
                    .items()
                    .iter()
                    .filter(|d| d.name != "_internal")
                    .map(|d| DatabaseItem {
                        name: Some(d.name.clone()),
                        retention_period: default_retention(d),
                        ..DatabaseItem::default()
                    })
                    .collect();
                databases.sort_by(|a, b| a.name.cmp(&b.name));
                Some(DatabasesModel {
                    databases: Some(databases),
                })
            }
            Err(e) => {
                diags.error("Listing the databases failed", e.to_string());
                None
            }
        }
    }
}
