//! The `influxdb` provider: its configuration, and the resources and data sources it offers.
//!
//! Settings come from the configuration or, when unset there, from the environment
//! (`INFLUXDB3_URL`, `INFLUXDB3_ACCOUNT_ID`, `INFLUXDB3_CLUSTER_ID`,
//! `INFLUXDB3_MANAGEMENT_TOKEN`, `INFLUXDB3_CA_CERTIFICATE`). Cloud Dedicated needs
//! `account_id` and `cluster_id`; Clustered needs neither, and a `url` pointing at the
//! cluster. The management token is only required once something actually calls the API, so
//! `terraform validate` works without it.
//!
//! One provider block talks to one InfluxDB. InfluxDB OSS v2 and Cloud Serverless (`/api/v2`)
//! are configured with `host`, `token` and `org` or `org_id` instead (or the `influx` CLI's
//! `INFLUX_HOST`, `INFLUX_TOKEN`, `INFLUX_ORG`, `INFLUX_ORG_ID`); see [`super::product`] for
//! how the product is chosen and how a resource of the other product is refused at plan.
//! `ca_certificate` applies to either product (its environment variable only to InfluxDB 3).

use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::client::{ClientConfig, ManagementClient, Product};
use super::product::{self, Configured, V2Settings};
use crate::engine::ephemeral::DynEphemeralResource;
use crate::engine::list::DynListResource;
use crate::engine::resource::{DynDataSource, DynResource};
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Schema, Type, Value};

pub const DEFAULT_URL: &str = "https://console.influxdata.com";

#[derive(Deserialize, Default)]
pub struct Config {
    pub url: Option<String>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
    pub management_token: Option<String>,
    // InfluxDB OSS v2 / Cloud Serverless.
    pub host: Option<String>,
    pub token: Option<String>,
    pub org: Option<String>,
    pub org_id: Option<String>,
    // Either product.
    pub ca_certificate: Option<String>,
}

/// What every resource and data source receives: the client of the product this provider
/// block talks to, or the reason there is none. The accessors (`client` for the Management
/// API, `v2` for `/api/v2`) live in [`super::product`].
pub struct Influx {
    pub(super) configured: Configured,
}

/// The provider's source address, the one users write in `required_providers` (also in
/// Cargo.toml's `[package.metadata.terraform]`, which scripts/release.sh reads; a test checks
/// that the two, docs/ and examples/ agree).
pub const SOURCE_ADDRESS: &str = "example.com/influxdata/influxdb";

/// The provider's name: the local name in configurations and the prefix of every type name.
pub const NAME: &str = "influxdb";

pub struct InfluxProvider;

fn setting(name: &str, env: &str, description: &str) -> Attribute {
    Attribute::optional(name, Type::String).describe(&format!(
        "{description} May also be set with the `{env}` environment variable; the configuration wins."
    ))
}

pub fn validate_url(s: &str) -> Result<(), String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an http:// or https:// URL."))?;
    if rest.trim_matches('/').is_empty() {
        return Err(format!("{s:?} has no host."));
    }
    Ok(())
}

pub fn validate_uuid(s: &str) -> Result<(), String> {
    uuid::Uuid::try_parse(s)
        .map(|_| ())
        .map_err(|_| format!("{s:?} is not a UUID (like 11111111-2222-3333-4444-555555555555)."))
}

const ATTRS: [(&str, &str); 4] = [
    ("url", "INFLUXDB3_URL"),
    ("account_id", "INFLUXDB3_ACCOUNT_ID"),
    ("cluster_id", "INFLUXDB3_CLUSTER_ID"),
    ("management_token", "INFLUXDB3_MANAGEMENT_TOKEN"),
];

const CA_ENV: &str = "INFLUXDB3_CA_CERTIFICATE";

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

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[async_trait]
impl crate::engine::Provider for InfluxProvider {
    type Client = Influx;
    type Config = Config;

