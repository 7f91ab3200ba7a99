//! What an API family declares to join the provider: its products, its provider settings (and
//! the environment variables behind them), how a provider block of it is configured into a
//! client, and the resources it offers. The families are listed once, in
//! [`super::products::FAMILIES`]; everything that depends on the products (the provider schema,
//! which family a provider block talks to, the "which settings does each product need" error,
//! the docs' product tables) is derived from that list.
//!
//! A resource names the client it needs through its `Client` type (for example
//! `ManagementClient`); [`Registry`] wraps it with the adapter of [`super::adapter`], which
//! fetches that client from the configured provider or says why it cannot. Resource code
//! never looks at which product is configured.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::adapter::{Adapted, FamilyClient};
use super::http::Policy;
use crate::engine::ephemeral::{ephemeral_resource, DynEphemeralResource, EphemeralResource};
use crate::engine::list::{list_resource, DynListResource, ListResource};
use crate::engine::resource::{data_source, resource, DataSource, DynDataSource, DynResource};
use crate::engine::{Diagnostic, Diagnostics, Resource, Value};

/// One InfluxDB product, as users know it.
pub struct Product {
    /// "InfluxDB 3 Cloud Dedicated".
    pub name: &'static str,
    /// The simulator's `--product` value for it, when the simulator serves it.
    pub simulator: Option<&'static str>,
    /// What a provider block for it needs, e.g. "account_id, cluster_id and
    /// management_token".
    pub needs: &'static str,
}

/// One provider setting of a family.
pub struct Setting {
    pub name: &'static str,
    /// The environment variable read when the setting is unset.
    pub env: Option<&'static str>,
    pub description: &'static str,
    pub sensitive: bool,
    /// Whether setting this (in the configuration, or its environment variable) says that the
    /// provider block is for this family. A setting shared by every family (`ca_certificate`)
    /// is declared by the provider itself, not here.
    pub selects: bool,
    /// A plan-time check of the value: (diagnostic summary, check).
    pub validate: Option<(&'static str, fn(&str) -> Result<(), String>)>,
}

/// The provider block's settings: what the configuration says, else the environment.
pub struct Settings {
    configured: HashMap<String, String>,
    /// PEM from `ca_certificate`, shared by every family.
    pub ca_certificate: Option<String>,
    /// `retry_timeout`, shared by every family: how long one call is retried in all.
    pub retry_timeout: Duration,
}

impl Settings {
    pub fn new(configured: HashMap<String, String>, ca_certificate: Option<String>) -> Self {
        Settings {
            configured,
            ca_certificate,
            retry_timeout: Policy::DEFAULT.retry_deadline,
        }
    }

    /// The HTTP core's timings for this provider block: the defaults, with `retry_timeout`.
    pub fn policy(&self) -> Policy {
        Policy {
            retry_deadline: self.retry_timeout,
            ..Policy::DEFAULT
        }
    }

    /// The configured value of `name` (never the environment).
    pub fn configured(&self, name: &str) -> Option<&str> {
        self.configured
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The configured value, else the environment variable's.
    pub fn get(&self, setting: &Setting) -> Option<String> {
        self.configured(setting.name)
            .map(str::to_owned)
            .or_else(|| setting.env.and_then(env))
    }
}

/// An environment variable that is set and not blank.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// What configuring a provider block of a family yields: the family's client (any type the
/// family's resources name as their `Client`), or the reason there is none (reported when a
/// resource first needs it, so that `terraform plan` of a configuration without a token still
/// validates).
pub type Connected = Result<Arc<dyn Any + Send + Sync>, Diagnostic>;

/// An InfluxDB API family: a folder under `src/influxdb/` and one line in
/// [`super::products::FAMILIES`].
pub trait Family: Send + Sync + 'static {
    /// A short stable key, e.g. `"management"`.
    fn key(&self) -> &'static str;
    /// The family in a sentence: "InfluxDB 3 Cloud Dedicated and Clustered (the Management
    /// API)".
    fn title(&self) -> &'static str;
    /// How a provider block of this family is recognised, for mismatch errors:
    /// "InfluxDB OSS v2 / Cloud Serverless (host, token, org)".
    fn configured_as(&self) -> &'static str;
    /// What the provider manages through this family, for the provider's description:
    /// "InfluxDB 3 Cloud Dedicated and Clustered databases, tables and database tokens
    /// through the Management API".
    fn summary(&self) -> &'static str;
    fn products(&self) -> &'static [Product];
    fn settings(&self) -> &'static [Setting];
    /// Cross-setting checks at validate time (values may be unknown or come from the
    /// environment later).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Builds the client. `None` (with errors in `diags`) when the settings are wrong;
    /// `Some(Err(..))` when the client cannot be made yet (a missing token) but plans may
    /// proceed.
    fn configure(
        &self,
        settings: &Settings,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected>;
    /// Adds the family's resources, data sources, ephemeral and list resources.
    fn register(&self, registry: &mut Registry);
}

/// What every family offers, each wrapped for the configured provider.
#[derive(Default)]
pub struct Registry {
    pub(super) family: Option<&'static dyn Family>,
    pub resources: Vec<Arc<dyn DynResource<super::Connection>>>,
    pub data_sources: Vec<Arc<dyn DynDataSource<super::Connection>>>,
    pub ephemeral_resources: Vec<Arc<dyn DynEphemeralResource<super::Connection>>>,
    pub list_resources: Vec<Arc<dyn DynListResource<super::Connection>>>,
}

impl Registry {
    fn adapt<T: ?Sized>(&self, inner: Arc<T>) -> Adapted<T> {
        Adapted {
            family: self
                .family
                .expect("a family registers inside Registry::of_family"),
            inner,
        }
    }

    /// Everything the families of `families` offer.
    pub fn of_families(families: &[&'static dyn Family]) -> Registry {
        let mut r = Registry::default();
        for f in families {
            r.family = Some(*f);
            f.register(&mut r);
        }
        r.family = None;
        r
    }

    pub fn resource<R: Resource>(&mut self, r: R)
    where
        R::Client: FamilyClient,
    {
        let adapted = self.adapt(resource(r));
        self.resources.push(Arc::new(adapted));
    }

    pub fn data_source<D: DataSource>(&mut self, d: D)
    where
        D::Client: FamilyClient,
    {
        let adapted = self.adapt(data_source(d));
        self.data_sources.push(Arc::new(adapted));
    }

    pub fn ephemeral_resource<E: EphemeralResource>(&mut self, e: E)
    where
        E::Client: FamilyClient,
    {
        let adapted = self.adapt(ephemeral_resource(e));
        self.ephemeral_resources.push(Arc::new(adapted));
    }

    pub fn list_resource<L: ListResource>(&mut self, l: L)
    where
        L::Client: FamilyClient,
    {
        let adapted = self.adapt(list_resource(l));
        self.list_resources.push(Arc::new(adapted));
    }
}
