//! `influxdb_secret`: one secret of an organization of InfluxDB OSS v2 / Cloud Serverless
//! (what a task reads with `secrets.get(key: "...")`), through `/api/v2/orgs/{id}/secrets`.
//!
//! The value is a write-only attribute (Terraform 1.11 or later): sent with `PATCH
//! /orgs/{id}/secrets` `{"KEY": "value"}` when the secret is created and whenever
//! `value_wo_version` changes, never stored in the plan or the state. The server lists keys
//! only, so the one drift it can show is a key deleted outside Terraform, which the next apply
//! creates again. A create refuses a key that already exists (import it instead), so that
//! destroying never deletes a secret Terraform did not make; a destroy deletes only this key
//! (`DELETE /orgs/{id}/secrets/{key}`, which InfluxDB 2.7 serves beside the deprecated `POST
//! /secrets/delete`).

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{validate_v2_id, V2Api, V2Client, V2Error};
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, Resource, Schema, Type,
};
use crate::influxdb::http::{gone_is_ok, item, segment};

pub struct SecretResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct SecretState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub key: Option<String>,
    /// Only ever set in what the engine hands to create and update (from the configuration).
    pub value_wo: Option<String>,
    pub value_wo_version: Option<i64>,
}

#[derive(Deserialize)]
struct SecretKeys {
    #[serde(default)]
    secrets: Vec<String>,
}

fn secrets_path(org_id: &str) -> String {
    format!("{}/secrets", item("/orgs", org_id))
}

impl V2Client {
    /// The keys of an organization's secrets (the API never shows values).
    pub async fn secret_keys(&self, org_id: &str) -> Result<Vec<String>, V2Error> {
        let keys: SecretKeys = self.core.get(&secrets_path(org_id)).await?;
        Ok(keys.secrets)
    }

    /// Adds or replaces secrets (`PATCH`, 204; repeating it is harmless). The values are
    /// registered for redaction.
    pub async fn patch_secrets(
        &self,
        org_id: &str,
        values: &BTreeMap<&str, &str>,
    ) -> Result<(), V2Error> {
        for v in values.values() {
            crate::log::redact(v);
        }
        self.core
            .send_empty(reqwest::Method::PATCH, &secrets_path(org_id), Some(values))
            .await
    }

    pub async fn delete_secret(&self, org_id: &str, key: &str) -> Result<(), V2Error> {
        self.core
            .delete(&format!("{}/{}", secrets_path(org_id), segment(key)))
            .await
    }
}

impl SecretResource {
    /// Sends the value; an error names `value_wo` and never the value.
    async fn send_value(
        api: &V2Api,
        org_id: &str,
        key: &str,
        value: &str,
        diags: &mut Diagnostics,
    ) -> bool {
        match api
            .client
            .patch_secrets(org_id, &BTreeMap::from([(key, value)]))
            .await
        {
            Ok(()) => true,
            Err(e) => {
                diags.attribute_error(
                    AttributePath::root("value_wo"),
                    "Setting the secret failed",
                    format!("{e}\n\nThe secret {key:?} of organization {org_id} was not set. Run terraform apply again."),
                );
                false
            }
        }
    }
}

fn state(org_id: &str, key: &str, version: Option<i64>) -> SecretState {
    SecretState {
        id: Some(format!("{org_id}/{key}")),
        org_id: Some(org_id.to_owned()),
        key: Some(key.to_owned()),
        value_wo: None,
        value_wo_version: version,
    }
}

#[async_trait]
impl Resource for SecretResource {
    type Client = V2Api;
    type State = SecretState;

