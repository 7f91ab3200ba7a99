//! `influxdb_database_token` on InfluxDB 3 Enterprise: a resource token
//! (`POST /api/v3/enterprise/configure/token`), deleted by name. On Core it fails at plan,
//! naming Enterprise (the server says which it is on `/ping`).
//!
//! The configuration is Cloud Dedicated's, so one module serves both; the differences follow
//! from the API: the `description` is the token's name (unique on the server), and tokens
//! cannot be changed, so a change of `description`, `permissions` or `expires_at` replaces the
//! token (the plan says so). The token string is shown only in the create answer and kept in
//! state. Refresh reads this process's snapshot of `system.tokens` (one query for every token).
//! Terraform never deletes a token it did not create: a name already taken is an error that
//! says how to import it; a lost create answer deletes the token of that name made after the
//! check (its string is lost); destroy checks the token's id before deleting by name. A token
//! the server creates already expired although no expiry was asked ([`expiry_bug`],
//! influxdata/influxdb#27620) is deleted again and the create fails, saying to set `expires_at`.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource, Schema, Type,
};
use crate::influxdb::core::admin_token::is_admin;
use crate::influxdb::core::edition::{self, require_enterprise};
use crate::influxdb::core::models::CreateResourceToken;
use crate::influxdb::core::named_token::{
    create_failed, delete_if_ours, kept_expiry, name_free, plan_expiry, planned_expiry,
    read_if_ours,
};
use crate::influxdb::core::CoreClient;
use crate::influxdb::timestamp;

pub struct DatabaseTokenResource;

pub fn permission_type() -> Type {
    Type::object([("action", Type::String), ("resource", Type::String)])
}

