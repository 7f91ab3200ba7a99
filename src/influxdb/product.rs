//! Which InfluxDB a provider block talks to, and the refusal of a resource of the other one.
//!
//! One provider block talks to one InfluxDB: InfluxDB 3 Cloud Dedicated or Clustered through
//! the Management API (`url`, `account_id`, `cluster_id`, `management_token`), or InfluxDB OSS
//! v2 / Cloud Serverless through `/api/v2` (`host`, `token`, `org` or `org_id`). The product is
//! chosen from the configuration first (mixing settings of both is an error at validate), then
//! from the environment (`INFLUX_HOST` / `INFLUX_TOKEN` against `INFLUXDB3_*`). Every resource
//! says which product it belongs to in its `check_provider`, so that using it under a provider
//! block of the other product fails at plan, before any API call, with a message that says
//! which settings each product needs.

use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

use super::client::ManagementClient;
use super::provider::{validate_url, Influx};
use super::v2::V2Client;
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};

const V3_SETTINGS: [&str; 4] = ["url", "account_id", "cluster_id", "management_token"];
const V2_SETTINGS: [&str; 4] = ["host", "token", "org", "org_id"];

/// The sentence every product mismatch ends with.
pub const PRODUCTS_HELP: &str = "Each provider block talks to one InfluxDB. InfluxDB 3 Cloud Dedicated needs account_id, cluster_id and management_token (InfluxDB 3 Clustered: url and management_token), or the INFLUXDB3_* environment variables. InfluxDB OSS v2 and Cloud Serverless need host, token and org (or org_id), or INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG (or INFLUX_ORG_ID). To manage both, declare a second provider block with an alias and set `provider = influxdb.ALIAS` on its resources.";

/// The configured product and its client (or the reason there is none).
pub enum Configured {
    Management(Result<ManagementClient, Diagnostic>),
    V2(V2Target),
}

/// An InfluxDB OSS v2 or Cloud Serverless server and its default organization.
pub struct V2Target {
    client: Result<V2Client, Diagnostic>,
    org: Option<OrgRef>,
    /// The ID of `org` once looked up by name.
    org_id_cache: Mutex<Option<String>>,
}

#[derive(Clone, Debug)]
enum OrgRef {
    Id(String),
    Name(String),
}

impl Influx {
    /// The Management API client; records why it is unavailable when it is.
    pub fn client(&self, diags: &mut Diagnostics) -> Option<&ManagementClient> {
        match &self.configured {
            Configured::Management(Ok(c)) => Some(c),
            Configured::Management(Err(d)) => {
                diags.push(d.clone());
                None
            }
            Configured::V2(_) => {
                diags.push(mismatch("This resource", true));
                None
            }
        }
    }

    /// The InfluxDB v2 server; records why it is unavailable when it is.
    pub fn v2(&self, diags: &mut Diagnostics) -> Option<&V2Target> {
        match &self.configured {
            Configured::V2(t) => Some(t),
            Configured::Management(_) => {
                diags.push(mismatch("This resource", false));
                None
            }
        }
    }

    /// For `check_provider` of InfluxDB 3 resources: the provider block must be InfluxDB 3.
    pub fn require_management(&self, type_name: &str, diags: &mut Diagnostics) {
        if matches!(self.configured, Configured::V2(_)) {
            diags.push(mismatch(type_name, true));
        }
    }

    /// For `check_provider` of InfluxDB v2 resources: the provider block must be v2.
    pub fn require_v2(&self, type_name: &str, diags: &mut Diagnostics) {
        if matches!(self.configured, Configured::Management(_)) {
            diags.push(mismatch(type_name, false));
        }
    }
}

fn mismatch(what: &str, wants_management: bool) -> Diagnostic {
    let (belongs, configured) = if wants_management {
        (
            "InfluxDB 3 Cloud Dedicated and Clustered (the Management API)",
            "InfluxDB OSS v2 / Cloud Serverless (host, token, org)",
        )
    } else {
        (
            "InfluxDB OSS v2 and Cloud Serverless (/api/v2)",
            "InfluxDB 3 Cloud Dedicated / Clustered (url, account_id, cluster_id, management_token)",
        )
    };
    Diagnostic::error(
        "Resource and provider are for different InfluxDB products",
        format!(
            "{what} belongs to {belongs}, but this provider block is configured for {configured}. {PRODUCTS_HELP}"
        ),
    )
}