    fn type_name(&self) -> &'static str {
        "influxdb_secret"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A secret of an organization of InfluxDB OSS v2 or Cloud Serverless, which tasks read with `secrets.get(key: \"...\")`. Its value is a write-only argument, never stored in the plan or the state. Destroying the resource deletes this key only. Needs Terraform 1.11.0 or later.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("`ORG_ID/KEY`, the import ID.")
                    .use_state_for_unknown(),
                Attribute::optional_computed("org_id", Type::String)
                    .describe("The organization's ID (16 hexadecimal digits). Unset: the provider's `org` or `org_id`. A change replaces the secret (deleting the old key).")
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::required("key", Type::String)
                    .describe("The secret's key, unique in its organization. A change replaces the secret (deleting the old key).")
                    .validate_str("Invalid key", validators::not_empty)
                    .requires_replace(),
                Attribute::required("value_wo", Type::String)
                    .describe("The secret's value. Write-only: sent to InfluxDB when the secret is created and whenever `value_wo_version` changes, never stored in the plan or the state.")
                    .sensitive()
                    .write_only(),
                Attribute::optional("value_wo_version", Type::Number)
                    .describe("Change it (for example increment it) to send `value_wo` again: Terraform cannot compare a value it never stores."),
            ],
        )
        .requires_terraform("1.11.0", "has no write-only attributes, which `value_wo` is (so that the secret's value is never stored in the state)")
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "`ORG_ID/KEY`: the organization's ID and the secret's key.",
        )]))
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: SecretState,
        diags: &mut Diagnostics,
    ) -> Option<SecretState> {
        let org_id = api
            .org_id(planned.org_id.as_deref(), "org_id", diags)
            .await?;
        let key = planned.key.clone().unwrap_or_default();
        // A key that exists is someone else's: never overwrite it (nor delete it later).
        match api.client.secret_keys(&org_id).await {
            Ok(keys) if keys.contains(&key) => {
                diags.attribute_error(
                    AttributePath::root("key"),
                    "Secret already exists",
                    format!("Organization {org_id} already has a secret {key:?}; it was not changed. To manage it with Terraform, import it: terraform import ADDRESS {org_id}/{key}"),
                );
                return None;
            }
            Ok(_) => {}
            Err(e) => {
                diags.error("Reading the organization's secrets failed", e.to_string());
                return None;
            }
        }
        let value = planned.value_wo.as_deref().unwrap_or_default();
        Self::send_value(api, &org_id, &key, value, diags)
            .await
            .then(|| state(&org_id, &key, planned.value_wo_version))
    }

    async fn read(
        &self,
        api: &V2Api,
        current: SecretState,
        diags: &mut Diagnostics,
    ) -> Option<SecretState> {
        let org_id = current.org_id.clone().unwrap_or_default();
        let key = current.key.clone().unwrap_or_default();
        match api.client.secret_keys(&org_id).await {
            Ok(keys) if keys.contains(&key) => Some(state(&org_id, &key, current.value_wo_version)),
            Ok(_) => {
                diags.warning(
                    "Secret deleted outside Terraform",
                    format!("Organization {org_id} no longer has the secret {key:?}. It is removed from the state and the next apply creates it again."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the secret failed", e.to_string());
                None
            }
        }
    }

    /// Only `value_wo_version` changes in place (anything else replaces).
    async fn update(
        &self,
        api: &V2Api,
        prior: SecretState,
        planned: SecretState,
        diags: &mut Diagnostics,
    ) -> Option<SecretState> {
        let org_id = prior.org_id.clone().unwrap_or_default();
        let key = prior.key.clone().unwrap_or_default();
        if planned.value_wo_version != prior.value_wo_version {
            if let Some(value) = &planned.value_wo {
                if !Self::send_value(api, &org_id, &key, value, diags).await {
                    // The old version stays in the state, so the next apply tries again.
                    return Some(SecretState {
                        value_wo: None,
                        ..prior
                    });
                }
            }
        }
        Some(state(&org_id, &key, planned.value_wo_version))
    }

    async fn delete(&self, api: &V2Api, prior: SecretState, diags: &mut Diagnostics) {
        let org_id = prior.org_id.unwrap_or_default();
        let key = prior.key.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_secret(&org_id, &key).await) {
            diags.error("Deleting the secret failed", e.to_string());
        }
    }

    /// As `ORG_ID/KEY`; the value is not known, so the next apply sends the configured one
    /// when `value_wo_version` is set.
    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<SecretState> {
        let Some((org_id, key)) = id
            .split_once('/')
            .filter(|(o, k)| validate_v2_id(o).is_ok() && !k.is_empty())
        else {
            diags.error("Invalid import ID", format!("A secret is imported as ORG_ID/KEY (the organization's 16-hexadecimal-digit ID, a slash, the key); {id:?} is not."));
            return None;
        };
        match api.client.secret_keys(org_id).await {
            Ok(keys) if keys.iter().any(|k| k == key) => Some(state(org_id, key, None)),
            Ok(_) => None,
            Err(e) => {
                diags.error("Importing the secret failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules_and_needs_1_11() {
        let s = SecretResource.schema();
        s.check().unwrap();
        assert!(s.terraform_too_old("1.10.5").is_some());
        assert!(s.terraform_too_old("1.11.0").is_none());
        assert!(s.attribute("value_wo").unwrap().write_only);
    }
}
