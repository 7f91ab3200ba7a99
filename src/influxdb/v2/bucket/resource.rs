//! `influxdb_bucket`: a bucket of InfluxDB OSS v2 or Cloud Serverless, through
//! `/api/v2/buckets`.
//!
//! - `name`, `description` and `retention_period` change in place (one PATCH, same ID);
//!   `org_id` and `schema_type` replace the bucket (the API cannot move or retype one).
//! - `retention_period` unset means keep forever, and a retention changed outside is restored.
//! - `shard_group_duration` unset is the server's choice, kept as it is while the retention
//!   stays (never a false diff); when the retention changes it is planned unknown and sent as
//!   OSS's rule computes it, so the PATCH is never refused for a shard group longer than the
//!   new retention.
//! - `schema_type` on a server that says it is InfluxDB OSS (`GET /ping`, asked once per
//!   provider process, and only for a planned create or replacement that sets it) fails at
//!   plan; a server that does not say gets the request, and the create undoes a bucket the
//!   server made without the schema type.
//! - `deletion_protection` lives in the state, as for `influxdb_database`: any plan that would
//!   delete or replace the bucket fails, naming it, before anything is written.
//! - Refreshes read from one paginated listing per provider process ([`super::super::snapshots`]).

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema,
    Type, Value,
};
use crate::influxdb::duration::same_duration;
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::v2::models::{CreateBucket, UpdateBucket};
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct BucketResource;

fn secs(v: &Option<String>, attribute: &str) -> Option<i64> {
    v.as_deref().and_then(|s| seconds(s, attribute).ok())
}

#[async_trait]
impl Resource for BucketResource {
    type Client = V2Api;
    type State = BucketState;

