//! `influxdb_database_token`: a database token, created, read, updated and revoked through the
//! Management API's tokens endpoints.
//!
//! The API returns the token string only once, when it is created, so `access_token` lives in
//! Terraform state for the life of the token. A token deleted or revoked outside Terraform is
//! removed from state (and created again by the next apply); an expired one is replaced.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema,
    Type,
};
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::management::models::{CreateDatabaseToken, Permission, UpdateDatabaseToken};
use crate::influxdb::management::ManagementClient;
use crate::influxdb::timestamp;

pub struct DatabaseTokenResource;

#[async_trait]
impl Resource for DatabaseTokenResource {
    type Client = ManagementClient;
    type State = TokenState;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A database token for InfluxDB 3 Cloud Dedicated or Clustered. The token string (`access_token`) is returned by the API only when the token is created and is kept, sensitive, in Terraform state. Destroying the resource revokes the token.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The token's ID (a UUID). Stable across updates.")
                    .use_state_for_unknown(),
                Attribute::required("description", Type::String)
                    .describe("What the token is for. Must not be empty. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::required("permissions", Type::set(permission_type()))
                    .describe(&format!("{PERMISSIONS_DOC} A permission may not be listed twice. Updated in place: the token keeps its `id` and `access_token`."))
                    .validate(validate_permissions),
                Attribute::optional("expires_at", Type::String)
                    .describe("When the token expires, as an RFC 3339 timestamp with any offset and optional fractional seconds (`2030-01-01T00:00:00Z`, `2030-01-01T02:00:00+02:00`). Must be in the future when the token is created. Unset means never. The API cannot change it, so a change replaces the token (a new `id` and `access_token`; the old token is revoked). The same instant written another way is not a change, and the state keeps what you wrote.")
                    .validate_str("Invalid expires_at", |s| timestamp::parse_rfc3339(s).map(|_| ()))
                    .semantic_equality(same_instant)
                    .requires_replace(),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string, set when the token is created and kept for its life. Null after `terraform import`: the API never returns it again.")
                    .sensitive()
                    .use_state_for_unknown(),
                Attribute::computed("created_at", Type::String)
                    .describe("When the token was created (RFC 3339, UTC, milliseconds).")
                    .use_state_for_unknown(),
                Attribute::computed("account_id", Type::String)
                    .describe("The Cloud Dedicated account ID; null on Clustered.")
                    .use_state_for_unknown(),
                Attribute::computed("cluster_id", Type::String)
                    .describe("The Cloud Dedicated cluster ID; null on Clustered.")
                    .use_state_for_unknown(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("id", "The token's ID (a UUID)."),
            IdentityAttribute::optional("account_id", "The Cloud Dedicated account ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it."),
            IdentityAttribute::optional("cluster_id", "The Cloud Dedicated cluster ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it."),
        ]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        for p in change
            .config
            .attr("permissions")
            .elements()
            .unwrap_or_default()
        {
            if let Some(r) = p.attr("resource").as_str() {
                if crate::influxdb::management::validation::is_system_resource(r) {
                    diags.attribute_error(
                        AttributePath::root("permissions"),
                        "Invalid permission resource",
                        crate::influxdb::management::validation::no_system_permissions(r),
                    );
                }
            }
        }
        let expires = change.config.attr("expires_at");
        let path = AttributePath::root("expires_at");
        if change.is_create() {
            if let Some(t) = expires_in_past(expires) {
                diags.attribute_error(
                    path,
                    "expires_at is in the past",
                    format!(
                        "{} is in the past, so the token would be expired as soon as it is created. Set a future time, or remove expires_at for a token that never expires.",
                        timestamp::format_api_timestamp(t)
                    ),
                );
            }
            return;
        }
        // An existing token that has expired must be replaced.
        if let Some(t) = expires_in_past(change.prior.attr("expires_at")) {
            let id = change.prior.attr("id").as_str().unwrap_or("?").to_owned();
            if same_instant(expires, change.prior.attr("expires_at")) {
                diags.attribute_error(
                    path,
                    "Database token expired",
                    format!(
                        "Token {id} expired at {}. Terraform must replace it, but its expires_at is in the past, so the new token would be expired too. Set expires_at to a future time, or remove it for a token that never expires.",
                        timestamp::format_api_timestamp(t)
                    ),
                );
            } else {
                diags.warning(
                    "Database token expired",
                    format!(
                        "Token {id} expired at {}; it will be replaced.",
                        timestamp::format_api_timestamp(t)
                    ),
                );
                change.force_replace("id");
            }
        }
    }