impl V2Target {
    pub fn client(&self, diags: &mut Diagnostics) -> Option<&V2Client> {
        match &self.client {
            Ok(c) => Some(c),
            Err(d) => {
                diags.push(d.clone());
                None
            }
        }
    }

    /// Whether the provider names a default organization.
    pub fn has_org(&self) -> bool {
        self.org.is_some()
    }

    /// The provider's organization name, when it was given by name.
    pub fn org_name(&self) -> Option<&str> {
        match &self.org {
            Some(OrgRef::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// The organization ID for a resource: its own `org_id`, else the provider's (looked up
    /// by name once). The error names `attribute`.
    pub async fn org_id(
        &self,
        explicit: Option<&str>,
        attribute: &str,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        if let Some(id) = explicit.filter(|s| !s.is_empty()) {
            return Some(id.to_owned());
        }
        let name = match &self.org {
            Some(OrgRef::Id(id)) => return Some(id.clone()),
            Some(OrgRef::Name(n)) => n,
            None => {
                diags.push(missing_org(attribute));
                return None;
            }
        };
        if let Some(id) = self
            .org_id_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return Some(id);
        }
        let client = self.client(diags)?;
        match client.find_org(name).await {
            Ok(Some(o)) => {
                *self.org_id_cache.lock().unwrap_or_else(|e| e.into_inner()) = Some(o.id.clone());
                Some(o.id)
            }
            Ok(None) => {
                diags.error(
                    "Organization not found",
                    format!("InfluxDB has no organization named {name:?} visible to the provider's token. Check the provider's org (or INFLUX_ORG), or set org_id."),
                );
                None
            }
            Err(e) => {
                diags.error("Looking up the organization failed", e.to_string());
                None
            }
        }
    }
}

/// The error for a resource without an organization, on `attribute`.
pub fn missing_org(attribute: &str) -> Diagnostic {
    Diagnostic::error(
        "Missing organization",
        format!("{attribute} is not set and the provider has no default organization. Set {attribute} here, or org or org_id in the provider block (or INFLUX_ORG / INFLUX_ORG_ID)."),
    )
    .at(AttributePath::root(attribute))
}

/// An InfluxDB v2 ID: 16 lowercase hexadecimal digits.
pub fn validate_v2_id(s: &str) -> Result<(), String> {
    if s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not an InfluxDB ID (16 lowercase hexadecimal digits, like 0123456789abcdef)."
        ))
    }
}

/// Provider validation: settings of two products, or both org and org_id.
pub fn validate_settings(config: &Value, diags: &mut Diagnostics) {
    let set = |n: &str| !config.attr(n).is_null();
    let v3: Vec<&str> = V3_SETTINGS.into_iter().filter(|n| set(n)).collect();
    let v2: Vec<&str> = V2_SETTINGS.into_iter().filter(|n| set(n)).collect();
    if !v3.is_empty() && !v2.is_empty() {
        diags.push(
            Diagnostic::error(
                "Provider settings of two InfluxDB products",
                format!(
                    "{} configure InfluxDB 3 and {} configure InfluxDB OSS v2 / Cloud Serverless. {PRODUCTS_HELP}",
                    v3.join(", "),
                    v2.join(", ")
                ),
            )
            .at(AttributePath::root(v2[0])),
        );
    }
    if set("org") && set("org_id") {
        diags.push(
            Diagnostic::error(
                "Both org and org_id are set",
                "Set the default organization by name (org) or by ID (org_id), not both.",
            )
            .at(AttributePath::root("org_id")),
        );
    }
}

/// The v2 settings as configured (before the environment).
pub struct V2Settings {
    pub host: Option<String>,
    pub token: Option<String>,
    pub org: Option<String>,
    pub org_id: Option<String>,
    /// PEM; from the configuration only (INFLUXDB3_CA_CERTIFICATE is InfluxDB 3's).
    pub ca_certificate: Option<String>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn given(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.is_empty())
}