    fn schema(&self) -> Schema {
        Schema::new(
            "Manages InfluxDB 3 Cloud Dedicated and Clustered databases and database tokens through the Management API, and API tokens (authorizations) of InfluxDB OSS v2 and Cloud Serverless through `/api/v2`.",
            vec![
                setting("url", "INFLUXDB3_URL", "Management API base URL (`http://` or `https://`). Cloud Dedicated defaults to `https://console.influxdata.com`; for Clustered, your cluster's own host. A URL that already ends in `/api/v0` is accepted.")
                    .validate_str("Invalid provider url", validate_url),
                setting("account_id", "INFLUXDB3_ACCOUNT_ID", "Cloud Dedicated account ID (a UUID); set it together with `cluster_id`. Leave unset for Clustered.")
                    .validate_str("Invalid account_id", validate_uuid),
                setting("cluster_id", "INFLUXDB3_CLUSTER_ID", "Cloud Dedicated cluster ID (a UUID); set it together with `account_id`. Leave unset for Clustered.")
                    .validate_str("Invalid cluster_id", validate_uuid),
                setting("management_token", "INFLUXDB3_MANAGEMENT_TOKEN", "Management API token. Needed only once something calls the API, so `terraform validate` works without it.")
                    .sensitive(),
                setting("host", "INFLUX_HOST", "InfluxDB OSS v2 or Cloud Serverless: the URL of the server, e.g. `http://localhost:8086` or `https://us-east-1-1.aws.cloud2.influxdata.com`.")
                    .validate_str("Invalid provider host", validate_url),
                setting("token", "INFLUX_TOKEN", "InfluxDB OSS v2 or Cloud Serverless: an API token allowed to manage authorizations (an operator or all-access token).")
                    .sensitive(),
                setting("org", "INFLUX_ORG", "InfluxDB OSS v2 or Cloud Serverless: the name of the default organization of the resources (looked up once, when first needed). Set `org` or `org_id`, not both.")
                    .validate_str("Invalid provider org", crate::engine::schema::validators::not_empty),
                setting("org_id", "INFLUX_ORG_ID", "InfluxDB OSS v2 or Cloud Serverless: the ID of the default organization (16 hexadecimal digits). Set `org` or `org_id`, not both. `INFLUX_ORG_ID` wins over `INFLUX_ORG`, as in the `influx` CLI.")
                    .validate_str("Invalid provider org_id", product::validate_v2_id),
                Attribute::optional("ca_certificate", Type::String)
                    .describe("A certificate authority to trust for HTTPS to InfluxDB, in PEM form (for example `file(\"ca.pem\")`), for an InfluxDB Clustered (or an InfluxDB OSS v2 `host`) behind a private CA. It is trusted by this provider only, in addition to the system's roots. For InfluxDB 3 it may also be set with the `INFLUXDB3_CA_CERTIFICATE` environment variable (a file path or the PEM text); the configuration wins. Certificate verification cannot be turned off.")
                    .validate_str("Invalid ca_certificate", super::trust::validate_ca_pem),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        product::validate_settings(config, diags);
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

    async fn configure(
        &self,
        config: Config,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Influx> {
        let pick = |v: Option<String>, env_name: &str| {
            v.filter(|s| !s.is_empty()).or_else(|| env(env_name))
        };
        let v2 = V2Settings {
            host: config.host.clone(),
            token: config.token.clone(),
            org: config.org.clone(),
            org_id: config.org_id.clone(),
            ca_certificate: config.ca_certificate.clone(),
        };
        let v3_configured = [
            &config.url,
            &config.account_id,
            &config.cluster_id,
            &config.management_token,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.is_empty()));
        if product::wants_v2(&v2, v3_configured, diags)? {
            return product::configure_v2(v2, stop, diags);
        }
        let url = pick(config.url, "INFLUXDB3_URL");
        let account_id = pick(config.account_id, "INFLUXDB3_ACCOUNT_ID");
        let cluster_id = pick(config.cluster_id, "INFLUXDB3_CLUSTER_ID");
        let token = pick(config.management_token, "INFLUXDB3_MANAGEMENT_TOKEN");
        if let Some(t) = &token {
            crate::log::redact(t);
        }
        let ca_certificate = match config.ca_certificate.filter(|s| !s.trim().is_empty()) {
            Some(pem) => Some(pem),
            None => match env(CA_ENV).map(|v| ca_from_env(&v)).transpose() {
                Ok(pem) => pem,
                Err(e) => {
                    diags.error("Invalid INFLUXDB3_CA_CERTIFICATE", e);
                    return None;
                }
            },
        };
        if let Some(Err(e)) = ca_certificate.as_deref().map(super::trust::validate_ca_pem) {
            diags.error(
                "Invalid provider ca_certificate",
                format!("The CA certificate is not usable: {e} Check the provider's ca_certificate setting or the {CA_ENV} environment variable."),
            );
            return None;
        }

        // Values from the environment get the same checks as configured ones.
        for ((name, env_name), value, check) in [
            (
                ATTRS[0],
                &url,
                validate_url as fn(&str) -> Result<(), String>,
            ),
            (ATTRS[1], &account_id, validate_uuid),
            (ATTRS[2], &cluster_id, validate_uuid),
        ] {
            if let Some(Err(e)) = value.as_deref().map(check) {
                diags.error(
                    format!("Invalid provider {name}"),
                    format!("{e} Check the provider's {name} setting or the {env_name} environment variable."),
                );
            }
        }
        let product = match (account_id, cluster_id) {
            (Some(account_id), Some(cluster_id)) => Product::Dedicated {
                account_id,
                cluster_id,
            },
            (None, None) => Product::Clustered,
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
        let url = match (url, &product) {
            (Some(u), _) => u,
            (None, Product::Dedicated { .. }) => DEFAULT_URL.to_owned(),
            (None, Product::Clustered) => {
                return Some(Influx {
                    configured: Configured::Management(Err(Diagnostic::error(
                        "Missing provider url",
                        "Neither account_id nor cluster_id is set, so this is InfluxDB Clustered, which needs the cluster's URL: set the provider's url or INFLUXDB3_URL. For Cloud Dedicated set account_id and cluster_id. For InfluxDB OSS v2 or Cloud Serverless set host, token and org instead.",
                    ))),
                })
            }
        };
        let client = match token {
            None => Err(Diagnostic::error(
                "Missing management token",
                "This operation calls the InfluxDB Management API, which needs a management token: set the provider's management_token or the INFLUXDB3_MANAGEMENT_TOKEN environment variable.",
            )),
            Some(management_token) => {
                let mut cfg = ClientConfig::new(url, product, management_token);
                cfg.ca_certificate = ca_certificate;
                ManagementClient::new(cfg, stop).map_err(|e| {
                    Diagnostic::error("Cannot create the Management API client", e.to_string())
                })
            }
        };
        Some(Influx {
            configured: Configured::Management(client),
        })
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource<Influx>>> {
        super::resources::all()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Influx>>> {
        super::data_sources::all()
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn DynEphemeralResource<Influx>>> {
        super::ephemeral::all()
    }

    fn list_resources(&self) -> Vec<Arc<dyn DynListResource<Influx>>> {
        super::list::all()
    }
}
