//! `list "influxdb_database"`: the databases of the cluster, as `influxdb_database` resources.

use async_trait::async_trait;

use super::*;
use crate::engine::{Diagnostics, ListResource, Listed, OrError, Schema};
use crate::influxdb::database::{self as rules, ListConfig};
use crate::influxdb::management::ManagementClient;

pub struct DatabaseList;

#[async_trait]
impl ListResource for DatabaseList {
    type Client = ManagementClient;
    type Config = ListConfig;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        rules::list_schema("the cluster")
    }

    async fn list(
        &self,
        client: &ManagementClient,
        _config: ListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<DatabaseState>> {
        let listed = client.list_databases().await;
        let Some(databases) = listed.or_error(diags, "Listing the databases failed") else {
            return Vec::new();
        };
        rules::listed(
            databases
                .into_iter()
                .map(|d| (d.name.clone(), state_from(d)))
                .collect(),
        )
    }
}