/// The (action, resource) pairs of a set value, sorted: sets compare without order.
fn pairs(v: &Value) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = v
        .elements()?
        .iter()
        .map(|e| {
            (
                e.attr("action").as_str().unwrap_or_default().to_owned(),
                e.attr("resource").as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    Some(out)
}

#[async_trait]
impl Resource for DatabaseTokenResource {
    type Client = CoreClient;
    type State = TokenState;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A resource token of InfluxDB 3 Enterprise (not available on Core: it fails at plan, naming Enterprise). Configured as on Cloud Dedicated; the `description` is the token's name on the server, and any change replaces the token (the API cannot change a token). The token string (`access_token`) is shown only when the token is created and is kept, sensitive, in Terraform state. Destroying the resource deletes the token by name.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The token's id on the server (`token_id` of `system.tokens`, a number as text).")
                    .use_state_for_unknown(),
                Attribute::computed("name", Type::String)
                    .describe("The token's name on the server: the `description`.")
                    .use_state_for_unknown(),
                Attribute::required("description", Type::String)
                    .describe("What the token is for; on Enterprise it is the token's name, unique on the server. A change replaces the token.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::required("permissions", Type::set(permission_type()))
                    .describe("The token's permissions: a set of `{ action, resource }`. `action` is `\"read\"` or `\"write\"`; `resource` is a database name, `\"*\"` for all databases, or `\"system:health\"`, `\"system:ping\"`, `\"system:metrics\"`, `\"system:ready\"` (or `\"system:*\"`) with action `\"read\"`. A change replaces the token.")
                    .validate(validate_permissions),
                Attribute::optional("expires_at", Type::String)
                    .describe("When the token expires (RFC 3339), sent as whole seconds from the create. Unset means never. A change replaces the token.")
                    .validate_str("Invalid expires_at", |s| timestamp::parse_rfc3339(s).map(|_| ())),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string (`apiv3_...`), set when the token is created and kept for its life. Null after `terraform import`.")
                    .sensitive()
                    .use_state_for_unknown(),
                Attribute::computed("created_at", Type::String)
                    .describe("When the token was created (RFC 3339, UTC, milliseconds).")
                    .use_state_for_unknown(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("id", "The token's id (`token_id` of `system.tokens`)."),
            IdentityAttribute::optional("name", "InfluxDB 3 Enterprise: the token's name."),
        ]))
    }

    fn modify_plan_with(
        &self,
        client: Option<&CoreClient>,
        change: &mut PlanChange<'_>,
        diags: &mut Diagnostics,
    ) {
        require_enterprise(client, TYPE, None, diags);
        let description = change.config.attr("description").clone();
        if change.is_create() {
            change.planned.set_attr("name", description);
            return plan_expiry(change, "Database token", diags);
        }
        if change.prior.attr("description") != &description {
            change.planned.set_attr("name", description);
            change.replace_because_of("description");
        }
        if pairs(change.prior.attr("permissions")) != pairs(change.config.attr("permissions")) {
            change.replace_because_of("permissions");
        }
        plan_expiry(change, "Database token", diags)
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let name = planned.description.clone().unwrap_or_default();
        let summary = "Creating the database token failed";
        edition::enterprise(client, TYPE, summary, diags).await?;
        let expiry_secs = planned_expiry(planned.expires_at.as_deref(), diags)?;
        name_free(client, TYPE, &name, Some("description"), summary, diags).await?;
        let body = CreateResourceToken {
            token_name: name.clone(),
            permissions: to_api(planned.permissions.as_deref().unwrap_or_default()),
            expiry_secs,
        };
        match client.create_resource_token(&body).await {
            Ok(t)
                if body.expiry_secs.is_none()
                    && expiry_bug::expired_at_birth(&t.created_at, t.expiry.as_deref()) =>
            {
                let expiry = t.expiry.as_deref().unwrap_or_default();
                let message = expiry_bug::refuse_expired_token(client, &t.name, expiry).await;
                diags.attribute_error(
                    AttributePath::root("expires_at"),
                    "The server created an already expired token",
                    message,
                );
                None
            }
            Ok(t) => Some(TokenState {
                id: Some(t.id.to_string()),
                name: Some(t.name),
                access_token: t.token,
                created_at: Some(utc(&t.created_at)),
                ..planned
            }),
            Err(e)
                if !e.error.is_conflict()
                    && !e.may_have_been_created()
                    && e.error
                        .to_string()
                        .contains("cannot parse token permission") =>
            {
                diags.attribute_error(
                    AttributePath::root("permissions"),
                    summary,
                    format!("{}\n\nThe server refused a permission (a database named in a permission must exist: refer to influxdb_database.<name>.name so that Terraform creates it first).", e.error),
                );
                None
            }
            Err(e) => create_failed(client, TYPE, &name, e, summary, diags).await,
        }
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let name = current
            .name
            .clone()
            .or(current.description.clone())
            .unwrap_or_default();
        let row = read_if_ours(
            client,
            &name,
            current.id.as_deref(),
            "database token",
            "description",
            diags,
        )
        .await?;
        let server = state_from_row(&row);
        Some(TokenState {
            expires_at: kept_expiry(&current.expires_at, &server.expires_at),
            permissions: server.permissions.or(current.permissions),
            access_token: current.access_token,
            ..server
        })
    }

    async fn update(
        &self,
        _client: &CoreClient,
        prior: TokenState,
        planned: TokenState,
        _diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        // Every change the server would see replaces the token: only spellings are updated.
        Some(TokenState {
            description: planned.description,
            permissions: planned.permissions,
            expires_at: planned.expires_at,
            ..prior
        })
    }

    async fn delete(&self, client: &CoreClient, prior: TokenState, diags: &mut Diagnostics) {
        let name = prior.name.or(prior.description).unwrap_or_default();
        delete_if_ours(client, &name, prior.id.as_deref(), "database token", diags).await
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let summary = "Importing the database token failed";
        let rows = client.list_tokens().await.or_error(diags, summary)?;
        let found = rows
            .iter()
            .find(|t| t.name == id)
            .or_else(|| rows.iter().find(|t| t.token_id.to_string() == id));
        match found {
            Some(row) if is_admin(row) => {
                diags.error(summary, format!("Token {:?} is an admin token, not a resource token; import it as an influxdb_admin_token.", row.name));
                None
            }
            Some(row) => Some(state_from_row(row)),
            None => {
                diags.error(
                    summary,
                    format!("The server has no token named {id:?} (nor one with that id)."),
                );
                None
            }
        }
    }
}