    fn type_name(&self) -> &'static str {
        "influxdb_bucket"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A bucket of InfluxDB OSS v2 or Cloud Serverless. Destroying the resource deletes the bucket and its data; `deletion_protection` prevents that. A token scoped to the bucket (`resource = { type = \"buckets\", id = influxdb_bucket.b.id }`) stops granting anything once the bucket is deleted.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The bucket's ID.")
                    .use_state_for_unknown(),
                Attribute::optional_computed("org_id", Type::String)
                    .describe(&format!("{} Unset: the provider's `org` or `org_id`. A change replaces the bucket (deleting its data).", doc::ORG_ID))
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::required("name", Type::String)
                    .describe(&format!("{} A change renames the bucket in place: same ID, data kept.", doc::NAME))
                    .validate_str("Invalid bucket name", validate_name),
                Attribute::optional("description", Type::String)
                    .describe("What the bucket is for. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::optional_computed("retention_period", Type::String)
                    .describe(&format!("{} Unset: keep forever (`\"0s\"`). Compared by value (`\"30d\"` = `\"720h\"`). Updated in place; a retention changed outside Terraform is restored.", doc::RETENTION))
                    .validate_str("Invalid retention_period", check_retention)
                    .semantic_equality(same_duration)
                    .default("0s"),
                Attribute::optional_computed("shard_group_duration", Type::String)
                    .describe(&format!("{} Unset: the server's choice (on OSS 7 days for an infinite retention or one of 180 days or more, 1 day for 2 days or more, else 1 hour), which never shows as a change; when `retention_period` changes it is known after apply. At least one hour. Updated in place.", doc::SHARD_GROUP))
                    .validate_str("Invalid shard_group_duration", check_shard_group)
                    .semantic_equality(same_duration)
                    .use_state_for_unknown(),
                Attribute::optional("schema_type", Type::String)
                    .describe(&format!("{} A change replaces the bucket. Setting it on InfluxDB OSS fails at plan (the provider asks the server which product it is, `GET /ping`); on a server that does not say, at apply, and nothing is left behind.", doc::SCHEMA_TYPE))
                    .validate_str("Invalid schema_type", validators::one_of(&["implicit", "explicit"]))
                    .requires_replace(),
                Attribute::optional_computed("deletion_protection", Type::Bool)
                    .describe("While `true`, any plan that would delete the bucket or replace it (which deletes its data) fails, naming the bucket. Kept in the state, so it also guards a bucket whose block was removed. Set it to `false` and apply before destroying. Default `false`; changing it makes no API call.")
                    .default(false),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The bucket's ID (16 hexadecimal digits).",
        )]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        if change.is_create() {
            return;
        }
        // The retention changes and the shard group is the server's choice: the server's
        // new value is known after apply.
        let retention_changes = !same_duration(
            change.prior.attr("retention_period"),
            change.planned.attr("retention_period"),
        );
        if retention_changes && change.config.attr("shard_group_duration").is_null() {
            change
                .planned
                .set_attr("shard_group_duration", Value::Unknown);
        }
    }

    /// OSS has no schema types: it would create the bucket without one. Known at plan when
    /// the server says it is OSS; otherwise the create checks the answer.
    async fn check_server(&self, api: &V2Api, planned: &Value, diags: &mut Diagnostics) {
        let Some(schema_type) = planned.attr("schema_type").as_str() else {
            return;
        };
        if api.server_is_oss().await {
            diags.attribute_error(
                AttributePath::root("schema_type"),
                "schema_type is not supported by InfluxDB OSS",
                format!("schema_type = {schema_type:?} is set, but the server is InfluxDB OSS (its /ping answers X-Influxdb-Build: oss), whose buckets have no schema type; only InfluxDB Cloud has them. Remove schema_type. Nothing was created."),
            );
        }
    }

    fn guard_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        if prior.attr("deletion_protection") != &Value::Bool(true) {
            return;
        }
        let name = prior.attr("name").as_str().unwrap_or_default();
        diags.error(
            "Bucket is protected against deletion",
            format!("The bucket {name:?} has deletion_protection = true, so it is neither deleted nor replaced (a replacement deletes its data too), and nothing was changed.\n\nTo delete it, first set deletion_protection = false (in a configuration that still declares the bucket) and apply, then destroy it or apply the change again. To stop managing it without deleting it, remove it from the state instead: terraform state rm ADDRESS."),
        );
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: BucketState,
        diags: &mut Diagnostics,
    ) -> Option<BucketState> {
        let org_id = api
            .org_id(planned.org_id.as_deref(), "org_id", diags)
            .await?;
        let name = planned.name.clone().unwrap_or_default();
        let body = CreateBucket {
            org_id: org_id.clone(),
            name: name.clone(),
            description: planned.description.clone(),
            retention_rules: vec![RetentionRule {
                kind: "expire".into(),
                every_seconds: secs(&planned.retention_period, "retention_period").unwrap_or(0),
                shard_group_duration_seconds: secs(
                    &planned.shard_group_duration,
                    "shard_group_duration",
                ),
            }],
            schema_type: planned.schema_type.clone(),
        };
        let client = &api.client;
        let created = match client.create_bucket(&body).await {
            Ok(b) => b,
            // The outcome is unknown: the name is unique in the org, so look it up.
            Err(e) if e.may_have_been_created() => match client.find_bucket(&org_id, &name).await {
                Ok(Some(b)) => b,
                _ => {
                    diags.error("Creating the bucket failed", format!("{e}\n\nNo bucket named {name:?} exists in the organization; run terraform apply again."));
                    return None;
                }
            },
            Err(e) if e.error.status() == Some(422) && e.to_string().contains("already exists") => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Bucket already exists",
                    format!("{}\n\nA bucket named {name:?} already exists in organization {org_id}. To manage it with Terraform, import it: terraform import ADDRESS {org_id}/{name}", e.error),
                );
                return None;
            }
            Err(e) => {
                diags.error("Creating the bucket failed", e.to_string());
                return None;
            }
        };
        if planned.schema_type.is_some() && created.schema_type.is_none() {
            // InfluxDB OSS ignores the schema type: undo, rather than record what is not so.
            let undo = gone_is_ok(client.delete_bucket(&created.id).await);
            diags.attribute_error(
                AttributePath::root("schema_type"),
                "schema_type is not supported by this server",
                format!("The server created the bucket without a schema type (InfluxDB OSS has none; only InfluxDB Cloud does), so it was deleted again{}. Remove schema_type.", undo.err().map(|e| format!(" (which failed: {e}; delete bucket {} by hand)", created.id)).unwrap_or_default()),
            );
            return None;
        }
        Some(with_protection(state_from(created), &planned, &planned))
    }

    async fn read(
        &self,
        api: &V2Api,
        current: BucketState,
        diags: &mut Diagnostics,
    ) -> Option<BucketState> {
        let id = current.id.clone().unwrap_or_default();
        match api.client.read_bucket(&id).await {
            Ok(b) => Some(with_protection(state_from(b), &current, &current)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Bucket deleted outside Terraform",
                    format!("The bucket {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again (empty, with a new ID).", current.name.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the bucket failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: BucketState,
        planned: BucketState,
        diags: &mut Diagnostics,
    ) -> Option<BucketState> {
        let id = prior.id.clone().unwrap_or_default();
        let every = secs(&planned.retention_period, "retention_period").unwrap_or(0);
        let sgd = secs(&planned.shard_group_duration, "shard_group_duration");
        let retention_changes = every
            != secs(&prior.retention_period, "retention_period").unwrap_or(0)
            || (sgd.is_some() && sgd != secs(&prior.shard_group_duration, "shard_group_duration"));
        let body = UpdateBucket {
            name: (planned.name != prior.name).then(|| planned.name.clone().unwrap_or_default()),
            description: (planned.description != prior.description)
                .then(|| planned.description.clone().unwrap_or_default()),
            // Always with the shard group: a PATCH stores it as sent.
            retention_rules: retention_changes.then(|| {
                vec![RetentionRule {
                    kind: "expire".into(),
                    every_seconds: every,
                    shard_group_duration_seconds: Some(
                        sgd.unwrap_or_else(|| default_shard_group(every)),
                    ),
                }]
            }),
        };
        if body == UpdateBucket::default() {
            // Only the state's own settings (deletion_protection) or spellings changed.
            return Some(BucketState {
                deletion_protection: planned.deletion_protection,
                retention_period: planned.retention_period.or(prior.retention_period.clone()),
                shard_group_duration: planned
                    .shard_group_duration
                    .or(prior.shard_group_duration.clone()),
                ..prior
            });
        }
        match api.client.update_bucket(&id, &body).await {
            Ok(b) => Some(with_protection(state_from(b), &planned, &planned)),
            Err(e) => {
                diags.error("Updating the bucket failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, api: &V2Api, prior: BucketState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_bucket(&id).await) {
            diags.error("Deleting the bucket failed", e.to_string());
        }
    }

    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<BucketState> {
        let client = &api.client;
        let found = match id.split_once('/') {
            Some((org_id, name)) if validate_v2_id(org_id).is_ok() && !name.is_empty() => {
                client.find_bucket(org_id, name).await
            }
            None if validate_v2_id(id).is_ok() => match client.get_bucket(id).await {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e),
            },
            _ => {
                diags.error("Invalid import ID", format!("A bucket is imported by its ID (16 hexadecimal digits) or as ORG_ID/NAME; {id:?} is neither."));
                return None;
            }
        };
        match found {
            Ok(Some(b)) if b.kind.as_deref() == Some("system") => {
                diags.error(
                    "System buckets cannot be imported",
                    format!(
                        "{:?} is a system bucket, which InfluxDB manages itself.",
                        b.name
                    ),
                );
                None
            }
            Ok(Some(b)) => Some(BucketState {
                deletion_protection: Some(false),
                kind: None,
                ..state_from(b)
            }),
            Ok(None) => None,
            Err(e) => {
                diags.error("Importing the bucket failed", e.to_string());
                None
            }
        }
    }
}

/// A state from the API, with what only the state holds (`deletion_protection`), and the
/// configured spellings of equal durations.
fn with_protection(
    mut s: BucketState,
    settings: &BucketState,
    spelled: &BucketState,
) -> BucketState {
    s.deletion_protection = Some(settings.deletion_protection.unwrap_or(false));
    s.kind = None;
    let keep = |mine: &Option<String>, theirs: &Option<String>| match (mine, theirs) {
        (Some(a), Some(b)) if same_duration(&Value::from(a.as_str()), &Value::from(b.as_str())) => {
            Some(a.clone())
        }
        _ => theirs.clone(),
    };
    s.retention_period = keep(&spelled.retention_period, &s.retention_period);
    s.shard_group_duration = keep(&spelled.shard_group_duration, &s.shard_group_duration);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::empty_object(&BucketResource.schema().ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    fn existing() -> Value {
        obj(&[
            ("id", "00000000000000b1".into()),
            ("org_id", "00000000000000a1".into()),
            ("name", "b".into()),
            ("retention_period", "30d".into()),
            ("shard_group_duration", "1d".into()),
            ("deletion_protection", false.into()),
        ])
    }

    fn run(prior: &Value, config: &Value) -> crate::engine::server::PlanOutcome {
        let mut d = Diagnostics::default();
        let out = plan(
            &BucketResource.schema(),
            prior,
            config,
            |c, d| BucketResource.modify_plan(c, d),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        out
    }

    #[test]
    fn the_schema_follows_terraforms_rules() {
        BucketResource.schema().check().unwrap();
    }

    #[test]
    fn an_unset_shard_group_never_diffs_and_follows_a_retention_change() {
        let prior = existing();
        let out = run(
            &prior,
            &obj(&[("name", "b".into()), ("retention_period", "720h".into())]),
        );
        assert_eq!(out.planned, prior);
        let out = run(
            &prior,
            &obj(&[("name", "b".into()), ("retention_period", "7d".into())]),
        );
        assert_eq!(out.planned.attr("shard_group_duration"), &Value::Unknown);
        assert!(out.requires_replace.is_empty());
        let out = run(
            &prior,
            &obj(&[("name", "c".into()), ("retention_period", "30d".into())]),
        );
        assert_eq!(out.planned.attr("shard_group_duration"), &Value::from("1d"));
        assert_eq!(
            out.planned.attr("id"),
            prior.attr("id"),
            "a rename keeps the ID"
        );
    }

    #[test]
    fn an_unset_retention_is_forever_and_protection_guards_destroys() {
        let out = run(&Value::Null, &obj(&[("name", "b".into())]));
        assert_eq!(out.planned.attr("retention_period"), &Value::from("0s"));
        assert_eq!(out.planned.attr("deletion_protection"), &Value::Bool(false));
        let mut p = existing();
        p.set_attr("deletion_protection", true.into());
        let mut d = Diagnostics::default();
        BucketResource.guard_destroy(&p, &mut d);
        assert!(d.has_errors());
    }
}