/// Whether this provider block is for InfluxDB v2; `None` (with an error) when it cannot tell.
pub fn wants_v2(v2: &V2Settings, v3_configured: bool, diags: &mut Diagnostics) -> Option<bool> {
    let v2_configured = [&v2.host, &v2.token, &v2.org, &v2.org_id]
        .iter()
        .any(|v| given(v).is_some());
    if v2_configured && v3_configured {
        diags.error(
            "Provider settings of two InfluxDB products",
            format!("This provider block mixes InfluxDB 3 and InfluxDB OSS v2 / Cloud Serverless settings. {PRODUCTS_HELP}"),
        );
        return None;
    }
    if v2_configured || v3_configured {
        return Some(v2_configured);
    }
    let env_v2 = env("INFLUX_HOST").is_some() || env("INFLUX_TOKEN").is_some();
    let env_v3 = [
        "INFLUXDB3_URL",
        "INFLUXDB3_ACCOUNT_ID",
        "INFLUXDB3_CLUSTER_ID",
        "INFLUXDB3_MANAGEMENT_TOKEN",
    ]
    .iter()
    .any(|n| env(n).is_some());
    if env_v2 && env_v3 {
        diags.error(
            "Environment of two InfluxDB products",
            format!("The provider block sets nothing, and the environment has both INFLUX_HOST / INFLUX_TOKEN (InfluxDB OSS v2) and INFLUXDB3_* (InfluxDB 3) variables, so it cannot tell which InfluxDB to use. Set the settings in the provider block. {PRODUCTS_HELP}"),
        );
        return None;
    }
    Some(env_v2)
}

/// Configures a v2 provider block from its settings and the environment.
pub fn configure_v2(
    v2: V2Settings,
    stop: CancellationToken,
    diags: &mut Diagnostics,
) -> Option<Influx> {
    let host = given(&v2.host).or_else(|| env("INFLUX_HOST"));
    let token = given(&v2.token).or_else(|| env("INFLUX_TOKEN"));
    if let Some(t) = &token {
        crate::log::redact(t);
    }
    // A configured org (by either form) wins over the environment; from the environment the
    // ID wins, as in the influx CLI.
    let org = match (given(&v2.org), given(&v2.org_id)) {
        (_, Some(id)) => Some(OrgRef::Id(id)),
        (Some(name), None) => Some(OrgRef::Name(name)),
        (None, None) => env("INFLUX_ORG_ID")
            .map(OrgRef::Id)
            .or_else(|| env("INFLUX_ORG").map(OrgRef::Name)),
    };
    if let Some(Err(e)) = host.as_deref().map(validate_url) {
        diags.error(
            "Invalid provider host",
            format!(
                "{e} Check the provider's host setting or the INFLUX_HOST environment variable."
            ),
        );
    }
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
    let client = match (host, token) {
        (None, _) => Err(Diagnostic::error(
            "Missing provider host",
            "This provider block is for InfluxDB OSS v2 / Cloud Serverless, which needs the server's URL: set the provider's host or INFLUX_HOST (for example http://localhost:8086).",
        )),
        (Some(_), None) => Err(Diagnostic::error(
            "Missing provider token",
            "This operation calls the InfluxDB v2 API, which needs an API token: set the provider's token or the INFLUX_TOKEN environment variable.",
        )),
        (Some(host), Some(token)) => V2Client::with_options(
            &host,
            &token,
            V2Client::DEFAULT_POLICY,
            given(&v2.ca_certificate).as_deref(),
            stop,
        )
        .map_err(|e| Diagnostic::error("Cannot create the InfluxDB v2 API client", e.to_string())),
    };
    Some(Influx {
        configured: Configured::V2(V2Target {
            client,
            org,
            org_id_cache: Mutex::new(None),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_ids_are_sixteen_lowercase_hex_digits() {
        assert!(validate_v2_id("0123456789abcdef").is_ok());
        for bad in ["0123456789ABCDEF", "0123", "0123456789abcdeg", ""] {
            assert!(validate_v2_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_mismatch_says_what_each_product_needs() {
        let d = mismatch("influxdb_database", true);
        for word in ["influxdb_database", "account_id", "host", "token", "alias"] {
            assert!(d.detail.contains(word), "{word}: {}", d.detail);
        }
    }
}
