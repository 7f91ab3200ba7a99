//! The `influxdb` provider: its configuration, and the resources and data sources it offers.
//!
//! Settings come from the configuration or, when unset there, from the environment
//! (`INFLUXDB3_URL`, `INFLUXDB3_ACCOUNT_ID`, `INFLUXDB3_CLUSTER_ID`,
//! `INFLUXDB3_MANAGEMENT_TOKEN`, `INFLUXDB3_CA_CERTIFICATE`). Cloud Dedicated needs
//! `account_id` and `cluster_id`; Clustered needs neither, and a `url` pointing at the
//! cluster. The management token is only required once something actually calls the API, so
//! `terraform validate` works without it.

use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::client::{ClientConfig, ManagementClient, Product};
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
    pub ca_certificate: Option<String>,
}

/// What every resource and data source receives: the API client, or the reason there is none.
pub struct Influx {
    client: Result<ManagementClient, Diagnostic>,
}

impl Influx {
    /// The client; records why it is unavailable when it is.
    pub fn client(&self, diags: &mut Diagnostics) -> Option<&ManagementClient> {
        match &self.client {
            Ok(c) => Some(c),
            Err(d) => {
                diags.push(d.clone());
                None
            }
        }
    }
}

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
            "Manages InfluxDB 3 Cloud Dedicated and Clustered databases and database tokens through the Management API.",
            vec![
                setting("url", "INFLUXDB3_URL", "Management API base URL. Cloud Dedicated defaults to `https://console.influxdata.com`; for Clustered, your cluster's own host.")
                    .validate_str("Invalid provider url", validate_url),
                setting("account_id", "INFLUXDB3_ACCOUNT_ID", "Cloud Dedicated account ID (a UUID). Leave unset for Clustered.")
                    .validate_str("Invalid account_id", validate_uuid),
                setting("cluster_id", "INFLUXDB3_CLUSTER_ID", "Cloud Dedicated cluster ID (a UUID). Leave unset for Clustered.")
                    .validate_str("Invalid cluster_id", validate_uuid),
                setting("management_token", "INFLUXDB3_MANAGEMENT_TOKEN", "Management API token.")
                    .sensitive(),
                Attribute::optional("ca_certificate", Type::String)
                    .describe("A certificate authority to trust for the Management API's HTTPS, in PEM form (for example `file(\"ca.pem\")`), for an InfluxDB Clustered behind a private CA. It is trusted by this provider only, in addition to the system's roots. May also be set with the `INFLUXDB3_CA_CERTIFICATE` environment variable (a file path or the PEM text); the configuration wins. Certificate verification cannot be turned off.")
                    .validate_str("Invalid ca_certificate", super::trust::validate_ca_pem),
            ],
        )
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

    async fn configure(
        &self,
        config: Config,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Influx> {
        let pick = |v: Option<String>, env_name: &str| {
            v.filter(|s| !s.is_empty()).or_else(|| env(env_name))
        };
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
                    client: Err(Diagnostic::error(
                        "Missing provider url",
                        "Neither account_id nor cluster_id is set, so this is InfluxDB Clustered, which needs the cluster's URL: set the provider's url or INFLUXDB3_URL. For Cloud Dedicated set account_id and cluster_id.",
                    )),
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
        Some(Influx { client })
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource<Influx>>> {
        super::resources::all()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Influx>>> {
        super::data_sources::all()
    }
}
