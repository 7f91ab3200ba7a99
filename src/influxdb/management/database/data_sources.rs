//! `influxdb_databases` data source: every database of the cluster.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, OrError, Schema, Type};
use crate::influxdb::management::ManagementClient;

pub struct DatabasesDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabasesModel {
    pub databases: Option<Vec<DatabaseState>>,
}

#[async_trait]
impl DataSource for DatabasesDataSource {
    type Client = ManagementClient;
    type Model = DatabasesModel;

    fn type_name(&self) -> &'static str {
        "influxdb_databases"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the databases of the cluster.",
            vec![Attribute::computed("databases", Type::list(database_type()))
                .describe("The databases, sorted by name. Each has the attributes of the `influxdb_database` data source, with the same meanings: `retention_period` in canonical form (`\"30d\"`, `\"0s\"` for infinite), `partition_template` a list of `{ type, value }` parts or null.")],
        )
    }

    async fn read(
        &self,
        client: &ManagementClient,
        _config: DatabasesModel,
        diags: &mut Diagnostics,
    ) -> Option<DatabasesModel> {
        let snapshot = client.databases_snapshot().await;
        let list = snapshot.or_error(diags, "Listing the databases failed")?;
        let mut databases: Vec<DatabaseState> =
            list.items().iter().cloned().map(state_from).collect();
        databases.sort_by(|a, b| a.name.cmp(&b.name));
        Some(DatabasesModel {
            databases: Some(databases),
        })
    }
}
