//! InfluxDB OSS v2 and Cloud Serverless, through `/api/v2`: the client, its models and refresh
//! snapshots, the provider's default organization ([`api`]), and one folder or file per
//! concept (authorization, bucket, organization, organization member, user, task, secret), holding the
//! concept's rules and its resource, data sources, ephemeral and list resources. Both products serve
//! the same API; a provider block with `host`, `token` and `org` talks to one of them.
//!
//! Settings: `host`, `token`, `org` or `org_id` (or the `influx` CLI's `INFLUX_HOST`,
//! `INFLUX_TOKEN`, `INFLUX_ORG`, `INFLUX_ORG_ID`), and the shared `ca_certificate`.

pub mod api;
pub mod attributes;
pub mod authorization;
pub mod bucket;
pub mod by_id_or_name;
pub mod client;
pub mod client_influxql;
pub mod dbrp;
pub mod models;
pub mod models_influxql;
pub mod organization;
pub mod organization_member;
pub mod password;
pub mod permissions;
pub mod secret;
pub mod snapshots;
pub mod task;
pub mod user;
pub mod v1_authorization;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

pub use api::{missing_org, validate_v2_id, OrgRef, V2Api};
pub use client::{V2Client, V2CreateError, V2Error};

use super::family::{
    env, validate_url, Connected, Endpoint, FamilyName, Product, Setting, Settings,
};
use super::http::{message_field, Api};
use super::registry::{Family, Registry};
use crate::engine::schema::validators;
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};

/// How `/api/v2`'s errors are worded.
pub static V2_API: Api = Api {
    subject: "InfluxDB",
    object: "InfluxDB",
    log_name: "v2 API",
    client_name: "InfluxDB v2 client",
    url_setting: "the provider's `host` (or INFLUX_HOST)",
    url_example: "\"http://localhost:8086\"",
    token_setting: "the provider's `token` argument or the INFLUX_TOKEN environment variable",
    ca_setting: "the provider's `ca_certificate`",
    unauthorized: |message| {
        format!(
            "InfluxDB rejected the provider's token (401 Unauthorized: {message}). Check the \
             provider's `token` argument or the INFLUX_TOKEN environment variable: the token \
             may be wrong, inactive, or belong to a deleted user."
        )
    },
    forbidden: |message| {
        format!(
            "The provider's token is not allowed to do this (403 Forbidden: {message}). \
             Managing authorizations needs a token with read and write permission on \
             `authorizations` for the organization (an operator or all-access token), and \
             a token can only grant permissions it holds itself."
        )
    },
    conflict_hint: "",
    error_body_message: message_field,
};

static SETTINGS: [Setting; 4] = [
    Setting {
        name: "host",
        env: Some("INFLUX_HOST"),
        description: "InfluxDB OSS v2 or Cloud Serverless: the URL of the server, e.g. `http://localhost:8086` or `https://us-east-1-1.aws.cloud2.influxdata.com`.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider host", validate_url)),
    },
    Setting {
        name: "token",
        env: Some("INFLUX_TOKEN"),
        description: "InfluxDB OSS v2 or Cloud Serverless: an API token allowed to manage authorizations (an operator or all-access token).",
        sensitive: true,
        selects: true,
        validate: None,
    },
    Setting {
        name: "org",
        env: Some("INFLUX_ORG"),
        description: "InfluxDB OSS v2 or Cloud Serverless: the name of the default organization of the resources (looked up once, when first needed). Set `org` or `org_id`, not both.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider org", validators::not_empty)),
    },
    Setting {
        name: "org_id",
        env: Some("INFLUX_ORG_ID"),
        description: "InfluxDB OSS v2 or Cloud Serverless: the ID of the default organization (16 hexadecimal digits). Set `org` or `org_id`, not both. `INFLUX_ORG_ID` wins over `INFLUX_ORG`, as in the `influx` CLI.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider org_id", validate_v2_id)),
    },
];

static NAME: FamilyName = FamilyName {
    key: "v2",
    title: "InfluxDB OSS v2 and Cloud Serverless (/api/v2)",
    configured_as: "InfluxDB OSS v2 / Cloud Serverless (host, token, org)",
    summary: "API tokens (authorizations), buckets, organizations, users, memberships, tasks and secrets of InfluxDB OSS v2 and Cloud Serverless through `/api/v2`",
    products: &PRODUCTS,
};

