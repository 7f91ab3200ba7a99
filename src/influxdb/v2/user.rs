//! `influxdb_user`: a user of InfluxDB OSS v2, through `/api/v2/users`, with a password that
//! is never stored: `password_wo` is a write-only attribute (Terraform 1.11 or later), sent
//! with `POST /users/{id}/password` when the user is created and whenever
//! `password_wo_version` changes. Neither the plan nor the state ever holds it.
//!
//! Destroying a user deletes it and its memberships; the tokens it owns stop working (InfluxDB
//! keeps them, refused, and leaves them out of its lists).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::models::{User, UserBody};
use super::{attributes, password};
use super::{validate_v2_id, V2Api};
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, Resource, Schema, Type, Value,
};
use crate::influxdb::http::gone_is_ok;

pub struct UserResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct UserState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    /// Only ever set in what the engine hands to create and update (from the configuration).
    pub password_wo: Option<String>,
    pub password_wo_version: Option<i64>,
}

fn state_from(u: User, settings: &UserState) -> UserState {
    UserState {
        id: Some(u.id),
        name: Some(u.name),
        status: Some(u.status.unwrap_or_else(|| "active".into())),
        password_wo: None,
        password_wo_version: settings.password_wo_version,
    }
}

/// Whose password an error names.
const WHOSE: &str = "the user's";

#[async_trait]
impl Resource for UserResource {
    type Client = V2Api;
    type State = UserState;

    fn type_name(&self) -> &'static str {
        "influxdb_user"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A user of InfluxDB OSS v2 (Cloud Serverless manages users in its UI; there the plan fails, naming it). Its password is a write-only argument, never stored in the plan or the state. Destroying the resource deletes the user and its organization memberships; the tokens the user owns stop working. Needs Terraform 1.11.0 or later.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The user's ID.")
                    .use_state_for_unknown(),
                Attribute::required("name", Type::String)
                    .describe("The user's name, unique on the server. A change renames the user in place (same ID).")
                    .validate_str("Invalid name", validators::not_empty),
                attributes::status("the user and its tokens are refused"),
            ]
            .into_iter()
            .chain(password::attributes("The user's password, at least 8 characters. Write-only: sent to InfluxDB when the user is created and whenever `password_wo_version` changes, never stored in the plan or the state."))
            .collect(),
        )
        .requires_terraform("1.11.0", "has no write-only attributes, which `password_wo` is (so that the password is never stored in the state)")
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        password::validate(config, diags);
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The user's ID (16 hexadecimal digits).",
        )]))
    }

    /// Cloud Serverless has no users API: refused at plan, naming it.
    async fn check_server(&self, api: &V2Api, _planned: &Value, diags: &mut Diagnostics) {
        api.refuse_on_cloud(
            "influxdb_user",
            "Cloud Serverless manages its users in its web UI (invite them to the organization there).",
            diags,
        )
        .await;
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let name = planned.name.clone().unwrap_or_default();
        let body = UserBody {
            name: Some(name.clone()),
            status: planned.status.clone(),
        };
        let user = match api.client.create_user(&body).await {
            Ok(u) => u,
            // The outcome is unknown: names are unique, so look it up.
            Err(e) if e.may_have_been_created() => match api.client.find_user(&name).await {
                Ok(Some(u)) => u,
                _ => {
                    diags.error(
                        "Creating the user failed",
                        format!("{e}\n\nNo user named {name:?} exists; run terraform apply again."),
                    );
                    return None;
                }
            },
            Err(e) if e.error.status() == Some(422) => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "User already exists",
                    format!("{}\n\nTo manage it with Terraform, import it: terraform import ADDRESS {name}", e.error),
                );
                return None;
            }
            Err(e) => {
                diags.error("Creating the user failed", e.to_string());
                return None;
            }
        };
        let state = state_from(user, &planned);
        if let (Some(id), Some(pw)) = (&state.id, &planned.password_wo) {
            // On failure the user exists: it is recorded (tainted), never orphaned.
            password::taken(api.client.set_password(id, pw).await, WHOSE, diags);
        }
        Some(state)
    }

    async fn read(
        &self,
        api: &V2Api,
        current: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let id = current.id.clone().unwrap_or_default();
        match api.client.get_user(&id).await {
            Ok(u) => Some(state_from(u, &current)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "User deleted outside Terraform",
                    format!("The user {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again.", current.name.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the user failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: UserState,
        planned: UserState,
        diags: &mut Diagnostics,
    ) -> Option<UserState> {
        let id = prior.id.clone().unwrap_or_default();
        let body = UserBody {
            name: (planned.name != prior.name).then(|| planned.name.clone().unwrap_or_default()),
            status: (planned.status != prior.status)
                .then(|| planned.status.clone().unwrap_or_else(|| "active".into())),
        };
        let mut state = UserState {
            password_wo: None,
            ..prior.clone()
        };
        if body.name.is_some() || body.status.is_some() {
            match api.client.update_user(&id, &body).await {
                Ok(u) => state = state_from(u, &prior),
                Err(e) => {
                    diags.error("Updating the user failed", e.to_string());
                    return None;
                }
            }
        }
        let versions = (prior.password_wo_version, planned.password_wo_version);
        if let Some(pw) = password::to_resend(versions, planned.password_wo.as_deref()) {
            if !password::taken(api.client.set_password(&id, pw).await, WHOSE, diags) {
                // The old version stays in the state, so the next apply tries again.
                return Some(state);
            }
        }
        state.password_wo_version = planned.password_wo_version;
        Some(state)
    }

    async fn delete(&self, api: &V2Api, prior: UserState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_user(&id).await) {
            diags.error("Deleting the user failed", e.to_string());
        }
    }

    /// By ID, or by name.
    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<UserState> {
        let found = if validate_v2_id(id).is_ok() {
            match api.client.get_user(id).await {
                Ok(u) => Ok(Some(u)),
                Err(e) if e.is_not_found() => api.client.find_user(id).await,
                Err(e) => Err(e),
            }
        } else {
            api.client.find_user(id).await
        };
        match found {
            Ok(u) => u.map(|u| state_from(u, &UserState::default())),
            Err(e) => {
                diags.error("Importing the user failed", e.to_string());
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
        let s = UserResource.schema();
        s.check().unwrap();
        assert!(s.terraform_too_old("1.10.5").is_some());
        assert!(s.terraform_too_old("1.11.0").is_none());
    }
}
