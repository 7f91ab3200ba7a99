//! The `influxdb_databases` data source on InfluxDB 1.x: every database the server has (but
//! `_internal`), each with its name and its default policy's duration.

use async_trait::async_trait;

use super::data_source::default_retention;
use crate::engine::{DataSource, Diagnostics, OrError, Schema};
use crate::influxdb::database::{databases_schema, ListedDatabase, ListedDatabases};
use crate::influxdb::v1::V1Client;

pub struct DatabasesDataSource;

#[async_trait]
impl DataSource for DatabasesDataSource {
    type Client = V1Client;
    type Model = ListedDatabases;

    fn type_name(&self) -> &'static str {
        "influxdb_databases"
    }

    fn schema(&self) -> Schema {
        databases_schema("the server", "On InfluxDB 1.x each has `name` and `retention_period` (the duration of its default retention policy in canonical form, null for infinite); the other attributes are null. `_internal` is not listed.")
    }

    async fn read(
        &self,
        client: &V1Client,
        _config: ListedDatabases,
        diags: &mut Diagnostics,
    ) -> Option<ListedDatabases> {
        let list = client
            .databases_snapshot()
            .await
            .or_error(diags, "Listing the databases failed")?;
        Some(ListedDatabases::sorted(
            list.items()
                .iter()
                .filter(|d| d.name != "_internal")
                .map(|d| ListedDatabase {
                    name: Some(d.name.clone()),
                    retention_period: default_retention(d),
                    ..ListedDatabase::default()
                })
                .collect(),
        ))
    }
}
