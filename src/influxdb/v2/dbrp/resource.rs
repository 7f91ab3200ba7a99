//! `influxdb_dbrp_mapping`: a DBRP mapping of InfluxDB OSS v2 or Cloud Serverless, through
//! `/api/v2/dbrps`.
//!
//! - `retention_policy` and `default` change in place (PATCH, same ID); `database`,
//!   `bucket_id` and `org_id` replace the mapping (the server keeps them as created).
//! - `default` follows the server's default rule as [`super`] describes: only `true` is
//!   enforced; the server's own choices are `is_default`, never a diff.
//! - A lost create answer adopts the mapping the server made (database and retention policy
//!   are unique in an organization); a mapping that already exists is an error naming its
//!   import ID.
//! - Refreshes read from one list per organization per provider process
//!   ([`crate::influxdb::v2::snapshots`]).

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, Resource, Schema, Type,
};
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::v2::client_influxql::DbrpFilter;
use crate::influxdb::v2::models_influxql::{CreateDbrp, UpdateDbrp};
use crate::influxdb::v2::{validate_v2_id, V2Api, V2Client};

pub struct DbrpMappingResource;

/// The page's account of the default rule, shared with the docs.
const DEFAULT_DOC: &str = "Whether this mapping must be its database's default (the one InfluxQL uses when a query names no retention policy). `true`: it is made the default, taking it over from another mapping of the database (the server allows one default per database, so set `true` on one mapping per database at most); a default taken away outside Terraform is shown and put back. `false` (the default): Terraform leaves the choice to the server, which still makes the first mapping of a database its default, and moves the default to another mapping when the default one is deleted or un-defaulted; that is never a diff (see `is_default`). Changing it from `true` to `false` hands the default to another mapping of the database, if there is one. Updated in place.";

impl DbrpMappingResource {
    /// The mapping the server made for `body` when the create answer was lost: the same
    /// database and retention policy in the organization (unique there), on the same bucket.
    async fn find_created(client: &V2Client, body: &CreateDbrp) -> Option<Dbrp> {
        let f = DbrpFilter {
            database: Some(body.database.clone()),
            retention_policy: Some(body.retention_policy.clone()),
            ..Default::default()
        };
        crate::influxdb::http::cleanup(async {
            client
                .list_dbrps(&body.org_id, &f)
                .await
                .ok()
                .and_then(|l| {
                    l.into_iter()
                        .find(|d| !d.is_virtual && d.bucket_id == body.bucket_id)
                })
        })
        .await
    }

    /// The import ID of the mapping that holds `database`/`retention_policy` in `org_id`.
    async fn taken_by(client: &V2Client, body: &CreateDbrp) -> Option<String> {
        let f = DbrpFilter {
            database: Some(body.database.clone()),
            retention_policy: Some(body.retention_policy.clone()),
            ..Default::default()
        };
        let list = client.list_dbrps(&body.org_id, &f).await.ok()?;
        list.into_iter()
            .find(|d| !d.is_virtual)
            .map(|d| format!("{}/{}", d.org_id, d.id))
    }
}

#[async_trait]
impl Resource for DbrpMappingResource {
    type Client = V2Api;
    type State = DbrpState;

