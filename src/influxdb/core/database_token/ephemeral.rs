//! Ephemeral `influxdb_database_token` on InfluxDB 3 Enterprise (Terraform >= 1.10): a resource
//! token made for one Terraform run, configured as on Cloud Dedicated (`description`,
//! `permissions`, `ttl`). Open creates it with `expiry_secs` = `ttl`; Close deletes it by name
//! (a token already gone is fine). The token's name is the `description` with a unique suffix,
//! because names are unique on the server and two runs may overlap. If Terraform never calls
//! Close, the token still expires after `ttl`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::resource::permission_type;
use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{EphemeralResource, Opened, OrError, Schema, Type};
use crate::influxdb::core::admin_token::delete_orphan;
use crate::influxdb::core::edition;
use crate::influxdb::core::models::CreateResourceToken;
use crate::influxdb::core::CoreClient;
use crate::influxdb::database_token;
use crate::influxdb::duration::parse_duration;
use crate::influxdb::http::gone_is_ok;

pub struct EphemeralDatabaseToken;

/// The model every family's ephemeral database token has, with this family's permissions.
pub type EphemeralTokenModel = database_token::EphemeralTokenModel<Permission>;

/// What Close needs: the token to delete, by name.
#[derive(Serialize, Deserialize)]
pub struct TokenToDelete {
    pub name: String,
}

fn validate_ttl(s: &str) -> Result<(), String> {
    match parse_duration(s) {
        Ok(ns) if ns < 1_000_000_000 => Err(format!(
            "ttl = {s:?} is shorter than a second; use a duration such as \"30m\" or \"1h\"."
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("ttl = {s:?} is not a valid duration. {e}")),
    }
}

#[async_trait]
impl EphemeralResource for EphemeralDatabaseToken {
    type Client = CoreClient;
    type Model = EphemeralTokenModel;
    type Private = TokenToDelete;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A short-lived resource token of InfluxDB 3 Enterprise for one Terraform run (Terraform 1.10 or later), deleted when Terraform closes it; never written to the state or the plan file. Its name on the server is the `description` followed by a unique suffix. On Core it fails, naming Enterprise.",
            vec![
                Attribute::required("description", Type::String)
                    .describe("What the token is for: the start of its name on the server.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::required("permissions", Type::set(permission_type()))
                    .describe("The token's permissions, as for the `influxdb_database_token` resource (database names, `\"*\"`, or `\"system:NAME\"` to read).")
                    .validate(validate_permissions),
                Attribute::required("ttl", Type::String)
                    .describe("How long the token lives, a duration such as `\"30m\"` or `\"1h\"` (at least one second), even if Terraform never closes it.")
                    .validate_str("Invalid ttl", validate_ttl),
                Attribute::computed("id", Type::String).describe("The token's id on the server."),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string. Ephemeral: never stored.")
                    .sensitive(),
                Attribute::computed("expires_at", Type::String)
                    .describe("When the token expires (RFC 3339, UTC)."),
            ],
        )
    }

    async fn open(
        &self,
        client: &CoreClient,
        config: EphemeralTokenModel,
        diags: &mut Diagnostics,
    ) -> Option<Opened<EphemeralTokenModel, TokenToDelete>> {
        let summary = "Creating the ephemeral database token failed";
        edition::enterprise(client, TYPE, summary, diags).await?;
        // The shared schema's validators are every product's; Enterprise's own rules here.
        for p in config.permissions.iter().flatten() {
            if let Err(e) = validate_permission(&p.action, &p.resource) {
                diags.attribute_error(AttributePath::root("permissions"), "Invalid permission", e);
                return None;
            }
        }
        let ttl = config.ttl.as_deref().unwrap_or_default();
        let ns = parse_duration(ttl).or_attribute_error(diags, "ttl", "Invalid ttl")?;
        let suffix = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let name = format!(
            "{} (ephemeral {suffix:x})",
            config.description.as_deref().unwrap_or_default()
        );
        let body = CreateResourceToken {
            token_name: name.clone(),
            permissions: to_api(config.permissions.as_deref().unwrap_or_default()),
            expiry_secs: Some(((ns + 999_999_999) / 1_000_000_000) as u64),
        };
        match client.create_resource_token(&body).await {
            Ok(t) => Some(Opened {
                result: EphemeralTokenModel {
                    id: Some(t.id.to_string()),
                    access_token: t.token.clone(),
                    expires_at: t.expiry.as_deref().map(utc),
                    ..config
                },
                private: TokenToDelete { name },
            }),
            Err(e) if e.may_have_been_created() => {
                // The name is new (its suffix is this call's), so a token of that name is the
                // one this call made.
                let cleanup = delete_orphan(client, &name).await;
                diags.error(summary, format!("{e}\n\n{cleanup}"));
                None
            }
            Err(e) => Err(e).or_error(diags, summary),
        }
    }

    async fn close(&self, client: &CoreClient, private: TokenToDelete, diags: &mut Diagnostics) {
        if let Err(e) = gone_is_ok(client.delete_token(&private.name).await) {
            diags.error(
                "Deleting the ephemeral database token failed",
                format!(
                    "{e}\n\nToken {:?} stays usable until it expires. Delete it by hand: influxdb3 delete token --token-name {:?}",
                    private.name, private.name
                ),
            );
        }
    }
}
