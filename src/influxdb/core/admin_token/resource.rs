//! `influxdb_admin_token`: a named admin token of InfluxDB 3 Core or Enterprise
//! (`POST /api/v3/configure/token/named_admin`), deleted by name.
//!
//! The server shows the token string only in the create answer, so `access_token` lives in
//! state for the life of the token. Tokens cannot be changed: any change replaces the token.
//! Refresh reads this provider process's snapshot of `system.tokens` (one query for every
//! token). A token deleted outside Terraform is removed from state (and created again by the
//! next apply). Terraform never deletes a token it did not create: a name already taken is an
//! error that says how to import it, and destroy checks the token's id before deleting.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    Diagnostics, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource, Schema, Type,
    Value,
};
use crate::influxdb::core::models::CreateNamedAdminToken;
use crate::influxdb::core::named_token::{
    create_failed, delete_if_ours, kept_expiry, name_free, plan_expiry, planned_expiry,
    read_if_ours,
};

pub struct AdminTokenResource;

const TYPE: &str = "influxdb_admin_token";

/// The same instant at millisecond precision, whatever the offset written.
fn same_instant(a: &Value, b: &Value) -> bool {
    let millis = |v: &Value| {
        let t = timestamp::parse_rfc3339(v.as_str()?).ok()?;
        Some(t.unix_timestamp_nanos().div_euclid(1_000_000))
    };
    matches!((millis(a), millis(b)), (Some(a), Some(b)) if a == b)
}

fn validate_name(s: &str) -> Result<(), String> {
    validators::not_empty(s)?;
    if s == OPERATOR {
        return Err("_admin is the operator token, which the server creates and which cannot be deleted; it cannot be managed as an influxdb_admin_token.".into());
    }
    Ok(())
}

#[async_trait]
impl Resource for AdminTokenResource {
    type Client = CoreClient;
    type State = AdminTokenState;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A named admin token of InfluxDB 3 Core or Enterprise. The token string (`access_token`) is shown by the server only when the token is created and is kept, sensitive, in Terraform state. Tokens cannot be changed: any change replaces the token. Destroying the resource deletes the token by name.",
            vec![
                Attribute::required("name", Type::String)
                    .describe("The token's name, unique on the server. Not `_admin` (the operator token). A change replaces the token.")
                    .validate_str("Invalid name", validate_name)
                    .requires_replace(),
                Attribute::optional("expires_at", Type::String)
                    .describe("When the token expires, as an RFC 3339 timestamp (`2030-01-01T00:00:00Z`); sent to the server as a number of seconds from the create, so the server's expiry may differ by up to a second. Must be in the future when the token is created. Unset means never. A change replaces the token; the same instant written another way is not a change. An expired token is replaced.")
                    .validate_str("Invalid expires_at", |s| timestamp::parse_rfc3339(s).map(|_| ()))
                    .semantic_equality(same_instant)
                    .requires_replace(),
                Attribute::computed("id", Type::String)
                    .describe("The token's id on the server (a number, as text).")
                    .use_state_for_unknown(),
                Attribute::computed("created_at", Type::String)
                    .describe("When the token was created (RFC 3339, UTC, milliseconds).")
                    .use_state_for_unknown(),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string (`apiv3_...`), set when the token is created and kept for its life. Null after `terraform import`: the server never shows it again.")
                    .sensitive()
                    .use_state_for_unknown(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "name",
            "The token's name.",
        )]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        plan_expiry(change, "Admin token", diags)
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: AdminTokenState,
        diags: &mut Diagnostics,
    ) -> Option<AdminTokenState> {
        let name = planned.name.clone().unwrap_or_default();
        let summary = "Creating the admin token failed";
        let expiry_secs = planned_expiry(planned.expires_at.as_deref(), diags)?;
        name_free(client, TYPE, &name, None, summary, diags).await?;
        let body = CreateNamedAdminToken {
            token_name: name.clone(),
            expiry_secs,
        };
        match client.create_named_admin_token(&body).await {
            Ok(t) => Some(AdminTokenState {
                id: Some(t.id.to_string()),
                name: Some(t.name),
                expires_at: planned.expires_at,
                created_at: Some(utc(&t.created_at)),
                access_token: t.token,
            }),
            Err(e) => create_failed(client, TYPE, &name, e, summary, diags).await,
        }
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: AdminTokenState,
        diags: &mut Diagnostics,
    ) -> Option<AdminTokenState> {
        let name = current.name.clone().unwrap_or_default();
        let row = read_if_ours(
            client,
            &name,
            current.id.as_deref(),
            "admin token",
            "name",
            diags,
        )
        .await?;
        let server = state_from_row(&row);
        Some(AdminTokenState {
            expires_at: kept_expiry(&current.expires_at, &server.expires_at),
            access_token: current.access_token,
            ..server
        })
    }

    async fn update(
        &self,
        _client: &CoreClient,
        prior: AdminTokenState,
        _planned: AdminTokenState,
        _diags: &mut Diagnostics,
    ) -> Option<AdminTokenState> {
        // Every configurable attribute replaces the token: nothing to send.
        Some(prior)
    }

    async fn delete(&self, client: &CoreClient, prior: AdminTokenState, diags: &mut Diagnostics) {
        let name = prior.name.unwrap_or_default();
        delete_if_ours(client, &name, prior.id.as_deref(), "admin token", diags).await
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<AdminTokenState> {
        let summary = "Importing the admin token failed";
        if let Err(e) = validate_name(id) {
            diags.error(
                summary,
                format!("An admin token is imported by its name. {e}"),
            );
            return None;
        }
        match client.read_token(id).await.or_error(diags, summary)? {
            Some(row) if !is_admin(&row) => {
                diags.error(summary, format!("Token {id:?} is a resource token, not an admin token; import it as an influxdb_database_token."));
                None
            }
            Some(row) => Some(state_from_row(&row)),
            None => {
                diags.error(summary, format!("The server has no token named {id:?}."));
                None
            }
        }
    }
}
