//! `influxdb_organization_member`: a user's membership of an InfluxDB OSS v2 organization
//! (`/api/v2/orgs/{id}/members` or `/owners`), so that a token made for the user
//! (`user_id = influxdb_user.u.id`) works in that organization. Every attribute replaces: the
//! API has no update (a role change is a removal and a new mapping).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{validate_v2_id, V2Api};
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, Resource, Schema, Type, Value,
};
use crate::influxdb::http::gone_is_ok;

pub struct OrganizationMemberResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct MemberState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub role: Option<String>,
}

const ROLES: [&str; 2] = ["member", "owner"];

impl OrganizationMemberResource {
    /// The user's role in the org, if any (members first, then owners).
    async fn role(
        api: &V2Api,
        org_id: &str,
        user_id: &str,
    ) -> Result<Option<&'static str>, crate::influxdb::v2::V2Error> {
        for role in ROLES {
            if api
                .client
                .list_members(org_id, role)
                .await?
                .iter()
                .any(|m| m.id == user_id)
            {
                return Ok(Some(role));
            }
        }
        Ok(None)
    }
}

fn state(org_id: &str, user_id: &str, role: &str) -> MemberState {
    MemberState {
        id: Some(format!("{org_id}/{user_id}")),
        org_id: Some(org_id.into()),
        user_id: Some(user_id.into()),
        role: Some(role.into()),
    }
}

#[async_trait]
impl Resource for OrganizationMemberResource {
    type Client = V2Api;
    type State = MemberState;

    fn type_name(&self) -> &'static str {
        "influxdb_organization_member"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A user's membership of an organization of InfluxDB OSS v2, as a member or an owner. Destroying the resource removes the user from the organization (the user stays).",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("`ORG_ID/USER_ID`.")
                    .use_state_for_unknown(),
                Attribute::required("org_id", Type::String)
                    .describe("The organization's ID. A change replaces the membership.")
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace(),
                Attribute::required("user_id", Type::String)
                    .describe("The user's ID. A change replaces the membership.")
                    .validate_str("Invalid user_id", validate_v2_id)
                    .requires_replace(),
                Attribute::optional_computed("role", Type::String)
                    .describe("`\"member\"` (the default) or `\"owner\"`. A change replaces the membership; a role changed outside Terraform is restored.")
                    .validate_str("Invalid role", validators::one_of(&ROLES))
                    .default("member")
                    .requires_replace(),
            ],
        )
    }

    /// Cloud Serverless has no members API: refused at plan, naming it.
    async fn check_server(&self, api: &V2Api, _planned: &Value, diags: &mut Diagnostics) {
        api.refuse_on_cloud(
            "influxdb_organization_member",
            "Cloud Serverless manages an organization's members in its web UI.",
            diags,
        )
        .await;
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "`ORG_ID/USER_ID`.",
        )]))
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: MemberState,
        diags: &mut Diagnostics,
    ) -> Option<MemberState> {
        let (org_id, user_id) = (
            planned.org_id.clone().unwrap_or_default(),
            planned.user_id.clone().unwrap_or_default(),
        );
        let role = planned.role.clone().unwrap_or_else(|| "member".into());
        match api.client.add_member(&org_id, &role, &user_id).await {
            Ok(_) => Some(state(&org_id, &user_id, &role)),
            Err(e) if e.may_have_been_created() => match Self::role(api, &org_id, &user_id).await {
                Ok(Some(r)) if r == role => Some(state(&org_id, &user_id, &role)),
                _ => {
                    diags.error(
                        "Adding the member failed",
                        format!("{e}\n\nRun terraform apply again."),
                    );
                    None
                }
            },
            Err(e) => {
                let hint = match Self::role(api, &org_id, &user_id).await {
                    Ok(Some(r)) => format!("\n\nThe user is already the organization's {r}. To manage that membership, import it: terraform import ADDRESS {org_id}/{user_id}"),
                    _ => String::new(),
                };
                diags.attribute_error(
                    AttributePath::root("user_id"),
                    "Adding the member failed",
                    format!("{e}{hint}"),
                );
                None
            }
        }
    }

    async fn read(
        &self,
        api: &V2Api,
        current: MemberState,
        diags: &mut Diagnostics,
    ) -> Option<MemberState> {
        let (org_id, user_id) = (
            current.org_id.clone().unwrap_or_default(),
            current.user_id.clone().unwrap_or_default(),
        );
        match Self::role(api, &org_id, &user_id).await {
            Ok(Some(role)) => Some(state(&org_id, &user_id, role)),
            Ok(None) => {
                diags.warning("Membership removed outside Terraform", format!("User {user_id} is no longer in organization {org_id}. It is removed from the state and the next apply adds it again."));
                None
            }
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Reading the membership failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        _api: &V2Api,
        _prior: MemberState,
        planned: MemberState,
        _diags: &mut Diagnostics,
    ) -> Option<MemberState> {
        // Every attribute replaces: nothing reaches here but the state's own values.
        Some(planned)
    }

    async fn delete(&self, api: &V2Api, prior: MemberState, diags: &mut Diagnostics) {
        let (org_id, user_id) = (
            prior.org_id.unwrap_or_default(),
            prior.user_id.unwrap_or_default(),
        );
        let role = prior.role.unwrap_or_else(|| "member".into());
        if let Err(e) = gone_is_ok(api.client.remove_member(&org_id, &role, &user_id).await) {
            diags.error("Removing the member failed", e.to_string());
        }
    }

    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<MemberState> {
        let Some((org_id, user_id)) = id
            .split_once('/')
            .filter(|(o, u)| validate_v2_id(o).is_ok() && validate_v2_id(u).is_ok())
        else {
            diags.error(
                "Invalid import ID",
                format!("A membership is imported as ORG_ID/USER_ID; {id:?} is not."),
            );
            return None;
        };
        match Self::role(api, org_id, user_id).await {
            Ok(r) => r.map(|r| state(org_id, user_id, r)),
            Err(e) => {
                diags.error("Importing the membership failed", e.to_string());
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
        OrganizationMemberResource.schema().check().unwrap();
    }
}
