//! InfluxDB 3 Cloud Dedicated and Clustered, through the Management API (`/api/v0`): the
//! client, its models and validation rules, and one folder or file per concept (a database
//! token, a database, a table), each holding the concept's rules and its resource, data
//! sources, ephemeral and list resources.
//!
//! Settings: `url`, `account_id`, `cluster_id`, `management_token` (or `INFLUXDB3_URL`,
//! `INFLUXDB3_ACCOUNT_ID`, `INFLUXDB3_CLUSTER_ID`, `INFLUXDB3_MANAGEMENT_TOKEN`), and the shared
//! `ca_certificate` (or `INFLUXDB3_CA_CERTIFICATE`, a path or the PEM). Cloud Dedicated needs
//! `account_id` and `cluster_id`; Clustered needs neither, and a `url` pointing at the
//! cluster. The management token is only required once something calls the API, so
//! `terraform validate` and plans of new objects work without it.

pub mod client;
pub mod database;
pub mod database_token;
pub mod models;
pub mod partition_template;
pub mod renames;
pub mod snapshots;
pub mod table;
pub mod validation;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

pub use client::{ClientConfig, Deployment, ManagementClient};

use super::family::{env, validate_url, Connected, FamilyName, Product, Setting, Settings};
use super::http::{message_field, Api};
use super::registry::{Family, Registry};
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};

pub const DEFAULT_URL: &str = "https://console.influxdata.com";
const CA_ENV: &str = "INFLUXDB3_CA_CERTIFICATE";

/// Checks that a setting is a UUID.
pub fn validate_uuid(s: &str) -> Result<(), String> {
    uuid::Uuid::try_parse(s)
        .map(|_| ())
        .map_err(|_| format!("{s:?} is not a UUID (like 11111111-2222-3333-4444-555555555555)."))
}

/// How the Management API's errors are worded.
pub static MANAGEMENT_API: Api = Api {
    subject: "The InfluxDB Management API",
    object: "the InfluxDB Management API",
    log_name: "management API",
    client_name: "Management API client",
    url_setting: "the provider's `url`",
    url_example: "\"https://console.influxdata.com\" or \"https://cluster-host.com\"",
    token_setting: "the provider's `management_token` argument or the INFLUXDB3_MANAGEMENT_TOKEN environment variable",
    ca_setting: "the provider's `ca_certificate` (or INFLUXDB3_CA_CERTIFICATE, the path of a PEM file)",
    unauthorized: |message| {
        format!(
            "The InfluxDB Management API rejected the management token (401 Unauthorized: \
             {message}). Check the provider's `management_token` argument or the \
             INFLUXDB3_MANAGEMENT_TOKEN environment variable; management tokens can expire, \
             so you may need to create a new one."
        )
    },
    forbidden: |message| {
        format!(
            "The management token is not allowed to manage this account or cluster \
             (403 Forbidden: {message}). Check the provider's `account_id` and `cluster_id` \
             arguments (or INFLUXDB3_ACCOUNT_ID and INFLUXDB3_CLUSTER_ID) and that the \
             management token was issued for that account."
        )
    },
    conflict_hint: " An object with the same name may already exist. Import it or choose another name.",
    error_body_message: message_field,
};

static SETTINGS: [Setting; 4] = [
    Setting {
        name: "url",
        env: Some("INFLUXDB3_URL"),
        description: "Management API base URL (`http://` or `https://`). Cloud Dedicated defaults to `https://console.influxdata.com`; for Clustered, your cluster's own host. A URL that already ends in `/api/v0` is accepted.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider url", validate_url)),
    },
    Setting {
        name: "account_id",
        env: Some("INFLUXDB3_ACCOUNT_ID"),
        description: "Cloud Dedicated account ID (a UUID); set it together with `cluster_id`. Leave unset for Clustered.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid account_id", validate_uuid)),
    },
    Setting {
        name: "cluster_id",
        env: Some("INFLUXDB3_CLUSTER_ID"),
        description: "Cloud Dedicated cluster ID (a UUID); set it together with `account_id`. Leave unset for Clustered.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid cluster_id", validate_uuid)),
    },
    Setting {
        name: "management_token",
        env: Some("INFLUXDB3_MANAGEMENT_TOKEN"),
        description: "Management API token. Needed only once something calls the API, so `terraform validate` works without it.",
        sensitive: true,
        selects: true,
        validate: None,
    },
];

static NAME: FamilyName = FamilyName {
    key: "management",
    title: "InfluxDB 3 Cloud Dedicated and Clustered (the Management API)",
    configured_as: "InfluxDB 3 Cloud Dedicated / Clustered (url, account_id, cluster_id, management_token)",
    summary: "InfluxDB 3 Cloud Dedicated and Clustered databases, tables and database tokens through the Management API",
    products: &PRODUCTS,
};

static PRODUCTS: [Product; 2] = [
    Product {
        name: "InfluxDB 3 Cloud Dedicated",
        simulator: Some("dedicated"),
        needs: "account_id, cluster_id and management_token (or INFLUXDB3_ACCOUNT_ID, INFLUXDB3_CLUSTER_ID and INFLUXDB3_MANAGEMENT_TOKEN)",
        lacks: &[],
    },
    Product {
        name: "InfluxDB 3 Clustered",
        simulator: Some("clustered"),
        needs: "url and management_token (or INFLUXDB3_URL and INFLUXDB3_MANAGEMENT_TOKEN)",
        lacks: &[],
    },
];

/// The Management API family.
pub struct Management;