    async fn create(
        &self,
        client: &ManagementClient,
        planned: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let description = planned.description.clone().unwrap_or_default();
        let permissions = sorted(planned.permissions.clone().unwrap_or_default());
        let expires_at = match planned.expires_at.as_deref().map(timestamp::parse_rfc3339) {
            Some(Ok(t)) => Some(timestamp::format_api_timestamp(t)),
            Some(Err(e)) => {
                diags.attribute_error(AttributePath::root("expires_at"), "Invalid expires_at", e);
                return None;
            }
            None => None,
        };
        let body = CreateDatabaseToken {
            description,
            permissions,
            expires_at,
        };
        let started = OffsetDateTime::now_utc();
        match client.create_token(&body).await {
            Ok(token) => Some(state_from(token, None)),
            Err(e) if e.may_have_been_created() => {
                let cleanup = revoke_orphans(client, &body, started).await;
                diags.error(
                    "Creating the database token failed",
                    format!("{e}\n\n{cleanup}"),
                );
                None
            }
            Err(e) => {
                diags.error("Creating the database token failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        client: &ManagementClient,
        current: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let id = current.id.clone().unwrap_or_default();
        let label = format!("{:?} ({id})", current.description.as_deref().unwrap_or(""));
        // From this process's snapshot of the list; a token not in it is confirmed by a GET.
        match client.read_token(&id).await {
            Ok(t) if t.revoked_at.is_some() => {
                diags.warning(
                    "Database token revoked outside Terraform",
                    format!(
                        "Token {label} was revoked at {}. It is removed from the state and the next apply creates a new one.",
                        t.revoked_at.as_deref().unwrap_or("?")
                    ),
                );
                None
            }
            Ok(t) => Some(state_from(t, current.access_token)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Database token deleted outside Terraform",
                    format!("Token {label} no longer exists. It is removed from the state and the next apply creates a new one."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the database token failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        client: &ManagementClient,
        prior: TokenState,
        planned: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let id = prior.id.clone().unwrap_or_default();
        let changed = |a: &Option<Vec<Permission>>, b: &Option<Vec<Permission>>| {
            sorted(a.clone().unwrap_or_default()) != sorted(b.clone().unwrap_or_default())
        };
        // PATCH only what changed; the API replaces the whole permission set.
        let body = UpdateDatabaseToken {
            description: (planned.description != prior.description)
                .then(|| planned.description.clone().unwrap_or_default()),
            permissions: changed(&planned.permissions, &prior.permissions)
                .then(|| sorted(planned.permissions.clone().unwrap_or_default())),
        };
        if body.description.is_none() && body.permissions.is_none() {
            return Some(TokenState {
                id: Some(id),
                ..prior
            });
        }
        match client.update_token(&id, &body).await {
            Ok(t) => Some(state_from(t, prior.access_token)),
            Err(e) => {
                diags.error("Updating the database token failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, client: &ManagementClient, prior: TokenState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_token(&id).await) {
            diags.error("Revoking the database token failed", e.to_string());
        }
    }

    async fn import(
        &self,
        client: &ManagementClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        if let Err(e) = crate::influxdb::management::validate_uuid(id) {
            diags.error(
                "Invalid import ID",
                format!("A database token is imported by its ID. {e}"),
            );
            return None;
        }
        match client.get_token(id).await {
            Ok(t) if t.revoked_at.is_some() => {
                diags.error(
                    "Cannot import a revoked token",
                    format!(
                        "Token {id} was revoked at {}; it can no longer be used.",
                        t.revoked_at.as_deref().unwrap_or("?")
                    ),
                );
                None
            }
            Ok(t) => Some(state_from(t, None)),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the database token failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let schema = DatabaseTokenResource.schema();
        let mut v = Value::empty_object(&schema.ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    fn perms(list: &[(&str, &str)]) -> Value {
        Value::Set(list.iter().map(|(a, r)| obj_perm(a, r)).collect())
    }

    fn obj_perm(a: &str, r: &str) -> Value {
        let mut m = std::collections::BTreeMap::new();
        m.insert("action".to_owned(), Value::from(a));
        m.insert("resource".to_owned(), Value::from(r));
        Value::Object(m)
    }

    #[test]
    fn invalid_permissions_are_reported_on_the_attribute() {
        let schema = DatabaseTokenResource.schema();
        let config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[("admin", "db"), ("read", "_bad")])),
        ]);
        let mut d = Diagnostics::default();
        schema.validate(&config, &mut d);
        let errs: Vec<_> = d.iter().collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs
            .iter()
            .all(|e| e.attribute == Some(AttributePath::root("permissions"))));
        assert!(errs[0].detail.contains("\"admin\""));
    }

    #[test]
    fn instants_compare_at_the_apis_millisecond_precision() {
        let v = |s: &str| Value::from(s);
        assert!(same_instant(
            &v("2030-01-01T02:00:00+02:00"),
            &v("2030-01-01T00:00:00.000Z")
        ));
        assert!(same_instant(
            &v("2030-01-01T00:00:00.527405140Z"),
            &v("2030-01-01T00:00:00.527Z")
        ));
        assert!(!same_instant(
            &v("2030-01-01T00:00:00.528Z"),
            &v("2030-01-01T00:00:00.527Z")
        ));
        assert!(same_instant(
            &v("1969-12-31T23:59:59.9999Z"),
            &v("1969-12-31T23:59:59.999Z")
        ));
        assert!(!same_instant(&v("not a time"), &v("not a time")));
    }

    #[test]
    fn past_expiry_fails_at_plan_for_a_new_token() {
        let schema = DatabaseTokenResource.schema();
        let config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[])),
            ("expires_at", "2001-01-01T00:00:00Z".into()),
        ]);
        let mut d = Diagnostics::default();
        plan(
            &schema,
            &Value::Null,
            &config,
            |c, d| DatabaseTokenResource.modify_plan(c, d),
            &mut d,
        );
        assert!(d.has_errors());
        assert_eq!(d.0[0].attribute, Some(AttributePath::root("expires_at")));
    }

    #[test]
    pub(super) fn same_instant_in_another_offset_is_no_change() {
        let schema = DatabaseTokenResource.schema();
        let prior = obj(&[
            ("id", "id-1".into()),
            ("description", "x".into()),
            ("permissions", perms(&[("read", "a"), ("write", "b")])),
            ("expires_at", "2030-01-01T02:00:00+02:00".into()),
            ("access_token", "apiv1_secret".into()),
            ("created_at", "2026-01-01T00:00:00.000Z".into()),
        ]);
        let mut config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[("write", "b"), ("read", "a")])),
            ("expires_at", "2030-01-01T00:00:00.000Z".into()),
        ]);
        let mut d = Diagnostics::default();
        let modify =
            |c: &mut PlanChange<'_>, d: &mut Diagnostics| DatabaseTokenResource.modify_plan(c, d);
        let out = plan(&schema, &prior, &config, modify, &mut d);
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(
            out.planned, prior,
            "no change, so the plan is the prior state"
        );
        assert!(out.requires_replace.is_empty());

        // A real change of instant replaces the token.
        config.set_attr("expires_at", "2031-01-01T00:00:00Z".into());
        let out = plan(&schema, &prior, &config, modify, &mut d);
        assert_eq!(
            out.requires_replace,
            vec![AttributePath::root("expires_at")]
        );
    }
}