static PRODUCTS: [Product; 2] = [
    Product {
        name: "InfluxDB OSS v2",
        simulator: Some("oss-v2"),
        needs: "host, token and org or org_id (or INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG or INFLUX_ORG_ID)",
        lacks: &[],
    },
    Product {
        name: "InfluxDB Cloud Serverless",
        simulator: Some("cloud-serverless"),
        needs: "host, token and org or org_id (or INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG or INFLUX_ORG_ID)",
        // Refused at plan there, naming the product (`V2Api::refuse_on_cloud`).
        lacks: &[
            "influxdb_user",
            "influxdb_organization_member",
            "influxdb_v1_authorization",
        ],
    },
];

/// The `/api/v2` family.
pub struct V2;

impl Family for V2 {
    fn name(&self) -> &'static FamilyName {
        &NAME
    }
    fn settings(&self) -> &'static [Setting] {
        &SETTINGS
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if !config.attr("org").is_null() && !config.attr("org_id").is_null() {
            diags.push(
                Diagnostic::error(
                    "Both org and org_id are set",
                    "Set the default organization by name (org) or by ID (org_id), not both.",
                )
                .at(AttributePath::root("org_id")),
            );
        }
    }

    fn configure(
        &self,
        settings: &Settings,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected> {
        let [url, token, org_s, org_id_s] = &SETTINGS;
        let endpoint = Endpoint {
            url,
            token,
            product: "InfluxDB OSS v2 / Cloud Serverless",
            example: "http://localhost:8086",
            calls: "the InfluxDB v2 API",
            token_kind: "an API token",
        };
        let endpoint = settings.endpoint(&endpoint, diags);
        // A configured org (by either form) wins over the environment; from the environment the
        // ID wins, as in the influx CLI.
        let org = match (settings.configured("org"), settings.configured("org_id")) {
            (_, Some(id)) => Some(OrgRef::Id(id.to_owned())),
            (Some(name), None) => Some(OrgRef::Name(name.to_owned())),
            (None, None) => org_id_s
                .env
                .and_then(env)
                .map(OrgRef::Id)
                .or_else(|| org_s.env.and_then(env).map(OrgRef::Name)),
        };
        if let Some(OrgRef::Id(id)) = &org {
            if let Err(e) = validate_v2_id(id) {
                diags.error(
                    "Invalid provider org_id",
                    format!("{e} Check the provider's org_id setting or the INFLUX_ORG_ID environment variable."),
                );
            }
        }
        if diags.has_errors() {
            return None;
        }
        let client = endpoint?.and_then(|(host, token)| {
            V2Client::with_options(
                &host,
                &token,
                settings.policy(),
                settings.ca_certificate.as_deref(),
                stop,
            )
            .map_err(|e| {
                Diagnostic::error("Cannot create the InfluxDB v2 API client", e.to_string())
            })
        });
        Some(client.map(|c| Arc::new(V2Api::new(c, org)) as _))
    }

    fn register(&self, r: &mut Registry) {
        r.resource(authorization::resource::AuthorizationResource);
        r.data_source(authorization::data_source::AuthorizationDataSource);
        r.data_source(authorization::data_sources::AuthorizationsDataSource);
        r.ephemeral_resource(authorization::ephemeral::EphemeralAuthorization);
        r.list_resource(authorization::list::AuthorizationList);
        r.resource(bucket::resource::BucketResource);
        r.data_source(bucket::data_source::BucketDataSource);
        r.data_source(bucket::data_sources::BucketsDataSource);
        r.list_resource(bucket::list::BucketList);
        r.resource(organization::resource::OrganizationResource);
        r.data_source(organization::data_source::OrganizationDataSource);
        r.resource(user::UserResource);
        r.resource(organization_member::OrganizationMemberResource);
        r.resource(dbrp::resource::DbrpMappingResource);
        r.list_resource(dbrp::list::DbrpMappingList);
        r.resource(v1_authorization::resource::V1AuthorizationResource);
        r.resource(task::resource::TaskResource);
        r.data_source(task::data_source::TaskDataSource);
        r.list_resource(task::list::TaskList);
        r.resource(secret::SecretResource);
    }
}