impl Family for Management {
    fn name(&self) -> &'static FamilyName {
        &NAME
    }
    fn settings(&self) -> &'static [Setting] {
        &SETTINGS
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        // Exactly one of account_id and cluster_id is an error, unless the other may still
        // come from the environment.
        let set = |n: &str| !config.attr(n).is_null();
        let known = |n: &str| config.attr(n).is_known();
        for (have, missing, env_name) in [
            ("account_id", "cluster_id", "INFLUXDB3_CLUSTER_ID"),
            ("cluster_id", "account_id", "INFLUXDB3_ACCOUNT_ID"),
        ] {
            if set(have) && known(have) && !set(missing) && env(env_name).is_none() {
                diags.push(
                    Diagnostic::error(
                        format!("Missing {missing}"),
                        format!(
                            "{have} is set, so this is Cloud Dedicated, which also needs {missing} (or the {env_name} environment variable). For InfluxDB Clustered set neither."
                        ),
                    )
                    .at(AttributePath::root(have)),
                );
            }
        }
    }

    fn configure(
        &self,
        settings: &Settings,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected> {
        let [url_s, account_s, cluster_s, token_s] = &SETTINGS;
        let url = settings.get(url_s);
        let account_id = settings.get(account_s);
        let cluster_id = settings.get(cluster_s);
        let token = settings.get(token_s);
        let ca_certificate = match settings.ca_certificate.clone() {
            Some(pem) => Some(pem),
            None => match env(CA_ENV).map(|v| ca_from_env(&v)).transpose() {
                Ok(pem) => pem,
                Err(e) => {
                    diags.error("Invalid INFLUXDB3_CA_CERTIFICATE", e);
                    return None;
                }
            },
        };
        if let Some(Err(e)) = ca_certificate
            .as_deref()
            .map(super::http::trust::validate_ca_pem)
        {
            diags.error(
                "Invalid provider ca_certificate",
                format!("The CA certificate is not usable: {e} Check the provider's ca_certificate setting or the {CA_ENV} environment variable."),
            );
            return None;
        }
        // Values from the environment get the same checks as configured ones.
        for (setting, value) in [
            (url_s, &url),
            (account_s, &account_id),
            (cluster_s, &cluster_id),
        ] {
            if let (Some(v), Some((_, check))) = (value.as_deref(), setting.validate) {
                if let Err(e) = check(v) {
                    diags.error(
                        format!("Invalid provider {}", setting.name),
                        format!(
                            "{e} Check the provider's {} setting or the {} environment variable.",
                            setting.name,
                            setting.env.unwrap_or_default()
                        ),
                    );
                }
            }
        }
        let deployment = match (account_id, cluster_id) {
            (Some(account_id), Some(cluster_id)) => Deployment::Dedicated {
                account_id,
                cluster_id,
            },
            (None, None) => Deployment::Clustered,
            (Some(_), None) => {
                diags.error("Missing cluster_id", "account_id is set, so this is Cloud Dedicated, which also needs cluster_id (or INFLUXDB3_CLUSTER_ID). For InfluxDB Clustered set neither.");
                return None;
            }
            (None, Some(_)) => {
                diags.error("Missing account_id", "cluster_id is set, so this is Cloud Dedicated, which also needs account_id (or INFLUXDB3_ACCOUNT_ID). For InfluxDB Clustered set neither.");
                return None;
            }
        };
        if diags.has_errors() {
            return None;
        }
        let url = match (url, &deployment) {
            (Some(u), _) => u,
            (None, Deployment::Dedicated { .. }) => DEFAULT_URL.to_owned(),
            (None, Deployment::Clustered) => {
                return Some(Err(Diagnostic::error(
                    "Missing provider url",
                    "Neither account_id nor cluster_id is set, so this is InfluxDB Clustered, which needs the cluster's URL: set the provider's url or INFLUXDB3_URL. For Cloud Dedicated set account_id and cluster_id. For InfluxDB OSS v2 or Cloud Serverless set host, token and org instead.",
                )))
            }
        };
        let Some(management_token) = token else {
            return Some(Err(Diagnostic::error(
                "Missing management token",
                "This operation calls the InfluxDB Management API, which needs a management token: set the provider's management_token or the INFLUXDB3_MANAGEMENT_TOKEN environment variable.",
            )));
        };
        let mut cfg = ClientConfig::new(url, deployment, management_token);
        cfg.ca_certificate = ca_certificate;
        cfg.policy = settings.policy();
        Some(
            ManagementClient::new(cfg, stop)
                .map(|c| Arc::new(c) as _)
                .map_err(|e| {
                    Diagnostic::error("Cannot create the Management API client", e.to_string())
                }),
        )
    }

    fn register(&self, r: &mut Registry) {
        let renames = Arc::new(renames::PlannedRenames::default());
        r.resource(database_token::resource::DatabaseTokenResource);
        r.resource(database::resource::DatabaseResource {
            renames: renames.clone(),
        });
        r.resource(table::TableResource { renames });
        r.data_source(database_token::data_source::DatabaseTokenDataSource);
        r.data_source(database_token::data_sources::DatabaseTokensDataSource);
        r.data_source(database::data_source::DatabaseDataSource);
        r.data_source(database::data_sources::DatabasesDataSource);
        r.ephemeral_resource(database_token::ephemeral::EphemeralDatabaseToken);
        r.list_resource(database_token::list::DatabaseTokenList);
        r.list_resource(database::list::DatabaseList);
    }
}

/// `INFLUXDB3_CA_CERTIFICATE` holds the PEM text itself or the path of a PEM file.
fn ca_from_env(value: &str) -> Result<String, String> {
    if value.contains("-----BEGIN") {
        return Ok(value.to_owned());
    }
    let path = value.trim();
    std::fs::read_to_string(path).map_err(|e| {
        format!("{CA_ENV} is neither PEM text nor the path of a readable file: {path:?}: {e}.")
    })
}

impl super::connection::FamilyClient for ManagementClient {}
