//! `list "influxdb_dbrp_mapping"`: the DBRP mappings of one organization of InfluxDB OSS v2 /
//! Cloud Serverless as `influxdb_dbrp_mapping` resources, for `terraform query`, so that
//! mappings made with `influx v1 dbrp create` can be adopted. The server's virtual mappings
//! (one per bucket) are left out unless `include_virtual` is set; they cannot be imported.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, Schema, Type};
use crate::influxdb::v2::client_influxql::DbrpFilter;
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct DbrpMappingList;

#[derive(Serialize, Deserialize, Default)]
pub struct DbrpMappingListConfig {
    pub org_id: Option<String>,
    pub database: Option<String>,
    pub include_virtual: Option<bool>,
}

#[async_trait]
impl ListResource for DbrpMappingList {
    type Client = V2Api;
    type Config = DbrpMappingListConfig;
    type State = DbrpState;

    fn type_name(&self) -> &'static str {
        "influxdb_dbrp_mapping"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the DBRP mappings of one organization for `terraform query` (Terraform 1.14 or later), the server's virtual mappings left out unless asked.",
            vec![
                Attribute::optional("org_id", Type::String)
                    .describe("The organization (16 hexadecimal digits). Unset: the provider's `org` or `org_id`.")
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::optional("database", Type::String)
                    .describe("Only the mappings of this InfluxQL database.")
                    .validate_str("Invalid database", validate_name),
                Attribute::optional("include_virtual", Type::Bool)
                    .describe("`true`: also the virtual mappings the server makes for each bucket (shown for inspection; they are not managed and cannot be imported). Default `false`."),
            ],
        )
    }

    async fn list(
        &self,
        api: &V2Api,
        config: DbrpMappingListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<DbrpState>> {
        let Some(org_id) = api.org_id(config.org_id.as_deref(), "org_id", diags).await else {
            return Vec::new();
        };
        let filter = DbrpFilter {
            database: config.database,
            ..Default::default()
        };
        let list = match api.client.list_dbrps(&org_id, &filter).await {
            Ok(l) => l,
            Err(e) => {
                diags.error("Listing the DBRP mappings failed", e.to_string());
                return Vec::new();
            }
        };
        let virtual_too = config.include_virtual == Some(true);
        let mut out: Vec<Listed<DbrpState>> = list
            .into_iter()
            .filter(|d| virtual_too || !d.is_virtual)
            .map(|d| {
                let display_name = format!("{}/{} ({})", d.database, d.retention_policy, d.id);
                Listed {
                    display_name,
                    state: state_from(d, false),
                }
            })
            .collect();
        out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        out
    }
}
