//! `list "influxdb_database"`: the databases of the cluster, as `influxdb_database` resources.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::{Diagnostics, ListResource, Listed, Schema};
use crate::influxdb::management::ManagementClient;

pub struct DatabaseList;

/// The list takes no settings: every database of the cluster.
#[derive(Serialize, Deserialize, Default)]
pub struct DatabaseListConfig {}

#[async_trait]
impl ListResource for DatabaseList {
    type Client = ManagementClient;
    type Config = DatabaseListConfig;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists every database of the cluster for `terraform query` (Terraform 1.14 or later), by name. It takes no settings.",
            Vec::new(),
        )
    }

    async fn list(
        &self,
        client: &ManagementClient,
        _config: DatabaseListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<DatabaseState>> {
        let mut databases = match client.list_databases().await {
            Ok(d) => d,
            Err(e) => {
                diags.error("Listing the databases failed", e.to_string());
                return Vec::new();
            }
        };
        databases.sort_by(|a, b| a.name.cmp(&b.name));
        databases
            .into_iter()
            .map(|d| Listed {
                display_name: d.name.clone(),
                state: state_from(d),
            })
            .collect()
    }
}
