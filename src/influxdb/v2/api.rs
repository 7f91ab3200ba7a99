//! The InfluxDB v2 API as a provider block configures it: the client plus the default
//! organization (`org` or `org_id`, or `INFLUX_ORG` / `INFLUX_ORG_ID`), which a resource
//! without its own `org_id` uses. A name is looked up once, when first needed; so is what the
//! server says it is (`GET /ping`).

use std::sync::Mutex;

use super::client::V2Client;
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};
use crate::influxdb::connection::FamilyClient;

/// The provider's default organization, as given.
#[derive(Clone, Debug)]
pub enum OrgRef {
    Id(String),
    Name(String),
}

/// What every InfluxDB v2 resource receives: the client and the default organization.
pub struct V2Api {
    pub client: V2Client,
    org: Option<OrgRef>,
    /// The ID of `org` once looked up by name.
    org_id_cache: Mutex<Option<String>>,
    /// The server's `X-Influxdb-Build` once asked (`None` inside: it did not say).
    build: tokio::sync::OnceCell<Option<String>>,
}

impl FamilyClient for V2Api {
    /// A resource with an `org_id` attribute left unset needs the provider's organization.
    fn check_config(&self, config: &Value, diags: &mut Diagnostics) {
        let has_org_id = matches!(config, Value::Object(m) if m.contains_key("org_id"));
        if has_org_id && config.attr("org_id").is_null() && self.org.is_none() {
            diags.push(missing_org("org_id"));
        }
    }
}

impl V2Api {
    pub fn new(client: V2Client, org: Option<OrgRef>) -> Self {
        V2Api {
            client,
            org,
            org_id_cache: Mutex::new(None),
            build: tokio::sync::OnceCell::new(),
        }
    }

    /// What the server says it is (`X-Influxdb-Build` of `GET /ping`), asked once.
    async fn build(&self) -> Option<&str> {
        self.build
            .get_or_init(|| async { self.client.build().await })
            .await
            .as_deref()
            .map(str::trim)
    }

    /// Whether the server says it is InfluxDB OSS (`GET /ping` answers `X-Influxdb-Build:
    /// oss`), asked once. `false` when it says something else or nothing: only a server that
    /// says so is taken for OSS.
    pub async fn server_is_oss(&self) -> bool {
        self.build()
            .await
            .is_some_and(|b| b.eq_ignore_ascii_case("oss"))
    }

    /// Whether the server says it is InfluxDB Cloud (a `X-Influxdb-Build` containing `cloud`,
    /// as InfluxData's clients read it), asked once. `false` when it says nothing.
    pub async fn server_is_cloud(&self) -> bool {
        self.build()
            .await
            .is_some_and(|b| b.to_ascii_lowercase().contains("cloud"))
    }

    /// At plan: `type_name`, which InfluxDB Cloud Serverless lacks, fails naming the product
    /// when the server says it is InfluxDB Cloud (`how`: how Cloud Serverless does it instead).
    /// Nothing is said when the server does not tell (the apply meets the server's 404).
    pub async fn refuse_on_cloud(&self, type_name: &str, how: &str, diags: &mut Diagnostics) {
        if self.server_is_cloud().await {
            diags.error(
                format!("{type_name} is not available on InfluxDB Cloud Serverless"),
                format!("{type_name} exists on InfluxDB OSS v2 only, and this provider talks to InfluxDB Cloud Serverless (its /ping answers X-Influxdb-Build: Cloud). {how} Nothing was changed: remove the resource, or point the provider at an InfluxDB OSS v2 server."),
            );
        }
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
        let cached = self
            .org_id_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if cached.is_some() {
            return cached;
        }
        match self.client.find_org(name).await {
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
}
