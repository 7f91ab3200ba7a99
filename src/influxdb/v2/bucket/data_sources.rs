//! `influxdb_buckets` data source: the buckets of one organization (or, with no organization
//! given and none in the provider, every bucket the token can read), system buckets included.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema};
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct BucketsDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct BucketsModel {
    pub org_id: Option<String>,
    pub buckets: Option<Vec<BucketState>>,
}

#[async_trait]
impl DataSource for BucketsDataSource {
    type Client = V2Api;
    type Model = BucketsModel;

    fn type_name(&self) -> &'static str {
        "influxdb_buckets"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the buckets of an organization of InfluxDB OSS v2 or Cloud Serverless (system buckets `_monitoring` and `_tasks` included), by name.",
            vec![
                Attribute::optional_computed("org_id", Type::String)
                    .describe(&format!("{} Unset: the provider's organization.", doc::ORG_ID))
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::computed("buckets", Type::list(bucket_type()))
                    .describe("The buckets, by name. Each has the attributes of the `influxdb_bucket` data source."),
            ],
        )
    }

    async fn read(
        &self,
        api: &V2Api,
        config: BucketsModel,
        diags: &mut Diagnostics,
    ) -> Option<BucketsModel> {
        let org_id = api
            .org_id(config.org_id.as_deref(), "org_id", diags)
            .await?;
        match api.client.list_buckets(Some(&org_id)).await {
            Ok(list) => {
                let mut out: Vec<BucketState> = list.into_iter().map(state_from).collect();
                out.sort_by(|a, b| a.name.cmp(&b.name));
                Some(BucketsModel {
                    org_id: Some(org_id),
                    buckets: Some(out),
                })
            }
            Err(e) => {
                diags.error("Listing the buckets failed", e.to_string());
                None
            }
        }
    }
}