    fn type_name(&self) -> &'static str {
        "influxdb_dbrp_mapping"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A DBRP mapping of InfluxDB OSS v2 or Cloud Serverless: an InfluxQL database and retention policy mapped to a bucket, so that 1.x clients (Grafana's InfluxQL data source, Telegraf's `influxdb` output, 1.x client libraries) read and write the bucket. Destroying the resource deletes the mapping, never the bucket or its data.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The mapping's ID.")
                    .use_state_for_unknown(),
                Attribute::optional_computed("org_id", Type::String)
                    .describe("The organization's ID (16 hexadecimal digits). Unset: the provider's `org` or `org_id`. A change replaces the mapping.")
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::required("bucket_id", Type::String)
                    .describe("The ID of the bucket the database and retention policy stand for. A change replaces the mapping.")
                    .validate_str("Invalid bucket_id", validate_v2_id)
                    .requires_replace(),
                Attribute::required("database", Type::String)
                    .describe("The InfluxQL database name clients use (`db=`). A change replaces the mapping.")
                    .validate_str("Invalid database", validate_name)
                    .requires_replace(),
                Attribute::optional_computed("retention_policy", Type::String)
                    .describe("The InfluxQL retention policy name clients use (`rp=`). Default `\"autogen\"`, the name 1.x clients use when they name none. Unique with `database` in the organization. Updated in place.")
                    .validate_str("Invalid retention_policy", validate_name)
                    .default("autogen"),
                Attribute::optional_computed("default", Type::Bool)
                    .describe(DEFAULT_DOC)
                    .default(false),
                Attribute::computed("is_default", Type::Bool)
                    .describe("Whether the server says this mapping is its database's default now, by the configuration's choice or by its own rule."),
                Attribute::computed("virtual", Type::Bool)
                    .describe("Always `false` here: virtual mappings are the ones the server makes itself for each bucket (database = the bucket's name), which are not managed.")
                    .use_state_for_unknown(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("org_id", "The organization's ID."),
            IdentityAttribute::required("id", "The mapping's ID."),
        ]))
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: DbrpState,
        diags: &mut Diagnostics,
    ) -> Option<DbrpState> {
        let org_id = api
            .org_id(planned.org_id.as_deref(), "org_id", diags)
            .await?;
        let asked = planned.default == Some(true);
        let body = CreateDbrp {
            org_id,
            bucket_id: planned.bucket_id.clone().unwrap_or_default(),
            database: planned.database.clone().unwrap_or_default(),
            retention_policy: planned
                .retention_policy
                .clone()
                .unwrap_or_else(|| "autogen".into()),
            default: asked,
        };
        let client = &api.client;
        match client.create_dbrp(&body).await {
            Ok(d) => Some(state_from(d, asked)),
            Err(e) if e.may_have_been_created() => match Self::find_created(client, &body).await {
                Some(d) => Some(state_from(d, asked)),
                None => {
                    diags.error(
                        "Creating the DBRP mapping failed",
                        format!("{e}\n\nNo mapping of database {:?} and retention policy {:?} exists; run terraform apply again.", body.database, body.retention_policy),
                    );
                    None
                }
            },
            Err(e) if e.error.status() == Some(422) => {
                let import = Self::taken_by(client, &body)
                    .await
                    .map(|id| format!(" To manage it with Terraform, import it: terraform import ADDRESS {id}"))
                    .unwrap_or_default();
                diags.attribute_error(
                    AttributePath::root("retention_policy"),
                    "DBRP mapping already exists",
                    format!("{}\n\nThe organization already maps database {:?} with retention policy {:?}.{import}", e.error, body.database, body.retention_policy),
                );
                None
            }
            Err(e) if e.error.is_not_found() => {
                diags.attribute_error(
                    AttributePath::root("bucket_id"),
                    "Bucket not found",
                    format!(
                        "{}\n\nThere is no bucket {} visible to the provider's token.",
                        e.error, body.bucket_id
                    ),
                );
                None
            }
            Err(e) => {
                diags.error("Creating the DBRP mapping failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        api: &V2Api,
        current: DbrpState,
        diags: &mut Diagnostics,
    ) -> Option<DbrpState> {
        let id = current.id.clone().unwrap_or_default();
        let org_id = current.org_id.clone().unwrap_or_default();
        match api.client.read_dbrp(&org_id, &id).await {
            Ok(d) => Some(state_from(d, current.default == Some(true))),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "DBRP mapping deleted outside Terraform",
                    format!("The mapping of database {:?} and retention policy {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again.", current.database.as_deref().unwrap_or(""), current.retention_policy.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the DBRP mapping failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: DbrpState,
        planned: DbrpState,
        diags: &mut Diagnostics,
    ) -> Option<DbrpState> {
        let id = prior.id.clone().unwrap_or_default();
        let org_id = prior.org_id.clone().unwrap_or_default();
        let asked = planned.default == Some(true);
        let body = UpdateDbrp {
            retention_policy: (planned.retention_policy != prior.retention_policy)
                .then(|| planned.retention_policy.clone())
                .flatten(),
            default: (planned.default != prior.default).then_some(asked),
        };
        if body.retention_policy.is_none() && body.default.is_none() {
            return Some(prior);
        }
        let client = &api.client;
        if let Err(e) = client.update_dbrp(&org_id, &id, &body).await {
            if e.status() == Some(422) {
                diags.attribute_error(
                    AttributePath::root("retention_policy"),
                    "DBRP mapping already exists",
                    format!("{e}\n\nAnother mapping of database {:?} already has retention policy {:?}.", prior.database.as_deref().unwrap_or(""), planned.retention_policy.as_deref().unwrap_or("")),
                );
            } else {
                diags.error("Updating the DBRP mapping failed", e.to_string());
            }
            return None;
        }
        // The PATCH answer's `default` is what was asked, not always what the server did:
        // read it back.
        match client.get_dbrp(&org_id, &id).await {
            Ok(d) => Some(state_from(d, asked)),
            Err(e) => {
                diags.error(
                    "Reading the DBRP mapping after its update failed",
                    e.to_string(),
                );
                None
            }
        }
    }

    async fn delete(&self, api: &V2Api, prior: DbrpState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        let org_id = prior.org_id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_dbrp(&org_id, &id).await) {
            diags.error("Deleting the DBRP mapping failed", e.to_string());
        }
    }

    /// `ORG_ID/ID`. `default` is imported as `false`: a configuration with `default = true`
    /// then shows one in-place update, which changes nothing on a mapping that is already the
    /// default.
    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<DbrpState> {
        // `ORG_ID,ID` when it comes from an import identity.
        let Some((org_id, dbrp_id)) = id
            .split_once(['/', ','])
            .filter(|(o, i)| validate_v2_id(o).is_ok() && validate_v2_id(i).is_ok())
        else {
            diags.error(
                "Invalid import ID",
                format!("A DBRP mapping is imported as ORG_ID/ID (two IDs of 16 hexadecimal digits, e.g. from `influx v1 dbrp list`); {id:?} is not."),
            );
            return None;
        };
        match api.client.get_dbrp(org_id, dbrp_id).await {
            Ok(d) if d.is_virtual => {
                diags.error(
                    "Virtual DBRP mappings cannot be imported",
                    format!("{id} is the virtual mapping the server makes itself for bucket {} (database {:?}); it is not managed. To map that bucket otherwise, create an influxdb_dbrp_mapping.", d.bucket_id, d.database),
                );
                None
            }
            Ok(d) => Some(state_from(d, false)),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the DBRP mapping failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules() {
        DbrpMappingResource.schema().check().unwrap();
    }
}
