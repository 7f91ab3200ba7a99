//! Ephemeral `influxdb_database_token` (Terraform >= 1.10): a short-lived database token made
//! for one Terraform run, for CI jobs and for feeding other providers a credential that never
//! lands in state or plan files.
//!
//! Open creates a token that expires `ttl` from now; Close revokes it (a token already gone or
//! revoked is fine). If Terraform never calls Close (the process is killed), the token still
//! expires at `expires_at`: that is the safety net, which is why `ttl` is required and should
//! be short.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{Diagnostics, EphemeralResource, Opened, Schema, Type};
use crate::influxdb::database_token;
use crate::influxdb::duration::parse_duration;
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::management::models::{CreateDatabaseToken, Permission};
use crate::influxdb::management::ManagementClient;
use crate::influxdb::timestamp;

pub struct EphemeralDatabaseToken;

/// The model every family's ephemeral database token has, with this family's permissions.
pub type EphemeralTokenModel = database_token::EphemeralTokenModel<Permission>;

/// What Close needs: the token to revoke.
#[derive(Serialize, Deserialize)]
pub struct TokenToRevoke {
    pub id: String,
}

/// A lifetime: a positive duration such as `"1h"` or `"30m"`.
pub fn validate_ttl(s: &str) -> Result<(), String> {
    match parse_duration(s) {
        Ok(0) => Err(format!(
            "ttl = {s:?} is zero; the token would expire as soon as it is created. Use a short positive duration such as \"30m\" or \"1h\"."
        )),
        Ok(ns) if ns < 1_000_000_000 => Err(format!(
            "ttl = {s:?} is shorter than a second; use a duration such as \"30m\" or \"1h\"."
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(format!(
            "ttl = {s:?} is not a valid duration. {}",
            // The shared parser's hint about infinite retention does not apply to a lifetime.
            e.replace(", or \"0s\" for infinite retention", "")
        )),
    }
}

#[async_trait]
impl EphemeralResource for EphemeralDatabaseToken {
    type Client = ManagementClient;
    type Model = EphemeralTokenModel;
    type Private = TokenToRevoke;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A short-lived database token for one Terraform run (Terraform 1.10 or later). It is created when Terraform opens it, at the start of each plan or apply that uses it, and revoked when Terraform closes it at the end of that run; it is never written to the state or the plan file. If Terraform is killed before it closes the token, the token still expires at `expires_at`: keep `ttl` short.",
            vec![
                Attribute::required("description", Type::String)
                    .describe("What the token is for (shown by `influxctl token list` while it exists). Must not be empty.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::required("permissions", Type::set(permission_type()))
                    .describe("The token's permissions: a set of `{ action, resource }` objects, as for the `influxdb_database_token` resource. `action` is `\"read\"` or `\"write\"`; `resource` is a database name or `\"*\"` for all databases.")
                    .validate(validate_permissions),
                Attribute::required("ttl", Type::String)
                    .describe("How long the token lives, as a duration such as `\"30m\"` or `\"1h\"` (units s, m, h, d, w; also ms, us, ns), at least one second. The token expires this long after it is opened, even if Terraform never closes it; keep it short, a little longer than the run.")
                    .validate_str("Invalid ttl", validate_ttl),
                Attribute::computed("id", Type::String)
                    .describe("The token's ID (a UUID)."),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string. Ephemeral: usable in provider configurations, ephemeral outputs and variables, and write-only attributes, never stored.")
                    .sensitive(),
                Attribute::computed("expires_at", Type::String)
                    .describe("When the token expires (RFC 3339, UTC): the time it was opened plus `ttl`."),
            ],
        )
    }

    async fn open(
        &self,
        client: &ManagementClient,
        config: EphemeralTokenModel,
        diags: &mut Diagnostics,
    ) -> Option<Opened<EphemeralTokenModel, TokenToRevoke>> {
        if let Some(p) = config
            .permissions
            .iter()
            .flatten()
            .find(|p| crate::influxdb::management::validation::is_system_resource(&p.resource))
        {
            diags.attribute_error(
                crate::engine::AttributePath::root("permissions"),
                "Invalid permission resource",
                crate::influxdb::management::validation::no_system_permissions(&p.resource),
            );
            return None;
        }
        let ttl = config.ttl.as_deref().unwrap_or_default();
        let ns = match parse_duration(ttl) {
            Ok(ns) => ns,
            Err(e) => {
                diags.attribute_error(crate::engine::AttributePath::root("ttl"), "Invalid ttl", e);
                return None;
            }
        };
        let started = OffsetDateTime::now_utc();
        let expires = started + time::Duration::nanoseconds(ns);
        let body = CreateDatabaseToken {
            description: config.description.clone().unwrap_or_default(),
            permissions: sorted(config.permissions.clone().unwrap_or_default()),
            expires_at: Some(timestamp::format_api_timestamp(expires)),
        };
        match client.create_token(&body).await {
            Ok(token) => {
                let access_token = token.access_token.clone();
                if let Some(secret) = &access_token {
                    crate::log::redact(secret);
                }
                Some(Opened {
                    result: EphemeralTokenModel {
                        id: Some(token.id.clone()),
                        access_token,
                        expires_at: token.expires_at.or(body.expires_at),
                        ..config
                    },
                    private: TokenToRevoke { id: token.id },
                })
            }
            Err(e) if e.may_have_been_created() => {
                let cleanup = revoke_orphans(client, &body, started).await;
                diags.error(
                    "Creating the ephemeral database token failed",
                    format!("{e}\n\n{cleanup}"),
                );
                None
            }
            Err(e) => {
                diags.error(
                    "Creating the ephemeral database token failed",
                    e.to_string(),
                );
                None
            }
        }
    }

    async fn close(
        &self,
        client: &ManagementClient,
        private: TokenToRevoke,
        diags: &mut Diagnostics,
    ) {
        // Cleanup: the token is revoked even when Terraform is stopping the provider.
        let revoked = crate::influxdb::http::cleanup(async {
            match gone_is_ok(client.delete_token(&private.id).await) {
                // Some servers refuse to revoke twice; revoked is what Close wants.
                Err(e) if e.is_conflict() && already_revoked(client, &private.id).await => Ok(()),
                other => other,
            }
        })
        .await;
        match revoked {
            Ok(()) => {}
            Err(e) => diags.error(
                "Revoking the ephemeral database token failed",
                format!(
                    "{e}\n\nToken {} stays usable until it expires. Revoke it by hand: influxctl token revoke {}",
                    private.id, private.id
                ),
            ),
        }
    }
}

async fn already_revoked(
    client: &crate::influxdb::management::client::ManagementClient,
    id: &str,
) -> bool {
    matches!(client.get_token(id).await, Ok(t) if t.revoked_at.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_is_a_positive_duration() {
        assert!(validate_ttl("1h").is_ok());
        assert!(validate_ttl("30m").is_ok());
        assert!(validate_ttl("1h30m").is_ok());
        assert!(validate_ttl("0s").unwrap_err().contains("zero"));
        assert!(validate_ttl("500ms").unwrap_err().contains("second"));
        let e = validate_ttl("1 hour").unwrap_err();
        assert!(e.starts_with("ttl = \"1 hour\""), "{e}");
        assert!(!e.contains("retention"), "{e}");
        assert!(validate_ttl("1y").is_err());
    }

    #[test]
    fn schema_is_valid() {
        EphemeralDatabaseToken.schema().check().unwrap();
    }
}
