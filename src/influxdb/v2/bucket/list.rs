//! `list "influxdb_bucket"`: the buckets of InfluxDB OSS v2 / Cloud Serverless, as
//! `influxdb_bucket` resources, for `terraform query` (system buckets left out: InfluxDB
//! manages them).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, Schema};
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct BucketList;

#[derive(Serialize, Deserialize, Default)]
pub struct BucketListConfig {
    pub org_id: Option<String>,
}

#[async_trait]
impl ListResource for BucketList {
    type Client = V2Api;
    type Config = BucketListConfig;
    type State = BucketState;

    fn type_name(&self) -> &'static str {
        "influxdb_bucket"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the buckets for `terraform query` (Terraform 1.14 or later), system buckets excepted: those of `org_id` when set, else every bucket the provider's token can read.",
            vec![Attribute::optional("org_id", Type::String)
                .describe("Only the buckets of this organization (16 hexadecimal digits).")
                .validate_str("Invalid org_id", validate_v2_id)],
        )
    }

    async fn list(
        &self,
        api: &V2Api,
        config: BucketListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<BucketState>> {
        let list = match api.client.list_buckets(config.org_id.as_deref()).await {
            Ok(l) => l,
            Err(e) => {
                diags.error("Listing the buckets failed", e.to_string());
                return Vec::new();
            }
        };
        let mut out: Vec<Listed<BucketState>> = list
            .into_iter()
            .filter(|b| b.kind.as_deref() != Some("system"))
            .map(|b| {
                let mut state = state_from(b);
                state.kind = None;
                state.deletion_protection = Some(false);
                Listed {
                    display_name: state.name.clone().unwrap_or_default(),
                    state,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.state.org_id, &a.display_name).cmp(&(&b.state.org_id, &b.display_name))
        });
        out
    }
}
