//! `influxdb_authorization` data source: one InfluxDB OSS v2 / Cloud Serverless authorization
//! by ID. It never exposes the token string (the API returns it only at creation). Its
//! permissions are a plain typed attribute (every field always present, null when unset), so
//! it works with every Terraform version.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type, Value};
use crate::influxdb::product::validate_v2_id;
use crate::influxdb::provider::Influx;
use crate::influxdb::v2::models::{self, Authorization};

pub struct AuthorizationDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceOut {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PermissionOut {
    pub action: Option<String>,
    pub resource: Option<ResourceOut>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct AuthorizationModel {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
    pub user_id: Option<String>,
    pub user: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub permissions: Option<Vec<PermissionOut>>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

pub fn permission_type() -> Type {
    Type::object([
        ("action", Type::String),
        (
            "resource",
            Type::object([
                ("type", Type::String),
                ("id", Type::String),
                ("name", Type::String),
                ("org_id", Type::String),
                ("org", Type::String),
            ]),
        ),
    ])
}

/// The attributes of one authorization, for this data source and the list.
pub fn authorization_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("org_id", Type::String),
        ("org", Type::String),
        ("user_id", Type::String),
        ("user", Type::String),
        ("description", Type::String),
        ("status", Type::String),
        ("permissions", Type::set(permission_type())),
        ("created_at", Type::String),
        ("updated_at", Type::String),
    ])
}

fn permission_out(p: &models::Permission) -> PermissionOut {
    let r = &p.resource;
    PermissionOut {
        action: Some(p.action.clone()),
        resource: Some(ResourceOut {
            kind: Some(r.kind.clone()),
            id: r.id.clone(),
            name: r.name.clone(),
            org_id: r.org_id.clone(),
            org: r.org.clone(),
        }),
    }
}

/// The model of an authorization; the token, if the API sent one, is dropped.
pub fn model(a: Authorization) -> AuthorizationModel {
    let mut permissions: Vec<_> = a.permissions.iter().map(permission_out).collect();
    permissions.sort();
    AuthorizationModel {
        id: Some(a.id),
        org_id: Some(a.org_id),
        org: a.org,
        user_id: a.user_id,
        user: a.user,
        description: a.description,
        status: Some(a.status.unwrap_or_else(|| "active".into())),
        permissions: Some(permissions),
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

pub const PERMISSIONS_DOC: &str = "The permissions: a set of `{ action, resource = { type, id, name, org_id, org } }`, as the server reports them (`org` is the organization's name; unset fields are null).";

#[async_trait]
impl DataSource for AuthorizationDataSource {
    type Client = Influx;
    type Model = AuthorizationModel;

    fn type_name(&self) -> &'static str {
        "influxdb_authorization"
    }

    fn check_provider(&self, influx: &Influx, _config: &Value, diags: &mut Diagnostics) {
        influx.require_v2(self.type_name(), diags);
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "One authorization (API token) of InfluxDB OSS v2 or Cloud Serverless, by ID. The token string is never available: the API returns it only when the authorization is created.",
            vec![
                Attribute::required("id", Type::String)
                    .describe("The authorization's ID (16 hexadecimal digits). An unknown ID is an error.")
                    .validate_str("Invalid id", validate_v2_id),
                Attribute::computed("org_id", Type::String).describe("The organization's ID."),
                Attribute::computed("org", Type::String).describe("The organization's name."),
                Attribute::computed("user_id", Type::String).describe("The ID of the token's user."),
                Attribute::computed("user", Type::String).describe("The name of the token's user."),
                Attribute::computed("description", Type::String).describe("What the token is for."),
                Attribute::computed("status", Type::String).describe("`active` or `inactive`."),
                Attribute::computed("permissions", Type::set(permission_type())).describe(PERMISSIONS_DOC),
                Attribute::computed("created_at", Type::String).describe("When it was created (RFC 3339)."),
                Attribute::computed("updated_at", Type::String).describe("When it was last changed (RFC 3339)."),
            ],
        )
    }

    async fn read(
        &self,
        influx: &Influx,
        config: AuthorizationModel,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationModel> {
        let client = influx.v2(diags)?.client(diags)?;
        let id = config.id.unwrap_or_default();
        match client.get_authorization(&id).await {
            Ok(a) => Some(model(a)),
            Err(e) if e.is_not_found() => {
                diags.error(
                    "Authorization not found",
                    format!("No authorization with ID {id} exists (or the provider's token may not read it)."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the authorization failed", e.to_string());
                None
            }
        }
    }
}
