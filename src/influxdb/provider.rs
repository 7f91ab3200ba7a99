//! The `influxdb` provider: its configuration schema, built from the settings every API family
//! declares ([`super::products::FAMILIES`]), the choice of the family a provider block talks
//! to, and the resources the families offer.
//!
//! Settings come from the configuration or, when unset there, from the environment variables
//! the families declare. One provider block talks to one InfluxDB; see [`super::products`] for
//! how the family is chosen and [`super::connection`] for how a resource of another family is
//! refused at plan.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::connection::Connection;
use super::family::Settings;
use super::http::trust::validate_ca_pem;
use super::products::{self, FAMILIES};
use super::registry::Registry;
use crate::engine::ephemeral::DynEphemeralResource;
use crate::engine::list::DynListResource;
use crate::engine::provider::Offerings;
use crate::engine::resource::{DynDataSource, DynResource};
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, Schema, Type, Value};

/// The provider's source address, the one users write in `required_providers` (also in
/// Cargo.toml's `[package.metadata.terraform]`, which scripts/release.sh reads; a test checks
/// that the two, docs/ and examples/ agree).
pub const SOURCE_ADDRESS: &str = "example.com/influxdata/influxdb";

/// The provider's name: the local name in configurations and the prefix of every type name.
pub const NAME: &str = "influxdb";

/// The settings every family shares.
pub const CA_CERTIFICATE: &str = "ca_certificate";
pub const RETRY_TIMEOUT: &str = "retry_timeout";

/// `retry_timeout`: a duration of at least one second, such as `"60s"` or `"5m"`.
pub fn parse_retry_timeout(s: &str) -> Result<std::time::Duration, String> {
    let ns = super::duration::parse_duration(s)?;
    let d = std::time::Duration::from_nanos(u64::try_from(ns).unwrap_or(0));
    if d < std::time::Duration::from_secs(1) {
        return Err(format!(
            "The retry timeout {s:?} is shorter than one second; use for example \"60s\"."
        ));
    }
    Ok(d)
}

pub struct InfluxProvider;

fn description() -> String {
    let what: Vec<&str> = FAMILIES.iter().map(|f| f.name().summary).collect();
    format!("Manages {}.", what.join("; "))
}

#[async_trait]
impl crate::engine::Provider for InfluxProvider {
    type Client = Connection;
    type Config = HashMap<String, Option<String>>;

    fn schema(&self) -> Schema {
        let mut attributes: Vec<Attribute> = Vec::new();
        for s in FAMILIES.iter().flat_map(|f| f.settings()) {
            let mut description = s.description.to_owned();
            if let Some(env) = s.env {
                description.push_str(&format!(
                    " May also be set with the `{env}` environment variable; the configuration wins."
                ));
            }
            // A setting two families share (`url`) is one attribute: both descriptions, and
            // each family's own check at configure.
            if let Some(a) = attributes.iter_mut().find(|a| a.name == s.name) {
                a.description = format!("{}\n\n{description}", a.description);
                continue;
            }
            let mut a = Attribute::optional(s.name, Type::String).describe(&description);
            if s.sensitive {
                a = a.sensitive();
            }
            if let Some((summary, check)) = s.validate {
                a = a.validate_str(summary, check);
            }
            attributes.push(a);
        }
        attributes.push(
            Attribute::optional(CA_CERTIFICATE, Type::String)
                .describe("A certificate authority to trust for HTTPS to InfluxDB, in PEM form (for example `file(\"ca.pem\")`), for an InfluxDB Clustered (or an InfluxDB OSS v2 `host`) behind a private CA. It is trusted by this provider only, in addition to the system's roots. For InfluxDB 3 it may also be set with the `INFLUXDB3_CA_CERTIFICATE` environment variable (a file path or the PEM text); the configuration wins. Certificate verification cannot be turned off.")
                .validate_str("Invalid ca_certificate", validate_ca_pem),
        );
        attributes.push(
            Attribute::optional(RETRY_TIMEOUT, Type::String)
                .describe("How long one call to InfluxDB is retried in all (connection errors, timeouts, 429, 502, 503, 504, honouring `Retry-After`) before it fails, as a duration such as `\"60s\"` or `\"5m\"`. Default `\"60s\"`. A server that has never answered since the provider started and refuses the connection (or whose name does not resolve) is tried 3 times only: that is almost always a wrong address.")
                .validate_str("Invalid retry_timeout", |s| parse_retry_timeout(s).map(|_| ())),
        );
        Schema::new(&description(), attributes)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        products::validate(config, diags);
    }

    async fn configure(
        &self,
        mut config: HashMap<String, Option<String>>,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connection> {
        let ca_certificate = config
            .remove(CA_CERTIFICATE)
            .flatten()
            .filter(|s| !s.trim().is_empty());
        let retry_timeout = config.remove(RETRY_TIMEOUT).flatten();
        let configured = config
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect();
        let mut settings = Settings::new(configured, ca_certificate);
        if let Some(s) = retry_timeout.filter(|s| !s.is_empty()) {
            match parse_retry_timeout(&s) {
                Ok(d) => settings.retry_timeout = d,
                Err(e) => {
                    diags.error("Invalid retry_timeout", e);
                    return None;
                }
            }
        }
        let family = products::choose(&settings, diags)?;
        let client = family.configure(&settings, stop, diags)?;
        Some(Connection::new(
            family.name(),
            client,
            products::products_help(),
        ))
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource<Connection>>> {
        Registry::of_families(FAMILIES).resources
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Connection>>> {
        Registry::of_families(FAMILIES).data_sources
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn DynEphemeralResource<Connection>>> {
        Registry::of_families(FAMILIES).ephemeral_resources
    }

    fn list_resources(&self) -> Vec<Arc<dyn DynListResource<Connection>>> {
        Registry::of_families(FAMILIES).list_resources
    }

    /// Another provider's state of one of our type names (after `replace-provider`) is read
    /// through [`super::migrate`].
    fn upgrade_state(
        &self,
        state: crate::engine::provider::StoredState<'_>,
        diags: &mut Diagnostics,
    ) -> Option<serde_json::Value> {
        super::migrate::upgrade(state, diags)
    }

    /// A `moved` block from another provider's type is read through [`super::migrate`].
    fn move_state(
        &self,
        state: crate::engine::provider::StoredState<'_>,
        diags: &mut Diagnostics,
    ) -> Option<serde_json::Value> {
        super::migrate::move_state(state, diags)
    }

    /// Every family registers once.
    fn offerings(&self) -> Offerings<Connection> {
        let r = Registry::of_families(FAMILIES);
        Offerings {
            resources: r.resources,
            data_sources: r.data_sources,
            ephemeral_resources: r.ephemeral_resources,
            list_resources: r.list_resources,
        }
    }
}
