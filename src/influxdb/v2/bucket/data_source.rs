//! `influxdb_bucket` data source: one bucket of InfluxDB OSS v2 / Cloud Serverless, by ID or by
//! name (in `org_id`, or the provider's organization), so that a bucket made elsewhere can be
//! scoped in a token: `resource = { type = "buckets", id = data.influxdb_bucket.b.id }`.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Value};
use crate::influxdb::v2::{by_id_or_name, validate_v2_id, V2Api};

pub struct BucketDataSource;

#[async_trait]
impl DataSource for BucketDataSource {
    type Client = V2Api;
    type Model = BucketState;

    fn type_name(&self) -> &'static str {
        "influxdb_bucket"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "One bucket of InfluxDB OSS v2 or Cloud Serverless, by `id` or by `name`. Fails when there is no such bucket.",
            vec![
                Attribute::optional_computed("id", Type::String)
                    .describe("The bucket's ID. Set `id` or `name`, not both.")
                    .validate_str("Invalid id", validate_v2_id),
                Attribute::optional_computed("name", Type::String)
                    .describe("The bucket's name, looked up in `org_id`. Set `id` or `name`, not both."),
                Attribute::optional_computed("org_id", Type::String)
                    .describe(&format!("{} With `name`, unset: the provider's organization.", doc::ORG_ID))
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::computed("description", Type::String).describe("The bucket's description; null when empty."),
                Attribute::computed("retention_period", Type::String).describe(doc::RETENTION),
                Attribute::computed("shard_group_duration", Type::String).describe(doc::SHARD_GROUP),
                Attribute::computed("schema_type", Type::String).describe(doc::SCHEMA_TYPE),
                Attribute::computed("type", Type::String).describe("`\"user\"`, or `\"system\"` for `_monitoring` and `_tasks`."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        by_id_or_name::validate(config, "bucket", diags);
    }

    async fn read(
        &self,
        api: &V2Api,
        config: BucketState,
        diags: &mut Diagnostics,
    ) -> Option<BucketState> {
        let client = &api.client;
        let found = match (&config.id, &config.name) {
            (Some(id), _) => client.get_bucket(id).await.map(Some).or_else(|e| {
                if e.is_not_found() {
                    Ok(None)
                } else {
                    Err(e)
                }
            }),
            (None, Some(name)) => {
                let org_id = api
                    .org_id(config.org_id.as_deref(), "org_id", diags)
                    .await?;
                client.find_bucket(&org_id, name).await
            }
            (None, None) => return None,
        };
        match found {
            Ok(Some(b)) => Some(state_from(b)),
            Ok(None) => {
                let (id, name) = (config.id.as_deref(), config.name.as_deref());
                by_id_or_name::not_found(id, name, "bucket", diags);
                None
            }
            Err(e) => {
                diags.error("Reading the bucket failed", e.to_string());
                None
            }
        }
    }
}
